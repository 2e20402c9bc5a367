// A035 Search for healthcare services: GET /R4/HealthcareService?_id=1,2 (RC, RCA; referrer apps).
import { healthcareService, searchset } from '../fhir/r4.ts';
import { fhirJson } from '../http-types.ts';
import type { Service } from '../seed/types.ts';
import { badRequest, rejectUnknownSearchParameters, singleParameter } from './r4-search.ts';
import type { OperationImpl } from './types.ts';

// catalogue A035, HTTP 400: issue.code invalid
const ISSUE_TYPE = 'invalid' as const;

const MAX_IDS = 20;
const SERVICE_ID = /^[0-9]{1,18}$/;

export const searchHealthcareServices: OperationImpl = {
  ids: ['A035'],
  handle({ query, store, baseUrl, now }) {
    rejectUnknownSearchParameters(query, ['_id'], ISSUE_TYPE);
    const raw = singleParameter(query, '_id', 'a comma-separated list of 1 to 20 e-RS service ids, e.g. _id=1,2', ISSUE_TYPE);
    const ids = raw.split(',').map((s) => s.trim());
    const malformed = ids.filter((id) => !SERVICE_ID.test(id));
    if (malformed.length) throw badRequest(ISSUE_TYPE, `_id: ${malformed.map((m) => `'${m}'`).join(', ')} ${malformed.length > 1 ? 'are not e-RS service ids' : 'is not an e-RS service id'} (digits only, comma-separated)`);
    const unique = [...new Set(ids)];
    if (unique.length > MAX_IDS) throw badRequest(ISSUE_TYPE, `_id: at most ${MAX_IDS} service ids per search, got ${unique.length}`);
    // Unknown but well-formed ids are simply not matched (catalogue: an empty bundle, total 0).
    const services = unique.map((id) => store.services.get(id)).filter((s): s is Service => s !== undefined);
    return fhirJson(200, searchset(services.map(healthcareService), `${baseUrl}/R4/HealthcareService?_id=${unique.join(',')}`, `${baseUrl}/R4`, now));
  },
};
