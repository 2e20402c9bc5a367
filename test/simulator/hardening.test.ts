// What the simulator refuses so that nothing a client sends can exhaust it, leave half-done writes behind, or be
// driven from a web page: transactional writes, store and JSON limits, the control routes' guard, token and
// rate-limit bounds, fault rules that can fire (issue 14, items 2-4 and 6).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { serveCommand } from '../../src/cli/serve.ts';
import { createReferral } from '../../src/simulator/operations/A011-create-referral.ts';
import { unprocessable } from '../../src/simulator/errors.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { createRateLimiter } from '../../src/simulator/rate-limit.ts';
import { createTokenStore } from '../../src/simulator/tokens.ts';
import type { StoredReferral } from '../../src/simulator/store.ts';
import { A005, A010_PATH, A011_PATH, actor, assertStu3Outcome, createRequest, FX, get, post, readJson, searchRequest, start, userHeaders, type Json } from './helpers.ts';

const rc = (sim: Simulator) => userHeaders(sim, actor('REFERRING_CLINICIAN'));
const control = (sim: Simulator, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
  fetch(`${sim.origin}${path}`, { method, headers: init.headers ?? sim.controlHeaders(), ...(init.body !== undefined ? { body: init.body } : {}) });

describe('a write either completes and answers success, or leaves no trace', () => {
  let sim: Simulator;
  const stored: string[] = [];
  let mode: 'crash' | 'refuse' | 'mutate-then-crash' = 'crash';
  before(async () => {
    sim = await start({}, {
      operations: [
        {
          // the real A011, made to fail after it has stored the referral (as a rendering crash once did)
          ...createReferral,
          ids: ['A011'],
          async handle(ctx) {
            const res = await createReferral.handle(ctx);
            stored.push(JSON.parse(String(res.body)).id);
            if (mode === 'refuse') throw unprocessable('INVALID_VALUE', 'refused after storing');
            throw new RangeError('Maximum call stack size exceeded');
          },
        },
        {
          // A036 changed in place: the seeded referral's version and state, then a crash
          ...createReferral,
          ids: ['A036'],
          handle(ctx) {
            const ref = ctx.store.referrals.get(ctx.params.ubrn as string) as StoredReferral;
            ref.version += 1;
            ref.state = 'CANCELLED';
            ctx.store.referrals.delete(FX.referrals.bookedDbs as string);
            throw new TypeError('boom after changing things');
          },
        },
      ],
    });
  });
  after(() => sim.close());

  it('a create that crashes after storing answers 500 and the referral does not exist', async () => {
    mode = 'crash';
    const res = await post(sim, A011_PATH, rc(sim), createRequest(sim));
    assert.equal(res.status, 500);
    assert.equal(stored.length, 1);
    await assertStu3Outcome(await get(sim, A005(stored[0] as string), rc(sim)), 404, 'REFERENCE_NOT_FOUND');
  });

  it('a create refused after storing answers its 422 and the referral does not exist', async () => {
    mode = 'refuse';
    await assertStu3Outcome(await post(sim, A011_PATH, rc(sim), createRequest(sim)), 422, 'INVALID_VALUE');
    await assertStu3Outcome(await get(sim, A005(stored.at(-1) as string), rc(sim)), 404, 'REFERENCE_NOT_FOUND');
  });

  it('an update that changes records in place and then crashes leaves them as they were', async () => {
    const ubrn = FX.referrals.unbooked as string;
    const beforeRead = await readJson(await get(sim, A005(ubrn), rc(sim)));
    const res = await post(sim, `/STU3/ReferralRequest/${ubrn}/$ers.cancelReferral`, { ...rc(sim), 'If-Match': `W/"${beforeRead.meta.versionId}"` }, { resourceType: 'Parameters' });
    assert.equal(res.status, 500, await res.text());
    const afterRead = await readJson(await get(sim, A005(ubrn), rc(sim)));
    assert.deepEqual(afterRead, { ...beforeRead, meta: { ...beforeRead.meta, lastUpdated: afterRead.meta.lastUpdated } });
    assert.equal((await get(sim, A005(FX.referrals.bookedDbs), rc(sim))).status, 200, 'the deleted referral is back');
  });

  it('a create nested deeper than any resource (the old phantom) is refused before anything is stored', async () => {
    // written as text: the value is too deep for JSON.stringify, as it was for the simulator's renderer
    const depth = 5_000;
    const deep = `${'{"resourceType":"Parameters","parameter":['.repeat(depth)}{"name":"priority","valueCoding":{"code":"ROUTINE"}}${']}'.repeat(depth)}`;
    const body = JSON.stringify(createRequest(sim, { criteria: [{ name: 'PLACEHOLDER' }] })).replace('{"name":"PLACEHOLDER"}', deep);
    const created = stored.length;
    await assertStu3Outcome(await post(sim, A011_PATH, rc(sim), body), 400, 'INVALID_FHIR_STRUCTURE', 'deeper than 64 levels');
    assert.equal(stored.length, created, 'the handler never ran');
  });
});

describe('bounded store and request bodies', () => {
  let sim: Simulator;
  before(async () => {
    sim = await start({ limits: { maxRecords: 2, maxJsonNodes: 500 } });
  });
  after(() => sim.close());

  it('creates beyond maxRecords answer 507 naming the limit and the fix, store nothing, and work again after a reset', async () => {
    // the two creates the limit allows (the first test of a fresh simulator)
    for (let i = 0; i < 2; i++) assert.equal((await post(sim, A011_PATH, rc(sim), createRequest(sim))).status, 201);
    const full = await post(sim, A011_PATH, rc(sim), createRequest(sim));
    assert.equal(full.status, 507);
    const issue = (await readJson(full)).issue[0];
    assert.match(issue.diagnostics, /maxRecords 2/);
    assert.match(issue.diagnostics, /POST \/_simulator\/reset/);
    // reads and refusals still work while full
    assert.equal((await get(sim, A005(FX.referrals.unbooked), rc(sim))).status, 200);
    assert.equal((await control(sim, 'POST', '/_simulator/reset')).status, 204);
    assert.equal((await post(sim, A011_PATH, rc(sim), createRequest(sim))).status, 201);
    assert.equal((await control(sim, 'POST', '/_simulator/reset')).status, 204);
  });

  it('uploads beyond maxStoredBytes answer 507 and the file is not kept', async () => {
    const sim = await start({ limits: { maxStoredBytes: 2_500 } });
    try {
      const upload = (n: number, size = 1_000) => fetch(`${sim.baseUrl}/STU3/Binary`, { method: 'POST', headers: { ...rc(sim), 'Content-Type': 'text/plain', 'NHSD-eRS-File-Name': `f${n}.txt` }, body: Buffer.alloc(size, 0x61) });
      assert.equal((await upload(1)).status, 201);
      assert.equal((await upload(2)).status, 201);
      const third = await upload(3);
      assert.equal(third.status, 507);
      assert.match((await readJson(third)).issue[0].diagnostics, /maxStoredBytes 2500/);
      assert.equal((await upload(4, 400)).status, 201, 'the refused 1,000 bytes were not kept: 400 more still fit');
    } finally {
      await sim.close();
    }
  });

  it('a body with more values than maxJsonNodes is refused with 400 naming the limit (a 1M-key object no longer fills the heap)', async () => {
    const wide: Json = searchRequest(sim);
    wide.meta.extra = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, i]));
    await assertStu3Outcome(await post(sim, A010_PATH, rc(sim), wide), 400, 'INVALID_FHIR_STRUCTURE', 'more than 500 values');
  });

  it('the limits are checked when the simulator starts', async () => {
    await assert.rejects(start({ limits: { maxRecords: 0 } }), /maxRecords must be a whole number above 0/);
    await assert.rejects(start({ limits: { maxRecrods: 5 } as never }), /unknown simulator limit maxRecrods/);
    await assert.rejects(start({ limits: { headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 } }), /headersTimeoutMs \(2000\) must not exceed requestTimeoutMs \(1000\)/);
  });
});

