import assert from 'node:assert/strict';
import { header, type Exchange } from '../src/http/exchange.ts';
import { listedServiceIds, referralState, versionId } from '../src/ers/read.ts';
import { buildCreateReferral, buildSearchCriteria, buildServiceSearch, buildShortlist, fhirBaseOf } from '../src/ers/requests.ts';
import { actionCodes, availableActionsQuery, buildCancelReferral, buildChangeShortlist, changeShortlistProfile, parameterResource } from '../src/ers/referrer.ts';
import type { Parameters } from '../src/ers/parameters.ts';
import { assertAsDocumented } from '../support/documented-errors.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';
import { ifMatchFor, readReferral, subject, versionToSend } from '../support/scenario-state.ts';

// The referral a scenario works on ("the referral under test"), its version for writes, and the lifecycle
// operations on it: A021 create-and-triage, A029 available actions, A031/A032 shortlist changes, A036 cancel.

const CRITERIA_INTENTS = ['search.criteria', 'search.gastroCriteria'];

/** Searches (A010) with the first criteria intent that finds the first service, and returns a shortlist of the services. */
async function shortlistFor(world: ErsWorld, serviceKeys: string[]): Promise<Record<string, unknown>> {
  const ids = serviceKeys.map((k) => world.fixture<string>(`services.${k}`));
  const base = fhirBaseOf(world.run.target.baseUrl);
  const isRca = world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN';
  for (const intent of CRITERIA_INTENTS) {
    if (!world.run.target.fixtures.has(intent)) continue;
    const criteria = buildSearchCriteria({ ...world.fixture<Record<string, string>>(intent) }, base);
    const search = buildServiceSearch({ patient: world.fixture<string>('patients.referable'), criteria, referringClinician: isRca ? world.fixture<string>('search.referringClinician.valid') : undefined }, base);
    const ex = await world.call('A010', { body: search });
    // a role that may not search may not change shortlists either: send the shortlist unsearched and let e-RS refuse it
    if (ex.response?.status === 403) return buildShortlist(criteria, ids);
    assert.equal(ex.response?.status, 200, `the service search this scenario needs failed: ${ex.response?.status ?? ex.error?.kind}`);
    if (listedServiceIds(ex.response!.body.json).includes(ids[0]!)) {
      const padTo = world.named.get('padShortlistTo') as number | undefined;
      for (let i = 0; padTo && ids.length < padTo; i++) ids.push(`9${String(i).padStart(5, '0')}`);
      return buildShortlist(criteria, ids);
    }
  }
  throw new Error(`internal: no search criteria intent (${CRITERIA_INTENTS.join(', ')}) finds the service ${ids[0]} (${serviceKeys[0]})`);
}

const keys = (list: string) => list.split(',').map((s) => s.trim()).filter(Boolean);

// --- the referral under test ----------------------------------------------------------------------

Given('the referral under test is the {string} referral', function (this: ErsWorld, which: string) {
  this.named.set('subject', this.fixture<string>(`referrals.${which}`));
});

