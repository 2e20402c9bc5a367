// Bad input never hurts the simulator: the documented answers to each kind of bad input, then at least 10,000
// random and mutated requests (mutations of the NHS sandbox's example requests, read from ../shared at test
// time, plus generated ones). Every answer must be a documented status with the documented body shape; no
// crash, no connection drop, no 5xx (none is injected here; 501 is the stub for operations not built yet).
// Reproduce a failure with FUZZ_SEED=<seed printed below>; change the volume with FUZZ_REQUESTS.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { OPERATIONS, type OperationDef } from '../../src/ers/operations.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { A005, A010_PATH, actor, appHeaders, assertStu3Outcome, FX, get, post, start, userHeaders } from './helpers.ts';

// the NHS material sits beside the repository (../shared), read in place
const EXAMPLES = fileURLToPath(new URL('../../../shared/ers-api/examples', import.meta.url));
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_BODY = 64 * 1024;
const CONCURRENCY = 8;

// --- the documented answers, one per kind of bad input -------------------------------------------------------

describe('bad input gets its documented status and body', () => {
  let sim: Simulator;
  let rc: () => Record<string, string>;
  before(async () => {
    sim = await start({ maxBodyBytes: MAX_BODY });
    rc = () => userHeaders(sim, actor('REFERRING_CLINICIAN'));
  });
  after(() => sim.close());

  it('malformed JSON -> 400 INVALID_FHIR_STRUCTURE', async () => {
    await assertStu3Outcome(await post(sim, A010_PATH, rc(), '{"resourceType": "Parameters", "parameter": ['), 400, 'INVALID_FHIR_STRUCTURE', 'not valid JSON');
  });
  it('wrong resource type -> 422 INVALID_FHIR_STRUCTURE naming resourceType', async () => {
    await assertStu3Outcome(await post(sim, A010_PATH, rc(), { resourceType: 'Bundle', type: 'collection' }), 422, 'INVALID_FHIR_STRUCTURE', "expected 'Parameters'");
    await assertStu3Outcome(await post(sim, A010_PATH, rc(), [1, 2, 3]), 422, 'INVALID_FHIR_STRUCTURE', 'no resourceType');
  });
  it('wrong media type -> 415 (text/plain on STU3, catalogue section 6)', async () => {
    const res = await post(sim, A010_PATH, { ...rc(), 'Content-Type': 'text/xml' }, '<Parameters/>');
    assert.equal(res.status, 415);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /Unsupported Media Type/);
  });
  it('oversize body -> 413 OperationOutcome, and the connection stays usable', async () => {
    await assertStu3Outcome(await post(sim, A010_PATH, rc(), 'x'.repeat(MAX_BODY + 1)), 413, 'INVALID_VALUE', 'Payload Too Large');
    assert.equal((await get(sim, A005(FX.referrals.unbooked), rc())).status, 200);
  });
  it('unknown route -> 404 REFERENCE_NOT_FOUND; outside /referrals/FHIR too', async () => {
    await assertStu3Outcome(await get(sim, '/STU3/NoSuchThing/1', rc()), 404, 'REFERENCE_NOT_FOUND', '/STU3/NoSuchThing/1');
    const res = await fetch(`${sim.origin}/favicon.ico`);
    await assertStu3Outcome(res, 404, 'REFERENCE_NOT_FOUND');
  });
  it('unknown UBRN -> 404 REFERENCE_NOT_FOUND', async () => {
    await assertStu3Outcome(await get(sim, A005(FX.referrals.unknown), rc()), 404, 'REFERENCE_NOT_FOUND');
  });
});

// --- raw sockets: what no HTTP client library would send -------------------------------------------------------

/** Writes raw bytes (in parts, if given several) and returns everything the server sent until it closed the connection. */
function rawExchange(origin: string, parts: (string | Buffer)[], opts: { end?: boolean } = {}): Promise<{ text: string; status: number | undefined }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    // a guard against hanging the test run, not a measurement: every case here ends in well under it
    const guard = setTimeout(() => socket.destroy(new Error('the server neither answered nor closed the connection within 20 s')), 20_000);
    socket.on('connect', () => {
      for (const p of parts) socket.write(p);
      if (opts.end) socket.end();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(guard);
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') resolve(result());
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(result());
    });
    const result = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      return { text, status: m ? Number(m[1]) : undefined };
    };
  });
}

