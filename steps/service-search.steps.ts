import assert from 'node:assert/strict';
import { listedServiceIds } from '../src/ers/read.ts';
import { buildSearchCriteria, buildServiceSearch, fhirBaseOf } from '../src/ers/requests.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// A010 Patient service search. A scenario prepares a search from intents, changes what it needs
// (steps/requests.steps.ts) to provoke one documented outcome, then submits it.

Given('a service search for the {string} patient', function (this: ErsWorld, patient: string) {
  newSearch(this, patient, 'search.criteria', 'APPOINTMENT_REQUEST');
});

Given('an advice and guidance service search for the {string} patient', function (this: ErsWorld, patient: string) {
  newSearch(this, patient, 'search.adviceCriteria', 'ADVICE_AND_GUIDANCE_REQUEST');
});

When('the caller submits the service search', async function (this: ErsWorld) {
  await submitSearch(this);
});

Given('the caller has searched for services for the {string} patient', async function (this: ErsWorld, patient: string) {
  await this.prepare(`searching for services for the ${patient} patient`, async () => {
    newSearch(this, patient, 'search.criteria', 'APPOINTMENT_REQUEST');
    const ex = await submitSearch(this);
    assert.equal(ex.response?.status, 200, `the service search this scenario needs failed: ${ex.response?.status ?? ex.error?.kind} ${ex.response?.body.text.slice(0, 300) ?? ''}`);
  });
});

Then('the search results include the {string} service', function (this: ErsWorld, which: string) {
  const id = this.fixture<string>(`services.${which}`);
  const found = listedServiceIds(this.response.body.json);
  assert.ok(found.includes(id), `service ${id} (${which}) is not among the results [${found.join(', ')}]`);
});

Then('the search results do not include the {string} service', function (this: ErsWorld, which: string) {
  const id = this.fixture<string>(`services.${which}`);
  assert.ok(!listedServiceIds(this.response.body.json).includes(id), `service ${id} (${which}) should not be returned`);
});

Then('the search results list at least {int} service(s)', function (this: ErsWorld, n: number) {
  const found = listedServiceIds(this.response.body.json);
  assert.ok(found.length >= n, `expected at least ${n} services, got ${found.length}`);
});

function newSearch(world: ErsWorld, patient: string, criteriaIntent: string, requestType: string): void {
  const base = fhirBaseOf(world.run.target.baseUrl);
  const criteria = buildSearchCriteria({ ...world.fixture<Record<string, string>>(criteriaIntent) }, base);
  const isRca = world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN';
  const search = buildServiceSearch(
    {
      patient: world.fixture<string>(`patients.${patient}`),
      criteria,
      requestType,
      referringClinician: isRca ? world.fixture<string>('search.referringClinician.valid') : undefined,
    },
    base,
  );
  world.drafts.set('search request', { body: search, kind: 'serviceSearch' });
  world.drafts.set('search criteria', { body: criteria, kind: 'searchCriteria' });
}

async function submitSearch(world: ErsWorld) {
  const ex = await world.call('A010', { body: world.draft('search request').body });
  if (ex.response?.status === 200) world.named.set('servicesFound', listedServiceIds(ex.response.body.json));
  return ex;
}

