import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, configSecrets, loadConfig, SETTINGS } from '../../src/config/index.ts';
import { generateSigningKey } from '../../src/auth/keys.ts';

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
  const c = load({ ERS_TARGET: 'sandbox', ERS_FIXTURES: fixtures, ERS_APP_ACCESS_TOKEN: 'app-token-123456' }, { ERS_TARGET: 'int' });
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

test('ERS_MAX_RPS: empty or 0 is no limit, fractions allowed, anything else named with a fix', () => {
  assert.equal(load({}).maxRps, undefined);
  assert.equal(load({ ERS_MAX_RPS: '0' }).maxRps, undefined);
  assert.equal(load({ ERS_MAX_RPS: '2.5' }).maxRps, 2.5);
  for (const bad of ['-1', 'fast', '1e3', '5000']) {
    const problems = problemsOf(() => load({ ERS_MAX_RPS: bad }));
    assert.deepEqual(problems.map((p) => p.key), ['ERS_MAX_RPS'], bad);
    assert.match(problems[0]!.fix, /rate limit divided by/);
  }
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

describe('access modes and credentials (ERS_AUTH)', () => {
  const key = generateSigningKey('test-1', 2048);
  const keyFile = join(dir, 'test-1.pem');
  writeFileSync(keyFile, key.privatePem);
  const fixtures = join(dir, 'int-auth.yaml');
  writeFileSync(fixtures, 'actors: {}\n');
  const int = (env: Record<string, string>) => load({ ERS_TARGET: 'int', ERS_FIXTURES: fixtures, ...env });
  const signing = { ERS_API_KEY: 'api-key-123456', ERS_KID: 'test-1', ERS_PRIVATE_KEY_PATH: keyFile };

  test('auto: the simulator authenticates both modes, the sandbox none, int whatever has credentials', () => {
    assert.equal(load({}).auth, 'both');
    assert.equal(load({ ERS_TARGET: 'sandbox' }).auth, 'none');
    const app = int(signing);
    assert.equal(app.auth, 'app');
    assert.equal(app.tokenUrl, 'https://int.api.service.nhs.uk/oauth2/token');
    assert.equal(app.privateKeyPem, key.privatePem);
    assert.equal(int({ ...signing, ERS_ID_TOKEN: 'id-token-123456' }).auth, 'both');
    assert.equal(int({ ERS_ACCESS_TOKEN: 'user-token-123456' }).auth, 'user');
  });

  test('int without any credentials fails fast, naming what to set', () => {
    const [p] = problemsOf(() => int({}));
    assert.equal(p!.key, 'ERS_AUTH');
    assert.match(p!.fix, /ERS_API_KEY, ERS_KID and ERS_PRIVATE_KEY_PATH/);
  });

  test('a missing, unreadable or non-RSA key is named with the fix', () => {
    const missing = problemsOf(() => int({ ...signing, ERS_PRIVATE_KEY_PATH: '/x/key.pem' }));
    assert.ok(missing.some((p) => p.key === 'ERS_PRIVATE_KEY_PATH' && p.problem === 'is set but /x/key.pem does not exist'), JSON.stringify(missing));
    const notPem = problemsOf(() => int({ ...signing, ERS_PRIVATE_KEY_PATH: '', ERS_PRIVATE_KEY: 'not a key' }));
    assert.ok(notPem.some((p) => p.key === 'ERS_PRIVATE_KEY' && /not a PEM private key/.test(p.problem)));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const notRsa = problemsOf(() => int({ ...signing, ERS_PRIVATE_KEY_PATH: '', ERS_PRIVATE_KEY: ec }));
    assert.ok(notRsa.some((p) => p.key === 'ERS_PRIVATE_KEY' && /ec key, not RSA/.test(p.problem)), JSON.stringify(notRsa));
    for (const all of [missing, notPem, notRsa]) for (const p of all) assert.ok(!p.problem.includes('BEGIN'), 'key material is never echoed');
  });

  test('half-configured signing and conflicting settings are reported', () => {
    const half = problemsOf(() => int({ ERS_KID: 'test-1', ERS_APP_ACCESS_TOKEN: 'app-token-123456' }));
    assert.match(half[0]!.problem, /needs ERS_API_KEY and ERS_PRIVATE_KEY_PATH or ERS_PRIVATE_KEY/);
    const both = problemsOf(() => int({ ...signing, ERS_ID_TOKEN: 'id-token-123456', ERS_ACCESS_TOKEN: 'user-token-123456' }));
    assert.ok(both.some((p) => p.key === 'ERS_ID_TOKEN' && /both/.test(p.problem)));
    const wantUser = problemsOf(() => int({ ...signing, ERS_AUTH: 'both' }));
    assert.ok(wantUser.some((p) => p.key === 'ERS_AUTH' && /user-restricted credentials/.test(p.problem)));
    const url = problemsOf(() => load({ ERS_TARGET: 'url', ERS_BASE_URL: 'https://facade.example/referrals/FHIR', ERS_FIXTURES: fixtures, ...signing }));
    assert.deepEqual(url.map((p) => p.key), ['ERS_TOKEN_URL']);
    assert.ok(problemsOf(() => load({ ERS_TARGET: 'sandbox', ERS_AUTH: 'app' })).some((p) => p.key === 'ERS_AUTH'));
    assert.ok(problemsOf(() => load({ ERS_AUTH: 'sometimes' })).some((p) => p.key === 'ERS_AUTH'));
  });

  test('the private key and id_token are secrets for the redactor; a one-line PEM with \\n works', () => {
    const oneLine = key.privatePem.trim().split('\n').join('\\n');
    const c = int({ ...signing, ERS_PRIVATE_KEY_PATH: '', ERS_PRIVATE_KEY: oneLine, ERS_ID_TOKEN: 'id-token-123456' });
    const secrets = configSecrets(c);
    assert.ok(secrets.includes('id-token-123456'));
    assert.ok(secrets.includes(c.privateKeyPem!));
    assert.ok(secrets.some((s) => key.privatePem.includes(s) && s.length >= 40 && !s.startsWith('-----')), 'PEM body lines are secrets too');
  });
});
