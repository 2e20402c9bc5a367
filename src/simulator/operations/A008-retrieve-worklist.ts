// A008 Retrieve referral worklist: POST /STU3/ReferralRequest/$ers.fetchworklist (referrer and provider lists; provider apps).
import { isReferrerSide, providerMayAct, responsibleServices } from '../domain/relationship.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, identifierOf, readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { ID, SYSTEM, isReferenceSystem } from '../fhir/systems.ts';
import { worklist } from '../fhir/worklist.ts';
import { fhirJson, type Caller } from '../http-types.ts';
import type { Store, StoredReferral } from '../store.ts';
import type { OperationImpl } from './types.ts';

const PROVIDER_LISTS = ['REFERRALS_FOR_REVIEW', 'APPOINTMENT_SLOT_ISSUES'];
const REFERRER_LISTS = ['REJECTED_TRIAGE_RESPONSE', 'ASSESSMENT_RETURNED_CANCELLED_DNA', 'AWAITING_BOOKING', 'LETTERS_OUTSTANDING'];
const FILTERS = ['service', 'specialtyAssignedIndicator', 'specialty', 'location', 'clinicianAssignedIndicator', 'clinician'];

/** The provider-side filters a worklist request may carry (A008 and the A&G worklist A023 share them). */
export const WORKLIST_FILTER_SPECS: ParamSpecs = {
  service: { type: 'valueIdentifier', min: 0, identifierSystem: ID.ersService },
  specialtyAssignedIndicator: { type: 'valueCodeableConcept', min: 0, system: SYSTEM.assignedIndicator, codes: ['ASSIGNED', 'NOT_ASSIGNED'] },
  specialty: { type: 'valueCodeableConcept', min: 0, system: (s) => isReferenceSystem(s, 'SPECIALTY') },
  location: { type: 'valueIdentifier', min: 0, identifierSystem: ID.directoryOrganisation },
  clinicianAssignedIndicator: { type: 'valueCodeableConcept', min: 0, system: SYSTEM.assignedIndicator, codes: ['ASSIGNED', 'NOT_ASSIGNED'] },
  clinician: { type: 'valueIdentifier', min: 0, identifierSystem: ID.sdsUser },
};

const SPECS: ParamSpecs = {
  listType: { type: 'valueCodeableConcept', min: 1, system: SYSTEM.listSelector, codes: [...PROVIDER_LISTS, ...REFERRER_LISTS] },
  ...WORKLIST_FILTER_SPECS,
};

// Which referral states each list shows (catalogue 8.1 / 8.5).
const IN_LIST: Record<string, (r: StoredReferral) => boolean> = {
  // booked referrals until the provider accepts them (A013), and referrals awaiting triage
  REFERRALS_FOR_REVIEW: (r) => r.status === 'active' && ((r.state === 'BOOKED' && !r.reviewed) || r.state === 'AWAITING_TRIAGE'),
  APPOINTMENT_SLOT_ISSUES: (r) => r.status === 'active' && r.state === 'DEFERRED_TO_PROVIDER',
  AWAITING_BOOKING: (r) => r.status === 'active' && r.state === 'NOT_BOOKED',
  LETTERS_OUTSTANDING: (r) => r.status === 'active' && r.letterIntention === 'NEED_TO_ADD_LATER' && !r.letterAttached,
  REJECTED_TRIAGE_RESPONSE: (r) => r.state === 'REJECTED' || r.state === 'TRIAGE_RESPONSE',
  ASSESSMENT_RETURNED_CANCELLED_DNA: (r) => ['CANCELLED_REFERRAL', 'DID_NOT_ATTEND', 'ASSESSMENT_RESULT', 'APPT_CANCELLED_BY_PATIENT', 'APPT_CANCELLED_BY_PROVIDER'].includes(r.state),
};

/** Is the referral on the given worklist type (the lists' state rules, without the caller's visibility)? */
export function onWorklist(listType: string, r: StoredReferral): boolean {
  const rule = IN_LIST[listType];
  if (!rule) throw new Error(`${listType} is not a worklist type; known: ${Object.keys(IN_LIST).join(', ')}`);
  return rule(r);
}

export interface Filters {
  service?: string;
  specialty?: string;
  location?: string;
  clinician?: string;
  unassignedClinician?: boolean;
}

