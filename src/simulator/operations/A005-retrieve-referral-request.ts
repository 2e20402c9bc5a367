// A005 Retrieve referral request, current and _history/{version} reads (RC, RCA, SPC, SPCA; provider apps).
import { hasRelationship } from '../domain/relationship.ts';
import { ErsError, unprocessable } from '../errors.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const retrieveReferralRequest: OperationImpl = {
  ids: ['A005', 'A005-versioned'],
  handle({ params, store, caller, baseUrl, op }) {
    const ubrn = params.ubrn as string;
    const ref = store.referrals.get(ubrn);
    if (!ref) {
      if (store.adviceRequests.has(ubrn)) throw unprocessable('INVALID_REQUEST_TYPE', `ubrn: ${ubrn} is an advice and guidance request, not a referral`);
      // The catalogue documents 404 for an unknown UBRN but no body; the simulator sends an OperationOutcome.
      throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `ubrn: no referral with UBRN ${ubrn}`);
    }
    if (store.patients.get(ref.patient)?.sensitive) throw unprocessable('PATIENT_ERROR', `subject: the patient record for referral ${ubrn} cannot be returned`);
    if (!hasRelationship(caller, ref, store)) {
      throw unprocessable('NO_RELATIONSHIP', `ubrn: ${caller.onBehalfOf ?? caller.userId} at ${caller.ods} has no legitimate relationship with referral ${ubrn}`);
    }
    if (op.id === 'A005-versioned' && params.version !== String(ref.version)) {
      throw new ErsError(404, 'not-found', 'HISTORY_NOT_SUPPORTED', `version: only the current version (${ref.version}) of referral ${ubrn} can be read, not ${String(params.version)}`);
    }
    return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
  },
};
