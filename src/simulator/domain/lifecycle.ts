// The referral state machine (catalogue 8.1/8.2): what each activity needs, what it changes, and the actions A029
// offers. Operations call assertAllowed() before acting and the transition functions after; A029 calls
// availableActions() — one set of rules for both.
import { unprocessable } from '../errors.ts';
import type { Caller } from '../http-types.ts';
import type { SeedCoding } from '../seed/types.ts';
import type { Store, StoredAppointment, StoredReferral } from '../store.ts';
import { hasRelationship, isReferrerSide } from './relationship.ts';

/** eRS-AvailableActionsForUser-1 codes (A029), in the order A029 lists them. */
export const REFERRER_ACTIONS = ['CREATE_APPOINTMENT', 'CHANGE_SHORTLIST', 'CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE', 'CANCEL_DIRECTLY_BOOKED_APPOINTMENT', 'CANCEL_REFERRAL'] as const;
export const PROVIDER_ACTIONS = ['RECORD_REVIEW_OUTCOME', 'CANCEL_REFERRAL'] as const;
export type ReferralAction = (typeof REFERRER_ACTIONS)[number] | (typeof PROVIDER_ACTIONS)[number];
/** Activities guarded by the state machine: the A029 actions plus the letter operations A029 does not report. */
export type Activity = ReferralAction | 'MAINTAIN_REFERRAL_LETTER' | 'GENERATE_PATIENT_LETTER' | 'REVIEW_BOOKED_REFERRAL';

/** Unbooked states: a booking, deferral or triage request may be made (A016). */
export const UNBOOKED_STATES = ['NOT_BOOKED', 'APPT_CANCELLED_BY_PATIENT', 'APPT_CANCELLED_BY_PROVIDER'];
/** States a referrer may change the shortlist from (A031/A032): unbooked, or returned to the referrer. */
export const SHORTLIST_CHANGE_STATES = [...UNBOOKED_STATES, 'REJECTED', 'TRIAGE_RESPONSE'];
/** States a provider records a review outcome in (A028). */
export const REVIEW_STATES = ['AWAITING_TRIAGE', 'DEFERRED_TO_PROVIDER'];

export const REVIEW_REASON_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewReason-1';
export const REVIEW_OUTCOME_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1';
/** Services a booked referral can be reviewed at with A013/A014/A022 (not triage services). */
const BOOKABLE = ['DIRECTLY_BOOKABLE', 'INDIRECTLY_BOOKABLE'];

/** Clinical information is there for the provider: a letter is attached, or the referrer intends to add none. */
export function hasClinicalInformation(ref: StoredReferral): boolean {
  return ref.letterAttached || ref.letterIntention === 'NOT_INTENDING_TO_ADD';
}

export function currentAppointment(ref: StoredReferral, store: Store): StoredAppointment | undefined {
  return ref.appointmentId ? store.appointments.get(ref.appointmentId) : undefined;
}

