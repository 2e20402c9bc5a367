// A014 Reject referral: POST /STU3/ReferralRequest/{ubrn}/$ers.rejectReferral (SPC, SPCA; UR only; If-Match = referral
// version). A booked referral pending review goes back to the referrer: state REJECTED with the PROVIDER_REJECT reason,
// the appointment cancelled (through the PAS for a directly bookable service). The referrer sees it on its
// REJECTED_TRIAGE_RESPONSE worklist.
import { currentAppointment } from '../domain/lifecycle.ts';
import { callPas } from '../domain/pas.ts';
import { writeReferral } from '../domain/referrals.ts';
import { rejectReferral } from '../domain/review.ts';
import { unprocessable } from '../errors.ts';
import { readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { isReferenceSystem } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { StoredAppointment } from '../store.ts';
import { pasCancellationFlag } from './A022-cancel-appointment-action-later.ts';
import type { OperationImpl } from './types.ts';

const TYPE = 'APPOINTMENT-CANCELLATION-REASON';
const MAX_COMMENT = 2000;
const SPECS: ParamSpecs = {
  rejectionReason: { type: 'valueCoding', min: 1, system: (s) => isReferenceSystem(s, TYPE) },
  rejectionComments: { type: 'valueString', min: 0 },
  appointmentCancelledInPAS: { type: 'valueBoolean', min: 0 },
};

export const rejectReferralOperation: OperationImpl = {
  ids: ['A014'],
  requestResourceType: 'Parameters',
  async handle({ params, body, store, caller, now, baseUrl, req }) {
    return writeReferral({ params, store, caller, now, req }, 'REVIEW_BOOKED_REFERRAL', async (ref) => {
      const parsed = readParameters(body, SPECS);
      const reasonParam = parsed.get('rejectionReason') as ReadParam;
      const code = (reasonParam.value as { code: string }).code;
      const concept = store.codeSystems.get(TYPE)?.concepts.find((c) => c.code === code);
      if (!concept) throw unprocessable('INVALID_CODE', `${valuePath(reasonParam)}: '${code}' is not a ${TYPE} code`);
      const day = now.toISOString().slice(0, 10);
      const effective = (!concept.effectiveFrom || concept.effectiveFrom <= day) && (!concept.effectiveTo || concept.effectiveTo > day);
      if (!effective) throw unprocessable('INAPPROPRIATE_VALUE', `${valuePath(reasonParam)}: ${code} is not effective today (${concept.effectiveFrom ?? ''}..${concept.effectiveTo ?? ''})`);
      if (concept.appointmentBookingCancellationReasonType !== 'PROVIDER_REJECT') {
        throw unprocessable('INAPPROPRIATE_VALUE', `${valuePath(reasonParam)}: ${code} is a ${String(concept.appointmentBookingCancellationReasonType)} reason; a rejection needs a PROVIDER_REJECT reason (A004 appointmentBookingCancellationReasonType)`);
      }
      const commentParam = parsed.get('rejectionComments');
      const comments = (commentParam?.value as string | undefined)?.trim() ? (commentParam!.value as string) : undefined;
      if (comments !== undefined && comments.length > MAX_COMMENT) throw unprocessable('INVALID_VALUE', `${commentParam!.path}.valueString: ${comments.length} characters, at most ${MAX_COMMENT}`);
      if (concept.commentIsMandatory === true && !comments) throw unprocessable('VALUE_IS_REQUIRED', `parameter: rejectionComments is required with reason ${code}`);
      const appt = currentAppointment(ref, store) as StoredAppointment;
      const service = store.services.get(appt.service)!;
      const cancelInPas = pasCancellationFlag(parsed.get('appointmentCancelledInPAS'), service.bookableType);
      if (cancelInPas === 'through-pas') await callPas(service, 'cancel');
      rejectReferral(store, ref, appt, { codeSystemType: TYPE, code }, comments, caller, now);
      return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
    });
  },
};
