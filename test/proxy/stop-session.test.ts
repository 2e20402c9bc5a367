// Stopping a witness session through the recording proxy is safe: a real SIGTERM to `run` while a scenario waits
// for the system lets the proxy finish writing what it captured and mark its session INCOMPLETE; the run's
// manifest says INCOMPLETE, and a later `report --pack` builds the pack from it, named INCOMPLETE.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { generateSigningKey } from '../../src/auth/keys.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { actor, userHeaders, FX } from '../simulator/helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'ers-conformance.js');
const scratch = mkdtempSync(join(tmpdir(), 'ers-proxy-stop-'));
const key = generateSigningKey('harness-kid', 2048);
let upstream: Simulator;

before(async () => {
  upstream = await createSimulator({ jwks: key.jwks });
});
after(async () => {
  await upstream.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('SIGTERM during a proxied witness session: the session is written INCOMPLETE and report packs it', async () => {
  const reports = join(scratch, 'reports');
  const keyFile = join(scratch, 'harness.pem');
  writeFileSync(keyFile, key.privatePem, { mode: 0o600 });
  const idToken = await upstream.cis2IdToken({ userId: FX.actors.REFERRING_CLINICIAN.userId });
  const child = spawn(process.execPath, [bin, 'run', '--sut', 'manual', '--proxy', '--target', 'url', '--base-url', upstream.baseUrl, '--fixtures', join(root, 'src/targets/fixtures/simulator.yaml'), '--reports', reports,
    'features/supplier/referrer/SUP-01-search-services.feature:12', 'features/supplier/referrer/SUP-01-search-services.feature:19'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ERS_API_KEY: 'sim-provider-app', ERS_KID: 'harness-kid', ERS_PRIVATE_KEY_PATH: keyFile, ERS_TOKEN_URL: upstream.tokenUrl, ERS_ID_TOKEN: idToken, ERS_AUTH: 'both', ERS_SUT_PORT: '0', ERS_SUT_DEADLINE_MS: '120000', ERS_REPORT_HTML: 'false', ERS_HISTORY_FILE: 'none' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // the witness's system sends one request through the proxy while the first scenario waits for A010
  const proxyBase = await until(() => /configure your system with the e-RS FHIR base URL (\S+)/.exec(out)?.[1], () => out);
  const headers = { ...userHeaders(upstream, actor('REFERRING_CLINICIAN')), 'X-Correlation-ID': 'stop-test' };
  const token = (headers as Record<string, string>).Authorization!.slice('Bearer '.length);
  assert.equal((await fetch(`${proxyBase}/STU3/CodeSystem/SPECIALTY`, { headers })).status, 200);
  await until(() => (/Waiting for A010/.test(out) ? true : undefined), () => out);
  child.kill('SIGTERM');
  const code = await exit;
  assert.equal(code, 2, out);
  assert.match(out, /INCOMPLETE/);
  const manifest = JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8'));
  assert.equal(manifest.complete, false);
  const session = JSON.parse(readFileSync(join(reports, 'proxy-session', 'session.json'), 'utf8'));
  assert.equal(session.state, 'INCOMPLETE');
  assert.match(session.reason, /stopped by SIGTERM during "the user searches for services and sees what e-RS found"/);
  const lines = readFileSync(join(reports, 'proxy-session', 'exchanges.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.some((l) => l.operation === 'A004' && l.response.status === 200), 'the captured exchange was written');
  for (const f of readdirSync(join(reports, 'proxy-session'))) assert.ok(!readFileSync(join(reports, 'proxy-session', f), 'utf8').includes(token), `${f} holds the token`);
  assert.ok(!out.includes(token));
  const report = spawnSync(process.execPath, [bin, 'report', '--reports', reports, '--pack'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ERS_REPORT_HTML: 'false', ERS_HISTORY_FILE: 'none' } });
  assert.equal(report.status, 2, report.stdout + report.stderr);
  assert.match(report.stdout, /evidence pack .*-INCOMPLETE\.zip/);
  const zip = readdirSync(reports).find((f) => f.endsWith('-INCOMPLETE.zip'));
  assert.ok(zip && readFileSync(join(reports, zip)).includes(Buffer.from('proxy-session/exchanges.jsonl')));
});

async function until<T>(probe: () => T | undefined, out: () => string, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out; output so far:\n${out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
