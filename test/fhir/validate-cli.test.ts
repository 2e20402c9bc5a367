// `ers-conformance validate`: severity filter, help, one result per file as it goes, files that are not FHIR, and a
// file no walker could survive (issues 13, 14 item 9, 16 item 5).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { validateCommand } from '../../src/cli/validate.ts';

const NARR = '<div xmlns="http://www.w3.org/1999/xhtml">ok</div>';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string; writes: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  (process.stdout as any).write = (s: string) => (out.push(String(s)), true);
  (process.stderr as any).write = (s: string) => (err.push(String(s)), true);
  try {
    const code = await validateCommand(argv);
    return { code, out: out.join(''), err: err.join(''), writes: out };
  } finally {
    (process.stdout as any).write = o;
    (process.stderr as any).write = e;
  }
}

describe('validate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-validate-cli-'));
  mkdirSync(join(dir, 'folder'));
  // Patient without narrative: dom-6 (information); gender 'x': binding error.
  writeFileSync(join(dir, 'folder', 'a-bad.json'), JSON.stringify({ resourceType: 'Patient', gender: 'x' }));
  writeFileSync(join(dir, 'folder', 'b-ok.json'), JSON.stringify({ resourceType: 'Patient', text: { status: 'generated', div: NARR } }));
  writeFileSync(join(dir, 'folder', 'INDEX.json'), JSON.stringify({ files: ['a-bad.json', 'b-ok.json'] }));
  const n = 100_000;
  writeFileSync(join(dir, 'deep.json'), `{"resourceType":"Basic","code":{"text":"x"},"extension":${'[{"url":"http://x","extension":'.repeat(n)}[]${'}]'.repeat(n)}}`);
  writeFileSync(join(dir, 'ok.json'), JSON.stringify({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: NARR } }));

  test('--help prints the usage and exits 0', async () => {
    const r = await capture(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--min-severity/);
    assert.equal(r.err, '');
  });

  test('--min-severity hides lower findings but the exit status and counts still cover them', async () => {
    const all = await capture(['--fhir-version', 'r4', join(dir, 'folder', 'a-bad.json')]);
    assert.match(all.out, /information invariant:dom-6/);
    const errorsOnly = await capture(['--fhir-version', 'r4', '--min-severity', 'error', join(dir, 'folder', 'a-bad.json')]);
    assert.equal(errorsOnly.code, 1);
    assert.doesNotMatch(errorsOnly.out, /information/);
    assert.match(errorsOnly.out, /error\s+binding/);
    assert.match(errorsOnly.out, /1 error\(s\).*below --min-severity error not shown/);
    const json = await capture(['--format', 'json', '--fhir-version', 'r4', '--min-severity', 'warning', join(dir, 'folder', 'a-bad.json')]);
    const doc = JSON.parse(json.out) as { files: { findings: { severity: string }[] }[]; summary: { errors: number; notShown: number } };
    assert.ok(doc.files[0]!.findings.every((f) => f.severity !== 'information'));
    assert.equal(doc.summary.errors, 1);
    assert.ok(doc.summary.notShown >= 1);
    assert.equal((await capture(['--min-severity', 'fatal', 'x'])).code, 2);
  });

  test('non-FHIR JSON in a folder is reported as not a FHIR resource, not as an error', async () => {
    const r = await capture(['--fhir-version', 'r4', join(dir, 'folder')]);
    assert.match(r.out, /INDEX\.json: \? \(\?\)\n\s+warning\s+not-a-resource .*not a FHIR resource/);
    assert.match(r.out, /3 file\(s\): 1 error\(s\), 1 warning\(s\)/);
  });

  test('results are written file by file, as each is validated', async () => {
    const r = await capture(['--fhir-version', 'r4', join(dir, 'folder')]);
    const heads = r.writes.filter((w) => /\.json: /.test(w));
    assert.equal(heads.length, 3, 'one head line per file, each its own write');
    const j = await capture(['--format', 'json', '--fhir-version', 'r4', join(dir, 'folder')]);
    assert.ok(j.writes.length >= 5, 'JSON is streamed: opening, one write per file, closing');
    JSON.parse(j.out);
  });

  test('a folder holding a 100,000-level nested JSON and a valid resource reports both files (exit 1, not 2)', async () => {
    const r = await capture(['--fhir-version', 'r4', join(dir, 'deep.json'), join(dir, 'ok.json')]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /deep\.json: Basic \(R4\)\n\s+error\s+structure .*nested too deep/);
    assert.match(r.out, /ok\.json: Basic \(R4\) OK/);
  });
});
