// A029 Available actions for user: the same lifecycle rules the writes enforce, per state and role; every documented 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, appHeaders, assertStu3Outcome, get, readJson, start, type Json } from './helpers.ts';
import { as, book, newReferral, rc, versionOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const task = (ubrn: string, v: number | string, extra: Record<string, string> = {}) =>
  `/STU3/Task?${new URLSearchParams({ focus: `ReferralRequest/${ubrn}/_history/${v}`, intent: 'proposal', status: 'ready', ...extra }).toString()}`;
async function actions(ubrn: string, headers: Record<string, string>, version?: number): Promise<string[]> {
  const res = await get(sim, task(ubrn, version ?? 1), headers);
  const b = await readJson(res);
  assert.equal(res.status, 200, JSON.stringify(b));
  assert.equal(b.type, 'searchset');
  for (const e of b.entry ?? []) {
    assert.equal(e.resource.status, 'ready');
    assert.equal(e.resource.intent, 'proposal');
    assert.equal(e.resource.focus.reference, `ReferralRequest/${ubrn}/_history/${version ?? 1}`);
  }
  return (b.entry ?? []).map((e: Json) => e.resource.code.coding[0].code);
}
const v = (ubrn: string) => versionOf(sim, ubrn);

describe('A029 available actions', () => {
  it('referrer: unbooked -> book, change shortlist (both), cancel referral', async () => {
    assert.deepEqual(await actions(FX.referrals.unbooked, rc(sim), await v(FX.referrals.unbooked)), ['CREATE_APPOINTMENT', 'CHANGE_SHORTLIST', 'CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE', 'CANCEL_REFERRAL']);
  });
  it('referrer: booked DBS -> cancel appointment, cancel referral; booked IBS or past -> cancel referral only', async () => {
    assert.deepEqual(await actions(FX.referrals.bookedDbs, rc(sim), await v(FX.referrals.bookedDbs)), ['CANCEL_DIRECTLY_BOOKED_APPOINTMENT', 'CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.bookedIbs, as(sim, 'REFERRING_CLINICIAN_ADMIN'), await v(FX.referrals.bookedIbs)), ['CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.bookedInThePast, rc(sim), await v(FX.referrals.bookedInThePast)), ['CANCEL_REFERRAL']);
  });
  it('referrer: deferred / awaiting triage -> cancel referral; rejected -> change shortlist; cancelled -> nothing', async () => {
    assert.deepEqual(await actions(FX.referrals.deferred, rc(sim), await v(FX.referrals.deferred)), ['CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.awaitingTriage, rc(sim), await v(FX.referrals.awaitingTriage)), ['CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.rejected, rc(sim), await v(FX.referrals.rejected)), ['CHANGE_SHORTLIST', 'CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE', 'CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.cancelled, rc(sim), await v(FX.referrals.cancelled)), []);
  });
  it('provider: awaiting triage -> record review outcome + cancel; booked -> cancel; the provider app too; no relationship -> none', async () => {
    assert.deepEqual(await actions(FX.referrals.awaitingTriage, as(sim, 'SERVICE_PROVIDER_CLINICIAN'), await v(FX.referrals.awaitingTriage)), ['RECORD_REVIEW_OUTCOME', 'CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.awaitingTriage, as(sim, 'SERVICE_PROVIDER_CLINICIAN_ADMIN'), await v(FX.referrals.awaitingTriage)), ['RECORD_REVIEW_OUTCOME', 'CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.bookedDbs, appHeaders(sim, 'provider'), await v(FX.referrals.bookedDbs)), ['CANCEL_REFERRAL']);
    assert.deepEqual(await actions(FX.referrals.noProviderRelationship, rc(sim), 4), []);
  });
  it('follows the referral through its life: create -> book -> (version moves) -> cancel appointment offered', async () => {
    const { ubrn, version } = await newReferral(sim);
    assert.ok((await actions(ubrn, rc(sim), version)).includes('CREATE_APPOINTMENT'));
    await book(sim, ubrn);
    await assertStu3Outcome(await get(sim, task(ubrn, version), rc(sim)), 400, 'HISTORY_NOT_SUPPORTED');
    assert.deepEqual(await actions(ubrn, rc(sim), version + 1), ['CANCEL_DIRECTLY_BOOKED_APPOINTMENT', 'CANCEL_REFERRAL']);
  });
});

describe('A029 errors (400)', () => {
  const ubrn = FX.referrals.unbooked as string;
  const cases: [string, () => Promise<string>, string][] = [
    ['intent missing', async () => task(ubrn, await v(ubrn)).replace('&intent=proposal', ''), 'MISSING_PARAMETER'],
    ['status missing', async () => task(ubrn, await v(ubrn)).replace('&status=ready', ''), 'MISSING_PARAMETER'],
    ['focus missing', async () => '/STU3/Task?intent=proposal&status=ready', 'MISSING_PARAMETER'],
    ['intent not proposal', async () => task(ubrn, await v(ubrn), { intent: 'order' }), 'INVALID_VALUE'],
    ['status not ready', async () => task(ubrn, await v(ubrn), { status: 'draft' }), 'INVALID_VALUE'],
    ['focus without _history', async () => `/STU3/Task?focus=ReferralRequest/${ubrn}&intent=proposal&status=ready`, 'INVALID_VALUE'],
    ['unknown referral', async () => task(FX.referrals.unknown, 1), 'REFERENCE_NOT_FOUND'],
    ['not the current version', async () => task(ubrn, (await v(ubrn)) - 1), 'HISTORY_NOT_SUPPORTED'],
  ];
  for (const [name, path, code] of cases) it(`${name} -> 400 ${code}`, async () => { await assertStu3Outcome(await get(sim, await path(), rc(sim)), 400, code); });
  it('referring admin -> 403 FORBIDDEN', async () => { await assertStu3Outcome(await get(sim, task(ubrn, 3), as(sim, 'REFERRING_ADMIN')), 403, 'FORBIDDEN'); });
});
