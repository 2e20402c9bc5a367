// A041 Search for service requests: GET /R4/ServiceRequest?identifier={ubrn} (RC, RCA, SPC, SPCA): UBRN -> R4 ids.
import { hasRelationship, isReferrerSide, providerMayAct } from '../domain/relationship.ts';
import { R4_ID, recordsForUbrn, searchset, serviceRequest } from '../fhir/r4.ts';
import { fhirJson, type Caller } from '../http-types.ts';
import type { Store, StoredAdviceRequest } from '../store.ts';
import { badRequest, rejectUnknownSearchParameters, singleParameter } from './r4-search.ts';
import type { OperationImpl } from './types.ts';

// catalogue A041, HTTP 400: issue.code required
const ISSUE_TYPE = 'required' as const;

const UBRN = /^[0-9]{12}$/;

export const searchServiceRequests: OperationImpl = {
  ids: ['A041'],
  handle({ query, store, caller, baseUrl, now }) {
    rejectUnknownSearchParameters(query, ['identifier'], ISSUE_TYPE);
    const token = singleParameter(query, 'identifier', `a UBRN, optionally as ${R4_ID.ubrn}|{ubrn}`, ISSUE_TYPE);
    const bar = token.indexOf('|');
    const system = bar >= 0 ? token.slice(0, bar) : undefined;
    const ubrn = bar >= 0 ? token.slice(bar + 1) : token;
    if (system !== undefined && system !== R4_ID.ubrn) throw badRequest(ISSUE_TYPE, `identifier: the system '${system}' is not ${R4_ID.ubrn}`);
    if (!UBRN.test(ubrn)) throw badRequest(ISSUE_TYPE, `identifier: '${ubrn}' is not a UBRN (12 digits)`);
    // Records the caller has no legitimate relationship with are not disclosed: they read as an unknown UBRN.
    const visible = recordsForUbrn(store, ubrn).filter((r) => (r.kind === 'referral' ? hasRelationship(caller, r.referral, store) : mayReadAdvice(caller, r.advice, store)));
    const self = `${baseUrl}/R4/ServiceRequest?identifier=${encodeURIComponent(`${R4_ID.ubrn}|${ubrn}`)}`;
    return fhirJson(200, searchset(visible.map(serviceRequest), self, `${baseUrl}/R4`, now));
  },
};

function mayReadAdvice(caller: Caller, advice: StoredAdviceRequest, store: Store): boolean {
  if (isReferrerSide(caller)) return advice.requesterOds === caller.ods;
  const service = store.services.get(advice.service);
  return service !== undefined && providerMayAct(caller, service);
}
