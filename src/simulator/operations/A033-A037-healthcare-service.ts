// A033 Retrieve healthcare service (GET) and A037 its version (HEAD): /R4/HealthcareService/{id} (RC, RCA; referrer apps).
import { ErsError } from '../errors.ts';
import { healthcareService, serviceVersion } from '../fhir/r4.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const retrieveHealthcareService: OperationImpl = {
  ids: ['A033', 'A037'],
  handle({ params, store }) {
    const id = params.id as string;
    const service = store.services.get(id);
    if (!service) throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `id: no e-RS service with id ${id}`);
    // The same representation answers GET and HEAD, so A037's ETag is A033's meta.versionId by construction;
    // the server sends no body on HEAD.
    return fhirJson(200, healthcareService(service), { ETag: `W/"${serviceVersion(service)}"`, 'Cache-Control': 'no-cache' });
  },
};
