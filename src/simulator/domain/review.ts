// Provider review (catalogue 8.1): the transitions of A013 accept, A014 reject, A022 cancel appointment action later and
// A028 record triage outcome, and the PROVIDER attachments A022/A028 link (8.4). Operations check the state first with
// lifecycle.assertAllowed(); A029 reads the same rules, so what it offers is what these writes accept.
import { unprocessable } from '../errors.ts';
import { storedBinaryOf } from './attachments.ts';
import type { Caller } from '../http-types.ts';
import type { SeedCoding } from '../seed/types.ts';
import type { Store, StoredAppointment, StoredProviderAttachment, StoredReferral } from '../store.ts';
import { cancelAppointment, REVIEW_OUTCOME_SYSTEM, touch } from './lifecycle.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const ATTACHMENT_TYPE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AttachmentType-1';
const MAX_DESCRIPTION = 200;

function record(ref: StoredReferral, caller: Caller, activity: string, outcome: string, comments: string | undefined, now: Date): void {
  (ref.providerActivity ??= []).push({ at: now.toISOString(), by: caller.effectiveUserId, activity, outcome, ...(comments ? { comments } : {}) });
}

/** A013: the booked referral is reviewed and accepted; it stays BOOKED and leaves REFERRALS_FOR_REVIEW. */
export function acceptReferral(ref: StoredReferral, caller: Caller, now: Date): void {
  ref.reviewed = { outcome: 'ACCEPTED', at: now.toISOString(), by: caller.effectiveUserId };
  record(ref, caller, 'A013 accept referral', 'ACCEPTED', undefined, now);
  touch(ref, now);
}

/** A014: BOOKED -> REJECTED with the reason; the appointment is cancelled; the referrer sees it on REJECTED_TRIAGE_RESPONSE. */
export function rejectReferral(store: Store, ref: StoredReferral, appt: StoredAppointment, reason: SeedCoding, comments: string | undefined, caller: Caller, now: Date): void {
  cancelAppointment(store, appt, reason, comments, now);
  ref.state = 'REJECTED';
  ref.stateReason = reason;
  delete ref.booking;
  record(ref, caller, 'A014 reject referral', reason.code, comments, now);
  touch(ref, now);
}

function proposeForProvider(store: Store, ref: StoredReferral, service: string, outcome: string, comments: string, now: Date): void {
  const appt: StoredAppointment = {
    id: store.newAppointmentId(), version: 1, ubrn: ref.ubrn, service, status: 'proposed',
    reason: { system: REVIEW_OUTCOME_SYSTEM, code: outcome }, comment: comments, created: now.toISOString(), lastUpdated: now.toISOString(),
  };
  store.appointments.set(appt.id, appt);
  ref.appointmentId = appt.id;
  ref.deferredTo = service;
}

/**
 * A022: the booked appointment is cancelled and a proposed one asks the provider's admin team to act later:
 * -> TRIAGED_PROVIDER_TO_ACTION (reason CANCEL_APPOINTMENT_ACTION_LATER); the priority may change.
 */
export function cancelAppointmentActionLater(store: Store, ref: StoredReferral, appt: StoredAppointment, change: { comments: string; priority?: string; attachments: StoredProviderAttachment[] }, caller: Caller, now: Date): void {
  const outcome = 'CANCEL_APPOINTMENT_ACTION_LATER';
  cancelAppointment(store, appt, { system: REVIEW_OUTCOME_SYSTEM, code: outcome }, change.comments, now);
  proposeForProvider(store, ref, appt.service, outcome, change.comments, now);
  ref.state = 'TRIAGED_PROVIDER_TO_ACTION';
  ref.stateReason = { system: REVIEW_OUTCOME_SYSTEM, code: outcome };
  if (change.priority) ref.priority = change.priority;
  delete ref.booking;
  linkProviderAttachments(store, ref, change.attachments);
  record(ref, caller, 'A022 cancel appointment, action later', outcome, change.comments, now);
  touch(ref, now);
}

/**
 * A028: AWAITING_TRIAGE / DEFERRED_TO_PROVIDER -> TRIAGE_RESPONSE (RETURN_TO_REFERRER_WITH_ADVICE, back to the referrer)
 * or TRIAGED_PROVIDER_TO_ACTION (ACCEPT_REFER_BOOK_LATER, the provider's admin team books later).
 */
