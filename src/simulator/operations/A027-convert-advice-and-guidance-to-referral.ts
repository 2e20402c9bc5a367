// A027 Convert advice and guidance request to referral: POST /STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater
// (SPC, SPCA; UR only). The version is in the body (createFrom = CommunicationRequest/{ubrn}/_history/{current}; no If-Match).
// Only when the referrer authorised conversion; the request becomes CONVERTED and a referral with the same UBRN
// starts TRIAGED_PROVIDER_TO_ACTION (catalogue 8.1, 8.3). 201 ReferralRequest, no ETag (none declared).
import { readAdviceAttachments } from '../domain/advice-attachments.ts';
import { adviceFor, adviceProcessing, assertAdviceAllowed, convertToReferral } from '../domain/advice-lifecycle.ts';
import { assertCurrentVersion, parseVersionedReference, withReferralLock } from '../domain/concurrency.ts';
import { unprocessable } from '../errors.ts';
import { readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import { checkPriority, guidanceText } from './A026-send-advice-and-guidance-response.ts';
import type { OperationImpl } from './types.ts';

const MAX_REVIEW_COMMENTS = 2000;
const SPECS: ParamSpecs = {
  createFrom: { type: 'valueReference', min: 1 },
  guidance: { type: 'valueString', min: 1 },
  newReferralPriority: { type: 'valueCoding', min: 1, system: SYSTEM.priority },
  reviewComments: { type: 'valueString', min: 1 },
  guidanceAttachmentFile: { type: 'resource', min: 0, repeats: true },
  reviewAttachmentFile: { type: 'resource', min: 0, repeats: true },
};

export const convertAdviceAndGuidanceToReferral: OperationImpl = {
  ids: ['A027'],
  requestResourceType: 'Parameters',
  async handle({ body, store, caller, now, baseUrl }) {
    const parsed = readParameters(body, SPECS);
    const from = parsed.get('createFrom') as ReadParam;
    const reference = (from.value as { reference: string }).reference;
    const target = parseVersionedReference(reference, 'CommunicationRequest');
    if (!target) throw unprocessable('INVALID_VALUE', `${from.path}.valueReference.reference: '${reference}' is not CommunicationRequest/{ubrn}/_history/{version}`);
    // a Reference may leave the version out; createFrom is the optimistic lock, so here it is required
    if (target.version === undefined) throw unprocessable('VALUE_IS_REQUIRED', `${from.path}.valueReference.reference: the current version is required (CommunicationRequest/${target.id}/_history/{version})`);
    const a = adviceFor(store, target.id, caller);
    return withReferralLock(store, a.ubrn, async () => {
      assertCurrentVersion(target.version as number, a.version, `advice and guidance request ${a.ubrn}`);
      assertAdviceAllowed('CONVERT', a);
      const text = guidanceText(parsed.get('guidance') as ReadParam);
      const priority = checkPriority(parsed.get('newReferralPriority') as ReadParam, a, store);
      const comments = parsed.get('reviewComments') as ReadParam;
      const reviewComments = comments.value as string;
      if (reviewComments.trim() === '') throw unprocessable('MISSING_VALUE', `${comments.path}.valueString: review comments for the provider's administrators are required`);
      if (reviewComments.length > MAX_REVIEW_COMMENTS) throw unprocessable('INVALID_VALUE', `${comments.path}.valueString: ${reviewComments.length} characters, at most ${MAX_REVIEW_COMMENTS}`);
      const names = new Map<string, string>();
      const guidanceFiles = readAdviceAttachments(parsed.get('guidanceAttachmentFile'), { type: 'GUIDANCE_RESPONSE', ubrn: a.ubrn, alreadyLinked: 'INVALID_STATE', names }, store, now);
      const reviewFiles = readAdviceAttachments(parsed.get('reviewAttachmentFile'), { type: 'PROVIDER', ubrn: a.ubrn, alreadyLinked: 'INVALID_STATE', names }, store, now);
      await adviceProcessing(store, a);
      const ref = convertToReferral(store, a, { guidance: { sentBy: 'RESPONDER', caller, text, attachments: guidanceFiles }, priority, reviewComments, reviewAttachments: reviewFiles }, now);
      return fhirJson(201, referralRequest(ref, store, baseUrl));
    });
  },
};
