// A022 Cancel appointment, action later: POST /STU3/ReferralRequest/{ubrn}/$ers.cancelAppointmentActionLater (SPC, SPCA;
// UR only; If-Match = referral version). The booked appointment is cancelled (through the PAS for a directly bookable
// service) and the provider's admin team is asked to act: TRIAGED_PROVIDER_TO_ACTION, reason
// CANCEL_APPOINTMENT_ACTION_LATER, a proposed appointment, optional new priority and PROVIDER attachments.
import { currentAppointment } from '../domain/lifecycle.ts';
import { callPas } from '../domain/pas.ts';
import { writeReferral } from '../domain/referrals.ts';
import { cancelAppointmentActionLater, readProviderAttachments, takeRepeated } from '../domain/review.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { StoredAppointment } from '../store.ts';
import type { OperationImpl } from './types.ts';

export const PRIORITIES = ['ROUTINE', 'URGENT', 'TWO_WEEK_WAIT'];
const SPECS: ParamSpecs = {
  comments: { type: 'valueString', min: 1 },
  priority: { type: 'valueCoding', min: 0, system: SYSTEM.priority, codes: PRIORITIES },
  appointmentCancelledInPAS: { type: 'valueBoolean', min: 0 },
};

/**
 * appointmentCancelledInPAS: mandatory for an indirectly booked appointment (the provider says whether it already
 * cancelled it in its PAS), not permitted for a directly booked one (e-RS cancels it through the PAS itself).
 */
export function pasCancellationFlag(p: ReadParam | undefined, bookableType: string): 'through-pas' | 'done-in-pas' | 'left-to-cancel-in-pas' {
  if (bookableType === 'DIRECTLY_BOOKABLE') {
    if (p) throw unprocessable('FIELD_NOT_PERMITTED', `${p.path}: appointmentCancelledInPAS is not permitted for a directly bookable service; e-RS cancels the appointment through the PAS`);
    return 'through-pas';
  }
  if (!p) throw unprocessable('VALUE_IS_REQUIRED', 'parameter: appointmentCancelledInPAS is required for an indirectly bookable service');
  return p.value === true ? 'done-in-pas' : 'left-to-cancel-in-pas';
}

export const cancelAppointmentActionLaterOperation: OperationImpl = {
  ids: ['A022'],
  requestResourceType: 'Parameters',
  async handle({ params, body, store, caller, now, baseUrl, req }) {
    return writeReferral({ params, store, caller, now, req }, 'REVIEW_BOOKED_REFERRAL', async (ref) => {
      const { rest, items } = takeRepeated(body, 'providerAttachmentFile');
      const parsed = readParameters(rest, SPECS);
      const commentsParam = parsed.get('comments') as ReadParam;
      const comments = commentsParam.value as string;
      if (!comments.trim()) throw unprocessable('MISSING_VALUE', `${commentsParam.path}.valueString: comments for the admin team must not be empty`);
      const attachments = readProviderAttachments(items, ref, store, caller, now);
      const appt = currentAppointment(ref, store) as StoredAppointment;
      const service = store.services.get(appt.service)!;
      if (pasCancellationFlag(parsed.get('appointmentCancelledInPAS'), service.bookableType) === 'through-pas') await callPas(service, 'cancel');
      const priority = codeOf(parsed.get('priority'));
      cancelAppointmentActionLater(store, ref, appt, { comments, ...(priority ? { priority } : {}), attachments }, caller, now);
      return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
    });
  },
};
