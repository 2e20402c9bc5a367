// Issue 9 item 11: a ready-made token is one user's at one organisation. Scenarios for anyone else are not
// verified (skipped with the reason), not sent with the wrong token to come back as 403 "product defects";
// each actor may have its own token (ERS_ACCESS_TOKEN_<ACTOR> or ERS_TOKENS_FILE).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, configSecrets, loadConfig } from '../../src/config/index.ts';
import { createRedactor } from '../../src/evidence/redact.ts';
import { skipKindOf } from '../../src/evidence/outcome.ts';
import { startTarget, type Actor } from '../../src/targets/index.ts';
import { loadFixtures } from '../../src/targets/fixtures.ts';

const fixtures = fileURLToPath(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url));
const fx = loadFixtures('url', fixtures);
const actor = (key: string): Actor => ({ ...fx.get<Omit<Actor, 'key' | 'mode'>>(`actors.${key}`), key, mode: 'user-restricted' });
const base = { ERS_TARGET: 'url', ERS_BASE_URL: 'http://127.0.0.1:9/referrals/FHIR', ERS_FIXTURES: fixtures, ERS_AUTH: 'user' };
const cwd = mkdtempSync(join(tmpdir(), 'ers-tokens-'));

test('ERS_ACCESS_TOKEN serves its own actor; another user is not verified, with the way to fix it', async () => {
  const config = loadConfig({ env: { ...base, ERS_ACCESS_TOKEN: 'token-of-the-referring-clinician' }, cwd });
  const target = await startTarget(config, createRedactor(configSecrets(config)));
  assert.equal(await target.tokenFor(actor('REFERRING_CLINICIAN')), 'token-of-the-referring-clinician');
  const err = await target.tokenFor(actor('SERVICE_PROVIDER_CLINICIAN')).then(() => undefined, (e: unknown) => e);
  assert.equal(skipKindOf(err), 'not-verified');
  assert.match((err as Error).message, /ERS_ACCESS_TOKEN is REFERRING_CLINICIAN's .* give that actor its own token \(ERS_ACCESS_TOKEN_SERVICE_PROVIDER_CLINICIAN or ERS_TOKENS_FILE\)/);
});

test('one ready-made token per actor, from variables or a tokens file; every one is a secret', async () => {
  const file = join(cwd, 'tokens.yaml');
  writeFileSync(file, 'SERVICE_PROVIDER_CLINICIAN: spc-token-123456\nREFERRING_CLINICIAN: file-token-123456\n');
  const config = loadConfig({ env: { ...base, ERS_TOKENS_FILE: file, ERS_ACCESS_TOKEN_REFERRING_CLINICIAN: 'env-token-123456' }, cwd });
  assert.deepEqual(config.actorTokens, { SERVICE_PROVIDER_CLINICIAN: 'spc-token-123456', REFERRING_CLINICIAN: 'env-token-123456' }, 'the variable wins over the file');
  assert.ok(configSecrets(config).includes('spc-token-123456'));
  const target = await startTarget(config, createRedactor(configSecrets(config)));
  assert.equal(await target.tokenFor(actor('SERVICE_PROVIDER_CLINICIAN')), 'spc-token-123456');
  assert.equal(await target.tokenFor(actor('REFERRING_CLINICIAN')), 'env-token-123456');
  writeFileSync(file, '- just\n- a list\n');
  assert.throws(() => loadConfig({ env: { ...base, ERS_TOKENS_FILE: file }, cwd }), (e: unknown) => e instanceof ConfigError && /ERS_TOKENS_FILE: .* must map actors to tokens/.test(e.message));
});
