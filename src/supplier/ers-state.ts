// e-RS-side effects: what the supplier's requests did to the harness's e-RS (the simulator's state).
import type { Store, StoredReferral } from '../simulator/index.ts';

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
