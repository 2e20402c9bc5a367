// A016 Book or defer appointment: POST /STU3/Appointment (RC, RCA; UR only). booked -> BOOKED (DBS slot, PAS booking);
// proposed -> DEFERRED_TO_PROVIDER (deferral reasons) or AWAITING_TRIAGE (TRIAGE). The referral version travels in
// incomingReferral[0].reference (ReferralRequest/{ubrn}/_history/{n}), not in If-Match.
import { assertCurrentVersion, parseVersionedReference, withReferralLock } from '../domain/concurrency.ts';
import { assertAllowed, bookAppointment, proposeAppointment, REVIEW_REASON_SYSTEM } from '../domain/lifecycle.ts';
import { callPas } from '../domain/pas.ts';
import { referralFor } from '../domain/referrals.ts';
import { freeSlots } from '../domain/slots.ts';
import { unprocessable } from '../errors.ts';
import { appointmentResource } from '../fhir/appointment.ts';
import { ID } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { Service } from '../seed/types.ts';
import type { Store, StoredReferral } from '../store.ts';
import type { OperationImpl } from './types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export const DEFERRAL_REASONS = ['NO_SLOTS_AT_SERVICE', 'SLOT_NOT_AVAILABLE', 'BOOKING_ATTEMPT_PROBLEM', 'TRIAGE'];
export const APPOINTMENT_DESCRIPTION = 'e-Referral Appointment';

interface Participants { service: { id: string; path: string }; patient: { value: string; path: string }; clinician?: string }

export const bookOrDeferAppointment: OperationImpl = {
  ids: ['A016'],
  requestResourceType: 'Appointment',
  async handle({ body, store, caller, now, baseUrl }) {
    const appt = body as Json;
    if (appt.status !== 'booked' && appt.status !== 'proposed') throw unprocessable('INVALID_VALUE', `status: must be 'booked' (book a slot) or 'proposed' (defer or send for triage), got '${String(appt.status)}'`);
    if (appt.description !== APPOINTMENT_DESCRIPTION) throw unprocessable('INVALID_VALUE', `description: must be exactly '${APPOINTMENT_DESCRIPTION}'`);
    const incoming = Array.isArray(appt.incomingReferral) ? appt.incomingReferral[0] : undefined;
    const reference = isObject(incoming) && typeof incoming.reference === 'string' ? incoming.reference : undefined;
    if (!reference) throw unprocessable('MISSING_VALUE', 'incomingReferral[0].reference: the referral (ReferralRequest/{ubrn}/_history/{version}) is required');
    const target = parseVersionedReference(reference, 'ReferralRequest');
    if (!target) throw unprocessable('INVALID_VALUE', `incomingReferral[0].reference: '${reference}' is not ReferralRequest/{ubrn}/_history/{version}`);
    if (target.version === undefined) throw unprocessable('MISSING_VALUE', `incomingReferral[0].reference: '${reference}' must carry the referral version as /_history/{version}`);
    if (!store.referrals.has(target.id) && !store.adviceRequests.has(target.id)) throw unprocessable('REFERENCE_NOT_FOUND', `incomingReferral[0].reference: no referral with UBRN ${target.id}`);
    // a converted A&G request is a referral too (same UBRN); only an A&G request that is not one is refused here
    if (!store.referrals.has(target.id) && store.adviceRequests.has(target.id)) throw unprocessable('INAPPROPRIATE_VALUE', `incomingReferral[0].reference: ${target.id} is an advice and guidance request, not a referral`);
    const ref = referralFor(store, target.id, caller);
    const who = readParticipants(appt);
    const sentVersion = target.version;

    return withReferralLock(store, ref.ubrn, async () => {
      assertCurrentVersion(sentVersion, ref.version, `referral ${ref.ubrn}`);
      if (who.patient.value !== ref.patient) throw unprocessable('INAPPROPRIATE_VALUE', `${who.patient.path}: patient ${who.patient.value} is not the patient of referral ${ref.ubrn}`);
      assertAllowed('CREATE_APPOINTMENT', ref, store, now);
      const service = store.services.get(who.service.id);
      if (!service) throw unprocessable('REFERENCE_NOT_FOUND', `${who.service.path}: service ${who.service.id} is not known`);
      if (!ref.shortlist.includes(service.id)) throw unprocessable('INAPPROPRIATE_VALUE', `${who.service.path}: service ${service.id} is not on the shortlist of referral ${ref.ubrn}`);
      if (!service.active) throw unprocessable('SERVICE_UNAVAILABLE', `${who.service.path}: service ${service.id} is no longer available (inactive, unpublished or out of date)`);
      const created = appt.status === 'booked' ? await book(store, ref, service, appt, who, now) : propose(store, ref, service, appt, who, now);
      return fhirJson(201, appointmentResource(created, store, baseUrl), { ETag: `W/"${created.version}"` });
    });
  },
};

