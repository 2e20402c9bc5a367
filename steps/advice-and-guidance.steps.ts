import assert from 'node:assert/strict';
import { header } from '../src/http/exchange.ts';
import {
  adviceCategory, adviceDocument, adviceWorklistItems, buildAdviceRequest, buildAdviceWorklistRequest, buildConversion, buildGuidanceResponse,
  conversationMessages, conversationQuery, conversionAuthorisation, includedTypes, type AttachmentType,
} from '../src/ers/advice.ts';
import { getParameter, type Parameters } from '../src/ers/parameters.ts';
import { asArray, asObject, listedServiceIds, referralState, versionId } from '../src/ers/read.ts';
import { buildSearchCriteria, buildServiceSearch, buildShortlist, fhirBaseOf } from '../src/ers/requests.ts';
import { preparedRequest } from '../src/targets/prepared.ts';
import type { Actor } from '../src/targets/index.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';

// Advice & Guidance (catalogue 2 A023-A027, A043, A044; lifecycle 8.3): "the advice and guidance request under test",
// the referrer's request, the provider's worklist, reads, response and conversion, and the overview PDF.

type Json = Record<string, unknown>;
const ADVICE_CRITERIA = ['search.adviceCriteria', 'search.gastroCriteria'];

function adviceUnderTest(world: ErsWorld): string {
  const ubrn = world.named.get('advice') as string | undefined;
  assert.ok(ubrn, 'internal: no advice and guidance request under test; start with "the advice and guidance request under test is ..." or "a referrer has asked ... for advice"');
  return ubrn;
}

/** Runs `act` as another fixture actor (e.g. the referrer who raised a request), then restores the caller. */
async function as<T>(world: ErsWorld, businessFunction: string, act: () => Promise<T>): Promise<T> {
  const saved = world.actor;
  const a = world.fixture<{ userId: string; ods?: string; businessFunction?: string; onBehalfOf?: string }>(`actors.${businessFunction}`);
  const actor: Actor = { key: businessFunction, mode: 'user-restricted', userId: a.userId, ods: a.ods, businessFunction: a.businessFunction ?? businessFunction, ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}) };
  world.useActor(actor);
  try {
    return await act();
  } finally {
    if (saved) world.useActor(saved);
  }
}

/** Reads the request (A024) as the caller; undefined when the caller may not read it. */
async function readAdvice(world: ErsWorld, ubrn: string): Promise<Json | undefined> {
  const ex = await world.call('A024', { params: { ubrn } });
  return ex.response?.status === 200 ? (ex.response.body.json as Json) : undefined;
}

/** The version a write or a versioned read names: current (read as the caller, else the fixture's record), stale or none. */
async function versionFor(world: ErsWorld, ubrn: string): Promise<string | undefined> {
  const read = await readAdvice(world, ubrn);
  const which = world.named.get('adviceKey') as string | undefined;
  const recorded = which && world.run.target.fixtures.has(`versions.adviceRequests.${which}`) ? world.fixture<string>(`versions.adviceRequests.${which}`) : undefined;
  const current = versionId(read) ?? recorded ?? '1';
  const mode = world.named.get('versionMode') as string | undefined;
  if (mode === 'absent') return undefined;
  if (mode === 'stale') return String(Number(current) > 1 ? Number(current) - 1 : Number(current) + 1);
  return current;
}

