// The shared "create request" validation table (A010, A011; later A021/A031/A044): criteria, patient, referring clinician.
import { unprocessable } from '../errors.ts';
import { ID, SYSTEM, isReferenceSystem } from '../fhir/systems.ts';
import { codeOf, identifierOf, readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import type { Caller } from '../http-types.ts';
import type { Patient } from '../seed/types.ts';
import type { Store } from '../store.ts';
import { isValidNhsNumber } from './nhs-number.ts';
import { PRIORITIES, effectiveCodes } from './reference.ts';

export interface Criteria {
  priority: string;
  specialty?: string;
  clinicType?: string;
  iwtLimit?: number;
  postcode?: string;
  distanceLimit?: number;
  clinicalTerm?: string;
  namedClinician?: string;
  ageAndGenderAppropriate: boolean;
  organisation?: string;
}

export function criteriaSpecs(store: Store, now: Date): ParamSpecs {
  return {
    priority: { type: 'valueCoding', min: 1, system: SYSTEM.priority, codes: PRIORITIES },
    specialty: { type: 'valueCoding', min: 0, system: (s) => isReferenceSystem(s, 'SPECIALTY'), codes: effectiveCodes(store, 'SPECIALTY', now) },
    clinicType: { type: 'valueCoding', min: 0, system: SYSTEM.clinicType, codes: effectiveCodes(store, 'CLINIC-TYPE', now) },
    indicativeAppointmentWaitTimeLimit: { type: 'valueUnsignedInt', min: 0 },
    postcode: { type: 'valueString', min: 0 },
    distanceLimit: { type: 'valueUnsignedInt', min: 0 },
    clinicalTerm: { type: 'valueCoding', min: 0, system: SYSTEM.snomed },
    namedClinician: { type: 'valueIdentifier', min: 0, identifierSystem: ID.sdsUser },
    ageAndGenderAppropriate: { type: 'valueBoolean', min: 1 },
    commissioningProvisioning: { type: 'valueCoding', min: 0, system: SYSTEM.commissioningProvisioning, codes: ['ALL_AVAILABLE_FOR_BOOKING', 'ALL_SERVICES', 'LOCALLY_COMMISSIONABLE', 'NATIONALLY_AVAILABLE'] },
    organisation: { type: 'valueIdentifier', min: 0, identifierSystem: ID.directoryOrganisation },
    place: { type: 'any', min: 0 },
  };
}

/** Structure + business rules of an eRS-ServiceSearchCriteria-Parameters-1 resource found at `base`. */
export function readCriteria(resource: unknown, base: string, store: Store, now: Date): Criteria {
  const rt = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (rt !== 'Parameters') throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}resourceType: search criteria must be a Parameters resource, got '${String(rt)}'`);
  const p = readParameters(resource, criteriaSpecs(store, now), base);
  const get = (n: string) => p.get(n);
  const priority = codeOf(get('priority')) as string;
  if (codeOf(get('commissioningProvisioning')) === 'ALL_SERVICES') {
    throw unprocessable('INAPPROPRIATE_VALUE', `${valuePath(get('commissioningProvisioning') as ReadParam)}: ALL_SERVICES cannot be used to search for a patient`);
  }
  if (get('distanceLimit') && !get('postcode')) throw unprocessable('FIELD_NOT_PERMITTED', `${(get('distanceLimit') as ReadParam).path}: distanceLimit is only allowed together with postcode`);
  if (get('indicativeAppointmentWaitTimeLimit') && priority === 'TWO_WEEK_WAIT') {
    throw unprocessable('FIELD_NOT_PERMITTED', `${(get('indicativeAppointmentWaitTimeLimit') as ReadParam).path}: indicativeAppointmentWaitTimeLimit is not allowed with priority TWO_WEEK_WAIT`);
  }
  if (get('clinicType') && !get('specialty')) throw unprocessable('FIELD_NOT_PERMITTED', `${(get('clinicType') as ReadParam).path}: clinicType is only allowed together with specialty`);
  const bySpecialty = get('specialty') && get('clinicType');
  if (!bySpecialty && !get('clinicalTerm') && !get('namedClinician')) {
    throw unprocessable('VALUE_IS_REQUIRED', `${base}parameter: one of specialty + clinicType, clinicalTerm or namedClinician is required`);
  }
  const criteria: Criteria = { priority, ageAndGenderAppropriate: get('ageAndGenderAppropriate')?.value as boolean };
  const specialty = codeOf(get('specialty'));
  const clinicType = codeOf(get('clinicType'));
  if (specialty) criteria.specialty = specialty;
  if (clinicType) criteria.clinicType = clinicType;
  if (get('indicativeAppointmentWaitTimeLimit')) criteria.iwtLimit = get('indicativeAppointmentWaitTimeLimit')?.value as number;
  const postcode = get('postcode');
  if (postcode) {
    const normalised = (postcode.value as string).trim().toUpperCase().replace(/\s+/g, ' ');
    if (!/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(normalised)) throw unprocessable('INVALID_VALUE', `${postcode.path}.valueString: '${String(postcode.value)}' is not a UK postcode`);
    if (!store.postcodes.has(normalised)) throw unprocessable('REFERENCE_NOT_FOUND', `${postcode.path}.valueString: postcode '${normalised}' is not known`);
    criteria.postcode = normalised;
  }
  if (get('distanceLimit')) criteria.distanceLimit = get('distanceLimit')?.value as number;
  const term = get('clinicalTerm');
  if (term) {
    const code = codeOf(term) as string;
    if (!store.snomed.has(code)) throw unprocessable('SNOMED_NOT_FOUND', `${valuePath(term)}: SNOMED CT concept ${code} is not in the e-RS clinical term dictionary`);
    criteria.clinicalTerm = code;
  }
  const named = get('namedClinician');
  if (named) {
    const id = identifierOf(named) as string;
    const user = store.users.get(id);
    if (!user) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(named)}: user ${id} is not known`);
    if (!user.roles.some((r) => r.businessFunction === 'SERVICE_PROVIDER_CLINICIAN')) {
      throw unprocessable('REFERENCED_USER_IS_NOT_SPC', `${valuePath(named)}: user ${id} is not a Service Provider Clinician`);
    }
    criteria.namedClinician = id;
  }
  const org = get('organisation');
  if (org) {
    const ods = identifierOf(org) as string;
    const found = store.organisations.get(ods);
    if (!found) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(org)}: organisation ${ods} is not known`);
    if (found.status === 'CLOSED') throw unprocessable('ORGANISATION_IS_CLOSED', `${valuePath(org)}: organisation ${ods} is closed`);
    if (found.type !== 'TRUST' && found.type !== 'SITE') {
      throw unprocessable('ORGANISATION_NOT_APPROPRIATE', `${valuePath(org)}: organisation ${ods} is not a service provider or service location`);
    }
    criteria.organisation = ods;
  }
  return criteria;
}

/** patient parameter: modulus 11, known, not sensitive, registered with a GP practice. */
export function checkPatient(p: ReadParam, store: Store): Patient {
  const nhs = identifierOf(p) as string;
  const at = valuePath(p);
  if (!isValidNhsNumber(nhs)) throw unprocessable('INVALID_VALUE', `${at}: '${nhs}' is not a valid NHS number (10 digits with a modulus-11 check digit)`);
  const patient = store.patients.get(nhs);
  if (!patient) throw unprocessable('REFERENCE_NOT_FOUND', `${at}: patient ${nhs} is not known`);
  if (patient.sensitive) throw unprocessable('PATIENT_ERROR', `${at}: patient ${nhs} cannot be referred through the API (patient record problem)`);
  if (!patient.registeredGp) throw unprocessable('NO_REG_GP_PRACTICE', `${at}: patient ${nhs} has no registered GP practice`);
  return patient;
}

/** referringClinician: forbidden for RC, mandatory for RCA, and must be an active RC at the caller's organisation. Returns the referrer id. */
export function checkReferringClinician(p: ReadParam | undefined, caller: Caller, store: Store, base: string): string {
  if (caller.businessFunction !== 'REFERRING_CLINICIAN_ADMIN') {
    if (p) throw unprocessable('FIELD_NOT_PERMITTED', `${p.path}: referringClinician may only be given by a REFERRING_CLINICIAN_ADMIN`);
    return caller.userId;
  }
  if (!p) throw unprocessable('VALUE_IS_REQUIRED', `${base}parameter: referringClinician is required for a REFERRING_CLINICIAN_ADMIN`);
  const id = identifierOf(p) as string;
  const at = valuePath(p);
  const user = store.users.get(id);
  if (!user) throw unprocessable('REFERENCE_NOT_FOUND', `${at}: user ${id} is not known`);
  if (!user.active) throw unprocessable('REFERENCED_USER_IS_NOT_ACTIVE', `${at}: user ${id} is not active`);
  if (!user.roles.some((r) => r.businessFunction === 'REFERRING_CLINICIAN')) throw unprocessable('REFERENCED_USER_IS_NOT_RC', `${at}: user ${id} is not a Referring Clinician`);
  if (!user.roles.some((r) => r.ods === caller.ods)) throw unprocessable('REFERENCED_USER_NOT_IN_ORG', `${at}: user ${id} is not in organisation ${caller.ods}`);
  if (!user.roles.some((r) => r.ods === caller.ods && r.businessFunction === 'REFERRING_CLINICIAN')) {
    throw unprocessable('REFERENCED_USER_IS_NOT_RC_AT_ORG', `${at}: user ${id} is not a Referring Clinician at ${caller.ods}`);
  }
  return id;
}
