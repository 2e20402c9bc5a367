// Advice & Guidance in the simulator (catalogue 8.3): A044 create -> A023 worklist -> A024/A025 reads -> A026 respond /
// A027 convert, the versions each write needs and moves, one winner for concurrent writes, the overview PDF (A043), and
// the documented errors of each.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adviceCategory, adviceDocument, adviceWorklistItems, buildAdviceRequest, buildAdviceWorklistRequest, buildConversion, buildGuidanceResponse, conversationMessages, conversationQuery } from '../../src/ers/advice.ts';
import { buildShortlist } from '../../src/ers/requests.ts';
import { createPdfInspector } from '../../src/http/pdf.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, criteriaParameters, readJson, start, type Json } from './helpers.ts';
import { as, ifMatch, rc, send } from './referrer-helpers.ts';

let sim: Simulator;
const pdfs = createPdfInspector();
before(async () => { sim = await start(); });
after(async () => { await sim.close(); await pdfs.close(); });

const A044 = '/STU3/CommunicationRequest/$ers.createAdviceAndGuidance';
const A023 = '/STU3/CommunicationRequest/$ers.fetchworklist';
const A024 = (ubrn: string, v?: number | string) => `/STU3/CommunicationRequest/${ubrn}${v === undefined ? '' : `/_history/${v}`}`;
const A026 = (ubrn: string) => `/STU3/CommunicationRequest/${ubrn}/$ers.sendCommunicationToRequester`;
const A027 = '/STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater';
const A043 = (ubrn: string) => `/STU3/CommunicationRequest/${ubrn}/$ers.generateCRI`;
const spc = () => as(sim, 'SERVICE_PROVIDER_CLINICIAN');
const base = () => sim.baseUrl;