describe('malformed requests on a raw socket get an HTTP answer and the simulator keeps serving', () => {
  let sim: Simulator;
  before(async () => {
    sim = await start({ limits: { maxHeaderBytes: 8 * 1024, headersTimeoutMs: 300, requestTimeoutMs: 600 } });
  });
  after(() => sim.close());
  const stillServes = async () => assert.equal((await get(sim, A005(FX.referrals.unbooked), userHeaders(sim, actor('REFERRING_CLINICIAN')))).status, 200, 'and the simulator still serves e-RS reads');

  // [request target, what the 400 must say]; each of the first four killed the process once (new URL() threw outside any handler)
  const targets: [string, RegExp][] = [
    ['//', /must not start with '\/\/'/],
    ['//[', /must not start with '\/\/'/],
    ['http://[', /must be a path starting with '\/'/],
    ['//:99999', /must not start with '\/\/'/],
    ['http://example.org/referrals/_ping', /must be a path starting with '\/'/],
    ['/referrals/../_simulator/reset', /'\.' or '\.\.' segments/],
    ['/referrals/FHIR/STU3/%2e%2e/%2E%2E/_simulator/reset', /'\.' or '\.\.' segments/],
    ['/referrals/FHIR/STU3/..%2F..%2F_simulator/reset', /'\.' or '\.\.' segments/],
    ['/referrals/FHIR/STU3/ReferralRequest/%E0%A4%A', /malformed percent-encoding/],
    ['/./referrals/_ping', /'\.' or '\.\.' segments/],
  ];
  for (const [target, says] of targets) {
    it(`GET ${target} -> 400 OperationOutcome naming the problem`, async () => {
      const { status, text } = await rawExchange(sim.origin, [`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`]);
      assert.equal(status, 400, text);
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
      assert.equal(body.resourceType, 'OperationOutcome');
      assert.match(body.issue[0].diagnostics, says);
      await stillServes();
    });
  }

  // what node's parser refuses before any handler runs: each still gets a status line and a reason
  const unparsable: [string, string, number, RegExp][] = [
    ['no HTTP at all', 'GARBAGE\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['a space in the target', 'GET /a b c HTTP/1.1\r\nHost: localhost\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['a header without a colon', 'GET /referrals/_ping HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['a control character in a header value', 'GET /referrals/_ping HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0001b\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['Content-Length and Transfer-Encoding together', 'POST /referrals/_ping HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['a negative Content-Length', 'POST /referrals/_ping HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['HTTP/1.1 without Host', 'GET /referrals/_ping HTTP/1.1\r\n\r\n', 400, /.*/],
    ['headers over the limit', `GET /referrals/_ping HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`, 431, /limited to 8192 bytes/],
    ['a request line over the limit', `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 431, /limited to 8192 bytes/],
    ['CONNECT (the simulator is not a proxy)', 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n', 405, /not a proxy/],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, /not valid HTTP\/1\.1/],
    ['10,000 tiny headers', `GET /referrals/_ping HTTP/1.1\r\nHost: localhost\r\n${'X: y\r\n'.repeat(10_000)}\r\n`, 431, /limited to 8192 bytes/],
  ];
  for (const [name, raw, expected, says] of unparsable) {
    it(`${name} -> ${expected} with a reason, then the connection closes`, async () => {
      const { status, text } = await rawExchange(sim.origin, [raw]);
      assert.equal(status, expected, text.slice(0, 300));
      assert.match(text, says);
      await stillServes();
    });
  }

  it('a request whose headers never finish (slowloris) is answered 408 and closed', async () => {
    const { status, text } = await rawExchange(sim.origin, ['GET /referrals/_ping HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n']);
    assert.equal(status, 408, text);
    assert.match(text, /not received in time/);
    await stillServes();
  });

  it('a body that never arrives in full is cut off and the connection closed', async () => {
    const headers = userHeaders(sim, actor('REFERRING_CLINICIAN'));
    const head = `POST /referrals/FHIR${A010_PATH} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${headers.Authorization}\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n`;
    const { status } = await rawExchange(sim.origin, [head, '{"resourceType":']);
    // node answers 408 when it can; either way the connection ends instead of being held open
    assert.ok(status === undefined || status === 408, `got ${status}`);
    await stillServes();
  });

  it('bodies held at once are bounded: past maxBufferedBodyBytes a request is answered 503 with Retry-After, and the budget comes back', async () => {
    const small = await start({ limits: { maxBufferedBodyBytes: 2_000, headersTimeoutMs: 5_000, requestTimeoutMs: 10_000 } });
    try {
      const h = userHeaders(small, actor('REFERRING_CLINICIAN'));
      // one request holds 1,500 bytes of an unfinished 3,000-byte body...
      const url = new URL(small.origin);
      const holder = connect(Number(url.port), url.hostname);
      await new Promise<void>((r) => holder.on('connect', () => r()));
      holder.write(`POST /referrals/FHIR${A010_PATH} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${h.Authorization}\r\nContent-Type: application/fhir+json\r\nContent-Length: 3000\r\n\r\n${' '.repeat(1_500)}`);
      // ...so another 1,000-byte body does not fit (asked again until the server has taken in the holder's bytes)
      const eventually = async (status: number): Promise<Response> => {
        for (let i = 0; ; i++) {
          const res = await post(small, A010_PATH, h, ' '.repeat(1_000));
          if (res.status === status || i === 100) return res;
          await res.arrayBuffer();
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const refused = await eventually(503);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.match(await refused.text(), /maxBufferedBodyBytes/);
      holder.destroy();
      // the holder's bytes are released once it is gone
      assert.equal((await eventually(400)).status, 400, 'the same body is now read (and refused as not JSON)');
    } finally {
      await small.close();
    }
  });

  it('a client that hangs up mid-body does not disturb the simulator', async () => {
    const head = `POST /referrals/FHIR${A010_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n`;
    await rawExchange(sim.origin, [head, '{"resource'], { end: true });
    await stillServes();
  });

  it('GET // then an A004 read on the same connection: both answered', async () => {
    const a004 = `GET /referrals/FHIR/STU3/CodeSystem/SPECIALTY HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${userHeaders(sim, actor('REFERRING_CLINICIAN')).Authorization}\r\nNHSD-End-User-Organisation-ODS: ${actor('REFERRING_CLINICIAN').ods}\r\nNHSD-eRS-Business-Function: REFERRING_CLINICIAN\r\nConnection: close\r\n\r\n`;
    const { text } = await rawExchange(sim.origin, ['GET // HTTP/1.1\r\nHost: localhost\r\n\r\n', a004]);
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [400, 200], text.slice(0, 400));
  });
});

// --- the fuzz run ------------------------------------------------------------------------------------------------

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** encodeURIComponent, except a lone surrogate is sent as its (invalid) UTF-8 bytes instead of throwing. */
const enc = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

interface FuzzRequest { kind: string; method: string; path: string; headers: Record<string, string>; body?: Buffer }
interface ExampleRequest { file: string; method: string; path: string; json: unknown }

function loadExampleRequests(): ExampleRequest[] {
  const index = JSON.parse(readFileSync(join(EXAMPLES, 'INDEX.json'), 'utf8')) as { files: { file: string; kind: string; contentType: string; openapi?: { method: string; path: string }[] }[] };
  const out: ExampleRequest[] = [];
  for (const f of index.files) {
    if (f.kind !== 'request' || !f.file.endsWith('.json') || !f.openapi?.length) continue;
    const use = f.openapi[0]!;
    out.push({ file: f.file, method: use.method, path: use.path, json: JSON.parse(readFileSync(join(EXAMPLES, f.file), 'utf8')) });
  }
  return out;
}

const WEIRD_STRINGS = ['', ' ', '\u0000', '\uFFFF', '\uD800', '💥', '../../etc/passwd', '%00', '${jndi:ldap://x}', '<script>', "'; DROP TABLE x; --", '9'.repeat(40), 'é'.repeat(3000), 'null', 'true', '-1', '1e309', '__proto__', 'constructor'];
const CONTENT_TYPES = ['application/fhir+json', 'application/fhir+json; charset=utf-8', 'application/json', 'text/plain', 'application/xml', 'application/fhir+xml', '', 'multipart/form-data; boundary=x', 'application/fhir+json; charset=latin1', '*/*', ';;;'];
const ACCEPTS = ['application/fhir+json', '*/*', 'application/fhir+xml', 'text/html', '', 'application/json;q=0', 'application/*;q=0.1', ',,,', 'application/fhir+json;q=abc'];

function makeFuzzer(sim: Simulator, examples: ExampleRequest[], rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const int = (n: number): number => Math.floor(rand() * n);
  const userActors = Object.keys(FX.actors).map((name) => ({ bf: actor(name).businessFunction, headers: userHeaders(sim, actor(name)) }));
  const apps = [appHeaders(sim, 'provider'), appHeaders(sim, 'referrer')];
  const ids = [...Object.values(FX.referrals), ...Object.values(FX.services), ...Object.values(FX.patients), ...FX.codeSystems.known, 'SPECIALTY', '1', '0', '-1', '000000070000'] as string[];

  const randomPrimitive = (): unknown => pick<() => unknown>([() => null, () => true, () => int(1e6) - 5e5, () => rand() * 1e308, () => pick(WEIRD_STRINGS), () => String(int(1e12)), () => 0])();
  const randomValue = (depth: number): unknown => {
    if (depth <= 0 || rand() < 0.4) return randomPrimitive();
    if (rand() < 0.5) return Array.from({ length: int(4) }, () => randomValue(depth - 1));
    const o: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i--) o[pick(['resourceType', 'parameter', 'name', 'resource', 'valueCoding', 'valueIdentifier', 'value', 'system', 'code', 'entry', 'item', 'contained', 'id', '__proto__', 'extension', pick(WEIRD_STRINGS)])] = randomValue(depth - 1);
    return o;
  };
  const nested = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = rand() < 0.5 ? [v] : { parameter: v };
    return v;
  };

  /** One structural change at a random node of a JSON value (returns the new root). */
  const mutateJson = (root: unknown): unknown => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]): void => {
      paths.push(p);
      if (paths.length > 400) return;
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, k]);
    };
    let copy: unknown;
    try {
      walk(root, []);
      copy = structuredClone(root);
    } catch {
      return root; // already nested too deep to copy: send it as it is
    }
    const path = pick(paths);
    if (path.length === 0) return pick<() => unknown>([() => randomValue(3), () => ({ ...(copy as object), resourceType: pick(['Patient', 'Bundle', 'OperationOutcome', '', 42]) }), () => [copy], () => nested(200 + int(1800))])();
    const parent = path.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
    const key = path.at(-1) as string | number;
    const current = parent[key];
    const ops: (() => void)[] = [
      () => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]),
      () => (parent[key] = null),
      () => (parent[key] = randomPrimitive()),
      () => (parent[key] = randomValue(3)),
      () => (parent[key] = [current]),
      () => (parent[key] = Array.isArray(current) ? current[0] : { value: current }),
      () => (parent[key] = Array.isArray(current) ? [...current, ...current, ...current] : current),
      () => (parent[key] = typeof current === 'string' ? current + pick(WEIRD_STRINGS) : String(current)),
      () => (parent[key] = typeof current === 'string' ? current.repeat(200) : current),
      () => (parent[key] = Array.isArray(current) ? Array.from({ length: 25 }, () => current[0]) : current),
      () => {
        if (!Array.isArray(parent)) parent[pick(['__proto__', 'constructor', 'unexpected', 'resourceType', 'valueString'])] = randomValue(2);
      },
    ];
    pick(ops)();
    return copy;
  };

  const mutateText = (text: string): string =>
    pick<() => string>([
      () => text.slice(0, int(text.length)),
      () => text.slice(0, int(text.length)) + pick(['{', '}', ']', ',', '"', '\\', '\u0000', 'NaN', 'undefined']) + text.slice(int(text.length)),
      () => '\uFEFF' + text,
      () => text + pick([' garbage', '}', '\n\n', '{}']),
      () => text.replace(/"/g, "'"),
      () => text.replace(/:/, ''),
    ])();

  const fhirOps = OPERATIONS.filter((o) => o.path.startsWith('/'));
  const fillPath = (op: OperationDef): string =>
    op.path.replace(/\{[^}]+\}/g, () => enc(rand() < 0.7 ? pick(ids) : pick(WEIRD_STRINGS)).replace(/%2F/gi, rand() < 0.5 ? '/' : '%2F'));
  // Mostly a caller the operation accepts, so that requests get past the role checks to the body and the handler.
  const headersFor = (op?: OperationDef): Record<string, string> => {
    const allowed = op ? userActors.filter((a) => op.businessFunctions.includes(a.bf)) : [];
    if (allowed.length && rand() < 0.85) return { ...pick(allowed).headers };
    return { ...(rand() < 0.85 ? pick(userActors).headers : pick(apps)) };
  };
  const opAt = (method: string, path: string): OperationDef | undefined => fhirOps.find((o) => o.method === method && o.path === path);

  const generators: [number, () => FuzzRequest][] = [
    // a documented example request, mutated (1-3 changes, sometimes broken as text)
    [40, () => {
      const ex = pick(examples);
      let json = ex.json;
      for (let i = 1 + int(3); i > 0; i--) json = mutateJson(json);
      let text = JSON.stringify(json) ?? 'null';
      if (rand() < 0.2) text = mutateText(text);
      return { kind: 'mutated-example', method: ex.method, path: ex.path.replace(/\{[^}]+\}/g, () => pick(ids)), headers: { ...headersFor(opAt(ex.method, ex.path)), 'Content-Type': 'application/fhir+json' }, body: Buffer.from(text) };
    }],
    // a documented example request as is, to any operation
    [5, () => {
      const ex = pick(examples);
      const op = rand() < 0.5 ? undefined : pick(fhirOps);
      return { kind: 'example', method: op?.method ?? ex.method, path: op ? fillPath(op) : ex.path.replace(/\{[^}]+\}/g, () => pick(ids)), headers: { ...headersFor(), 'Content-Type': 'application/fhir+json' }, body: Buffer.from(JSON.stringify(ex.json)) };
    }],
    // a generated JSON body to a body-taking operation
    [15, () => {
      const op = pick(fhirOps.filter((o) => o.requestBody !== 'none'));
      const value = rand() < 0.1 ? nested(100 + int(3000)) : rand() < 0.5 ? { resourceType: 'Parameters', parameter: randomValue(4) } : randomValue(5);
      return { kind: 'generated-body', method: op.method, path: fillPath(op), headers: { ...headersFor(op), 'Content-Type': rand() < 0.6 ? 'application/fhir+json' : pick(CONTENT_TYPES) }, body: Buffer.from(JSON.stringify(value) ?? '') };
    }],
    // a random path and method
    [15, () => {
      const op = pick(fhirOps);
      const base = rand() < 0.8 ? `/referrals/FHIR${fillPath(op)}` : pick(['/', '/referrals', '/referrals/FHIR', '/referrals/FHIR/STU3', '/referrals/FHIR/R4/', '/_simulator', '/referrals/FHIR/STU3/ReferralRequest/', '//referrals//FHIR', '/referrals/FHIR/STU3/ReferralRequest/%E0%A4%A', '/referrals/FHIR/STU3/..%2F..%2F_simulator/reset', '//', '//[', '//:99999', '/referrals/../_simulator/reset', '/./referrals/_ping', '/referrals/FHIR/STU3/%2e%2e/x']);
      const query = rand() < 0.3 ? `?${pick(['identifier', '_query', 'a', '', '%zz'])}=${enc(pick(WEIRD_STRINGS))}&${pick(['x', 'identifier'])}` : '';
      return { kind: 'random-path', method: rand() < 0.5 ? op.method : pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']), path: base + query, headers: headersFor(op) };
    }],
    // a valid read with hostile or missing headers
    [15, () => {
      const op = pick(fhirOps.filter((o) => o.method === 'GET'));
      const h = headersFor(op);
      for (let i = 1 + int(3); i > 0; i--) {
        const name = pick(['Accept', 'Content-Type', 'NHSD-eRS-Business-Function', 'NHSD-End-User-Organisation-ODS', 'NHSD-eRS-On-Behalf-Of-User-ID', 'Authorization', 'If-Match', 'X-Correlation-ID', 'x-ers-user-id']);
        if (rand() < 0.3) delete h[name];
        else h[name] = name === 'Accept' ? pick(ACCEPTS) : name === 'Authorization' ? pick(['Bearer', 'Bearer ', 'Basic abc', `Bearer ${'a'.repeat(5000)}`, 'bearer x y']) : pick([...WEIRD_STRINGS.filter((s) => !/[\u0000-\u001f\u007f-\uffff]/.test(s)), 'SERVICE_PROVIDER_CLINICIAN_ADMIN', 'PROVIDER_AUTHORISED_APPLICATION', 'RX1']);
      }
      return { kind: 'header-fuzz', method: 'GET', path: `/referrals/FHIR${rand() < 0.5 ? A005(pick(ids)) : fillPath(op)}`, headers: h };
    }],
    // random bytes under a random media type
    [5, () => {
      const op = pick(fhirOps.filter((o) => o.requestBody !== 'none'));
      const bytes = Buffer.alloc(int(2048));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return { kind: 'random-bytes', method: op.method, path: `/referrals/FHIR${fillPath(op)}`, headers: { ...headersFor(op), 'Content-Type': pick(CONTENT_TYPES) }, body: bytes };
    }],
    // just over (or far over) the body limit
    [1, () => ({ kind: 'oversize', method: 'POST', path: `/referrals/FHIR${A010_PATH}`, headers: { ...headersFor(), 'Content-Type': 'application/fhir+json' }, body: Buffer.alloc(MAX_BODY + 1 + int(MAX_BODY * 3), 0x7b) })],
    // junk to the control routes that cannot inject anything (tokens, unknown routes, reset)
    [4, () => ({
      kind: 'control',
      method: pick(['GET', 'POST', 'PUT', 'DELETE']),
      path: pick(['/_simulator/tokens', '/_simulator/nothing', '/_simulator/', '/referrals/_ping']),
      headers: rand() < 0.8 ? sim.controlHeaders() : { 'Content-Type': pick(['application/json', 'text/plain']) },
      body: Buffer.from(rand() < 0.5 ? JSON.stringify({ principal: randomValue(3), ttlSeconds: randomPrimitive() }) : mutateText('{"principal":{"mode":"user-restricted","userId":"1"}}')),
    })],
  ];
  // The relative path sent on the examples' own endpoints is after /referrals/FHIR.
  const weightTotal = generators.reduce((n, [w]) => n + w, 0);
  return (): FuzzRequest => {
    let r = rand() * weightTotal;
    for (const [w, gen] of generators) {
      if ((r -= w) < 0) {
        const req = gen();
        if (!req.path.startsWith('/referrals') && !req.path.startsWith('/_simulator') && !req.path.startsWith('//') && req.path !== '/') req.path = `/referrals/FHIR${req.path}`;
        return req;
      }
    }
    return generators[0]![1]();
  };
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function send(origin: URL, agent: Agent, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      { host: origin.hostname, port: origin.port, method: req.method, path: req.path, headers: { ...req.headers, ...(req.body ? { 'Content-Length': String(req.body.length) } : {}) }, agent, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error('no answer within 10 s')));
    r.on('error', reject);
    r.end(req.body);
  });
}

describe(`fuzz: ${TOTAL} random and mutated requests`, () => {
  const haveExamples = existsSync(join(EXAMPLES, 'INDEX.json'));

  it('never crashes, never drops a connection, never answers an unexpected 5xx', { timeout: 300_000, skip: haveExamples ? false : `the NHS example requests are not at ${EXAMPLES} (the mutated half of the fuzz needs them)` }, async (t) => {
    const logLines: string[] = [];
    const sim = await start({ maxBodyBytes: MAX_BODY, log: (l) => logLines.push(l) });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const rand = prng(SEED);
    const next = makeFuzzer(sim, loadExampleRequests(), rand);
    const origin = new URL(sim.origin);
    const statuses = new Map<number, number>();
    const byKind = new Map<string, number>();
    const problems: string[] = [];
    const started = performance.now();
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < TOTAL && problems.length < 20) {
        sent += 1;
        const req = next();
        byKind.set(req.kind, (byKind.get(req.kind) ?? 0) + 1);
        const what = () => `${req.kind} ${req.method} ${req.path.slice(0, 160)} (${req.body?.length ?? 0} bytes)`;
        let answer: Answer;
        try {
          answer = await send(origin, agent, req);
        } catch (err) {
          problems.push(`no answer to ${what()}: ${(err as Error).message}`);
          continue;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = checkAnswer(req, answer);
        if (problem) problems.push(`${problem} for ${what()}`);
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const ping = await fetch(`${sim.origin}/referrals/_ping`);
      assert.equal(ping.status, 200, 'the simulator still answers after the fuzz run');
      assert.equal((await get(sim, A005(FX.referrals.unbooked), userHeaders(sim, actor('REFERRING_CLINICIAN')))).status, 200, 'and still serves e-RS reads');
    } finally {
      agent.destroy();
      await sim.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const summary = `fuzz seed ${SEED}: ${sent} requests in ${seconds.toFixed(1)} s; statuses ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}; kinds ${[...byKind].map(([k, n]) => `${k}×${n}`).join(' ')}`;
    t.diagnostic(summary);
    process.stderr.write(summary + '\n');
    const crashes = logLines.filter((l) => /simulator error|transport error/.test(l));
    assert.deepEqual(crashes.slice(0, 5), [], `the simulator logged internal errors (seed ${SEED})`);
    assert.deepEqual(problems, [], `unexpected answers (seed ${SEED})`);
    assert.ok(sent >= TOTAL, `sent ${sent} of ${TOTAL}`);
  });
});

/** undefined when the answer is one the simulator documents for some bad input; else what is wrong with it. */
function checkAnswer(req: FuzzRequest, a: Answer): string | undefined {
  const type = String(a.headers['content-type'] ?? '');
  const text = a.body.toString('utf8');
  if (a.status < 100 || a.status > 599) return `impossible status ${a.status}`;
  if (a.status >= 500) {
    // 501 is the documented stub of an operation not built yet; any other 5xx was not injected.
    if (a.status === 501 && (req.method === 'HEAD' || /is not implemented by the simulator yet/.test(text))) return undefined;
    return `HTTP ${a.status} ${text.slice(0, 200)}`;
  }
  if (a.status < 400 || a.body.length === 0) return undefined; // success bodies are each operation's own tests' business
  if (/^application\/(fhir\+)?json/.test(type)) {
    let json: { resourceType?: string; issue?: unknown[] } | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      return `HTTP ${a.status} ${type} body is not JSON`;
    }
    const isControl = req.path.startsWith('/_simulator') || req.path.startsWith('/referrals/_ping');
    if (a.status >= 400 && !isControl && (json?.resourceType !== 'OperationOutcome' || !Array.isArray(json.issue) || json.issue.length !== 1)) {
      return `HTTP ${a.status} is not an OperationOutcome with one issue: ${text.slice(0, 200)}`;
    }
    return undefined;
  }
  // Documented plain-text answers: 406 and 415 on STU3 paths (catalogue section 6).
  if (/^text\/plain/.test(type) && (a.status === 406 || a.status === 415)) return undefined;
  // A request node's HTTP parser refused (too long a request line or headers, too slow, not HTTP) never reaches e-RS's
  // API: the simulator answers it as a gateway would, with the status and a plain line saying why (server.ts).
  if (/^text\/plain/.test(type) && /^(Request Header Fields Too Large|Request Timeout|Bad Request): the request /.test(text) && [400, 408, 431].includes(a.status)) return undefined;
  return `HTTP ${a.status} with an undocumented body (${type || 'no Content-Type'}): ${text.slice(0, 120)}`;
}