function readParticipants(appt: Json): Participants {
  const list = Array.isArray(appt.participant) ? appt.participant : [];
  let service: Participants['service'] | undefined;
  let patient: Participants['patient'] | undefined;
  let clinician: string | undefined;
  list.forEach((p: unknown, i) => {
    const id = isObject(p) && isObject(p.actor) && isObject(p.actor.identifier) ? p.actor.identifier : undefined;
    if (!id || typeof id.value !== 'string') return;
    const path = `participant[${i}].actor.identifier.value`;
    if (id.system === ID.ersService) service = { id: id.value, path };
    else if (id.system === ID.nhsNumber) patient = { value: id.value, path };
    else if (id.system === ID.sdsUser) clinician = id.value;
  });
  if (!service) throw unprocessable('MISSING_VALUE', `participant: a service participant (${ID.ersService}) is required`);
  if (!patient) throw unprocessable('MISSING_VALUE', `participant: a patient participant (${ID.nhsNumber}) is required`);
  return { service, patient, ...(clinician ? { clinician } : {}) };
}

function slotRef(appt: Json): string | undefined {
  const slot = Array.isArray(appt.slot) ? appt.slot[0] : undefined;
  const reference = isObject(slot) && typeof slot.reference === 'string' ? slot.reference : undefined;
  if (reference === undefined) return undefined;
  const m = /^Slot\/([^/]+)$/.exec(reference);
  if (!m) throw unprocessable('INVALID_VALUE', `slot[0].reference: '${reference}' is not Slot/{id}`);
  return m[1];
}

async function book(store: Store, ref: StoredReferral, service: Service, appt: Json, who: Participants, now: Date) {
  if (service.bookableType !== 'DIRECTLY_BOOKABLE') throw unprocessable('INVALID_STATE', `${who.service.path}: service ${service.id} is not directly bookable; an indirectly bookable service books by phone`);
  const slotId = slotRef(appt);
  if (!slotId) throw unprocessable('MISSING_VALUE', 'slot[0].reference: a booking needs the Slot/{id} chosen from A015');
  const slot = store.slots.get(slotId);
  if (!slot) throw unprocessable('REFERENCE_NOT_FOUND', `slot[0].reference: slot ${slotId} does not exist`);
  if (!ref.shortlist.includes(slot.service)) throw unprocessable('INAPPROPRIATE_VALUE', `slot[0].reference: slot ${slotId} belongs to service ${slot.service}, which is not on the shortlist`);
  if (slot.service !== service.id) throw unprocessable('INAPPROPRIATE_SLOT', `slot[0].reference: slot ${slotId} belongs to service ${slot.service}, not ${service.id}; search the slots again`);
  if (slot.status !== 'free') throw unprocessable('SLOT_NOT_AVAILABLE', `slot[0].reference: slot ${slotId} is no longer available`);
  if ((appt.start !== undefined && appt.start !== slot.start) || (appt.end !== undefined && appt.end !== slot.end)) {
    throw unprocessable('INAPPROPRIATE_SLOT', `start/end: ${String(appt.start)}..${String(appt.end)} do not match slot ${slotId} (${slot.start}..${slot.end}); search the slots again`);
  }
  if (slot.clinician && who.clinician !== slot.clinician) {
    throw unprocessable('INAPPROPRIATE_SLOT', `participant: slot ${slotId} is with clinician ${slot.clinician}; book it with that AllocatedClinician participant`);
  }
  if (!slot.clinician && who.clinician) throw unprocessable('INAPPROPRIATE_SLOT', `participant: slot ${slotId} is not with a named clinician, but clinician ${who.clinician} was given`);
  await callPas(service, 'book');
  // re-check after the PAS round trip: the slot may have gone meanwhile (another referral booked it)
  if (slot.status !== 'free') throw unprocessable('SLOT_NOT_AVAILABLE', `slot[0].reference: slot ${slotId} was booked by someone else meanwhile`);
  return bookAppointment(store, ref, { service: service.id, slot: slot.id, start: slot.start, end: slot.end, ...(slot.clinician ? { clinician: slot.clinician } : {}) }, now);
}

