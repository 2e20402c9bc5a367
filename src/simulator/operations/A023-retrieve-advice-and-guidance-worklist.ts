// A023 Retrieve advice and guidance requests worklist: POST /STU3/CommunicationRequest/$ers.fetchworklist (SPC, SPA, SPCA;
// UR only). The A&G requests still in conversation at the caller's services, with A008's provider filters (catalogue 8.5).
import { adviceWorklist } from '../domain/advice-lifecycle.ts';
import { providerMayAct } from '../domain/relationship.ts';
import { unprocessable } from '../errors.ts';
import { ADVICE_SYSTEM, adviceWorklistList } from '../fhir/advice.ts';
import { codeOf, identifierOf, readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { ID, SYSTEM, isReferenceSystem } from '../fhir/systems.ts';
import { fhirJson, type Caller } from '../http-types.ts';
import type { Store, StoredAdviceRequest } from '../store.ts';
import type { OperationImpl } from './types.ts';

const SPECS: ParamSpecs = {
  listType: { type: 'valueCodeableConcept', min: 1, system: ADVICE_SYSTEM.listSelector, codes: ['ADVICE_AND_GUIDANCE_REQUESTS'] },
  service: { type: 'valueIdentifier', min: 0, identifierSystem: ID.ersService },
  specialtyAssignedIndicator: { type: 'valueCodeableConcept', min: 0, system: SYSTEM.assignedIndicator, codes: ['ASSIGNED', 'NOT_ASSIGNED'] },
  specialty: { type: 'valueCodeableConcept', min: 0, system: (s) => isReferenceSystem(s, 'SPECIALTY') },
  location: { type: 'valueIdentifier', min: 0, identifierSystem: ID.directoryOrganisation },
  clinicianAssignedIndicator: { type: 'valueCodeableConcept', min: 0, system: SYSTEM.assignedIndicator, codes: ['ASSIGNED', 'NOT_ASSIGNED'] },
  clinician: { type: 'valueIdentifier', min: 0, identifierSystem: ID.sdsUser },
};

type Filter = (a: StoredAdviceRequest) => boolean;

export const retrieveAdviceAndGuidanceWorklist: OperationImpl = {
  ids: ['A023'],
  requestResourceType: 'Parameters',
  handle({ body, store, caller, baseUrl }) {
    const filters = readFilters(readParameters(body, SPECS), caller, store);
    const items = adviceWorklist(store, caller).filter((a) => filters.every((f) => f(a)));
    return fhirJson(200, adviceWorklistList(items, store, baseUrl));
  },
};

/** The provider filters, validated as A008 validates them (catalogue A023: "same filter validation rules as A008"). */
function readFilters(params: Map<string, ReadParam>, caller: Caller, store: Store): Filter[] {
  const filters: Filter[] = [];
  const specialtyInd = params.get('specialtyAssignedIndicator');
  const specialty = params.get('specialty');
  if (codeOf(specialtyInd) === 'NOT_ASSIGNED') throw unprocessable('INVALID_VALUE', `${valuePath(specialtyInd as ReadParam)}: specialtyAssignedIndicator NOT_ASSIGNED is not supported`);
  if (specialtyInd && !specialty) throw unprocessable('MISSING_VALUE', `${(specialtyInd as ReadParam).path}: specialty is required when specialtyAssignedIndicator is ASSIGNED`);
  if (specialty && !specialtyInd) throw unprocessable('UNEXPECTED_FIELD', `${specialty.path}: specialty is only allowed with specialtyAssignedIndicator ASSIGNED`);
  const clinicianInd = params.get('clinicianAssignedIndicator');
  const clinician = params.get('clinician');
  if (codeOf(clinicianInd) === 'ASSIGNED' && !clinician) throw unprocessable('MISSING_VALUE', `${(clinicianInd as ReadParam).path}: clinician is required when clinicianAssignedIndicator is ASSIGNED`);
  if (clinician && codeOf(clinicianInd) !== 'ASSIGNED') throw unprocessable('UNEXPECTED_FIELD', `${clinician.path}: clinician is only allowed with clinicianAssignedIndicator ASSIGNED`);

  const service = params.get('service');
  if (service) {
    const id = identifierOf(service) as string;
    const found = store.services.get(id);
    if (!found) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(service)}: service ${id} is not known`);
    if (!providerMayAct(caller, found)) throw unprocessable('NO_RELATIONSHIP', `${valuePath(service)}: ${caller.effectiveUserId} at ${caller.ods} is not in the workgroup of service ${id}`);
    filters.push((a) => a.service === id);
  }
  if (specialty) {
    const code = codeOf(specialty) as string;
    if (!store.codeSystems.get('SPECIALTY')?.concepts.some((c) => c.code === code)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(specialty)}: specialty ${code} is not known`);
    filters.push((a) => a.specialty === code);
  }
  if (clinician) {
    const id = identifierOf(clinician) as string;
    if (!store.users.has(id)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(clinician)}: clinician ${id} is not known`);
    // A&G requests are not allocated to a clinician in the simulator: an ASSIGNED filter matches none
    filters.push(() => false);
  }
  const location = params.get('location');
  if (location) {
    const ods = identifierOf(location) as string;
    if (!store.organisations.has(ods)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(location)}: location ${ods} is not known`);
    const ours = [...store.services.values()].some((s) => s.location === ods && providerMayAct(caller, s));
    if (!ours) throw unprocessable('NO_RELATIONSHIP', `${valuePath(location)}: ${caller.effectiveUserId} at ${caller.ods} has no service at location ${ods}`);
    filters.push((a) => store.services.get(a.service)?.location === ods);
  }
  return filters;
}