export const retrieveWorklist: OperationImpl = {
  ids: ['A008'],
  requestResourceType: 'Parameters',
  handle({ body, store, caller, baseUrl, now }) {
    const params = readParameters(body, SPECS);
    const listParam = params.get('listType') as ReadParam;
    const listType = codeOf(listParam) as string;
    const referrer = isReferrerSide(caller);
    const allowed = referrer ? REFERRER_LISTS : PROVIDER_LISTS;
    if (!allowed.includes(listType)) {
      throw unprocessable('INVALID_VALUE', `${valuePath(listParam)}: list type ${listType} is not available to ${caller.businessFunction}; allowed: ${allowed.join(', ')}`);
    }
    let filters: Filters = {};
    if (referrer) {
      const filter = FILTERS.map((f) => params.get(f)).find((p) => p !== undefined);
      if (filter) throw unprocessable('UNEXPECTED_FIELD', `${filter.path}: worklist filters are not available to referring organisations`);
    } else {
      filters = readFilters(params, caller, store);
    }
    const refs = [...store.referrals.values()].filter((r) => (IN_LIST[listType] as (r: StoredReferral) => boolean)(r) && visible(r, caller, store, referrer, filters));
    return fhirJson(200, worklist(listType, refs, store, baseUrl, now));
  },
};

/** The provider filters, validated (A008 and A023 share them: catalogue A023 "same filter validation rules as A008"). */
export function readFilters(params: Map<string, ReadParam>, caller: Caller, store: Store): Filters {
  const filters: Filters = {};
  const service = params.get('service');
  if (!service && caller.mode === 'application-restricted') throw unprocessable('MISSING_VALUE', 'parameter: service is mandatory for application-restricted worklist requests');
  const specialtyInd = params.get('specialtyAssignedIndicator');
  const specialty = params.get('specialty');
  if (codeOf(specialtyInd) === 'NOT_ASSIGNED') throw unprocessable('INVALID_VALUE', `${valuePath(specialtyInd as ReadParam)}: specialtyAssignedIndicator NOT_ASSIGNED is not supported`);
  if (specialtyInd && !specialty) throw unprocessable('MISSING_VALUE', `${(specialtyInd as ReadParam).path}: specialty is required when specialtyAssignedIndicator is ASSIGNED`);
  if (specialty && !specialtyInd) throw unprocessable('UNEXPECTED_FIELD', `${specialty.path}: specialty is only allowed with specialtyAssignedIndicator ASSIGNED`);
  const clinicianInd = params.get('clinicianAssignedIndicator');
  const clinician = params.get('clinician');
  if (codeOf(clinicianInd) === 'ASSIGNED' && !clinician) throw unprocessable('MISSING_VALUE', `${(clinicianInd as ReadParam).path}: clinician is required when clinicianAssignedIndicator is ASSIGNED`);
  if (clinician && codeOf(clinicianInd) !== 'ASSIGNED') throw unprocessable('UNEXPECTED_FIELD', `${clinician.path}: clinician is only allowed with clinicianAssignedIndicator ASSIGNED`);
  if (codeOf(clinicianInd) === 'NOT_ASSIGNED') filters.unassignedClinician = true;

  if (service) {
    const id = identifierOf(service) as string;
    const found = store.services.get(id);
    if (!found) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(service)}: service ${id} is not known`);
    if (!providerMayAct(caller, found)) throw unprocessable('NO_RELATIONSHIP', `${valuePath(service)}: ${caller.effectiveUserId} at ${caller.ods} is not in the workgroup of service ${id}`);
    filters.service = id;
  }
  if (specialty) {
    const code = codeOf(specialty) as string;
    if (!store.codeSystems.get('SPECIALTY')?.concepts.some((c) => c.code === code)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(specialty)}: specialty ${code} is not known`);
    filters.specialty = code;
  }
  if (clinician) {
    const id = identifierOf(clinician) as string;
    if (!store.users.has(id)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(clinician)}: clinician ${id} is not known`);
    filters.clinician = id;
  }
  const location = params.get('location');
  if (location) {
    const ods = identifierOf(location) as string;
    if (!store.organisations.has(ods)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(location)}: location ${ods} is not known`);
    const ours = [...store.services.values()].some((s) => s.location === ods && providerMayAct(caller, s));
    if (!ours) throw unprocessable('NO_RELATIONSHIP', `${valuePath(location)}: ${caller.effectiveUserId} at ${caller.ods} has no service at location ${ods}`);
    filters.location = ods;
  }
  return filters;
}

function visible(r: StoredReferral, caller: Caller, store: Store, referrer: boolean, f: Filters): boolean {
  if (referrer) return r.referringOds === caller.ods;
  const services = responsibleServices(r, store).filter((s) => providerMayAct(caller, s));
  if (services.length === 0) return false;
  if (f.service && !services.some((s) => s.id === f.service)) return false;
  if (f.location && !services.some((s) => s.location === f.location)) return false;
  if (f.specialty && r.specialty !== f.specialty) return false;
  const allocated = r.allocatedClinician ?? r.booking?.clinician;
  if (f.clinician && allocated !== f.clinician) return false;
  if (f.unassignedClinician && allocated) return false;
  return true;
}
