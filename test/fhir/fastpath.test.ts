// The invariant fast path (src/fhir/fastpath.ts) must give exactly fhirpath.js's answer: every fast-path result is
// cross-checked against fhirpath.js on hand-made edge cases, on every e-RS example, and on seeded random mutations
// of the examples (deleted keys, nulls, arrays, extension-only primitives, two choice values, wrong JSON types).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadCore, REPO_ROOT } from '../../src/fhir/definitions.ts';
import { FastPathCompiler } from '../../src/fhir/fastpath.ts';
import { createValidator } from '../../src/fhir/index.ts';
import { InvariantEngine } from '../../src/fhir/invariants.ts';
import { VersionModel } from '../../src/fhir/model.ts';
import type { CConstraint, FhirVersion } from '../../src/fhir/types.ts';

type Json = Record<string, any>;
const SHARED = resolve(REPO_ROOT, '..', 'shared');
const EXAMPLES = join(SHARED, 'ers-api', 'examples');
const SKIP = existsSync(join(EXAMPLES, 'INDEX.json')) ? false : `${EXAMPLES}/INDEX.json is absent`;

const engines = new Map<FhirVersion, { model: VersionModel; engine: InvariantEngine }>();
function engineFor(version: FhirVersion) {
  let e = engines.get(version);
  if (!e) {
    const model = new VersionModel(loadCore(version));
    e = { model, engine: new InvariantEngine(version, model) };
    e.engine.crossCheck = true;
    engines.set(version, e);
  }
  return e;
}

const c = (key: string, expression: string): CConstraint => ({ key, severity: 'error', human: key, expression });

