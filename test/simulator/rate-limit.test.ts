// Rate limiting (token bucket per access token, 429 + Retry-After as the live proxy), fault rules from a file,
// the control endpoints for both, the harness client's bounded Retry-After handling, and `serve`.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveCommand } from '../../src/cli/serve.ts';
import { createErsClient } from '../../src/http/client.ts';
import { loadPlatformConfig, loadSeedFile, type Simulator } from '../../src/simulator/index.ts';
import { createRateLimiter } from '../../src/simulator/rate-limit.ts';
import { A005, actor, FX, get, start, userHeaders } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ers-rate-'));
const file = (name: string, text: string): string => {
  const p = join(scratch, name);
  writeFileSync(p, text);
  return p;
};

describe('token bucket', () => {
  it('allows the burst, then one request per 1/rps, and says how long to wait', () => {
    let t = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 2, burst: 3 }, () => t);
    for (let i = 0; i < 3; i++) limiter.take('a');
    assert.throws(() => limiter.take('a'), (err: { status: number; options: { headers: Record<string, string> } }) => {
      assert.equal(err.status, 429);
      assert.equal(err.options.headers['Retry-After'], '1');
      return true;
    });
    t = 499;
    assert.throws(() => limiter.take('a'), /rate limit/);
    t = 1000; // 1 s later: two tokens refilled (rate 2/s), minus the fraction already counted
    limiter.take('a');
    limiter.take('b'); // another token has its own bucket
  });

  it('a slow rate asks for a longer Retry-After; burst defaults to the rate', () => {
    let t = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 0.2 }, () => t);
    limiter.take('a');
    assert.throws(() => limiter.take('a'), (err: { options: { headers: Record<string, string> } }) => err.options.headers['Retry-After'] === '5');
    assert.equal(limiter.config?.burst, 1);
    t = 5000;
    limiter.take('a');
  });

  it('rejects limits that make no sense', () => {
    assert.throws(() => createRateLimiter({ requestsPerSecond: 0 }), /above 0/);
    assert.throws(() => createRateLimiter({ requestsPerSecond: 5, burst: 0 }), /burst/);
    assert.throws(() => createRateLimiter({ requestsPerSecond: Number.NaN }), /above 0/);
  });
});

