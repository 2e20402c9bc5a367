// No secret leaks: the suite runs with canary values for every secret setting — really sent to an
// in-process simulator that knows them — and every output file and the captured console are scanned
// for each canary, for every token the simulator issued, and for anything shaped like a JWT or a key.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { generateSigningKey } from '../../src/auth/keys.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { FX } from '../simulator/helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/ers-conformance.js');
const fixtures = join(root, 'src/targets/fixtures/simulator.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'ers-canary-'));

const KID = 'canary-kid';
const key = generateSigningKey(KID, 2048);
const canary = {
  apiKey: `canary-api-key-${randomUUID()}`,
  privateKey: key.privatePem,
  idToken: '', // a real CIS2 id_token from the simulator, set in before()
  accessToken: '',
  appAccessToken: '',
};
const issued: string[] = [];
let sim: Simulator;

before(async () => {
  const provider = FX.applications.provider;
  sim = await createSimulator(
    { jwks: key.jwks, clients: [{ apiKey: canary.apiKey, name: 'Canary supplier app', asid: '200000000999', ods: provider.ods, userId: provider.userId, businessFunction: provider.businessFunction }] },
    { onTokenIssued: (t) => issued.push(t) },
  );
  canary.idToken = await sim.cis2IdToken({ userId: FX.actors.REFERRING_CLINICIAN.userId });
  canary.accessToken = sim.issueToken({ mode: 'user-restricted', userId: FX.actors.REFERRING_CLINICIAN.userId });
  canary.appAccessToken = sim.issueToken({ mode: 'application-restricted', userId: provider.userId, ods: provider.ods, businessFunction: provider.businessFunction, asid: '200000000999' });
});

after(async () => {
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run { code: number | null; stdout: string; stderr: string; reports: string }

/** Async, so the in-process simulator keeps answering while the CLI runs. */
function runSuite(name: string, env: Record<string, string>, tags: string, baseUrl = sim.baseUrl): Promise<Run> {
  const reports = join(scratch, name);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', '--target', 'url', '--base-url', baseUrl, '--fixtures', fixtures, '--reports', reports, '--tags', tags, '--parallel', '2'], {
      cwd: root,
      // Secrets go in through the environment, as in CI; nothing from the developer's own .env or shell leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ERS_TARGET: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, reports }));
  });
}

/**
 * A target that echoes the caller's secrets back: every answer carries the request's Authorization header in a
 * header of its own, and every OperationOutcome repeats it in its diagnostics (which failure messages quote).
 */
async function echoingTarget(upstream: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const up = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '');
      const forward = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          let text = Buffer.concat(body);
          try {
            const json = JSON.parse(text.toString('utf8')) as { resourceType?: string; issue?: { diagnostics?: string }[] };
            if (json.resourceType === 'OperationOutcome') {
              for (const issue of json.issue ?? []) issue.diagnostics = `${issue.diagnostics ?? ''} (you sent ${auth})`;
              text = Buffer.from(JSON.stringify(json));
            }
          } catch {
            // not JSON: passed on as it is
          }
          const headers = { ...answer.headers, 'x-echo-authorization': auth, 'content-length': String(text.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(text);
        });
      });
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}${up.pathname}`, close: () => new Promise((r) => server.close(() => r())) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every form a secret could leak in: as is, URL-encoded, base64, and each line of a PEM body. */
function forms(secret: string): string[] {
  const out = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
  for (const line of secret.split('\n')) if (line.length >= 40 && !line.startsWith('-----')) out.push(line);
  return out;
}

const SHAPES: [string, RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/],
  ['a PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a bearer token', /Bearer (?!\[REDACTED\])[A-Za-z0-9._~+/=-]{16,}/],
];

function scan(run: Run, secrets: Record<string, string[]>): string[] {
  const findings: string[] = [];
  const texts: [string, string][] = [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
    ...filesUnder(run.reports).map((f): [string, string] => [relative(run.reports, f), readFileSync(f).toString('latin1')]),
  ];
  for (const [where, text] of texts) {
    for (const [name, values] of Object.entries(secrets)) {
      for (const v of values) if (v && text.includes(v)) findings.push(`${name} found in ${where}`);
    }
    for (const [name, shape] of SHAPES) if (shape.test(text)) findings.push(`${name} found in ${where}: ${shape.exec(text)![0].slice(0, 24)}…`);
  }
  return [...new Set(findings)];
}

function manifest(run: Run): { counts: { passed: number; failed: number; skipped: number; other: number } } {
  return JSON.parse(readFileSync(join(run.reports, 'manifest.json'), 'utf8'));
}

// The timeout is a hang guard: three whole runs, beside other test files in npm test.
describe('canary secrets never leave the process', { timeout: 600_000 }, () => {
  it('the scanner itself finds a planted secret, a JWT and a PEM (so a clean scan means something)', () => {
    const run: Run = { code: 0, stdout: `leak ${canary.apiKey}`, stderr: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz', reports: mkdtempSync(join(scratch, 'planted-')) };
    const planted = scan(run, { 'the API key': forms(canary.apiKey) });
    assert.deepEqual(planted, ['the API key found in stdout', 'a bearer token found in stderr: Bearer abcdefghijklmnopq…']);
    const shapes = scan({ code: 0, stdout: key.privatePem, stderr: canary.idToken, reports: mkdtempSync(join(scratch, 'planted-')) }, {});
    assert.deepEqual(shapes.map((f) => f.split(' found')[0]), ['a PEM private key', 'a JWT']);
  });

  it('signed JWTs and the CIS2 exchange: API key, private key, id_token, assertions and issued tokens', async () => {
    const run = await runSuite(
      'signed',
      { ERS_API_KEY: canary.apiKey, ERS_KID: KID, ERS_PRIVATE_KEY: canary.privateKey, ERS_ID_TOKEN: canary.idToken, ERS_TOKEN_URL: sim.tokenUrl, ERS_AUTH: 'both', ERS_REPORT_HTML: 'true' },
      '@authentication',
    );
    const m = manifest(run);
    // One CIS2 login per run leaves the other users' requirements not verified (NOT PASSED, exit 1); nothing may fail.
    assert.ok(run.code === 0 || (run.code === 1 && m.counts.failed === 0 && /Verdict: NOT PASSED — \d+ passed, but \d+ requirement\(s\) not verified/.test(run.stdout)), `the run must pass so the canaries were really used:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
    assert.ok(m.counts.passed >= 50, `expected the authentication scenarios to run, ${m.counts.passed} passed`);
    // user-restricted scenarios with the canary id_token and app-restricted ones with the canary API key both ran
    const junit = readFileSync(join(run.reports, 'junit.xml'), 'utf8');
    assert.match(junit, /a user-restricted call with a token from the CIS2 token exchange succeeds/);
    assert.match(junit, /an application-restricted call with a client-credentials token succeeds/);
    // the canaries were really sent: the simulator issued tokens for the canary app and the CIS2 user
    assert.ok(issued.length >= 3, `the simulator issued ${issued.length} tokens`);
    assert.ok(statSync(join(run.reports, 'allure-report')).isDirectory(), 'the HTML report was generated and is scanned too');
    const findings = scan(run, {
      'the API key': forms(canary.apiKey),
      'the private key': forms(canary.privateKey),
      'the id_token': forms(canary.idToken),
      'an issued access token': issued.flatMap(forms),
    });
    assert.deepEqual(findings, []);
  });

  it('a target that echoes the tokens back in headers and error messages: still never in any output or the evidence pack', async () => {
    const echo = await echoingTarget(sim.baseUrl);
    try {
      const run = await runSuite(
        'echoed',
        { ERS_API_KEY: canary.apiKey, ERS_ACCESS_TOKEN: canary.accessToken, ERS_APP_ACCESS_TOKEN: canary.appAccessToken, ERS_AUTH: 'both', ERS_REPORT_HTML: 'false' },
        '@A005',
        echo.baseUrl,
      );
      assert.ok(existsSync(join(run.reports, 'manifest.json')), `the run wrote its reports:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
      const m = manifest(run);
      assert.ok(m.counts.passed + m.counts.failed >= 5, `the error scenarios ran against the echoing target:\n${run.stdout.slice(-2000)}`);
      assert.match(JSON.stringify(readdirSync(join(run.reports, 'allure-results'))), /-attachment/, 'exchanges (with the echoed header and diagnostics) were recorded');
      const pack = spawnSync(process.execPath, [bin, 'report', '--reports', run.reports, '--pack'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ERS_TARGET: '', ERS_REPORT_HTML: 'false', ERS_API_KEY: canary.apiKey, ERS_ACCESS_TOKEN: canary.accessToken, ERS_APP_ACCESS_TOKEN: canary.appAccessToken } });
      const zip = readdirSync(run.reports).find((f) => f.endsWith('.zip'));
      assert.ok(zip, `report --pack wrote a pack: ${pack.stdout}${pack.stderr}`);
      const unpacked = spawnSync('unzip', ['-p', join(run.reports, zip!)], { maxBuffer: 512 * 1024 * 1024 });
      assert.equal(unpacked.status, 0, 'unzip reads the pack');
      const findings = scan({ ...run, stdout: run.stdout + pack.stdout + unpacked.stdout.toString('latin1'), stderr: run.stderr + pack.stderr }, {
        'the API key': forms(canary.apiKey),
        'the user access token': forms(canary.accessToken),
        'the app access token': forms(canary.appAccessToken),
      });
      assert.deepEqual(findings, []);
    } finally {
      await echo.close();
    }
  });

  it('ready-made tokens: ERS_ACCESS_TOKEN and ERS_APP_ACCESS_TOKEN', async () => {
    const run = await runSuite(
      'ready-made',
      { ERS_API_KEY: canary.apiKey, ERS_ACCESS_TOKEN: canary.accessToken, ERS_APP_ACCESS_TOKEN: canary.appAccessToken, ERS_AUTH: 'both', ERS_REPORT_HTML: 'false' },
      '@req=X-HDR-AUTHORIZATION or @req=X-AM-AR-HAPPY-PATH or @req=X-AUTH-STU3-NO-TOKEN or @req=X-AUTH-R4-NO-TOKEN',
    );
    const m = manifest(run);
    assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
    assert.ok(m.counts.passed >= 6, `${m.counts.passed} passed`);
    const findings = scan(run, {
      'the API key': forms(canary.apiKey),
      'the user access token': forms(canary.accessToken),
      'the app access token': forms(canary.appAccessToken),
    });
    assert.deepEqual(findings, []);
  });
});
