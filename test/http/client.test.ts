import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createErsClient } from '../../src/http/client.ts';
import { describeExchange, header } from '../../src/http/exchange.ts';

// A local server playing the awkward responses a real target can give.
let calls: Record<string, number> = {};
const seen: Record<string, IncomingMessage['headers']> = {};
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = new URL(req.url!, 'http://x').pathname;
  calls[path] = (calls[path] ?? 0) + 1;
  seen[path] = req.headers;
  const fhir = { 'content-type': 'application/fhir+json' };
  switch (path) {
    case '/FHIR/json':
      res.writeHead(200, { ...fhir, etag: 'W/"3"' }).end(JSON.stringify({ resourceType: 'Patient', meta: { versionId: '3' } }));
      return;
    case '/FHIR/echo': {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => res.writeHead(200, fhir).end(JSON.stringify({ got: body, type: req.headers['content-type'] })));
      return;
    }
    case '/FHIR/html':
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
      return;
    case '/FHIR/broken-json':
      res.writeHead(200, fhir).end('{"resourceType": "Patient", ');
      return;
    case '/FHIR/empty':
      res.writeHead(204).end();
      return;
    case '/FHIR/huge':
      res.writeHead(200, fhir);
      res.end(Buffer.alloc(300_000, 'a'));
      return;
    case '/FHIR/pdf':
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from('%PDF-1.4\n%\xff\xff\n'));
      return;
    case '/FHIR/slow':
      setTimeout(() => res.writeHead(200, fhir).end('{}'), 2_000);
      return;
    case '/FHIR/reset':
      req.socket.destroy();
      return;
    case '/FHIR/throttled':
      if (calls[path]! < 3) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.writeHead(200, fhir).end('{"resourceType":"Bundle"}');
      return;
    default:
      res.writeHead(404).end();
  }
});
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/FHIR`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const client = () => createErsClient({ baseUrl: base, timeoutMs: 500, maxBodyBytes: 100_000 });

test('e-RS headers are sent: fresh correlation id per request, FHIR Accept, role headers, bearer token', async () => {
  const c = client();
  const a = await c.send({ method: 'GET', path: '/json', accessToken: 'tok-123456', businessFunction: 'REFERRING_CLINICIAN', odsCode: 'Y90001', onBehalfOf: '910000000202', ifMatch: 'W/"2"' });
  const b = await c.send({ method: 'GET', path: '/json' });
  const h = seen['/FHIR/json']!;
  assert.equal(a.response?.status, 200);
  assert.notEqual(a.correlationId, b.correlationId);
  assert.match(a.correlationId!, /^[0-9a-f-]{36}$/);
  assert.equal(h['x-correlation-id'], b.correlationId);
  assert.equal(h.accept, 'application/fhir+json');
  const first = a.request.headers;
  assert.equal(first['Authorization'], 'Bearer tok-123456');
  assert.equal(first['NHSD-eRS-Business-Function'], 'REFERRING_CLINICIAN');
  assert.equal(first['NHSD-End-User-Organisation-ODS'], 'Y90001');
  assert.equal(first['NHSD-eRS-On-Behalf-Of-User-ID'], '910000000202');
  assert.equal(first['If-Match'], 'W/"2"');
  assert.deepEqual(a.response?.body.json, { resourceType: 'Patient', meta: { versionId: '3' } });
  assert.equal(header(a.response!.headers, 'ETag'), 'W/"3"');
  assert.ok(a.durationMs >= 0 && a.startedAt);
  await c.close();
});

test('a header can be removed or replaced for a negative test; JSON bodies are sent as FHIR JSON', async () => {
  const c = client();
  const ex = await c.send({ method: 'POST', path: '/echo', body: { resourceType: 'Parameters' }, headers: { Accept: null, 'x-extra': 'y' } });
  assert.equal(ex.request.headers['Accept'], undefined);
  assert.equal(ex.request.headers['x-extra'], 'y');
  assert.deepEqual(ex.response?.body.json, { got: '{"resourceType":"Parameters"}', type: 'application/fhir+json' });
  assert.deepEqual(ex.request.body?.json, { resourceType: 'Parameters' }, 'request bodies are recorded and parsed for validation');
  await c.close();
});

test('non-JSON, broken JSON, empty and binary bodies are recorded, never thrown', async () => {
  const c = client();
  const html = await c.send({ method: 'GET', path: '/html' });
  assert.equal(html.response?.status, 502);
  assert.equal(html.response?.body.text, '<html>Bad gateway</html>');
  assert.equal(html.response?.body.json, undefined);
  const broken = await c.send({ method: 'GET', path: '/broken-json' });
  assert.match(broken.response!.body.jsonError!, /not valid JSON/);
  const empty = await c.send({ method: 'GET', path: '/empty' });
  assert.equal(empty.response?.body.bytes, 0);
  assert.equal(empty.response?.body.jsonError, undefined);
  const pdf = await c.send({ method: 'GET', path: '/pdf' });
  assert.equal(pdf.response?.body.binary, true);
  assert.ok(pdf.response?.body.raw?.subarray(0, 5).equals(Buffer.from('%PDF-')));
  await c.close();
});

test('a body larger than the recording limit is truncated and says so', async () => {
  const c = client();
  const ex = await c.send({ method: 'GET', path: '/huge' });
  const body = ex.response!.body;
  assert.equal(body.truncated, true);
  assert.equal(body.bytes, 300_000);
  assert.equal(body.text.length, 100_000);
  assert.match(body.jsonError!, /larger than the recording limit/);
  assert.match(describeExchange(ex), /truncated/);
  await c.close();
});

test('timeouts, resets and refused connections become transport errors with a fix', async () => {
  const c = client();
  const slow = await c.send({ method: 'GET', path: '/slow' });
  assert.equal(slow.error?.kind, 'timeout');
  assert.match(slow.error!.message, /ERS_TIMEOUT_MS/);
  const reset = await c.send({ method: 'GET', path: '/reset' });
  assert.ok(reset.error, 'a reset connection is an error');
  assert.ok(['connection-reset', 'other'].includes(reset.error!.kind), reset.error!.kind);
  await c.close();
  const refused = createErsClient({ baseUrl: 'http://127.0.0.1:1/FHIR', timeoutMs: 500, maxBodyBytes: 1000 });
  const ex = await refused.send({ method: 'GET', path: '/x' });
  assert.equal(ex.error?.kind, 'connection-refused');
  assert.match(ex.error!.message, /check the base URL/);
  await refused.close();
});

test('reads are retried after 429 within the budget, keeping each attempt as evidence; writes never are', async () => {
  calls = {};
  const c = client();
  const ex = await c.send({ method: 'GET', path: '/throttled', retryBudgetMs: 5_000 });
  assert.equal(ex.response?.status, 200);
  assert.equal(ex.attempts, 3);
  assert.equal(ex.priorAttempts?.length, 2);
  assert.ok(ex.priorAttempts!.every((p) => p.response?.status === 429));
  calls = {};
  const post = await c.send({ method: 'POST', path: '/throttled', body: {}, retryBudgetMs: 5_000 });
  assert.equal(post.response?.status, 429);
  assert.equal(post.attempts, 1);
  calls = {};
  const noBudget = await c.send({ method: 'GET', path: '/throttled', retryBudgetMs: 0 });
  assert.equal(noBudget.response?.status, 429);
  await c.close();
});

test('every attempt, retries included, waits for the request budget (ERS_MAX_RPS) before it is sent', async () => {
  calls = {};
  let taken = 0;
  const c = createErsClient({ baseUrl: base, timeoutMs: 500, maxBodyBytes: 100_000, pacer: { take: async () => void taken++ } });
  await c.send({ method: 'GET', path: '/json' });
  assert.equal(taken, 1);
  const ex = await c.send({ method: 'GET', path: '/throttled', retryBudgetMs: 5_000 });
  assert.equal(ex.attempts, 3);
  assert.equal(taken, 4, 'the two throttled attempts and the successful one each took a turn');
  await c.close();
});
