// The Advice & Guidance state machine (catalogue 8.3): who may see an A&G request, what each provider write needs,
// what it changes, and which requests the A&G worklist (A023) shows. Operations call adviceFor() and
// assertAdviceAllowed() before acting and the transition functions after; the worklist uses the same rules.
import { randomUUID } from 'node:crypto';
import { ErsError, unprocessable } from '../errors.ts';
import type { Caller } from '../http-types.ts';
import type { AdviceCategory } from '../seed/types.ts';
import type { Store, StoredAdviceAttachment, StoredAdviceMessage, StoredAdviceRequest, StoredAppointment, StoredReferral } from '../store.ts';
import { isReferrerSide, providerMayAct } from './relationship.ts';

export const REVIEW_OUTCOME_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1';
export const CONVERTED_REASON = 'PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER';

/** A026 outcomes (eRS-GuidanceResponseOutcome-1) and the category each leaves the request in. */
export const RESPONSE_OUTCOMES: Record<string, AdviceCategory | undefined> = {
  REQUIRE_FURTHER_INFORMATION: 'REFERRER_TO_SUBMIT_FURTHER_INFORMATION',
  RETURN_TO_REFERRER_WITH_ADVICE: 'REFERRER_TO_REVIEW_RESPONSE',
  // in the code system, but conversion is A027's job (catalogue 16.19)
  PROVIDER_CONVERTED: undefined,
};

/** Categories in which the conversation is still open; the A&G worklist lists these (8.5). */
export const IN_PROGRESS: readonly AdviceCategory[] = ['PROVIDER_RESPONSE_REQUIRED', 'REFERRER_TO_SUBMIT_FURTHER_INFORMATION', 'REFERRER_TO_REVIEW_RESPONSE'];

export type AdviceActivity = 'RESPOND' | 'CONVERT';

/** Referrers see the requests their organisation raised; providers those sent to a service whose workgroup they are in. */
export function hasAdviceRelationship(caller: Caller, a: StoredAdviceRequest, store: Store): boolean {
  if (isReferrerSide(caller)) return a.requesterOds === caller.ods;
  const service = store.services.get(a.service);
  return service !== undefined && providerMayAct(caller, service);
}

/**
 * 404 unknown UBRN, then INVALID_REQUEST_TYPE (a referral's UBRN), PATIENT_ERROR and NO_RELATIONSHIP at 422, or at 400
 * for A025, whose search answers its business errors with 400.
 */
export function adviceFor(store: Store, ubrn: string, caller: Caller, status: 400 | 422 = 422): StoredAdviceRequest {
  const fail = (code: string, issue: 'business-rule' | 'forbidden', msg: string) => new ErsError(status, issue, code, msg);
  const a = store.adviceRequests.get(ubrn);
  if (!a) {
    if (store.referrals.has(ubrn)) throw fail('INVALID_REQUEST_TYPE', 'business-rule', `ubrn: ${ubrn} is a referral, not an advice and guidance request`);
    throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `ubrn: no advice and guidance request with UBRN ${ubrn}`);
  }
  if (store.patients.get(a.patient)?.sensitive) throw fail('PATIENT_ERROR', 'business-rule', `subject: the patient record for advice and guidance request ${ubrn} cannot be used`);
  if (!hasAdviceRelationship(caller, a, store)) {
    throw fail('NO_RELATIONSHIP', 'forbidden', `ubrn: ${caller.onBehalfOf ?? caller.userId} at ${caller.ods} has no legitimate relationship with advice and guidance request ${ubrn}`);
  }
  return a;
}

/** Why the request's state does not allow the provider activity, or undefined when it does. */
export function adviceBlockedBecause(activity: AdviceActivity, a: StoredAdviceRequest): string | undefined {
  if (a.category !== 'PROVIDER_RESPONSE_REQUIRED' || a.status !== 'active') {
    return `advice and guidance request ${a.ubrn} is ${a.category} (status ${a.status}); the provider can only respond to or convert a request awaiting its response (PROVIDER_RESPONSE_REQUIRED)`;
  }
  if (activity === 'CONVERT' && a.conversion !== 'AUTHORISED_TO_CONVERT') {
    return `advice and guidance request ${a.ubrn} is ${a.conversion}: the referrer did not allow the provider to convert it to a referral`;
  }
  return undefined;
}

/** 422 INVALID_REQUEST_STATE unless the request's state allows the activity. */
export function assertAdviceAllowed(activity: AdviceActivity, a: StoredAdviceRequest): void {
  const why = adviceBlockedBecause(activity, a);
  if (why) throw unprocessable('INVALID_REQUEST_STATE', why);
}

/** The requests on a provider's A&G worklist: still in conversation, at a service the caller works for. */
export function adviceWorklist(store: Store, caller: Caller): StoredAdviceRequest[] {
  return [...store.adviceRequests.values()].filter((a) => a.status === 'active' && IN_PROGRESS.includes(a.category) && hasAdviceRelationship(caller, a, store));
}

/** Time e-RS takes to record a provider write at this service (seeded per service); the request stays locked meanwhile. */
export async function adviceProcessing(store: Store, a: StoredAdviceRequest): Promise<void> {
  // always yield once, so concurrent writes interleave as they would against e-RS
  await new Promise((resolve) => setTimeout(resolve, store.services.get(a.service)?.adviceLatencyMs ?? 0));
}

