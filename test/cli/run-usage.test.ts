import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

// The CLI's contract with its users: bad input stops before any scenario runs, with exit code 2 and a
// message naming the problem and the fix.
const bin = fileURLToPath(new URL('../../bin/ers-conformance.js', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ERS_TARGET: '' } });

test('an unknown target is a configuration error naming the key and the fix', () => {
  const r = cli('run', '--target', 'production');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ERS_TARGET: "production" is not a target/);
  assert.match(r.stderr, /fix: use one of simulator, sandbox, int, url/);
  assert.doesNotMatch(r.stdout, /passed/, 'no scenario ran');
});

test('several bad values are reported together', () => {
  const r = cli('run', '--parallel', '0', '--timeout', 'soon');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ERS_PARALLEL/);
  assert.match(r.stderr, /ERS_TIMEOUT_MS/);
});

test('an unknown option and a stray argument are usage errors', () => {
  const a = cli('run', '--targte', 'sandbox');
  assert.equal(a.status, 2);
  assert.match(a.stderr, /unknown option --targte/);
  const b = cli('run', 'features/x.feature');
  assert.equal(b.status, 2);
  assert.match(b.stderr, /features\/x\.feature: no such feature file or folder/);
});

test('the url target without a base URL or fixtures fails fast', () => {
  const r = cli('run', '--target', 'url');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ERS_BASE_URL: the url target needs a base URL/);
  assert.match(r.stderr, /ERS_FIXTURES/);
});

test('an unknown command prints the usage and exits 2; help exits 0', () => {
  const r = cli('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  const h = cli('--help');
  assert.equal(h.status, 0);
  assert.match(h.stdout, /Commands:/);
});