describe('rate-limited simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await start({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
  });
  after(() => sim.close());

  it('answers 429 with Retry-After and an empty body on STU3 once a token spends its burst', async () => {
    const h = userHeaders(sim, actor('REFERRING_CLINICIAN'));
    assert.equal((await get(sim, A005(FX.referrals.unbooked), h)).status, 200);
    assert.equal((await get(sim, A005(FX.referrals.unbooked), h)).status, 200);
    const limited = await get(sim, A005(FX.referrals.unbooked), h);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(await limited.text(), '');
    // A different token (another app or user session) is not affected.
    assert.equal((await get(sim, A005(FX.referrals.unbooked), userHeaders(sim, actor('REFERRING_CLINICIAN')))).status, 200);
  });

  it('R4 paths get the throttled / TOO_MANY_REQUESTS OperationOutcome', async () => {
    const h = userHeaders(sim, actor('REFERRING_CLINICIAN'));
    const path = `${sim.baseUrl}/R4/ServiceRequest?identifier=${FX.referrals.unbooked}`;
    await fetch(path, { headers: h });
    await fetch(path, { headers: h });
    const res = await fetch(path, { headers: h });
    assert.equal(res.status, 429);
    const body = (await res.json()) as { issue: { code: string; details: { coding: { code: string }[] } }[] };
    assert.equal(body.issue[0]?.code, 'throttled');
    assert.equal(body.issue[0]?.details.coding[0]?.code, 'TOO_MANY_REQUESTS');
  });

  it('the harness client retries a rate-limited read after Retry-After, within its budget only', async () => {
    const h = userHeaders(sim, actor('REFERRING_CLINICIAN'));
    const client = createErsClient({ baseUrl: sim.baseUrl, timeoutMs: 5000, maxBodyBytes: 1 << 20 });
    try {
      const token = h.Authorization!.slice('Bearer '.length);
      const req = { operation: 'A005', method: 'GET', path: A005(FX.referrals.unbooked), accessToken: token, businessFunction: 'REFERRING_CLINICIAN', odsCode: 'Y90001' };
      await client.send(req);
      await client.send(req); // burst spent
      const noBudget = await client.send({ ...req, retryBudgetMs: 500 }); // Retry-After 1 s does not fit 500 ms
      assert.equal(noBudget.response?.status, 429);
      assert.equal(noBudget.attempts, 1);
      const retried = await client.send({ ...req, retryBudgetMs: 5000 });
      assert.equal(retried.response?.status, 200, 'the read succeeded after waiting Retry-After');
      assert.equal(retried.attempts, 2);
      assert.equal(retried.priorAttempts?.[0]?.response?.status, 429);
    } finally {
      await client.close();
    }
  });

  it('PUT/GET/DELETE /_simulator/rate-limit change the limit at run time', async () => {
    let res = await fetch(`${sim.origin}/_simulator/rate-limit`, { method: 'PUT', headers: sim.controlHeaders(), body: JSON.stringify({ requestsPerSecond: 50, burst: 100 }) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { rateLimit: { requestsPerSecond: 50, burst: 100 } });
    res = await fetch(`${sim.origin}/_simulator/rate-limit`, { method: 'PUT', headers: sim.controlHeaders(), body: JSON.stringify({ requestsPerSecond: -1 }) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /requestsPerSecond/);
    res = await fetch(`${sim.origin}/_simulator/rate-limit`, { method: 'DELETE', headers: sim.controlHeaders() });
    assert.equal(res.status, 204);
    res = await fetch(`${sim.origin}/_simulator/rate-limit`, { headers: sim.controlHeaders() });
    assert.deepEqual(await res.json(), { rateLimit: null });
    const h = userHeaders(sim, actor('REFERRING_CLINICIAN'));
    for (let i = 0; i < 5; i++) assert.equal((await get(sim, A005(FX.referrals.unbooked), h)).status, 200);
    sim.setRateLimit({ requestsPerSecond: 1, burst: 2 });
  });
});

describe('fault rules and rate limit from a file', () => {
  it('loads rateLimit and faults; an always rule stays until cleared', async () => {
    const cfg = loadPlatformConfig(
      file('platform.yaml', 'rateLimit: { requestsPerSecond: 100, burst: 200 }\nfaults:\n  - { operation: A005, status: 503, retryAfterSeconds: 2, always: true }\n  - { operation: A004, latencyMs: 120 }\n'),
    );
    assert.deepEqual(cfg.rateLimit, { requestsPerSecond: 100, burst: 200 });
    const sim = await start({ rateLimit: cfg.rateLimit, faults: cfg.faults });
    try {
      const h = userHeaders(sim, actor('REFERRING_CLINICIAN'));
      for (let i = 0; i < 3; i++) {
        const res = await get(sim, A005(FX.referrals.unbooked), h);
        assert.equal(res.status, 503);
        assert.equal(res.headers.get('retry-after'), '2');
      }
      const listed = (await (await fetch(`${sim.origin}/_simulator/faults`, { headers: sim.controlHeaders() })).json()) as { faults: { operation: string; remaining: number | null }[] };
      assert.deepEqual(listed.faults.map((f) => [f.operation, f.remaining]), [['A005', null], ['A004', 1]]);
      const t0 = Date.now();
      assert.equal((await get(sim, '/STU3/CodeSystem/SPECIALTY', h)).status, 200);
      assert.ok(Date.now() - t0 >= 110, 'the latency rule delayed the answer');
      sim.clearFaults();
      assert.equal((await get(sim, A005(FX.referrals.unbooked), h)).status, 200);
    } finally {
      await sim.close();
    }
  });

  it('names the file, the rule and the fix when a file is wrong', () => {
    assert.throws(() => loadPlatformConfig(join(scratch, 'missing.yaml')), /does not exist/);
    assert.throws(() => loadPlatformConfig(file('bad1.yaml', 'faults:\n  - { operation: A005 }\n')), /bad1\.yaml: faults\[0\]: a fault rule needs status, reset or latencyMs/);
    assert.throws(() => loadPlatformConfig(file('bad2.yaml', 'faults:\n  - { operation: A005, status: 200 }\n')), /faults\[0\]: fault rule status must be an HTTP error status/);
    assert.throws(() => loadPlatformConfig(file('bad3.yaml', 'faults:\n  - { operation: A005, staus: 503 }\n')), /unknown fault rule field\(s\) staus/);
    assert.throws(() => loadPlatformConfig(file('bad4.yaml', 'rateLimit: { requestsPerSecond: 0 }\n')), /rateLimit: rate limit requestsPerSecond/);
    assert.throws(() => loadPlatformConfig(file('bad5.yaml', 'limits: {}\n')), /unknown key\(s\) limits/);
    assert.throws(() => loadPlatformConfig(file('bad6.yaml', 'faults: [oops\n')), /not valid YAML/);
  });

  it('a seed file replaces whole sections and keeps the rest built in', async () => {
    const seed = loadSeedFile(file('seed.yaml', 'patients:\n  - { nhsNumber: "9990000018", name: "Test Patient", gender: female, birthDate: "1970-01-01", registeredGp: Y90001 }\n'));
    assert.equal(seed.patients.length, 1);
    assert.ok(seed.referrals.length > 0, 'referrals stay built in');
    assert.throws(() => loadSeedFile(file('seed-bad.yaml', 'patiens: []\n')), /unknown seed section\(s\) patiens/);
  });
});

