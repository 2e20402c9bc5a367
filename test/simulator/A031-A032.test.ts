// A031 Change shortlist and A032 Change shortlist and send for triage: replacement, state, versions, every documented error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, criteriaParameters, readJson, start, type Json } from './helpers.ts';
import { as, book, changePath, changeShortlistBody, ifMatch, newReferral, rc, referral, send, stateOf, versionOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const change = (ubrn: string, headers: Record<string, string>, body: Json, op = 'changeShortlist') => send(sim, 'POST', changePath(ubrn, op), rc(sim, headers), body);
const shortlistOf = (r: Json) => r.contained.find((c: Json) => c.id === 'shortlist').entry.map((e: Json) => e.item.identifier.value);

describe('A031 change shortlist', () => {
  it('200: new shortlist and criteria, NOT_BOOKED, version+1, ETag', async () => {
    const { ubrn, version } = await newReferral(sim);
    const res = await change(ubrn, ifMatch(version), changeShortlistBody(sim, [FX.services.noSlots, FX.services.gastroTriage], { gastro: true }));
    const r = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(r));
    assert.deepEqual(shortlistOf(r), [FX.services.noSlots, FX.services.gastroTriage]);
    assert.equal(r.meta.versionId, String(version + 1));
    assert.equal(res.headers.get('etag'), `W/"${version + 1}"`);
    assert.equal(stateOf(r), 'NOT_BOOKED');
    assert.equal(r.specialty.coding[0].code, 'GI_AND_LIVER_MEDICINE_AND_SURGERY');
  });

  it('after an appointment cancellation the shortlist may change again (APPT_CANCELLED_BY_PATIENT -> NOT_BOOKED)', async () => {
    const { ubrn } = await newReferral(sim);
    const appt = await book(sim, ubrn);
    const cancel = { ...appt, status: 'cancelled', reason: [{ coding: [{ system: `${sim.baseUrl}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code: 'PATIENT_ILL' }] }] };
    assert.equal((await send(sim, 'PUT', `/STU3/Appointment/${appt.id}`, rc(sim, ifMatch(1)), cancel)).status, 200);
    const res = await change(ubrn, ifMatch(await versionOf(sim, ubrn)), changeShortlistBody(sim, [FX.services.indirectlyBookable]));
    assert.equal(res.status, 200);
    assert.equal(stateOf(await readJson(res)), 'NOT_BOOKED');
  });

  it('errors: 404, 412, 409, 403 and every documented 422', async () => {
    const { ubrn, version } = await newReferral(sim);
    const ok = changeShortlistBody(sim, [FX.services.directlyBookable]);
    await assertStu3Outcome(await change(FX.referrals.unknown, ifMatch(1), ok), 404, 'REFERENCE_NOT_FOUND');
    await assertStu3Outcome(await change(ubrn, {}, ok), 412, 'MISSING_HEADER');
    await assertStu3Outcome(await change(ubrn, ifMatch(version + 1), ok), 409, 'VERSION_CONFLICT');
    await assertStu3Outcome(await send(sim, 'POST', changePath(ubrn), as(sim, 'SERVICE_PROVIDER_CLINICIAN', ifMatch(version)), ok), 403, 'FORBIDDEN');
    const twentyOne = changeShortlistBody(sim, [FX.services.directlyBookable]);
    twentyOne.parameter.find((p: Json) => p.name === 'shortlist').resource.entry = Array.from({ length: 21 }, (_, i) => ({ item: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: String(41000 + i) } } }));
    const withCriteria = (extra: Json[]) => {
      const b = changeShortlistBody(sim, [FX.services.directlyBookable]);
      b.parameter.find((p: Json) => p.name === 'shortlist').resource.contained[0].parameter = criteriaParameters(sim, FX.search.criteria, extra);
      return b;
    };
    const org = (ods: string) => ({ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: ods } });
    const cases: [string, string, Json, string][] = [
      ['A&G UBRN', FX.referrals.adviceAndGuidance, ok, 'INVALID_REQUEST_TYPE'],
      ['sensitive patient', FX.referrals.sensitivePatient, ok, 'PATIENT_ERROR'],
      ['another practice', FX.referrals.noProviderRelationship, ok, 'NO_RELATIONSHIP'],
      ['booked referral', FX.referrals.bookedDbs, ok, 'INVALID_REQUEST_STATE'],
      ['more than 20 services', ubrn, twentyOne, 'TOO_MANY_ITEMS'],
      ['duplicate service', ubrn, changeShortlistBody(sim, [FX.services.directlyBookable, FX.services.directlyBookable]), 'DUPLICATE_SERVICE'],
      ['service not in the results', ubrn, changeShortlistBody(sim, [FX.services.notInResults]), 'SHORTLISTED_SERVICE_NOT_IN_RESULTS'],
      ['letter required but not intended', ubrn, changeShortlistBody(sim, [FX.services.requiresLetter], { intention: 'NOT_INTENDING_TO_ADD' }), 'INAPPROPRIATE_VALUE'],
      ['closed organisation', ubrn, withCriteria([org(FX.organisations.closed)]), 'ORGANISATION_IS_CLOSED'],
      ['organisation of the wrong kind', ubrn, withCriteria([org(FX.organisations.notAppropriate)]), 'ORGANISATION_NOT_APPROPRIATE'],
      ['unknown clinical term', ubrn, withCriteria([{ name: 'clinicalTerm', valueCoding: { system: 'http://snomed.info/sct', code: FX.search.clinicalTerm.unknown } }]), 'SNOMED_NOT_FOUND'],
      ['letter intention not a code', ubrn, changeShortlistBody(sim, [FX.services.directlyBookable], { intention: 'MAYBE' }), 'INVALID_CODE'],
      ['follow-up days over 365', ubrn, changeShortlistBody(sim, [FX.services.directlyBookable], { days: 400 }), 'INVALID_VALUE'],
      ['unknown parameter', ubrn, { ...ok, parameter: [...ok.parameter, { name: 'urgency', valueString: 'x' }] }, 'UNEXPECTED_FIELD'],
      ['shortlist as a string', ubrn, { ...ok, parameter: ok.parameter.map((p: Json) => (p.name === 'shortlist' ? { name: 'shortlist', valueString: 'x' } : p)) }, 'INVALID_FHIR_STRUCTURE'],
      ['shortlist missing', ubrn, { ...ok, parameter: ok.parameter.filter((p: Json) => p.name !== 'shortlist') }, 'MISSING_VALUE'],
    ];
    for (const [name, target, body, code] of cases) {
      const readable = ![FX.referrals.adviceAndGuidance, FX.referrals.sensitivePatient, FX.referrals.noProviderRelationship].includes(target);
      const res = await change(target, ifMatch(readable ? await versionOf(sim, target) : 1), body);
      assert.equal(res.status, 422, name);
      await assertStu3Outcome(res, 422, code);
    }
    assert.equal(await versionOf(sim, ubrn), version, 'failed changes do not move the version');
  });
});

describe('A032 change shortlist and send for triage', () => {
  it('200 Parameters: updatedReferralRequest AWAITING_TRIAGE (version+1) + createdAppointment proposed TRIAGE; no ETag', async () => {
    const { ubrn, version } = await newReferral(sim);
    const res = await change(ubrn, ifMatch(version), changeShortlistBody(sim, [FX.services.triage], { days: 0 }), 'changeShortlistAndSendForTriage');
    const p = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(p));
    assert.equal(res.headers.get('etag'), null);
    const updated = p.parameter.find((x: Json) => x.name === 'updatedReferralRequest').resource;
    const appt = p.parameter.find((x: Json) => x.name === 'createdAppointment').resource;
    assert.equal(stateOf(updated), 'AWAITING_TRIAGE');
    assert.equal(updated.meta.versionId, String(version + 1));
    assert.equal(appt.status, 'proposed');
    assert.equal(appt.reason[0].coding[0].code, 'TRIAGE');
    assert.equal(stateOf(await referral(sim, ubrn)), 'AWAITING_TRIAGE');
  });
  it('errors: more than one service, non-triage service, follow-up days, state', async () => {
    const { ubrn, version } = await newReferral(sim);
    const op = 'changeShortlistAndSendForTriage';
    await assertStu3Outcome(await change(ubrn, ifMatch(version), changeShortlistBody(sim, [FX.services.triage, FX.services.directlyBookable], { days: 0 }), op), 422, 'TOO_MANY_ITEMS');
    await assertStu3Outcome(await change(ubrn, ifMatch(version), changeShortlistBody(sim, [FX.services.directlyBookable], { days: 0 }), op), 422, 'INAPPROPRIATE_VALUE', 'triage');
    await assertStu3Outcome(await change(ubrn, ifMatch(version), changeShortlistBody(sim, [FX.services.triage], { days: 3 }), op), 422, 'INAPPROPRIATE_VALUE', 'must be 0');
    await assertStu3Outcome(await change(FX.referrals.bookedDbs, ifMatch(await versionOf(sim, FX.referrals.bookedDbs)), changeShortlistBody(sim, [FX.services.triage], { days: 0 }), op), 422, 'INVALID_REQUEST_STATE');
    await assertStu3Outcome(await change(ubrn, {}, changeShortlistBody(sim, [FX.services.triage], { days: 0 }), op), 412, 'MISSING_HEADER');
    await assertStu3Outcome(await change(ubrn, ifMatch(version - 1 || 9), changeShortlistBody(sim, [FX.services.triage], { days: 0 }), op), 409, 'VERSION_CONFLICT');
  });
});
