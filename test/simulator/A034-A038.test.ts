// A038 Retrieve appointment (+ _history) and A034 Update (cancel) appointment: versions, state changes, every documented error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { A008_PATH, CS, FX, assertStu3Outcome, get, readJson, start, type Json } from './helpers.ts';
import { as, book, freeSlots, ifMatch, newReferral, rc, referral, send, stateOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const A038 = (id: string) => `/STU3/Appointment/${id}`;
const reason = (code: string) => [{ coding: [{ system: `${sim.baseUrl}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code }] }];
async function current(id: string): Promise<{ body: Json; etag: string }> {
  const res = await get(sim, A038(id), rc(sim));
  assert.equal(res.status, 200);
  return { body: await readJson(res), etag: res.headers.get('etag') as string };
}
const cancelBody = (appt: Json, code: string, comment?: string) => ({ ...appt, status: 'cancelled', reason: reason(code), ...(comment ? { comment } : {}) });
const put = (id: string, headers: Record<string, string>, body: Json) => send(sim, 'PUT', A038(id), headers, body);

describe('A038 retrieve appointment', () => {
  it('200 current appointment, ETag == meta.versionId; readable by RC, RCA, SPC and SPCA; _history of the current version', async () => {
    for (const role of ['REFERRING_CLINICIAN', 'REFERRING_CLINICIAN_ADMIN', 'SERVICE_PROVIDER_CLINICIAN', 'SERVICE_PROVIDER_CLINICIAN_ADMIN']) {
      const res = await get(sim, A038(FX.appointments.bookedDbs), as(sim, role));
      assert.equal(res.status, 200, role);
      const a = await readJson(res);
      assert.equal(res.headers.get('etag'), `W/"${a.meta.versionId}"`);
      assert.equal(a.status, 'booked');
    }
    assert.equal((await get(sim, `${A038(FX.appointments.bookedDbs)}/_history/1`, rc(sim))).status, 200);
  });
  const cases: [string, string, () => Record<string, string>, number, string][] = [
    ['unknown id', A038(FX.appointments.unknown), () => rc(sim), 404, 'REFERENCE_NOT_FOUND'],
    ['non-current _history version', `${A038(FX.appointments.bookedDbs)}/_history/2`, () => rc(sim), 404, 'HISTORY_NOT_SUPPORTED'],
    ['sensitive patient', A038(FX.appointments.sensitivePatient), () => rc(sim), 422, 'PATIENT_ERROR'],
    ['another practice\'s appointment', A038(FX.appointments.noProviderRelationship), () => rc(sim), 422, 'NO_RELATIONSHIP'],
    ['referring admin', A038(FX.appointments.bookedDbs), () => as(sim, 'REFERRING_ADMIN'), 403, 'FORBIDDEN'],
  ];
  for (const [name, path, h, status, code] of cases) it(`${name} -> ${status} ${code}`, async () => { await assertStu3Outcome(await get(sim, path, h()), status, code); });
});

describe('A034 cancel appointment', () => {
  it('patient reason: 200 cancelled, version+1, ETag; referral APPT_CANCELLED_BY_PATIENT, slot free again; A038 reads it', async () => {
    const { ubrn } = await newReferral(sim);
    const appt = await book(sim, ubrn);
    const before = (await referral(sim, ubrn)).meta.versionId;
    const { body, etag } = await current(appt.id);
    const res = await put(appt.id, rc(sim, { 'If-Match': etag }), cancelBody(body, FX.cancellationReasons.appointment.byPatient));
    const out = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(out));
    assert.equal(out.status, 'cancelled');
    assert.equal(out.meta.versionId, '2');
    assert.equal(res.headers.get('etag'), 'W/"2"');
    const r = await referral(sim, ubrn);
    assert.equal(stateOf(r), 'APPT_CANCELLED_BY_PATIENT');
    assert.equal(Number(r.meta.versionId), Number(before) + 1);
    assert.ok((await freeSlots(sim, FX.services.directlyBookable)).some((s) => s.id === appt.slot[0].reference.split('/')[1]));
    assert.equal((await current(appt.id)).body.status, 'cancelled');
    // on the referrer's ASSESSMENT_RETURNED_CANCELLED_DNA worklist the item has no reason: that list gives one only
    // for CANCELLED_REFERRAL (a REFERRAL-CANCELLATION-REASON), never the appointment's cancellation reason
    const list = await readJson(await send(sim, 'POST', A008_PATH, rc(sim), { resourceType: 'Parameters', parameter: [{ name: 'listType', valueCodeableConcept: { coding: [{ system: `${CS}/eRS-ReferralListSelector-1`, code: 'ASSESSMENT_RETURNED_CANCELLED_DNA' }] } }] }));
    const fields = list.entry.find((e: Json) => e.item.reference === `ReferralRequest/${ubrn}`).extension[0].extension as Json[];
    assert.equal(fields.find((f) => f.url === 'status').valueCodeableConcept.coding[0].code, 'APP_CANCELLED_BY_PATIENT');
    assert.equal(fields.find((f) => f.url === 'reason'), undefined);
  });

  it('provider reason with comment -> APPT_CANCELLED_BY_PROVIDER; the referral can then be booked again', async () => {
    const { ubrn } = await newReferral(sim);
    const appt = await book(sim, ubrn);
    const { body, etag } = await current(appt.id);
    assert.equal((await put(appt.id, rc(sim, { 'If-Match': etag }), cancelBody(body, FX.cancellationReasons.appointment.byProvider, 'clinic moved'))).status, 200);
    assert.equal(stateOf(await referral(sim, ubrn)), 'APPT_CANCELLED_BY_PROVIDER');
    await book(sim, ubrn);
    assert.equal(stateOf(await referral(sim, ubrn)), 'BOOKED');
  });

  it('errors: 404, 412, 400, 409, 422 codes, PAS 422/502/504', async () => {
    const { ubrn } = await newReferral(sim);
    const appt = await book(sim, ubrn);
    const { body } = await current(appt.id);
    const ok = (code = FX.cancellationReasons.appointment.byPatient) => {
      const b = cancelBody(body, code);
      delete b.id; // the same body is sent to other appointments below
      return b;
    };
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), { ...ok(), id: FX.appointments.bookedDbs }), 422, 'INVALID_VALUE', 'id');
    await assertStu3Outcome(await put(FX.appointments.unknown, rc(sim, ifMatch(1)), ok()), 404, 'REFERENCE_NOT_FOUND');
    await assertStu3Outcome(await put(appt.id, rc(sim), ok()), 412, 'MISSING_HEADER', 'If-Match');
    await assertStu3Outcome(await put(appt.id, rc(sim, { 'If-Match': '"1"' }), ok()), 400, 'INVALID_VALUE', 'If-Match');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(7)), ok()), 409, 'VERSION_CONFLICT');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), { ...ok(), colour: 'red' }), 422, 'UNEXPECTED_FIELD', 'colour');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), { ...ok(), status: 'booked' }), 422, 'INVALID_VALUE', 'status');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), { ...body, status: 'cancelled' }), 422, 'MISSING_VALUE', 'reason');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), ok(FX.cancellationReasons.appointment.unknown)), 422, 'INVALID_VALUE');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), ok(FX.cancellationReasons.appointment.expired)), 422, 'INVALID_VALUE');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), ok(FX.cancellationReasons.appointment.rejectOnly)), 422, 'INAPPROPRIATE_VALUE');
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(1)), ok(FX.cancellationReasons.appointment.commentMandatory)), 422, 'MISSING_VALUE', "'comment' is missing");
    await assertStu3Outcome(await put(FX.appointments.sensitivePatient, rc(sim, ifMatch(1)), ok()), 422, 'PATIENT_ERROR');
    await assertStu3Outcome(await put(FX.appointments.noProviderRelationship, rc(sim, ifMatch(1)), ok()), 422, 'NO_RELATIONSHIP');
    await assertStu3Outcome(await put(FX.appointments.inThePast, rc(sim, ifMatch(1)), ok()), 422, 'INVALID_REQUEST_STATE', 'past');
    await assertStu3Outcome(await put(FX.appointments.bookedIbs, rc(sim, ifMatch(1)), ok()), 422, 'INVALID_REQUEST_STATE', 'indirectly');
    await assertStu3Outcome(await put(FX.appointments.pasRefuses, rc(sim, ifMatch(1)), ok()), 422, 'UNABLE_TO_CANCEL_APPOINTMENT');
    await assertStu3Outcome(await put(FX.appointments.pasError, rc(sim, ifMatch(1)), ok()), 502, 'PAS_RESPONDED_WITH_ERROR');
    await assertStu3Outcome(await put(FX.appointments.pasTimeout, rc(sim, ifMatch(1)), ok()), 504, 'PAS_NOT_RESPONDING');
    await assertStu3Outcome(await put(appt.id, as(sim, 'SERVICE_PROVIDER_CLINICIAN', ifMatch(1)), ok()), 403, 'FORBIDDEN');
    // all failed: still booked at version 1
    assert.equal((await current(appt.id)).body.meta.versionId, '1');
    assert.equal((await current(FX.appointments.pasRefuses)).body.status, 'booked');
    // a cancelled appointment cannot be cancelled again
    assert.equal((await put(appt.id, rc(sim, ifMatch(1)), ok())).status, 200);
    await assertStu3Outcome(await put(appt.id, rc(sim, ifMatch(2)), ok()), 422, 'INVALID_REQUEST_STATE');
  });
});
