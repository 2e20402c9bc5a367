// A011 Create referral: creation, read-back through A005 and the referrer worklists, and every documented 422 code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { A005, A008_PATH, A011_PATH, CS, FX, SDS, SERVICE, actor, assertStu3Outcome, criteriaParameters, get, post, readJson, start, userHeaders, createRequest, type Json } from './helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const rc = () => userHeaders(sim, actor('REFERRING_CLINICIAN'), { 'X-Correlation-ID': 'a11' });
const rca = () => userHeaders(sim, actor('REFERRING_CLINICIAN_ADMIN'));
const create = (body: Json, h = rc()) => post(sim, A011_PATH, h, body);
const rcParam = (id: string) => ({ name: 'referringClinician', valueIdentifier: { system: SDS, value: id } });
const DAY = 86_400_000;
const worklistItems = async (listType: string) => {
  const body = { resourceType: 'Parameters', parameter: [{ name: 'listType', valueCodeableConcept: { coding: [{ system: `${CS}/eRS-ReferralListSelector-1`, code: listType }] } }] };
  const list = await readJson(await post(sim, A008_PATH, userHeaders(sim, actor('REFERRING_CLINICIAN')), body));
  return list.entry.map((e: Json) => e.item.reference as string);
};

describe('A011 create referral', () => {
  it('201 NOT_BOOKED referral, version 1, ETag W/"1" == meta.versionId, new 12-digit UBRN', async () => {
    const res = await create(createRequest(sim));
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-correlation-id'), 'a11');
    const r = await readJson(res);
    assert.equal(r.meta.versionId, '1');
    assert.equal(res.headers.get('etag'), 'W/"1"');
    assert.match(r.id, /^\d{12}$/);
    assert.equal(r.status, 'active');
    const state = r.extension.find((e: Json) => e.url.endsWith('Extension-eRS-ReferralState-1')).extension[0].valueCoding.code;
    assert.equal(state, 'NOT_BOOKED');
    const shortlist = r.contained.find((c: Json) => c.id === 'shortlist');
    assert.deepEqual(shortlist.entry.map((e: Json) => e.item.identifier.value), [FX.services.directlyBookable, FX.services.indirectlyBookable]);
  });

  it('the new referral reads back through A005 and shows on AWAITING_BOOKING and LETTERS_OUTSTANDING', async () => {
    const created = await readJson(await create(createRequest(sim)));
    const res = await get(sim, A005(created.id), userHeaders(sim, actor('REFERRING_CLINICIAN')));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), 'W/"1"');
    const read = await readJson(res);
    assert.equal(read.identifier[0].value, created.identifier[0].value);
    assert.ok((await worklistItems('AWAITING_BOOKING')).includes(`ReferralRequest/${created.id}`));
    assert.ok((await worklistItems('LETTERS_OUTSTANDING')).includes(`ReferralRequest/${created.id}`));
  });

  it('NOT_INTENDING_TO_ADD keeps it off LETTERS_OUTSTANDING; RCA names the referring clinician; UBRNs are unique', async () => {
    const a = await readJson(await create(createRequest(sim, { intention: 'NOT_INTENDING_TO_ADD' })));
    assert.ok(!(await worklistItems('LETTERS_OUTSTANDING')).includes(`ReferralRequest/${a.id}`));
    const b = await create(createRequest(sim, { extra: [rcParam(FX.search.referringClinician.valid)] }), rca());
    assert.equal(b.status, 201);
    assert.notEqual((await readJson(b)).id, a.id);
  });

  it('a valid eReferralPathwayStart is kept', async () => {
    const start = new Date(Date.now() - 10 * DAY).toISOString();
    const r = await readJson(await create(createRequest(sim, { extra: [{ name: 'eReferralPathwayStart', valueInstant: start }] })));
    assert.equal(r.extension.find((e: Json) => e.url.endsWith('Extension-eRS-eReferralPathwayStart-1')).valueInstant, start);
  });

  it('reset() forgets created referrals', async () => {
    const r = await readJson(await create(createRequest(sim)));
    sim.reset();
    assert.equal((await get(sim, A005(r.id), userHeaders(sim, actor('REFERRING_CLINICIAN')))).status, 404);
  });
});

