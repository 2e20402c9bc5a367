// A004 Retrieve reference data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, actor, appHeaders, assertStu3Outcome, get, readJson, start, userHeaders } from './helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const path = (type: string) => `/STU3/CodeSystem/${type}`;

describe('A004 retrieve reference data', () => {
  for (const type of FX.codeSystems.known as string[]) {
    it(`${type}: 200 CodeSystem with url on the simulator base and concepts with properties`, async () => {
      const res = await get(sim, path(type), userHeaders(sim, actor('REFERRING_CLINICIAN'), { 'X-Correlation-ID': `cs-${type}` }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/fhir+json');
      assert.equal(res.headers.get('x-correlation-id'), `cs-${type}`);
      assert.equal(res.headers.get('etag'), null, 'A004 declares no ETag');
      const cs = await readJson(res);
      assert.equal(cs.resourceType, 'CodeSystem');
      assert.equal(cs.id, type);
      assert.equal(cs.url, `${sim.baseUrl}/STU3/CodeSystem/${type}`);
      const profile = type === 'SPECIALTY' ? 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Specialty-CodeSystem-1' : 'http://hl7.org/fhir/StructureDefinition/shareablecodesystem';
      assert.deepEqual(cs.meta.profile, [profile]);
      assert.ok(cs.concept.length > 0);
      const declared = new Set(cs.property.map((p: { code: string }) => p.code));
      for (const c of cs.concept) for (const p of c.property) assert.ok(declared.has(p.code), `${c.code} uses undeclared property ${p.code}`);
      assert.ok(cs.concept.every((c: { property: { code: string }[] }) => c.property.some((p) => p.code === 'effectiveFrom')));
    });
  }

  it('PRIORITY carries deferToProviderContactDays and triageContactDays', async () => {
    const cs = await readJson(await get(sim, path('PRIORITY'), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'))));
    const routine = cs.concept.find((c: { code: string }) => c.code === 'ROUTINE');
    const value = (code: string) => routine.property.find((p: { code: string }) => p.code === code)?.valueInteger;
    assert.equal(value('deferToProviderContactDays'), 40);
    assert.equal(value('triageContactDays'), 40);
  });

  it('REFERRAL-CANCELLATION-REASON carries referrerUsage, businessFunction, canCancelAppointment, commentIsMandatory', async () => {
    const cs = await readJson(await get(sim, path('REFERRAL-CANCELLATION-REASON'), userHeaders(sim, actor('REFERRING_CLINICIAN'))));
    const codes = new Set(cs.concept.flatMap((c: { property: { code: string }[] }) => c.property.map((p) => p.code)));
    for (const p of ['referrerUsage', 'businessFunction', 'canCancelAppointment', 'commentIsMandatory', 'appointmentRequestCancellationReasonType']) assert.ok(codes.has(p), p);
    const bf = cs.concept.flatMap((c: { property: { code: string; valueCoding?: { system: string; code: string } }[] }) => c.property.filter((p) => p.code === 'businessFunction'));
    assert.ok(bf.every((p: { valueCoding: { system: string } }) => p.valueCoding.system === 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-BusinessFunction-1'));
  });

  it('CLINIC-TYPE concepts point at a SPECIALTY on the simulator base', async () => {
    const cs = await readJson(await get(sim, path('CLINIC-TYPE'), userHeaders(sim, actor('REFERRING_CLINICIAN'))));
    const spec = cs.concept[0].property.find((p: { code: string }) => p.code === 'specialty');
    assert.equal(spec.valueCoding.system, `${sim.baseUrl}/STU3/CodeSystem/SPECIALTY`);
  });

  it('available to provider and referrer applications', async () => {
    assert.equal((await get(sim, path('SPECIALTY'), appHeaders(sim, 'provider'))).status, 200);
    assert.equal((await get(sim, path('SPECIALTY'), appHeaders(sim, 'referrer'))).status, 200);
  });

  it('unknown code system type -> 404 not-found', async () => {
    const issue = await assertStu3Outcome(await get(sim, path(FX.codeSystems.unknown), userHeaders(sim, actor('REFERRING_CLINICIAN'), { 'X-Correlation-ID': 'x' })), 404, 'REFERENCE_NOT_FOUND', FX.codeSystems.unknown);
    assert.equal(issue.code, 'not-found');
  });

  it('REFERRING_ADMIN is not allowed -> 403 FORBIDDEN', async () => {
    await assertStu3Outcome(await get(sim, path('SPECIALTY'), userHeaders(sim, actor('REFERRING_ADMIN'))), 403, 'FORBIDDEN');
  });
});
