// The shared request pipeline: routing, auth, access-mode and header rules, negotiation, faults, crash safety, logging.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { findOperation } from '../../src/ers/operations.ts';
import { notImplemented } from '../../src/simulator/operations/not-implemented.ts';
import { readJson, A005, A008_PATH, A010_PATH, FX, actor, appHeaders, assertStu3Outcome, get, post, searchRequest, start, userHeaders } from './helpers.ts';

let sim: Simulator;
const logLines: string[] = [];
const ubrn = FX.referrals.unbooked as string;

before(async () => {
  sim = await start({ log: (l) => logLines.push(l), maxBodyBytes: 64 * 1024 }, {
    // test seam: A029 replaced by a handler that crashes
    operations: [{ ids: ['A029'], handle: () => { throw new TypeError('boom'); } }],
  });
});
after(() => sim.close());

const rc = () => userHeaders(sim, actor('REFERRING_CLINICIAN'));

describe('authentication (catalogue 10.3)', () => {
  it('STU3: missing token -> 401, empty body, WWW-Authenticate invalid_token, correlation id echoed', async () => {
    const res = await get(sim, A005(ubrn), { 'X-Correlation-ID': 'corr-401' });
    assert.equal(res.status, 401);
    assert.equal(await res.text(), '');
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(res.headers.get('x-correlation-id'), 'corr-401');
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('STU3: unknown and empty bearer tokens -> 401 empty body', async () => {
    for (const auth of ['Bearer nope', 'Bearer ', 'Basic abc']) {
      const res = await get(sim, A005(ubrn), { ...rc(), Authorization: auth });
      assert.equal(res.status, 401, auth);
      assert.equal(await res.text(), '');
    }
  });

  it('STU3: expired token -> 401', async () => {
    const token = sim.issueToken({ mode: 'user-restricted', userId: actor('REFERRING_CLINICIAN').userId }, -1);
    const res = await get(sim, A005(ubrn), { ...rc(), Authorization: `Bearer ${token}` });
    assert.equal(res.status, 401);
  });

  it('R4: bad token -> 401 OperationOutcome login ACCESS_DENIED "Invalid access token"', async () => {
    const res = await get(sim, '/R4/PractitionerRole', { Authorization: 'Bearer nope', 'X-Correlation-ID': 'r4' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-correlation-id'), 'r4');
    const body = await readJson(res);
    assert.equal(body.issue[0].code, 'login');
    assert.equal(body.issue[0].details.coding[0].system, 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode');
    assert.equal(body.issue[0].details.coding[0].code, 'ACCESS_DENIED');
    assert.equal(body.issue[0].diagnostics, 'Invalid access token');
  });

  it('AAL1 -> 401 login NO_ACCESS; IAL2 -> 401 forbidden NO_ACCESS', async () => {
    const a = actor('REFERRING_CLINICIAN');
    const aal1 = sim.issueToken({ mode: 'user-restricted', userId: a.userId, aal: 'AAL1' });
    const issue1 = await assertStu3Outcome(await get(sim, A005(ubrn), { ...rc(), Authorization: `Bearer ${aal1}` }), 401, 'NO_ACCESS', 'authentication method');
    assert.equal(issue1.code, 'login');
    const ial2 = sim.issueToken({ mode: 'user-restricted', userId: a.userId, ial: 2 });
    const issue2 = await assertStu3Outcome(await get(sim, A005(ubrn), { ...rc(), Authorization: `Bearer ${ial2}` }), 401, 'NO_ACCESS', "couldn't verify your identity");
    assert.equal(issue2.code, 'forbidden');
  });
});

describe('application-restricted rules', () => {
  for (const h of ['NHSD-End-User-Organisation-ODS', 'NHSD-eRS-Business-Function', 'NHSD-eRS-On-Behalf-Of-User-ID', 'x-ers-ods-code', 'x-ers-user-id']) {
    it(`AR request carrying ${h} -> 403 empty body`, async () => {
      const res = await get(sim, A005(FX.referrals.bookedDbs), appHeaders(sim, 'provider', { [h]: 'X', 'X-Correlation-ID': 'ar' }));
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '');
      assert.equal(res.headers.get('x-correlation-id'), 'ar');
    });
  }

  it('operation not available in AR mode (A010) -> 403 FORBIDDEN', async () => {
    await assertStu3Outcome(await post(sim, A010_PATH, appHeaders(sim, 'provider'), searchRequest(sim)), 403, 'FORBIDDEN', 'application-restricted');
  });

  it('referrer app on a provider-context operation (A005) -> 403 FORBIDDEN', async () => {
    await assertStu3Outcome(await get(sim, A005(FX.referrals.bookedDbs), appHeaders(sim, 'referrer')), 403, 'FORBIDDEN', 'PROVIDER_AUTHORISED_APPLICATION');
  });

  it('app without ASID -> 403 NO_ACCESS', async () => {
    const app = FX.applications.provider;
    const token = sim.issueToken({ mode: 'application-restricted', userId: app.userId, ods: app.ods, businessFunction: app.businessFunction, asid: '' });
    await assertStu3Outcome(await get(sim, A005(FX.referrals.bookedDbs), { Authorization: `Bearer ${token}` }), 403, 'NO_ACCESS', 'ASID');
  });
});

describe('user-restricted header rules', () => {
  it('ODS header missing or empty -> 400 required MISSING_HEADER', async () => {
    for (const value of [undefined, '']) {
      const h = rc();
      if (value === undefined) delete h['NHSD-End-User-Organisation-ODS'];
      else h['NHSD-End-User-Organisation-ODS'] = value;
      const issue = await assertStu3Outcome(await get(sim, A005(ubrn), { ...h, 'X-Correlation-ID': 'ods' }), 400, 'MISSING_HEADER');
      assert.equal(issue.code, 'required');
      assert.equal(issue.diagnostics, 'Missing or Empty NHSD-End-User-Organisation-ODS header.');
    }
  });

  it('business function missing -> 400 MISSING_HEADER', async () => {
    const h = rc();
    delete h['NHSD-eRS-Business-Function'];
    await assertStu3Outcome(await get(sim, A005(ubrn), h), 400, 'MISSING_HEADER', 'NHSD-eRS-Business-Function');
  });

  it('app-only business function in user mode -> 403 NO_ACCESS', async () => {
    const issue = await assertStu3Outcome(await get(sim, A005(ubrn), { ...rc(), 'NHSD-eRS-Business-Function': 'PROVIDER_AUTHORISED_APPLICATION' }), 403, 'NO_ACCESS');
    assert.equal(issue.diagnostics, 'User does not have the required Business Function at the specified Organisation.');
  });

  it('unknown ODS -> 403 NO_ACCESS unauthorised ODS code', async () => {
    const issue = await assertStu3Outcome(await get(sim, A005(ubrn), { ...rc(), 'NHSD-End-User-Organisation-ODS': FX.organisations.unknown }), 403, 'NO_ACCESS');
    assert.equal(issue.diagnostics, 'Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header');
  });

  it('user without that role at that org -> 403 NO_ACCESS', async () => {
    await assertStu3Outcome(await get(sim, A005(ubrn), { ...rc(), 'NHSD-eRS-Business-Function': 'REFERRING_CLINICIAN_ADMIN' }), 403, 'NO_ACCESS', 'Business Function');
    await assertStu3Outcome(await get(sim, A005(ubrn), { ...rc(), 'NHSD-End-User-Organisation-ODS': FX.organisations.provider }), 403, 'NO_ACCESS', 'Business Function');
  });

  it('role not permitted for the operation -> 403 FORBIDDEN naming the allowed functions', async () => {
    const issue = await assertStu3Outcome(await get(sim, A005(ubrn), userHeaders(sim, actor('REFERRING_ADMIN'))), 403, 'FORBIDDEN', 'REFERRING_CLINICIAN_ADMIN');
    assert.equal(issue.code, 'forbidden');
  });

  it('SPCA without OBO, OBO with a non-SPCA role, OBO not acted for -> 403 FORBIDDEN', async () => {
    const spca = actor('SERVICE_PROVIDER_CLINICIAN_ADMIN');
    const noObo = userHeaders(sim, spca);
    delete noObo['NHSD-eRS-On-Behalf-Of-User-ID'];
    await assertStu3Outcome(await get(sim, A005(FX.referrals.bookedDbs), noObo), 403, 'FORBIDDEN', 'On-Behalf-Of');
    await assertStu3Outcome(await get(sim, A005(FX.referrals.bookedDbs), userHeaders(sim, actor('SERVICE_PROVIDER_CLINICIAN'), { 'NHSD-eRS-On-Behalf-Of-User-ID': spca.onBehalfOf as string })), 403, 'FORBIDDEN', 'only allowed');
    await assertStu3Outcome(await get(sim, A005(FX.referrals.bookedDbs), userHeaders(sim, spca, { 'NHSD-eRS-On-Behalf-Of-User-ID': actor('SERVICE_PROVIDER_CLINICIAN').userId })), 403, 'FORBIDDEN', 'act on behalf');
  });
});

describe('negotiation', () => {
  it('Accept not matching FHIR JSON -> 406 text/plain; acceptable forms pass', async () => {
    const res = await get(sim, A005(ubrn), { ...rc(), Accept: 'application/xml', 'X-Correlation-ID': 'n406' });
    assert.equal(res.status, 406);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(res.headers.get('x-correlation-id'), 'n406');
    for (const accept of ['application/fhir+json', 'application/json', 'application/*', '*/*', 'text/html, application/fhir+json;q=0.5']) {
      assert.equal((await get(sim, A005(ubrn), { ...rc(), Accept: accept })).status, 200, accept);
    }
  });

  it('Content-Type not application/fhir+json -> 415 text/plain', async () => {
    const res = await post(sim, A010_PATH, { ...rc(), 'Content-Type': 'application/json' }, searchRequest(sim));
    assert.equal(res.status, 415);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal((await post(sim, A010_PATH, { ...rc(), 'Content-Type': 'application/fhir+json; charset=utf-8' }, searchRequest(sim))).status, 200);
  });

  it('body above maxBodyBytes -> 413', async () => {
    const res = await post(sim, A010_PATH, rc(), 'x'.repeat(70 * 1024));
    assert.equal(res.status, 413);
  });

  it('malformed JSON -> 400 structure INVALID_FHIR_STRUCTURE', async () => {
    const issue = await assertStu3Outcome(await post(sim, A010_PATH, rc(), '{"resourceType": "Parameters",'), 400, 'INVALID_FHIR_STRUCTURE', 'not valid JSON');
    assert.equal(issue.code, 'structure');
  });

  it('wrong resourceType -> 422 INVALID_FHIR_STRUCTURE', async () => {
    await assertStu3Outcome(await post(sim, A010_PATH, rc(), { resourceType: 'Patient' }), 422, 'INVALID_FHIR_STRUCTURE', 'resourceType');
  });
});

describe('routing', () => {
  it('unknown route -> 404 not-found naming the path', async () => {
    const issue = await assertStu3Outcome(await get(sim, '/STU3/Nothing/here', rc()), 404, 'REFERENCE_NOT_FOUND', '/referrals/FHIR/STU3/Nothing/here');
    assert.equal(issue.code, 'not-found');
  });

  it('known path, wrong method -> 405 with Allow', async () => {
    const res = await fetch(`${sim.baseUrl}${A008_PATH}`, { headers: rc() });
    assert.equal(res.headers.get('allow'), 'POST');
    await assertStu3Outcome(res, 405, 'INVALID_VALUE', 'GET');
  });

  it('a routed operation without an implementation -> 501 not-supported, after auth', async () => {
    // every catalogue operation is implemented now; the registry's fallback is exercised by taking one away
    const bare = await start({}, { operations: [notImplemented(findOperation('A024'))] });
    try {
      const headers = userHeaders(bare, actor('REFERRING_CLINICIAN'));
      const issue = await assertStu3Outcome(await get(bare, '/STU3/CommunicationRequest/300000200001', headers), 501, 'SYSTEM_UNAVAILABLE', 'A024 Retrieve advice and guidance request summary is not implemented by the simulator yet');
      assert.equal(issue.code, 'not-supported');
      assert.equal((await get(bare, '/STU3/CommunicationRequest/300000200001', {})).status, 401);
    } finally {
      await bare.close();
    }
  });

  it('GET /referrals/_ping -> 200 JSON', async () => {
    const res = await fetch(`${sim.origin}/referrals/_ping`);
    assert.equal(res.status, 200);
    assert.equal((await readJson(res)).status, 'pass');
  });

  it('every response carries a fresh X-Request-ID', async () => {
    const a = (await get(sim, A005(ubrn), rc())).headers.get('x-request-id');
    const b = (await get(sim, A005(ubrn), rc())).headers.get('x-request-id');
    assert.ok(a && b && a !== b);
  });
});

describe('fault injection', () => {
  it('429 on STU3: empty body + Retry-After, once (count default 1)', async () => {
    sim.injectFault({ operation: 'A005', status: 429, retryAfterSeconds: 3 });
    const res = await get(sim, A005(ubrn), { ...rc(), 'X-Correlation-ID': 'f429' });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    assert.equal(res.headers.get('x-correlation-id'), 'f429');
    assert.equal(await res.text(), '');
    assert.equal((await get(sim, A005(ubrn), rc())).status, 200);
  });

  it('429 on R4: OperationOutcome throttled TOO_MANY_REQUESTS', async () => {
    sim.injectFault({ operation: '*', status: 429 });
    const res = await get(sim, '/R4/PractitionerRole', { Authorization: 'Bearer whatever' });
    assert.equal(res.status, 429);
    const body = await readJson(res);
    assert.equal(body.issue[0].code, 'throttled');
    assert.equal(body.issue[0].details.coding[0].code, 'TOO_MANY_REQUESTS');
  });

  it('503 SYSTEM_UNAVAILABLE transient with Retry-After; 500 with no body (STU3 documents none); count respected', async () => {
    sim.injectFault({ operation: 'A005', status: 503, retryAfterSeconds: 7, count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await get(sim, A005(ubrn), rc());
      assert.equal(res.headers.get('retry-after'), '7');
      const issue = await assertStu3Outcome(res, 503, 'SYSTEM_UNAVAILABLE');
      assert.equal(issue.code, 'transient');
    }
    sim.injectFault({ operation: 'A005', status: 500 });
    const failed = await get(sim, A005(ubrn), rc());
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), '', 'STU3 500 has no documented body, and SYSTEM_UNAVAILABLE is the 503 answer');
    sim.injectFault({ operation: 'A030', status: 500 });
    const r4 = await readJson(await get(sim, '/R4/PractitionerRole', {}));
    assert.equal(r4.issue[0].details.coding[0].code, 'REC_SERVER_ERROR');
    assert.equal((await get(sim, A005(ubrn), rc())).status, 200);
  });

  it('R4 503 -> REC_UNAVAILABLE', async () => {
    sim.injectFault({ operation: 'A030', status: 503 });
    const body = await readJson(await get(sim, '/R4/PractitionerRole', {}));
    assert.equal(body.issue[0].details.coding[0].code, 'REC_UNAVAILABLE');
  });

  it('reset destroys the socket; latency delays the answer; clearFaults removes rules', async () => {
    sim.injectFault({ operation: 'A005', reset: true });
    await assert.rejects(get(sim, A005(ubrn), rc()));
    sim.injectFault({ operation: 'A005', latencyMs: 150 });
    const t0 = Date.now();
    assert.equal((await get(sim, A005(ubrn), rc())).status, 200);
    assert.ok(Date.now() - t0 >= 140);
    sim.injectFault({ operation: 'A005', status: 503, count: 5 });
    sim.clearFaults();
    assert.equal((await get(sim, A005(ubrn), rc())).status, 200);
  });

  it('rejects a fault rule without an effect', () => {
    assert.throws(() => sim.injectFault({ operation: 'A005' }), /status, reset or latencyMs/);
  });
});

describe('robustness and logging', () => {
  it('a handler exception -> 500 OperationOutcome, logged, server keeps serving', async () => {
    const res = await get(sim, '/STU3/Task', rc());
    await assertStu3Outcome(res, 500, 'SYSTEM_UNAVAILABLE', 'A029');
    assert.ok(logLines.some((l) => l.includes('simulator error in A029') && l.includes('boom')));
    assert.equal((await get(sim, A005(ubrn), rc())).status, 200);
  });

  it('log lines name method, path, status and time, and never the token', async () => {
    const h = rc();
    const token = h.Authorization?.slice('Bearer '.length) as string;
    await get(sim, A005(ubrn), { ...h, 'X-Correlation-ID': 'log-test' });
    assert.ok(logLines.some((l) => /^GET \/referrals\/FHIR\/STU3\/ReferralRequest\/\d{12} 200 [\d.]+ms A005$/.test(l)));
    assert.ok(logLines.every((l) => !l.includes(token) && !/bearer/i.test(l)));
  });
});

describe('control endpoints', () => {
  it('POST /_simulator/tokens issues a usable token', async () => {
    const a = actor('REFERRING_CLINICIAN');
    const res = await fetch(`${sim.origin}/_simulator/tokens`, { method: 'POST', headers: sim.controlHeaders(), body: JSON.stringify({ principal: { mode: 'user-restricted', userId: a.userId }, ttlSeconds: 60 }) });
    assert.equal(res.status, 200);
    const { access_token, expires_in } = await readJson(res);
    assert.equal(expires_in, 60);
    assert.equal((await get(sim, A005(ubrn), { ...rc(), Authorization: `Bearer ${access_token}` })).status, 200);
  });

  it('POST/DELETE /_simulator/faults and POST /_simulator/reset answer 204', async () => {
    let res = await fetch(`${sim.origin}/_simulator/faults`, { method: 'POST', headers: sim.controlHeaders(), body: JSON.stringify({ operation: 'A005', status: 503 }) });
    assert.equal(res.status, 204);
    res = await fetch(`${sim.origin}/_simulator/faults`, { method: 'DELETE', headers: sim.controlHeaders() });
    assert.equal(res.status, 204);
    assert.equal((await get(sim, A005(ubrn), rc())).status, 200);
    res = await fetch(`${sim.origin}/_simulator/faults`, { method: 'POST', headers: sim.controlHeaders(), body: JSON.stringify({ operation: 'A005', status: 42 }) });
    assert.equal(res.status, 400);
    res = await fetch(`${sim.origin}/_simulator/reset`, { method: 'POST', headers: sim.controlHeaders() });
    assert.equal(res.status, 204);
  });
});
