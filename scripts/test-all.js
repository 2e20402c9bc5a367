#!/usr/bin/env node
// `npm test`: the node:test suites under test/, then the Gherkin suite against the embedded simulator.
// Ends with one line, "N passed, N failed, N skipped", for the whole run (CI reads it).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const files = testFiles(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'ers-test-'));
const tap = join(scratch, 'unit.tap');

// The code is TypeScript run by tsx, which does not type-check: that is a test of its own. tsc uses one core
// for about 20 s; it runs beside the unit tests (which node runs one file at a time on this 2-core machine),
// its output kept in a file and printed when it ends.
console.log('== type check (tsc --noEmit), beside the unit tests ==');
const tscLog = join(scratch, 'tsc.log');
const tscOut = openSync(tscLog, 'w');
const tscDone = new Promise((resolveTsc) => {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root], { cwd: root, stdio: ['ignore', tscOut, tscOut] });
  child.on('error', () => resolveTsc(2));
  child.on('close', (code) => resolveTsc(code ?? 2));
});

console.log(`\n== unit and integration tests (${files.length} files) ==`);
const unit = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
const tscStatus = await tscDone;
closeSync(tscOut);
const typecheck = { passed: tscStatus === 0 ? 1 : 0, failed: tscStatus === 0 ? 0 : 1 };
console.log(`\n== type check ==\n${readFileSync(tscLog, 'utf8')}${tscStatus === 0 ? 'type check passed' : 'type check FAILED'}`);
const tapText = readFileSync(tap, 'utf8');
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tapText)?.[1] ?? 0);
const unitCounts = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
rmSync(scratch, { recursive: true, force: true });

let suite = { passed: 0, failed: 0, skipped: 0 };
let suiteCode = 0;
if (only.length === 0) {
  // With the NHS documents beside the repo (a developer checkout, and CI), the suite also validates every
  // exchange against the NHS FHIR profiles and the e-RS OpenAPI contract; a fresh clone runs base validation.
  const shared = join(root, '..', 'shared');
  const suiteEnv = { ...process.env };
  const packages = join(shared, 'fhir-packages');
  const openapi = join(shared, 'ers-api', 'openapi.json');
  if (!suiteEnv.FHIR_PACKAGE_PATH && existsSync(packages)) suiteEnv.FHIR_PACKAGE_PATH = packages;
  if (!suiteEnv.ERS_OPENAPI && existsSync(openapi)) suiteEnv.ERS_OPENAPI = openapi;
  console.log('\n== Gherkin suite against the embedded simulator ==');
  console.log(suiteEnv.FHIR_PACKAGE_PATH ? `validating against the NHS FHIR packages in ${suiteEnv.FHIR_PACKAGE_PATH}` : 'no NHS FHIR packages (../shared absent): FHIR base validation only; @profiles scenarios skip with the reason');
  console.log(suiteEnv.ERS_OPENAPI ? `checking every exchange against the OpenAPI document ${suiteEnv.ERS_OPENAPI}` : 'no OpenAPI document (../shared absent): no openapi:* checks');
  const run = spawnSync(process.execPath, [join(root, 'bin/ers-conformance.js'), 'run', '--target', 'simulator'], { cwd: root, stdio: 'inherit', env: suiteEnv });
  suiteCode = run.status ?? 2;
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'reports', 'manifest.json'), 'utf8'));
    suite = { passed: manifest.counts.passed, failed: manifest.counts.failed + manifest.counts.other, skipped: manifest.counts.skipped };
  } catch {
    suite.failed = 1; // the suite did not produce a manifest: count the run itself as a failure
  }
  if (suiteCode !== 0 && suite.failed === 0) suite.failed = 1;
}

const passed = typecheck.passed + unitCounts.passed + suite.passed;
const failed = typecheck.failed + unitCounts.failed + suite.failed + (unit.status !== 0 && unitCounts.failed === 0 ? 1 : 0);
const skipped = unitCounts.skipped + suite.skipped;
console.log(`\ntype check: ${typecheck.failed ? 'failed' : 'passed'} · unit: ${unitCounts.passed} passed, ${unitCounts.failed} failed, ${unitCounts.skipped} skipped · scenarios: ${suite.passed} passed, ${suite.failed} failed, ${suite.skipped} skipped`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