/** Why the referral's state does not allow the activity, or undefined when it does. */
export function blockedBecause(activity: Activity, ref: StoredReferral, store: Store, now: Date): string | undefined {
  if (ref.status !== 'active') return `referral ${ref.ubrn} is ${ref.status} (state ${ref.state}); no further action is possible`;
  const appt = currentAppointment(ref, store);
  const booked = appt?.status === 'booked' ? appt : undefined;
  switch (activity) {
    case 'CREATE_APPOINTMENT':
      return UNBOOKED_STATES.includes(ref.state) ? undefined : `referral ${ref.ubrn} is ${ref.state}; only an unbooked referral (${UNBOOKED_STATES.join(', ')}) can be booked, deferred or sent for triage`;
    case 'CHANGE_SHORTLIST':
    case 'CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE':
      return SHORTLIST_CHANGE_STATES.includes(ref.state) ? undefined : `referral ${ref.ubrn} is ${ref.state}; the shortlist can only change in ${SHORTLIST_CHANGE_STATES.join(', ')}`;
    case 'CANCEL_DIRECTLY_BOOKED_APPOINTMENT': {
      if (ref.state !== 'BOOKED' || !booked) return `referral ${ref.ubrn} is ${ref.state} with no booked appointment`;
      if (store.services.get(booked.service)?.bookableType !== 'DIRECTLY_BOOKABLE') return `appointment ${booked.id} is at an indirectly bookable service; only directly booked appointments can be cancelled through the API`;
      if (Date.parse(booked.start ?? '') < now.getTime()) return `appointment ${booked.id} was on ${booked.start}; a past appointment cannot be cancelled`;
      return undefined;
    }
    case 'CANCEL_REFERRAL':
      return undefined;
    case 'RECORD_REVIEW_OUTCOME':
      if (!REVIEW_STATES.includes(ref.state)) return `referral ${ref.ubrn} is ${ref.state}; review outcomes are recorded only in ${REVIEW_STATES.join(', ')}`;
      // an appointment slot issue is reviewed once its clinical information is there (catalogue 8.1)
      if (ref.state === 'DEFERRED_TO_PROVIDER' && !hasClinicalInformation(ref)) return `referral ${ref.ubrn} is deferred to the provider but its referral letter has not been added yet`;
      return undefined;
    case 'REVIEW_BOOKED_REFERRAL': {
      // A013 / A014 / A022: a booking into a bookable service, pending review (catalogue 8.1)
      if (ref.state !== 'BOOKED' || !booked) return `referral ${ref.ubrn} is ${ref.state}; only a referral booked into a bookable service can be accepted, rejected or have its appointment cancelled to action later`;
      const type = store.services.get(booked.service)?.bookableType ?? '';
      if (!BOOKABLE.includes(type)) return `referral ${ref.ubrn} is booked at service ${booked.service}, which is not a bookable service; record a triage outcome (A028) instead`;
      if ((booked.start ?? '').slice(0, 10) < now.toISOString().slice(0, 10)) return `the appointment of referral ${ref.ubrn} was on ${booked.start}; a past appointment cannot be reviewed`;
      if (ref.reviewed) return `referral ${ref.ubrn} was already reviewed (${ref.reviewed.outcome} on ${ref.reviewed.at}); it is no longer pending review`;
      if (!hasClinicalInformation(ref)) return `referral ${ref.ubrn}: the referrer still intends to add a referral letter, so the referral cannot be reviewed yet`;
      return undefined;
    }
    case 'MAINTAIN_REFERRAL_LETTER':
      if (ref.state === 'DID_NOT_ATTEND') return `referral ${ref.ubrn} is ${ref.state}`;
      if (booked && Date.parse(booked.start ?? '') < now.getTime()) return `the appointment of referral ${ref.ubrn} (${booked.start}) is in the past`;
      return undefined;
    case 'GENERATE_PATIENT_LETTER':
      return undefined;
  }
}

/** 422 INVALID_REQUEST_STATE unless the referral's state allows the activity. */
export function assertAllowed(activity: Activity, ref: StoredReferral, store: Store, now: Date): void {
  const why = blockedBecause(activity, ref, store, now);
  if (why) throw unprocessable('INVALID_REQUEST_STATE', why);
}

/** A029: the actions this caller may take on this referral now (empty without a relationship). */
export function availableActions(ref: StoredReferral, caller: Caller, store: Store, now: Date): ReferralAction[] {
  if (!hasRelationship(caller, ref, store)) return [];
  const candidates: readonly ReferralAction[] = isReferrerSide(caller) ? REFERRER_ACTIONS : PROVIDER_ACTIONS;
  return candidates.filter((a) => blockedBecause(a, ref, store, now) === undefined);
}

// --- transitions ----------------------------------------------------------------------------------

/** Every successful write: version + 1. */
export function touch(ref: StoredReferral, now: Date): void {
  ref.version += 1;
  ref.lastUpdated = now.toISOString();
}

function touchAppointment(appt: StoredAppointment, now: Date): void {
  appt.version += 1;
  appt.lastUpdated = now.toISOString();
}

function newAppointment(store: Store, ref: StoredReferral, fields: Omit<StoredAppointment, 'id' | 'version' | 'ubrn' | 'created' | 'lastUpdated'>, now: Date): StoredAppointment {
  const appt: StoredAppointment = { id: store.newAppointmentId(), version: 1, ubrn: ref.ubrn, created: now.toISOString(), lastUpdated: now.toISOString(), ...fields };
  store.appointments.set(appt.id, appt);
  ref.appointmentId = appt.id;
  return appt;
}