/** An A010 search for A&G services that finds the service, as the caller; returns the shortlist of just that service. */
async function adviceShortlist(world: ErsWorld, serviceKey: string): Promise<{ shortlist: Json; criteria: Parameters }> {
  const id = world.fixture<string>(`services.${serviceKey}`);
  const base = fhirBaseOf(world.run.target.baseUrl);
  const isRca = world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN';
  for (const intent of ADVICE_CRITERIA) {
    if (!world.run.target.fixtures.has(intent)) continue;
    const criteria = buildSearchCriteria({ ...world.fixture<Record<string, string>>(intent) }, base);
    const search = buildServiceSearch({ patient: world.fixture<string>('patients.referable'), criteria, requestType: 'ADVICE_AND_GUIDANCE_REQUEST', referringClinician: isRca ? world.fixture<string>('search.referringClinician.valid') : undefined }, base);
    const ex = await world.call('A010', { body: search });
    if (ex.response?.status === 403) return { shortlist: buildShortlist(criteria, [id]), criteria };
    assert.equal(ex.response?.status, 200, `the A&G service search this scenario needs failed: ${ex.response?.status ?? ex.error?.kind}`);
    if (listedServiceIds(ex.response!.body.json).includes(id)) return { shortlist: buildShortlist(criteria, [id]), criteria };
  }
  // a service the search does not return (SHORTLISTED_SERVICE_NOT_IN_RESULTS, INAPPROPRIATE_VALUE): shortlist it with the first criteria
  const criteria = buildSearchCriteria({ ...world.fixture<Record<string, string>>(ADVICE_CRITERIA[0]!) }, base);
  return { shortlist: buildShortlist(criteria, [id]), criteria };
}

async function prepareAdviceRequest(world: ErsWorld, serviceKey: string, conversion: string): Promise<void> {
  const { shortlist } = await adviceShortlist(world, serviceKey);
  const isRca = world.actor?.businessFunction === 'REFERRING_CLINICIAN_ADMIN';
  const body = buildAdviceRequest({ patient: world.fixture<string>('patients.referable'), shortlist, conversion, referringClinician: isRca ? world.fixture<string>('search.referringClinician.valid') : undefined }, fhirBaseOf(world.run.target.baseUrl));
  world.drafts.set('advice request', { body, kind: 'createAdvice' });
  // "the shortlist search criteria are changed" edits the criteria inside this shortlist
  world.drafts.set('shortlist search criteria', { body: (shortlist.contained as Parameters[])[0]!, kind: 'searchCriteria' });
}

async function sendAdviceRequest(world: ErsWorld): Promise<void> {
  const ex = await world.call('A044', { body: world.draft('advice request').body });
  if (ex.response?.status === 200) {
    const cr = asObject(asArray(asObject(ex.response.body.json)?.parameter).map(asObject).find((p) => p?.name === 'createdCommunicationRequest')?.resource);
    if (typeof cr?.id === 'string') world.named.set('advice', cr.id);
  }
}

/** A new request from the fixtures' referring clinician; the subject of the scenario from here on. */
async function raiseAdvice(world: ErsWorld, serviceKey: string, conversion: string): Promise<void> {
  if (world.run.target.fixtures.has('adviceRequests.forWrites')) {
    // a stateless target (the NHS sandbox) cannot create one; its documented write examples name this request
    world.named.set('advice', world.fixture<string>('adviceRequests.forWrites'));
    return;
  }
  await as(world, 'REFERRING_CLINICIAN', async () => {
    await prepareAdviceRequest(world, serviceKey, conversion);
    await sendAdviceRequest(world);
  });
  const ex = world.lastExchange;
  assert.equal(ex.response?.status, 200, `raising the advice and guidance request this scenario needs failed: ${ex.response?.status ?? ex.error?.kind} ${ex.response?.body.text.slice(0, 300) ?? ''}`);
}

// --- the request under test -----------------------------------------------------------------------

Given('the advice and guidance request under test is the {string} request', function (this: ErsWorld, which: string) {
  this.named.set('advice', this.fixture<string>(`adviceRequests.${which}`));
  this.named.set('adviceKey', which);
});

Given('a referrer has asked the {string} service for advice', async function (this: ErsWorld, service: string) {
  await raiseAdvice(this, service, 'AUTHORISED_TO_CONVERT');
});

Given('a referrer has asked the {string} service for advice, not allowing conversion', async function (this: ErsWorld, service: string) {
  await raiseAdvice(this, service, 'NOT_AUTHORISED_TO_CONVERT');
});

// --- A044 -------------------------------------------------------------------------------------------

Given('a request for advice from the {string} service', async function (this: ErsWorld, service: string) {
  await prepareAdviceRequest(this, service, 'AUTHORISED_TO_CONVERT');
});

