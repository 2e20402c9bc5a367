import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, configSecrets, loadConfig, SETTINGS } from '../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ers-config-'));
const load = (env: Record<string, string>, flags: Record<string, string> = {}) => loadConfig({ env, flags, cwd: dir });

test('defaults give the simulator target with no configuration at all', () => {
  const c = load({});
  assert.equal(c.target, 'simulator');
  assert.equal(c.baseUrl, undefined);
  assert.equal(c.parallel, 2);
  assert.equal(c.tags, 'not @wip');
  assert.equal(c.timeoutMs, 30000);
  assert.equal(c.reportsDir, join(dir, 'reports'));
});

test('named targets get their NHS base URL; flags win over the environment', () => {
  assert.equal(load({ ERS_TARGET: 'sandbox' }).baseUrl, 'https://sandbox.api.service.nhs.uk/referrals/FHIR');
  const fixtures = join(dir, 'int.yaml');
  writeFileSync(fixtures, 'actors: {}\n');
  const c = load({ ERS_TARGET: 'sandbox', ERS_FIXTURES: fixtures }, { ERS_TARGET: 'int' });
  assert.equal(c.target, 'int');
  assert.equal(c.baseUrl, 'https://int.api.service.nhs.uk/referrals/FHIR');
});

test('.env supplies values the environment does not, and the environment wins over it', () => {
  writeFileSync(join(dir, '.env'), 'ERS_PARALLEL=4\nERS_TIMEOUT_MS=5000\n');
  const c = load({ ERS_TIMEOUT_MS: '7000' });
  assert.equal(c.parallel, 4);
  assert.equal(c.timeoutMs, 7000);
  writeFileSync(join(dir, '.env'), '');
});

function problemsOf(fn: () => unknown): { key: string; problem: string; fix: string }[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).name}`);
    return e.problems;
  }
  assert.fail('expected the configuration to be rejected');
}

test('each bad value is reported with its key and a fix, all at once', () => {
  const problems = problemsOf(() => load({ ERS_TARGET: 'production', ERS_PARALLEL: 'lots', ERS_TIMEOUT_MS: '5', ERS_REDACT_PATTERNS: '([' }));
  const keys = problems.map((p) => p.key).sort();
  assert.deepEqual(keys, ['ERS_PARALLEL', 'ERS_REDACT_PATTERNS', 'ERS_TARGET', 'ERS_TIMEOUT_MS']);
  for (const p of problems) assert.ok(p.fix.length > 10, `no fix for ${p.key}`);
  assert.match(problems.find((p) => p.key === 'ERS_TARGET')!.fix, /simulator, sandbox, int, url/);
});

test('the url target needs a base URL and test data; a malformed URL is named', () => {
  const problems = problemsOf(() => load({ ERS_TARGET: 'url' }));
  assert.deepEqual(problems.map((p) => p.key).sort(), ['ERS_BASE_URL', 'ERS_FIXTURES']);
  const bad = problemsOf(() => load({ ERS_TARGET: 'url', ERS_BASE_URL: 'ftp://x', ERS_FIXTURES: 'nope.yaml' }));
  assert.match(bad.find((p) => p.key === 'ERS_BASE_URL')!.problem, /not http/);
  assert.match(bad.find((p) => p.key === 'ERS_FIXTURES')!.problem, /nope\.yaml does not exist/);
});

test('secrets are collected for the redactor', () => {
  const c = load({ ERS_API_KEY: 'key-123456', ERS_ACCESS_TOKEN: 'tok-abcdef' });
  assert.deepEqual(configSecrets(c).sort(), ['key-123456', 'tok-abcdef']);
});

test('.env.example documents every setting with its default', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  for (const s of SETTINGS) {
    assert.match(example, new RegExp(`^#? ?${s.key}=${s.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `${s.key} (default "${s.default}") is not in .env.example`);
  }
});

test('the README configuration reference lists every setting', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const s of SETTINGS) assert.ok(readme.includes(`\`${s.key}\``), `${s.key} is missing from the README`);
});

test('an empty environment variable counts as unset', () => {
  assert.equal(load({ ERS_TARGET: '', ERS_PARALLEL: '' }).target, 'simulator');
});
