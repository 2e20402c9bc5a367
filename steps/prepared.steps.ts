import assert from 'node:assert/strict';
import { attachment } from 'allure-js-commons';
import { header } from '../src/http/exchange.ts';
import { listedServiceIds } from '../src/ers/read.ts';
import { preparedRequest } from '../src/targets/prepared.ts';
import { Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// Whole documented requests by intent (requests.<operation>.<name>). This is how a scenario runs against the NHS
// sandbox, which answers only bodies deep-equal to its own examples; the simulator has equivalent bodies of its own.

When('the caller sends the prepared {string} {operation} request', async function (this: ErsWorld, name: string, operation: string) {
  const prepared = preparedRequest(this.run.target.fixtures, `requests.${operation}.${name}`);
  await attachment('Prepared request body from', prepared.source, 'text/plain');
  this.named.set('preparedBody', prepared.body);
  await this.call(operation, { body: prepared.body });
});

Then('the created referral shortlists the services in the prepared request', function (this: ErsWorld) {
  const sent = this.named.get('preparedBody') as { parameter?: { name?: string; resource?: unknown }[] } | undefined;
  const shortlist = sent?.parameter?.find((p) => p.name === 'shortlist')?.resource;
  assert.ok(shortlist, 'internal: the prepared request has no shortlist parameter');
  const body = this.response.body.json as { contained?: { resourceType?: string }[] };
  const list = body.contained?.find((c) => c.resourceType === 'List');
  assert.ok(list, 'the referral has no contained shortlist List');
  assert.deepEqual(listedServiceIds(list), listedServiceIds(shortlist), 'shortlisted services');
});

Then('the response carries a weak ETag', function (this: ErsWorld) {
  const etag = header(this.response.headers, 'ETag');
  assert.match(etag ?? '(none)', /^W\/"\d+"$/, `expected a weak ETag W/"n", got ${etag ?? 'no ETag header'}`);
});