Given('the advice request shortlist also lists the {string} service', function (this: ErsWorld, which: string) {
  const list = getParameter(this.draft('advice request').body, 'shortlist')?.resource as { entry: Json[] };
  list.entry.push({ item: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: this.fixture<string>(`services.${which}`) } } });
});

Given('the advice request shortlist lists its service twice', function (this: ErsWorld) {
  const list = getParameter(this.draft('advice request').body, 'shortlist')?.resource as { entry: Json[] };
  list.entry.push(structuredClone(list.entry[0]!));
});

Given('the advice request shortlists the {string} service instead', function (this: ErsWorld, which: string) {
  const list = getParameter(this.draft('advice request').body, 'shortlist')?.resource as { entry: Json[] };
  list.entry = [{ item: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: this.fixture<string>(`services.${which}`) } } }];
});

Given('the read names an earlier version of the request', function (this: ErsWorld) {
  this.named.set('versionMode', 'stale');
});

When('the caller asks for advice', async function (this: ErsWorld) {
  await sendAdviceRequest(this);
});

When('the caller asks the {string} service for advice', async function (this: ErsWorld, service: string) {
  await prepareAdviceRequest(this, service, 'AUTHORISED_TO_CONVERT');
  await sendAdviceRequest(this);
});

// --- A023 -------------------------------------------------------------------------------------------

Given('an advice and guidance worklist request', function (this: ErsWorld) {
  this.drafts.set('advice worklist request', { body: buildAdviceWorklistRequest({}, fhirBaseOf(this.run.target.baseUrl)), kind: 'adviceWorklist' });
});

When('the caller fetches the advice and guidance worklist', async function (this: ErsWorld) {
  const draft = this.drafts.get('advice worklist request');
  await this.call('A023', { body: draft?.body ?? buildAdviceWorklistRequest({}, fhirBaseOf(this.run.target.baseUrl)) });
});

Then('the worklist lists the advice and guidance request under test as {word} at its current version', async function (this: ErsWorld, category: string) {
  const list = this.response;
  assert.equal(list.status, 200, `expected 200, got ${list.status}: ${list.body.text.slice(0, 300)}`);
  const ubrn = adviceUnderTest(this);
  const item = adviceWorklistItems(list.body.json).find((i) => i.ubrn === ubrn);
  assert.ok(item, `the A&G worklist does not list ${ubrn}`);
  assert.equal(item.category, category, 'worklist item category');
  const current = versionId(await readAdvice(this, ubrn));
  assert.equal(String(item.version), current, 'communicationRequestVersion is the version A024 reads');
});

Then('the worklist does not list the advice and guidance request under test', function (this: ErsWorld) {
  assert.equal(this.response.status, 200);
  const ubrn = adviceUnderTest(this);
  assert.ok(!adviceWorklistItems(this.response.body.json).some((i) => i.ubrn === ubrn), `the A&G worklist still lists ${ubrn}`);
});

Then('every worklist item is an advice and guidance request with its category and version', function (this: ErsWorld) {
  const items = adviceWorklistItems(this.response.body.json);
  for (const i of items) {
    assert.match(i.ubrn, /^\d{12}$/, 'item.reference is CommunicationRequest/{ubrn}');
    assert.ok(i.category, `item ${i.ubrn} has no category`);
    assert.ok(Number.isInteger(i.version), `item ${i.ubrn} has no communicationRequestVersion`);
  }
});

// --- A024 / A025 ------------------------------------------------------------------------------------

When('the caller reads the advice and guidance request', async function (this: ErsWorld) {
  await this.call('A024', { params: { ubrn: adviceUnderTest(this) } });
});

When('the caller reads the advice and guidance request by its _history URL', async function (this: ErsWorld) {
  const ubrn = adviceUnderTest(this);
  const version = (await versionFor(this, ubrn)) ?? '1';
  await this.call('A024-versioned', { params: { ubrn, version } });
});

When('the caller reads the conversation', async function (this: ErsWorld) {
  const ubrn = adviceUnderTest(this);
  const version = (await versionFor(this, ubrn)) ?? '1';
  await this.call('A025', { query: conversationQuery(ubrn, version) });
});

