// A driver that cannot do an action proves nothing: unsupported leaves the scenario not verified and
// the supplier run NOT PASSED, or NOTHING VERIFIED when nothing passed (never PASSED); a driver that fails is an environment fault, not a defect.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Counts } from '../../src/evidence/manifest.ts';
import { verdictOf } from '../../src/evidence/verdict.ts';
import { requireDone } from '../../src/supplier/outcomes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ers-supplier-outcomes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const counts = (passed: number, skipped: number): Counts => ({ scenarios: passed + skipped, passed, failed: 0, skipped, other: 0, byCategory: { 'product-defect': 0, 'profile-violation': 0, 'environment-fault': 0, 'harness-error': 0, blocked: 0 }, byOutcome: { passed, 'not-verified': skipped } });

test('verdict: a supplier run with anything not verified is NOT PASSED, never PASSED', () => {
  const v = verdictOf(counts(20, 2), { environmentFaults: 0, anyNotVerifiedFails: true }, true);
  assert.equal(v.exitCode, 1);
  assert.match(v.text, /^NOT PASSED — 2 scenario\(s\) not verified, 20 passed/);
  assert.equal(verdictOf(counts(20, 0), { environmentFaults: 0, anyNotVerifiedFails: true }, true).exitCode, 0);
  assert.equal(verdictOf(counts(20, 2), { environmentFaults: 0 }, true).exitCode, 0); // e-RS runs: a skip with its reason
  // not applicable (e.g. the referrer scenarios for a PAS) is not "not verified": still PASSED, and said
  const pas = verdictOf({ ...counts(20, 5), byOutcome: { passed: 20, 'not-applicable': 5 } }, { environmentFaults: 0, anyNotVerifiedFails: true }, true);
  assert.equal(pas.exitCode, 0);
  assert.match(pas.text, /^PASSED — 20 scenario\(s\) passed, 5 not applicable/);
  assert.match(verdictOf({ ...counts(20, 3), byOutcome: { passed: 20, 'not-applicable': 2, 'not-verified': 1 } }, { environmentFaults: 0, anyNotVerifiedFails: true }, true).text, /^NOT PASSED — 1 scenario\(s\) not verified, 20 passed, 2 not applicable/);
  // not applicable (fault injection through the recording proxy on INT, with its reason) is not "not verified"
  const na: Counts = { ...counts(20, 2), byOutcome: { passed: 20, 'not-applicable': 2 } };
  assert.equal(verdictOf(na, { environmentFaults: 0, anyNotVerifiedFails: true }, true).exitCode, 0);
});

test('requireDone: unsupported is NotVerified, failed is an environment fault of the driver', () => {
  assert.throws(() => requireDone({ status: 'unsupported', reason: 'no PAS' }, 'provider.acceptReferral'), (e: Error) => e.name === 'NotVerified' && /Not verified: the driver does not support provider.acceptReferral: no PAS/.test(e.message));
  assert.throws(() => requireDone({ status: 'failed', reason: 'screen not found' }, 'referrer.createReferral'), (e: Error) => e.name === 'EnvironmentFault' && /^Environment fault: the system under test's driver failed: referrer.createReferral failed: screen not found/.test(e.message));
  assert.doesNotThrow(() => requireDone({ status: 'done' }, 'referrer.createReferral'));
});

function runWith(driverAnswer: string, name: string): { code: number; out: string; manifest: { verdict: string; counts: Counts } } {
  const jwks = join(scratch, 'jwks.json');
  writeFileSync(jwks, JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k', n: 'AQAB', e: 'AQAB' }] }));
  const reports = join(scratch, name);
  const env: NodeJS.ProcessEnv = { ...process.env, ERS_REPORT_HTML: 'false', ERS_SUT_PORT: '0', ERS_HISTORY_FILE: 'none', ERS_SUT_JWKS: jwks };
  delete env.ERS_TARGET;
  const r = spawnSync(process.execPath, [join(root, 'bin', 'ers-conformance.js'), 'run', '--sut', `command:echo '${driverAnswer}'`, '--tags', '@supplier and @A036', '--reports', reports], { cwd: root, env, encoding: 'utf8' });
  return { code: r.status ?? 2, out: r.stdout + r.stderr, manifest: JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8')) };
}

test('a driver that supports nothing leaves every scenario not verified and the run NOTHING VERIFIED (exit 2)', () => {
  const r = runWith('{"status":"unsupported","reason":"this system has no cancellation screen"}', 'unsupported');
  assert.equal(r.code, 2, r.out.slice(-2000));
  assert.equal(r.manifest.counts.passed, 0);
  assert.equal(r.manifest.counts.skipped, r.manifest.counts.scenarios);
  assert.match(r.manifest.verdict, /^NOTHING VERIFIED/);
  assert.match(r.out, /Not verified \(the reason is in each scenario's report\):/);
});

test('a driver that fails is an environment fault of the system under test\'s driver, not a product defect', () => {
  const r = runWith('{"status":"failed","reason":"the GP system did not start"}', 'failed');
  assert.equal(r.code, 1, r.out.slice(-2000));
  assert.equal(r.manifest.counts.byCategory['environment-fault'], r.manifest.counts.scenarios);
  assert.equal(r.manifest.counts.byCategory['product-defect'], 0);
});