describe('control routes refuse what a web page could send', () => {
  let sim: Simulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  it('a cross-site style POST /_simulator/reset (text/plain, foreign Origin, no secret) is refused and resets nothing', async () => {
    const created = await readJson(await post(sim, A011_PATH, rc(sim), createRequest(sim)));
    const res = await fetch(`${sim.origin}/_simulator/reset`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' }, body: 'x' });
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /cross-origin/);
    assert.equal((await get(sim, A005(created.id), rc(sim))).status, 200, 'the data survived');
  });

  const cases: [string, Record<string, string>, string | undefined, number, RegExp][] = [
    ['no secret', { 'Content-Type': 'application/json' }, '{"operation":"*","latencyMs":600000,"always":true}', 401, /X-Simulator-Secret/],
    ['a wrong secret', { 'X-Simulator-Secret': 'not-the-secret-at-all', 'Content-Type': 'application/json' }, '{"operation":"*","latencyMs":600000,"always":true}', 401, /X-Simulator-Secret/],
    ['the secret but text/plain', { 'Content-Type': 'text/plain' }, '{"operation":"*","latencyMs":600000,"always":true}', 415, /application\/json/],
    ['the secret but Origin null', { Origin: 'null', 'Content-Type': 'application/json' }, '{"operation":"*","latencyMs":600000,"always":true}', 403, /cross-origin/],
  ];
  for (const [name, headers, body, status, says] of cases) {
    it(`${name} -> ${status}, and no fault is injected`, async () => {
      const needsSecret = name.startsWith('the secret');
      const res = await control(sim, 'POST', '/_simulator/faults', { headers: { ...(needsSecret ? { 'X-Simulator-Secret': sim.controlSecret } : {}), ...headers }, ...(body ? { body } : {}) });
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { error: string }).error, says);
      const listed = (await (await control(sim, 'GET', '/_simulator/faults')).json()) as { faults: unknown[] };
      assert.deepEqual(listed.faults, []);
    });
  }

  it('the secret but a foreign Host (DNS rebinding) -> 403, and no fault is injected', async () => {
    // fetch will not send a Host of our choosing; node:http will
    const url = new URL(sim.origin);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/_simulator/faults', headers: { ...sim.controlHeaders(), Host: 'evil.example' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end('{"operation":"*","latencyMs":600000,"always":true}');
    });
    assert.equal(status, 403);
    assert.match(body, /Host 'evil\.example'/);
    assert.deepEqual(((await (await control(sim, 'GET', '/_simulator/faults')).json()) as { faults: unknown[] }).faults, []);
  });

  it('the CIS2 id_token route (it mints logins for any seeded user) is guarded the same way', async () => {
    const res = await fetch(`${sim.origin}/_simulator/cis2/id_token`, { method: 'POST', body: JSON.stringify({ userId: actor('REFERRING_CLINICIAN').userId }) });
    assert.equal(res.status, 401);
  });

  it('a same-origin request with the secret is served; the proxy _ping stays open', async () => {
    const res = await control(sim, 'GET', '/_simulator/faults', { headers: { ...sim.controlHeaders(), Origin: sim.origin } });
    assert.equal(res.status, 200);
    assert.equal((await fetch(`${sim.origin}/referrals/_ping`)).status, 200);
  });

  it('fault rules for operation ids no request carries (A999, a005) are refused with the valid ids', async () => {
    for (const operation of ['A999', 'a005']) {
      const res = await control(sim, 'POST', '/_simulator/faults', { body: JSON.stringify({ operation, status: 503 }) });
      assert.equal(res.status, 400);
      const { error } = (await res.json()) as { error: string };
      assert.match(error, new RegExp(`'${operation}' is not an e-RS operation id`));
      assert.match(error, /A005, A005-versioned/);
    }
  });

  it('ttlSeconds must be a whole number of seconds up to a day: "forever" no longer makes a token that never expires', async () => {
    const principal = { mode: 'user-restricted', userId: actor('REFERRING_CLINICIAN').userId };
    for (const ttlSeconds of ['forever', '600', 1.5, 86_401, -86_401]) {
      const res = await control(sim, 'POST', '/_simulator/tokens', { body: JSON.stringify({ principal, ttlSeconds }) });
      assert.equal(res.status, 400, `ttlSeconds ${JSON.stringify(ttlSeconds)}`);
      assert.match(((await res.json()) as { error: string }).error, /ttlSeconds must be a whole number of seconds up to 86400/);
    }
    assert.throws(() => sim.issueToken(principal as never, 'forever' as never), /ttlSeconds/);
    // 0 or less: a token that is already expired, for expired-token tests
    const expired = sim.issueToken(principal as never, -1);
    assert.equal((await get(sim, A005(FX.referrals.unbooked), { ...rc(sim), Authorization: `Bearer ${expired}` })).status, 401);
  });

  it("parameter names such as 'constructor' or '__proto__' are unknown parameters (422 UNEXPECTED_FIELD)", async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const body: Json = searchRequest(sim);
      body.parameter.push({ name, valueString: 'x' });
      await assertStu3Outcome(await post(sim, A010_PATH, rc(sim), body), 422, 'UNEXPECTED_FIELD', `unknown parameter name '${name}'`);
    }
  });
});

