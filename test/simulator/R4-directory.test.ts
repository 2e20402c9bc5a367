// A030, A033, A035, A037, A040, A041: the R4 directory and identity operations of the simulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, actor, appHeaders, get, readJson, start, userHeaders, type Json } from './helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const R4_OO = 'https://fhir.nhs.uk/StructureDefinition/NHSDigital-OperationOutcome';
const rc = () => userHeaders(sim, actor('REFERRING_CLINICIAN'));
const spcaWithoutObo = () => userHeaders(sim, { ...actor('SERVICE_PROVIDER_CLINICIAN_ADMIN'), onBehalfOf: undefined });

async function assertR4Outcome(res: Response, status: number, issueType: string, code: string, diagnosticsIncludes?: string): Promise<Json> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${text}`);
  const body = JSON.parse(text);
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.deepEqual(body.meta.profile, [R4_OO]);
  assert.equal(body.issue.length, 1);
  assert.equal(body.issue[0].code, issueType);
  assert.equal(body.issue[0].details.coding[0].code, code);
  if (diagnosticsIncludes) assert.ok(body.issue[0].diagnostics.includes(diagnosticsIncludes), `diagnostics '${body.issue[0].diagnostics}' should mention '${diagnosticsIncludes}'`);
  return body.issue[0];
}

const ids = (bundle: Json): string[] => bundle.entry?.map((e: Json) => e.resource.id) ?? [];

describe('A030 retrieve user business functions', () => {
  it('one PractitionerRole per organisation with every business function held there, for any user, without role headers', async () => {
    const kim = '910000000106'; // REFERRING_ADMIN at Y90001, REFERRING_CLINICIAN at Y90002
    const token = sim.issueToken({ mode: 'user-restricted', userId: kim, ial: 3, aal: 'AAL3' });
    const res = await get(sim, '/R4/PractitionerRole', { Authorization: `Bearer ${token}` });
    assert.equal(res.status, 200);
    const bundle = await readJson(res);
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.total, 2);
    assert.deepEqual(ids(bundle).sort(), [`PractitionerRole-Y90001-${kim}`, `PractitionerRole-Y90002-${kim}`]);
    const y2 = bundle.entry.find((e: Json) => e.resource.organization.identifier.value === 'Y90002').resource;
    assert.equal(y2.practitioner.identifier.value, kim);
    assert.deepEqual(y2.code.map((c: Json) => c.coding[0].code), ['REFERRING_CLINICIAN']);
    assert.equal(bundle.entry[0].fullUrl, `${sim.baseUrl}/R4/PractitionerRole/${bundle.entry[0].resource.id}`);
  });

  it('is user-restricted only: an application gets 403 REC_FORBIDDEN', async () => {
    await assertR4Outcome(await get(sim, '/R4/PractitionerRole', appHeaders(sim, 'referrer')), 403, 'forbidden', 'REC_FORBIDDEN');
  });

  it('ignores anything in the query string (A030 documents no parameters and no 400)', async () => {
    assert.equal((await get(sim, '/R4/PractitionerRole?organization=Y90001', rc())).status, 200);
  });
});

describe('A033 / A037 healthcare service and its version', () => {
  it('GET returns eRS-HealthcareService with versionId, ETag and Cache-Control; HEAD returns the same ETag and no body', async () => {
    const id = FX.services.directlyBookable;
    const res = await get(sim, `/R4/HealthcareService/${id}`, rc());
    assert.equal(res.status, 200);
    const svc = await readJson(res);
    assert.equal(svc.id, id);
    assert.equal(res.headers.get('etag'), `W/"${svc.meta.versionId}"`);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(svc.location[0].identifier.system, 'https://fhir.nhs.uk/Id/ods-site-code');
    assert.deepEqual(svc.characteristic.map((c: Json) => c.coding[0].code), ['BOOKABLE', 'DIRECTLY_BOOKABLE']);
    assert.equal(svc.type.length, 1);
    const head = await fetch(`${sim.baseUrl}/R4/HealthcareService/${id}`, { method: 'HEAD', headers: rc() });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), res.headers.get('etag'));
    assert.equal(await head.text(), '');
  });

  it('triage and A&G services carry REVIEW / ADVICE_AND_GUIDANCE', async () => {
    const triage = await readJson(await get(sim, `/R4/HealthcareService/${FX.services.triage}`, rc()));
    assert.deepEqual(triage.characteristic.map((c: Json) => c.coding[0].code), ['REVIEW', 'INDIRECTLY_BOOKABLE']);
    const ag = await readJson(await get(sim, `/R4/HealthcareService/${FX.services.adviceAndGuidance}`, rc()));
    assert.deepEqual(ag.characteristic.map((c: Json) => c.coding[0].code), ['ADVICE_AND_GUIDANCE']);
  });

  it('the referrer application may read it; the provider application and provider roles may not', async () => {
    assert.equal((await get(sim, `/R4/HealthcareService/${FX.services.directlyBookable}`, appHeaders(sim, 'referrer'))).status, 200);
    await assertR4Outcome(await get(sim, `/R4/HealthcareService/${FX.services.directlyBookable}`, appHeaders(sim, 'provider')), 403, 'forbidden', 'REC_FORBIDDEN');
    await assertR4Outcome(await get(sim, `/R4/HealthcareService/${FX.services.directlyBookable}`, userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'))), 403, 'forbidden', 'REC_FORBIDDEN');
  });

  it('unknown id: 404 REC_NOT_FOUND on GET, 404 without a body on HEAD', async () => {
    await assertR4Outcome(await get(sim, `/R4/HealthcareService/${FX.services.unknown}`, rc()), 404, 'not-found', 'REC_NOT_FOUND', FX.services.unknown);
    const head = await fetch(`${sim.baseUrl}/R4/HealthcareService/${FX.services.unknown}`, { method: 'HEAD', headers: rc() });
    assert.equal(head.status, 404);
    assert.equal(await head.text(), '');
  });
});

describe('A035 search for healthcare services', () => {
  it('returns the known ids in the order asked, skips unknown ones, and links itself', async () => {
    const q = `${FX.services.triage},${FX.services.unknown},${FX.services.directlyBookable},${FX.services.triage}`;
    const bundle = await readJson(await get(sim, `/R4/HealthcareService?_id=${q}`, rc()));
    assert.deepEqual(ids(bundle), [FX.services.triage, FX.services.directlyBookable]);
    assert.equal(bundle.total, 2);
    assert.equal(bundle.link[0].url, `${sim.baseUrl}/R4/HealthcareService?_id=${FX.services.triage},${FX.services.unknown},${FX.services.directlyBookable}`);
    assert.ok(bundle.entry.every((e: Json) => e.search.mode === 'match'));
  });

  it('unknown well-formed ids give an empty searchset', async () => {
    const bundle = await readJson(await get(sim, `/R4/HealthcareService?_id=${FX.services.unknown}`, rc()));
    assert.equal(bundle.total, 0);
    assert.equal(bundle.entry, undefined);
  });

  const bad: [string, string, string][] = [
    ['', 'invalid', '_id'],
    ['?_id=', 'invalid', '_id'],
    ['?_id=abc', 'invalid', "'abc'"],
    ['?_id=1,,2', 'invalid', "''"],
    ['?_id=1&_id=2', 'invalid', 'once'],
    [`?_id=${Array.from({ length: 21 }, (_, i) => 1000 + i).join(',')}`, 'invalid', 'at most 20'],
    ['?_id=1&_count=5', 'invalid', '_count'],
  ];
  for (const [query, issueType, mention] of bad) {
    it(`400 REC_BAD_REQUEST for ${query || 'no _id'}`, async () => {
      await assertR4Outcome(await get(sim, `/R4/HealthcareService${query}`, rc()), 400, issueType, 'REC_BAD_REQUEST', mention);
    });
  }
});

describe('A040 retrieve on-behalf-of practitioners', () => {
  it('lists the SPCs the SPCA may act for, with no on-behalf-of header', async () => {
    const bundle = await readJson(await get(sim, '/R4/Practitioner?_query=onBehalfOf', spcaWithoutObo()));
    assert.deepEqual(ids(bundle), [FX.actors.SERVICE_PROVIDER_CLINICIAN_ADMIN.onBehalfOf]);
    assert.deepEqual(bundle.entry[0].resource.identifier, [{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: FX.actors.SERVICE_PROVIDER_CLINICIAN_ADMIN.onBehalfOf }]);
  });

  it('400 for a missing or other named query; 403 for any role but SPCA', async () => {
    await assertR4Outcome(await get(sim, '/R4/Practitioner', spcaWithoutObo()), 400, 'invalid', 'REC_BAD_REQUEST', '_query');
    await assertR4Outcome(await get(sim, '/R4/Practitioner?_query=everyone', spcaWithoutObo()), 400, 'invalid', 'REC_BAD_REQUEST', 'onBehalfOf');
    await assertR4Outcome(await get(sim, '/R4/Practitioner?_query=onBehalfOf', userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'))), 403, 'forbidden', 'REC_FORBIDDEN');
  });
});

describe('A041 search for service requests', () => {
  it('maps a referral UBRN to its r. id, given bare or with the UBRN system', async () => {
    const ubrn = FX.referrals.unbooked;
    for (const identifier of [ubrn, encodeURIComponent(`https://fhir.nhs.uk/Id/UBRN|${ubrn}`)]) {
      const bundle = await readJson(await get(sim, `/R4/ServiceRequest?identifier=${identifier}`, rc()));
      assert.equal(bundle.total, 1);
      const sr = bundle.entry[0].resource;
      assert.match(sr.id, /^r\.[0-9a-f-]{36}$/);
      assert.deepEqual(sr.identifier, [{ system: 'https://fhir.nhs.uk/Id/UBRN', value: ubrn }]);
      assert.equal(sr.status, 'active');
      assert.equal(sr.category[0].coding[0].code, 'referral');
    }
  });

  it('an A&G request is a. with the advice-and-guidance code; a cancelled referral is revoked', async () => {
    const ag = (await readJson(await get(sim, `/R4/ServiceRequest?identifier=${FX.referrals.adviceAndGuidance}`, rc()))).entry[0].resource;
    assert.match(ag.id, /^a\./);
    assert.equal(ag.code.coding[0].code, 'advice-and-guidance');
    const cancelled = (await readJson(await get(sim, `/R4/ServiceRequest?identifier=${FX.referrals.cancelled}`, rc()))).entry[0].resource;
    assert.equal(cancelled.status, 'revoked');
  });

  it('a referral the caller has no relationship with reads as an unknown UBRN (empty bundle)', async () => {
    const spc = userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'));
    assert.equal((await readJson(await get(sim, `/R4/ServiceRequest?identifier=${FX.referrals.noProviderRelationship}`, spc))).total, 0);
    assert.equal((await readJson(await get(sim, `/R4/ServiceRequest?identifier=${FX.referrals.bookedDbs}`, spc))).total, 1);
    assert.equal((await readJson(await get(sim, `/R4/ServiceRequest?identifier=${FX.referrals.unknown}`, rc()))).total, 0);
  });

  it('400 REC_BAD_REQUEST for a missing identifier, another system or a malformed UBRN; SPCA needs the OBO header', async () => {
    await assertR4Outcome(await get(sim, '/R4/ServiceRequest', rc()), 400, 'required', 'REC_BAD_REQUEST', 'identifier');
    await assertR4Outcome(await get(sim, `/R4/ServiceRequest?identifier=${encodeURIComponent('https://example.org/x|300000100001')}`, rc()), 400, 'required', 'REC_BAD_REQUEST', 'example.org');
    await assertR4Outcome(await get(sim, '/R4/ServiceRequest?identifier=12345', rc()), 400, 'required', 'REC_BAD_REQUEST', '12 digits');
    await assertR4Outcome(await get(sim, `/R4/ServiceRequest?identifier=${FX.referrals.bookedDbs}`, spcaWithoutObo()), 403, 'forbidden', 'REC_FORBIDDEN');
  });
});

describe('fault injection: the proxy allowlist service failing', () => {
  it('R4: 500 exception SERVICE_ERROR "Internal Server Error"; STU3: 500 without a body', async () => {
    sim.injectFault({ operation: 'A033', status: 500, cause: 'allowlist' });
    await assertR4Outcome(await get(sim, `/R4/HealthcareService/${FX.services.directlyBookable}`, rc()), 500, 'exception', 'SERVICE_ERROR', 'Internal Server Error');
    sim.injectFault({ operation: 'A005', status: 500, cause: 'allowlist' });
    const stu3 = await get(sim, `/STU3/ReferralRequest/${FX.referrals.unbooked}`, rc());
    assert.equal(stu3.status, 500);
    assert.equal(await stu3.text(), '');
  });

  it('a cause needs status 500', () => {
    assert.throws(() => sim.injectFault({ operation: 'A033', status: 503, cause: 'allowlist' }), /cause must be 'allowlist' with status 500/);
  });
});
