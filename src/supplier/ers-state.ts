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
