// Runs the mutation table (test/fhir/mutation-cases.ts): each invalid resource yields exactly the expected rule at the expected path.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createValidator, type Validator } from '../../src/fhir/index.ts';
import { conformingTestPatient, MUTATIONS, r4Patient, stu3Referral, TEST_BUNDLE_PROFILE, TEST_PROFILE, writeTestPackage } from './mutation-cases.ts';

describe('validator mutation table', () => {
  let v: Validator;
  before(async () => {
    v = await createValidator({ onlyPackagePaths: true, packagePaths: [writeTestPackage()] });
  });

  test('the valid baselines have no errors', () => {
    for (const [version, r] of [['STU3', stu3Referral()], ['R4', r4Patient()]] as const) {
      const res = v.validate(r, { fhirVersion: version });
      assert.equal(res.errors, 0, JSON.stringify(res.findings));
    }
    const p = v.validate(r4Patient({ gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }] }),
      { fhirVersion: 'R4', profiles: [TEST_PROFILE] });
    assert.equal(p.errors + p.warnings, 0, JSON.stringify(p.findings));
    const b = v.validate({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: conformingTestPatient() }] },
      { fhirVersion: 'R4', profiles: [TEST_BUNDLE_PROFILE] });
    assert.equal(b.errors + b.warnings, 0, JSON.stringify(b.findings));
  });

  for (const c of MUTATIONS) {
    test(`${c.version}: ${c.name} -> ${c.rule} at ${c.path}`, () => {
      const opts: Parameters<Validator['validate']>[1] = { fhirVersion: c.version };
      if (c.profiles) opts.profiles = c.profiles;
      const res = v.validate(c.resource, opts);
      const hit = res.findings.find((f) => f.rule === c.rule && f.path === c.path);
      assert.ok(hit, `expected ${c.rule} at ${c.path}; got ${JSON.stringify(res.findings.map((f) => `${f.rule}@${f.path}`))}`);
      if (c.rule === 'profile-unavailable') assert.equal(hit.severity, 'warning');
      else assert.equal(hit.severity, c.severity ?? 'error');
      if (c.rule === 'binding-unchecked') {
        assert.equal(res.findings.filter((f) => f.rule === c.rule && f.message === hit.message).length, 1, 'reported once per value set');
      }
    });
  }

  test('auto version detection picks STU3 for ReferralRequest and R4 for ServiceRequest', () => {
    assert.equal(v.validate(stu3Referral(), { fhirVersion: 'auto' }).fhirVersion, 'STU3');
    assert.equal(v.validate({ resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' } }, { fhirVersion: 'auto' }).fhirVersion, 'R4');
  });

  test('bad input never throws', () => {
    for (const bad of [null, 42, 'x', [], {}, { resourceType: 'NoSuchThing' }]) {
      const r = v.validate(bad, { fhirVersion: 'R4' });
      assert.ok(r.errors > 0);
    }
  });
});
