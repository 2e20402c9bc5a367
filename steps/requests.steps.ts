import assert from 'node:assert/strict';
import { getParameter, parameterTypes, setParameter } from '../src/ers/parameters.ts';
import { fhirBaseOf } from '../src/ers/requests.ts';
import { Given } from '../support/steps-api.ts';
import { resolveValue, type DraftName, type ErsWorld } from '../support/world.ts';

// Changing a request a scenario is preparing, whatever the operation: this is how each documented
// error is provoked from an otherwise valid request.

type Table = { hashes(): { parameter: string; value: string }[] };

Given('the {draft} (parameters )are changed:', function (this: ErsWorld, name: DraftName, table: Table) {
  const { body, kind } = this.draft(name);
  const types = parameterTypes(fhirBaseOf(this.run.target.baseUrl))[kind];
  for (const row of table.hashes()) setParameter(body, row.parameter, resolveValue(this, row.value), types);
});

Given('the {draft} parameter {string} holds a list instead of a single value', function (this: ErsWorld, name: DraftName, parameter: string) {
  const p = getParameter(this.draft(name).body, parameter);
  assert.ok(p, `internal: the ${name} has no ${parameter} parameter to reshape`);
  const key = Object.keys(p).find((k) => k.startsWith('value') || k === 'resource')!;
  p[key] = [p[key]];
});
