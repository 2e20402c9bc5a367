import assert from 'node:assert/strict';
import { getParameter, parameterTypes, setParameter, type Parameters } from '../src/ers/parameters.ts';
import { listItemReferences } from '../src/ers/read.ts';
import { buildWorklistRequest, fhirBaseOf } from '../src/ers/requests.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';

// A008 Retrieve referral worklist.

type Table = { hashes(): { parameter: string; value: string }[] };

Given('a worklist request for the {word} list', function (this: ErsWorld, listType: string) {
  this.named.set('worklistDraft', buildWorklistRequest({ listType }, fhirBaseOf(this.run.target.baseUrl)));
});

Given('the worklist request parameters are changed:', function (this: ErsWorld, table: Table) {
  const types = parameterTypes(fhirBaseOf(this.run.target.baseUrl)).worklist;
  for (const row of table.hashes()) setParameter(draft(this), row.parameter, resolveValue(this, row.value), types);
});

Given('the worklist request parameter {string} holds a list instead of a single value', function (this: ErsWorld, name: string) {
  const p = getParameter(draft(this), name);
  assert.ok(p, `internal: the worklist request has no ${name} parameter to reshape`);
  const key = Object.keys(p).find((k) => k.startsWith('value'))!;
  p[key] = [p[key]];
});

When('the caller fetches the worklist', async function (this: ErsWorld) {
  await this.call('A008', { body: draft(this) });
});

When('the caller fetches the {word} worklist', async function (this: ErsWorld, listType: string) {
  await this.call('A008', { body: buildWorklistRequest({ listType }, fhirBaseOf(this.run.target.baseUrl)) });
});

Then('the worklist includes the {string} referral', function (this: ErsWorld, which: string) {
  const ubrn = this.fixture<string>(`referrals.${which}`);
  const refs = listItemReferences(this.response.body.json);
  assert.ok(refs.some((r) => r.endsWith(ubrn) || r.includes(`/${ubrn}/`) || r.includes(`ReferralRequest/${ubrn}`)), `referral ${ubrn} (${which}) is not on the worklist: [${refs.join(', ')}]`);
});

Then('the worklist does not include the {string} referral', function (this: ErsWorld, which: string) {
  const ubrn = this.fixture<string>(`referrals.${which}`);
  const refs = listItemReferences(this.response.body.json);
  assert.ok(!refs.some((r) => r.includes(ubrn)), `referral ${ubrn} (${which}) should not be on this worklist`);
});

Then('the worklist includes the referral just created', function (this: ErsWorld) {
  const created = this.named.get('createdReferral') as { id?: string } | undefined;
  assert.ok(created?.id, 'no referral was created earlier in this scenario');
  const refs = listItemReferences(this.response.body.json);
  assert.ok(refs.some((r) => r.includes(created.id!)), `new referral ${created.id} is not on the worklist: [${refs.join(', ')}]`);
});

function draft(world: ErsWorld): Parameters {
  const d = world.named.get('worklistDraft') as Parameters | undefined;
  assert.ok(d, 'internal: no worklist request drafted; start with "a worklist request for the ... list"');
  return d;
}
