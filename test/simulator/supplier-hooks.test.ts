// What supplier mode needs of the simulator: a tap on every request, a clock, a change behind the
// caller's back, and faults that strike after e-RS has made the change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ObservedExchange, Simulator } from '../../src/simulator/index.ts';
import { actor, FX, get, start, userHeaders } from './helpers.ts';

let sim: Simulator;
const seen: ObservedExchange[] = [];
before(async () => {
  sim = await start({ observe: (r) => seen.push(r) });
});
after(() => sim.close());

const RC = actor('REFERRING_CLINICIAN');
const ubrn = FX.referrals.unbooked as string;

test('the observer sees each request with its answer, operation and correlation id', async () => {
  seen.length = 0;
  const res = await get(sim, `/STU3/ReferralRequest/${ubrn}`, userHeaders(sim, RC, { 'X-Correlation-ID': 'corr-1' }));
  assert.equal(res.status, 200);
  const r = seen.at(-1)!;
  assert.equal(r.operationId, 'A005');
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-correlation-id'], 'corr-1');
  assert.equal(r.responseHeaders.ETag, res.headers.get('etag'));
  assert.match(r.responseBody, /"resourceType":"ReferralRequest"/);
});

test('the clock moves forward on request and never back; control routes show it', async () => {
  const before = sim.now().getTime();
  sim.advanceClock(5 * 60);
  assert.ok(sim.now().getTime() - before >= 5 * 60_000);
  const put = await fetch(`${sim.origin}/_simulator/clock`, { method: 'PUT', headers: sim.controlHeaders(), body: JSON.stringify({ advanceBy: 60_000 }) });
  assert.equal(put.status, 200);
  assert.ok(((await put.json()) as { offsetMs: number }).offsetMs >= 6 * 60_000);
  const back = await fetch(`${sim.origin}/_simulator/clock`, { method: 'PUT', headers: sim.controlHeaders(), body: JSON.stringify({ advanceBy: -1 }) });
  assert.equal(back.status, 400);
  assert.match(((await back.json()) as { error: string }).error, /never runs backwards/);
  const reset = await fetch(`${sim.origin}/_simulator/clock`, { method: 'DELETE', headers: sim.controlHeaders() });
  assert.equal(((await reset.json()) as { offsetMs: number }).offsetMs, 0);
});

test('a referral changed behind the caller\'s back gets a new version', async () => {
  const first = await get(sim, `/STU3/ReferralRequest/${ubrn}`, userHeaders(sim, RC));
  const touched = await fetch(`${sim.origin}/_simulator/referrals/${ubrn}/touch`, { method: 'POST', headers: sim.controlHeaders() });
  assert.equal(touched.status, 200);
  const second = await get(sim, `/STU3/ReferralRequest/${ubrn}`, userHeaders(sim, RC));
  const v = (etag: string | null) => Number(/\d+/.exec(etag ?? '')?.[0]);
  assert.equal(v(second.headers.get('etag')), v(first.headers.get('etag')) + 1);
  assert.throws(() => sim.touchReferral('300000999999'), /holds no referral 300000999999/);
});

test('a fault after processing: the change is made and the answer is lost', async () => {
  const headers = userHeaders(sim, RC);
  sim.injectFault({ operation: 'A036', reset: true, afterProcessing: true });
  const read = await get(sim, `/STU3/ReferralRequest/${ubrn}`, headers);
  const body = { resourceType: 'Parameters', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CancelReferral-Request-Parameters-1'] }, parameter: [{ name: 'cancellationReason', valueCoding: { system: `${sim.baseUrl}/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON`, code: FX.cancellationReasons.referral.byReferrer } }] };
  await assert.rejects(fetch(`${sim.baseUrl}/STU3/ReferralRequest/${ubrn}/$ers.cancelReferral`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/fhir+json', 'If-Match': read.headers.get('etag')! }, body: JSON.stringify(body) }));
  assert.equal(sim.state().referrals.get(ubrn)?.state, 'CANCELLED_REFERRAL');
  sim.reset();
  assert.equal(sim.state().referrals.get(ubrn)?.state, 'NOT_BOOKED');
});