// --- transitions ----------------------------------------------------------------------------------

function touch(a: StoredAdviceRequest, now: Date): void {
  a.version += 1;
  a.lastUpdated = now.toISOString();
}

export interface NewMessage {
  sentBy: StoredAdviceMessage['sentBy'];
  caller: Caller;
  text: string;
  attachments: StoredAdviceAttachment[];
}

function addMessage(a: StoredAdviceRequest, m: NewMessage, now: Date): StoredAdviceMessage {
  const message: StoredAdviceMessage = {
    id: `${a.ubrn}-${a.messages.length + 1}`,
    sentBy: m.sentBy,
    author: m.caller.effectiveUserId,
    authorRole: m.caller.onBehalfOf ? 'SERVICE_PROVIDER_CLINICIAN' : m.caller.businessFunction,
    authorOds: m.caller.ods,
    sent: now.toISOString(),
    text: m.text,
    basedOnVersion: a.version,
    attachments: m.attachments,
  };
  a.messages.push(message);
  return message;
}

/** A044: a new request, PROVIDER_RESPONSE_REQUIRED at version 1, its first message from the referrer. */
export function createAdvice(store: Store, fields: Pick<StoredAdviceRequest, 'patient' | 'requester' | 'service' | 'conversion' | 'priority' | 'criteria' | 'specialty' | 'clinicType'> & { enteredBy?: string }, first: NewMessage, now: Date): StoredAdviceRequest {
  const created = now.toISOString();
  const a: StoredAdviceRequest = {
    ubrn: store.newUbrn(), requestId: `a.${randomUUID()}`, version: 1, requesterOds: first.caller.ods, status: 'active', category: 'PROVIDER_RESPONSE_REQUIRED',
    created, lastUpdated: created, messages: [], ...fields,
  };
  addMessage(a, first, now);
  store.adviceRequests.set(a.ubrn, a);
  for (const f of first.attachments) store.binaries.get(f.binaryId)!.linked = { ubrn: a.ubrn, type: f.type };
  return a;
}

/** A026: the provider's message; REQUIRE_FURTHER_INFORMATION / RETURN_TO_REFERRER_WITH_ADVICE hand it back to the referrer. */
export function recordResponse(store: Store, a: StoredAdviceRequest, outcome: AdviceCategory, priority: string, message: NewMessage, now: Date): StoredAdviceMessage {
  touch(a, now);
  const sent = addMessage(a, message, now);
  for (const f of message.attachments) store.binaries.get(f.binaryId)!.linked = { ubrn: a.ubrn, type: f.type };
  a.category = outcome;
  a.priority = priority;
  return sent;
}

/**
 * A027: the request becomes CONVERTED (status completed) with the provider's guidance as its last message, and a
 * referral with the same UBRN starts TRIAGED_PROVIDER_TO_ACTION with a proposed appointment at the A&G service.
 */
export function convertToReferral(
  store: Store, a: StoredAdviceRequest,
  c: { guidance: NewMessage; priority: string; reviewComments: string; reviewAttachments: StoredAdviceAttachment[] },
  now: Date,
): StoredReferral {
  touch(a, now);
  addMessage(a, c.guidance, now);
  a.category = 'CONVERTED';
  a.status = 'completed';
  const created = now.toISOString();
  const reason = { system: REVIEW_OUTCOME_SYSTEM, code: CONVERTED_REASON };
  const appt: StoredAppointment = {
    id: store.newAppointmentId(), version: 1, ubrn: a.ubrn, service: a.service, status: 'proposed', reason, comment: c.reviewComments, created, lastUpdated: created,
  };
  store.appointments.set(appt.id, appt);
  const ref: StoredReferral = {
    ubrn: a.ubrn,
    requestId: `r.${randomUUID()}`,
    version: 1,
    patient: a.patient,
    referrer: a.requester,
    referringOds: a.requesterOds,
    priority: c.priority,
    ...(a.specialty ? { specialty: a.specialty } : {}),
    ...(a.clinicType ? { clinicType: a.clinicType } : {}),
    criteria: structuredClone(a.criteria),
    shortlist: [a.service],
    state: 'TRIAGED_PROVIDER_TO_ACTION',
    stateReason: reason,
    status: 'active',
    letterIntention: 'NOT_INTENDING_TO_ADD',
    letterAttached: false,
    letters: [],
    created,
    lastUpdated: created,
    pathwayStart: a.created,
    clinicalInfoFirstSubmitted: a.created,
    commissioningRuleOrg: store.organisations.get(a.requesterOds)?.commissioner ?? a.requesterOds,
    appointmentId: appt.id,
    deferredTo: a.service,
  };
  store.referrals.set(ref.ubrn, ref);
  for (const f of c.guidance.attachments) store.binaries.get(f.binaryId)!.linked = { ubrn: a.ubrn, type: f.type };
  for (const f of c.reviewAttachments) store.binaries.get(f.binaryId)!.linked = { ubrn: a.ubrn, type: f.type };
  return ref;
}
