// One representative, well-formed request per implemented e-RS operation, built from the target's fixtures.
// Platform-error scenarios (catalogue sections 6 and 10.3) send it with exactly one defect of their own (no token,
// a weak CIS2 login, a role header on an application call, an XML Accept, ...), so nothing else can explain the answer.
// test/ers/sample-requests.test.ts checks that each one succeeds against the simulator when sent as it is.
import type { AccessMode } from './operations.ts';
import { asObject, versionId } from './read.ts';
import { buildAppointment, buildAppointmentCancellation, buildCancelReferral, buildChangeShortlist, buildReferralLetters, availableActionsQuery, slotSearchQuery } from './referrer.ts';
import { buildCreateReferral, buildSearchCriteria, buildShortlist, buildWorklistRequest } from './requests.ts';
import { buildAdviceRequest, buildAdviceWorklistRequest, buildConversion, buildGuidanceResponse, conversationQuery } from './advice.ts';
import { buildCancelAppointmentActionLater, buildRejectReferral, buildReviewOutcome } from './provider.ts';
import { preparedRequest } from '../targets/prepared.ts';
import type { Fixtures } from '../targets/fixtures.ts';

type Json = Record<string, unknown>;

export interface SampleRequest {
  operation: string;
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** only when it is not application/fhir+json (A020 sends the file's MIME type) */
  contentType?: string;
  ifMatch?: string;
  /** operation-specific headers (A015 commissioning rule org, A019 Accept, A020 file name and referral id) */
  headers?: Record<string, string>;
  /** what the request was built from, for the report */
  source: string;
}

export interface SampleContext {
  fixtures: Fixtures;
  /** the target's FHIR base (reference-data code systems live under it) */
  fhirBase: string;
  /** who will send it: A008, A010 and A011 have a different documented request per role */
  caller: { mode: AccessMode; businessFunction?: string };
  /** reads a referral (A005), appointment (A038) or A&G request (A024) as a well-formed caller, for its current version and content */
  read(operation: 'A005' | 'A038' | 'A024', params: Record<string, string>): Promise<Json>;
}

type Builder = (ctx: SampleContext) => SampleRequest | Promise<SampleRequest>;

const isProvider = (c: SampleContext['caller']): boolean => /^(SERVICE_PROVIDER_|PROVIDER_AUTHORISED_APPLICATION$)/.test(c.businessFunction ?? '');
const isRca = (c: SampleContext['caller']): boolean => c.businessFunction === 'REFERRING_CLINICIAN_ADMIN';
const get = <T = string>(ctx: SampleContext, intent: string): T => ctx.fixtures.get<T>(intent);

function prepared(ctx: SampleContext, operation: string, name: string): SampleRequest {
  const p = preparedRequest(ctx.fixtures, `requests.${operation}.${name}`);
  return { operation, body: p.body, source: `prepared request requests.${operation}.${name} (${p.source})` };
}

async function currentVersion(ctx: SampleContext, operation: 'A005' | 'A038' | 'A024', params: Record<string, string>): Promise<{ resource: Json; version: string }> {
  const resource = await ctx.read(operation, params);
  const version = versionId(resource);
  if (!version) throw new Error(`the ${operation} read of ${JSON.stringify(params)} returned no meta.versionId; a representative request needs the current version`);
  return { resource, version };
}

/** A shortlist found by the fixtures' search criteria (search.criteria finds these services on the target). */
function shortlistOf(ctx: SampleContext, services: string[]): Json {
  const criteria = buildSearchCriteria({ ...get<Record<string, string>>(ctx, 'search.criteria') }, ctx.fhirBase);
  return buildShortlist(criteria, services.map((s) => get(ctx, `services.${s}`)));
}

async function referralWrite(ctx: SampleContext, operation: string, referral: string, body: (ubrn: string) => unknown, what: string): Promise<SampleRequest> {
  const ubrn = get(ctx, `referrals.${referral}`);
  const { version } = await currentVersion(ctx, 'A005', { ubrn });
  return { operation, params: { ubrn }, body: body(ubrn), ifMatch: `W/"${version}"`, source: `${what} on referrals.${referral} at its current version ${version}` };
}

const BUILDERS: Record<string, Builder> = {
  A004: (ctx) => {
    const type = get<string[]>(ctx, 'codeSystems.known')[0] as string;
    return { operation: 'A004', params: { codeSystemType: type }, source: `the ${type} reference set (codeSystems.known)` };
  },
  A005: (ctx) => ({ operation: 'A005', params: { ubrn: get(ctx, `referrals.${isProvider(ctx.caller) ? 'bookedDbs' : 'unbooked'}`) }, source: 'a referral the caller may read' }),
  'A005-versioned': async (ctx) => {
    const ubrn = get(ctx, `referrals.${isProvider(ctx.caller) ? 'bookedDbs' : 'unbooked'}`);
    const { version } = await currentVersion(ctx, 'A005', { ubrn });
    return { operation: 'A005-versioned', params: { ubrn, version }, source: `referral ${ubrn} at its current version ${version}` };
  },
  A008: (ctx) => {
    if (!isProvider(ctx.caller)) return prepared(ctx, 'A008', 'awaitingBooking');
    if (ctx.caller.mode === 'user-restricted') return prepared(ctx, 'A008', 'referralsForReview');
    // a provider application must filter by one of its services
    return { operation: 'A008', body: buildWorklistRequest({ listType: 'REFERRALS_FOR_REVIEW', service: get(ctx, 'worklist.service') }, ctx.fhirBase), source: 'the REFERRALS_FOR_REVIEW list of worklist.service' };
  },
  A010: (ctx) => prepared(ctx, 'A010', isRca(ctx.caller) ? 'referringClinicianAdmin' : 'referringClinician'),
  A011: (ctx) => prepared(ctx, 'A011', isRca(ctx.caller) ? 'referringClinicianAdmin' : 'referringClinician'),
  A012: (ctx) =>
    referralWrite(ctx, 'A012', 'unbooked', () => buildReferralLetters([{ binaryId: get(ctx, 'documents.letterForUnbooked') }], new Date().toISOString()), 'a referral letter uploaded for it (documents.letterForUnbooked)'),
  A015: (ctx) => ({
    operation: 'A015',
    query: slotSearchQuery(get(ctx, 'services.directlyBookable')),
    headers: { 'NHSD-eRS-Comm-Rule-Org': get(ctx, 'slots.commRuleOrg') },
    source: 'free slots at services.directlyBookable for the seeded referrals\' commissioning rule organisation',
  }),
  A016: async (ctx) => {
    // a deferral needs no slot search first: the gastro referral to the service that has no free slots
    const ubrn = get(ctx, 'referrals.gastroUnbooked');
    const { resource, version } = await currentVersion(ctx, 'A005', { ubrn });
    const patient = asObject(asObject(resource.subject)?.identifier)?.value as string | undefined;
    const body = buildAppointment({ ubrn, version, service: get(ctx, 'services.noSlots'), patient: patient ?? get(ctx, 'patients.referable'), reason: 'NO_SLOTS_AT_SERVICE', comment: 'deferred by the conformance suite' });
    return { operation: 'A016', body, source: `deferral of referrals.gastroUnbooked (version ${version}) to services.noSlots, NO_SLOTS_AT_SERVICE` };
  },
  A019: (ctx) => ({
    operation: 'A019',
    params: { ubrn: get(ctx, 'referrals.bookedDbs') },
    // the letter is a PDF and errors are FHIR JSON
    headers: { Accept: 'application/pdf, application/fhir+json' },
    source: 'the patient letter of referrals.bookedDbs',
  }),
  A020: (ctx) => ({
    operation: 'A020',
    body: Buffer.from('Dear colleague, please see this patient. (conformance suite referral letter)'),
    contentType: 'text/plain',
    headers: { 'NHSD-eRS-File-Name': 'letter.txt', 'NHSD-eRS-Referral-ID': get(ctx, 'referrals.unbooked') },
    source: 'a text/plain letter for referrals.unbooked',
  }),
  A021: (ctx) => ({
    operation: 'A021',
    body: buildCreateReferral(
      { patient: get(ctx, 'patients.referable'), shortlist: shortlistOf(ctx, ['triage']), intention: 'NEED_TO_ADD_LATER', followUpDays: '0', referringClinician: isRca(ctx.caller) ? get(ctx, 'search.referringClinician.valid') : undefined },
      ctx.fhirBase,
    ),
    source: 'a referral for patients.referable shortlisting services.triage, NEED_TO_ADD_LATER, first reminder after 0 days',
  }),
  A029: async (ctx) => {
    const referral = isProvider(ctx.caller) ? 'bookedDbs' : 'unbooked';
    const ubrn = get(ctx, `referrals.${referral}`);
    const { version } = await currentVersion(ctx, 'A005', { ubrn });
    return { operation: 'A029', query: availableActionsQuery(ubrn, version), source: `actions on referrals.${referral} at its current version ${version}` };
  },
  A031: (ctx) => referralWrite(ctx, 'A031', 'unbooked', () => buildChangeShortlist(shortlistOf(ctx, ['indirectlyBookable'])), 'a shortlist of services.indirectlyBookable'),
  A032: (ctx) => referralWrite(ctx, 'A032', 'unbooked', () => buildChangeShortlist(shortlistOf(ctx, ['triage']), 'NEED_TO_ADD_LATER', 0, true), 'a shortlist of services.triage, sent for triage'),
  A034: async (ctx) => {
    const id = get(ctx, 'appointments.bookedDbs');
    const { resource, version } = await currentVersion(ctx, 'A038', { id });
    const body = buildAppointmentCancellation(resource, ctx.fhirBase, get(ctx, 'cancellationReasons.appointment.byPatient'));
    return { operation: 'A034', params: { id }, body, ifMatch: `W/"${version}"`, source: `cancellation of appointments.bookedDbs at its current version ${version} (cancellationReasons.appointment.byPatient)` };
  },
  A036: (ctx) => {
    // a provider cancels a referral booked at its service, with a provider reason
    const [referral, reason] = isProvider(ctx.caller) ? ['bookedDbs', 'byProvider'] : ['unbooked', 'byReferrer'];
    return referralWrite(ctx, 'A036', referral, () => buildCancelReferral(ctx.fhirBase, get(ctx, `cancellationReasons.referral.${reason}`)), `cancellation (cancellationReasons.referral.${reason})`);
  },
  // provider review and attachments (issue 11)
  A006: (ctx) => ({
    operation: 'A006',
    params: { attachmentLogicalID: get(ctx, 'attachments.available') },
    // the file's own type, and FHIR JSON for a refusal
    headers: { Accept: `${get(ctx, 'attachments.availableType')}, application/fhir+json` },
    source: 'the clean referral letter attachments.available',
  }),
  A007: (ctx) => ({
    operation: 'A007',
    params: { ubrn: get(ctx, 'referrals.bookedDbs') },
    headers: { Accept: 'application/pdf, application/fhir+json' },
    source: 'the clinical information summary of referrals.bookedDbs',
  }),
  A013: (ctx) => referralWrite(ctx, 'A013', 'bookedDbs', () => undefined, 'acceptance (no body)'),
  A014: (ctx) =>
    referralWrite(ctx, 'A014', 'bookedDbs', () => buildRejectReferral(ctx.fhirBase, { reason: get(ctx, 'rejectionReasons.serviceInappropriate'), comments: 'rejected by the conformance suite' }), 'rejection (rejectionReasons.serviceInappropriate) with a comment'),
  A022: (ctx) =>
    referralWrite(ctx, 'A022', 'bookedDbs', () => buildCancelAppointmentActionLater({ comments: 'rebook, from the conformance suite', files: [{ binaryId: get(ctx, 'documents.providerNoteForBookedDbs') }] }, new Date().toISOString()), 'cancellation to action later with a provider attachment (documents.providerNoteForBookedDbs)'),
  A028: (ctx) =>
    referralWrite(ctx, 'A028', 'awaitingTriage', () => buildReviewOutcome({ outcome: 'ACCEPT_REFER_BOOK_LATER', comments: 'book later, from the conformance suite', files: [{ binaryId: get(ctx, 'documents.providerNoteForAwaitingTriage') }] }, new Date().toISOString()), 'ACCEPT_REFER_BOOK_LATER with a provider attachment (documents.providerNoteForAwaitingTriage)'),
  A042: (ctx) => ({ operation: 'A042', params: { id: get(ctx, 'attachments.available') }, source: 'the clean referral letter attachments.available' }),
  A038: (ctx) => ({ operation: 'A038', params: { id: get(ctx, 'appointments.bookedDbs') }, source: 'appointments.bookedDbs' }),
  // Advice & Guidance: the request awaiting the provider's response, read first for its current version where one is needed
  A023: (ctx) => ({ operation: 'A023', body: buildAdviceWorklistRequest({}, ctx.fhirBase), source: 'the ADVICE_AND_GUIDANCE_REQUESTS worklist' }),
  A024: (ctx) => ({ operation: 'A024', params: { ubrn: get(ctx, 'adviceRequests.awaitingResponse') }, source: 'adviceRequests.awaitingResponse' }),
  'A024-versioned': async (ctx) => {
    const ubrn = get(ctx, 'adviceRequests.awaitingResponse');
    const { version } = await currentVersion(ctx, 'A024', { ubrn });
    return { operation: 'A024-versioned', params: { ubrn, version }, source: `adviceRequests.awaitingResponse at its current version ${version}` };
  },
  A025: async (ctx) => {
    const ubrn = get(ctx, 'adviceRequests.awaitingResponse');
    const { version } = await currentVersion(ctx, 'A024', { ubrn });
    return { operation: 'A025', query: conversationQuery(ubrn, version), source: `the conversation of adviceRequests.awaitingResponse at its current version ${version}` };
  },
  A026: async (ctx) => {
    const ubrn = get(ctx, 'adviceRequests.awaitingResponse');
    const { version } = await currentVersion(ctx, 'A024', { ubrn });
    const body = buildGuidanceResponse({ outcome: 'RETURN_TO_REFERRER_WITH_ADVICE', recommendation: 'ADVICE_ONLY_NO_REFERRAL_RECOMMENDED', priority: 'ROUTINE' }, ctx.fhirBase);
    return { operation: 'A026', params: { ubrn }, body, ifMatch: `W/"${version}"`, source: `advice for adviceRequests.awaitingResponse at its current version ${version}` };
  },
  A027: async (ctx) => {
    const ubrn = get(ctx, 'adviceRequests.awaitingResponse');
    const { version } = await currentVersion(ctx, 'A024', { ubrn });
    return { operation: 'A027', body: buildConversion({ ubrn, version, priority: 'ROUTINE' }, ctx.fhirBase), source: `conversion of adviceRequests.awaitingResponse from its current version ${version}` };
  },
  A043: (ctx) => ({
    operation: 'A043',
    params: { ubrn: get(ctx, 'adviceRequests.overviewPdf') },
    headers: { Accept: 'application/pdf, application/fhir+json' },
    source: 'the overview PDF of adviceRequests.overviewPdf',
  }),
  A044: (ctx) => {
    const criteria = buildSearchCriteria({ ...get<Record<string, string>>(ctx, 'search.adviceCriteria') }, ctx.fhirBase);
    const shortlist = buildShortlist(criteria, [get(ctx, 'services.adviceAndGuidance')]);
    const body = buildAdviceRequest({ patient: get(ctx, 'patients.referable'), shortlist, referringClinician: isRca(ctx.caller) ? get(ctx, 'search.referringClinician.valid') : undefined }, ctx.fhirBase);
    return { operation: 'A044', body, source: 'advice for patients.referable from services.adviceAndGuidance (search.adviceCriteria)' };
  },
  // R4 directory and identity (issue 12)
  A030: () => ({ operation: 'A030', source: "the caller's own business functions (no parameters)" }),
  A033: (ctx) => ({ operation: 'A033', params: { id: get(ctx, 'directory.service') }, source: 'the R4 healthcare service directory.service' }),
  A035: (ctx) => ({ operation: 'A035', query: { _id: get(ctx, 'directory.searchIds') }, source: 'an R4 search for the services directory.searchIds' }),
  A037: (ctx) => ({ operation: 'A037', params: { id: get(ctx, 'directory.service') }, source: 'the version (HEAD) of the R4 healthcare service directory.service' }),
  A040: () => ({ operation: 'A040', query: { _query: 'onBehalfOf' }, source: 'the practitioners the caller may act on behalf of (_query=onBehalfOf)' }),
  A041: (ctx) => ({ operation: 'A041', query: { identifier: get(ctx, `serviceRequests.${isProvider(ctx.caller) ? 'bookedAtProvider' : 'referral'}`) }, source: 'the ServiceRequest ids of a UBRN the caller may see' }),
  'A038-versioned': async (ctx) => {
    const id = get(ctx, 'appointments.bookedDbs');
    const { version } = await currentVersion(ctx, 'A038', { id });
    return { operation: 'A038-versioned', params: { id, version }, source: `appointments.bookedDbs at its current version ${version}` };
  },
};

/** The operations a representative request can be built for. */
export const SAMPLE_OPERATIONS: readonly string[] = Object.freeze(Object.keys(BUILDERS));

/** The representative request for an operation; throws naming the operations that have one. */
export async function sampleRequest(operation: string, ctx: SampleContext): Promise<SampleRequest> {
  const build = BUILDERS[operation];
  if (!build) throw new Error(`no representative request for ${operation}; src/ers/sample-requests.ts has one for ${SAMPLE_OPERATIONS.join(', ')}`);
  return build(ctx);
}
