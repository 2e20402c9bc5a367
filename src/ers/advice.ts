import { asArray, asObject } from './read.ts';
import { newParameters, parameterTypes, PROFILES, type Parameters } from './parameters.ts';

// Request bodies and response readers for Advice & Guidance: the referrer's request (A044), the provider's worklist
// (A023), the summary and conversation reads (A024/A025), the provider's response (A026) and conversion to a referral
// (A027). Steps pass intent-resolved values; nothing here knows a target.

type Json = Record<string, unknown>;

const CS = 'https://fhir.nhs.uk/STU3/CodeSystem/';
export const ADVICE_STATUS_SYSTEM = `${CS}eRS-AdviceAndGuidanceStatus-1`;
const EXT_CONVERSION = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ProviderConversionAuthorisation-1';

/** The documented _include values of A025 (the sender one spelt as the specification spells it, catalogue 16.24). */
export const CONVERSATION_INCLUDES = [
  'Communication:requester-practitionerrole:PractitionerRole',
  'Communication:sender-practitionerrole:PractionerRole',
  'Communication:content-reference:DocumentReference',
];

export type AttachmentType = 'ADVICE_REQUEST' | 'GUIDANCE_RESPONSE' | 'PROVIDER' | 'REFERRER';

/** An eRS-DocumentReference-1 naming an uploaded file (A020's Binary/{id}). */
export function adviceDocument(binaryId: string, type: AttachmentType, indexed: string, opts: { description?: string; status?: string; contentType?: string; url?: string } = {}): Json {
  return {
    resourceType: 'DocumentReference',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-DocumentReference-1'] },
    type: { coding: [{ system: `${CS}eRS-AttachmentType-1`, code: type }] },
    status: opts.status ?? 'current',
    indexed,
    description: opts.description ?? 'Attachment',
    content: [{ attachment: { ...(opts.contentType ? { contentType: opts.contentType } : {}), url: opts.url ?? `Binary/${binaryId}` } }],
  };
}

/** A044 body: patient, conversion authorisation, a one-service shortlist, the request text, optional clinician and files. */
export function buildAdviceRequest(opts: { patient: string; shortlist: Json; conversion?: string; request?: string; referringClinician?: string; attachments?: Json[] }, fhirBase: string): Parameters {
  const params = newParameters(
    PROFILES.createAdviceAndGuidance,
    { patient: opts.patient, providerConversionAuthorisation: opts.conversion ?? 'AUTHORISED_TO_CONVERT' },
    parameterTypes(fhirBase).createAdvice,
  );
  params.parameter.push({ name: 'shortlist', resource: opts.shortlist }, { name: 'request', valueString: opts.request ?? 'Please advise on the management of this patient.' });
  for (const a of opts.attachments ?? []) params.parameter.push({ name: 'requestAttachmentFile', resource: a });
  if (opts.referringClinician) params.parameter.push({ name: 'referringClinician', valueIdentifier: { system: 'http://fhir.nhs.net/Id/sds-user-id', value: opts.referringClinician } });
  return params;
}

/** A023 body: the A&G list selector and any provider filters. */
export function buildAdviceWorklistRequest(filters: Record<string, string | undefined>, fhirBase: string): Parameters {
  return newParameters(PROFILES.fetchWorklist, { listType: 'ADVICE_AND_GUIDANCE_REQUESTS', ...filters }, parameterTypes(fhirBase).adviceWorklist);
}

/** A026 body. */
export function buildGuidanceResponse(opts: { outcome: string; recommendation?: string; guidance?: string; priority: string; attachments?: Json[] }, fhirBase: string): Parameters {
  const params = newParameters(
    PROFILES.sendCommunicationToRequester,
    { guidanceOutcome: opts.outcome, guidanceIntendedRecommendation: opts.recommendation, guidance: opts.guidance ?? 'Advice: manage in primary care and review in four weeks.', updatedPriority: opts.priority },
    parameterTypes(fhirBase).adviceResponse,
  );
  for (const a of opts.attachments ?? []) params.parameter.push({ name: 'guidanceAttachmentFile', resource: a });
  return params;
}

