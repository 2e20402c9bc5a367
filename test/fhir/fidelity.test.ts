// Fidelity with the HL7 Java validator where no terminology server is needed (issue 13): each case is a rule the
// Java validator applies, with the exact finding expected (or its absence on a valid resource).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/fhir/definitions.ts';
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
    assert.match(r.findings[0]!.message, /nested too deep/);
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

describe('Narrative XHTML (txt-1, txt-2), the same in STU3 and R4', () => {
  const withDiv = (div: string) => ({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div } });
  const cases: [string, string, string, RegExp][] = [
    ['not XHTML at all', 'plain text', 'invariant:txt-1', /not well-formed/],
    ['no XHTML namespace', '<div>ok</div>', 'invariant:txt-1', /XHTML namespace/],
    ['root is not a div', '<p xmlns="http://www.w3.org/1999/xhtml">ok</p>', 'invariant:txt-1', /single <div>/],
    ['a disallowed element', '<div xmlns="http://www.w3.org/1999/xhtml">a<script>x</script></div>', 'invariant:txt-1', /<script> is not allowed/],
    ['a child outside the XHTML namespace', '<div xmlns="http://www.w3.org/1999/xhtml"><x:b xmlns:x="urn:x">a</x:b></div>', 'invariant:txt-1', /not in the XHTML namespace/],
    ['a disallowed attribute', '<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">a</p></div>', 'invariant:txt-1', /'onclick' on <p>/],
    ['an attribute allowed on another element only', '<div xmlns="http://www.w3.org/1999/xhtml"><p href="http://x">a</p></div>', 'invariant:txt-1', /'href' on <p>/],
    ['a DOCTYPE', '<!DOCTYPE div><div xmlns="http://www.w3.org/1999/xhtml">a</div>', 'invariant:txt-1', /DOCTYPE/],
    ['a processing instruction', '<div xmlns="http://www.w3.org/1999/xhtml"><?php x ?>a</div>', 'invariant:txt-1', /processing instructions/],
    ['a block inside p', '<div xmlns="http://www.w3.org/1999/xhtml"><p><table><tr><td>a</td></tr></table></p></div>', 'invariant:txt-1', /<table> is a block element/],
    ['li outside a list', '<div xmlns="http://www.w3.org/1999/xhtml"><li>a</li></div>', 'invariant:txt-1', /<li> must be inside <ul> or <ol>/],
    ['td outside tr', '<div xmlns="http://www.w3.org/1999/xhtml"><table><td>a</td></table></div>', 'invariant:txt-1', /<td> must be inside <tr>/],
    ['a javascript: link', '<div xmlns="http://www.w3.org/1999/xhtml"><a href="javascript:alert(1)">a</a></div>', 'invariant:txt-1', /'javascript:' scheme/],
    ['no content', '<div xmlns="http://www.w3.org/1999/xhtml"> <p/> </div>', 'invariant:txt-2', /non-whitespace content/],
    ['an unknown entity', '<div xmlns="http://www.w3.org/1999/xhtml">&bogus;</div>', 'invariant:txt-1', /undefined entity/],
  ];
  for (const [name, div, rule, message] of cases) {
    test(name, () => {
      for (const run of [r4, stu3]) {
        const r = run(withDiv(div));
        const hit = r.findings.find((f) => f.rule === rule && f.path === 'Basic.text.div' && f.severity === 'error');
        assert.ok(hit, `${name}: ${JSON.stringify(all(r))}`);
        assert.match(hit.message, message);
      }
    });
  }
  test('valid narratives: HTML entities, tables, lists, images, safe links', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>a&nbsp;&copy; &amp; <b>b</b> <a href="https://x.org/a?b=1#c">l</a> <a href="#top">t</a></p>'
      + '<table class="grid"><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>'
      + '<ul><li>x</li></ul><dl><dt>t</dt><dd>d</dd></dl><img src="data:image/png;base64,AAAA" alt="i"/><span xml:lang="en" lang="en">s</span></div>';
    assert.deepEqual(errs(r4(withDiv(div))), []);
    assert.deepEqual(errs(stu3(withDiv(div))), []);
    assert.deepEqual(errs(r4(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><img src="x.png"/></div>'))), [], 'an image is content');
  });
});

describe('constraints on primitive elements run like any other', () => {
  test('eld-3 on ElementDefinition.max', () => {
    const sd = (max: string) => ({
      resourceType: 'StructureDefinition', url: 'http://x/sd', name: 'X', status: 'draft', kind: 'resource', abstract: false, type: 'Basic',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Basic', derivation: 'constraint',
      text: { status: 'generated', div: NARR }, differential: { element: [{ id: 'Basic', path: 'Basic', max }] },
    });
    assert.ok(errs(r4(sd('-1'))).includes('invariant:eld-3@StructureDefinition.differential.element[0].max'), JSON.stringify(all(r4(sd('-1')))));
    assert.ok(!errs(r4(sd('*'))).some((e) => e.startsWith('invariant:eld-3')));
    assert.ok(!errs(r4(sd('2'))).some((e) => e.startsWith('invariant:eld-3')));
  });
});

describe('invariants over choice elements', () => {
  const text = { status: 'generated', div: NARR };
  const cases: [string, 'R4' | 'STU3', Json, string | undefined][] = [
    // [name, version, resource, the one invariant error expected (undefined: none)]
    ['mad-1 holds with rateQuantity', 'R4', { resourceType: 'MedicationAdministration', text, status: 'completed', medicationCodeableConcept: { text: 'x' }, subject: { reference: 'Patient/1' }, effectiveDateTime: '2020-01-01', dosage: { rateQuantity: { value: 1 } } }, undefined],
    ['mad-1 fails without dose and rate', 'R4', { resourceType: 'MedicationAdministration', text, status: 'completed', medicationCodeableConcept: { text: 'x' }, subject: { reference: 'Patient/1' }, effectiveDateTime: '2020-01-01', dosage: { text: 'x' } }, 'invariant:mad-1@MedicationAdministration.dosage'],
    ['fhs-2 holds with ageString and estimatedAge', 'R4', { resourceType: 'FamilyMemberHistory', text, status: 'completed', patient: { reference: 'Patient/1' }, relationship: { text: 'x' }, ageString: '40', estimatedAge: true }, undefined],
    ['fhs-2 fails with estimatedAge and no age', 'R4', { resourceType: 'FamilyMemberHistory', text, status: 'completed', patient: { reference: 'Patient/1' }, relationship: { text: 'x' }, estimatedAge: true }, 'invariant:fhs-2@FamilyMemberHistory'],
    ['fhs-1 fails with ageString and bornDate', 'R4', { resourceType: 'FamilyMemberHistory', text, status: 'completed', patient: { reference: 'Patient/1' }, relationship: { text: 'x' }, ageString: '40', bornDate: '1970' }, 'invariant:fhs-1@FamilyMemberHistory'],
    ['obs-6 fails with valueString and dataAbsentReason', 'R4', { resourceType: 'Observation', text, status: 'final', code: { text: 'x' }, valueString: 'v', dataAbsentReason: { text: 'x' } }, 'invariant:obs-6@Observation'],
    ['obs-6 fails in STU3 too', 'STU3', { resourceType: 'Observation', text, status: 'final', code: { text: 'x' }, valueString: 'v', dataAbsentReason: { text: 'x' } }, 'invariant:obs-6@Observation'],
    ['STU3 eld-10 holds with valueSetUri', 'STU3', { resourceType: 'StructureDefinition', text, url: 'http://x/sd', name: 'X', status: 'draft', kind: 'resource', abstract: false, type: 'Basic', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Basic', derivation: 'constraint', differential: { element: [{ path: 'Basic.code', binding: { strength: 'required', valueSetUri: 'http://x/vs' } }] } }, undefined],
    ['eld-8 fails with fixed[x] and pattern[x]', 'R4', { resourceType: 'StructureDefinition', text, url: 'http://x/sd', name: 'X', status: 'draft', kind: 'resource', abstract: false, type: 'Basic', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Basic', derivation: 'constraint', differential: { element: [{ id: 'Basic.code', path: 'Basic.code', fixedCode: 'a', patternCode: 'a' }] } }, 'invariant:eld-8@StructureDefinition.differential.element[0]'],
    ['eld-15 fails with defaultValue[x] and meaningWhenMissing', 'R4', { resourceType: 'StructureDefinition', text, url: 'http://x/sd', name: 'X', status: 'draft', kind: 'resource', abstract: false, type: 'Basic', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Basic', derivation: 'constraint', differential: { element: [{ id: 'Basic.code', path: 'Basic.code', defaultValueString: 'a', meaningWhenMissing: 'm' }] } }, 'invariant:eld-15@StructureDefinition.differential.element[0]'],
  ];
  for (const [name, version, res, expected] of cases) {
    test(name, () => {
      const key = /[a-z]+-\d+/.exec(name)![0];
      const got = errs(version === 'R4' ? r4(res) : stu3(res)).filter((e) => e.startsWith(`invariant:${key}@`));
      assert.deepEqual(got, expected ? [expected] : []);
    });
  }
});

describe('invariants of contentReference elements', () => {
  const text = { status: 'generated', div: NARR };
  test('nested Parameters.parameter.part (inv-1)', () => {
    const res = { resourceType: 'Parameters', parameter: [{ name: 'a', part: [{ name: 'b', valueString: 'x', resource: { resourceType: 'Basic', code: { text: 'x' }, text } }, { name: 'c' }] }] };
    for (const run of [r4, stu3]) {
      const got = errs(run(res)).filter((e) => e.startsWith('invariant:'));
      assert.deepEqual(got.sort(), ['invariant:inv-1@Parameters.parameter[0].part[0]', 'invariant:inv-1@Parameters.parameter[0].part[1]']);
    }
  });
  test('nested Composition.section (cmp-1)', () => {
    const res = { resourceType: 'Composition', text, status: 'final', type: { text: 't' }, date: '2020-01-01', author: [{ display: 'a' }], title: 't', section: [{ title: 's', section: [{ title: 'empty' }] }] };
    assert.deepEqual(errs(r4(res)).filter((e) => e.startsWith('invariant:')), ['invariant:cmp-1@Composition.section[0].section[0]']);
  });
  test('nested Questionnaire.item (que-1: a group needs items)', () => {
    const res = { resourceType: 'Questionnaire', text, status: 'draft', item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'group' }] }] };
    assert.ok(errs(r4(res)).includes('invariant:que-1@Questionnaire.item[0].item[0]'), JSON.stringify(all(r4(res))));
  });
  test('STU3 ValueSet.compose.exclude (vsd-3)', () => {
    const res = { resourceType: 'ValueSet', text, status: 'draft', compose: { include: [{ system: 'http://x' }], exclude: [{ system: 'http://x', concept: [{ code: 'a' }], filter: [{ property: 'p', op: '=', value: 'v' }] }] } };
    assert.deepEqual(errs(stu3(res)).filter((e) => e.startsWith('invariant:')), ['invariant:vsd-3@ValueSet.compose.exclude[0]']);
  });
});

describe('Coding.system and Bundle rules', () => {
  const text = { status: 'generated', div: NARR };
  const obs = (system: string) => ({ resourceType: 'Observation', text, status: 'final', code: { coding: [{ system, code: 'x' }] } });
  test('Coding.system must be an absolute URI', () => {
    assert.deepEqual(errs(r4(obs('_baseUrl_/STU3/CodeSystem/X'))), ['code-system@Observation.code.coding[0].system']);
    assert.deepEqual(errs(stu3(obs('CodeSystem/X'))), ['code-system@Observation.code.coding[0].system']);
    assert.deepEqual(errs(r4(obs('http://snomed.info/sct'))), []);
    assert.deepEqual(errs(r4(obs('urn:oid:1.2.3'))), []);
  });
  test('Coding.system must not be a value set url', () => {
    const r = r4(obs('http://hl7.org/fhir/ValueSet/observation-status'));
    assert.deepEqual(errs(r), ['code-system@Observation.code.coding[0].system']);
    assert.match(r.findings.find((f) => f.rule === 'code-system')!.message, /value set, not of a code system/);
    assert.deepEqual(errs(r4(obs('http://hl7.org/fhir/observation-status'))), [], 'the code system url of the same codes');
  });
  const patient = (id: string) => ({ resourceType: 'Patient', id, text });
  const bundle = (type: string, entry: Json[]) => ({ resourceType: 'Bundle', type, entry });
  test('fullUrl is absolute and agrees with the resource id', () => {
    assert.deepEqual(errs(r4(bundle('collection', [{ fullUrl: 'Patient/1', resource: patient('1') }]))), ['bundle@Bundle.entry[0].fullUrl']);
    assert.deepEqual(errs(r4(bundle('collection', [{ fullUrl: 'https://x.org/fhir/Patient/2', resource: patient('1') }]))), ['bundle@Bundle.entry[0].fullUrl']);
    assert.deepEqual(errs(stu3(bundle('collection', [{ fullUrl: 'https://x.org/fhir/Patient/2', resource: patient('1') }]))), ['bundle@Bundle.entry[0].fullUrl']);
    assert.deepEqual(errs(r4(bundle('collection', [{ fullUrl: 'https://x.org/fhir/Patient/1', resource: patient('1') }]))), []);
    assert.deepEqual(errs(r4(bundle('collection', [{ fullUrl: 'urn:uuid:0f7c2a44-1c1e-4c59-9f3e-1f7a1c1e2b3d', resource: patient('1') }]))), []);
  });
  test('no duplicate entries (history bundles may repeat a resource)', () => {
    const dup = [{ fullUrl: 'https://x.org/fhir/Patient/1', resource: patient('1') }, { fullUrl: 'https://x.org/fhir/Patient/1', resource: patient('1') }];
    assert.ok(errs(r4(bundle('collection', dup))).includes('bundle@Bundle.entry[1]'));
    assert.ok(errs(r4(bundle('collection', [{ resource: patient('1') }, { resource: patient('1') }]))).includes('bundle@Bundle.entry[1]'));
    assert.ok(!errs(r4(bundle('history', dup.map((e) => ({ ...e, request: { method: 'PUT', url: 'Patient/1' }, response: { status: '200' } }))))).includes('bundle@Bundle.entry[1]'));
  });
  test('searchset entries carry a search mode (a warning, as the Java validator says)', () => {
    const r = r4(bundle('searchset', [{ fullUrl: 'https://x.org/fhir/Patient/1', resource: patient('1') }]));
    assert.deepEqual(r.findings.filter((f) => f.rule === 'bundle').map((f) => `${f.severity} ${f.path}`), ['warning Bundle.entry']);
    const ok = r4(bundle('searchset', [{ fullUrl: 'https://x.org/fhir/Patient/1', resource: patient('1'), search: { mode: 'match' } }]));
    assert.deepEqual(ok.findings.filter((f) => f.rule === 'bundle'), []);
  });
});

describe('slicing', () => {
  const c = (code: string, value: number) => ({ code: { coding: [{ system: 'http://loinc.org', code }] }, valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });
  const bp = (component: Json[]) => ({
    resourceType: 'Observation', meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bp'] }, text: { status: 'generated', div: NARR }, status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] }, subject: { reference: 'Patient/1' }, effectiveDateTime: '2020-01-01', component,
  });
  test('core bp profile: discriminator values come from the required coding sub-slices', () => {
    assert.deepEqual(errs(r4(bp([c('8480-6', 120), c('8462-4', 80)]))), []);
    const missing = r4(bp([c('8480-6', 120), c('1234-5', 80)]));
    assert.deepEqual(errs(missing).filter((e) => e.startsWith('slice')), ['slice@Observation.component']);
    assert.match(missing.findings.find((f) => f.rule === 'slice')!.message, /'DiastolicBP'.*found 0/);
  });
  test('a discriminator that cannot be evaluated is said once, not reported as a missing slice', async () => {
    // A profile slicing Patient.identifier by value:system whose slice fixes no system: nothing to compare with.
    const root = mkdtempSync(join(tmpdir(), 'ers-fhir-slice-'));
    const dir = join(root, 'example.slice#0.1.0', 'package');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'example.slice', version: '0.1.0', fhirVersions: ['4.0.1'] }));
    const url = 'http://example.org/fhir/StructureDefinition/undetermined';
    writeFileSync(join(dir, 'StructureDefinition-undetermined.json'), JSON.stringify({
      resourceType: 'StructureDefinition', id: 'undetermined', url, name: 'Undetermined', status: 'draft', kind: 'resource', abstract: false,
      type: 'Patient', derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
      differential: { element: [
        { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
        { id: 'Patient.identifier:local', path: 'Patient.identifier', sliceName: 'local', min: 1, max: '1' },
      ] },
    }));
    const pv = await createValidator({ onlyPackagePaths: true, packagePaths: [root] });
    const r = pv.validate({ resourceType: 'Patient', text: { status: 'generated', div: NARR }, identifier: [{ system: 'urn:x', value: '1' }, { system: 'urn:y', value: '2' }] }, { fhirVersion: 'R4', profiles: [url] });
    assert.deepEqual(errs(r), []);
    const said = r.findings.filter((f) => f.rule === 'slice-unchecked');
    assert.equal(said.length, 1);
    assert.equal(said[0]!.severity, 'information');
    assert.match(said[0]!.message, /'local'.*value:system/);
  });
});

const SHARED = resolve(REPO_ROOT, '..', 'shared');
const PACKAGES = join(SHARED, 'fhir-packages');
const SEARCH = join(SHARED, 'ers-api', 'examples', 'stu3', 'patientServiceSearch', 'requests', 'RcSearchByNamedClinician.json');
const NO_SHARED = existsSync(PACKAGES) && existsSync(SEARCH) ? false : `${PACKAGES} or the e-RS examples are absent`;

describe('operation profiles: the top-level resource gets its own, nested ones theirs', () => {
  test('A010 request: the search-criteria Parameters profile judges the nested Parameters, not the request', { skip: NO_SHARED }, async () => {
    const pv = await createValidator({ onlyPackagePaths: true, packagePaths: [PACKAGES] });
    const body = JSON.parse(readFileSync(SEARCH, 'utf8')) as Json;
    const at = (body.parameter as Json[]).findIndex((p) => p.resource);
    const opts = { fhirVersion: 'STU3' as const, operation: 'A010', direction: 'request' as const, claimedProfiles: false };
    const ok = pv.validate(body, opts);
    assert.deepEqual(ok.profiles, ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-PatientServiceSearch-Parameters-1']);
    assert.deepEqual(ok.findings.filter((f) => f.profile?.endsWith('eRS-ServiceSearchCriteria-Parameters-1')), [], 'nothing from the nested profile at the top');
    body.parameter[at].resource.parameter[0].valueCoding.code = 'NOT-A-PRIORITY';
    const bad = pv.validate(body, opts);
    const hit = bad.findings.filter((f) => f.severity === 'error' && f.profile?.endsWith('eRS-ServiceSearchCriteria-Parameters-1'));
    assert.deepEqual(hit.map((f) => `${f.rule}@${f.path}`), [`binding@Parameters.parameter[${at}].resource.parameter[0].valueCoding`]);
  });
  test('A016 request: a profile the top-level profile derives from still applies to the top level', { skip: NO_SHARED }, async () => {
    const pv = await createValidator({ onlyPackagePaths: true, packagePaths: [PACKAGES] });
    const r = pv.validate({ resourceType: 'Appointment', status: 'booked', participant: [{ status: 'accepted', actor: { display: 'x' } }] },
      { fhirVersion: 'STU3', operation: 'A016', direction: 'request', claimedProfiles: false });
    assert.deepEqual(r.profiles.map((p) => p.split('/').pop()), ['eRS-Appointment-1', 'CareConnect-Appointment-1']);
  });
});

export { all, errs, r4, stu3, NARR };
