// The harness tested against the reference supplier, as Inferno pairs its client suites: the sound GP
// system and PAS pass every referrer and provider scenario (command form, the check), and each of their defects,
// switched on with ERS_REFERENCE_DEFECT, fails the run as a product defect (http form, so the test hook is
// exercised too).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'ers-conformance.js');
const driver = join(root, 'examples', 'reference-supplier', 'driver.js');
const scratch = mkdtempSync(join(tmpdir(), 'ers-supplier-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface RunResult { code: number; stdout: string; manifest: { counts: { passed: number; failed: number; skipped: number; byCategory: Record<string, number> } } }

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ERS_REPORT_HTML: 'false', ERS_SUT_PORT: '0', ERS_HISTORY_FILE: 'none', ...extra };
  for (const k of ['ERS_TARGET', 'ERS_TAGS', 'ERS_SUT', 'ERS_SUT_JWKS', 'ERS_SUT_SECRET', 'ERS_REFERENCE_DEFECT']) if (!(k in extra)) delete env[k];
  return env;
}

function run(name: string, sut: string, env: Record<string, string>, tags = '@supplier'): Promise<RunResult> {
  const reports = join(scratch, name);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', '--sut', sut, '--tags', tags, '--reports', reports], { cwd: root, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 2, stdout, manifest: JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8')) }));
  });
}

/** Starts the reference system's test hook (http form) with the environment given; resolves its URL. */
function serveHook(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driver, '--serve', '0'], { cwd: root, env: baseEnv(env), stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => {
      const url = /http:\/\/\S+/.exec(d.toString())?.[0];
      if (url) resolve({ url, child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the reference test hook exited ${code}`)));
  });
}

const defects = spawnSync(process.execPath, [driver, '--list-defects'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
const { DEFECTS } = (await import(join(root, 'examples', 'reference-supplier', 'defects.js'))) as { DEFECTS: Record<string, { breaks: string }> };

test('the reference supplier names at least 8 defects, one a line', () => {
  assert.ok(defects.length >= 8, `only ${defects.length} defects: ${defects.join(', ')}`);
  for (const d of defects) assert.match(d, /^[a-z0-9-]+$/);
});

// The sound run and the defect runs are independent (each its own state folder, reports folder and port 0) and
// spend much of their time waiting on drivers and Retry-After pauses: they run side by side.
describe('the harness against the reference supplier', { concurrency: true }, () => {
  it('the sound reference GP system and PAS pass every supplier scenario, at least 25 referrer and 15 provider (command driver)', async () => {
    const r = await run('sound', `command:node ${driver}`, { ERS_REFERENCE_STATE_DIR: join(scratch, 'state-sound') });
    assert.equal(r.code, 0, r.stdout.slice(-3000));
    assert.ok(r.manifest.counts.passed >= 25 + 15, `${r.manifest.counts.passed} passed`);
    assert.equal(r.manifest.counts.skipped, 0);
  });

  // Each defect runs the scenarios of the obligation it breaks (its `breaks` requirement): a whole @supplier run per
  // defect takes minutes more and proves no more (`ERS_REFERENCE_DEFECT=<name> ers-conformance run --sut ... --tags @supplier`
  // exits 1 the same way; docs/supplier-mode.md).
  it('every defect of the reference system fails its obligation\'s scenarios as a product defect (http driver)', async () => {
    const outcomes: string[] = [];
    const queue = [...defects];
    // three runs at a time: each waits mostly on Retry-After pauses and its driver, not on the CPU
    await Promise.all([0, 1, 2].map(async (lane) => {
      for (let defect = queue.shift(); defect; defect = queue.shift()) {
        const env = { ERS_REFERENCE_DEFECT: defect, ERS_REFERENCE_STATE_DIR: join(scratch, `state-${lane}-${defect}`) };
        const hook = await serveHook(env);
        try {
          const breaks = DEFECTS[defect]?.breaks;
          assert.ok(breaks, `defect ${defect} names no requirement it breaks`);
          const r = await run(`defect-${defect}`, `http:${hook.url}`, env, `@supplier and @req=${breaks}`);
          const c = r.manifest.counts.byCategory;
          if (r.code !== 1 || !(c['product-defect']! + c['profile-violation']! > 0) || c['harness-error'] !== 0) {
            outcomes.push(`${defect}: exit ${r.code}, categories ${JSON.stringify(c)}\n${r.stdout.slice(-1500)}`);
          }
        } finally {
          hook.child.kill();
        }
      }
    }));
    assert.deepEqual(outcomes, [], outcomes.join('\n\n'));
  });
});
