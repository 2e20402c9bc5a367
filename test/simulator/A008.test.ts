// A008 Retrieve referral worklist: provider and referrer lists, filters, AR rules and every documented 422 code.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { A008_PATH, CS, FX, SDS, SERVICE, actor, appHeaders, assertStu3Outcome, post, readJson, start, userHeaders, type Json } from './helpers.ts';

// started at module load: the error table below builds request bodies that use sim.baseUrl
const sim: Simulator = await start();
after(() => sim.close());

const listType = (code: string, system = `${CS}/eRS-ReferralListSelector-1`) => ({ name: 'listType', valueCodeableConcept: { coding: [{ system, code }] } });
const indicator = (name: string, code: string) => ({ name, valueCodeableConcept: { coding: [{ system: `${CS}/eRS-AssignedIndicator-1`, code }] } });
const body = (...parameter: Json[]) => ({ resourceType: 'Parameters', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1'] }, parameter });
const service = (id: string) => ({ name: 'service', valueIdentifier: { system: SERVICE, value: id } });
const specialty = (code: string) => ({ name: 'specialty', valueCodeableConcept: { coding: [{ system: `${sim.baseUrl}/STU3/CodeSystem/SPECIALTY`, code }] } });
const clinician = (id: string) => ({ name: 'clinician', valueIdentifier: { system: SDS, value: id } });
const location = (ods: string) => ({ name: 'location', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: ods } });
const spc = () => userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'), { 'X-Correlation-ID': 'a8' });
const fetchList = (h: Record<string, string>, ...params: Json[]) => post(sim, A008_PATH, h, body(...params));
const refs = (list: Json) => list.entry.map((e: Json) => (e.item.reference as string).replace('ReferralRequest/', ''));
const item = (list: Json, ubrn: string) => list.entry.find((e: Json) => e.item.reference === `ReferralRequest/${ubrn}`).extension[0];

describe('A008 provider lists', () => {
  it('REFERRALS_FOR_REVIEW: booked and awaiting-triage referrals of the SPC workgroup, with referralRequestVersion', async () => {
    const res = await fetchList(spc(), listType('REFERRALS_FOR_REVIEW'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-correlation-id'), 'a8');
    const list = await readJson(res);
    assert.deepEqual(list.meta.profile, ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1']);
    assert.equal(list.mode, 'snapshot');
    const ubrns = refs(list);
    assert.ok(ubrns.includes(FX.referrals.bookedDbs) && ubrns.includes(FX.referrals.bookedIbs) && ubrns.includes(FX.referrals.awaitingTriage));
    assert.ok(!ubrns.includes(FX.referrals.noProviderRelationship) && !ubrns.includes(FX.referrals.unbooked));
    const ext = item(list, FX.referrals.bookedDbs);
    assert.ok(ext.url.endsWith('Extension-eRS-ReferralsforReview-WorkListItem-1'));
    const version = ext.extension.find((e: Json) => e.url === 'referralRequestVersion').valueInteger;
    const a005 = await readJson(await fetch(`${sim.baseUrl}/STU3/ReferralRequest/${FX.referrals.bookedDbs}`, { headers: userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN')) }));
    assert.equal(String(version), a005.meta.versionId);
    const patientRef = ext.extension.find((e: Json) => e.url === 'patient').valueReference.reference;
    assert.ok(list.contained.some((c: Json) => `#${c.id}` === patientRef && c.resourceType === 'Patient'));
  });

  it('APPOINTMENT_SLOT_ISSUES: deferred referrals', async () => {
    const list = await readJson(await fetchList(spc(), listType('APPOINTMENT_SLOT_ISSUES')));
    assert.deepEqual(refs(list), [FX.referrals.deferred]);
    assert.ok(item(list, FX.referrals.deferred).url.endsWith('Extension-eRS-AppointmentSlotIssues-WorkListItem-1'));
  });

  it('filters: service, specialty ASSIGNED, clinician ASSIGNED, location', async () => {
    const byService = refs(await readJson(await fetchList(spc(), listType('REFERRALS_FOR_REVIEW'), service(FX.worklist.service))));
    assert.deepEqual(byService, [FX.referrals.bookedDbs]);
    const bySpecialty = refs(await readJson(await fetchList(spc(), listType('REFERRALS_FOR_REVIEW'), indicator('specialtyAssignedIndicator', 'ASSIGNED'), specialty(FX.worklist.specialty))));
    assert.ok(bySpecialty.length >= 2);
    const none = refs(await readJson(await fetchList(spc(), listType('REFERRALS_FOR_REVIEW'), indicator('specialtyAssignedIndicator', 'ASSIGNED'), specialty('DERMATOLOGY'))));
    assert.deepEqual(none, []);
    const byClinician = refs(await readJson(await fetchList(spc(), listType('REFERRALS_FOR_REVIEW'), indicator('clinicianAssignedIndicator', 'ASSIGNED'), clinician(FX.worklist.clinician))));
    assert.deepEqual(byClinician, [FX.referrals.bookedDbs]);
    const byLocation = refs(await readJson(await fetchList(spc(), listType('REFERRALS_FOR_REVIEW'), location(FX.worklist.location))));
    assert.ok(byLocation.includes(FX.referrals.bookedDbs) && !byLocation.includes(FX.referrals.bookedIbs));
  });

  it('SPA and the SPCA (through the SPC acted for) get provider lists', async () => {
    assert.equal((await fetchList(userHeaders(sim, actor('SERVICE_PROVIDER_ADMIN')), listType('REFERRALS_FOR_REVIEW'))).status, 200);
    const spca = refs(await readJson(await fetchList(userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN_ADMIN')), listType('REFERRALS_FOR_REVIEW'))));
    assert.ok(spca.includes(FX.referrals.awaitingTriage));
  });

  it('provider application with a service filter -> 200', async () => {
    const list = await readJson(await fetchList(appHeaders(sim, 'provider'), listType('REFERRALS_FOR_REVIEW'), service(FX.worklist.service)));
    assert.deepEqual(refs(list), [FX.referrals.bookedDbs]);
  });
});

describe('A008 referrer lists', () => {
  const rc = () => userHeaders(sim, actor('REFERRING_CLINICIAN'));
  it('AWAITING_BOOKING, LETTERS_OUTSTANDING, REJECTED_TRIAGE_RESPONSE, ASSESSMENT_RETURNED_CANCELLED_DNA', async () => {
    const awaiting = await readJson(await fetchList(rc(), listType('AWAITING_BOOKING')));
    assert.ok(refs(awaiting).includes(FX.referrals.unbooked));
    assert.ok(item(awaiting, FX.referrals.unbooked).url.endsWith('Extension-eRS-AwaitingBooking-WorkListItem-1'));
    assert.ok(refs(await readJson(await fetchList(rc(), listType('LETTERS_OUTSTANDING')))).includes(FX.referrals.unbooked));
    assert.deepEqual(refs(await readJson(await fetchList(rc(), listType('REJECTED_TRIAGE_RESPONSE')))), [FX.referrals.rejected]);
    assert.deepEqual(refs(await readJson(await fetchList(userHeaders(sim, actor('REFERRING_ADMIN')), listType('ASSESSMENT_RETURNED_CANCELLED_DNA')))), [FX.referrals.cancelled]);
  });

  it('only referrals raised at the caller\'s organisation', async () => {
    const ubrns = refs(await readJson(await fetchList(rc(), listType('AWAITING_BOOKING'))));
    assert.ok(!ubrns.includes(FX.referrals.noProviderRelationship));
  });
});

describe('A008 errors', () => {
  const cases: [string, () => Record<string, string>, Json[], string, string?][] = [
    ['unknown service filter', spc, [listType('REFERRALS_FOR_REVIEW'), service(FX.worklist.unknownService)], 'REFERENCE_NOT_FOUND', FX.worklist.unknownService],
    ['unknown specialty filter', spc, [listType('REFERRALS_FOR_REVIEW'), indicator('specialtyAssignedIndicator', 'ASSIGNED'), specialty('NOT_A_SPECIALTY')], 'REFERENCE_NOT_FOUND', 'NOT_A_SPECIALTY'],
    ['unknown clinician filter', spc, [listType('REFERRALS_FOR_REVIEW'), indicator('clinicianAssignedIndicator', 'ASSIGNED'), clinician('910000009999')], 'REFERENCE_NOT_FOUND'],
    ['unknown location filter', spc, [listType('REFERRALS_FOR_REVIEW'), location('ZZZ99')], 'REFERENCE_NOT_FOUND'],
    ['specialtyAssignedIndicator ASSIGNED without specialty', spc, [listType('REFERRALS_FOR_REVIEW'), indicator('specialtyAssignedIndicator', 'ASSIGNED')], 'MISSING_VALUE', 'parameter[1]'],
    ['clinicianAssignedIndicator ASSIGNED without clinician', spc, [listType('REFERRALS_FOR_REVIEW'), indicator('clinicianAssignedIndicator', 'ASSIGNED')], 'MISSING_VALUE'],
    ['listType missing', spc, [service(FX.worklist.service)], 'MISSING_VALUE', 'listType'],
    ['application without a service filter', () => appHeaders(sim, 'provider'), [listType('REFERRALS_FOR_REVIEW')], 'MISSING_VALUE', 'service'],
    ['service at another provider', spc, [listType('REFERRALS_FOR_REVIEW'), service(FX.worklist.otherProviderService)], 'NO_RELATIONSHIP', FX.worklist.otherProviderService],
    ['app filtering on another provider\'s service', () => appHeaders(sim, 'provider'), [listType('REFERRALS_FOR_REVIEW'), service(FX.worklist.otherProviderService)], 'NO_RELATIONSHIP'],
    ['specialtyAssignedIndicator NOT_ASSIGNED', spc, [listType('REFERRALS_FOR_REVIEW'), indicator('specialtyAssignedIndicator', 'NOT_ASSIGNED')], 'INVALID_VALUE', 'NOT_ASSIGNED'],
    ['referrer list requested by a provider', spc, [listType('AWAITING_BOOKING')], 'INVALID_VALUE', 'parameter[0].valueCodeableConcept.coding[0].code'],
    ['provider list requested by a referrer', () => userHeaders(sim, actor('REFERRING_CLINICIAN')), [listType('REFERRALS_FOR_REVIEW')], 'INVALID_VALUE'],
    ['listType not in eRS-ReferralListSelector-1', spc, [listType('EVERYTHING')], 'INVALID_CODE', 'EVERYTHING'],
    ['listType from the wrong code system', spc, [listType('REFERRALS_FOR_REVIEW', `${CS}/eRS-CommunicationListSelector-1`)], 'INVALID_CODE'],
    ['specialty without ASSIGNED', spc, [listType('REFERRALS_FOR_REVIEW'), specialty('CARDIOLOGY')], 'UNEXPECTED_FIELD', 'parameter[1]'],
    ['clinician without ASSIGNED', spc, [listType('REFERRALS_FOR_REVIEW'), clinician(FX.worklist.clinician)], 'UNEXPECTED_FIELD'],
    ['unknown parameter name', spc, [listType('REFERRALS_FOR_REVIEW'), { name: 'sortOrder', valueString: 'asc' }], 'UNEXPECTED_FIELD', "unknown parameter name 'sortOrder'"],
    ['filters from a referrer', () => userHeaders(sim, actor('REFERRING_CLINICIAN')), [listType('AWAITING_BOOKING'), service(FX.worklist.service)], 'UNEXPECTED_FIELD', 'parameter[1]'],
    ['value[x] of the wrong type', spc, [{ name: 'listType', valueString: 'REFERRALS_FOR_REVIEW' }], 'INVALID_FHIR_STRUCTURE', 'expected valueCodeableConcept'],
  ];
  for (const [why, headers, params, code, diag] of cases) {
    it(`${code}: ${why}`, async () => {
      await assertStu3Outcome(await fetchList(headers(), ...params), 422, code, diag);
    });
  }

  it('INVALID_FHIR_STRUCTURE: parameter not an array', async () => {
    await assertStu3Outcome(await post(sim, A008_PATH, spc(), { resourceType: 'Parameters', parameter: listType('REFERRALS_FOR_REVIEW') }), 422, 'INVALID_FHIR_STRUCTURE', 'parameter: expected an array');
  });

  it('COMMISSIONER may not fetch worklists -> 403 FORBIDDEN', async () => {
    await assertStu3Outcome(await fetchList(userHeaders(sim, actor('COMMISSIONER')), listType('REFERRALS_FOR_REVIEW')), 403, 'FORBIDDEN');
  });

  it('referrer application -> 403 FORBIDDEN (provider context only)', async () => {
    await assertStu3Outcome(await fetchList(appHeaders(sim, 'referrer'), listType('AWAITING_BOOKING')), 403, 'FORBIDDEN');
  });
});
