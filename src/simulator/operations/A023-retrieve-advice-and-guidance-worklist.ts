// A023 Retrieve advice and guidance requests worklist: POST /STU3/CommunicationRequest/$ers.fetchworklist (SPC, SPA, SPCA;
// UR only). The A&G requests still in conversation at the caller's services, with A008's provider filters (catalogue 8.5).
import { adviceWorklist } from '../domain/advice-lifecycle.ts';
import { ADVICE_SYSTEM, adviceWorklistList } from '../fhir/advice.ts';
import { readParameters, type ParamSpecs } from '../fhir/parameters.ts';
import { fhirJson } from '../http-types.ts';
import type { Store, StoredAdviceRequest } from '../store.ts';
import { readFilters, WORKLIST_FILTER_SPECS, type Filters } from './A008-retrieve-worklist.ts';
import type { OperationImpl } from './types.ts';

const SPECS: ParamSpecs = {
  listType: { type: 'valueCodeableConcept', min: 1, system: ADVICE_SYSTEM.listSelector, codes: ['ADVICE_AND_GUIDANCE_REQUESTS'] },
  ...WORKLIST_FILTER_SPECS,
};

export const retrieveAdviceAndGuidanceWorklist: OperationImpl = {
  ids: ['A023'],
  requestResourceType: 'Parameters',
  handle({ body, store, caller, baseUrl }) {
    const filters = readFilters(readParameters(body, SPECS), caller, store);
    const items = adviceWorklist(store, caller).filter((a) => matches(a, filters, store));
    return fhirJson(200, adviceWorklistList(items, store, baseUrl));
  },
};

function matches(a: StoredAdviceRequest, f: Filters, store: Store): boolean {
  if (f.service && a.service !== f.service) return false;
  if (f.location && store.services.get(a.service)?.location !== f.location) return false;
  if (f.specialty && a.specialty !== f.specialty) return false;
  // A&G requests are not allocated to a clinician: an ASSIGNED clinician filter matches none, NOT_ASSIGNED all
  if (f.clinician) return false;
  return true;
}
