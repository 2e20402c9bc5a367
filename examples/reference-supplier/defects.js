// The flaws a supplier system can have, switched on from outside with ERS_REFERENCE_DEFECT=<name>.
// Each one changes the system's configuration or wraps its HTTP layer; the business logic in
// gp-system.js and pas-system.js stays the same. The harness must report every one of them as a product defect.

/** name → the supplier obligation it breaks (requirements/, kind supplier), what the flawed system does, and how it is set up to do it */
export const DEFECTS = {
  'no-if-match': {
    breaks: 'SUP-VERSION-01',
    description: 'sends writes without If-Match',
    apply: (setup) => setup.requestFilters.push((req) => void delete req.headers['if-match']),
  },
  'write-retried-after-422': {
    breaks: 'SUP-ERR-422',
    description: 'retries a write e-RS rejected with 422',
    apply: (setup) => setup.policy.retryStatuses.push(422),
  },
  'retry-after-ignored': {
    breaks: 'SUP-BACKOFF-01',
    description: 'retries at once after 429/503 instead of waiting for Retry-After',
    apply: (setup) => (setup.policy.honourRetryAfter = false),
  },
  'invalid-fhir-body': {
    breaks: 'SUP-REQ-01',
    description: 'adds an element FHIR does not define to every JSON request body',
    apply: (setup) =>
      setup.requestFilters.push((req) => {
        if (req.body && typeof req.body === 'object' && req.body.resourceType) req.body = { ...req.body, internalNote: 'GP system draft' };
      }),
  },
  'wrong-role-header': {
    breaks: 'SUP-ROLE-01',
    description: 'sends the referring admin role header for a referring clinician',
    apply: (setup) =>
      setup.requestFilters.push((req) => {
        if (req.headers['nhsd-ers-business-function']) req.headers['nhsd-ers-business-function'] = 'REFERRING_ADMIN';
      }),
  },
  'duplicate-create-on-retry': {
    breaks: 'SUP-BACKOFF-03',
    description: 'sends the create again when the first answer was lost',
    apply: (setup) => (setup.policy.resendCreateAfterLostAnswer = true),
  },
  'audit-without-correlation-id': {
    breaks: 'SUP-AUDIT-01',
    description: 'writes audit records without the X-Correlation-ID of the request',
    apply: (setup) => setup.auditFilters.push((record) => void delete record.correlationId),
  },
  'nhsd-headers-in-app-mode': {
    breaks: 'SUP-ROLE-02',
    description: 'sends the NHSD-eRS user headers on application-restricted calls too',
    apply: (setup) => (setup.policy.roleHeadersOnApplicationCalls = true),
  },
  'no-reread-after-conflict': {
    breaks: 'SUP-VERSION-02',
    description: 'after a 409 version conflict, writes again with the same stale version instead of reading the referral again',
    apply: (setup) => (setup.policy.rereadAfterConflict = false),
  },
  'letters-not-sent-as-a-set': {
    breaks: 'SUP-A012-01',
    description: 'A012 with only the new letter, dropping the letters already attached (A012 replaces the set)',
    apply: (setup) => (setup.policy.sendWholeLetterSet = false),
  },
  // --- the PAS (provider actions) ---
  'accept-without-if-match': {
    breaks: 'SUP-PROV-ACCEPT-01',
    description: 'the PAS accepts a referral (A013) without If-Match',
    apply: (setup) => setup.requestFilters.push((req) => void (String(req.path).includes('$ers.acceptReferral') && delete req.headers['if-match'])),
  },
  'rejection-comment-dropped': {
    breaks: 'SUP-PROV-REJECT-01',
    description: 'the PAS rejects a referral (A014) with the reason code but drops the comment the clinician wrote',
    apply: (setup) =>
      setup.requestFilters.push((req) => {
        if (req.body?.resourceType === 'Parameters' && String(req.path).includes('$ers.rejectReferral')) req.body = { ...req.body, parameter: req.body.parameter.filter((p) => p.name !== 'rejectionComments') };
      }),
  },
  'unreleased-attachments-requested': {
    breaks: 'SUP-PROV-ATTACH-02',
    description: 'the PAS asks A042 for every attachment whatever its availability, and polls a PENDING one at once',
    apply: (setup) => Object.assign(setup.policy, { requestUnreleasedAttachments: true, retryPendingAttachments: true }),
  },
  'unavailable-attachment-filed': {
    breaks: 'SUP-PROV-ATTACH-01',
    description: 'the PAS files an empty document for an attachment e-RS did not release (PENDING, THREATS_FOUND, VALIDATION_FAILED) as if received',
    apply: (setup) => (setup.policy.fileUnavailableAttachments = true),
  },
  'on-behalf-of-header-dropped': {
    breaks: 'SUP-PROV-ROLE-01',
    description: 'the PAS leaves out NHSD-eRS-On-Behalf-Of-User-ID when a clinician admin acts for a clinician',
    apply: (setup) => setup.requestFilters.push((req) => void delete req.headers['nhsd-ers-on-behalf-of-user-id']),
  },
  'triage-outcome-swapped': {
    breaks: 'SUP-PROV-TRIAGE-01',
    description: 'the PAS records ACCEPT_REFER_BOOK_LATER whatever triage outcome the clinician chose',
    apply: (setup) =>
      setup.requestFilters.push((req) => {
        if (req.body?.resourceType !== 'Parameters' || !String(req.path).includes('$ers.recordReviewOutcome')) return;
        req.body = { ...req.body, parameter: req.body.parameter.map((p) => (p.name === 'reviewOutcome' ? { ...p, valueCoding: { ...p.valueCoding, code: 'ACCEPT_REFER_BOOK_LATER' } } : p)) };
      }),
  },
};

/** The setup of a system that behaves as documented. */
export function soundSetup() {
  return {
    policy: {
      maxAttempts: 3,
      retryStatuses: [429, 503],
      honourRetryAfter: true,
      maxRetryWaitMs: 10_000,
      timeoutMs: 10_000,
      resendCreateAfterLostAnswer: false,
      roleHeadersOnApplicationCalls: false,
      rereadAfterConflict: true,
      sendWholeLetterSet: true,
      requestUnreleasedAttachments: false,
      retryPendingAttachments: false,
      fileUnavailableAttachments: false,
    },
    requestFilters: [],
    auditFilters: [],
  };
}

/** The setup ERS_REFERENCE_DEFECT asks for (unset: a sound system). */
export function setupFromEnvironment(env = process.env) {
  const setup = soundSetup();
  const name = (env.ERS_REFERENCE_DEFECT ?? '').trim();
  if (!name) return setup;
  const defect = DEFECTS[name];
  if (!defect) throw new Error(`ERS_REFERENCE_DEFECT=${name} is not a known defect; run "node examples/reference-supplier/driver.js --list-defects" for the names`);
  defect.apply(setup);
  return setup;
}
