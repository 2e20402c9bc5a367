import assert from 'node:assert/strict';
import { header } from '../src/http/exchange.ts';
import { buildCreateReferral, buildShortlist, fhirBaseOf } from '../src/ers/requests.ts';
import { listedServiceIds, referralState, versionId } from '../src/ers/read.ts';
import type { Parameters } from '../src/ers/parameters.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';
import { searchReferringClinician } from '../support/scenario-state.ts';

// A005 Retrieve referral request (and its _history read) and A011 Create referral.

When('the caller retrieves the {string} referral', async function (this: ErsWorld, which: string) {
  await this.call('A005', { params: { ubrn: this.fixture<string>(`referrals.${which}`) } });
});

When('the caller retrieves the current version of the {string} referral by its _history URL', async function (this: ErsWorld, which: string) {
  const ubrn = this.fixture<string>(`referrals.${which}`);
  const current = await readVersion(this, ubrn);
  await this.call('A005-versioned', { params: { ubrn, version: current } });
});

When('the caller retrieves an earlier version of the {string} referral by its _history URL', async function (this: ErsWorld, which: string) {
  const ubrn = this.fixture<string>(`referrals.${which}`);
  const current = Number(await readVersion(this, ubrn));
  assert.ok(current > 1, `internal: referral ${which} is at version ${current}; the fixture must name a referral that has been updated`);
  await this.call('A005-versioned', { params: { ubrn, version: String(current - 1) } });
});

When('the caller retrieves the referral just created', async function (this: ErsWorld) {
  await this.call('A005', { params: { ubrn: createdUbrn(this) } });
});

Then('the response is the requested referral', function (this: ErsWorld) {
  const body = this.response.body.json as { id?: string };
  const requested = decodeURIComponent(new URL(this.lastExchange.request.url).pathname.split('/ReferralRequest/')[1]!.split('/')[0]!);
  assert.equal(body.id, requested, `asked for UBRN ${requested}, got ReferralRequest.id ${body.id}`);
});

Then('the referral is in state {word}', function (this: ErsWorld, state: string) {
  assert.equal(referralState(this.response.body.json), state, 'Extension-eRS-ReferralState-1 state');
});

// --- A011 ---------------------------------------------------------------------------------------

Given('a new referral for the {string} patient shortlisting the first {int} service(s) found', function (this: ErsWorld, patient: string, n: number) {
  const found = this.named.get('servicesFound') as string[] | undefined;
  assert.ok(found, 'internal: "a new referral" needs a service search earlier in the scenario');
  assert.ok(found.length >= n, `the search found ${found.length} services; the scenario needs ${n}`);
  draftReferral(this, patient, found.slice(0, n));
});

Given('the shortlist also lists the {string} service', function (this: ErsWorld, which: string) {
  shortlistIds(this).push(this.fixture<string>(`services.${which}`));
});

Given('the shortlist lists its first service twice', function (this: ErsWorld) {
  const ids = shortlistIds(this);
  ids.push(ids[0]!);
});

Given('the shortlist is padded to {int} services', function (this: ErsWorld, n: number) {
  const ids = shortlistIds(this);
  const pool = (this.named.get('servicesFound') as string[] | undefined) ?? [];
  for (let i = 0; ids.length < n; i++) ids.push(pool[i] && !ids.includes(pool[i]!) ? pool[i]! : `9${String(i).padStart(5, '0')}`);
});

When('the caller creates the referral', async function (this: ErsWorld) {
  const ex = await this.call('A011', { body: draft(this) });
  if (ex.response?.status === 201) this.named.set('createdReferral', ex.response.body.json);
});

Then('a referral is created in state NOT_BOOKED at version {int}', function (this: ErsWorld, version: number) {
  const r = this.response;
  assert.equal(r.status, 201, `expected 201 Created, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  assert.equal(referralState(r.body.json), 'NOT_BOOKED', 'new referral state');
  assert.equal(versionId(r.body.json), String(version), 'new referral meta.versionId');
  assert.match(String((r.body.json as { id?: string }).id), /^\d{12}$/, 'a UBRN is 12 digits');
});

Then('the created referral shortlists the services requested', function (this: ErsWorld) {
  const body = this.response.body.json as { contained?: { resourceType?: string; entry?: unknown[] }[] };
  const list = body.contained?.find((c) => c.resourceType === 'List');
  assert.ok(list, 'the referral has no contained shortlist List');
  assert.deepEqual(listedServiceIds(list), shortlistIds(this), 'shortlisted services');
});

Then('reading it back returns the same referral at the same version', async function (this: ErsWorld) {
  const created = this.named.get('createdReferral') as { id: string; meta?: { versionId?: string } } | undefined;
  assert.ok(created, 'no referral was created');
  const ex = await this.call('A005', { params: { ubrn: created.id } });
  assert.equal(ex.response?.status, 200, `reading back ${created.id} gave ${ex.response?.status ?? ex.error?.kind}`);
  assert.equal(versionId(ex.response!.body.json), created.meta?.versionId, 'version read back');
  assert.equal(header(ex.response!.headers, 'ETag'), `W/"${created.meta?.versionId}"`, 'ETag read back');
});

// --- helpers --------------------------------------------------------------------------------------

/** A011 body shortlisting services from the search just made, with the very criteria it used. */
function draftReferral(world: ErsWorld, patient: string, serviceIds: string[]): void {
  const ids = [...serviceIds];
  const shortlist = buildShortlist(world.draft('search criteria').body, ids) as { contained: Parameters[] };
  world.named.set('shortlistIds', ids);
  const body = buildCreateReferral(
    { patient: world.fixture<string>(`patients.${patient}`), shortlist, referringClinician: searchReferringClinician(world) },
    fhirBaseOf(world.run.target.baseUrl),
  );
  world.drafts.set('referral request', { body, kind: 'createReferral' });
  world.drafts.set('shortlist search criteria', { body: shortlist.contained[0]!, kind: 'searchCriteria' });
}

function draft(world: ErsWorld): Parameters {
  const { body } = world.draft('referral request');
  // The shortlist entries follow shortlistIds, which steps may have changed since the draft was made.
  const shortlist = body.parameter.find((p) => p.name === 'shortlist')?.resource as { entry?: unknown[] } | undefined;
  if (shortlist) shortlist.entry = shortlistIds(world).map((id) => ({ item: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: id } } }));
  return body;
}

function shortlistIds(world: ErsWorld): string[] {
  const ids = world.named.get('shortlistIds') as string[] | undefined;
  assert.ok(ids, 'internal: no shortlist yet; start with "a new referral for the ... patient"');
  return ids;
}

function createdUbrn(world: ErsWorld): string {
  const created = world.named.get('createdReferral') as { id?: string } | undefined;
  assert.ok(created?.id, 'no referral was created earlier in this scenario');
  return created.id;
}

async function readVersion(world: ErsWorld, ubrn: string): Promise<string> {
  return world.prepare(`reading referral ${ubrn} for its current version`, async () => {
    const ex = await world.call('A005', { params: { ubrn } });
    assert.equal(ex.response?.status, 200, `could not read referral ${ubrn} first (${ex.response?.status ?? ex.error?.kind})`);
    const v = versionId(ex.response!.body.json);
    assert.ok(v, `referral ${ubrn} has no meta.versionId`);
    return v;
  });
}
