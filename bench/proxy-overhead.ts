// What the recording proxy adds: A005 reads sent to a local upstream directly and through `ers-conformance proxy`
// (which forwards, records, judges and writes every exchange), side by side in one run.
// Run: node --import tsx bench/proxy-overhead.ts
//
// The upstream is `ers-conformance serve` (a real e-RS answer: the A005 body, its headers). Latency: one request at a
// time over a keep-alive connection, ERS_BENCH_SAMPLES of them each way, alternating direct and proxied so both see
// the same machine load; the median and p95 of each, and the added median. Throughput: autocannon with
// ERS_BENCH_CONNECTIONS connections for ERS_BENCH_SECONDS, direct then proxied, ERS_BENCH_ROUNDS rounds (median).
// The bar: median added latency under 2 ms, proxied throughput at least half the direct figure.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import autocannon from 'autocannon';
import { parse } from 'yaml';
import { ROOT, startServer, stop } from './processes.ts';

const SAMPLES = Number(process.env.ERS_BENCH_SAMPLES ?? 400);
const SECONDS = Number(process.env.ERS_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.ERS_BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.ERS_BENCH_ROUNDS ?? 2);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FX: any = parse(readFileSync(join(ROOT, 'src/targets/fixtures/simulator.yaml'), 'utf8'));

const CONTROL_SECRET = randomBytes(18).toString('base64url');
const upstream = await startServer(['bin/ers-conformance.js', 'serve', '--port', '0', '--quiet'], /FHIR base URL: (http:\/\/\S+)/, { env: { ...process.env, ERS_SIMULATOR_SECRET: CONTROL_SECRET } });
const scratch = mkdtempSync(join(tmpdir(), 'ers-bench-proxy-'));
const proxy = await startServer(['bin/ers-conformance.js', 'proxy', '--upstream', upstream.url, '--port', '0', '--quiet', '--reports', join(scratch, 'session'), '--max-in-flight', String(CONNECTIONS * 2)], /FHIR base URL: (http:\/\/\S+)/);
const origin = upstream.url.replace(/\/referrals\/FHIR$/, '');
const rc = FX.actors.REFERRING_CLINICIAN;
const tokenRes = await fetch(`${origin}/_simulator/tokens`, { method: 'POST', headers: { 'X-Simulator-Secret': CONTROL_SECRET, 'Content-Type': 'application/json' }, body: JSON.stringify({ principal: { mode: 'user-restricted', userId: rc.userId }, ttlSeconds: 3600 }) });
const { access_token: token } = (await tokenRes.json()) as { access_token: string };
const headers = { Authorization: `Bearer ${token}`, 'NHSD-End-User-Organisation-ODS': rc.ods, 'NHSD-eRS-Business-Function': rc.businessFunction, 'X-Correlation-ID': 'bench', Accept: 'application/fhir+json' };
const path = `/STU3/ReferralRequest/${FX.referrals.unbooked}`;
const routes = [{ name: 'direct', url: upstream.url + path }, { name: 'through the proxy', url: proxy.url + path }];

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
console.log(`proxy overhead bench · A005 read · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  const agent = new Agent({ connections: 1 });
  const once = async (url: string): Promise<number> => {
    const t = process.hrtime.bigint();
    const res = await request(url, { headers, dispatcher: agent });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const r of routes) for (let i = 0; i < 30; i++) await once(r.url); // warm-up
  const samples: Record<string, number[]> = { direct: [], 'through the proxy': [] };
  for (let i = 0; i < SAMPLES; i++) for (const r of routes) samples[r.name]!.push(await once(r.url));
  await agent.close();
  const throughput: Record<string, number[]> = { direct: [], 'through the proxy': [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of routes) {
      const res = await autocannon({ url: r.url, headers, connections: CONNECTIONS, duration: SECONDS });
      if (res.non2xx + res.errors + res.timeouts > 0) console.log(`  note: ${r.name}: ${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts`);
      throughput[r.name]!.push(res.requests.average);
    }
  }
  const med = (xs: number[]): number => pct(xs, 0.5);
  console.log(`${'route'.padEnd(20)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'req/s'.padStart(8)}`);
  for (const r of routes) console.log(`${r.name.padEnd(20)} ${med(samples[r.name]!).toFixed(2).padStart(10)} ${pct(samples[r.name]!, 0.95).toFixed(2).padStart(8)} ${med(throughput[r.name]!).toFixed(0).padStart(8)}`);
  const added = med(samples['through the proxy']!) - med(samples.direct!);
  const ratio = med(throughput['through the proxy']!) / med(throughput.direct!);
  console.log(`added median latency ${added.toFixed(2)} ms (bar: < 2 ms) · proxied throughput ${(ratio * 100).toFixed(0)}% of direct (bar: ≥ 50%)`);
} finally {
  await stop(proxy.child);
  await stop(upstream.child);
  rmSync(scratch, { recursive: true, force: true });
}