function adviceBody(opts: { services?: string[]; gastro?: boolean; conversion?: string; request?: string; attachments?: Json[]; referringClinician?: string } = {}): Json {
  const criteria = { resourceType: 'Parameters' as const, id: 'serviceSearchCriteria', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1'] }, parameter: criteriaParameters(sim, opts.gastro ? FX.search.gastroCriteria : FX.search.adviceCriteria) };
  const shortlist = buildShortlist(criteria, opts.services ?? [opts.gastro ? '40131' : FX.services.adviceAndGuidance]);
  return buildAdviceRequest({ patient: FX.patients.referable, shortlist, conversion: opts.conversion, request: opts.request, attachments: opts.attachments, referringClinician: opts.referringClinician }, base());
}

async function newAdvice(opts: Parameters<typeof adviceBody>[0] = {}): Promise<{ ubrn: string; version: number }> {
  const res = await send(sim, 'POST', A044, rc(sim), adviceBody(opts));
  const body = await readJson(res);
  assert.equal(res.status, 200, JSON.stringify(body));
  const cr = body.parameter.find((p: Json) => p.name === 'createdCommunicationRequest').resource;
  return { ubrn: cr.id, version: Number(cr.meta.versionId) };
}

const read = async (ubrn: string, headers = rc(sim)) => readJson(await send(sim, 'GET', A024(ubrn), headers));
const respond = (ubrn: string, version: number | undefined, opts: Partial<Parameters<typeof buildGuidanceResponse>[0]> = {}, headers = spc()) =>
  send(sim, 'POST', A026(ubrn), { ...headers, ...(version === undefined ? {} : ifMatch(version)) }, buildGuidanceResponse({ outcome: 'RETURN_TO_REFERRER_WITH_ADVICE', recommendation: 'ADVICE_ONLY_NO_REFERRAL_RECOMMENDED', priority: 'ROUTINE', ...opts }, base()));
const convert = (ubrn: string, version: number | undefined, opts: Partial<Parameters<typeof buildConversion>[0]> = {}, headers = spc()) =>
  send(sim, 'POST', A027, headers, buildConversion({ ubrn, version: version === undefined ? undefined : String(version), priority: 'ROUTINE', ...opts }, base()));

describe('A&G end to end', () => {
  it('A044 creates PROVIDER_RESPONSE_REQUIRED at version 1 (200), on the provider worklist, readable by both sides', async () => {
    const { ubrn, version } = await newAdvice();
    assert.equal(version, 1);
    const list = await readJson(await send(sim, 'POST', A023, spc(), buildAdviceWorklistRequest({}, base())));
    const item = adviceWorklistItems(list).find((i) => i.ubrn === ubrn);
    assert.deepEqual(item, { ubrn, category: 'PROVIDER_RESPONSE_REQUIRED', version: 1 });
    const cr = await read(ubrn, spc());
    assert.equal(adviceCategory(cr), 'PROVIDER_RESPONSE_REQUIRED');
    const res = await send(sim, 'GET', A024(ubrn), rc(sim));
    assert.equal(res.headers.get('etag'), 'W/"1"');
  });

  it('A026 RETURN_TO_REFERRER_WITH_ADVICE -> REFERRER_TO_REVIEW_RESPONSE at version 2; the conversation shows both messages; off the worklist? no: still in conversation', async () => {
    const { ubrn } = await newAdvice();
    const res = await respond(ubrn, 1);
    const body = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(res.headers.get('etag'), null);
    const cr = body.parameter.find((p: Json) => p.name === 'updatedCommunicationRequest').resource;
    assert.deepEqual([cr.meta.versionId, adviceCategory(cr)], ['2', 'REFERRER_TO_REVIEW_RESPONSE']);
    const query = Object.entries(conversationQuery(ubrn, "2")).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));
    const conv = await readJson(await send(sim, "GET", `/STU3/Communication?${new URLSearchParams(query)}`, rc(sim)));
    assert.deepEqual(conversationMessages(conv).map((m) => m.sentBy), ['RESPONDER', 'REQUESTER']);
    assert.equal((await send(sim, 'GET', `/STU3/Communication?based-on=CommunicationRequest/${ubrn}/_history/1`, rc(sim))).status, 404, 'a stale based-on');
    await assertStu3Outcome(await respond(ubrn, 2), 422, 'INVALID_REQUEST_STATE');
  });

  it('A027 converts an authorised request: 201 referral with the same UBRN, TRIAGED_PROVIDER_TO_ACTION; the request is CONVERTED', async () => {
    const { ubrn } = await newAdvice();
    const res = await convert(ubrn, 1);
    const ref = await readJson(res);
    assert.equal(res.status, 201, JSON.stringify(ref));
    assert.equal(ref.id, ubrn);
    const state = ref.extension.find((e: Json) => e.url.endsWith('ReferralState-1')).extension;
    assert.deepEqual(state.map((e: Json) => e.valueCoding.code), ['TRIAGED_PROVIDER_TO_ACTION', 'PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER']);
    const cr = await read(ubrn);
    assert.deepEqual([adviceCategory(cr), cr.status, cr.meta.versionId], ['CONVERTED', 'completed', '2']);
    assert.equal((await send(sim, 'GET', `/STU3/ReferralRequest/${ubrn}`, rc(sim))).status, 200, 'the referrer sees the referral');
    await assertStu3Outcome(await convert(ubrn, 2), 422, 'INVALID_REQUEST_STATE');
  });

  it('A043: the overview PDF opens and names the UBRN and the conversation', async () => {
    const { ubrn } = await newAdvice({ request: 'Palpitations at night, ECG normal.' });
    const res = await send(sim, 'POST', A043(ubrn), as(sim, 'SERVICE_PROVIDER_CLINICIAN', { Accept: 'application/pdf' }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="${ubrn}_Advice_And_Guidance_\\d{14}\\.pdf"$`));
    const report = await pdfs.inspect(Buffer.from(await res.arrayBuffer()));
    assert.deepEqual(report.problems, []);
    assert.match(report.text, new RegExp(ubrn));
    assert.match(report.text, /Palpitations at night/);
    await assertStu3Outcome(await send(sim, 'POST', A043(FX.referrals.unbooked), rc(sim)), 422, 'INVALID_REQUEST_TYPE');
    assert.equal((await send(sim, 'POST', A043(ubrn), rc(sim, { Accept: 'application/fhir+json' }))).status, 406);
  });
});

describe('versions and concurrency', () => {
  it('A026: no If-Match 412, stale 409; A027: stale createFrom 409', async () => {
    const { ubrn } = await newAdvice();
    assert.equal((await respond(ubrn, undefined)).status, 412);
    await assertStu3Outcome(await respond(ubrn, 7), 409, 'VERSION_CONFLICT');
    await assertStu3Outcome(await convert(ubrn, 7), 409, 'VERSION_CONFLICT');
    assert.equal((await send(sim, 'GET', A024(ubrn, 2), rc(sim))).status, 404);
    assert.equal((await send(sim, 'GET', A024(ubrn, 1), rc(sim))).status, 200);
  });

  it('two responses at once from the same version: exactly one wins, the other gets 423 or 409', async () => {
    const { ubrn } = await newAdvice({ gastro: true });
    const statuses = (await Promise.all([respond(ubrn, 1), respond(ubrn, 1)])).map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.ok(statuses.includes(423) || statuses.includes(409), statuses.join(','));
  });

  it('a conversion while a response is in flight gets 423 REFERRAL_LOCKED', async () => {
    const { ubrn } = await newAdvice({ gastro: true });
    const first = respond(ubrn, 1);
    await new Promise((r) => setTimeout(r, 100));
    await assertStu3Outcome(await convert(ubrn, 1), 423, 'REFERRAL_LOCKED');
    assert.equal((await first).status, 200);
  });
});

describe('documented errors', () => {
  const cases: [string, () => Promise<Response>, number, string][] = [
    ['A024 referral UBRN', () => send(sim, 'GET', A024(FX.referrals.unbooked), rc(sim)), 422, 'INVALID_REQUEST_TYPE'],
    ['A024 sensitive patient', () => send(sim, 'GET', A024('300000200004'), rc(sim)), 422, 'PATIENT_ERROR'],
    ['A024 another practice', () => send(sim, 'GET', A024('300000200005'), rc(sim)), 422, 'NO_RELATIONSHIP'],
    ['A024 unknown', () => send(sim, 'GET', A024(FX.referrals.unknown), rc(sim)), 404, 'REFERENCE_NOT_FOUND'],
    ['A024 stale version', () => send(sim, 'GET', A024('300000200001', 1), rc(sim)), 404, 'HISTORY_NOT_SUPPORTED'],
    ['A025 referral UBRN', () => send(sim, 'GET', `/STU3/Communication?based-on=CommunicationRequest/${FX.referrals.unbooked}/_history/1`, rc(sim)), 400, 'INVALID_REQUEST_TYPE'],
    ['A025 another provider', () => send(sim, 'GET', '/STU3/Communication?based-on=CommunicationRequest/300000200005/_history/1', spc()), 400, 'NO_RELATIONSHIP'],
    ['A026 already answered', () => respond('300000200002', 3), 422, 'INVALID_REQUEST_STATE'],
    ['A026 recommendation missing', () => respond('300000200001', 2, { recommendation: undefined }), 422, 'VALUE_IS_REQUIRED'],
    ['A026 recommendation not allowed', () => respond('300000200001', 2, { outcome: 'REQUIRE_FURTHER_INFORMATION' }), 422, 'INAPPROPRIATE_VALUE'],
    ['A026 unsupported priority', () => respond('300000200001', 2, { priority: 'TWO_WEEK_WAIT' }), 422, 'UNSUPPORTED_PRIORITY'],
    ['A026 guidance too long', () => respond('300000200001', 2, { guidance: 'x'.repeat(8001) }), 422, 'INVALID_VALUE'],
    ['A026 unknown attachment', () => respond('300000200001', 2, { attachments: [adviceDocument(FX.documents.unknown, 'GUIDANCE_RESPONSE', new Date().toISOString())] }), 422, 'REFERENCE_NOT_FOUND'],
    ['A026 a referrer', () => respond('300000200001', 2, {}, rc(sim)), 403, 'FORBIDDEN'],
    ['A027 not authorised', () => convert('300000200003', 1), 422, 'INVALID_REQUEST_STATE'],
    ['A027 unknown', () => convert(FX.referrals.unknown, 1), 404, 'REFERENCE_NOT_FOUND'],
    ['A044 two services', () => send(sim, 'POST', A044, rc(sim), adviceBody({ services: [FX.services.adviceAndGuidance, FX.services.directlyBookable] })), 422, 'TOO_MANY_ITEMS'],
    ['A044 not an A&G service', () => send(sim, 'POST', A044, rc(sim), adviceBody({ services: [FX.services.directlyBookable] })), 422, 'INAPPROPRIATE_VALUE'],
    ['A044 RCA without clinician', () => send(sim, 'POST', A044, as(sim, 'REFERRING_CLINICIAN_ADMIN'), adviceBody()), 422, 'VALUE_IS_REQUIRED'],
    ['A023 referrer', () => send(sim, 'POST', A023, rc(sim), buildAdviceWorklistRequest({}, base())), 403, 'FORBIDDEN'],
    ['A023 unknown service', () => send(sim, 'POST', A023, spc(), buildAdviceWorklistRequest({ service: FX.services.unknown }, base())), 422, 'REFERENCE_NOT_FOUND'],
  ];
  for (const [name, call, status, code] of cases) it(`${name} -> ${status} ${code}`, async () => { await assertStu3Outcome(await call(), status, code); });

  it('A026 guidance with an attachment uploaded for the request links it (GUIDANCE_RESPONSE)', async () => {
    const { ubrn } = await newAdvice();
    const up = await send(sim, 'POST', '/STU3/Binary', { ...spc(), 'Content-Type': 'text/plain', 'NHSD-eRS-File-Name': 'plan.txt', 'NHSD-eRS-Referral-ID': ubrn }, Buffer.from('treatment plan'));
    assert.equal(up.status, 201, await up.clone().text());
    const id = (up.headers.get('location') as string).replace(/^Binary\//, '');
    const res = await respond(ubrn, 1, { attachments: [adviceDocument(id, 'GUIDANCE_RESPONSE', new Date().toISOString())] });
    assert.equal(res.status, 200, await res.text());
    await assertStu3Outcome(await respond((await newAdvice()).ubrn, 1, { attachments: [adviceDocument(id, 'GUIDANCE_RESPONSE', new Date().toISOString())] }), 422, 'INVALID_STATE');
  });
});
