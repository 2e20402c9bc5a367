// Supplier scenarios on a real e-RS through the recording proxy, end to end: a simulator stands in for INT
// (its own process state, its own identity service, the supplier's key registered with it as on the NHS
// developer portal), the reference GP system is the supplier, and `run --sut … --proxy --target url` puts
// the harness in the middle. What the system sends is judged as in supplier mode, the e-RS-side check reads
// the referral back through A005 with the harness's own credentials, and what needs the simulator
// (fault injection, behind-the-back changes) is not applicable with the reason.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { generateSigningKey } from '../../src/auth/keys.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { FX } from '../simulator/helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'ers-conformance.js');
const driver = join(root, 'examples', 'reference-supplier', 'driver.js');
const scratch = mkdtempSync(join(tmpdir(), 'ers-proxy-supplier-'));
const stateDir = join(scratch, 'reference-state');
const harnessKey = generateSigningKey('harness-kid', 2048);
const issued: string[] = [];
const upstreamOps: string[] = [];
let upstream: Simulator;
let idToken = '';

before(async () => {
  // the reference system's key, as its developer registers it (system.describe prints its public JWKS)
  const describe = spawnSync(process.execPath, [driver], {
    input: JSON.stringify({ protocol: 'ers-conformance-driver/1', action: 'system.describe', scenario: { id: 'setup', name: 'setup', tags: [] }, inputs: {}, ers: { fhirBaseUrl: 'http://127.0.0.1:1/referrals/FHIR', tokenUrl: 'http://127.0.0.1:1/oauth2/token' }, deadlineMs: 10000 }),
    encoding: 'utf8',
    env: { ...process.env, ERS_REFERENCE_STATE_DIR: stateDir },
  });
  const supplierJwks = JSON.parse(describe.stdout).observations.jwks;
  upstream = await createSimulator(
    { jwks: harnessKey.jwks, jwksByApp: { 'sim-referrer-app': supplierJwks }, observe: (r) => { if (r.operationId) upstreamOps.push(r.operationId); } },
    { onTokenIssued: (t) => issued.push(t) },
  );
  idToken = await upstream.cis2IdToken({ userId: FX.actors.REFERRING_CLINICIAN.userId });
});

after(async () => {
  await upstream.close();
  rmSync(scratch, { recursive: true, force: true });
});

const SELECTED = [
  'features/supplier/referrer/SUP-01-search-services.feature:12', // search: request conformance, role headers
  'features/supplier/referrer/SUP-02-create-referral.feature:12', // create: e-RS state read back with A005
  'features/supplier/referrer/SUP-02-create-referral.feature:21', // @fault-injection: not applicable
  'features/supplier/referrer/SUP-03-referral-letter.feature:27', // a change behind the system's back: not applicable
];

test('run --sut <reference GP system> --proxy --target url: judged through the proxy, e-RS state read back, simulator-only scenarios not applicable', async () => {
  const reports = join(scratch, 'reports');
  const keyFile = join(scratch, 'harness.pem');
  writeFileSync(keyFile, harnessKey.privatePem, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '',
    ERS_REFERENCE_STATE_DIR: stateDir,
    // a client assertion names e-RS's token URL as its audience, whatever URL the system posts it to (docs/witness-run.md)
    ERS_REFERENCE_TOKEN_AUDIENCE: upstream.tokenUrl,
    ERS_API_KEY: 'sim-provider-app', ERS_KID: 'harness-kid', ERS_PRIVATE_KEY_PATH: keyFile, ERS_TOKEN_URL: upstream.tokenUrl, ERS_ID_TOKEN: idToken, ERS_AUTH: 'both',
    ERS_SUT_PORT: '0', ERS_REPORT_HTML: 'false', ERS_HISTORY_FILE: 'none',
  };
  const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', '--sut', `command:node ${driver}`, '--proxy', '--target', 'url', '--base-url', upstream.baseUrl, '--fixtures', join(root, 'src/targets/fixtures/simulator.yaml'), '--reports', reports, ...SELECTED], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
  const manifest = JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8'));
  assert.equal(result.code, 0, result.out);
  assert.match(manifest.baseUrl, /^recording proxy at http:\/\/127\.0\.0\.1:<any free port>\/referrals\/FHIR in front of http:\/\/127\.0\.0\.1:\d+\/referrals\/FHIR$/);
  assert.equal(manifest.counts.passed, 2, result.out);
  assert.equal(manifest.counts.byOutcome['not-applicable'], 2, result.out);
  const reasons = manifest.skipReasons.notApplicable.map((r: { reason: string }) => r.reason).join('\n');
  assert.match(reasons, /cannot inject faults/);
  assert.match(reasons, /changing a referral behind the system's back needs the harness's own e-RS/);
  // the supplier's traffic really went to the upstream, through the proxy
  for (const op of ['A010', 'A011']) assert.ok(upstreamOps.includes(op), `${op} reached the upstream: ${upstreamOps.join(', ')}`);
  // the live session: every exchange recorded with its findings, and the harness's own A005 read-back is not in it
  const lines = readFileSync(join(reports, 'proxy-session', 'exchanges.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const ops = lines.map((l) => l.operation).filter(Boolean);
  assert.ok(ops.includes('A010') && ops.includes('A011'), ops.join(', '));
  assert.ok(lines.some((l) => l.kind === 'token'), 'the token exchange went through the proxy too');
  assert.deepEqual(lines.flatMap((l) => l.findings.supplier), [], 'the sound reference system has no supplier finding');
  const session = JSON.parse(readFileSync(join(reports, 'proxy-session', 'session.json'), 'utf8'));
  assert.equal(session.state, 'complete');
  for (const name of ['the user searches for services and sees what e-RS found', 'the user creates a referral and sees its UBRN']) assert.ok(session.scenarios.done.includes(name), session.scenarios.done.join(' | '));
  assert.deepEqual(session.scenarios.remaining, []);
  // the harness read the new referral back itself (A005 as REFERRING_CLINICIAN, its own token)
  const results = readdirSync(join(reports, 'allure-results')).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(reports, 'allure-results', f), 'utf8')));
  const create = results.find((r) => r.name === 'the user creates a referral and sees its UBRN');
  assert.equal(create?.status, 'passed');
  const titles = JSON.stringify(create);
  assert.match(titles, /A005 GET \/STU3\/ReferralRequest\/\d{12} → 200/);
  // the After hook's attachments (each exchange judged both ways) sit in Allure's containers
  const everything = readdirSync(join(reports, 'allure-results')).filter((f) => f.endsWith('.json')).map((f) => readFileSync(join(reports, 'allure-results', f), 'utf8')).join('\n');
  assert.match(everything, /Recording proxy: each exchange judged/);
  // no token, id_token or key reaches any file
  for (const secret of [idToken, ...issued]) for (const file of walk(reports)) assert.ok(!readFileSync(file, 'utf8').includes(secret), `${file} holds a token`);
  assert.ok(!result.out.includes(idToken));
  // and the pack holds the session
  const pack = spawnSync(process.execPath, [bin, 'report', '--reports', reports, '--pack'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ERS_REPORT_HTML: 'false', ERS_HISTORY_FILE: 'none' } });
  assert.equal(pack.status, 0, pack.stdout + pack.stderr);
  const zip = readdirSync(reports).find((f) => f.endsWith('.zip'));
  assert.ok(zip && readFileSync(join(reports, zip)).includes(Buffer.from('proxy-session/exchanges.jsonl')));
});

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
