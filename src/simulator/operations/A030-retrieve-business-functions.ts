// A030 Retrieve user business functions: GET /R4/PractitionerRole (any authenticated CIS2 user; no role headers needed).
import { fhirJson } from '../http-types.ts';
import { practitionerRoles, searchset } from '../fhir/r4.ts';
import type { OperationImpl } from './types.ts';

export const retrieveBusinessFunctions: OperationImpl = {
  ids: ['A030'],
  // A030 documents no parameters and no 400: anything in the query string is ignored.
  handle({ store, caller, baseUrl, now }) {
    // A CIS2 user e-RS holds no roles for is still a user: an empty searchset, not an error.
    const user = store.users.get(caller.userId);
    const roles = user ? practitionerRoles(user, now) : [];
    return fhirJson(200, searchset(roles, `${baseUrl}/R4/PractitionerRole`, `${baseUrl}/R4`, now));
  },
};
