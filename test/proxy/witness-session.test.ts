// A witness session with a scripted console (answers piped to stdin, no terminal): the console introduces each
// scenario with its steps, waits for the system's requests or the witness's answer, shows what was expected and
// the requests seen, and takes an attestation (pass|fail|skip|stop, note, tester's name). The session ends with
// the evidence pack; the attestations, with name and time, are in the witness record.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { generateSigningKey } from '../../src/auth/keys.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'ers-conformance.js');
const scratch = mkdtempSync(join(tmpdir(), 'ers-witness-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('--sut manual: the witness is walked through the scenarios, attests them, stops, and the session ends with the pack', async () => {
  const jwks = join(scratch, 'system.jwks.json');
  writeFileSync(jwks, JSON.stringify(generateSigningKey('witnessed-system', 2048).jwks));
  const reports = join(scratch, 'reports');
  const answers = [
    'pass', 'the search screen opened', 'Wendy Witness', // scenario 1, the action: the witness answers before any request arrives
    'fail', 'no services were listed', 'Wendy Witness', // scenario 1, the attestation
    'stop', 'out of time', 'Wendy Witness', // scenario 2, the action: the witness stops the session
  ];
  const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', '--sut', 'manual', '--reports', reports,
      'features/supplier/referrer/SUP-01-search-services.feature:12', 'features/supplier/referrer/SUP-01-search-services.feature:19', 'features/supplier/referrer/SUP-01-search-services.feature:26'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ERS_SUT_JWKS: jwks, ERS_SUT_PORT: '0', ERS_SUT_DEADLINE_MS: '20000', ERS_REPORT_HTML: 'false', ERS_HISTORY_FILE: 'none' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(answers.join('\n') + '\n');
    child.on('close', (code) => resolve({ code, out }));
  });
  // the console: each scenario introduced with its steps, the attestation shows expected and seen
  assert.match(run.out, /══ Scenario 1: the user searches for services and sees what e-RS found\n\s+a REFERRING_CLINICIAN is logged in to the supplier's system/);
  assert.match(run.out, /Waiting for A010 to arrive/);
  assert.match(run.out, /── Attest: the user searches for services and sees what e-RS found/);
  assert.match(run.out, /Requests seen \(0\):/);
  assert.match(run.out, /Your attestation \(pass\|fail\|skip\|stop\)/);
  assert.match(run.out, /══ Scenario 3: .*\(the witness stopped the session: not verified\)/);
  // the outcome: scenario 1 failed (nothing was sent), 2 and 3 not verified; never PASSED
  assert.equal(run.code, 1, run.out);
  const manifest = JSON.parse(readFileSync(join(reports, 'manifest.json'), 'utf8'));
  assert.equal(manifest.counts.failed, 1);
  assert.equal(manifest.counts.byOutcome['not-verified'], 2);
  assert.match(JSON.stringify(manifest.skipReasons.notVerified), /the witness Wendy Witness stopped the run: out of time/);
  // the attestations, with the tester's name and time, in the witness record and their own attachment
  const results = join(reports, 'allure-results');
  const files = readdirSync(results);
  const text = files.map((f) => readFileSync(join(results, f), 'utf8')).join('\n');
  assert.match(text, /Witness attestation: fail by Wendy Witness/);
  const record = files.filter((f) => f.endsWith('.csv')).map((f) => readFileSync(join(results, f), 'utf8')).join('\n');
  assert.match(record, /Step,Instructions,Evidence required,Expected,Actual/);
  assert.match(record, /Witness attestation,.*fail \(attested by Wendy Witness at \d{4}-\d\d-\d\dT[\d:.]+Z; note: no services were listed\)/);
  assert.match(record, /done \(attested\)/);
  // the session ended with its evidence pack (the SCAL matrix in it)
  assert.match(run.out, /Witness session evidence pack: .*evidence-simulator-\d{8}T\d{6}Z\.zip/);
  const zip = readdirSync(reports).find((f) => f.endsWith('.zip'));
  assert.ok(zip);
  const bytes = readFileSync(join(reports, zip));
  for (const name of ['scal-matrix.csv', 'manifest.json', 'junit.xml', 'SHA256SUMS']) assert.ok(bytes.includes(Buffer.from(name)), `the pack holds ${name}`);
});
