// A024 Retrieve advice and guidance request summary: GET /STU3/CommunicationRequest/{ubrn} and its _history/{version}
// read (RC, RCA, SPC, SPCA; provider apps). The current version only: any other is 404 HISTORY_NOT_SUPPORTED (catalogue 7).
import { adviceFor } from '../domain/advice-lifecycle.ts';
import { ErsError } from '../errors.ts';
import { communicationRequest } from '../fhir/advice.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const retrieveAdviceAndGuidanceRequest: OperationImpl = {
  ids: ['A024', 'A024-versioned'],
  handle({ op, params, store, caller, baseUrl }) {
    const a = adviceFor(store, params.ubrn as string, caller);
    if (op.id === 'A024-versioned' && params.version !== String(a.version)) {
      throw new ErsError(404, 'not-found', 'HISTORY_NOT_SUPPORTED', `version: advice and guidance request ${a.ubrn} is at version ${a.version}; only the current version can be read, not '${params.version}'`);
    }
    return fhirJson(200, communicationRequest(a, store, baseUrl), { ETag: `W/"${a.version}"` });
  },
};
