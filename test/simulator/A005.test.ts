// A005 Retrieve referral request (current and _history/{version}).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { A005, FX, actor, appHeaders, assertStu3Outcome, get, readJson, start, userHeaders } from './helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const ext = (r: { extension: { url: string }[] }, name: string) => r.extension.find((e) => e.url.endsWith(`/Extension-eRS-${name}-1`)) as Record<string, any> | undefined;
const state = (r: any) => ext(r, 'ReferralState')?.extension.find((e: { url: string }) => e.url === 'state').valueCoding.code;

describe('A005 retrieve referral request', () => {
  it('referrer reads an unbooked referral: 200, ETag == meta.versionId, eRS-ReferralRequest-1 shape', async () => {
    const res = await get(sim, A005(FX.referrals.unbooked), userHeaders(sim, actor('REFERRING_CLINICIAN'), { 'X-Correlation-ID': 'a5' }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-correlation-id'), 'a5');
    assert.equal(res.headers.get('content-type'), 'application/fhir+json');
    const r = await readJson(res);
    assert.equal(res.headers.get('etag'), `W/"${r.meta.versionId}"`);
    assert.equal(r.resourceType, 'ReferralRequest');
    assert.equal(r.id, FX.referrals.unbooked);
    assert.deepEqual(r.meta.profile, ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1']);
    assert.equal(r.intent, 'plan');
    assert.equal(r.status, 'active');
    assert.equal(r.subject.identifier.system, 'http://fhir.nhs.net/Id/nhs-number');
    assert.match(r.identifier[0].value, /^r\.[0-9a-f-]{36}$/);
    assert.equal(r.identifier[0].system, 'https://fhir.nhs.uk/Id/ers-request-id');
    assert.equal(state(r), 'NOT_BOOKED');
    for (const name of ['ReferralShortlist', 'Commissioning-Rule-Org', 'ReferralPriority', 'ReferralState', 'eReferralPathwayStart']) assert.ok(ext(r, name), name);
    assert.equal(ext(r, 'Appointment-Reference'), undefined, 'no appointment when unbooked');
    const ids = r.contained.map((c: { id: string }) => c.id);
    assert.ok(ids.includes('serviceSearchCriteria') && ids.includes('shortlist'));
    assert.equal(r.specialty.coding[0].system, `${sim.baseUrl}/STU3/CodeSystem/SPECIALTY`);
  });

  it('booked DBS referral: contained Appointment, Appointment-Reference, DocumentReference, read by the provider SPC', async () => {
    const res = await get(sim, A005(FX.referrals.bookedDbs), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN')));
    assert.equal(res.status, 200);
    const r = await readJson(res);
    assert.equal(state(r), 'BOOKED');
    assert.match(ext(r, 'Appointment-Reference')?.valueReference.reference, /^Appointment\/\d+$/);
    const appt = r.contained.find((c: { resourceType: string }) => c.resourceType === 'Appointment');
    assert.equal(appt.status, 'booked');
    assert.equal(appt.incomingReferral[0].reference, `ReferralRequest/${r.id}/_history/${r.meta.versionId}`);
    assert.ok(r.contained.some((c: { resourceType: string }) => c.resourceType === 'DocumentReference'));
    assert.equal(r.supportingInfo[0].reference.charAt(0), '#');
  });

  it('states of the seeded referrals', async () => {
    const h = () => userHeaders(sim, actor('REFERRING_CLINICIAN'));
    const expect: Record<string, string> = { bookedIbs: 'BOOKED', deferred: 'DEFERRED_TO_PROVIDER', awaitingTriage: 'AWAITING_TRIAGE', cancelled: 'CANCELLED_REFERRAL' };
    for (const [intent, code] of Object.entries(expect)) {
      const r = await readJson(await get(sim, A005(FX.referrals[intent]), h()));
      assert.equal(state(r), code, intent);
    }
    const cancelled = await readJson(await get(sim, A005(FX.referrals.cancelled), h()));
    assert.equal(cancelled.status, 'cancelled');
  });

  it('SPCA acting for an SPC in the workgroup, and the provider application, may read', async () => {
    assert.equal((await get(sim, A005(FX.referrals.bookedDbs), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN_ADMIN')))).status, 200);
    assert.equal((await get(sim, A005(FX.referrals.bookedDbs), appHeaders(sim, 'provider'))).status, 200);
  });

  it('versioned read of the current version -> 200 with the same ETag', async () => {
    const h = () => userHeaders(sim, actor('REFERRING_CLINICIAN'));
    const current = await get(sim, A005(FX.referrals.bookedIbs), h());
    const version = (await readJson(current)).meta.versionId;
    const res = await get(sim, `${A005(FX.referrals.bookedIbs)}/_history/${version}`, h());
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), `W/"${version}"`);
    assert.equal((await readJson(res)).meta.versionId, version);
  });

  it('stale or unknown _history version -> 404 HISTORY_NOT_SUPPORTED', async () => {
    const h = userHeaders(sim, actor('REFERRING_CLINICIAN'), { 'X-Correlation-ID': 'hist' });
    const res = await get(sim, `${A005(FX.referrals.bookedIbs)}/_history/1`, h);
    assert.equal(res.headers.get('x-correlation-id'), 'hist');
    const issue = await assertStu3Outcome(res, 404, 'HISTORY_NOT_SUPPORTED', 'current version');
    assert.equal(issue.code, 'not-found');
  });

  it('unknown UBRN -> 404 REFERENCE_NOT_FOUND (on both reads)', async () => {
    await assertStu3Outcome(await get(sim, A005(FX.referrals.unknown), userHeaders(sim, actor('REFERRING_CLINICIAN'))), 404, 'REFERENCE_NOT_FOUND', FX.referrals.unknown);
    await assertStu3Outcome(await get(sim, `${A005(FX.referrals.unknown)}/_history/1`, userHeaders(sim, actor('REFERRING_CLINICIAN'))), 404, 'REFERENCE_NOT_FOUND');
  });

  it('sensitive patient -> 422 PATIENT_ERROR', async () => {
    await assertStu3Outcome(await get(sim, A005(FX.referrals.sensitivePatient), userHeaders(sim, actor('REFERRING_CLINICIAN'))), 422, 'PATIENT_ERROR');
  });

  it('A&G request UBRN -> 422 INVALID_REQUEST_TYPE', async () => {
    await assertStu3Outcome(await get(sim, A005(FX.referrals.adviceAndGuidance), userHeaders(sim, actor('REFERRING_CLINICIAN'))), 422, 'INVALID_REQUEST_TYPE', FX.referrals.adviceAndGuidance);
  });

  it('NO_RELATIONSHIP: provider without relationship, SPCA through the SPC, app of another provider, referrer at another org', async () => {
    await assertStu3Outcome(await get(sim, A005(FX.referrals.noProviderRelationship), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'))), 422, 'NO_RELATIONSHIP');
    await assertStu3Outcome(await get(sim, A005(FX.referrals.noProviderRelationship), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN_ADMIN'))), 422, 'NO_RELATIONSHIP', FX.actors.SERVICE_PROVIDER_CLINICIAN_ADMIN.onBehalfOf);
    await assertStu3Outcome(await get(sim, A005(FX.referrals.noProviderRelationship), appHeaders(sim, 'provider')), 422, 'NO_RELATIONSHIP');
    await assertStu3Outcome(await get(sim, A005(FX.referrals.noProviderRelationship), userHeaders(sim, actor('REFERRING_CLINICIAN'))), 422, 'NO_RELATIONSHIP');
  });
});
