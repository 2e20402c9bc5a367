// A016 Book or defer appointment: booking, the three deferrals, triage, versions, PAS failures and every documented 422 code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, readJson, start, type Json } from './helpers.ts';
import { appointmentBody, freeSlots, newReferral, rc, referral, send, stateOf, versionOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const post = (body: Json) => send(sim, 'POST', '/STU3/Appointment', rc(sim), body);
const gastro = FX.referrals.gastroUnbooked as string;

describe('A016 book', () => {
  it('201 booked Appointment (own id, version 1, ETag == versionId); referral BOOKED at version+1; the slot is gone', async () => {
    const { ubrn, version } = await newReferral(sim);
    const slot = (await freeSlots(sim, FX.services.directlyBookable)).find((s) => !s.clinician)!;
    const res = await post(appointmentBody(ubrn, version, FX.services.directlyBookable, { slot: slot.id, start: slot.start, end: slot.end }));
    const appt = await readJson(res);
    assert.equal(res.status, 201, JSON.stringify(appt));
    assert.equal(appt.status, 'booked');
    assert.equal(appt.meta.versionId, '1');
    assert.equal(res.headers.get('etag'), 'W/"1"');
    assert.equal(appt.start, slot.start);
    assert.equal(appt.incomingReferral[0].reference, `ReferralRequest/${ubrn}/_history/${version + 1}`);
    const r = await referral(sim, ubrn);
    assert.equal(stateOf(r), 'BOOKED');
    assert.equal(Number(r.meta.versionId), version + 1);
    assert.equal(r.extension.find((e: Json) => e.url.endsWith('Appointment-Reference-1')).valueReference.reference, `Appointment/${appt.id}`);
    assert.ok(!(await freeSlots(sim, FX.services.directlyBookable)).some((s) => s.id === slot.id));
  });

  it('a clinician slot books with its AllocatedClinician', async () => {
    const { ubrn, version } = await newReferral(sim);
    const slot = (await freeSlots(sim, FX.services.directlyBookable)).find((s) => s.clinician)!;
    const res = await post(appointmentBody(ubrn, version, FX.services.directlyBookable, { slot: slot.id, clinician: slot.clinician }));
    assert.equal(res.status, 201);
    assert.ok((await readJson(res)).participant.some((p: Json) => p.actor.identifier.value === slot.clinician));
  });
});

describe('A016 defer and triage', () => {
  it('NO_SLOTS_AT_SERVICE at a service without slots -> proposed, DEFERRED_TO_PROVIDER, on the provider\'s slot-issues list', async () => {
    const { ubrn, version } = await newReferral(sim, [FX.services.noSlots], { gastro: true });
    const res = await post(appointmentBody(ubrn, version, FX.services.noSlots, { reason: 'NO_SLOTS_AT_SERVICE', comment: 'no slots' }));
    const appt = await readJson(res);
    assert.equal(res.status, 201, JSON.stringify(appt));
    assert.equal(appt.status, 'proposed');
    assert.equal(appt.reason[0].coding[0].code, 'NO_SLOTS_AT_SERVICE');
    assert.equal(appt.start, undefined);
    const r = await referral(sim, ubrn);
    assert.equal(stateOf(r), 'DEFERRED_TO_PROVIDER');
  });

  it('SLOT_NOT_AVAILABLE naming a taken slot, and BOOKING_ATTEMPT_PROBLEM -> DEFERRED_TO_PROVIDER', async () => {
    const a = await newReferral(sim);
    assert.equal((await post(appointmentBody(a.ubrn, a.version, FX.services.directlyBookable, { reason: 'SLOT_NOT_AVAILABLE', slot: FX.slots.booked }))).status, 201);
    const b = await newReferral(sim);
    assert.equal((await post(appointmentBody(b.ubrn, b.version, FX.services.directlyBookable, { reason: 'BOOKING_ATTEMPT_PROBLEM' }))).status, 201);
    assert.equal(stateOf(await referral(sim, b.ubrn)), 'DEFERRED_TO_PROVIDER');
  });

  it('TRIAGE at a triage service -> AWAITING_TRIAGE', async () => {
    const { ubrn, version } = await newReferral(sim, [FX.services.triage]);
    const res = await post(appointmentBody(ubrn, version, FX.services.triage, { reason: 'TRIAGE' }));
    assert.equal(res.status, 201);
    assert.equal(stateOf(await referral(sim, ubrn)), 'AWAITING_TRIAGE');
  });
});

describe('A016 errors', () => {
  const v = async (ubrn: string) => versionOf(sim, ubrn);
  const free = async () => (await freeSlots(sim, FX.services.directlyBookable)).find((s) => !s.clinician)!;
  const cases: [string, () => Promise<Json>, number, string, string?][] = [
    ['status neither booked nor proposed', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { status: 'pending' }), 422, 'INVALID_VALUE', 'status'],
    ['wrong description', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { description: 'Appointment' }), 422, 'INVALID_VALUE', 'description'],
    ['reference without _history', async () => appointmentBody(gastro, undefined, FX.services.noSlots), 422, 'MISSING_VALUE', '_history'],
    ['unknown referral', async () => appointmentBody(FX.referrals.unknown, 1, FX.services.noSlots), 422, 'REFERENCE_NOT_FOUND'],
    ['sensitive patient', async () => appointmentBody(FX.referrals.sensitivePatient, 1, FX.services.directlyBookable, { patient: FX.patients.sensitive }), 422, 'PATIENT_ERROR'],
    ['another practice\'s referral', async () => appointmentBody(FX.referrals.noProviderRelationship, 4, '40201', { patient: FX.patients.referable }), 422, 'NO_RELATIONSHIP'],
    ['stale version', async () => appointmentBody(gastro, (await v(gastro)) - 1, FX.services.noSlots, { reason: 'NO_SLOTS_AT_SERVICE' }), 409, 'VERSION_CONFLICT'],
    ['patient not the referral\'s', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { reason: 'NO_SLOTS_AT_SERVICE', patient: FX.patients.noRegisteredGp }), 422, 'INAPPROPRIATE_VALUE', 'patient'],
    ['already booked', async () => appointmentBody(FX.referrals.bookedDbs, await v(FX.referrals.bookedDbs), FX.services.directlyBookable, { reason: 'BOOKING_ATTEMPT_PROBLEM' }), 422, 'INVALID_REQUEST_STATE'],
    ['cancelled referral', async () => appointmentBody(FX.referrals.cancelled, await v(FX.referrals.cancelled), FX.services.directlyBookable, { patient: '9991010025', reason: 'BOOKING_ATTEMPT_PROBLEM' }), 422, 'INVALID_REQUEST_STATE'],
    ['unknown service', async () => appointmentBody(gastro, await v(gastro), FX.services.unknown, { reason: 'BOOKING_ATTEMPT_PROBLEM' }), 422, 'REFERENCE_NOT_FOUND'],
    ['service not on the shortlist', async () => appointmentBody(gastro, await v(gastro), FX.services.directlyBookable, { reason: 'BOOKING_ATTEMPT_PROBLEM' }), 422, 'INAPPROPRIATE_VALUE', 'shortlist'],
    ['withdrawn service', async () => appointmentBody(gastro, await v(gastro), FX.services.withdrawn, { reason: 'BOOKING_ATTEMPT_PROBLEM' }), 422, 'SERVICE_UNAVAILABLE'],
    ['booking an IBS', async () => appointmentBody(gastro, await v(gastro), FX.services.indirectlyBookable, { slot: FX.slots.booked }), 422, 'INVALID_STATE'],
    ['booking without a slot', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots), 422, 'MISSING_VALUE', 'slot'],
    ['unknown slot', async () => appointmentBody(gastro, await v(gastro), FX.services.pasError, { slot: FX.slots.unknown }), 422, 'REFERENCE_NOT_FOUND', 'slot'],
    ['slot of an unshortlisted service', async () => appointmentBody(gastro, await v(gastro), FX.services.pasError, { slot: (await free()).id }), 422, 'INAPPROPRIATE_VALUE', 'not on the shortlist'],
    ['slot of another shortlisted service', async () => appointmentBody(gastro, await v(gastro), FX.services.pasError, { slot: (await freeSlots(sim, FX.services.pasRefuses))[0]!.id }), 422, 'INAPPROPRIATE_SLOT'],
    ['slot gone', async () => appointmentBody(FX.referrals.unbooked, await v(FX.referrals.unbooked), FX.services.directlyBookable, { slot: FX.slots.booked }), 422, 'SLOT_NOT_AVAILABLE'],
    ['clinician slot without the clinician', async () => appointmentBody(FX.referrals.unbooked, await v(FX.referrals.unbooked), FX.services.directlyBookable, { slot: (await freeSlots(sim, FX.services.directlyBookable)).find((s) => s.clinician)!.id }), 422, 'INAPPROPRIATE_SLOT', 'clinician'],
    ['PAS refuses', async () => appointmentBody(gastro, await v(gastro), FX.services.pasRefuses, { slot: (await freeSlots(sim, FX.services.pasRefuses))[0]!.id }), 422, 'UNABLE_TO_CONFIRM_APPOINTMENT'],
    ['PAS error', async () => appointmentBody(gastro, await v(gastro), FX.services.pasError, { slot: (await freeSlots(sim, FX.services.pasError))[0]!.id }), 502, 'PAS_RESPONDED_WITH_ERROR'],
    ['PAS timeout', async () => appointmentBody(gastro, await v(gastro), FX.services.pasTimeout, { slot: (await freeSlots(sim, FX.services.pasTimeout))[0]!.id }), 504, 'PAS_NOT_RESPONDING'],
    ['deferral without reason', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { status: 'proposed' }), 422, 'MISSING_VALUE', 'reason'],
    ['unknown reason', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { reason: 'PATIENT_PREFERENCE' }), 422, 'INVALID_CODE'],
    ['slot given with NO_SLOTS_AT_SERVICE', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { reason: 'NO_SLOTS_AT_SERVICE', slot: FX.slots.booked }), 422, 'INAPPROPRIATE_VALUE', 'SLOT_NOT_AVAILABLE'],
    ['NO_SLOTS_AT_SERVICE while slots exist', async () => appointmentBody(FX.referrals.unbooked, await v(FX.referrals.unbooked), FX.services.directlyBookable, { reason: 'NO_SLOTS_AT_SERVICE' }), 422, 'SLOTS_CURRENTLY_AVAILABLE'],
    ['SLOT_NOT_AVAILABLE for a free slot', async () => appointmentBody(FX.referrals.unbooked, await v(FX.referrals.unbooked), FX.services.directlyBookable, { reason: 'SLOT_NOT_AVAILABLE', slot: (await free()).id }), 422, 'THIS_SLOT_IS_AVAILABLE'],
    ['TRIAGE at a non-triage service', async () => appointmentBody(gastro, await v(gastro), FX.services.noSlots, { reason: 'TRIAGE' }), 422, 'INAPPROPRIATE_VALUE', 'triage'],
    ['deferral at an IBS', async () => appointmentBody(gastro, await v(gastro), FX.services.indirectlyBookable, { reason: 'BOOKING_ATTEMPT_PROBLEM' }), 422, 'INVALID_STATE'],
  ];
  for (const [name, body, status, code, diag] of cases) {
    it(`${name} -> ${status} ${code}`, async () => {
      await assertStu3Outcome(await post(await body()), status, code, diag);
    });
  }
  it('failures leave the referral unchanged', async () => {
    const r = await referral(sim, gastro);
    assert.equal(stateOf(r), 'NOT_BOOKED');
    assert.equal(r.meta.versionId, '2');
  });
});
