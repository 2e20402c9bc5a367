// Load benchmark: `ers-conformance serve` under autocannon, A005 reads and A011 creates, side by side with the ceiling,
// a bare node:http server answering the same static bodies (bench/static-peer.ts). Run: node --import tsx bench/serve-load.ts
//
// Fairness: each server is its own process, pinned to CPU 0 when `taskset` exists (ERS_BENCH_SERVER_CPU); autocannon
// runs in this process, pinned to CPU 1 (ERS_BENCH_LOAD_CPU), so load generation does not steal the server's core.
// Both servers get the same requests (same headers, same A011 body) over keep-alive connections; every run is
// preceded by a warm-up and the peer and ours alternate, ERS_BENCH_ROUNDS rounds (median reported).
// Knobs: ERS_BENCH_SECONDS (per measurement, default 8), ERS_BENCH_CONNECTIONS (default 32), ERS_BENCH_ROUNDS (default 2).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { buildCreateReferral, buildSearchCriteria, buildShortlist } from '../src/ers/requests.ts';
import { ROOT, startServer as startProcess, stop } from './processes.ts';

const SECONDS = Number(process.env.ERS_BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.ERS_BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.ERS_BENCH_ROUNDS ?? 2);
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((t) => existsSync(t));
const SERVER_CPU = process.env.ERS_BENCH_SERVER_CPU ?? '0';
const LOAD_CPU = process.env.ERS_BENCH_LOAD_CPU ?? '1';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FX: any = parse(readFileSync(join(ROOT, 'src/targets/fixtures/simulator.yaml'), 'utf8'));

if (TASKSET && LOAD_CPU !== 'none') spawnSync(TASKSET, ['-p', '-c', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });

const startServer = (args: string[], pattern: RegExp) => startProcess(args, pattern, { taskset: TASKSET, cpu: SERVER_CPU });

interface Measure { rps: number; p50: number; p99: number; ok: number; other: number }

async function load(opts: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; seconds: number }): Promise<Measure> {
  const r = await autocannon({ url: opts.url, method: opts.method, headers: opts.headers, body: opts.body, connections: CONNECTIONS, duration: opts.seconds });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok: r['2xx'], other: r.non2xx + r.errors + r.timeouts };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// --- set-up: our server, a token, the bodies, the peer --------------------------------------------------------
// our own control secret, so the bench can mint a token; a store limit above what the creates add, so no 507 skews them
const CONTROL_SECRET = randomBytes(18).toString('base64url');
process.env.ERS_SIMULATOR_SECRET = CONTROL_SECRET;
const ours = await startServer(['bin/ers-conformance.js', 'serve', '--port', '0', '--quiet', '--max-records', '1000000'], /FHIR base URL: (http:\/\/\S+)/);
const origin = ours.url.replace(/\/referrals\/FHIR$/, '');
const rc = FX.actors.REFERRING_CLINICIAN;
const tokenRes = await fetch(`${origin}/_simulator/tokens`, { method: 'POST', headers: { 'X-Simulator-Secret': CONTROL_SECRET, 'Content-Type': 'application/json' }, body: JSON.stringify({ principal: { mode: 'user-restricted', userId: rc.userId }, ttlSeconds: 3600 }) });
const { access_token: token } = (await tokenRes.json()) as { access_token: string };
const headers = { Authorization: `Bearer ${token}`, 'NHSD-End-User-Organisation-ODS': rc.ods, 'NHSD-eRS-Business-Function': rc.businessFunction, 'X-Correlation-ID': 'bench', Accept: 'application/fhir+json' };
const readPath = `/STU3/ReferralRequest/${FX.referrals.unbooked}`;
const createPath = '/STU3/ReferralRequest/$ers.createReferral';
const criteria = buildSearchCriteria({ ...FX.search.criteria }, ours.url);
const createBody = JSON.stringify(buildCreateReferral({ patient: FX.patients.referable, shortlist: buildShortlist(criteria, [FX.services.directlyBookable]) }, ours.url));
const createHeaders = { ...headers, 'Content-Type': 'application/fhir+json' };

