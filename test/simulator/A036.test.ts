// A036 Cancel referral: terminal, cancels the current appointment, referrer and provider reason rules, every documented error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, appHeaders, assertStu3Outcome, get, readJson, start, type Json } from './helpers.ts';
import { as, book, cancelReferralBody, ifMatch, newReferral, rc, referral, send, stateOf, versionOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const A036 = (ubrn: string) => `/STU3/ReferralRequest/${ubrn}/$ers.cancelReferral`;
const R = () => FX.cancellationReasons.referral;

describe('A036 cancel referral', () => {
  it('unbooked: 200 Parameters with updatedReferralRequest (cancelled, CANCELLED_REFERRAL, version+1), no ETag; terminal', async () => {
    const { ubrn, version } = await newReferral(sim);
    const res = await send(sim, 'POST', A036(ubrn), rc(sim, ifMatch(version)), cancelReferralBody(sim, R().byReferrer));
    const p = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(p));
    assert.equal(res.headers.get('etag'), null);
    assert.deepEqual(p.parameter.map((x: Json) => x.name), ['updatedReferralRequest']);
    const r = p.parameter[0].resource;
    assert.equal(r.status, 'cancelled');
    assert.equal(stateOf(r), 'CANCELLED_REFERRAL');
    assert.equal(r.meta.versionId, String(version + 1));
    // terminal: nothing more, not even a second cancellation
    await assertStu3Outcome(await send(sim, 'POST', A036(ubrn), rc(sim, ifMatch(version + 1)), cancelReferralBody(sim, R().byReferrer)), 422, 'INVALID_REQUEST_STATE');
    const tasks = await readJson(await get(sim, `/STU3/Task?focus=ReferralRequest/${ubrn}/_history/${version + 1}&intent=proposal&status=ready`, rc(sim)));
    assert.equal(tasks.entry, undefined, 'no actions');
  });

  it('booked: the appointment is cancelled in the same call (updatedAppointment), its slot offered again', async () => {
    const { ubrn } = await newReferral(sim);
    const appt = await book(sim, ubrn);
    const res = await send(sim, 'POST', A036(ubrn), rc(sim, ifMatch(await versionOf(sim, ubrn))), cancelReferralBody(sim, R().commentMandatory, 'moved away'));
    const p = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(p));
    const updatedAppt = p.parameter.find((x: Json) => x.name === 'updatedAppointment').resource;
    assert.equal(updatedAppt.id, appt.id);
    assert.equal(updatedAppt.status, 'cancelled');
    assert.equal(updatedAppt.meta.versionId, '2');
  });

  it('provider SPC cancels a booked referral with a PROVIDER reason; a TRIAGED_PROVIDER_TO_ACTION one with PROVIDER_TRIAGE', async () => {
    const { ubrn } = await newReferral(sim);
    await book(sim, ubrn);
    const res = await send(sim, 'POST', A036(ubrn), as(sim, 'SERVICE_PROVIDER_CLINICIAN', ifMatch(await versionOf(sim, ubrn))), cancelReferralBody(sim, R().byProvider));
    assert.equal(res.status, 200, await res.text());
    const t = FX.referrals.triagedProviderToAction;
    const r2 = await send(sim, 'POST', A036(t), appHeaders(sim, 'provider', ifMatch(await versionOf(sim, t))), cancelReferralBody(sim, R().providerTriage, 'sent for a scan'));
    assert.equal(r2.status, 200, await r2.text());
    assert.equal(stateOf(await referral(sim, t)), 'CANCELLED_REFERRAL');
  });

  it('errors: 404, 412, 409, 403 and every documented 422; PAS 422/502/504', async () => {
    const { ubrn, version } = await newReferral(sim);
    const booked = await newReferral(sim);
    await book(sim, booked.ubrn);
    const ok = cancelReferralBody(sim, R().byReferrer);
    const at = (u: string, h: Record<string, string>, body: Json, role?: string) => send(sim, 'POST', A036(u), role ? as(sim, role, h) : rc(sim, h), body);
    await assertStu3Outcome(await at(FX.referrals.unknown, ifMatch(1), ok), 404, 'REFERENCE_NOT_FOUND');
    await assertStu3Outcome(await at(ubrn, {}, ok), 412, 'MISSING_HEADER');
    await assertStu3Outcome(await at(ubrn, ifMatch(version + 3), ok), 409, 'VERSION_CONFLICT');
    await assertStu3Outcome(await at(ubrn, ifMatch(version), ok, 'REFERRING_ADMIN'), 403, 'FORBIDDEN');
    const cases: [string, string, Json, string, string?][] = [
      ['sensitive patient', FX.referrals.sensitivePatient, ok, 'PATIENT_ERROR'],
      ['another practice', FX.referrals.noProviderRelationship, ok, 'NO_RELATIONSHIP'],
      ['already cancelled', FX.referrals.cancelled, ok, 'INVALID_REQUEST_STATE'],
      ['no reason', ubrn, { resourceType: 'Parameters', parameter: [] }, 'MISSING_VALUE'],
      ['comment-mandatory reason without comment', ubrn, cancelReferralBody(sim, R().commentMandatory), 'MISSING_VALUE'],
      ['unknown reason', ubrn, cancelReferralBody(sim, R().unknown), 'INAPPROPRIATE_VALUE'],
      ['provider-only reason by a referrer', ubrn, cancelReferralBody(sim, R().byProvider), 'INAPPROPRIATE_VALUE'],
      ['comment over 2000 characters', ubrn, cancelReferralBody(sim, R().byReferrer, 'c'.repeat(2001)), 'INAPPROPRIATE_VALUE'],
      ['reason that cannot cancel the current appointment', booked.ubrn, cancelReferralBody(sim, R().cannotCancelAppointment), 'INAPPROPRIATE_VALUE'],
      ['PAS refuses the appointment cancellation', FX.referrals.bookedPasRefuses, ok, 'UNABLE_TO_CANCEL_APPOINTMENT'],
    ];
    for (const [name, target, body, code] of cases) {
      const readable = ![FX.referrals.sensitivePatient, FX.referrals.noProviderRelationship].includes(target);
      const res = await at(target, ifMatch(readable ? await versionOf(sim, target) : 1), body);
      assert.equal(res.status, 422, `${name}: ${res.status}`);
      await assertStu3Outcome(res, 422, code);
    }
    await assertStu3Outcome(await at(FX.referrals.bookedPasError, ifMatch(await versionOf(sim, FX.referrals.bookedPasError)), ok), 502, 'PAS_RESPONDED_WITH_ERROR');
    await assertStu3Outcome(await at(FX.referrals.bookedPasTimeout, ifMatch(await versionOf(sim, FX.referrals.bookedPasTimeout)), ok), 504, 'PAS_NOT_RESPONDING');
    // provider reason-type rules
    const t = await newReferral(sim);
    await book(sim, t.ubrn);
    await assertStu3Outcome(await at(t.ubrn, ifMatch(await versionOf(sim, t.ubrn)), cancelReferralBody(sim, R().providerTriage, 'x'), 'SERVICE_PROVIDER_CLINICIAN'), 422, 'INAPPROPRIATE_VALUE', 'PROVIDER or PATIENT');
    assert.equal(stateOf(await referral(sim, FX.referrals.bookedPasRefuses)), 'BOOKED', 'a refused cancellation changes nothing');
    assert.equal(stateOf(await referral(sim, ubrn)), 'NOT_BOOKED');
  });
});
