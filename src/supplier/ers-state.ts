// e-RS-side effects: what the supplier's requests did to the harness's e-RS (the simulator's state).
import { createHash } from 'node:crypto';
import { availability, onWorklist, type Availability, type Store, type StoredReferral } from '../simulator/index.ts';

export interface ReferralFacts {
  ubrn: string;
  state: string;
  status: string;
  version: number;
  letters: number;
  booked: boolean;
  shortlist: string[];
}

export function referralFacts(store: Store, ubrn: string): ReferralFacts | undefined {
  const r = store.referrals.get(ubrn);
  return r ? facts(r) : undefined;
}

function facts(r: StoredReferral): ReferralFacts {
  return { ubrn: r.ubrn, state: r.state, status: r.status, version: r.version, letters: r.letters.length, booked: !!r.booking, shortlist: [...r.shortlist] };
}

/** Referrals for the patient created at or after the given e-RS time (the scenario's window). */
export function referralsCreatedSince(store: Store, patient: string, since: Date): ReferralFacts[] {
  return [...store.referrals.values()].filter((r) => r.patient === patient && Date.parse(r.created) >= since.getTime() - 1000).map(facts);
}

export function describeFacts(f: ReferralFacts | undefined, ubrn: string): string {
  if (!f) return `e-RS holds no referral ${ubrn}`;
  return `referral ${f.ubrn}: state ${f.state}, status ${f.status}, version ${f.version}, ${f.letters} letter(s)${f.booked ? ', booked' : ''}, shortlist ${f.shortlist.join(', ')}`;
}

// ---- the provider side: review outcome, attachments, worklists ----

export interface ReviewFacts extends ReferralFacts {
  reviewed: boolean;
  reason: string | undefined;
  /** the last provider activity e-RS recorded (A013 / A014 / A028), with its outcome and comments */
  lastActivity: { activity: string; outcome: string; comments?: string } | undefined;
}

export function reviewFacts(store: Store, ubrn: string): ReviewFacts | undefined {
  const r = store.referrals.get(ubrn);
  if (!r) return undefined;
  const last = r.providerActivity?.at(-1);
  return { ...facts(r), reviewed: !!r.reviewed, reason: r.stateReason?.code, lastActivity: last ? { activity: last.activity, outcome: last.outcome, ...(last.comments !== undefined ? { comments: last.comments } : {}) } : undefined };
}

export function describeReview(f: ReviewFacts | undefined, ubrn: string): string {
  if (!f) return `e-RS holds no referral ${ubrn}`;
  const act = f.lastActivity;
  return `${describeFacts(f, ubrn)}${f.reviewed ? ', review complete' : ''}${f.reason ? `, reason ${f.reason}` : ''}${act ? `; last provider activity: ${act.activity} → ${act.outcome}${act.comments !== undefined ? ` ("${act.comments}")` : ''}` : ''}`;
}

export interface AttachmentFacts { id: string; fileName: string; availability: Availability; sha256: string; size: number }

/** The referral's attachments (letters and provider attachments) as e-RS holds them now, with their availability. */
export function attachmentFacts(store: Store, ubrn: string, now: Date): AttachmentFacts[] {
  const r = store.referrals.get(ubrn);
  if (!r) return [];
  const ids = [...r.letters.map((l) => l.binaryId), ...(r.providerAttachments ?? []).map((a) => a.binaryId)];
  return ids.flatMap((id) => {
    const file = store.binaries.get(id);
    return file ? [{ id, fileName: file.fileName, availability: availability(file, now), sha256: createHash('sha256').update(file.bytes).digest('hex'), size: file.bytes.length }] : [];
  });
}

/**
 * A change made behind the system's back: the referrer links a file already in the document store to the referral
 * as another letter (a new version), and, when scanMinutes is given, its malware scan finishes that long from now.
 */
export function linkLetterBehindTheBack(store: Store, ubrn: string, binaryId: string, now: Date, scanMinutes?: number): void {
  const r = store.referrals.get(ubrn);
  const file = store.binaries.get(binaryId);
  if (!r) throw new Error(`the simulator holds no referral ${ubrn}`);
  if (!file) throw new Error(`the simulator's document store holds no file ${binaryId}`);
  if (scanMinutes !== undefined) file.scanCompletes = new Date(now.getTime() + scanMinutes * 60_000).toISOString();
  file.linked = { ubrn, type: 'REFERRER' };
  r.letters = [...r.letters, { binaryId, description: file.fileName, indexed: now.toISOString() }];
  r.version += 1;
  r.lastUpdated = now.toISOString();
}

/** Is the referral on the worklist of that type (its state rules; the referrer's lists are the referring practice's)? */
export function isOnWorklist(store: Store, ubrn: string, listType: string): boolean {
  const r = store.referrals.get(ubrn);
  return !!r && onWorklist(listType, r);
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The same facts read back through the API (A005's STU3 ReferralRequest), for a real e-RS the harness cannot look
 * inside: the state extension, status, meta.versionId, the referrer's letters and the booking among the contained
 * resources, and the shortlist's service ids.
 */
export function referralFactsFromResource(resource: unknown, ubrn: string): ReferralFacts | undefined {
  const r = obj(resource);
  if (!r || r.resourceType !== 'ReferralRequest') return undefined;
  const stateExt = arr(r.extension).map(obj).find((e) => String(e?.url ?? '').endsWith('/Extension-eRS-ReferralState-1'));
  const state = obj(arr(stateExt?.extension).map(obj).find((e) => e?.url === 'state')?.valueCoding)?.code;
  const contained = arr(r.contained).map(obj).filter((c): c is Record<string, unknown> => !!c);
  const letters = contained.filter((c) => c.resourceType === 'DocumentReference' && arr(obj(c.type)?.coding).map(obj).some((k) => k?.code === 'REFERRER')).length;
  const booked = contained.some((c) => c.resourceType === 'Appointment') || arr(r.extension).map(obj).some((e) => String(e?.url ?? '').endsWith('/Extension-eRS-Appointment-Reference-1'));
  const list = contained.find((c) => c.resourceType === 'List' && c.id === 'shortlist');
  const shortlist = arr(list?.entry).map((e) => obj(obj(obj(e)?.item)?.identifier)?.value ?? obj(obj(e)?.item)?.reference).filter((v): v is string => typeof v === 'string').map((v) => v.replace(/^.*\//, ''));
  return {
    ubrn: typeof r.id === 'string' ? r.id : ubrn,
    state: typeof state === 'string' ? state : '(no state extension)',
    status: typeof r.status === 'string' ? r.status : '(no status)',
    version: Number(obj(r.meta)?.versionId) || 0,
    letters,
    booked,
    shortlist,
  };
}
