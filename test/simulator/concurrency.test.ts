// Versioning and concurrency (catalogue 7): two concurrent writes with the same version -> exactly one succeeds;
// a write in flight locks the referral (423); stale -> 409; missing If-Match -> 412; ETag always == meta.versionId.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, readJson, start } from './helpers.ts';
import { appointmentBody, book, changePath, changeShortlistBody, freeSlots, ifMatch, newReferral, rc, referral, send, stateOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

describe('concurrent writes on one referral', () => {
  it('two A031 changes with the same If-Match: exactly one 200, the other 409 or 423; version moves by one', async () => {
    for (let round = 0; round < 10; round++) {
      const { ubrn, version } = await newReferral(sim);
      const body = changeShortlistBody(sim, [FX.services.indirectlyBookable]);
      const results = await Promise.all([0, 1].map(() => send(sim, 'POST', changePath(ubrn), rc(sim, ifMatch(version)), body)));
      const statuses = results.map((r) => r.status).sort();
      assert.equal(statuses.filter((s) => s === 200).length, 1, `round ${round}: ${statuses.join(', ')}`);
      assert.ok([409, 423].includes(statuses[1] as number), `round ${round}: the loser got ${statuses[1]}`);
      const winner = results.find((r) => r.status === 200)!;
      assert.equal(winner.headers.get('etag'), `W/"${version + 1}"`);
      assert.equal((await referral(sim, ubrn)).meta.versionId, String(version + 1));
    }
  });

  it('two bookings of one referral through a slow PAS: exactly one 201, the other 423 REFERRAL_LOCKED while the PAS answers', async () => {
    const { ubrn, version } = await newReferral(sim, [FX.services.slowPas], { gastro: true });
    const [a, b] = (await freeSlots(sim, FX.services.slowPas)).slice(0, 2);
    const started = Date.now();
    const [first, second] = await Promise.all([
      send(sim, 'POST', '/STU3/Appointment', rc(sim), appointmentBody(ubrn, version, FX.services.slowPas, { slot: a!.id })),
      new Promise((r) => setTimeout(r, 100)).then(() => send(sim, 'POST', '/STU3/Appointment', rc(sim), appointmentBody(ubrn, version, FX.services.slowPas, { slot: b!.id }))),
    ]);
    assert.equal(first.status, 201);
    await assertStu3Outcome(second, 423, 'REFERRAL_LOCKED');
    assert.ok(Date.now() - started >= 800, 'the PAS latency was honoured');
    // the lock is released afterwards: a stale write now gets 409, a fresh one proceeds
    await assertStu3Outcome(await send(sim, 'POST', '/STU3/Appointment', rc(sim), appointmentBody(ubrn, version, FX.services.slowPas, { slot: b!.id })), 409, 'VERSION_CONFLICT');
    assert.equal(stateOf(await referral(sim, ubrn)), 'BOOKED');
    assert.ok((await freeSlots(sim, FX.services.slowPas)).some((s) => s.id === b!.id), 'the losing booking took no slot');
  });

  it('a referral cancellation racing a shortlist change with the same version: exactly one succeeds', async () => {
    const { ubrn } = await newReferral(sim);
    await book(sim, ubrn);
    const v = Number((await referral(sim, ubrn)).meta.versionId);
    const cancel = send(sim, 'POST', `/STU3/ReferralRequest/${ubrn}/$ers.cancelReferral`, rc(sim, ifMatch(v)), {
      resourceType: 'Parameters', parameter: [{ name: 'cancellationReason', valueCoding: { system: `${sim.baseUrl}/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON`, code: 'INTEND_PRIVATE' } }],
    });
    const changeRes = send(sim, 'POST', changePath(ubrn), rc(sim, ifMatch(v)), changeShortlistBody(sim, [FX.services.indirectlyBookable]));
    const statuses = (await Promise.all([cancel, changeRes])).map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(', '));
  });

  it('A034 while A036 holds the referral at a slow PAS -> 423; A036 wins and cancels the appointment', async () => {
    const { ubrn } = await newReferral(sim, [FX.services.slowPas], { gastro: true });
    const appt = await book(sim, ubrn, FX.services.slowPas);
    const v = Number((await referral(sim, ubrn)).meta.versionId);
    const cancelReferral = send(sim, 'POST', `/STU3/ReferralRequest/${ubrn}/$ers.cancelReferral`, rc(sim, ifMatch(v)), {
      resourceType: 'Parameters', parameter: [{ name: 'cancellationReason', valueCoding: { system: `${sim.baseUrl}/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON`, code: 'INTEND_PRIVATE' } }],
    });
    await new Promise((r) => setTimeout(r, 100));
    const cancelAppt = await send(sim, 'PUT', `/STU3/Appointment/${appt.id}`, rc(sim, ifMatch(1)), {
      ...appt, status: 'cancelled', reason: [{ coding: [{ system: `${sim.baseUrl}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code: 'PATIENT_ILL' }] }],
    });
    await assertStu3Outcome(cancelAppt, 423, 'REFERRAL_LOCKED');
    assert.equal((await cancelReferral).status, 200);
    assert.equal(stateOf(await referral(sim, ubrn)), 'CANCELLED_REFERRAL');
  });

  it('every write answers with ETag == the body\'s meta.versionId', async () => {
    const { ubrn, version } = await newReferral(sim);
    const res = await send(sim, 'POST', changePath(ubrn), rc(sim, ifMatch(version)), changeShortlistBody(sim, [FX.services.directlyBookable]));
    const body = await readJson(res);
    assert.equal(res.headers.get('etag'), `W/"${body.meta.versionId}"`);
  });
});