describe('A011 errors (422, shared create-request table)', () => {
  const twentyOne = Array.from({ length: 21 }, (_, i) => ({ item: { identifier: { system: SERVICE, value: String(41000 + i) } } }));
  const crit = (extra: Json[] = [], c: Record<string, unknown> = FX.search.criteria) => criteriaParameters(sim, c, extra);
  const cases: [string, () => Json, string, string?, (() => Record<string, string>)?][] = [
    ['more than 20 services', () => createRequest(sim, { listEntries: twentyOne }), 'TOO_MANY_ITEMS', 'parameter[3].resource.entry'],
    ['same service twice', () => createRequest(sim, { services: [FX.services.directlyBookable, FX.services.directlyBookable] }), 'DUPLICATE_SERVICE', 'parameter[3].resource.entry[1].item.identifier.value'],
    ['service not returned by the criteria', () => createRequest(sim, { services: [FX.services.directlyBookable, FX.services.notInResults] }), 'SHORTLISTED_SERVICE_NOT_IN_RESULTS', FX.services.notInResults],
    ['inactive service is not in the results', () => createRequest(sim, { services: [FX.services.inactive] }), 'SHORTLISTED_SERVICE_NOT_IN_RESULTS', FX.services.inactive],
    ['NOT_INTENDING_TO_ADD but the service requires a letter', () => createRequest(sim, { services: [FX.services.requiresLetter], intention: 'NOT_INTENDING_TO_ADD' }), 'INAPPROPRIATE_VALUE', 'requires a referral letter'],
    ['A&G-only service on an appointment shortlist', () => createRequest(sim, { services: [FX.services.adviceAndGuidance] }), 'INAPPROPRIATE_VALUE', 'does not accept appointment requests'],
    ['commissioningProvisioning ALL_SERVICES', () => createRequest(sim, { criteria: crit([{ name: 'commissioningProvisioning', valueCoding: { system: `${CS}/eRS-CommissioningProvisioning-1`, code: 'ALL_SERVICES' } }]) }), 'INAPPROPRIATE_VALUE', 'ALL_SERVICES'],
    ['eReferralPathwayStart in the future', () => createRequest(sim, { extra: [{ name: 'eReferralPathwayStart', valueInstant: new Date(Date.now() + DAY).toISOString() }] }), 'INVALID_VALUE', 'parameter[4].valueInstant'],
    ['eReferralPathwayStart more than 365 days ago', () => createRequest(sim, { extra: [{ name: 'eReferralPathwayStart', valueInstant: new Date(Date.now() - 400 * DAY).toISOString() }] }), 'INVALID_VALUE', '365'],
    ['eReferralPathwayStart not an instant', () => createRequest(sim, { extra: [{ name: 'eReferralPathwayStart', valueInstant: '2024-13-45' }] }), 'INVALID_VALUE', 'instant'],
    ['firstReminderLetterFollowUpDays negative', () => createRequest(sim, { reminderDays: -2 }), 'INVALID_VALUE', 'parameter[2].valueUnsignedInt'],
    ['firstReminderLetterFollowUpDays too large', () => createRequest(sim, { reminderDays: 400 }), 'INVALID_VALUE', 'parameter[2].valueUnsignedInt'],
    ['NHS number failing modulus 11', () => createRequest(sim, { patient: FX.patients.invalidChecksum }), 'INVALID_VALUE', 'parameter[0].valueIdentifier.value'],
    ['unknown patient', () => createRequest(sim, { patient: FX.patients.unknown }), 'REFERENCE_NOT_FOUND', FX.patients.unknown],
    ['unknown service', () => createRequest(sim, { services: [FX.services.unknown] }), 'REFERENCE_NOT_FOUND', FX.services.unknown],
    ['sensitive patient', () => createRequest(sim, { patient: FX.patients.sensitive }), 'PATIENT_ERROR'],
    ['patient without a registered GP', () => createRequest(sim, { patient: FX.patients.noRegisteredGp }), 'NO_REG_GP_PRACTICE'],
    ['referringClinician from an RC', () => createRequest(sim, { extra: [rcParam(FX.search.referringClinician.valid)] }), 'FIELD_NOT_PERMITTED', 'referringClinician'],
    ['RCA without referringClinician', () => createRequest(sim), 'VALUE_IS_REQUIRED', 'referringClinician', rca],
    ['inactive referringClinician', () => createRequest(sim, { extra: [rcParam(FX.search.referringClinician.inactive)] }), 'REFERENCED_USER_IS_NOT_ACTIVE', undefined, rca],
    ['referringClinician not an RC', () => createRequest(sim, { extra: [rcParam(FX.search.referringClinician.notRc)] }), 'REFERENCED_USER_IS_NOT_RC', undefined, rca],
    ['referringClinician not RC at the org', () => createRequest(sim, { extra: [rcParam(FX.search.referringClinician.notRcAtOrg)] }), 'REFERENCED_USER_IS_NOT_RC_AT_ORG', undefined, rca],
    ['referringClinician not in the org', () => createRequest(sim, { extra: [rcParam(FX.search.referringClinician.notInOrg)] }), 'REFERENCED_USER_NOT_IN_ORG', undefined, rca],
    ['distanceLimit without postcode', () => createRequest(sim, { criteria: crit([{ name: 'distanceLimit', valueUnsignedInt: 3 }]) }), 'FIELD_NOT_PERMITTED', 'parameter[3].resource.contained[0].parameter[3]'],
    ['no way to find services in the criteria', () => createRequest(sim, { criteria: crit([], { priority: 'ROUTINE' }) }), 'VALUE_IS_REQUIRED'],
    ['closed organisation in the criteria', () => createRequest(sim, { criteria: crit([{ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: FX.organisations.closed } }]) }), 'ORGANISATION_IS_CLOSED'],
    ['inappropriate organisation in the criteria', () => createRequest(sim, { criteria: crit([{ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: FX.organisations.notAppropriate } }]) }), 'ORGANISATION_NOT_APPROPRIATE'],
    ['named clinician not an SPC', () => createRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'namedClinician', valueIdentifier: { system: SDS, value: FX.search.namedClinician.notSpc } }]) }), 'REFERENCED_USER_IS_NOT_SPC'],
    ['unknown SNOMED term', () => createRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'clinicalTerm', valueCoding: { system: 'http://snomed.info/sct', code: FX.search.clinicalTerm.unknown } }]) }), 'SNOMED_NOT_FOUND'],
    ['intention code not in eRS-ReferralLetterIntention-1', () => createRequest(sim, { intention: 'MAYBE' }), 'INVALID_CODE', 'parameter[1].valueCoding.code'],
    ['shortlist missing', () => { const b = createRequest(sim); b.parameter.splice(3, 1); return b; }, 'MISSING_VALUE', "'shortlist'"],
    ['empty shortlist', () => createRequest(sim, { listEntries: [] }), 'MISSING_VALUE', 'entry'],
    ['shortlist without the search-criteria extension', () => { const b = createRequest(sim); b.parameter[3].resource.extension = []; return b; }, 'MISSING_VALUE', 'Extension-eRS-Shortlist-SearchCriteria-1'],
    ['unknown parameter name', () => createRequest(sim, { extra: [{ name: 'urgency', valueString: 'high' }] }), 'UNEXPECTED_FIELD', "parameter[4]: unknown parameter name 'urgency'"],
    ['shortlist is not a List', () => { const b = createRequest(sim); b.parameter[3].resource.resourceType = 'Bundle'; return b; }, 'INVALID_FHIR_STRUCTURE', 'parameter[3].resource.resourceType'],
    ['entry not an array', () => { const b = createRequest(sim); b.parameter[3].resource.entry = { item: {} }; return b; }, 'INVALID_FHIR_STRUCTURE', 'parameter[3].resource.entry'],
  ];
  for (const [why, body, code, diag, headers] of cases) {
    it(`${code}: ${why}`, async () => {
      const res = await create(body(), headers ? headers() : rc());
      await assertStu3Outcome(res, 422, code, diag);
    });
  }

  it('a failed create stores nothing (AWAITING_BOOKING unchanged)', async () => {
    const before = await worklistItems('AWAITING_BOOKING');
    await create(createRequest(sim, { services: [FX.services.notInResults] }));
    assert.deepEqual(await worklistItems('AWAITING_BOOKING'), before);
  });

  it('SPC may not create -> 403 FORBIDDEN', async () => {
    await assertStu3Outcome(await create(createRequest(sim), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'))), 403, 'FORBIDDEN');
  });
});
