import assert from 'node:assert/strict';
import { parameterTypes, setParameter } from '../src/ers/parameters.ts';
import { listItemReferences } from '../src/ers/read.ts';
import { buildWorklistRequest, fhirBaseOf } from '../src/ers/requests.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// A008 Retrieve referral worklist.

Given('a worklist request for the {word} list', function (this: ErsWorld, listType: string) {
  this.drafts.set('worklist request', { body: buildWorklistRequest({ listType }, fhirBaseOf(this.run.target.baseUrl)), kind: 'worklist' });
});

// Specialty and clinician filters need their "assigned" indicator; service and location stand alone.
Given('the worklist request is filtered by {word}', function (this: ErsWorld, filter: string) {
  const { body } = this.draft('worklist request');
  const types = parameterTypes(fhirBaseOf(this.run.target.baseUrl)).worklist;
  const indicator = ({ specialty: 'specialtyAssignedIndicator', clinician: 'clinicianAssignedIndicator' } as Record<string, string>)[filter];
  if (indicator) setParameter(body, indicator, 'ASSIGNED', types);
  setParameter(body, filter, this.fixture<string>(`worklist.${filter}`), types);
});

When('the caller fetches the worklist', async function (this: ErsWorld) {
  await this.call('A008', { body: this.draft('worklist request').body });
});

When('the caller fetches the {word} worklist', async function (this: ErsWorld, listType: string) {
  await this.call('A008', { body: buildWorklistRequest({ listType }, fhirBaseOf(this.run.target.baseUrl)) });
});

Then('the worklist includes the {string} referral', function (this: ErsWorld, which: string) {
  assertListed(this, this.fixture<string>(`referrals.${which}`), which, true);
});

Then('the worklist does not include the {string} referral', function (this: ErsWorld, which: string) {
  assertListed(this, this.fixture<string>(`referrals.${which}`), which, false);
});

Then('the worklist includes the referral just created', function (this: ErsWorld) {
  const created = this.named.get('createdReferral') as { id?: string } | undefined;
  assert.ok(created?.id, 'no referral was created earlier in this scenario');
  assertListed(this, created.id, 'just created', true);
});

function assertListed(world: ErsWorld, ubrn: string, label: string, expected: boolean): void {
  const refs = listItemReferences(world.response.body.json);
  const listed = refs.some((r) => r === ubrn || r.split('/').includes(ubrn));
  assert.equal(listed, expected, `referral ${ubrn} (${label}) ${expected ? 'is not' : 'should not be'} on the worklist: [${refs.join(', ')}]`);
}
