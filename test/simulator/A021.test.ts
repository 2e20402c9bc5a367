// A021 Create referral and send for triage (deprecated): AWAITING_TRIAGE at version 1, plus its rules on top of the A011 table.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, createRequest, readJson, start, type Json } from './helpers.ts';
import { rc, send, stateOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const A021 = '/STU3/ReferralRequest/$ers.createReferralAndSendForTriage';
const body = (opts: Parameters<typeof createRequest>[1] = {}) => createRequest(sim, { services: [FX.services.triage], reminderDays: 0, ...opts });

describe('A021 create referral and send for triage', () => {
  it('201 AWAITING_TRIAGE referral at version 1 with a contained proposed TRIAGE appointment; ETag == versionId', async () => {
    const res = await send(sim, 'POST', A021, rc(sim), body());
    const r = await readJson(res);
    assert.equal(res.status, 201, JSON.stringify(r));
    assert.equal(stateOf(r), 'AWAITING_TRIAGE');
    assert.equal(res.headers.get('etag'), `W/"${r.meta.versionId}"`);
    const appt = r.contained.find((c: Json) => c.resourceType === 'Appointment');
    assert.equal(appt.status, 'proposed');
    assert.equal(appt.reason[0].coding[0].code, 'TRIAGE');
  });
  const cases: [string, () => Json, string, string?][] = [
    ['two services', () => body({ services: [FX.services.triage, FX.services.directlyBookable] }), 'TOO_MANY_ITEMS'],
    ['a non-triage service', () => body({ services: [FX.services.directlyBookable] }), 'INAPPROPRIATE_VALUE', 'triage'],
    ['NOT_INTENDING_TO_ADD', () => body({ intention: 'NOT_INTENDING_TO_ADD' }), 'INAPPROPRIATE_VALUE', 'NEED_TO_ADD_LATER'],
    ['follow-up days not 0', () => body({ reminderDays: 5 }), 'INAPPROPRIATE_VALUE', 'must be 0'],
    ['the A011 table still applies: unknown patient', () => body({ patient: FX.patients.unknown }), 'REFERENCE_NOT_FOUND'],
    ['duplicate service', () => body({ services: [FX.services.triage, FX.services.triage] }), 'DUPLICATE_SERVICE'],
  ];
  for (const [name, b, code, diag] of cases) it(`${name} -> 422 ${code}`, async () => { await assertStu3Outcome(await send(sim, 'POST', A021, rc(sim), b()), 422, code, diag); });
});
