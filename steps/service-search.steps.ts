import assert from 'node:assert/strict';
import { getParameter, parameterTypes, setParameter, type Parameters } from '../src/ers/parameters.ts';
import { listedServiceIds } from '../src/ers/read.ts';
import { buildSearchCriteria, buildServiceSearch, fhirBaseOf } from '../src/ers/requests.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';

// A010 Patient service search. A scenario drafts a search from intents, changes what it needs to
// provoke one documented outcome, then submits it.

type Table = { hashes(): { parameter: string; value: string }[] };

Given('a service search for the {string} patient', function (this: ErsWorld, patient: string) {
  newSearch(this, patient, 'search.criteria', 'APPOINTMENT_REQUEST');
});

Given('an advice and guidance service search for the {string} patient', function (this: ErsWorld, patient: string) {
  newSearch(this, patient, 'search.adviceCriteria', 'ADVICE_AND_GUIDANCE_REQUEST');
});

Given('the search criteria are changed:', function (this: ErsWorld, table: Table) {
  const criteria = criteriaOf(draftSearch(this));
  const types = parameterTypes(fhirBaseOf(this.run.target.baseUrl)).searchCriteria;
  for (const row of table.hashes()) setParameter(criteria, row.parameter, resolveValue(this, row.value), types);
});

Given('the search request parameters are changed:', function (this: ErsWorld, table: Table) {
  const search = draftSearch(this);
  const types = parameterTypes(fhirBaseOf(this.run.target.baseUrl)).serviceSearch;
  for (const row of table.hashes()) setParameter(search, row.parameter, resolveValue(this, row.value), types);
});

Given('the search request parameter {string} holds a list instead of a single value', function (this: ErsWorld, name: string) {
  const p = getParameter(draftSearch(this), name);
  assert.ok(p, `internal: the search has no ${name} parameter to reshape`);
  const key = Object.keys(p).find((k) => k.startsWith('value'))!;
  p[key] = [p[key]];
});

When('the caller submits the service search', async function (this: ErsWorld) {
  await submitSearch(this);
});

Given('the caller has searched for services for the {string} patient', async function (this: ErsWorld, patient: string) {
  newSearch(this, patient, 'search.criteria', 'APPOINTMENT_REQUEST');
  const ex = await submitSearch(this);
  assert.equal(ex.response?.status, 200, `the service search needed by this scenario failed: ${ex.response?.status ?? ex.error?.kind} ${ex.response?.body.text.slice(0, 300) ?? ''}`);
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

Then('the search results are empty', function (this: ErsWorld) {
  const found = listedServiceIds(this.response.body.json);
  assert.equal(found.length, 0, `expected no services, got [${found.join(', ')}]`);
});

Then('the search results list at least {int} service(s)', function (this: ErsWorld, n: number) {
  const found = listedServiceIds(this.response.body.json);
  assert.ok(found.length >= n, `expected at least ${n} services, got ${found.length}`);
});

// --- shared with the referral steps ---------------------------------------------------------------

export function draftSearch(world: ErsWorld, required = true): Parameters {
  const d = world.named.get('searchDraft') as Parameters | undefined;
  if (required) assert.ok(d, 'internal: no service search drafted; start with "a service search for the ... patient"');
  return d as Parameters;
}

/** The criteria of the last search made (or drafted): a referral's shortlist must carry the same. */
export function lastSearchCriteria(world: ErsWorld): Parameters {
  return criteriaOf(draftSearch(world));
}

function criteriaOf(search: Parameters): Parameters {
  const criteria = getParameter(search, 'searchCriteria')?.resource as Parameters | undefined;
  assert.ok(criteria, 'internal: the search draft has no searchCriteria');
  return criteria;
}

function newSearch(world: ErsWorld, patient: string, criteriaIntent: string, requestType: string): void {
  const base = fhirBaseOf(world.run.target.baseUrl);
  const criteriaValues = world.fixture<Record<string, string>>(criteriaIntent);
  const isRca = world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN';
  world.named.set(
    'searchDraft',
    buildServiceSearch(
      {
        patient: world.fixture<string>(`patients.${patient}`),
        criteria: buildSearchCriteria({ ...criteriaValues }, base),
        requestType,
        referringClinician: isRca ? world.fixture<string>('search.referringClinician.valid') : undefined,
      },
      base,
    ),
  );
}

async function submitSearch(world: ErsWorld) {
  const ex = await world.call('A010', { body: draftSearch(world) });
  if (ex.response?.status === 200) world.named.set('servicesFound', listedServiceIds(ex.response.body.json));
  return ex;
}
