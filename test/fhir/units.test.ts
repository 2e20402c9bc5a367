// Unit behaviour around the walker: definition cache, packages (.tgz), suppressions/policy, CLI exit codes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { validateCommand } from '../../src/cli/validate.ts';
import { loadCore } from '../../src/fhir/definitions.ts';
import { createValidator } from '../../src/fhir/index.ts';
import { PackageRegistry } from '../../src/fhir/packages.ts';
import { applySuppressions, loadPolicy, loadSuppressions, PolicyError, profilesFor } from '../../src/fhir/policy.ts';
import type { Finding } from '../../src/fhir/types.ts';

function tarEntry(name: string, body: string): Buffer {
  const data = Buffer.from(body);
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

describe('definitions cache', () => {
  test('writes a keyed cache file once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ers-fhir-cache-'));
    const a = loadCore('STU3', dir);
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^core-stu3-[0-9a-f]{16}\.json$/);
    const t = Date.now();
    const b = loadCore('STU3', dir);
    assert.equal(b.key, a.key);
    assert.ok(Date.now() - t < 1000, 'warm cache load should take well under a second');
    assert.ok(a.structures.some((s) => s.type === 'ReferralRequest'));
  });

  test('R4 model has Medplum additions reverted', () => {
    const m = loadCore('R4');
    const meta = m.structures.find((s) => s.url === 'http://hl7.org/fhir/StructureDefinition/Meta')!;
    assert.deepEqual(meta.root.children!.map((c) => c.name), ['id', 'extension', 'versionId', 'lastUpdated', 'source', 'profile', 'security', 'tag']);
    const binary = m.structures.find((s) => s.url === 'http://hl7.org/fhir/StructureDefinition/Binary')!;
    assert.ok(!binary.root.children!.some((c) => c.name === 'url'));
  });
});

describe('packages', () => {
  test('loads a .tgz package without .index.json and resolves url|version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ers-fhir-tgz-'));
    const vs = { resourceType: 'ValueSet', id: 'x', url: 'http://example.org/ValueSet/x', version: '1.0.0', status: 'active', compose: { include: [{ system: 'http://example.org/cs', concept: [{ code: 'a' }] }] } };
    const tar = Buffer.concat([
      tarEntry('package/package.json', JSON.stringify({ name: 'example.tgz', version: '1.0.0', fhirVersions: ['4.0.1'] })),
      tarEntry('package/ValueSet-x.json', JSON.stringify(vs)),
      Buffer.alloc(1024),
    ]);
    writeFileSync(join(dir, 'example.tgz-1.0.0.tgz'), gzipSync(tar));
    const reg = new PackageRegistry([dir]);
    assert.deepEqual(reg.packages.map((p) => `${p.name}#${p.version}`), ['example.tgz#1.0.0']);
    assert.equal(reg.resolve('http://example.org/ValueSet/x|1.0.0', 'R4')?.id, 'x');
    assert.equal(reg.resolve('http://example.org/ValueSet/x|2.0.0', 'R4'), undefined);
    assert.equal(reg.resolve('http://example.org/ValueSet/x', 'STU3'), undefined, 'an R4 package is not used for STU3');
  });
});

