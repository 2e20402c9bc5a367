// `ers-conformance proxy` as a user runs it: real process, real signals. An A004 and an A005 sent through it get
// the upstream's exact status and body; after SIGINT (or SIGTERM) it exits 0 and its folder holds the recorded,
// judged, redacted exchanges, which `report --pack` packs.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { actor, start, userHeaders } from '../simulator/helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/ers-conformance.js');
const scratch = mkdtempSync(join(tmpdir(), 'ers-proxy-cli-'));
let sim: Simulator;

before(async () => {
  sim = await start();
});
after(async () => {
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
});

function startProxy(dir: string): Promise<{ child: ChildProcessWithoutNullStreams; baseUrl: string; out: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'proxy', '--upstream', sim.baseUrl, '--port', '0', '--reports', dir], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the proxy did not print its URL:\n${out}`)), 60_000);
    const look = (): void => {
      const m = /FHIR base URL: (\S+)/.exec(out);
      if (m && /Press Ctrl-C/.test(out)) {
        clearTimeout(timer);
        child.stdout.off('data', look);
        resolve({ child, baseUrl: m[1] as string, out: () => out, exit });
      }
    };
    child.stdout.on('data', look);
    void exit.then(() => reject(new Error(`the proxy exited early:\n${out}`)));
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  describe(`proxy stopped with ${signal}`, () => {
    it('forwards A004 and A005 exactly, exits 0 and leaves the session written', async () => {
      const dir = join(scratch, signal);
      const p = await startProxy(dir);
      const headers = { ...userHeaders(sim, actor('REFERRING_CLINICIAN')), 'X-Correlation-ID': `cli-${signal}` };
      const token = (headers as Record<string, string>).Authorization!.slice('Bearer '.length);
      const a004 = await fetch(`${p.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers });
      const a005 = await fetch(`${p.baseUrl}/STU3/ReferralRequest/000000070000`, { headers });
      const direct004 = await fetch(`${sim.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers });
      assert.equal(a004.status, direct004.status);
      const untimed = (t: string): string => t.replace(/\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)/g, '<time>');
      assert.equal(untimed(await a004.text()), untimed(await direct004.text()));
      const direct005 = await fetch(`${sim.baseUrl}/STU3/ReferralRequest/000000070000`, { headers });
      assert.equal(a005.status, direct005.status);
      assert.equal(untimed(await a005.text()), untimed(await direct005.text()));
      p.child.kill(signal);
      assert.equal(await p.exit, 0, p.out());
      const session = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8'));
      assert.equal(session.state, 'complete');
      assert.equal(session.counts.exchanges, 2);
      const lines = readFileSync(join(dir, 'exchanges.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.operation), ['A004', 'A005']);
      assert.ok(lines.every((l) => Array.isArray(l.findings.supplier) && Array.isArray(l.findings.ers)), 'each exchange carries its findings');
      assert.match(lines[0].request.headers.authorization, /^(Bearer )?\[REDACTED\]$/);
      for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f), 'utf8').includes(token), `${f} holds the access token`);
      assert.ok(!p.out().includes(token), 'the console shows the access token');

      const report = spawnSync(process.execPath, [bin, 'report', '--reports', dir, '--pack'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
      assert.ok(report.status === 0 || report.status === 1, report.stdout + report.stderr);
      assert.match(report.stdout, /evidence pack .*evidence-proxy-\d{8}T\d{6}Z\.zip/);
      assert.ok(readdirSync(dir).some((f) => /^evidence-proxy-.*\.zip$/.test(f)));
    });
  });
}

describe('a proxy killed outright', () => {
  it('leaves what it wrote; report packs it marked INCOMPLETE', async () => {
    const dir = join(scratch, 'killed');
    const p = await startProxy(dir);
    await fetch(`${p.baseUrl}/STU3/CodeSystem/SPECIALTY`, { headers: { ...userHeaders(sim, actor('REFERRING_CLINICIAN')), 'X-Correlation-ID': 'k' } });
    await new Promise((r) => setTimeout(r, 200));
    p.child.kill('SIGKILL');
    await p.exit;
    assert.equal(readFileSync(join(dir, 'exchanges.jsonl'), 'utf8').trim().split('\n').length, 1);
    const report = spawnSync(process.execPath, [bin, 'report', '--reports', dir, '--pack'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    assert.equal(report.status, 2, report.stdout + report.stderr);
    assert.match(report.stdout, /INCOMPLETE/);
    assert.ok(readdirSync(dir).some((f) => /-INCOMPLETE\.zip$/.test(f)));
    assert.ok(existsSync(join(dir, 'session.json')));
  });
});

describe('bad input', () => {
  it('names the problem and the fix', () => {
    const r = spawnSync(process.execPath, [bin, 'proxy', '--upstream', 'ftp://x'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--upstream must be http or https/);
    const none = spawnSync(process.execPath, [bin, 'proxy'], { cwd: root, encoding: 'utf8' });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--upstream is required/);
  });
});