describe('ers-conformance serve', () => {
  it('prints its URL, serves, logs each request redacted, stops when asked', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const done = serveCommand(['--port', '0', '--rate-limit', '100:100'], { until, out: (l) => lines.push(l) });
    while (!lines.some((l) => l.startsWith('FHIR base URL: '))) await new Promise((r) => setTimeout(r, 10));
    const base = lines.find((l) => l.startsWith('FHIR base URL: '))!.slice('FHIR base URL: '.length);
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/referrals\/FHIR$/);
    const origin = base.replace(/\/referrals\/FHIR$/, '');
    const secret = /^control secret \(send as X-Simulator-Secret on \/_simulator\/\* requests\): (\S+)$/m.exec(lines.join('\n'))?.[1];
    assert.ok(secret, 'serve prints the control secret');
    const refused = await fetch(`${origin}/_simulator/tokens`, { method: 'POST', body: JSON.stringify({ principal: { mode: 'user-restricted', userId: '910000000101' } }) });
    assert.equal(refused.status, 401, 'no token without the control secret');
    const tokenRes = await fetch(`${origin}/_simulator/tokens`, { method: 'POST', headers: { 'X-Simulator-Secret': secret, 'Content-Type': 'application/json' }, body: JSON.stringify({ principal: { mode: 'user-restricted', userId: '910000000101' } }) });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${base}/STU3/ReferralRequest/${FX.referrals.unbooked}?token=Bearer%20${token}`, {
      headers: { Authorization: `Bearer ${token}`, 'NHSD-End-User-Organisation-ODS': 'Y90001', 'NHSD-eRS-Business-Function': 'REFERRING_CLINICIAN' },
    });
    assert.equal(res.status, 200);
    stop();
    assert.equal(await done, 0);
    const log = lines.join('\n');
    assert.match(log, /GET \/referrals\/FHIR\/STU3\/ReferralRequest\/300000100001 200 [\d.]+ms A005/);
    assert.match(log, /POST \/_simulator\/tokens 200/);
    assert.ok(!log.includes(token), 'the token never reaches the log');
    assert.match(log, /rate limit: 100\/s burst 100/);
    assert.match(log, /e-RS simulator stopped/);
  });

  it('exits 2 with the fix for a bad flag or file', async () => {
    const quiet = { until: Promise.resolve(), out: () => {} };
    assert.equal(await serveCommand(['--port', 'eighty'], quiet), 2);
    assert.equal(await serveCommand(['--rate-limit', 'fast'], quiet), 2);
    assert.equal(await serveCommand(['--faults', join(scratch, 'nope.yaml')], quiet), 2);
  });
});
