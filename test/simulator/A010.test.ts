// A010 Patient service search: results and every documented 422 code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { A010_PATH, CS, FX, SDS, actor, assertStu3Outcome, coding, criteriaParameters, post, readJson, searchRequest, start, userHeaders, type Json } from './helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const rc = () => userHeaders(sim, actor('REFERRING_CLINICIAN'), { 'X-Correlation-ID': 'a10' });
const rca = () => userHeaders(sim, actor('REFERRING_CLINICIAN_ADMIN'));
const ids = (list: Json) => list.entry.map((e: Json) => e.item.identifier.value as string);
const search = (body: Json, h = rc()) => post(sim, A010_PATH, h, body);
const rcParam = (id: string) => ({ name: 'referringClinician', valueIdentifier: { system: SDS, value: id } });
const crit = (extra: Json[], c: Record<string, unknown> = FX.search.criteria) => criteriaParameters(sim, c, extra);

describe('A010 results', () => {
  it('specialty + clinicType returns the DBS and IBS services as eRS-FetchServices-List-1', async () => {
    const res = await search(searchRequest(sim));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-correlation-id'), 'a10');
    const list = await readJson(res);
    assert.deepEqual(list.meta.profile, ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchServices-List-1']);
    assert.equal(list.status, 'current');
    assert.ok(ids(list).includes(FX.services.directlyBookable) && ids(list).includes(FX.services.indirectlyBookable));
    assert.ok(!ids(list).includes(FX.services.notInResults) && !ids(list).includes(FX.services.adviceAndGuidance) && !ids(list).includes(FX.services.inactive));
    const entry = list.entry[0];
    assert.ok(entry.extension[0].url.endsWith('Extension-eRS-ServiceSearch-ListItem-1'));
    const summary = entry.item.extension[0];
    assert.ok(summary.url.endsWith('Extension-eRS-ServiceSummaryView-1'));
    const names = summary.extension.map((e: Json) => e.url);
    for (const n of ['serviceName', 'bookableType', 'supportedRequestFlowType', 'supportedAppointmentType', 'location', 'linkToNHSWebsite']) assert.ok(names.includes(n), n);
  });

  it('sortBy DISTANCE orders by distance, IWT by wait time', async () => {
    const byDistance = await readJson(await search(searchRequest(sim)));
    const distances = byDistance.entry.map((e: Json) => e.extension[0].extension.find((x: Json) => x.url === 'distance')?.valueUnsignedInt ?? Infinity);
    assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
    const byIwt = await readJson(await search(searchRequest(sim, { sortBy: 'IWT' })));
    const waits = byIwt.entry.map((e: Json) => e.extension[0].extension.find((x: Json) => x.url === 'indicativeAppointmentWaitTime')?.valueUnsignedInt ?? Infinity);
    assert.deepEqual(waits, [...waits].sort((a, b) => a - b));
  });

  it('clinicalTerm, namedClinician, organisation, IWT limit and postcode+distance narrow the results', async () => {
    const term = await readJson(await search(searchRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'clinicalTerm', valueCoding: coding('http://snomed.info/sct', FX.search.clinicalTerm.known) }]) })));
    assert.ok(ids(term).includes(FX.services.directlyBookable));
    assert.ok(!ids(term).includes(FX.services.indirectlyBookable));
    const named = await readJson(await search(searchRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'namedClinician', valueIdentifier: { system: SDS, value: FX.search.namedClinician.spc } }]) })));
    assert.ok(ids(named).length > 0);
    const org = await readJson(await search(searchRequest(sim, { criteria: crit([{ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: FX.organisations.serviceProvider } }]) })));
    assert.ok(ids(org).length > 0 && !ids(org).includes('40201'));
    const iwt = await readJson(await search(searchRequest(sim, { criteria: crit([{ name: 'indicativeAppointmentWaitTimeLimit', valueUnsignedInt: 15 }]) })));
    assert.ok(ids(iwt).includes(FX.services.directlyBookable) && !ids(iwt).includes(FX.services.indirectlyBookable));
    const near = await readJson(await search(searchRequest(sim, { criteria: crit([{ name: 'postcode', valueString: FX.search.postcode.known }, { name: 'distanceLimit', valueUnsignedInt: 1 }]) })));
    assert.ok(near.entry.every((e: Json) => e.extension[0].extension.find((x: Json) => x.url === 'distance').valueUnsignedInt <= 1));
    assert.ok(ids(near).length > 0);
  });

  it('ADVICE_AND_GUIDANCE_REQUEST returns only A&G services', async () => {
    const list = await readJson(await search(searchRequest(sim, { requestType: 'ADVICE_AND_GUIDANCE_REQUEST', criteria: crit([], FX.search.adviceCriteria) })));
    assert.deepEqual(ids(list), [FX.services.adviceAndGuidance]);
  });

  it('no match -> empty list with emptyReason', async () => {
    const list = await readJson(await search(searchRequest(sim, { criteria: crit([{ name: 'indicativeAppointmentWaitTimeLimit', valueUnsignedInt: 0 }]) })));
    assert.equal(list.entry.length, 0);
    assert.equal(list.emptyReason.coding[0].code, 'nilknown');
  });

  it('RCA with a valid referringClinician -> 200', async () => {
    assert.equal((await search(searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.valid)] }), rca())).status, 200);
  });
});

