// Benchmark: how fast a run against a dead target stops. Issue 9: a closed port must stop the run with a clear
// error and exit 2 (it used to run all 717 scenarios as environment faults, exit 1). Ours: `ers-conformance run
// --target url` at a closed loopback port, wall time to exit; beside it the floor any CLI pays, `ers-conformance
// run --help` (same start-up, no work), and a bare undici request to the same port (the refusal itself).
// Medians of interleaved rounds, with min-max.
//
// Run: node --import tsx bench/dead-target.ts [--rounds N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 5;
const bin = join(ROOT, 'bin', 'ers-conformance.js');
const fixtures = join(ROOT, 'src', 'targets', 'fixtures', 'simulator.yaml');
const reports = mkdtempSync(join(tmpdir(), 'ers-bench-dead-'));
const base = 'http://127.0.0.1:1/referrals/FHIR';

function timeCli(cliArgs: string[]): { ms: number; code: number | null } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...cliArgs], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ERS_TARGET: '', ERS_TAGS: '' } });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, code: r.status };
}

async function timeRefusal(): Promise<number> {
  const t = process.hrtime.bigint();
  await request(`${base}/STU3/CodeSystem/SPECIALTY`).catch(() => undefined);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const runs: number[] = [];
const helps: number[] = [];
const refusals: number[] = [];
const codes = new Set<number | null>();
for (let i = 0; i < rounds; i++) {
  const r = timeCli(['run', '--target', 'url', '--base-url', base, '--fixtures', fixtures, '--auth', 'none', '--reports', reports]);
  runs.push(r.ms);
  codes.add(r.code);
  helps.push(timeCli(['run', '--help']).ms);
  refusals.push(await timeRefusal());
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]): string => `${(median(xs) / 1000).toFixed(2)} s (${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)})`;
console.log(`dead target (${base}), ${rounds} rounds · ${cpus().length} CPUs · load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`  ers-conformance run, closed port → exit ${[...codes].join('/')}   ${fmt(runs)}`);
console.log(`  ers-conformance run --help (start-up floor)      ${fmt(helps)}`);
console.log(`  bare undici request to the closed port           ${fmt(refusals)}`);
console.log(`  pre-flight cost over start-up: ${((median(runs) - median(helps)) / 1000).toFixed(2)} s (the issue allows 60 s)`);
