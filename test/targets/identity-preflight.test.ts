// The identity check is part of the pre-flight of a real target: before any scenario, e-RS is asked what each
// configured user holds, and an actor that cannot be what its scenarios need stops the run with the reason.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { configSecrets, loadConfig } from '../../src/config/index.ts';
import { createRedactor } from '../../src/evidence/redact.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { PREFLIGHT_CHECKS, preflight } from '../../src/targets/preflight.ts';

const shipped = fileURLToPath(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ers-identity-'));
let sim: Simulator;
let tokensFile: string;
before(async () => {
  sim = await createSimulator();
  const actors = (parse(readFileSync(shipped, 'utf8')) as { actors: Record<string, { userId: string }> }).actors;
  const tokens = Object.fromEntries(Object.entries(actors).map(([key, a]) => [key, sim.issueToken({ mode: 'user-restricted', userId: a.userId, ial: 3, aal: 'AAL3' })]));
  tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify(tokens), { mode: 0o600 });
});
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function identityCheck(fixtures: string) {
  const config = loadConfig({ env: { ERS_TARGET: 'url', ERS_BASE_URL: sim.baseUrl, ERS_FIXTURES: fixtures, ERS_AUTH: 'user', ERS_TOKENS_FILE: tokensFile }, cwd: dir });
  return preflight({ config, redactor: createRedactor(configSecrets(config)), timeoutMs: 10_000 }, PREFLIGHT_CHECKS.filter((c) => c.name === 'identity'));
}

test('identity pre-flight: every configured actor is listed with what e-RS says it holds', async () => {
  const r = await identityCheck(shipped);
  assert.equal(r.ok, true, JSON.stringify(r.results));
  assert.match(r.results[0]!.detail, /REFERRING_CLINICIAN/);
  assert.match(r.results[0]!.detail, /Y90001/);
});

test('identity pre-flight: an actor configured at an organisation where its user holds no role stops the run, saying why', async () => {
  const wrong = join(dir, 'wrong-ods.yaml');
  writeFileSync(wrong, readFileSync(shipped, 'utf8').replace("REFERRING_CLINICIAN: { userId: '910000000101', ods: Y90001,", "REFERRING_CLINICIAN: { userId: '910000000101', ods: RX1,"));
  const r = await identityCheck(wrong);
  assert.equal(r.ok, false);
  assert.match(r.results[0]!.detail, /REFERRING_CLINICIAN is configured for organisation RX1, where user 910000000101 holds no e-RS role/);
});