describe('policy and suppressions', () => {
  test('suppressions need a reason and evidence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ers-fhir-supp-'));
    const f = join(dir, 's.yaml');
    writeFileSync(f, 'suppressions:\n  - id: x\n    rule: slice\n    evidence: e\n');
    assert.throws(() => loadSuppressions(f), PolicyError);
  });

  test('a suppression matches on rule, profile and path glob', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ers-fhir-supp-'));
    const f = join(dir, 's.yaml');
    writeFileSync(f, 'suppressions:\n  - id: x\n    rule: cardinality\n    profile: http://p\n    path: "**.entry[*].item.{identifier,display}"\n    reason: r\n    evidence: e\n');
    const list = loadSuppressions(f);
    const mk = (path: string, profile?: string): Finding => ({ severity: 'error', rule: 'cardinality', path, message: 'm', ...(profile ? { profile } : {}) });
    const fs = [mk('List.contained[1].entry[3].item.identifier', 'http://p'), mk('List.entry[0].item.display', 'http://p'), mk('List.entry[0].item.reference', 'http://p'), mk('List.entry[0].item.identifier')];
    applySuppressions(fs, list);
    assert.deepEqual(fs.map((x) => x.suppressedBy ?? null), ['x', 'x', null, null]);
  });

  test('profiles/policy.yaml maps operations to profiles', () => {
    const p = loadPolicy(join(import.meta.dirname, '..', '..', 'profiles', 'policy.yaml'));
    assert.deepEqual(profilesFor(p, 'A005', 'response', 200), ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1']);
    assert.ok(profilesFor(p, 'A011', 'request', 0).includes('https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateReferral-Parameters-1'));
    assert.deepEqual(profilesFor(p, 'A033', 'response', 404), ['https://fhir.nhs.uk/StructureDefinition/NHSDigital-OperationOutcome']);
    assert.deepEqual(profilesFor(p, 'NOPE', 'response', 200), []);
  });

  test('validator.profilesFor uses the policy file', async () => {
    const v = await createValidator({ onlyPackagePaths: true });
    assert.deepEqual(v.profilesFor('A024', 'response', 200), ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CommunicationRequest-1']);
  });
});

describe('validate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-fhir-cli-'));
  mkdirSync(join(dir, 'ok'));
  writeFileSync(join(dir, 'ok', 'p.json'), JSON.stringify({ resourceType: 'Patient', active: true }));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ resourceType: 'Patient', gender: 'x' }));
  writeFileSync(join(dir, 'broken.json'), '{not json');
  const capture = async (argv: string[]): Promise<{ code: number; out: string }> => {
    const chunks: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    const origErr = process.stderr.write.bind(process.stderr);
    (process.stdout as any).write = (s: string) => (chunks.push(String(s)), true);
    (process.stderr as any).write = (s: string) => (chunks.push(String(s)), true);
    try {
      return { code: await validateCommand(argv), out: chunks.join('') };
    } finally {
      (process.stdout as any).write = orig;
      (process.stderr as any).write = origErr;
    }
  };

  test('exit 0 on a folder without errors', async () => {
    const r = await capture(['--fhir-version', 'r4', join(dir, 'ok')]);
    assert.equal(r.code, 0, r.out);
  });

  test('exit 1 and JSON summary on errors', async () => {
    const r = await capture(['--format', 'json', '--fhir-version', 'r4', join(dir, 'bad.json'), join(dir, 'broken.json')]);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.out) as { files: { file: string; findings: Finding[] }[]; summary: { files: number; errors: number } };
    assert.equal(doc.summary.files, 2);
    assert.equal(doc.summary.errors, 2);
    assert.equal(doc.files[0]!.findings[0]!.rule, 'binding');
    assert.match(doc.files[1]!.findings[0]!.message, /is not JSON/);
  });

  test('exit 2 on bad usage or a missing path, naming the problem', async () => {
    assert.equal((await capture([])).code, 2);
    assert.equal((await capture(['--format', 'xml', 'x'])).code, 2);
    const r = await capture([join(dir, 'nope.json')]);
    assert.equal(r.code, 2);
    assert.match(r.out, /nope\.json does not exist/);
  });

  test('tsc sees no type errors in the validator files', { skip: !existsSync('node_modules/.bin/tsc') && 'tsc not installed' }, () => {
    let out = '';
    try {
      execFileSync('node_modules/.bin/tsc', ['--noEmit', '-p', '.'], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    assert.deepEqual(out.split('\n').filter((l) => /^(src\/fhir|src\/cli\/validate|test\/fhir|bench\/validate)/.test(l)), []);
  });
});
