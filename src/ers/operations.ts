// The e-RS operation catalogue as data: one row per API operation (catalogue section 1 / catalogue.json endpoints[]).
// Shared by the simulator (routing, role checks) and the harness client (URL building, header rules).

export type AccessMode = 'user-restricted' | 'application-restricted';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'HEAD';

export interface OperationDef {
  /** catalogue opKey: 'A005', 'A005-versioned', 'A024-versioned', 'A038-versioned', ... */
  id: string;
  /** activity id shared by plain and versioned variants, e.g. 'A005' */
  activity: string;
  name: string;
  method: HttpMethod;
  /** path after /referrals/FHIR, e.g. '/STU3/ReferralRequest/{ubrn}/_history/{version}' */
  path: string;
  fhirVersion: 'STU3' | 'R4';
  accessModes: AccessMode[];
  /** business functions allowed in user-restricted mode; [] means any authenticated user (A030) */
  businessFunctions: string[];
  requiresIfMatch: boolean;
  requestBody: 'fhir' | 'binary' | 'none';
  deprecated: boolean;
  /** anchor text of the catalogue section, used for documentation links */
  catalogueSection: string;
  /** application-restricted context (section 5): which app business functions may call it; [] when UR only */
  appRestrictedContext: ('provider' | 'referrer')[];
}

export const BUSINESS_FUNCTIONS = [
  'REFERRING_CLINICIAN',
  'REFERRING_CLINICIAN_ADMIN',
  'REFERRING_ADMIN',
  'COMMISSIONER',
  'SERVICE_PROVIDER_CLINICIAN_ADMIN',
  'SERVICE_PROVIDER_CLINICIAN',
  'SERVICE_PROVIDER_ADMIN',
  'INFORMATION_ANALYST',
  'BOOKING_MANAGER',
  'ADDITIONAL_REQUIREMENTS_MANAGER',
] as const;

export const APP_ONLY_BUSINESS_FUNCTIONS = [
  'PROVIDER_AUTHORISED_APPLICATION',
  'REFERRER_AUTHORISED_APPLICATION',
  'AUTHORISED_APPLICATION',
] as const;

export const ERS_API_ERROR_CODE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1';
export const ERS_OPERATION_OUTCOME_PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1';

// Short role names keep the table below readable; expanded once when OPERATIONS is built.
const ROLE = {
  RC: 'REFERRING_CLINICIAN',
  RCA: 'REFERRING_CLINICIAN_ADMIN',
  RA: 'REFERRING_ADMIN',
  SPC: 'SERVICE_PROVIDER_CLINICIAN',
  SPCA: 'SERVICE_PROVIDER_CLINICIAN_ADMIN',
  SPA: 'SERVICE_PROVIDER_ADMIN',
} as const;
type Role = keyof typeof ROLE;

const REFERRER: Role[] = ['RC', 'RCA'];
const PROVIDER: Role[] = ['SPC', 'SPCA'];
const BOTH: Role[] = ['RC', 'RCA', 'SPC', 'SPCA'];
const UR: AccessMode[] = ['user-restricted'];
const UR_AR: AccessMode[] = ['user-restricted', 'application-restricted'];

// [id, name, method, path, modes, roles, ifMatch, body, deprecated]
type Row = [string, string, HttpMethod, string, AccessMode[], Role[], boolean, OperationDef['requestBody'], boolean];

