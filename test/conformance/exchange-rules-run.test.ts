// End to end: a target whose answers break one exchange rule fails the scenarios that walk past it, as product defects,
// though the scenarios never look at that part of the answer. The target is the embedded simulator behind a small
// forwarder that drops X-Request-ID from its successful answers (the same scenarios pass against the simulator itself
// with these tokens: test/security/canary.test.ts, "ready-made" run).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { FX } from '../simulator/helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ers-rules-run-'));
// two reads the scenarios check only for their status and request headers
const TAGS = '@req=X-HDR-AUTHORIZATION or @req=X-AM-AR-HAPPY-PATH';

let sim: Simulator;
let flawed: { baseUrl: string; close(): Promise<void> };
before(async () => {
  sim = await createSimulator();
  flawed = await withoutRequestId(sim.baseUrl);
});
after(async () => {
  await flawed?.close();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run { code: number | null; output: string; manifest: { counts: { passed: number; failed: number; byCategory: Record<string, number> } } }

function run(name: string, baseUrl: string): Promise<Run> {
  const reports = join(scratch, name);
  const provider = FX.applications.provider;
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ERS_TARGET: '', ERS_AUTH: 'both', ERS_REPORT_HTML: 'false', ERS_API_KEY: provider.apiKey,
    ERS_ACCESS_TOKEN: sim.issueToken({ mode: 'user-restricted', userId: FX.actors.REFERRING_CLINICIAN.userId }),
    ERS_APP_ACCESS_TOKEN: sim.issueToken({ mode: 'application-restricted', userId: provider.userId, ods: provider.ods, businessFunction: provider.businessFunction, asid: '200000000001' }),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/ers-conformance.js'), 'run', '--target', 'url', '--base-url', baseUrl, '--fixtures', join(root, 'src/targets/fixtures/simulator.yaml'), '--reports', reports, '--tags', TAGS, '--parallel', '1'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, output, manifest: JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8')) as Run['manifest'] });
      } catch (e) {
        reject(new Error(`the run wrote no manifest (${(e as Error).message}):\n${output.slice(-3000)}`));
      }
    });
  });
}

/** The upstream's answers, less X-Request-ID on every 2xx. */
async function withoutRequestId(upstream: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const up = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (answer) => {
        const headers = { ...answer.headers };
        if ((answer.statusCode ?? 0) < 300) delete headers['x-request-id'];
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}${up.pathname}`, close: () => new Promise((r) => server.close(() => r())) };
}

it('two reads fail as product defects naming ers:x-request-id when the answers lose X-Request-ID', { timeout: 240_000 }, async () => {
  const broken = await run('broken', flawed.baseUrl);
  assert.equal(broken.code, 1, broken.output.slice(-3000));
  assert.equal(broken.manifest.counts.failed, 2, broken.output.slice(-3000));
  assert.equal(broken.manifest.counts.byCategory['product-defect'], 2, JSON.stringify(broken.manifest.counts));
  assert.match(broken.output, /Product defect: the scenario's own assertions held, but the target's answers break documented rules:\n\s+A005: ers:x-request-id at response\.header\.X-Request-ID: a 200 answer without X-Request-ID/);
});
