// Fidelity with the HL7 Java validator where no terminology server is needed (issue 13): each case is a rule the
// Java validator applies, with the exact finding expected (or its absence on a valid resource).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createValidator, type Finding, type Validator } from '../../src/fhir/index.ts';
import { InvariantEngine } from '../../src/fhir/invariants.ts';
import { corePrimitiveTester, fhirpathMatches, isBase64Binary } from '../../src/fhir/regex.ts';

let v: Validator;
before(async () => {
  v = await createValidator({ onlyPackagePaths: true, packagePaths: [] });
});

type Json = Record<string, any>;
const errs = (r: { findings: Finding[] }) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}@${f.path}`);
const all = (r: { findings: Finding[] }) => r.findings.map((f) => `${f.severity} ${f.rule}@${f.path}`);
const r4 = (res: Json) => v.validate(res, { fhirVersion: 'R4' });
const stu3 = (res: Json) => v.validate(res, { fhirVersion: 'STU3' });
const NARR = '<div xmlns="http://www.w3.org/1999/xhtml">ok</div>';

/** CPU milliseconds of one call (the assertions compare sizes 1,000x apart, so the machine's load does not decide). */
function ms(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

describe('no input makes validation slower than linear', () => {
  test('the STU3 code pattern and the R4 base64Binary pattern are rewritten to equivalent linear checks', () => {
    const code = corePrimitiveTester('[^\\s]+([\\s]?[^\\s]+)*');
    const ok = ['a', 'a b', 'a b c', 'x-y'];
    const bad = ['', ' a', 'a ', 'a  b', '\t'];
    for (const s of ok) assert.equal(code(s), true, s);
    for (const s of bad) assert.equal(code(s), false, JSON.stringify(s));
    // 54 s on 31 bytes with the published pattern on V8; now well under a second at 1 MB.
    assert.ok(ms(() => code(`${'a'.repeat(1_000_000)} !  `)) < 1000);
    assert.equal(isBase64Binary('QUJD'), true);
    assert.equal(isBase64Binary('QUJD RA=='), true);
    assert.equal(isBase64Binary(' QUJD\nRA== '), true);
    assert.equal(isBase64Binary('QU JD'), false, 'whitespace inside a group of four');
    assert.equal(isBase64Binary('QUJ'), false);
    assert.equal(isBase64Binary(''), false);
    assert.equal(isBase64Binary('QUJD!'), false);
    assert.equal(isBase64Binary('A'.repeat(4 * 500_000)), true, 'a 2 MB value does not overflow the stack');
  });

  test('a 1 MB pathological value validates as fast, per byte, as a 1 KB one (within a wide margin)', () => {
    const res = (code: string) => ({ resourceType: 'Patient', text: { status: 'generated', div: NARR }, gender: code });
    const small = `${'a'.repeat(1000)} `;
    const big = `${'a'.repeat(1_000_000)} `;
    stu3(res(small));
    const tSmall = Math.max(0.05, ms(() => stu3(res(small))));
    const tBig = ms(() => stu3(res(big)));
    assert.ok(tBig < tSmall * 1000 * 20 && tBig < 5000, `1 KB ${tSmall} ms, 1 MB ${tBig} ms`);
  });

  test('matches() from a package runs on a linear-time engine', () => {
    const t = ms(() => assert.equal(fhirpathMatches(`${'a'.repeat(100_000)}!`, '^(a+)+$', undefined, false), false));
    assert.ok(t < 2000, `${t} ms`);
    assert.equal(fhirpathMatches('abc', 'b', undefined, false), true);
    assert.equal(fhirpathMatches('abc', 'b', undefined, true), false);
    assert.equal(fhirpathMatches('ABC', 'abc', 'i', true), true);
    assert.throws(() => fhirpathMatches('aa', '(a)\\1', undefined, false), /cannot run in linear time/);
  });

  test('a 100,000-level nested resource is one finding, never a crash', () => {
    const n = 100_000;
    const text = `{"resourceType":"Basic","code":{"text":"x"},"extension":${'[{"url":"http://x","extension":'.repeat(n)}[]${'}]'.repeat(n)}}`;
    const r = r4(JSON.parse(text) as Json);
    assert.deepEqual(errs(r).map((e) => e.split('@')[0]), ['structure']);
    assert.match(r.findings[0]!.message, /nested more than 500 levels/);
  });

  test('trace() inside an invariant writes nothing to stdout', async () => {
    const engine = new InvariantEngine('R4');
    const chunks: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    (process.stdout as any).write = (s: string) => (chunks.push(String(s)), true);
    try {
      const c = { key: 'ref-1', severity: 'error' as const, human: '', expression: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))" };
      const root = { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o' }] };
      assert.equal(engine.check(c, { reference: '#o' }, 'Reference', { resource: root, root }, false), true);
      assert.equal(engine.check(c, { reference: '#x' }, 'Reference', { resource: root, root }, false), false);
    } finally {
      (process.stdout as any).write = orig;
    }
    assert.deepEqual(chunks, []);
  });
});

describe('Resource.id', () => {
  test('R4 checks the id datatype like STU3', () => {
    assert.deepEqual(errs(r4({ resourceType: 'Basic', id: 'a_b', code: { text: 'x' }, text: { status: 'generated', div: NARR } })), ['format@Basic.id']);
    assert.deepEqual(errs(r4({ resourceType: 'Basic', id: 'x'.repeat(65), code: { text: 'x' }, text: { status: 'generated', div: NARR } })), ['format@Basic.id']);
    assert.deepEqual(errs(r4({ resourceType: 'Basic', id: 'A-1.b', code: { text: 'x' }, text: { status: 'generated', div: NARR } })), []);
    assert.deepEqual(errs(stu3({ resourceType: 'Basic', id: 'a_b', code: { text: 'x' }, text: { status: 'generated', div: NARR } })), ['format@Basic.id']);
  });
});

export { all, errs, r4, stu3, NARR };
