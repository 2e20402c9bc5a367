// Memory benchmark: A011 creates against `ers-conformance serve` for ERS_BENCH_SECONDS (default 120), with the
// resident memory of the server process at the start, every 10 s and at the end, side by side with a peer that keeps
// every create for ever (bench/keep-all-peer.ts: what the simulator's store did before it had limits). Ours must stay
// under the bound documented in docs/serve.md ("Limits"): once maxRecords creates are held, creates answer 507 and
// memory stops growing. Run: node --import tsx bench/serve-memory.ts
// Knobs: ERS_BENCH_SECONDS, ERS_BENCH_CONNECTIONS (default 16), ERS_BENCH_MAX_RECORDS (serve --max-records, default
// the built-in limit), ERS_BENCH_RSS_BOUND_MB (default the documented 768).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { parse } from 'yaml';
import { buildCreateReferral, buildSearchCriteria, buildShortlist } from '../src/ers/requests.ts';
import { DEFAULT_LIMITS } from '../src/simulator/limits.ts';
import { ROOT, startServer, stop } from './processes.ts';

const SECONDS = Number(process.env.ERS_BENCH_SECONDS ?? 120);
const CONNECTIONS = Number(process.env.ERS_BENCH_CONNECTIONS ?? 16);
const MAX_RECORDS = process.env.ERS_BENCH_MAX_RECORDS;
const BOUND_MB = Number(process.env.ERS_BENCH_RSS_BOUND_MB ?? 768);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FX: any = parse(readFileSync(join(ROOT, 'src/targets/fixtures/simulator.yaml'), 'utf8'));

/** Resident memory of a process in MB (Linux /proc), or NaN elsewhere. */
function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const secret = randomBytes(18).toString('base64url');
const ours = await startServer(['bin/ers-conformance.js', 'serve', '--port', '0', '--quiet', ...(MAX_RECORDS ? ['--max-records', MAX_RECORDS] : [])], /FHIR base URL: (http:\/\/\S+)/, { env: { ...process.env, ERS_SIMULATOR_SECRET: secret } });
const peer = await startServer(['--import', 'tsx', 'bench/keep-all-peer.ts'], /listening on (http:\/\/\S+)/);
const origin = ours.url.replace(/\/referrals\/FHIR$/, '');
const rc = FX.actors.REFERRING_CLINICIAN;
const tokenRes = await fetch(`${origin}/_simulator/tokens`, { method: 'POST', headers: { 'X-Simulator-Secret': secret, 'Content-Type': 'application/json' }, body: JSON.stringify({ principal: { mode: 'user-restricted', userId: rc.userId }, ttlSeconds: 86_400 }) });
if (tokenRes.status !== 200) throw new Error(`no token from the simulator: ${tokenRes.status} ${await tokenRes.text()}`);
const { access_token: token } = (await tokenRes.json()) as { access_token: string };
const headers = { Authorization: `Bearer ${token}`, 'NHSD-End-User-Organisation-ODS': rc.ods, 'NHSD-eRS-Business-Function': rc.businessFunction, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' };
const criteria = buildSearchCriteria({ ...FX.search.criteria }, ours.url);
const body = JSON.stringify(buildCreateReferral({ patient: FX.patients.referable, shortlist: buildShortlist(criteria, [FX.services.directlyBookable]) }, ours.url));
const createPath = '/STU3/ReferralRequest/$ers.createReferral';
const probe = await fetch(ours.url + createPath, { method: 'POST', headers, body });
if (probe.status !== 201) throw new Error(`the simulator did not accept the bench create: ${probe.status} ${await probe.text()}`);

const limit = MAX_RECORDS ? Number(MAX_RECORDS) : DEFAULT_LIMITS.maxRecords;
console.log(`serve memory bench · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} · ${CONNECTIONS} connections per server · ${SECONDS} s of A011 creates · maxRecords ${limit}`);
const servers = [
  { name: 'ers-conformance serve', child: ours.child, url: ours.url + createPath },
  { name: 'peer: keeps every create', child: peer.child, url: `${peer.url}/referrals/FHIR${createPath}` },
];
const start = servers.map((s) => rssMb(s.child.pid));
const peak = [...start];
const samples: string[] = [];
const timer = setInterval(() => {
  const now = servers.map((s) => rssMb(s.child.pid));
  now.forEach((v, i) => (peak[i] = Math.max(peak[i]!, v)));
  samples.push(now.map((v) => v.toFixed(0)).join('/'));
}, 10_000);
let results: Result[];
try {
  results = await Promise.all(servers.map((s) => autocannon({ url: s.url, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS })));
} finally {
  clearInterval(timer);
}
const end = servers.map((s) => rssMb(s.child.pid));
end.forEach((v, i) => (peak[i] = Math.max(peak[i]!, v)));
await Promise.all(servers.map((s) => stop(s.child)));

const pad = (s: string, n: number): string => s.padEnd(n);
console.log('');
console.log(`${pad('server', 28)}${pad('201', 10)}${pad('507', 10)}${pad('other', 8)}${pad('RSS start MB', 14)}${pad('RSS end MB', 12)}RSS peak MB`);
servers.forEach((s, i) => {
  const r = results[i]!;
  const s507 = r.statusCodeStats?.['507']?.count ?? 0;
  console.log(`${pad(s.name, 28)}${pad(String(r['2xx']), 10)}${pad(String(s507), 10)}${pad(String(r.non2xx - s507 + r.errors + r.timeouts), 8)}${pad(start[i]!.toFixed(0), 14)}${pad(end[i]!.toFixed(0), 12)}${peak[i]!.toFixed(0)}`);
});
console.log(`RSS every 10 s (ours/peer): ${samples.join(' ')}`);
const verdict = peak[0]! < BOUND_MB;
console.log(`ours stays under the documented bound of ${BOUND_MB} MB: ${verdict ? 'PASS' : 'FAIL'} (peak ${peak[0]!.toFixed(0)} MB)`);
process.exitCode = verdict ? 0 : 1;
