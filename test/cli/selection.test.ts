import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { featurePath, resolveSelection, scenarioLines } from '../../src/cli/selection.ts';
import { REPO_ROOT } from '../../src/evidence/manifest.ts';

// Selecting scenarios: feature:LINE, --name, --operation, --rerun, --fail-fast. Cucumber answers a wrong
// path or line with a silent "0 scenarios", so the CLI checks every selection before the run starts.

const FEATURE = `@A004
Feature: lines
  Scenario: plain
    Given the caller is a REFERRING_CLINICIAN

  Rule: a rule
    Scenario Outline: outline <n>
      Given the caller is a REFERRING_CLINICIAN

      Examples:
        | n |
        | 1 |
        | 2 |
`;

const base = { positionals: [], names: [], operations: [], rerun: false, failFast: false, tags: 'not @wip', cwd: REPO_ROOT };

test('the lines cucumber selects by are the scenarios, outlines and Examples rows, inside rules too', () => {
  assert.deepEqual([...scenarioLines(FEATURE, 'x.feature')].sort((a, b) => a - b), [3, 7, 12, 13]);
});

test('a feature path with lines is checked against the file: a wrong line names the lines that work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-sel-'));
  try {
    const file = join(dir, 'x.feature');
    writeFileSync(file, FEATURE);
    assert.equal(featurePath('x.feature:12:13', dir), `${file}:12:13`);
    assert.throws(() => featurePath('x.feature:11', dir), /line 11 does not start a scenario or an Examples row; lines that do: 3, 7, 12, 13/);
    assert.throws(() => featurePath('y.feature', dir), /y\.feature: no such feature file or folder/);
    writeFileSync(join(dir, 'notes.txt'), 'x');
    assert.throws(() => featurePath('notes.txt', dir), /is not a \.feature file/);
    assert.throws(() => featurePath(`${dir}:3`, dir), /a line number needs a feature file/);
    writeFileSync(file, 'Feature: broken\n  Scenario: a\n    Given x\nFeature: again\n');
    assert.throws(() => featurePath('x.feature:2', dir), /x\.feature is not valid Gherkin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('paths inside the repository are given to cucumber relative to it, wherever the command was typed', () => {
  const sel = resolveSelection({ ...base, positionals: ['directory/A004-retrieve-reference-data.feature:9'], reportsDir: 'reports', cwd: join(REPO_ROOT, 'features') });
  assert.deepEqual(sel.paths, ['features/directory/A004-retrieve-reference-data.feature:9']);
  assert.match(sel.description!, /A004-retrieve-reference-data\.feature:9/);
});

test('--operation is the tag shorthand, checked against the operation ids; --name must be a regular expression', () => {
  const sel = resolveSelection({ ...base, operations: ['a016,A034'], names: ['reads the .* set'], failFast: true, reportsDir: 'reports' });
  assert.equal(sel.tags, '(not @wip) and (@A016 or @A034)');
  assert.deepEqual(sel.cucumberArgs, ['--name', 'reads the .* set', '--fail-fast']);
  assert.throws(() => resolveSelection({ ...base, operations: ['A999'], reportsDir: 'reports' }), /--operation A999: not an e-RS operation id; known: A004 /);
  assert.throws(() => resolveSelection({ ...base, names: ['(['], reportsDir: 'reports' }), /--name "\(\[" is not a regular expression/);
  assert.throws(() => resolveSelection({ ...base, names: ['a'.repeat(501)], reportsDir: 'reports' }), /the limit is 500/);
});

test('--rerun reads the last run\'s rerun file: missing, empty, stale and combined with paths are each told apart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-sel-'));
  try {
    assert.throws(() => resolveSelection({ ...base, rerun: true, reportsDir: dir }), /rerun\.txt does not exist; run the suite first/);
    writeFileSync(join(dir, 'rerun.txt'), '');
    assert.match(resolveSelection({ ...base, rerun: true, reportsDir: dir }).nothingToRerun!, /nothing to rerun/);
    writeFileSync(join(dir, 'rerun.txt'), 'features/directory/A004-retrieve-reference-data.feature:23:24\n');
    assert.deepEqual(resolveSelection({ ...base, rerun: true, reportsDir: dir }).paths, ['features/directory/A004-retrieve-reference-data.feature:23:24']);
    writeFileSync(join(dir, 'rerun.txt'), 'features/directory/A004-retrieve-reference-data.feature:2\n');
    assert.throws(() => resolveSelection({ ...base, rerun: true, reportsDir: dir }), /no longer matches the features .*run the suite again/);
    assert.throws(() => resolveSelection({ ...base, rerun: true, positionals: ['features'], reportsDir: dir }), /cannot be combined with feature paths/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run records what did not pass, and --rerun runs exactly that', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-rerun-'));
  const bin = fileURLToPath(new URL('../../bin/ers-conformance.js', import.meta.url));
  try {
    // One scenario that passes and one whose expectation is wrong (a failure the harness must record).
    const feature = join(dir, 'rerun.feature');
    writeFileSync(feature, `@A004
Feature: rerun
  Scenario: passes
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the SPECIALTY code system
    Then the response status is 200

  Scenario: fails
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the SPECIALTY code system
    Then the response status is 418
`);
    const reports = join(dir, 'reports');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'run', '--parallel', '1', '--no-html', '--reports', reports, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, ERS_TARGET: '', FORCE_COLOR: '', NO_COLOR: '' } });
    const first = run('rerun.feature');
    assert.equal(first.status, 1, first.stdout + first.stderr);
    assert.match(first.stdout, /1 passed, 1 failed/);
    assert.match(readFileSync(join(reports, 'rerun.txt'), 'utf8'), /rerun\.feature:8/);
    // The closing list names each failure with the command that reruns it, from where the user typed the command.
    assert.match(first.stdout, /✘ fails \[product-defect\]\n\s+rerun: npx ers-conformance run rerun\.feature:8\n/);
    assert.ok(!first.stdout.includes('\x1b['), 'no colour codes on a pipe');
    const again = run('--rerun');
    assert.match(again.stdout, /rerun of 1 location/);
    assert.match(again.stdout, /0 passed, 1 failed/, again.stdout + again.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
