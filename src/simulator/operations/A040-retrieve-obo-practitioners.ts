// A040 Retrieve on-behalf-of practitioner info: GET /R4/Practitioner?_query=onBehalfOf (SPCA; no OBO header needed).
import { practitioner, searchset } from '../fhir/r4.ts';
import { fhirJson } from '../http-types.ts';
import { badRequest, rejectUnknownSearchParameters, singleParameter } from './r4-search.ts';
import type { OperationImpl } from './types.ts';

// catalogue A040, HTTP 400: issue.code invalid
const ISSUE_TYPE = 'invalid' as const;

export const retrieveOnBehalfOfPractitioners: OperationImpl = {
  ids: ['A040'],
  handle({ query, store, caller, baseUrl, now }) {
    rejectUnknownSearchParameters(query, ['_query'], ISSUE_TYPE);
    const named = singleParameter(query, '_query', "the named query 'onBehalfOf'", ISSUE_TYPE);
    if (named !== 'onBehalfOf') throw badRequest(ISSUE_TYPE, `_query: '${named}' is not a supported named query; use _query=onBehalfOf`);
    const role = store.users.get(caller.userId)?.roles.find((r) => r.ods === caller.ods && r.businessFunction === caller.businessFunction);
    // Only clinicians who still hold the SPC role at this organisation can be acted for.
    const clinicians = (role?.actsFor ?? []).filter((id) => store.users.get(id)?.roles.some((r) => r.ods === caller.ods && r.businessFunction === 'SERVICE_PROVIDER_CLINICIAN'));
    return fhirJson(200, searchset(clinicians.map((id) => practitioner(id, now)), `${baseUrl}/R4/Practitioner?_query=onBehalfOf`, `${baseUrl}/R4`, now));
  },
};