async function newReferral(world: ErsWorld, services: string, intention: 'NEED_TO_ADD_LATER' | 'NOT_INTENDING_TO_ADD'): Promise<void> {
  await world.prepare(`creating a referral shortlisting ${services}`, async () => {
  const shortlist = await shortlistFor(world, keys(services));
  const body = buildCreateReferral(
    { patient: world.fixture<string>('patients.referable'), shortlist, intention, followUpDays: intention === 'NEED_TO_ADD_LATER' ? '7' : '0', referringClinician: world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN' ? world.fixture<string>('search.referringClinician.valid') : undefined },
    fhirBaseOf(world.run.target.baseUrl),
  );
  const ex = await world.call('A011', { body });
  assert.equal(ex.response?.status, 201, `creating the referral this scenario needs failed: ${ex.response?.status ?? ex.error?.kind} ${ex.response?.body.text.slice(0, 300) ?? ''}`);
  world.named.set('subject', (ex.response!.body.json as { id: string }).id);
  });
}

Given('a new referral shortlisting the {string} service(s)', async function (this: ErsWorld, services: string) {
  await newReferral(this, services, 'NEED_TO_ADD_LATER');
});

// the referrer sends all the clinical information with the referral: the provider can review it straight away
Given('a new referral shortlisting the {string} service(s), with no referral letter to come', async function (this: ErsWorld, services: string) {
  await newReferral(this, services, 'NOT_INTENDING_TO_ADD');
});

Given('the write names a stale version of what it changes', function (this: ErsWorld) {
  this.named.set('versionMode', 'stale');
});

Given('the write names no version of what it changes', function (this: ErsWorld) {
  this.named.set('versionMode', 'absent');
});

Given('the write sends If-Match without the weak ETag form', function (this: ErsWorld) {
  this.named.set('versionMode', 'malformed');
});

Then('the referral under test is now in state {word}', async function (this: ErsWorld, state: string) {
  const r = await readReferral(this, subject(this));
  assert.ok(r, 'the referral under test could not be read back');
  assert.equal(referralState(r), state, 'Extension-eRS-ReferralState-1 state');
});

Then('the referral under test is now at version {int}', async function (this: ErsWorld, version: number) {
  const r = await readReferral(this, subject(this));
  assert.equal(versionId(r), String(version), 'meta.versionId');
});

Then('the referral under test has status {word}', async function (this: ErsWorld, status: string) {
  const r = await readReferral(this, subject(this));
  assert.equal((r as { status?: string } | undefined)?.status, status);
});

// --- A021 -----------------------------------------------------------------------------------------

/** Prepares an A021 body (the "referral request" draft) for the services, from a search that found them. */
async function prepareTriageReferral(world: ErsWorld, services: string): Promise<void> {
  const shortlist = await shortlistFor(world, keys(services));
  const opts = (world.named.get('triageCreateOptions') as { intention?: string; followUpDays?: string } | undefined) ?? {};
  const body = buildCreateReferral(
    { patient: world.fixture<string>('patients.referable'), shortlist, intention: opts.intention ?? 'NEED_TO_ADD_LATER', followUpDays: opts.followUpDays ?? '0', referringClinician: world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN' ? world.fixture<string>('search.referringClinician.valid') : undefined },
    fhirBaseOf(world.run.target.baseUrl),
  );
  world.drafts.set('referral request', { body, kind: 'createReferral' });
  world.drafts.set('shortlist search criteria', { body: (shortlist.contained as Parameters[])[0]!, kind: 'searchCriteria' });
}

async function sendTriageReferral(world: ErsWorld): Promise<void> {
  const ex = await world.call('A021', { body: world.draft('referral request').body });
  if (ex.response?.status === 201) world.named.set('subject', (ex.response.body.json as { id: string }).id);
}

Given('a new referral for triage at the {string} service(s)', async function (this: ErsWorld, services: string) {
  await this.prepare(`creating a referral for triage at ${services}`, async () => {
    await prepareTriageReferral(this, services);
  });
});

When('the caller creates the referral and sends it for triage', async function (this: ErsWorld) {
  await sendTriageReferral(this);
});

When('the caller creates a referral for triage at the {string} service(s)', async function (this: ErsWorld, services: string) {
  await prepareTriageReferral(this, services);
  await sendTriageReferral(this);
});

Given('the triage request intends {word} with the first reminder after {int} days', function (this: ErsWorld, intention: string, days: number) {
  this.named.set('triageCreateOptions', { intention, followUpDays: String(days) });
});

// --- A029 -----------------------------------------------------------------------------------------

When('the caller asks which actions it may take on the referral', async function (this: ErsWorld) {
  const ubrn = subject(this);
  const v = await versionToSend(this, versionId(await readReferral(this, ubrn)));
  await this.call('A029', { query: availableActionsQuery(ubrn, v ?? '1') });
});

When('the caller asks which actions it may take with the query changed:', async function (this: ErsWorld, table: { hashes(): { parameter: string; value: string }[] }) {
  const ubrn = subject(this);
  const v = versionId(await readReferral(this, ubrn)) ?? '1';
  const overrides = Object.fromEntries(table.hashes().map((r) => [r.parameter, resolveValue(this, r.value)]));
  await this.call('A029', { query: availableActionsQuery(ubrn, v, overrides) });
});

Then('the actions offered are {string}', function (this: ErsWorld, expected: string) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const want = expected === 'none' ? [] : keys(expected);
  assert.deepEqual(actionCodes(r.body.json), want, 'eRS-AvailableActionsForUser-1 codes');
});

// --- A031 / A032 ------------------------------------------------------------------------------------

Given('the new shortlist intends {word} with the first reminder after {int} days', function (this: ErsWorld, intention: string, days: number) {
  this.named.set('changeOptions', { intention, days });
});

Given('the new shortlist is padded to {int} services', function (this: ErsWorld, n: number) {
  this.named.set('padShortlistTo', n);
});

/** Prepares an A031/A032 body (the "shortlist change" draft) for the services, from a search that found them. */
async function prepareShortlistChange(world: ErsWorld, services: string): Promise<void> {
  const shortlist = await shortlistFor(world, keys(services));
  const opts = (world.named.get('changeOptions') as { intention?: string; days?: number } | undefined) ?? {};
  world.drafts.set('shortlist change', { body: buildChangeShortlist(shortlist, opts.intention, opts.days ?? 0), kind: 'changeShortlist' });
  world.drafts.set('shortlist search criteria', { body: (shortlist.contained as Parameters[])[0]!, kind: 'searchCriteria' });
}

/** Sends the prepared shortlist change as A031, or as A032 when it also sends the referral for triage. */
async function sendShortlistChange(world: ErsWorld, triage: boolean): Promise<void> {
  const ubrn = subject(world);
  const current = versionId(await readReferral(world, ubrn));
  const { body } = world.draft('shortlist change');
  body.meta = { profile: [changeShortlistProfile(triage)] };
  const ex = await world.call(triage ? 'A032' : 'A031', { params: { ubrn }, body, ifMatch: await ifMatchFor(world, current) });
  if (ex.response?.status === 200) world.named.set('changed', ex.response.body.json);
}

export async function changeShortlist(world: ErsWorld, services: string, triage: boolean): Promise<void> {
  await prepareShortlistChange(world, services);
  await sendShortlistChange(world, triage);
}

Given('a new shortlist of the {string} service(s)', async function (this: ErsWorld, services: string) {
  await this.prepare(`preparing a new shortlist of ${services}`, async () => {
    await prepareShortlistChange(this, services);
  });
});

When('the caller sends the new shortlist', async function (this: ErsWorld) {
  await sendShortlistChange(this, false);
});

When('the caller sends the new shortlist for triage', async function (this: ErsWorld) {
  await sendShortlistChange(this, true);
});

When('the caller changes the shortlist to the {string} service(s)', async function (this: ErsWorld, services: string) {
  await changeShortlist(this, services, false);
});

When('the caller changes the shortlist to the {string} service(s) and sends it for triage', async function (this: ErsWorld, services: string) {
  await changeShortlist(this, services, true);
});

When('the caller changes the shortlist twice at once from the same version', async function (this: ErsWorld) {
  const ubrn = subject(this);
  const current = versionId(await readReferral(this, ubrn));
  const shortlist = await shortlistFor(this, ['indirectlyBookable']);
  const body = buildChangeShortlist(shortlist, 'NEED_TO_ADD_LATER', 0);
  const both = await Promise.all([0, 1].map(() => this.call('A031', { params: { ubrn }, body, ifMatch: `W/"${current}"` })));
  this.named.set('raced', both.map((ex) => ex.response?.status));
  this.named.set('racedExchanges', both);
});

Then('exactly one of the two changes succeeded and the other got {int} or {int}', async function (this: ErsWorld, a: number, b: number) {
  const statuses = (this.named.get('raced') as (number | undefined)[]).sort();
  assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses ${statuses.join(', ')}`);
  assert.ok(statuses.some((s) => s === a || s === b), `the losing change got ${statuses.join(', ')}`);
  // the loser's body is the one the catalogue documents for its status (409 VERSION_CONFLICT, 423 REFERRAL_LOCKED)
  for (const ex of (this.named.get('racedExchanges') as Exchange[] | undefined) ?? []) await assertAsDocumented(this, ex);
});

Then('the response is a Parameters resource holding the {word} {word}', function (this: ErsWorld, name: string, type: string) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const res = parameterResource(r.body.json, name);
  assert.ok(res, `the Parameters have no ${name} resource`);
  assert.equal(res.resourceType, type);
});

Then('the response has no {word} parameter', function (this: ErsWorld, name: string) {
  assert.equal(parameterResource(this.response.body.json, name), undefined, `unexpected parameter ${name}`);
});

Then('the response ETag equals the version of the referral read back', async function (this: ErsWorld) {
  const etag = header(this.response.headers, 'ETag');
  const r = await readReferral(this, subject(this));
  assert.equal(etag, `W/"${versionId(r)}"`);
});

// --- A036 -------------------------------------------------------------------------------------------

When('the caller cancels the referral with reason {string}', async function (this: ErsWorld, reason: string) {
  await cancelReferral(this, reason, undefined);
});

When('the caller cancels the referral with reason {string} and comment {string}', async function (this: ErsWorld, reason: string, comment: string) {
  await cancelReferral(this, reason, resolveValue(this, comment));
});

When('the caller cancels the referral with reason {string} and a comment of {int} characters', async function (this: ErsWorld, reason: string, length: number) {
  await cancelReferral(this, reason, 'x'.repeat(length));
});

export async function cancelReferral(world: ErsWorld, reason: string, comment: string | undefined): Promise<void> {
  const ubrn = subject(world);
  const current = versionId(await readReferral(world, ubrn));
  const body = buildCancelReferral(fhirBaseOf(world.run.target.baseUrl), resolveValue(world, reason) ?? '', comment);
  await world.call('A036', { params: { ubrn }, body, ifMatch: await ifMatchFor(world, current) });
}