const ROWS: Row[] = [
  ['A004', 'Retrieve reference data', 'GET', '/STU3/CodeSystem/{codeSystemType}', UR_AR, BOTH, false, 'none', false],
  ['A005', 'Retrieve referral request', 'GET', '/STU3/ReferralRequest/{ubrn}', UR_AR, BOTH, false, 'none', false],
  ['A005-versioned', 'Retrieve referral request (versioned)', 'GET', '/STU3/ReferralRequest/{ubrn}/_history/{version}', UR_AR, BOTH, false, 'none', false],
  ['A006', 'Retrieve attachment (deprecated - use A042)', 'GET', '/STU3/Binary/{attachmentLogicalID}', UR_AR, BOTH, false, 'none', true],
  ['A007', 'Retrieve clinical information (CRI PDF)', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.generateCRI', UR_AR, BOTH, false, 'none', false],
  ['A008', 'Retrieve referral worklist', 'POST', '/STU3/ReferralRequest/$ers.fetchworklist', UR_AR, ['RC', 'RCA', 'RA', 'SPC', 'SPA', 'SPCA'], false, 'fhir', false],
  ['A010', 'Patient service search', 'POST', '/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient', UR, REFERRER, false, 'fhir', false],
  ['A011', 'Create referral', 'POST', '/STU3/ReferralRequest/$ers.createReferral', UR, REFERRER, false, 'fhir', false],
  ['A012', 'Maintain referral letter', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.maintainReferralLetter', UR, REFERRER, true, 'fhir', false],
  ['A013', 'Accept referral', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.acceptReferral', UR_AR, PROVIDER, true, 'none', false],
  ['A014', 'Reject referral', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.rejectReferral', UR, PROVIDER, true, 'fhir', false],
  ['A015', 'Retrieve appointment slots', 'GET', '/STU3/Slot', UR, REFERRER, false, 'none', false],
  ['A016', 'Book or defer appointment', 'POST', '/STU3/Appointment', UR, REFERRER, false, 'fhir', false],
  ['A019', 'Generate patient letter', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.generatePatientLetter', UR, REFERRER, false, 'none', false],
  ['A020', 'Upload file to document store', 'POST', '/STU3/Binary', UR, BOTH, false, 'binary', false],
  ['A021', 'Create referral and send for triage (deprecated - use A011 + A016)', 'POST', '/STU3/ReferralRequest/$ers.createReferralAndSendForTriage', UR, REFERRER, false, 'fhir', true],
  ['A022', 'Cancel appointment, action later', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.cancelAppointmentActionLater', UR, PROVIDER, true, 'fhir', false],
  ['A023', 'Retrieve advice and guidance requests worklist', 'POST', '/STU3/CommunicationRequest/$ers.fetchworklist', UR, ['SPC', 'SPA', 'SPCA'], false, 'fhir', false],
  ['A024', 'Retrieve advice and guidance request summary', 'GET', '/STU3/CommunicationRequest/{ubrn}', UR_AR, BOTH, false, 'none', false],
  ['A024-versioned', 'Retrieve advice and guidance request summary (versioned)', 'GET', '/STU3/CommunicationRequest/{ubrn}/_history/{version}', UR_AR, BOTH, false, 'none', false],
  ['A025', 'Retrieve advice and guidance conversation', 'GET', '/STU3/Communication', UR_AR, BOTH, false, 'none', false],
  ['A026', 'Send advice and guidance response', 'POST', '/STU3/CommunicationRequest/{ubrn}/$ers.sendCommunicationToRequester', UR, PROVIDER, true, 'fhir', false],
  ['A027', 'Convert advice and guidance request to referral', 'POST', '/STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater', UR, PROVIDER, false, 'fhir', false],
  ['A028', 'Record triage (review) outcome', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.recordReviewOutcome', UR_AR, PROVIDER, true, 'fhir', false],
  ['A029', 'Available actions for user', 'GET', '/STU3/Task', UR_AR, BOTH, false, 'none', false],
  ['A030', 'Retrieve user business functions (PractitionerRole)', 'GET', '/R4/PractitionerRole', UR, [], false, 'none', false],
  ['A031', 'Change shortlist', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.changeShortlist', UR, REFERRER, true, 'fhir', false],
  ['A032', 'Change shortlist and send for triage (deprecated - use A031 + A016)', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.changeShortlistAndSendForTriage', UR, REFERRER, true, 'fhir', true],
  ['A033', 'Retrieve healthcare service', 'GET', '/R4/HealthcareService/{id}', UR_AR, REFERRER, false, 'none', false],
  ['A034', 'Update (cancel) appointment', 'PUT', '/STU3/Appointment/{id}', UR, REFERRER, true, 'fhir', false],
  ['A035', 'Search for healthcare services', 'GET', '/R4/HealthcareService', UR_AR, REFERRER, false, 'none', false],
  ['A036', 'Cancel referral', 'POST', '/STU3/ReferralRequest/{ubrn}/$ers.cancelReferral', UR_AR, BOTH, true, 'fhir', false],
  ['A037', 'Retrieve healthcare service version', 'HEAD', '/R4/HealthcareService/{id}', UR_AR, REFERRER, false, 'none', false],
  ['A038', 'Retrieve appointment', 'GET', '/STU3/Appointment/{id}', UR, BOTH, false, 'none', false],
  ['A038-versioned', 'Retrieve appointment (versioned)', 'GET', '/STU3/Appointment/{id}/_history/{version}', UR, BOTH, false, 'none', false],
  ['A040', 'Retrieve on-behalf-of practitioner info', 'GET', '/R4/Practitioner', UR, ['SPCA'], false, 'none', false],
  ['A041', 'Search for service requests (UBRN -> ServiceRequest id)', 'GET', '/R4/ServiceRequest', UR, BOTH, false, 'none', false],
  ['A042', 'Retrieve attachment (R4 Binary, redirect)', 'GET', '/R4/Binary/{id}', UR_AR, BOTH, false, 'none', false],
  ['A043', 'Retrieve advice and guidance overview PDF', 'POST', '/STU3/CommunicationRequest/{ubrn}/$ers.generateCRI', UR_AR, BOTH, false, 'none', false],
  ['A044', 'Create advice and guidance request', 'POST', '/STU3/CommunicationRequest/$ers.createAdviceAndGuidance', UR, REFERRER, false, 'fhir', false],
];

// Section 5 "AR context": provider apps unless listed here.
const AR_CONTEXT: Record<string, ('provider' | 'referrer')[]> = {
  A004: ['provider', 'referrer'],
  A006: ['provider', 'referrer'],
  A033: ['referrer'],
  A035: ['referrer'],
  A037: ['referrer'],
};

export const OPERATIONS: readonly OperationDef[] = Object.freeze(
  ROWS.map(([id, name, method, path, modes, roles, requiresIfMatch, requestBody, deprecated]) =>
    Object.freeze({
      id,
      activity: id.split('-')[0] ?? id,
      name,
      method,
      path,
      fhirVersion: path.startsWith('/R4/') ? ('R4' as const) : ('STU3' as const),
      accessModes: [...modes],
      businessFunctions: roles.map((r) => ROLE[r]),
      requiresIfMatch,
      requestBody,
      deprecated,
      catalogueSection: `2 / ${id}`,
      appRestrictedContext: modes.includes('application-restricted') ? [...(AR_CONTEXT[id.split('-')[0] ?? id] ?? ['provider' as const])] : [],
    }),
  ),
);

const BY_ID = new Map(OPERATIONS.map((op) => [op.id, op]));

export function findOperation(id: string): OperationDef {
  const op = BY_ID.get(id);
  if (!op) throw new Error(`Unknown e-RS operation id '${id}'. Valid ids: ${[...BY_ID.keys()].join(', ')}`);
  return op;
}

interface CompiledPath {
  op: OperationDef;
  segments: string[];
  /** literal segment count: the more literal, the more specific the match */
  specificity: number;
}

const COMPILED: CompiledPath[] = OPERATIONS.map((op) => {
  const segments = op.path.split('/').slice(1);
  return { op, segments, specificity: segments.filter((s) => !isParam(s)).length };
});

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (isParam(p)) {
      if (a === '') return undefined;
      try {
        params[p.slice(1, -1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}

/** The operations whose path pattern best matches this path (most literal segments wins), any method. */
export function matchPath(pathAfterFhir: string): { op: OperationDef; params: Record<string, string> }[] {
  const actual = (pathAfterFhir.split('?')[0] ?? '').replace(/\/+$/, '').split('/').slice(1);
  let best: { op: OperationDef; params: Record<string, string>; specificity: number }[] = [];
  for (const c of COMPILED) {
    const params = matchSegments(c.segments, actual);
    if (!params) continue;
    if (best.length === 0 || c.specificity > (best[0] as { specificity: number }).specificity) best = [{ op: c.op, params, specificity: c.specificity }];
    else if (c.specificity === (best[0] as { specificity: number }).specificity) best.push({ op: c.op, params, specificity: c.specificity });
  }
  return best.map(({ op, params }) => ({ op, params }));
}

/** The operation for this method and path; a literal segment beats a parameter (`$ers.fetchworklist` is not a UBRN). */
export function matchOperation(method: string, pathAfterFhir: string): { op: OperationDef; params: Record<string, string> } | undefined {
  return matchPath(pathAfterFhir).find((m) => m.op.method === method.toUpperCase());
}

export function expandPath(op: OperationDef, params: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`Operation ${op.id} path ${op.path} needs parameter '${name}' but it was not supplied`);
    return encodeURIComponent(value);
  });
}