const readOnce = await fetch(ours.url + readPath, { headers });
const createOnce = await fetch(ours.url + createPath, { method: 'POST', headers: createHeaders, body: createBody });
if (readOnce.status !== 200 || createOnce.status !== 201) throw new Error(`the simulator did not answer the bench requests: A005 ${readOnce.status}, A011 ${createOnce.status} ${await createOnce.text()}`);
const scratch = mkdtempSync(join(tmpdir(), 'ers-bench-'));
writeFileSync(join(scratch, 'read.json'), Buffer.from(await readOnce.arrayBuffer()));
writeFileSync(join(scratch, 'create.json'), Buffer.from(await createOnce.arrayBuffer()));
const peer = await startServer(['--import', 'tsx', 'bench/static-peer.ts', join(scratch, 'read.json'), join(scratch, 'create.json')], /listening on (http:\/\/\S+)/);

// --- measure ---------------------------------------------------------------------------------------------------------
const cases = [
  { name: 'A005 read', method: 'GET' as const, path: readPath, headers, body: undefined },
  { name: 'A011 create', method: 'POST' as const, path: createPath, headers: createHeaders, body: createBody },
];
const servers = [
  { name: 'bare node:http (static body, ceiling)', base: `${peer.url}/referrals/FHIR` },
  { name: 'ers-conformance serve', base: ours.url },
];
const results = new Map<string, Measure[]>();
console.log(`serve load bench · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} · ${CONNECTIONS} connections · ${SECONDS} s × ${ROUNDS} round(s) · servers ${TASKSET && SERVER_CPU !== 'none' ? `pinned to CPU ${SERVER_CPU}, autocannon to CPU ${LOAD_CPU}` : 'not pinned'}`);
try {
  for (const c of cases) {
    for (const s of servers) await load({ url: s.base + c.path, method: c.method, headers: c.headers, body: c.body, seconds: 1 }); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of round % 2 ? [...servers].reverse() : servers) {
        const m = await load({ url: s.base + c.path, method: c.method, headers: c.headers, body: c.body, seconds: SECONDS });
        const key = `${c.name}|${s.name}`;
        results.set(key, [...(results.get(key) ?? []), m]);
      }
    }
  }
} finally {
  await Promise.all([stop(ours.child), stop(peer.child)]);
}

// --- report ------------------------------------------------------------------------------------------------------------
const pad = (s: string, n: number): string => s.padEnd(n);
console.log('');
console.log(`${pad('operation', 13)}${pad('server', 40)}${pad('req/s', 10)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('2xx', 10)}other`);
for (const c of cases) {
  for (const s of servers) {
    const ms = results.get(`${c.name}|${s.name}`) ?? [];
    const rps = median(ms.map((m) => m.rps));
    console.log(`${pad(c.name, 13)}${pad(s.name, 40)}${pad(rps.toFixed(0), 10)}${pad(String(median(ms.map((m) => m.p50))), 8)}${pad(String(median(ms.map((m) => m.p99))), 8)}${pad(String(ms.reduce((n, m) => n + m.ok, 0)), 10)}${ms.reduce((n, m) => n + m.other, 0)}`);
  }
  const oursRps = median((results.get(`${c.name}|${servers[1]!.name}`) ?? []).map((m) => m.rps));
  const peerRps = median((results.get(`${c.name}|${servers[0]!.name}`) ?? []).map((m) => m.rps));
  console.log(`${pad('', 13)}ours = ${((oursRps / peerRps) * 100).toFixed(0)}% of the ceiling${c.name === 'A005 read' ? ` · target ≥ 2,000 reads/s: ${oursRps >= 2000 ? 'PASS' : 'FAIL'}` : ''}`);
}
