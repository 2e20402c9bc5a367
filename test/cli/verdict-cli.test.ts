// Issue 9's "Checked by", end to end through the CLI: a dead target, a fixture file that is a YAML list,
// a mistyped --tags after a passing run, and a run stopped with SIGINT followed by `report --pack`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/ers-conformance.js', import.meta.url));
const simulatorFixtures = fileURLToPath(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url));
const baseEnv = { ...process.env, ERS_TARGET: '', ERS_TAGS: '', ERS_FIXTURES: '', ERS_HISTORY_FILE: 'none' };
const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...baseEnv, ...env } });

test('a closed port stops the run in pre-flight with exit 2, a clear cause, and no outputs touched', () => {
  const reports = mkdtempSync(join(tmpdir(), 'ers-dead-'));
  const r = cli(['run', '--target', 'url', '--base-url', 'http://127.0.0.1:1/referrals/FHIR', '--fixtures', simulatorFixtures, '--auth', 'none', '--reports', reports]);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /pre-flight check "reachable" failed: .*ECONNREFUSED/);
  assert.doesNotMatch(r.stdout, /[✔✘↷] +\d+\/\d+/, 'no scenario ran');
  assert.deepEqual(readdirSync(reports), []);
});

test('a fixture file whose document is a YAML list, or that misspells an intent, stops the run with key, line and fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-fx-'));
  writeFileSync(join(dir, 'list.yaml'), '- referrals\n- services\n');
  const list = cli(['run', '--fixtures', join(dir, 'list.yaml'), '--reports', join(dir, 'r')]);
  assert.equal(list.status, 2);
  assert.match(list.stderr, /\(document\) \(line 1\): the document is a YAML list, not a mapping of intents\n\s+fix: /);
  writeFileSync(join(dir, 'typo.yaml'), "referrals:\n  unbooked: '300000100001'\n  unboked: '1'\nservices:\n  directlyBookable: 40101\n");
  const typo = cli(['run', '--fixtures', join(dir, 'typo.yaml'), '--reports', join(dir, 'r')]);
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /referrals\.unboked \(line 3\): "unboked" is not an intent the scenarios know under referrals\n\s+fix: did you mean "unbooked"\?/);
  assert.match(typo.stderr, /services\.directlyBookable \(line 5\): must be string\n\s+fix: quote the value/);
  assert.doesNotMatch(list.stderr + typo.stderr, /\n\s+at |check ERS_TAGS/, 'no stack trace, no misleading hint');
  assert.ok(!existsSync(join(dir, 'r', 'allure-results')));
});

test('after a passing run, a mistyped --tags exits 2 and leaves junit.xml and the HTML report as they were', { timeout: 300_000 }, () => {
  const reports = mkdtempSync(join(tmpdir(), 'ers-keep-'));
  const first = cli(['run', '--tags', '@req=A004-ERR-HTTP401', '--parallel', '1', '--reports', reports]);
  assert.equal(first.status, 0, first.stdout + first.stderr);
  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  const html = readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8');
  assert.ok(junit.length > 0 && html.length > 0);
  const second = cli(['run', '--tags', '@req=A004-ERR-HTTP4O1', '--parallel', '1', '--reports', reports]);
  assert.equal(second.status, 2, second.stdout + second.stderr);
  assert.match(second.stdout, /NOTHING RUN/);
  assert.match(second.stdout, /left as it was/);
  assert.equal(readFileSync(join(reports, 'junit.xml'), 'utf8'), junit);
  assert.equal(readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8'), html);
  assert.ok(!readdirSync(reports).some((f) => f.startsWith('.staging-')), 'no staging folder is left behind');
});

test('a run stopped with SIGINT writes a manifest marked INCOMPLETE, and report --pack on it exits non-zero', { timeout: 300_000 }, async () => {
  const reports = mkdtempSync(join(tmpdir(), 'ers-stop-'));
  const child = spawn(process.execPath, [bin, 'run', '--parallel', '1', '--reports', reports], { env: { ...baseEnv, ERS_REPORT_HTML: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let signalled = false;
  const code = await new Promise<number | null>((resolve) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (!signalled && /✔/.test(output)) {
        signalled = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', resolve);
  });
  assert.ok(signalled, output.slice(-2000));
  assert.equal(code, 2, output.slice(-2000));
  assert.match(output, /Verdict: INCOMPLETE/);
  const manifest = JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8')) as { complete: boolean; verdict: string };
  assert.equal(manifest.complete, false);
  const report = cli(['report', '--reports', reports, '--pack'], { ERS_REPORT_HTML: 'false' });
  assert.notEqual(report.status, 0, report.stdout + report.stderr);
  assert.match(report.stdout, /INCOMPLETE/);
  assert.ok(!readdirSync(reports).some((f) => f.endsWith('.zip')), 'an incomplete run is never packed');
});
