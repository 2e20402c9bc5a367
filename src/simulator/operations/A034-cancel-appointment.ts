// A034 Update (cancel) appointment: PUT /STU3/Appointment/{id} (RC, RCA; UR only). If-Match carries the APPOINTMENT version
// (from A038). Only the current, dated, directly booked appointment can be cancelled; the referral moves to
// APPT_CANCELLED_BY_PATIENT or APPT_CANCELLED_BY_PROVIDER by the reason's type.
import { assertCurrentVersion, requireIfMatch, withReferralLock } from '../domain/concurrency.ts';
import { appointmentCancelled, assertAllowed, cancelAppointment } from '../domain/lifecycle.ts';
import { callPas } from '../domain/pas.ts';
import { unprocessable } from '../errors.ts';
import { appointmentResource } from '../fhir/appointment.ts';
import { isReferenceSystem } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { SeedConcept } from '../seed/types.ts';
import { currentAppointmentFor } from './A038-retrieve-appointment.ts';
import type { OperationImpl } from './types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

// STU3 Appointment elements (anything else is UNEXPECTED_FIELD)
const APPOINTMENT_ELEMENTS = new Set([
  'resourceType', 'id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension', 'identifier', 'status',
  'serviceCategory', 'serviceType', 'specialty', 'appointmentType', 'reason', 'indication', 'priority', 'description', 'supportingInformation',
  'start', 'end', 'minutesDuration', 'slot', 'created', 'comment', 'incomingReferral', 'participant', 'requestedPeriod',
]);
const TYPE = 'APPOINTMENT-CANCELLATION-REASON';

export const cancelAppointmentOperation: OperationImpl = {
  ids: ['A034'],
  requestResourceType: 'Appointment',
  async handle({ params, body, store, caller, now, baseUrl, req }) {
    const appt = currentAppointmentFor(store, params.id as string, caller);
    const ref = store.referrals.get(appt.ubrn)!;
    const sent = requireIfMatch(req, `appointment ${appt.id}`);
    const update = body as Json;
    return withReferralLock(store, ref.ubrn, async () => {
      assertCurrentVersion(sent, appt.version, `appointment ${appt.id}`);
      const unknown = Object.keys(update).find((k) => !APPOINTMENT_ELEMENTS.has(k));
      if (unknown) throw unprocessable('UNEXPECTED_FIELD', `${unknown}: not an Appointment element`);
      if (update.id !== undefined && update.id !== appt.id) throw unprocessable('INVALID_VALUE', `id: '${String(update.id)}' does not match the appointment being updated (${appt.id})`);
      if (update.status !== 'cancelled') throw unprocessable('INVALID_VALUE', `status: cancellation is the only supported update; status must be 'cancelled', got '${String(update.status)}'`);
      const coding = Array.isArray(update.reason) && isObject(update.reason[0]) && Array.isArray(update.reason[0].coding) ? update.reason[0].coding[0] : undefined;
      if (!isObject(coding) || typeof coding.code !== 'string') throw unprocessable('MISSING_VALUE', `reason[0].coding[0]: a cancellation reason (${TYPE}) is required`);
      const concept = reasonConcept(store.codeSystems.get(TYPE)?.concepts ?? [], coding, now);
      if (!concept) throw unprocessable('INVALID_VALUE', `reason[0].coding[0]: '${String(coding.code)}' is not a current ${TYPE} code`);
      const usage = (concept.usage as string[] | undefined) ?? [];
      const roles = (concept.businessFunction as string[] | undefined) ?? [];
      if (!usage.includes('CANCEL') || !roles.includes(caller.businessFunction)) {
        throw unprocessable('INAPPROPRIATE_VALUE', `reason[0].coding[0].code: ${concept.code} is not a cancellation reason for ${caller.businessFunction} (usage ${usage.join('/') || 'none'})`);
      }
      const comment = typeof update.comment === 'string' && update.comment.trim() !== '' ? update.comment : undefined;
      if (concept.commentIsMandatory === true && !comment) throw unprocessable('MISSING_VALUE', `'comment' is missing: reason ${concept.code} needs a comment`);
      assertAllowed('CANCEL_DIRECTLY_BOOKED_APPOINTMENT', ref, store, now);
      if (ref.appointmentId !== appt.id) throw unprocessable('INVALID_REQUEST_STATE', `appointment ${appt.id} is not the current appointment of referral ${ref.ubrn}`);
      await callPas(store.services.get(appt.service)!, 'cancel');
      const reason = { codeSystemType: TYPE, code: concept.code };
      cancelAppointment(store, appt, reason, comment, now);
      appointmentCancelled(ref, concept.appointmentBookingCancellationReasonType === 'PROVIDER' ? 'PROVIDER' : 'PATIENT', reason, now);
      return fhirJson(200, appointmentResource(appt, store, baseUrl), { ETag: `W/"${appt.version}"` });
    });
  },
};

function reasonConcept(concepts: SeedConcept[], coding: Json, now: Date): SeedConcept | undefined {
  if (!isReferenceSystem(coding.system, TYPE)) return undefined;
  const day = now.toISOString().slice(0, 10);
  return concepts.find((c) => c.code === coding.code && (!c.effectiveFrom || c.effectiveFrom <= day) && (!c.effectiveTo || c.effectiveTo > day));
}