/** A016 booked: NOT_BOOKED -> BOOKED; the slot becomes busy. */
export function bookAppointment(store: Store, ref: StoredReferral, b: { service: string; slot: string; start: string; end: string; clinician?: string }, now: Date): StoredAppointment {
  const appt = newAppointment(store, ref, { service: b.service, status: 'booked', start: b.start, end: b.end, slot: b.slot, ...(b.clinician ? { clinician: b.clinician } : {}) }, now);
  const slot = store.slots.get(b.slot);
  if (slot) slot.status = 'busy';
  ref.state = 'BOOKED';
  delete ref.stateReason;
  delete ref.deferredTo;
  ref.booking = { service: b.service, appointmentId: appt.id, slot: b.slot, start: b.start, end: b.end, status: 'booked', ...(b.clinician ? { clinician: b.clinician } : {}) };
  if (b.clinician) ref.allocatedClinician = b.clinician;
  touch(ref, now);
  return appt;
}

/** A016 proposed / A021 / A032: -> DEFERRED_TO_PROVIDER (deferral reasons) or AWAITING_TRIAGE (TRIAGE). */
export function proposeAppointment(store: Store, ref: StoredReferral, p: { service: string; reason: string; comment?: string; slot?: string; clinician?: string }, now: Date, bump = true): StoredAppointment {
  const appt = newAppointment(store, ref, {
    service: p.service, status: 'proposed', reason: { system: REVIEW_REASON_SYSTEM, code: p.reason },
    ...(p.comment ? { comment: p.comment } : {}), ...(p.slot ? { slot: p.slot } : {}), ...(p.clinician ? { clinician: p.clinician } : {}),
  }, now);
  ref.state = p.reason === 'TRIAGE' ? 'AWAITING_TRIAGE' : 'DEFERRED_TO_PROVIDER';
  ref.stateReason = { system: REVIEW_REASON_SYSTEM, code: p.reason };
  ref.deferredTo = p.service;
  delete ref.booking;
  if (p.clinician) ref.allocatedClinician = p.clinician;
  if (bump) touch(ref, now);
  return appt;
}

/** A034 / A036: the current appointment is cancelled; its slot is offered again. */
export function cancelAppointment(store: Store, appt: StoredAppointment, reason: SeedCoding, comment: string | undefined, now: Date): void {
  appt.status = 'cancelled';
  appt.reason = reason;
  if (comment) appt.comment = comment;
  else delete appt.comment;
  touchAppointment(appt, now);
  const slot = appt.slot ? store.slots.get(appt.slot) : undefined;
  if (slot && Date.parse(slot.start) > now.getTime()) slot.status = 'free';
}

/** A034: BOOKED -> APPT_CANCELLED_BY_PATIENT | APPT_CANCELLED_BY_PROVIDER, by who asked for the cancellation. */
export function appointmentCancelled(ref: StoredReferral, byWhom: 'PATIENT' | 'PROVIDER', reason: SeedCoding, now: Date): void {
  ref.state = byWhom === 'PROVIDER' ? 'APPT_CANCELLED_BY_PROVIDER' : 'APPT_CANCELLED_BY_PATIENT';
  ref.stateReason = reason;
  delete ref.booking;
  touch(ref, now);
}

/** A031 / A032: new shortlist and criteria; back to NOT_BOOKED. */
export function replaceShortlist(ref: StoredReferral, s: Pick<StoredReferral, 'shortlist' | 'criteria' | 'letterIntention' | 'priority'> & { specialty?: string; clinicType?: string; letterDue?: string }, now: Date, bump = true): void {
  ref.shortlist = s.shortlist;
  ref.criteria = s.criteria;
  ref.letterIntention = s.letterIntention;
  ref.priority = s.priority;
  if (s.specialty) ref.specialty = s.specialty;
  if (s.clinicType) ref.clinicType = s.clinicType;
  if (s.letterDue) ref.letterDue = s.letterDue;
  ref.state = 'NOT_BOOKED';
  delete ref.stateReason;
  delete ref.deferredTo;
  delete ref.booking;
  if (bump) touch(ref, now);
}

/** A036: TERMINAL — status cancelled, state CANCELLED_REFERRAL. */
export function cancelReferral(ref: StoredReferral, reason: SeedCoding, now: Date): void {
  ref.status = 'cancelled';
  ref.state = 'CANCELLED_REFERRAL';
  ref.stateReason = reason;
  delete ref.booking;
  touch(ref, now);
}

/** A012: the referral letters are replaced as a whole. */
export function replaceLetters(ref: StoredReferral, letters: StoredReferral['letters'], now: Date): void {
  ref.letters = letters;
  ref.letterAttached = letters.length > 0;
  if (!ref.clinicalInfoFirstSubmitted && letters.length > 0) ref.clinicalInfoFirstSubmitted = now.toISOString();
  touch(ref, now);
}
