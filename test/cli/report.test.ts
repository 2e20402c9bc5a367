import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

// The CI flow end to end on a small slice of the suite: two shards, merged by `report --from`, packed twice.
const bin = fileURLToPath(new URL('../../bin/ers-conformance.js', import.meta.url));
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ERS_TARGET: 'simulator', ERS_TAGS: '@A004', ERS_PARALLEL: '1', ...env } });

test('two shards merge into one report, matrix, JUnit, manifest and a reproducible evidence pack', { timeout: 180_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'ers-report-'));
  const shardEnv = { ERS_REPORT_HTML: 'false', ERS_HISTORY_FILE: 'none' };
  const s1 = cli(['run', '--shard', '1/2', '--reports', join(root, 's1')], shardEnv);
  const s2 = cli(['run', '--shard', '2/2', '--reports', join(root, 's2')], shardEnv);
  assert.equal(s1.status, 0, s1.stdout + s1.stderr);
  assert.equal(s2.status, 0, s2.stdout + s2.stderr);
  const n1 = JSON.parse(readFileSync(join(root, 's1', 'manifest.json'), 'utf8')).counts.scenarios as number;
  const n2 = JSON.parse(readFileSync(join(root, 's2', 'manifest.json'), 'utf8')).counts.scenarios as number;
  assert.ok(n1 > 0 && n2 > 0, 'each shard ran part of the selection');
  assert.ok(existsSync(join(root, 's1', 'scal-matrix.csv')), 'a shard writes its own matrix');

  const merged = join(root, 'merged');
  const env = { ERS_HISTORY_FILE: join(root, 'history', 'h.jsonl') };
  const r = cli(['report', '--reports', merged, '--from', join(root, 's1'), '--from', join(root, 's2'), '--pack'], env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`${n1 + n2} scenario results`));
  assert.match(r.stdout, /Verdict: PASSED/);
  const manifest = JSON.parse(readFileSync(join(merged, 'manifest.json'), 'utf8'));
  assert.equal(manifest.counts.scenarios, n1 + n2);
  assert.equal(manifest.shards, 2);
  assert.equal((readFileSync(join(merged, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length, n1 + n2);
  assert.match(readFileSync(join(merged, 'scal-matrix.csv'), 'utf8'), /^A004-OP,e-RS,operation,A004,passed,/m);
  const pack = readdirSync(merged).find((f) => /^evidence-simulator-\d{8}T\d{6}Z\.zip$/.test(f));
  assert.ok(pack, 'the evidence pack is named after the target and the run start');
  const first = readFileSync(join(merged, pack));
  const listing = spawnSync('unzip', ['-l', join(merged, pack)], { encoding: 'utf8' }).stdout;
  for (const f of ['allure-report/index.html', 'scal-matrix.html', 'scal-matrix.csv', 'junit.xml', 'manifest.json', 'SHA256SUMS']) assert.match(listing, new RegExp(f.replace('.', '\\.')));
  assert.equal(readFileSync(join(root, 'history', 'h.jsonl'), 'utf8').trim().split('\n').length, 1, 'history appended once');

  const again = cli(['report', '--reports', merged, '--pack'], env);
  assert.equal(again.status, 0, again.stdout + again.stderr);
  assert.ok(readFileSync(join(merged, pack)).equals(first), 'report on the same results gives the same pack');
  assert.equal(readFileSync(join(root, 'history', 'h.jsonl'), 'utf8').trim().split('\n').length, 1, 'the same results are not added to the history twice');
});

test('report without results says what to do', () => {
  const r = cli(['report', '--reports', mkdtempSync(join(tmpdir(), 'ers-empty-'))]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no results in .*allure-results; run "ers-conformance run" first/);
  assert.equal(cli(['report', '--from', '/nonexistent']).status, 2);
});