export function recordReviewOutcome(store: Store, ref: StoredReferral, outcome: 'RETURN_TO_REFERRER_WITH_ADVICE' | 'ACCEPT_REFER_BOOK_LATER', change: { comments: string; priority?: string; attachments: StoredProviderAttachment[] }, caller: Caller, now: Date): void {
  const service = ref.deferredTo ?? ref.shortlist[0] ?? '';
  proposeForProvider(store, ref, service, outcome, change.comments, now);
  ref.state = outcome === 'RETURN_TO_REFERRER_WITH_ADVICE' ? 'TRIAGE_RESPONSE' : 'TRIAGED_PROVIDER_TO_ACTION';
  ref.stateReason = { system: REVIEW_OUTCOME_SYSTEM, code: outcome };
  if (change.priority) ref.priority = change.priority;
  linkProviderAttachments(store, ref, change.attachments);
  record(ref, caller, 'A028 record triage outcome', outcome, change.comments, now);
  touch(ref, now);
}

function linkProviderAttachments(store: Store, ref: StoredReferral, attachments: StoredProviderAttachment[]): void {
  for (const a of attachments) store.binaries.get(a.binaryId)!.linked = { ubrn: ref.ubrn, type: 'PROVIDER' };
  if (attachments.length) ref.providerAttachments = [...(ref.providerAttachments ?? []), ...attachments];
}

/** Parameters of one name that may repeat (providerAttachmentFile, reviewAttachmentFile), with their paths; the rest is left. */
export function takeRepeated(body: unknown, name: string): { rest: Json; items: { path: string; resource: unknown }[] } {
  if (!isObject(body) || !Array.isArray(body.parameter)) return { rest: body as Json, items: [] };
  const items: { path: string; resource: unknown }[] = [];
  const kept: unknown[] = [];
  body.parameter.forEach((p: unknown, i) => {
    if (isObject(p) && p.name === name) items.push({ path: `parameter[${i}]`, resource: p.resource });
    else kept.push(p);
  });
  return { rest: { ...body, parameter: kept }, items };
}

/**
 * PROVIDER DocumentReferences (A022 providerAttachmentFile, A028 reviewAttachmentFile) checked against the document
 * store: type PROVIDER, status current, description <= 200, a file uploaded for this referral and not yet linked, no
 * file name twice among them or the referral's attachments.
 */
export function readProviderAttachments(items: { path: string; resource: unknown }[], ref: StoredReferral, store: Store, caller: Caller, now: Date): StoredProviderAttachment[] {
  const names = new Map<string, string>();
  for (const existing of [...ref.letters.map((l) => l.binaryId), ...(ref.providerAttachments ?? []).map((a) => a.binaryId)]) {
    const f = store.binaries.get(existing);
    if (f) names.set(f.fileName.toLowerCase(), `an attachment already on referral ${ref.ubrn}`);
  }
  return items.map(({ path, resource: doc }) => {
    const r = `${path}.resource`;
    if (!isObject(doc) || doc.resourceType !== 'DocumentReference') throw unprocessable('INVALID_FHIR_STRUCTURE', `${r}: expected a DocumentReference resource`);
    const type = isObject(doc.type) && Array.isArray(doc.type.coding) && isObject(doc.type.coding[0]) ? doc.type.coding[0] : undefined;
    if (!type) throw unprocessable('MISSING_VALUE', `${r}.type: the attachment type (PROVIDER) is required`);
    if (type.system !== ATTACHMENT_TYPE_SYSTEM || type.code !== 'PROVIDER') throw unprocessable('INAPPROPRIATE_VALUE', `${r}.type.coding[0]: a provider attachment has type ${ATTACHMENT_TYPE_SYSTEM}#PROVIDER, got ${String(type.code)}`);
    if (doc.status !== 'current') throw unprocessable('INAPPROPRIATE_VALUE', `${r}.status: must be 'current', got '${String(doc.status)}'`);
    const description = typeof doc.description === 'string' ? doc.description : '';
    if (description.length > MAX_DESCRIPTION) throw unprocessable('INVALID_VALUE', `${r}.description: ${description.length} characters, at most ${MAX_DESCRIPTION}`);
    const { id, file, attachment } = storedBinaryOf(doc, r, store);
    if (file.linked) throw unprocessable('INVALID_STATE', `${r}.content[0].attachment.url: Binary/${id} is already linked as a ${file.linked.type} attachment of ${file.linked.ubrn}`);
    if (!file.intendedUbrn) throw unprocessable('INAPPROPRIATE_VALUE', `${r}.content[0].attachment.url: Binary/${id} was uploaded without NHSD-eRS-Referral-ID`);
    if (file.intendedUbrn !== ref.ubrn) throw unprocessable('REFERENCE_NOT_FOUND', `${r}.content[0].attachment.url: Binary/${id} was uploaded for ${file.intendedUbrn}, not referral ${ref.ubrn}`);
    const clash = names.get(file.fileName.toLowerCase());
    if (clash) throw unprocessable('DUPLICATE_FILENAME', `${r}: file name '${file.fileName}' is already used by ${clash}`);
    names.set(file.fileName.toLowerCase(), path);
    return { binaryId: id, description, indexed: now.toISOString(), attachedBy: caller.effectiveUserId, attachedByOds: caller.ods };
  });
}