When('the caller reads the conversation without naming a version', async function (this: ErsWorld) {
  await this.call('A025', { query: { 'based-on': `CommunicationRequest/${adviceUnderTest(this)}` } });
});

Then('the response is the advice and guidance request, {word}', function (this: ErsWorld, category: string) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const body = r.body.json as Json;
  assert.equal(body.resourceType, 'CommunicationRequest');
  assert.equal(body.id, adviceUnderTest(this), 'CommunicationRequest.id is the UBRN asked for');
  assert.equal(adviceCategory(body), category, 'eRS-AdviceAndGuidanceStatus-1 category');
  assert.match(String(conversionAuthorisation(body)), /^(NOT_)?AUTHORISED_TO_CONVERT$/, 'Extension-eRS-ProviderConversionAuthorisation-1');
});

Then('the advice and guidance request under test is now {word}', async function (this: ErsWorld, category: string) {
  const body = await readAdvice(this, adviceUnderTest(this));
  assert.ok(body, 'the request under test could not be read back (A024)');
  assert.equal(adviceCategory(body), category, 'eRS-AdviceAndGuidanceStatus-1 category read back');
});

Then('the advice and guidance request under test is now at version {int}', async function (this: ErsWorld, version: number) {
  assert.equal(versionId(await readAdvice(this, adviceUnderTest(this))), String(version), 'meta.versionId read back');
});

Then('the conversation holds, newest first, messages sent by {string}', function (this: ErsWorld, expected: string) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const messages = conversationMessages(r.body.json);
  assert.deepEqual(messages.map((m) => m.sentBy), expected.split(',').map((s) => s.trim()), 'eRS-CommunicationSentBy-1 of each Communication');
  for (const m of messages) assert.match(m.basedOn, new RegExp(`^CommunicationRequest/${adviceUnderTest(this)}/_history/\\d+$`), 'Communication.basedOn');
});

Then('the conversation includes the {word} of its messages', function (this: ErsWorld, type: string) {
  assert.ok(includedTypes(this.response.body.json).includes(type), `no included ${type} entry (search.mode include)`);
});

// --- A026 -------------------------------------------------------------------------------------------

Given('a guidance response {word}', function (this: ErsWorld, outcome: string) {
  const body = buildGuidanceResponse({ outcome, recommendation: outcome === 'RETURN_TO_REFERRER_WITH_ADVICE' ? 'ADVICE_ONLY_NO_REFERRAL_RECOMMENDED' : undefined, priority: 'ROUTINE' }, fhirBaseOf(this.run.target.baseUrl));
  this.drafts.set('guidance response', { body, kind: 'adviceResponse' });
});

async function sendGuidance(world: ErsWorld, body: unknown): Promise<void> {
  const ubrn = adviceUnderTest(world);
  const version = await versionFor(world, ubrn);
  const mode = world.named.get('versionMode') as string | undefined;
  const ifMatch = mode === 'malformed' ? `"${version}"` : version === undefined ? undefined : `W/"${version}"`;
  await world.call('A026', { params: { ubrn }, body, ifMatch });
}

When('the caller sends the guidance response', async function (this: ErsWorld) {
  await sendGuidance(this, this.draft('guidance response').body);
});

When('the caller responds {word}', async function (this: ErsWorld, outcome: string) {
  const body = buildGuidanceResponse({ outcome, recommendation: outcome === 'RETURN_TO_REFERRER_WITH_ADVICE' ? 'ADVICE_ONLY_NO_REFERRAL_RECOMMENDED' : undefined, priority: 'ROUTINE' }, fhirBaseOf(this.run.target.baseUrl));
  await sendGuidance(this, body);
});

When('the caller sends the prepared {string} A026 response to the request', async function (this: ErsWorld, name: string) {
  await sendGuidance(this, preparedRequest(this.run.target.fixtures, `requests.A026.${name}`).body);
});

