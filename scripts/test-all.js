#!/usr/bin/env node
// `npm test`: the type check, the node:test suites under test/ and the Gherkin suite against the embedded
// simulator, all three at once. Ends with one line, "N passed, N failed, N skipped", for the whole run (CI reads it).
//
// What makes it fast on a small machine: the three parts overlap (each waits on its own child processes, pauses
// and sockets for much of its time); the test files run several at a time (each in its own process, on loopback
// port 0 and in its own temporary folders); and the slowest files start first, ordered by the durations the last
// run recorded (node_modules/.cache/ers-conformance/test-durations.json; a missing or stale record only changes
// the order). ERS_TEST_CONCURRENCY sets how many test files run at once (default: the CPUs plus one).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // optional: limit to paths under test/ (e.g. test/http)

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const durationsFile = join(root, 'node_modules', '.cache', 'ers-conformance', 'test-durations.json');
const lastDurations = readJson(durationsFile) ?? {};
const files = testFiles(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()
  // slowest first, so the long files are not the ones still running at the end; new files count as slow
  .sort((a, b) => (lastDurations[b] ?? Infinity) - (lastDurations[a] ?? Infinity));
const concurrency = concurrencyOf(process.env.ERS_TEST_CONCURRENCY);
const scratch = mkdtempSync(join(tmpdir(), 'ers-test-'));
const tap = join(scratch, 'unit.tap');
const timings = join(scratch, 'durations.json');

/** Starts a child with its output kept in a file (printed when it ends, so the parts do not interleave). */
function logged(name, args, env = process.env) {
  const log = join(scratch, `${name}.log`);
  const out = openSync(log, 'w');
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', out, out], env });
    child.on('error', (err) => resolveRun({ code: 2, log, error: err.message }));
    child.on('close', (code) => {
      closeSync(out);
      resolveRun({ code: code ?? 2, log });
    });
  });
}

// The code is TypeScript run by tsx, which does not type-check: that is a test of its own (about 20 s of one core).
console.log('== type check (tsc --noEmit), beside the tests: its output follows them ==');
const tscDone = logged('tsc', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root]);

let suiteDone;
if (only.length === 0) {
  // With the NHS documents beside the repo (a developer checkout, and CI), the suite also validates every
  // exchange against the NHS FHIR profiles and the e-RS OpenAPI contract; a fresh clone runs base validation.
  const shared = join(root, '..', 'shared');
  const suiteEnv = { ...process.env };
  const packages = join(shared, 'fhir-packages');
  const openapi = join(shared, 'ers-api', 'openapi.json');
  if (!suiteEnv.FHIR_PACKAGE_PATH && existsSync(packages)) suiteEnv.FHIR_PACKAGE_PATH = packages;
  if (!suiteEnv.ERS_OPENAPI && existsSync(openapi)) suiteEnv.ERS_OPENAPI = openapi;
  // The Allure HTML of 1,300 scenarios costs about 30 s of CPU and shows nothing the counts do not; the HTML
  // report itself is tested (test/security/canary.test.ts scans one, test/cli/report.test.ts rebuilds one).
  // ERS_REPORT_HTML=true npm test keeps it; `ers-conformance report` builds it later from the same results.
  if (suiteEnv.ERS_REPORT_HTML === undefined || suiteEnv.ERS_REPORT_HTML === '') suiteEnv.ERS_REPORT_HTML = 'false';
  console.log('== Gherkin suite against the embedded simulator, beside the unit tests: its output follows them ==');
  suiteDone = logged('suite', [join(root, 'bin/ers-conformance.js'), 'run', '--target', 'simulator'], suiteEnv).then((r) => ({ ...r, env: suiteEnv }));
}

console.log(`\n== unit and integration tests (${files.length} files, ${concurrency} at a time) ==`);
const unitCode = await new Promise((resolveUnit) => {
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      `--test-reporter=${join(root, 'scripts', 'test-durations-reporter.js')}`, `--test-reporter-destination=${timings}`,
      ...files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  child.on('error', () => resolveUnit(2));
  child.on('close', (code) => resolveUnit(code ?? 2));
});
const tapText = readFileSync(tap, 'utf8');
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tapText)?.[1] ?? 0);
const unitCounts = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
recordDurations(readJson(timings));

const tsc = await tscDone;
const typecheck = { passed: tsc.code === 0 ? 1 : 0, failed: tsc.code === 0 ? 0 : 1 };
console.log(`\n== type check ==\n${readFileSync(tsc.log, 'utf8')}${tsc.error ? `${tsc.error}\n` : ''}${tsc.code === 0 ? 'type check passed' : 'type check FAILED'}`);

let suite = { passed: 0, failed: 0, skipped: 0 };
if (suiteDone) {
  const run = await suiteDone;
  console.log('\n== Gherkin suite against the embedded simulator ==');
  console.log(run.env.FHIR_PACKAGE_PATH ? `validating against the NHS FHIR packages in ${run.env.FHIR_PACKAGE_PATH}` : 'no NHS FHIR packages (../shared absent): FHIR base validation only; @profiles scenarios skip with the reason');
  console.log(run.env.ERS_OPENAPI ? `checking every exchange against the OpenAPI document ${run.env.ERS_OPENAPI}` : 'no OpenAPI document (../shared absent): no openapi:* checks');
  process.stdout.write(readFileSync(run.log, 'utf8'));
  if (run.error) console.log(run.error);
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'reports', 'manifest.json'), 'utf8'));
    suite = { passed: manifest.counts.passed, failed: manifest.counts.failed + manifest.counts.other, skipped: manifest.counts.skipped };
  } catch {
    suite.failed = 1; // the suite did not produce a manifest: count the run itself as a failure
  }
  if (run.code !== 0 && suite.failed === 0) suite.failed = 1;
}
rmSync(scratch, { recursive: true, force: true });

const passed = typecheck.passed + unitCounts.passed + suite.passed;
const failed = typecheck.failed + unitCounts.failed + suite.failed + (unitCode !== 0 && unitCounts.failed === 0 ? 1 : 0);
const skipped = unitCounts.skipped + suite.skipped;
console.log(`\ntype check: ${typecheck.failed ? 'failed' : 'passed'} · unit: ${unitCounts.passed} passed, ${unitCounts.failed} failed, ${unitCounts.skipped} skipped · scenarios: ${suite.passed} passed, ${suite.failed} failed, ${suite.skipped} skipped`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function concurrencyOf(raw) {
  if (raw === undefined || raw === '') return availableParallelism() + 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    console.error(`ERS_TEST_CONCURRENCY=${raw}: must be a whole number of test files to run at once, 1-64 (unset: the CPUs plus one)`);
    process.exit(2);
  }
  return n;
}

/** Keeps this run's per-file durations for the next run's order (merged: a partial run keeps the others). */
function recordDurations(measured) {
  if (!measured || typeof measured !== 'object') return;
  try {
    mkdirSync(dirname(durationsFile), { recursive: true });
    const tmp = `${durationsFile}.${process.pid}.tmp`;
    const kept = Object.entries({ ...lastDurations, ...measured }).filter(([file]) => existsSync(join(root, file)));
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(kept), null, 1));
    renameSync(tmp, durationsFile);
  } catch {
    // a read-only checkout: the next run keeps the alphabetical order
  }
}