/** A027 body: createFrom carries the request's version (no If-Match). */
export function buildConversion(opts: { ubrn: string; version: string | undefined; guidance?: string; priority: string; reviewComments?: string; guidanceAttachments?: Json[]; reviewAttachments?: Json[] }, fhirBase: string): Parameters {
  const params: Parameters = { resourceType: 'Parameters', meta: { profile: [PROFILES.createFromCommunicationRequest] }, parameter: [] };
  params.parameter.push({ name: 'createFrom', valueReference: { reference: opts.version === undefined ? `CommunicationRequest/${opts.ubrn}` : `CommunicationRequest/${opts.ubrn}/_history/${opts.version}` } });
  const rest = newParameters(
    PROFILES.createFromCommunicationRequest,
    { guidance: opts.guidance ?? 'Converted to a referral: the patient needs to be seen.', newReferralPriority: opts.priority, reviewComments: opts.reviewComments ?? 'Please book the patient into the next available clinic.' },
    parameterTypes(fhirBase).adviceConversion,
  );
  params.parameter.push(...rest.parameter);
  for (const a of opts.guidanceAttachments ?? []) params.parameter.push({ name: 'guidanceAttachmentFile', resource: a });
  for (const a of opts.reviewAttachments ?? []) params.parameter.push({ name: 'reviewAttachmentFile', resource: a });
  return params;
}

/** A025 query: based-on the version read, and the _include values asked for. */
export function conversationQuery(ubrn: string, version: string, includes: string[] = CONVERSATION_INCLUDES): Record<string, string | string[]> {
  return { 'based-on': `CommunicationRequest/${ubrn}/_history/${version}`, ...(includes.length > 0 ? { _include: includes } : {}) };
}

/** eRS-AdviceAndGuidanceStatus-1 category of a CommunicationRequest. */
export function adviceCategory(cr: unknown): string | undefined {
  return asArray(asObject(asArray(asObject(cr)?.category).map(asObject).find((c) => asObject(asArray(c?.coding)[0])?.system === ADVICE_STATUS_SYSTEM))?.coding).map(asObject)[0]?.code as string | undefined;
}

/** AUTHORISED_TO_CONVERT or NOT_AUTHORISED_TO_CONVERT, from the request summary. */
export function conversionAuthorisation(cr: unknown): string | undefined {
  const ext = asArray(asObject(cr)?.extension).map(asObject).find((e) => e?.url === EXT_CONVERSION);
  return asObject(ext?.valueCoding)?.code as string | undefined;
}

export interface Message { id: string; sentBy: string; text: string; basedOn: string }

/** The Communication entries (search mode match) of an A025 Bundle, in the order given. */
export function conversationMessages(bundle: unknown): Message[] {
  return asArray(asObject(bundle)?.entry).map(asObject).filter((e) => asObject(e?.search)?.mode === 'match').map((e) => {
    const r = asObject(e?.resource) ?? {};
    return {
      id: String(r.id),
      sentBy: String(asObject(asArray(asObject(asArray(r.category)[0])?.coding)[0])?.code),
      text: String(asObject(asArray(r.note)[0])?.text ?? ''),
      basedOn: String(asObject(asArray(r.basedOn)[0])?.reference ?? ''),
    };
  });
}

/** Resource types of the included (search mode include) entries of an A025 Bundle. */
export function includedTypes(bundle: unknown): string[] {
  return asArray(asObject(bundle)?.entry).map(asObject).filter((e) => asObject(e?.search)?.mode === 'include').map((e) => String(asObject(e?.resource)?.resourceType));
}

export interface AdviceWorklistItem { ubrn: string; category?: string; version?: number }

/** The items of an A023 List: UBRN, category and communicationRequestVersion. */
export function adviceWorklistItems(list: unknown): AdviceWorklistItem[] {
  return asArray(asObject(list)?.entry).map(asObject).map((e) => {
    const fields = asArray(asObject(asArray(e?.extension)[0])?.extension).map(asObject);
    const field = (url: string) => fields.find((f) => f?.url === url);
    const category = asObject(asArray(asObject(field('category')?.valueCodeableConcept)?.coding)[0])?.code as string | undefined;
    const version = field('communicationRequestVersion')?.valueInteger as number | undefined;
    return { ubrn: String(asObject(e?.item)?.reference ?? '').replace(/^CommunicationRequest\//, ''), ...(category ? { category } : {}), ...(version !== undefined ? { version } : {}) };
  });
}