function propose(store: Store, ref: StoredReferral, service: Service, appt: Json, who: Participants, now: Date) {
  const reasonCoding = Array.isArray(appt.reason) && isObject(appt.reason[0]) && Array.isArray(appt.reason[0].coding) ? appt.reason[0].coding[0] : undefined;
  if (!isObject(reasonCoding) || typeof reasonCoding.code !== 'string') throw unprocessable('MISSING_VALUE', 'reason[0].coding[0]: a deferral or triage request needs an eRS-ReviewReason-1 reason');
  const reason = reasonCoding.code;
  if (reasonCoding.system !== REVIEW_REASON_SYSTEM || !DEFERRAL_REASONS.includes(reason)) {
    throw unprocessable('INVALID_CODE', `reason[0].coding[0]: '${String(reasonCoding.system)}#${reason}' is not one of ${DEFERRAL_REASONS.join(', ')} (${REVIEW_REASON_SYSTEM})`);
  }
  const slotId = slotRef(appt);
  const comment = typeof appt.comment === 'string' ? appt.comment : undefined;
  if (reason === 'TRIAGE') {
    if (slotId) throw unprocessable('INAPPROPRIATE_VALUE', 'slot[0].reference: a slot is only given with a SLOT_NOT_AVAILABLE deferral');
    if (!service.flows.includes('TRIAGE_REQUEST')) throw unprocessable('INAPPROPRIATE_VALUE', `${who.service.path}: service ${service.id} does not support the triage request flow`);
    return proposeAppointment(store, ref, { service: service.id, reason, ...(comment ? { comment } : {}), ...(who.clinician ? { clinician: who.clinician } : {}) }, now);
  }
  if (service.bookableType !== 'DIRECTLY_BOOKABLE') throw unprocessable('INVALID_STATE', `${who.service.path}: service ${service.id} is not directly bookable; only directly bookable services take deferrals`);
  if (reason === 'SLOT_NOT_AVAILABLE') {
    if (!slotId) throw unprocessable('MISSING_VALUE', 'slot[0].reference: a SLOT_NOT_AVAILABLE deferral names the slot that could not be booked');
    const slot = store.slots.get(slotId);
    if (!slot) throw unprocessable('REFERENCE_NOT_FOUND', `slot[0].reference: slot ${slotId} does not exist`);
    if (slot.service !== service.id) throw unprocessable('INAPPROPRIATE_SLOT', `slot[0].reference: slot ${slotId} belongs to service ${slot.service}, not ${service.id}`);
    if (slot.status === 'free') throw unprocessable('THIS_SLOT_IS_AVAILABLE', `slot[0].reference: slot ${slotId} is still free; book it instead of deferring`);
  } else if (slotId) {
    throw unprocessable('INAPPROPRIATE_VALUE', `slot[0].reference: a slot is only given with a SLOT_NOT_AVAILABLE deferral, not ${reason}`);
  }
  if (reason === 'NO_SLOTS_AT_SERVICE' && service.priorities.includes(ref.priority) && freeSlots(store.slots, service.id).length > 0) {
    throw unprocessable('SLOTS_CURRENTLY_AVAILABLE', `reason: service ${service.id} has free slots; book one (A015) instead of deferring with NO_SLOTS_AT_SERVICE`);
  }
  return proposeAppointment(store, ref, { service: service.id, reason, ...(comment ? { comment } : {}), ...(slotId ? { slot: slotId } : {}) }, now);
}