describe('tokens and rate-limit buckets do not accumulate', () => {
  const p = { mode: 'user-restricted' as const, userId: '910000000101' };

  it('beyond maxTokens, expired tokens are dropped first, then the oldest live ones', () => {
    let clock = 0;
    const store = createTokenStore(() => clock, 100);
    const shortLived = Array.from({ length: 50 }, () => store.issue(p, 1));
    const longLived = Array.from({ length: 50 }, () => store.issue(p, 3600));
    clock = 2_000; // the short-lived ones have expired, unread
    const fresh = Array.from({ length: 40 }, () => store.issue(p, 3600));
    assert.ok(store.size <= 100, `${store.size} tokens held`);
    assert.ok(longLived.every((t) => store.resolve(`Bearer ${t}`)), 'live tokens survive while expired ones can make room');
    assert.ok(fresh.every((t) => store.resolve(`Bearer ${t}`)));
    assert.ok(shortLived.every((t) => !store.resolve(`Bearer ${t}`)));
    for (let i = 0; i < 1_000; i++) store.issue(p, 3600);
    assert.ok(store.size <= 100, `${store.size} tokens held after 1,000 more`);
    assert.equal(store.resolve(`Bearer ${longLived[0]}`), undefined, 'the oldest went first');
  });

  it('one bucket per caller, at most maxBuckets; refilled buckets go first', () => {
    let clock = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 1, burst: 10 }, () => clock, 100);
    for (let i = 0; i < 10_000; i++) limiter.take(`token:${i}`);
    assert.ok(limiter.buckets <= 100, `${limiter.buckets} buckets`);
    // the oldest caller is still being throttled: it keeps its bucket while the refilled ones are dropped
    const fresh = createRateLimiter({ requestsPerSecond: 1, burst: 10 }, () => clock, 100);
    clock = 0;
    for (let i = 0; i < 10; i++) fresh.take('token:busy');
    for (let i = 0; i < 99; i++) fresh.take(`token:idle-${i}`);
    clock = 2_000; // the idle callers' buckets are full again; the busy one has 2 requests back
    for (let i = 0; i < 50; i++) fresh.take(`token:new-${i}`);
    assert.ok(fresh.buckets <= 100);
    fresh.take('token:busy');
    fresh.take('token:busy');
    assert.throws(() => fresh.take('token:busy'), /rate limit/);
  });
});