describe('A010 errors (422, catalogue A010 row)', () => {
  const cases: [string, () => Json, string, string?, (() => Record<string, string>)?][] = [
    ['referringClinician from a non-RCA', () => searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.valid)] }), 'FIELD_NOT_PERMITTED', 'parameter[4]'],
    ['distanceLimit without postcode', () => searchRequest(sim, { criteria: crit([{ name: 'distanceLimit', valueUnsignedInt: 5 }]) }), 'FIELD_NOT_PERMITTED', 'parameter[3].resource.parameter[3]'],
    ['IWT limit with TWO_WEEK_WAIT', () => searchRequest(sim, { criteria: crit([{ name: 'indicativeAppointmentWaitTimeLimit', valueUnsignedInt: 5 }], { ...FX.search.criteria, priority: 'TWO_WEEK_WAIT' }) }), 'FIELD_NOT_PERMITTED', 'indicativeAppointmentWaitTimeLimit'],
    ['clinicType without specialty', () => searchRequest(sim, { criteria: crit([], { priority: 'ROUTINE', clinicType: 'HEART_FAILURE' }) }), 'FIELD_NOT_PERMITTED', 'clinicType'],
    ['RCA without referringClinician', () => searchRequest(sim), 'VALUE_IS_REQUIRED', 'referringClinician', rca],
    ['none of specialty+clinicType, clinicalTerm, namedClinician', () => searchRequest(sim, { criteria: crit([], { priority: 'ROUTINE', specialty: 'CARDIOLOGY' }) }), 'VALUE_IS_REQUIRED', 'specialty + clinicType'],
    ['commissioningProvisioning ALL_SERVICES', () => searchRequest(sim, { criteria: crit([{ name: 'commissioningProvisioning', valueCoding: coding(`${CS}/eRS-CommissioningProvisioning-1`, 'ALL_SERVICES') }]) }), 'INAPPROPRIATE_VALUE', 'ALL_SERVICES'],
    ['patient without a registered GP', () => searchRequest(sim, { patient: FX.patients.noRegisteredGp }), 'NO_REG_GP_PRACTICE', 'parameter[2].valueIdentifier.value'],
    ['sensitive patient', () => searchRequest(sim, { patient: FX.patients.sensitive }), 'PATIENT_ERROR', 'parameter[2].valueIdentifier.value'],
    ['closed organisation filter', () => searchRequest(sim, { criteria: crit([{ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: FX.organisations.closed } }]) }), 'ORGANISATION_IS_CLOSED'],
    ['organisation not a provider or location', () => searchRequest(sim, { criteria: crit([{ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: FX.organisations.notAppropriate } }]) }), 'ORGANISATION_NOT_APPROPRIATE'],
    ['unknown organisation', () => searchRequest(sim, { criteria: crit([{ name: 'organisation', valueIdentifier: { system: 'https://directory.spineservices.nhs.uk/STU3/Organization', value: FX.organisations.unknown } }]) }), 'REFERENCE_NOT_FOUND', FX.organisations.unknown],
    ['unknown patient (valid checksum)', () => searchRequest(sim, { patient: FX.patients.unknown }), 'REFERENCE_NOT_FOUND', FX.patients.unknown],
    ['unknown postcode', () => searchRequest(sim, { criteria: crit([{ name: 'postcode', valueString: FX.search.postcode.unknown }]) }), 'REFERENCE_NOT_FOUND', 'postcode'],
    ['unknown named clinician', () => searchRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'namedClinician', valueIdentifier: { system: SDS, value: FX.search.referringClinician.unknown } }]) }), 'REFERENCE_NOT_FOUND'],
    ['unknown referringClinician', () => searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.unknown)] }), 'REFERENCE_NOT_FOUND', 'parameter[4].valueIdentifier.value', rca],
    ['inactive referringClinician', () => searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.inactive)] }), 'REFERENCED_USER_IS_NOT_ACTIVE', undefined, rca],
    ['referringClinician without the RC role', () => searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.notRc)] }), 'REFERENCED_USER_IS_NOT_RC', undefined, rca],
    ['referringClinician not RC at the org', () => searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.notRcAtOrg)] }), 'REFERENCED_USER_IS_NOT_RC_AT_ORG', undefined, rca],
    ['referringClinician not in the org', () => searchRequest(sim, { extra: [rcParam(FX.search.referringClinician.notInOrg)] }), 'REFERENCED_USER_NOT_IN_ORG', undefined, rca],
    ['namedClinician not an SPC', () => searchRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'namedClinician', valueIdentifier: { system: SDS, value: FX.search.namedClinician.notSpc } }]) }), 'REFERENCED_USER_IS_NOT_SPC'],
    ['SNOMED term not in the dictionary', () => searchRequest(sim, { criteria: criteriaParameters(sim, { priority: 'ROUTINE' }, [{ name: 'clinicalTerm', valueCoding: coding('http://snomed.info/sct', FX.search.clinicalTerm.unknown) }]) }), 'SNOMED_NOT_FOUND', FX.search.clinicalTerm.unknown],
    ['mandatory parameter absent (sortBy)', () => { const b = searchRequest(sim); b.parameter.splice(1, 1); return b; }, 'MISSING_VALUE', 'sortBy'],
    ['mandatory criteria parameter absent (priority)', () => searchRequest(sim, { criteria: crit([], { specialty: 'CARDIOLOGY', clinicType: 'HEART_FAILURE' }) }), 'MISSING_VALUE', 'priority'],
    ['NHS number failing modulus 11', () => searchRequest(sim, { patient: FX.patients.invalidChecksum }), 'INVALID_VALUE', 'parameter[2].valueIdentifier.value'],
    ['negative distanceLimit', () => searchRequest(sim, { criteria: crit([{ name: 'postcode', valueString: FX.search.postcode.known }, { name: 'distanceLimit', valueUnsignedInt: -1 }]) }), 'INVALID_VALUE', 'parameter[3].resource.parameter[4].valueUnsignedInt'],
    ['priority code not in eRS-Priority-1', () => searchRequest(sim, { criteria: crit([], { ...FX.search.criteria, priority: 'WHENEVER' }) }), 'INVALID_CODE', 'parameter[3].resource.parameter[0].valueCoding.code'],
    ['specialty code not in SPECIALTY', () => searchRequest(sim, { criteria: crit([], { ...FX.search.criteria, specialty: 'ASTROLOGY' }) }), 'INVALID_CODE', 'ASTROLOGY'],
    ['requestType code not in eRS-RequestType-1', () => searchRequest(sim, { requestType: 'BOOK_A_TABLE' }), 'INVALID_CODE', 'parameter[0].valueCoding.code'],
    ['unknown parameter name', () => searchRequest(sim, { extra: [{ name: 'favouriteColour', valueString: 'blue' }] }), 'UNEXPECTED_FIELD', "parameter[4]: unknown parameter name 'favouriteColour'"],
    ['unknown criteria parameter name', () => searchRequest(sim, { criteria: crit([{ name: 'colour', valueString: 'x' }]) }), 'UNEXPECTED_FIELD', 'parameter[3].resource.parameter[3]'],
    ['parameter not an array', () => ({ resourceType: 'Parameters', parameter: { name: 'patient' } }), 'INVALID_FHIR_STRUCTURE', 'parameter'],
    ['value[x] of the wrong type', () => { const b = searchRequest(sim); b.parameter[2] = { name: 'patient', valueString: FX.patients.referable }; return b; }, 'INVALID_FHIR_STRUCTURE', 'parameter[2] (patient): expected valueIdentifier'],
    ['commissioningRuleOrganisation with A&G', () => searchRequest(sim, { requestType: 'ADVICE_AND_GUIDANCE_REQUEST', criteria: crit([], FX.search.adviceCriteria), extra: [{ name: 'commissioningRuleOrganisation', valueIdentifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: FX.organisations.referring } }] }), 'FIELD_NOT_PERMITTED', 'commissioningRuleOrganisation'],
  ];
  for (const [why, body, code, diag, headers] of cases) {
    it(`${code}: ${why}`, async () => {
      const res = await search(body(), headers ? headers() : rc());
      if (!headers) assert.equal(res.headers.get('x-correlation-id'), 'a10');
      await assertStu3Outcome(res, 422, code, diag || undefined);
    });
  }

  it('SPC may not search -> 403 FORBIDDEN', async () => {
    await assertStu3Outcome(await search(searchRequest(sim), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'))), 403, 'FORBIDDEN');
  });
});