Given('the caller has uploaded {string} as {string} for the advice and guidance request', async function (this: ErsWorld, fileName: string, contentType: string) {
  const saved = { ...this.headerOverrides };
  Object.assign(this.headerOverrides, { 'NHSD-eRS-File-Name': fileName, 'NHSD-eRS-Referral-ID': adviceUnderTest(this) });
  try {
    const ex = await this.call('A020', { body: Buffer.from(`${fileName}: guidance from the conformance suite`), contentType });
    assert.equal(ex.response?.status, 201, `uploading ${fileName} failed: ${ex.response?.status ?? ex.error?.kind}`);
    const files = (this.named.get('adviceFiles') as string[] | undefined) ?? [];
    files.push((header(ex.response!.headers, 'Location') ?? '').replace(/^Binary\//, ''));
    this.named.set('adviceFiles', files);
  } finally {
    for (const k of ['NHSD-eRS-File-Name', 'NHSD-eRS-Referral-ID']) delete this.headerOverrides[k];
    Object.assign(this.headerOverrides, saved);
  }
});

const ATTACHMENT_PARAMETER: Record<string, string> = { 'guidance response': 'guidanceAttachmentFile', 'conversion request': 'guidanceAttachmentFile', 'advice request': 'requestAttachmentFile' };

Given('the {draft} attaches the uploaded file as {word}', function (this: ErsWorld, draft: 'guidance response' | 'conversion request' | 'advice request', type: AttachmentType) {
  const files = this.named.get('adviceFiles') as string[] | undefined;
  assert.ok(files?.length, 'internal: no file was uploaded earlier in this scenario');
  this.draft(draft).body.parameter.push({ name: type === 'PROVIDER' ? 'reviewAttachmentFile' : ATTACHMENT_PARAMETER[draft]!, resource: adviceDocument(files.at(-1)!, type, new Date().toISOString()) });
});

Given('the {draft} attaches the uploaded file as {word}, claiming it is {string}', function (this: ErsWorld, draft: 'guidance response' | 'conversion request' | 'advice request', type: AttachmentType, contentType: string) {
  const files = this.named.get('adviceFiles') as string[] | undefined;
  assert.ok(files?.length, 'internal: no file was uploaded earlier in this scenario');
  this.draft(draft).body.parameter.push({ name: type === 'PROVIDER' ? 'reviewAttachmentFile' : ATTACHMENT_PARAMETER[draft]!, resource: adviceDocument(files.at(-1)!, type, new Date().toISOString(), { contentType }) });
});

Given('the {draft} attaches the uploaded file as {word} twice', function (this: ErsWorld, draft: 'guidance response' | 'conversion request' | 'advice request', type: AttachmentType) {
  const files = this.named.get('adviceFiles') as string[] | undefined;
  assert.ok(files?.length, 'internal: no file was uploaded earlier in this scenario');
  for (let i = 0; i < 2; i++) this.draft(draft).body.parameter.push({ name: ATTACHMENT_PARAMETER[draft]!, resource: adviceDocument(files.at(-1)!, type, new Date().toISOString()) });
});

Given('the {draft} guidance is {int} characters long', function (this: ErsWorld, draft: 'guidance response' | 'conversion request', length: number) {
  const p = getParameter(this.draft(draft).body, 'guidance');
  assert.ok(p, `internal: the ${draft} has no guidance`);
  p.valueString = 'x'.repeat(length);
});

Given('the {draft} attaches the file {string} as {word}', function (this: ErsWorld, draft: 'guidance response' | 'conversion request' | 'advice request', file: string, type: AttachmentType) {
  const id = resolveValue(this, file) ?? '';
  this.draft(draft).body.parameter.push({ name: type === 'PROVIDER' ? 'reviewAttachmentFile' : ATTACHMENT_PARAMETER[draft]!, resource: adviceDocument(id, type, new Date().toISOString()) });
});

When('two guidance responses are sent at once from the same version', async function (this: ErsWorld) {
  const ubrn = adviceUnderTest(this);
  const version = versionId(await readAdvice(this, ubrn));
  const body = buildGuidanceResponse({ outcome: 'REQUIRE_FURTHER_INFORMATION', priority: 'ROUTINE' }, fhirBaseOf(this.run.target.baseUrl));
  const both = await Promise.all([0, 1].map(() => this.call('A026', { params: { ubrn }, body, ifMatch: `W/"${version}"` })));
  this.named.set('raced', both.map((ex) => ex.response?.status));
  this.named.set('racedExchanges', both);
});

When('a guidance response is still being recorded as the caller converts the request', async function (this: ErsWorld) {
  const ubrn = adviceUnderTest(this);
  const version = versionId(await readAdvice(this, ubrn));
  const base = fhirBaseOf(this.run.target.baseUrl);
  const response = this.call('A026', { params: { ubrn }, body: buildGuidanceResponse({ outcome: 'REQUIRE_FURTHER_INFORMATION', priority: 'ROUTINE' }, base), ifMatch: `W/"${version}"` });
  // the response holds the request while e-RS records it (services.slowAdvice takes 800 ms); convert meanwhile
  await new Promise((resolve) => setTimeout(resolve, 200));
  const conversion = await this.call('A027', { body: buildConversion({ ubrn, version, priority: 'ROUTINE' }, base) });
  this.named.set('lockedWrite', conversion);
  this.named.set('heldBy', { what: 'response', exchange: await response });
});

When('a conversion is still being recorded as the caller responds', async function (this: ErsWorld) {
  const ubrn = adviceUnderTest(this);
  const version = versionId(await readAdvice(this, ubrn));
  const base = fhirBaseOf(this.run.target.baseUrl);
  const conversion = this.call('A027', { body: buildConversion({ ubrn, version, priority: 'ROUTINE' }, base) });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const response = await this.call('A026', { params: { ubrn }, body: buildGuidanceResponse({ outcome: 'REQUIRE_FURTHER_INFORMATION', priority: 'ROUTINE' }, base), ifMatch: `W/"${version}"` });
  this.named.set('lockedWrite', response);
  this.named.set('heldBy', { what: 'conversion', exchange: await conversion });
});

Then('the conversion that held the request succeeded', function (this: ErsWorld) {
  const held = this.named.get('heldBy') as { what: string; exchange?: { response?: { status: number; body: { text: string } } } } | undefined;
  assert.equal(held?.what, 'conversion', 'internal: no conversion held the request');
  assert.equal(held.exchange?.response?.status, 201, `the conversion got ${held.exchange?.response?.status}: ${held.exchange?.response?.body.text.slice(0, 300)}`);
});

// --- A027 -------------------------------------------------------------------------------------------

Given('a conversion of the request to a referral', async function (this: ErsWorld) {
  const ubrn = adviceUnderTest(this);
  const body = buildConversion({ ubrn, version: '{version}', priority: 'ROUTINE' }, fhirBaseOf(this.run.target.baseUrl));
  this.drafts.set('conversion request', { body, kind: 'adviceConversion' });
});

/** createFrom names the request under test at the version the scenario asks for (current, stale or none). */
async function sendConversion(world: ErsWorld, body: Parameters): Promise<void> {
  const ubrn = adviceUnderTest(world);
  const from = getParameter(body, 'createFrom') as { valueReference?: { reference?: string } } | undefined;
  const named = /^CommunicationRequest\/([^/]+)/.exec(from?.valueReference?.reference ?? '')?.[1];
  // a prepared body naming this very request (the sandbox's documented example) is sent exactly as documented;
  // a body naming another request or a {version} placeholder is pointed at the request under test
  if (from && (named !== ubrn || world.named.get('versionMode') || from.valueReference?.reference?.includes('{'))) {
    const version = await versionFor(world, ubrn);
    from.valueReference = { reference: version === undefined ? `CommunicationRequest/${ubrn}` : `CommunicationRequest/${ubrn}/_history/${version}` };
  }
  await world.call('A027', { body });
}

When('the caller converts the request to a referral', async function (this: ErsWorld) {
  const draft = this.drafts.get('conversion request');
  const body = draft?.body ?? buildConversion({ ubrn: adviceUnderTest(this), version: '{version}', priority: 'ROUTINE' }, fhirBaseOf(this.run.target.baseUrl));
  await sendConversion(this, body);
});

When('the caller sends the prepared {string} A027 conversion of the request', async function (this: ErsWorld, name: string) {
  await sendConversion(this, preparedRequest(this.run.target.fixtures, `requests.A027.${name}`).body as Parameters);
});

Then('the response is a referral converted from an advice and guidance request, in state {word}', function (this: ErsWorld, state: string) {
  const r = this.response;
  assert.equal(r.status, 201, `expected 201 Created, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const body = r.body.json as Json;
  assert.equal(body.resourceType, 'ReferralRequest');
  assert.match(String(body.id), /^\d{12}$/, 'a UBRN');
  assert.equal(referralState(body), state, 'Extension-eRS-ReferralState-1 state');
});

Then('the referral keeps the request\'s UBRN', function (this: ErsWorld) {
  assert.equal((this.response.body.json as Json).id, adviceUnderTest(this), 'the referral has the same UBRN as the A&G request');
});

Then('the referrer sees the referral in state {word}', async function (this: ErsWorld, state: string) {
  const ubrn = adviceUnderTest(this);
  const ex = await as(this, 'REFERRING_CLINICIAN', () => this.call('A005', { params: { ubrn } }));
  assert.equal(ex.response?.status, 200, `the referrer could not read referral ${ubrn}: ${ex.response?.status ?? ex.error?.kind}`);
  assert.equal(referralState(ex.response!.body.json), state, 'state the referrer reads');
});

Then('the referrer sees the advice and guidance request as {word}', async function (this: ErsWorld, category: string) {
  const body = await as(this, 'REFERRING_CLINICIAN', () => readAdvice(this, adviceUnderTest(this)));
  assert.ok(body, 'the referrer could not read the request (A024)');
  assert.equal(adviceCategory(body), category, 'category the referrer reads');
});

Then('the referrer reads the conversation, newest first, as messages sent by {string}', async function (this: ErsWorld, expected: string) {
  const ubrn = adviceUnderTest(this);
  const messages = await as(this, 'REFERRING_CLINICIAN', async () => {
    const version = versionId(await readAdvice(this, ubrn)) ?? '1';
    const ex = await this.call('A025', { query: conversationQuery(ubrn, version) });
    assert.equal(ex.response?.status, 200, `the referrer could not read the conversation: ${ex.response?.status ?? ex.error?.kind}`);
    return conversationMessages(ex.response!.body.json);
  });
  assert.deepEqual(messages.map((m) => m.sentBy), expected.split(',').map((s) => s.trim()));
});

// --- A043 -------------------------------------------------------------------------------------------

When('the caller asks for the advice and guidance overview PDF', async function (this: ErsWorld) {
  // the overview is a PDF and errors are FHIR JSON: accept both, unless the scenario chose its own Accept
  const own = Object.keys(this.headerOverrides).some((h) => h.toLowerCase() === 'accept');
  if (!own) this.headerOverrides.Accept = 'application/pdf, application/fhir+json';
  try {
    await this.call('A043', { params: { ubrn: adviceUnderTest(this) } });
  } finally {
    if (!own) delete this.headerOverrides.Accept;
  }
});

Then('the response is the overview PDF of the request, a reader can open it, and it names the UBRN', function (this: ErsWorld) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  assert.match(header(r.headers, 'Content-Type') ?? '', /^application\/pdf/);
  const ubrn = adviceUnderTest(this);
  // the sandbox sends filename= unquoted (catalogue 4, Content-Disposition)
  assert.match(header(r.headers, 'Content-Disposition') ?? '', new RegExp(`^attachment; filename="?${ubrn}_Advice_And_Guidance_\\d{14}\\.pdf"?$`), 'Content-Disposition');
  const pdf = this.lastPdf;
  assert.deepEqual(pdf.problems, [], 'what a PDF reader finds');
  assert.ok(pdf.text.replace(/\s+/g, '').includes(ubrn), `the overview names the UBRN ${ubrn}`);
});