describe('invariant fast path', () => {
  test('compiles the frequent e-RS invariants and refuses what it does not mirror', () => {
    const stu3 = new FastPathCompiler(engineFor('STU3').model);
    const r4 = new FastPathCompiler(engineFor('R4').model);
    assert.ok(stu3.compile('Parameters.parameter', '(part.exists() and value.empty() and resource.empty()) or (part.empty() and (value.exists() xor resource.exists()))'));
    assert.ok(stu3.compile('List', "mode = 'changes' or entry.deleted.empty()"));
    assert.ok(stu3.compile('Appointment', "(start.exists() and end.exists()) or (status in ('proposed' | 'cancelled'))"));
    assert.ok(stu3.compile('Bundle.entry', "fullUrl.contains('/_history/').not()"));
    assert.ok(r4.compile('Bundle', "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))"));
    assert.ok(r4.compile('Bundle', "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()"));
    assert.ok(r4.compile('Bundle', "type = 'document' implies entry.first().resource.is(Composition)"));
    // Outside the subset: date comparison, resolve(), descendants(), a leading type name, escapes.
    assert.equal(stu3.compile('Task', 'lastModified.exists().not() or authoredOn.exists().not() or lastModified >= authoredOn'), undefined);
    assert.ok(stu3.compile('CommunicationRequest.requester', '(agent.resolve() is Practitioner) or (agent.resolve() is Device) or onBehalfOf.exists().not()'));
    assert.ok(stu3.compile('CodeSystem', '(concept.code | descendants().concept.code).isDistinct()'));
    assert.equal(stu3.compile('CodeSystem', '(concept.code | concept.where(a).code).isDistinct()'), undefined);
    assert.equal(stu3.compile('CommunicationRequest.requester', 'agent.resolve() is FHIR.Practitioner'), undefined);
    assert.equal(stu3.compile('List', "List.mode = 'changes'"), undefined);
    assert.equal(stu3.compile('List', "mode = 'it\\'s'"), undefined);
    assert.equal(stu3.compile('NoSuchType', 'a.exists()'), undefined);
  });

  test('agrees with fhirpath.js on edge cases (empty, null, extension-only, arrays, two choices, wrong types)', () => {
    const { engine } = engineFor('STU3');
    const inv1 = c('inv-1', '(part.exists() and value.empty() and resource.empty()) or (part.empty() and (value.exists() xor resource.exists()))');
    const lst2 = c('lst-2', "mode = 'changes' or entry.deleted.empty()");
    const app3 = c('app-3', "(start.exists() and end.exists()) or (status in ('proposed' | 'cancelled'))");
    const bdl8 = c('bdl-8', "fullUrl.contains('/_history/').not()");
    const cmr1 = c('cmr-1', '(agent.resolve() is Practitioner) or (agent.resolve() is Device) or onBehalfOf.exists().not()');
    const csd1 = c('csd-1', '(concept.code | descendants().concept.code).isDistinct()');
    const cr = (requester: Json, contained: Json[] = [{ resourceType: 'Practitioner', id: 'p' }]) => ({ resourceType: 'CommunicationRequest', contained, requester });
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Device', id: 'd' } }] };
    const cases: [CConstraint, string, Json, Json?][] = [
      [cmr1, 'CommunicationRequest.requester', { agent: { reference: '#p' }, onBehalfOf: { reference: 'Organization/1' } }, cr({})],
      [cmr1, 'CommunicationRequest.requester', { agent: { reference: '#p' } }, cr({})],
      [cmr1, 'CommunicationRequest.requester', { agent: { reference: '#nope' }, onBehalfOf: { reference: 'Organization/1' } }, cr({})],
      [cmr1, 'CommunicationRequest.requester', { agent: [{ reference: '#p' }, { reference: '#p' }], onBehalfOf: { reference: 'O/1' } }, cr({})],
      [cmr1, 'CommunicationRequest.requester', { agent: { reference: 'urn:uuid:1' }, onBehalfOf: { reference: 'O/1' } }, bundle],
      [cmr1, 'CommunicationRequest.requester', { agent: { display: 'x' }, onBehalfOf: { reference: 'O/1' } }, cr({})],
      [csd1, 'CodeSystem', { concept: [{ code: 'a' }, { code: 'a', concept: [{ code: 'a' }] }] }],
      [csd1, 'CodeSystem', { concept: [{ code: 'a' }, { code: 'b' }] }],
      [inv1, 'Parameters.parameter', { name: 'a' }],
      [inv1, 'Parameters.parameter', { name: 'a', valueString: 'x' }],
      [inv1, 'Parameters.parameter', { name: 'a', _valueString: { extension: [{ url: 'u', valueString: 'e' }] } }],
      [inv1, 'Parameters.parameter', { name: 'a', valueString: 'x', resource: { resourceType: 'Patient' } }],
      [inv1, 'Parameters.parameter', { name: 'a', valueString: 'x', valueBoolean: true }],
      [inv1, 'Parameters.parameter', { name: 'a', part: [{ name: 'b', valueString: 'x' }] }],
      [inv1, 'Parameters.parameter', { name: 'a', part: [], valueString: 'x' }],
      [inv1, 'Parameters.parameter', { name: 'a', part: [null], valueString: 'x' }],
      [inv1, 'Parameters.parameter', { name: 'a', valueString: null }],
      [lst2, 'List', { mode: 'changes', entry: [{ deleted: true, item: {} }] }],
      [lst2, 'List', { mode: 'working', entry: [{ deleted: true, item: {} }] }],
      [lst2, 'List', { mode: 'working', entry: [{ item: {} }] }],
      [lst2, 'List', { _mode: { extension: [] }, entry: [{ deleted: false }] }],
      [lst2, 'List', { mode: ['changes', 'x'], entry: [{ deleted: true }] }],
      [lst2, 'List', { mode: 7, entry: [{ deleted: true }] }],
      [app3, 'Appointment', { status: 'booked' }],
      [app3, 'Appointment', { status: 'cancelled' }],
      [app3, 'Appointment', { status: 'booked', start: 'x', end: 'y' }],
      [app3, 'Appointment', { _status: {} }],
      [app3, 'Appointment', { status: ['proposed', 'cancelled'] }],
      [bdl8, 'Bundle.entry', { fullUrl: 'http://x/Patient/1/_history/2' }],
      [bdl8, 'Bundle.entry', { fullUrl: 'urn:uuid:1' }],
      [bdl8, 'Bundle.entry', { fullUrl: true }],
      [bdl8, 'Bundle.entry', {}],
    ];
    for (const [con, base, node, root] of cases) engine.check(con, node, base, { resource: root ?? node, root: root ?? node }, false);
    assert.deepEqual(engine.mismatches, []);
    assert.ok(engine.stats.fast >= 15, `fast path used ${engine.stats.fast} times`);
  });

  test('agrees with fhirpath.js on every e-RS example and on seeded mutations of them', { skip: SKIP }, async () => {
    const v = await createValidator({ onlyPackagePaths: true, packagePaths: [join(SHARED, 'fhir-packages')], crossCheckFhirpath: true });
    const index = JSON.parse(readFileSync(join(EXAMPLES, 'INDEX.json'), 'utf8')) as { files: { file: string; fhirVersion: string | null }[] };
    const files = index.files.filter((f) => f.file.endsWith('.json'));
    let seed = 20240611;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <X>(a: X[]): X => a[Math.floor(rnd() * a.length)]!;
    const values: unknown[] = [null, [], [null], '', 'changes', 'batch', 'searchset', 'document', 'proposed', 'x/_history/1', true, false, 1, {}, { url: 'u' }, ['a', 'b']];
    const keys = ['part', 'value', 'valueString', 'valueBoolean', 'resource', 'mode', '_mode', 'entry', 'deleted', 'fullUrl', '_fullUrl', 'request',
      'response', 'search', 'type', 'total', 'start', 'end', 'status', '_status', 'identifier', 'timestamp'];
    const objects = (n: unknown, out: Json[] = []): Json[] => {
      if (Array.isArray(n)) for (const x of n) objects(x, out);
      else if (n && typeof n === 'object') {
        out.push(n as Json);
        for (const k in n as Json) objects((n as Json)[k], out);
      }
      return out;
    };
    for (let round = 0; round < 4; round++) {
      for (const f of files) {
        const body = JSON.parse(readFileSync(join(EXAMPLES, f.file), 'utf8')) as Json;
        const version: FhirVersion = f.fhirVersion?.startsWith('3') ? 'STU3' : 'R4';
        if (round > 0) {
          const objs = objects(body);
          for (let m = 0; m < 3; m++) {
            const o = pick(objs);
            const ks = Object.keys(o);
            const r = rnd();
            if (r < 0.3 && ks.length) delete o[pick(ks)];
            else if (r < 0.6) o[pick(keys)] = structuredClone(pick(values));
            else if (r < 0.8 && ks.length) {
              const k = pick(ks);
              o[k] = Array.isArray(o[k]) ? o[k][0] : [o[k]];
            } else if (ks.length) o[pick(ks)] = structuredClone(pick(values));
          }
        }
        v.validate(body, { fhirVersion: version });
      }
    }
    assert.deepEqual(v.diagnostics().filter((d) => d.includes('fast-path')), []);
    const stats = v.invariantStats();
    assert.ok(stats.STU3!.fast > stats.STU3!.fhirpath * 10, JSON.stringify(stats));
    assert.ok(stats.R4!.fast > stats.R4!.fhirpath * 10, JSON.stringify(stats));
  });
});
