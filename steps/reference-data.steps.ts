import assert from 'node:assert/strict';
import { asArray, asObject, concepts } from '../src/ers/read.ts';
import { Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// A004 Retrieve reference data.

When('the caller retrieves the {word} code system', async function (this: ErsWorld, type: string) {
  await this.call('A004', { params: { codeSystemType: type } });
});

When('the caller retrieves the code system named by intent {string}', async function (this: ErsWorld, intent: string) {
  await this.call('A004', { params: { codeSystemType: this.fixture<string>(intent) } });
});

Then('the CodeSystem is the {word} reference set at this target', function (this: ErsWorld, type: string) {
  const cs = asObject(this.response.body.json);
  assert.ok(cs, 'no CodeSystem body');
  const url = String(cs.url ?? '');
  assert.ok(url.endsWith(`/STU3/CodeSystem/${type}`), `CodeSystem.url "${url}" does not end with /STU3/CodeSystem/${type}`);
});

Then('the CodeSystem has at least one concept', function (this: ErsWorld) {
  assert.ok(concepts(this.response.body.json).length > 0, 'the CodeSystem has no concepts');
});

Then('every concept carries the property {string}', function (this: ErsWorld, property: string) {
  const missing = concepts(this.response.body.json).filter((c) => !asArray(c.property).some((p) => asObject(p)?.code === property));
  assert.equal(missing.length, 0, `concepts without ${property}: ${missing.map((c) => c.code).join(', ')}`);
});
