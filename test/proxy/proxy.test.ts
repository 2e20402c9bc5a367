// The recording proxy: forwards unchanged both ways, passes upstream failures through as what they were,
// stays bounded, judges each exchange in both directions, and writes nothing a secret could leak into.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRedactor } from '../../src/evidence/redact.ts';
import { createValidator, type Validator } from '../../src/fhir/index.ts';
import { openProxySession, type ProxySession } from '../../src/proxy/session.ts';
import { startRecordingProxy, upstreamUrlFor, type ProxiedExchange, type ProxyLimits, type RecordingProxy } from '../../src/proxy/server.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { actor, start, userHeaders } from '../simulator/helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ers-proxy-'));
let sim: Simulator;
let validator: Validator;

before(async () => {
  [sim, validator] = await Promise.all([start(), createValidator({ target: 'url' })]);
});
after(async () => {
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A plain node:http request (no client-side header massaging), resolving to the raw answer or the socket error. */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function listen(handler: (req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Rig { proxy: RecordingProxy; seen: ProxiedExchange[]; session: ProxySession | undefined; dir: string; close(): Promise<void> }

async function rig(upstream: string, opts: { limits?: Partial<ProxyLimits>; session?: boolean; secrets?: string[] } = {}): Promise<Rig> {
  const seen: ProxiedExchange[] = [];
  const dir = mkdtempSync(join(scratch, 'session-'));
  let session: ProxySession | undefined;
  const proxy = await startRecordingProxy({ upstream, port: 0, ...(opts.limits ? { limits: opts.limits } : {}), onExchange: (p) => { seen.push(p); session?.record(p); } });
  if (opts.session !== false) {
    session = openProxySession({ dir, redactor: createRedactor(opts.secrets ?? []), conformance: { validator }, upstream: proxy.upstream, proxy: { origin: proxy.origin, baseUrl: proxy.baseUrl, tokenUrl: proxy.tokenUrl }, maxRecordedBodyBytes: opts.limits?.maxRecordedBodyBytes ?? 2 * 1024 * 1024 });
  }
  return { proxy, seen, session, dir, close: () => proxy.close(1000) };
}

const DATE_LIKE = new Set(['date', 'connection', 'keep-alive', 'x-request-id']);
const comparable = (h: Raw['headers']): Record<string, unknown> => Object.fromEntries(Object.entries(h).filter(([k]) => !DATE_LIKE.has(k)));

describe('forwarding', () => {
  it('maps the FHIR base and the token URL to the upstream and keeps every other path', () => {
    const up = { baseUrl: 'https://int.example/referrals/FHIR', tokenUrl: 'https://int.example/oauth2/token' };
    assert.equal(upstreamUrlFor('/referrals/FHIR/STU3/ReferralRequest/1?x=1&y=%20', up), 'https://int.example/referrals/FHIR/STU3/ReferralRequest/1?x=1&y=%20');
    assert.equal(upstreamUrlFor('/oauth2/token', up), 'https://int.example/oauth2/token');
    assert.equal(upstreamUrlFor('/other/path?q', { ...up, baseUrl: 'https://int.example/ers/FHIR' }), 'https://int.example/other/path?q');
    assert.equal(upstreamUrlFor('/referrals/FHIR/R4/x', { ...up, baseUrl: 'http://up:1/base/FHIR' }), 'http://up:1/base/FHIR/R4/x');
  });

  it('A004 and A005 through the proxy get the upstream\'s exact status, headers and body', async () => {
    const r = await rig(sim.baseUrl);
    try {
      const headers = { ...userHeaders(sim, actor('REFERRING_CLINICIAN')), 'X-Correlation-ID': 'proxy-test-1', Accept: 'application/fhir+json' };
      for (const path of ['/STU3/CodeSystem/SPECIALTY', '/STU3/ReferralRequest/000000070000', '/STU3/CodeSystem/NOT-A-CODE-SYSTEM']) {
        const direct = await send(`${sim.baseUrl}${path}`, { headers });
        const proxied = await send(`${r.proxy.baseUrl}${path}`, { headers });
        assert.equal(proxied.status, direct.status, path);
        // the simulator stamps each answer with the time it was made; everything else is byte for byte
        const untimed = (b: Buffer): string => b.toString('utf8').replace(/\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)/g, '<time>');
        assert.equal(untimed(proxied.body), untimed(direct.body), path);
        assert.equal(proxied.body.length, direct.body.length, path);
        assert.deepEqual(comparable(proxied.headers), comparable(direct.headers), path);
      }
      assert.equal(r.seen.length, 3);
      const last = await send(`${r.proxy.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers });
      await waitFor(() => r.seen.length === 4);
      assert.ok(r.seen[3]?.response?.body.equals(last.body), 'the supplier got exactly the bytes the upstream sent');
      assert.equal(r.seen[0]?.upstreamUrl, `${sim.baseUrl}/STU3/CodeSystem/SPECIALTY`);
    } finally {
      await r.close();
    }
  });

  it('sends the method, path, query, end-to-end headers and body unchanged, adding none', async () => {
    let got: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: Buffer } = {};
    const up = await listen((req, body, res) => {
      got = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, { 'Content-Type': 'application/fhir+json', ETag: 'W/"7"', 'X-Upstream': 'yes' });
      res.end('{"resourceType":"Parameters"}');
    });
    const r = await rig(`${up.url}/referrals/FHIR`);
    try {
      const body = Buffer.from('{"resourceType":"Parameters","parameter":[{"name":"x","valueString":"é ✓"}]}');
      const res = await send(`${r.proxy.baseUrl}/STU3/ReferralRequest/000000070000/$ers.cancelReferral?a=1&b=%2F`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/fhir+json', 'If-Match': 'W/"6"', 'X-Correlation-ID': 'c-1', 'X-Custom': 'kept', 'Content-Length': String(body.length) },
        body,
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers['x-upstream'], 'yes');
      assert.equal(res.headers.etag, 'W/"7"');
      assert.equal(got.method, 'POST');
      assert.equal(got.url, '/referrals/FHIR/STU3/ReferralRequest/000000070000/$ers.cancelReferral?a=1&b=%2F');
      assert.deepEqual(got.body, body);
      for (const [k, v] of Object.entries({ 'content-type': 'application/fhir+json', 'if-match': 'W/"6"', 'x-correlation-id': 'c-1', 'x-custom': 'kept', 'content-length': String(body.length) })) assert.equal(got.headers?.[k], v, k);
      const added = Object.keys(got.headers ?? {}).filter((k) => !['content-type', 'if-match', 'x-correlation-id', 'x-custom', 'content-length', 'host', 'connection'].includes(k));
      assert.deepEqual(added, [], `headers the proxy added: ${added.join(', ')}`);
      assert.equal(r.seen[0]?.response?.status, 201);
    } finally {
      await r.close();
      up.server.close();
    }
  });
});

describe('upstream failures pass through as what they were', () => {
  it('a refused connection: the supplier gets no answer either, and the exchange is recorded as refused', async () => {
    const dead = await listen(() => {});
    const port = (dead.server.address() as AddressInfo).port;
    await new Promise<void>((res) => dead.server.close(() => res()));
    const r = await rig(`http://127.0.0.1:${port}/referrals/FHIR`);
    try {
      await assert.rejects(send(`${r.proxy.baseUrl}/STU3/CodeSystem/SPECIALTY`), /socket hang up|ECONNRESET/);
      await waitFor(() => r.seen.length === 1);
      assert.equal(r.seen[0]?.error?.kind, 'connection-refused');
      assert.equal(r.seen[0]?.response, undefined);
      r.session?.finish('complete');
      assert.match(readFileSync(join(r.dir, 'findings.txt'), 'utf8'), /UPSTREAM connection-refused/);
    } finally {
      await r.close();
    }
  });

  it('a timeout: the connection is closed after the proxy\'s timeout, recorded as a timeout', async () => {
    const slow = await listen(() => {}); // never answers
    const r = await rig(`${slow.url}/referrals/FHIR`, { limits: { upstreamTimeoutMs: 300 } });
    try {
      await assert.rejects(send(`${r.proxy.baseUrl}/STU3/CodeSystem/SPECIALTY`));
      await waitFor(() => r.seen.length === 1);
      assert.equal(r.seen[0]?.error?.kind, 'timeout');
    } finally {
      await r.close();
      slow.server.closeAllConnections();
      slow.server.close();
    }
  });

  it('a non-JSON answer and a huge one pass whole; the record keeps the cap and says so', async () => {
    const huge = Buffer.alloc(3 * 1024 * 1024, 'a');
    const up = await listen((req, _b, res) => {
      if (req.url?.includes('huge')) {
        res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
        res.end(huge);
      } else {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html>bad gateway</html>');
      }
    });
    const r = await rig(`${up.url}/referrals/FHIR`, { limits: { maxRecordedBodyBytes: 1024 } });
    try {
      const html = await send(`${r.proxy.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers: { 'X-Correlation-ID': 'c' } });
      assert.equal(html.status, 502);
      assert.equal(html.body.toString(), '<html>bad gateway</html>');
      const big = await send(`${r.proxy.baseUrl}/STU3/CodeSystem/huge`, { headers: { 'X-Correlation-ID': 'c' } });
      assert.equal(big.body.length, huge.length);
      assert.ok(big.body.equals(huge));
      await waitFor(() => r.seen.length === 2);
      assert.equal(r.seen[1]?.response?.body.length, 1024);
      assert.equal(r.seen[1]?.response?.bodyBytes, huge.length);
      const lines = readFileSync(join(r.dir, 'exchanges.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines[1].response.body.truncated, true);
      assert.equal(lines[1].response.body.bytes, huge.length);
    } finally {
      await r.close();
      up.server.close();
    }
  });
});

describe('bounded', () => {
  it('one request over --max-in-flight gets the proxy\'s own 503 (labelled as such), never reaching e-RS', async () => {
    let upstreamCalls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const up = await listen((_req, _b, res) => {
      upstreamCalls += 1;
      void gate.then(() => res.end('{}'));
    });
    const r = await rig(`${up.url}/referrals/FHIR`, { limits: { maxInFlight: 1 } });
    try {
      const first = send(`${r.proxy.baseUrl}/STU3/CodeSystem/A`);
      await waitFor(() => upstreamCalls === 1);
      const second = await send(`${r.proxy.baseUrl}/STU3/CodeSystem/B`);
      assert.equal(second.status, 503);
      assert.match(second.body.toString(), /ers-conformance proxy: 1 requests are already being forwarded/);
      release();
      assert.equal((await first).status, 200);
      assert.equal(upstreamCalls, 1);
      await waitFor(() => r.seen.length === 2);
      assert.equal(r.seen.find((s) => s.path.endsWith('/B'))?.error?.kind, 'proxy-busy');
    } finally {
      await r.close();
      up.server.close();
    }
  });
});

describe('a supplier that hangs up', () => {
  it('mid-body or before the answer: the proxy records it and keeps serving', async () => {
    const up = await listen((_req, _b, res) => setTimeout(() => res.end('{}'), 50));
    const r = await rig(`${up.url}/referrals/FHIR`);
    try {
      const { connect } = await import('node:net');
      const port = Number(new URL(r.proxy.origin).port);
      for (const raw of [
        'POST /referrals/FHIR/STU3/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\npartial body',
        'GET /referrals/FHIR/STU3/CodeSystem/A HTTP/1.1\r\nHost: a\r\n\r\n',
      ]) {
        const socket = connect(port, '127.0.0.1');
        await new Promise<void>((res) => socket.once('connect', () => res()));
        socket.write(raw);
        await new Promise((res) => setTimeout(res, 20));
        socket.destroy();
      }
      await waitFor(() => r.seen.length === 2);
      assert.ok(r.seen.every((s) => s.error), JSON.stringify(r.seen.map((s) => s.error)));
      assert.equal((await send(`${r.proxy.baseUrl}/STU3/CodeSystem/B`)).status, 200);
    } finally {
      await r.close();
      up.server.close();
    }
  });
});

describe('judged in both directions', () => {
  it('supplier findings (If-Match not the last ETag, a rejected write sent again) and a suspected e-RS defect, each labelled', async () => {
    const ref = '/STU3/ReferralRequest/000000070000';
    const up = await listen((req, _b, res) => {
      if (req.method === 'GET' && req.url?.endsWith('000000070000')) {
        res.writeHead(200, { 'Content-Type': 'application/fhir+json', ETag: 'W/"5"' });
        res.end(JSON.stringify({ resourceType: 'ReferralRequest', id: '000000070000', status: 'not-a-status', intent: 'plan', subject: { reference: 'Patient/1' } }));
      } else {
        res.writeHead(422, { 'Content-Type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'business-rule' }] }));
      }
    });
    const r = await rig(`${up.url}/referrals/FHIR`);
    try {
      const h = { Authorization: 'Bearer abcdefgh12345678', 'X-Correlation-ID': 'c', 'Content-Type': 'application/fhir+json' };
      await send(`${r.proxy.baseUrl}${ref}`, { headers: h });
      const body = JSON.stringify({ resourceType: 'Parameters', parameter: [] });
      for (let i = 0; i < 2; i += 1) await send(`${r.proxy.baseUrl}${ref}/$ers.cancelReferral`, { method: 'POST', headers: { ...h, 'If-Match': 'W/"4"' }, body });
      const file = r.session!.finish('complete');
      assert.ok(file.counts.supplierFindings >= 2, JSON.stringify(file.counts));
      assert.ok(file.counts.suspectedErsDefects >= 1, JSON.stringify(file.counts));
      const text = readFileSync(join(r.dir, 'findings.txt'), 'utf8');
      assert.match(text, /SUPPLIER If-Match: #2 .*If-Match W\/"4" is not the last ETag e-RS served/);
      assert.match(text, /SUPPLIER no retry of a rejected write: #2 .*sent again unchanged/);
      assert.match(text, /SUSPECTED e-RS DEFECT \(not the supplier's\) response conformance: .*status/);
      const lines = readFileSync(join(r.dir, 'exchanges.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, 3);
      assert.ok(lines[0].findings.ers.length >= 1);
      assert.equal(lines[0].findings.supplier.length, 0);
    } finally {
      await r.close();
      up.server.close();
    }
  });
});

describe('canary: nothing the proxy writes carries a token, even when the target echoes them back', () => {
  it('bearer tokens, client assertions, issued tokens and API keys are redacted in every file', async () => {
    const bearer = `canary-bearer-${Math.random().toString(36).slice(2)}-token`;
    const issued = `canary-issued-${Math.random().toString(36).slice(2)}-token`;
    const assertion = `canary-assertion-${Math.random().toString(36).slice(2)}`;
    const apiKey = `canary-apikey-${Math.random().toString(36).slice(2)}`;
    const up = await listen((req, body, res) => {
      const echo = `${req.headers.authorization ?? ''} ${req.headers.apikey ?? ''} ${body.toString()}`;
      if (req.url?.endsWith('/oauth2/token')) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo': encodeURIComponent(echo) });
        res.end(JSON.stringify({ access_token: issued, token_type: 'Bearer', expires_in: 599, note: echo }));
        return;
      }
      res.writeHead(401, { 'Content-Type': 'application/fhir+json', 'X-Echo': echo.replace(/[^\x20-\x7e]/g, '') });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'security', diagnostics: `you sent ${echo} and ${Buffer.from(bearer).toString('base64')}` }] }));
    });
    const r = await rig(`${up.url}/referrals/FHIR`);
    try {
      await send(r.proxy.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', apikey: apiKey }, body: `grant_type=client_credentials&client_assertion_type=jwt-bearer&client_assertion=${assertion}` });
      await send(`${r.proxy.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers: { Authorization: `Bearer ${bearer}`, 'X-Correlation-ID': 'c', apikey: apiKey } });
      await send(`${r.proxy.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers: { Authorization: `Bearer ${issued}`, 'X-Correlation-ID': 'c' } });
      r.session!.finish('complete');
      const files = readdirSync(r.dir);
      assert.ok(files.includes('exchanges.jsonl') && files.includes('findings.txt'));
      for (const f of files) {
        const text = readFileSync(join(r.dir, f), 'utf8');
        for (const secret of [bearer, issued, assertion, apiKey, Buffer.from(bearer).toString('base64'), encodeURIComponent(bearer)]) assert.ok(!text.includes(secret), `${f} leaks ${secret.slice(0, 20)}…`);
      }
      assert.match(readFileSync(join(r.dir, 'exchanges.txt'), 'utf8'), /\[REDACTED\]/);
    } finally {
      await r.close();
      up.server.close();
    }
  });
});

async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
