// A004 Retrieve reference data: GET /STU3/CodeSystem/{codeSystemType} (RC, RCA, SPC, SPCA; provider and referrer apps).
import { ErsError } from '../errors.ts';
import { CODE_SYSTEM_TYPES, codeSystem } from '../fhir/code-system.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const retrieveReferenceData: OperationImpl = {
  ids: ['A004'],
  handle({ params, store, baseUrl, now }) {
    const type = params.codeSystemType as string;
    const cs = (CODE_SYSTEM_TYPES as readonly string[]).includes(type) ? store.codeSystems.get(type) : undefined;
    if (!cs) {
      // 404 is documented without a body (the sandbox sends none); the simulator explains which types exist.
      throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `codeSystemType: '${type}' is not one of ${CODE_SYSTEM_TYPES.join(', ')}`);
    }
    return fhirJson(200, codeSystem(type, cs, baseUrl, now));
  },
};