describe('serve tells the tester what is exposed', () => {
  async function startServe(argv: string[], env: Record<string, string> = {}): Promise<{ lines: string[]; code: number }> {
    const lines: string[] = [];
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    try {
      let finished = false;
      const done = serveCommand(argv, { until, out: (l) => lines.push(l) }).finally(() => (finished = true));
      // stop once it has printed its banner (or returned early with a usage error)
      while (!finished && !lines.some((l) => l.startsWith('Press Ctrl-C'))) await new Promise((r) => setImmediate(r));
      stop();
      return { lines, code: await done };
    } finally {
      process.env = saved;
    }
  }

  it('--host 0.0.0.0 warns that the control and token-minting routes become reachable', async () => {
    const { lines, code } = await startServe(['--host', '0.0.0.0', '--port', '0', '--quiet']);
    assert.equal(code, 0);
    assert.ok(lines.some((l) => /^WARNING: listening on 0\.0\.0\.0, not loopback/.test(l) && /mint tokens/.test(l)), lines.join('\n'));
  });

  it('on 127.0.0.1 there is no warning, and ERS_SIMULATOR_SECRET is the secret printed', async () => {
    const { lines } = await startServe(['--port', '0', '--quiet'], { ERS_SIMULATOR_SECRET: 'a-secret-of-our-own-choosing' });
    assert.ok(!lines.some((l) => l.startsWith('WARNING')));
    assert.ok(lines.includes('control secret (send as X-Simulator-Secret on /_simulator/* requests): a-secret-of-our-own-choosing'));
  });

  it('a short ERS_SIMULATOR_SECRET or a bad --max-records is bad usage (exit 2) naming the fix', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      assert.equal((await startServe(['--port', '0'], { ERS_SIMULATOR_SECRET: 'short' })).code, 2);
      assert.equal((await startServe(['--port', '0', '--max-records', 'lots'])).code, 2);
    } finally {
      process.stderr.write = write;
    }
    const said = stderr.join('');
    assert.match(said, /ERS_SIMULATOR_SECRET must be at least 16 characters/);
    assert.match(said, /--max-records takes a whole number above 0, got "lots"/);
  });
});
