// The exchange rules (src/conformance/rules/) against real e-RS answers: each test takes an answer of the embedded
// simulator, shows it passes, plants one realistic defect in it and shows checkExchange catches it with its rule id,
// as an error that fails the scenario as a product defect of the target (responseRuleErrors) — or, on the request side,
// one that supplier mode judges.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkAsText, checkExchange, responseRuleErrors } from '../../src/conformance/check-exchange.ts';
import { loadFacts } from '../../src/conformance/rules/facts.ts';
import { applyExchangeRules } from '../../src/conformance/rules/index.ts';
import { identifierProblem, loadIdentifierFormats, nhsCheckDigit } from '../../src/conformance/rules/identifiers.ts';
import { parseMediaType } from '../../src/conformance/rules/media-type.ts';
import { expandPath, findOperation, type AccessMode } from '../../src/ers/operations.ts';
import { fhirBaseOf } from '../../src/ers/requests.ts';
import { sampleRequest, type SampleContext } from '../../src/ers/sample-requests.ts';
import { createValidator, type Validator } from '../../src/fhir/index.ts';
import { createErsClient, type ErsClient, type ErsRequest } from '../../src/http/client.ts';
import type { Exchange } from '../../src/http/exchange.ts';
import { createSimulator, type ObservedExchange, type Simulator } from '../../src/simulator/index.ts';
import { createCapture } from '../../src/supplier/capture.ts';
import { requestConformance } from '../../src/supplier/checks.ts';
import { loadFixtures } from '../../src/targets/fixtures.ts';

const fixtures = loadFixtures('simulator', fileURLToPath(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url)));
interface Who { mode: AccessMode; userId: string; ods?: string; businessFunction: string; onBehalfOf?: string }
const user = (key: string): Who => ({ mode: 'user-restricted', ...fixtures.get<Omit<Who, 'mode'>>(`actors.${key}`) });
const app = (key: string): Who => ({ mode: 'application-restricted', ...fixtures.get<Omit<Who, 'mode'>>(`applications.${key}`) });
const RC = user('REFERRING_CLINICIAN');

let sim: Simulator;
let client: ErsClient;
let validator: Validator;
before(async () => {
  [sim, validator] = await Promise.all([createSimulator(), createValidator({ packagePaths: [], onlyPackagePaths: true })]);
  client = createErsClient({ baseUrl: sim.baseUrl, timeoutMs: 10_000, maxBodyBytes: 10 * 1024 * 1024 });
});
after(async () => {
  await client?.close();
  await sim?.close();
});

type Send = Partial<Pick<ErsRequest, 'query' | 'body' | 'contentType' | 'ifMatch' | 'headers' | 'correlationId'>> & { params?: Record<string, string> };
function send(who: Who, operation: string, r: Send = {}): Promise<Exchange> {
  const op = findOperation(operation);
  const token = sim.issueToken(who.mode === 'user-restricted'
    ? { mode: who.mode, userId: who.userId, ial: 3, aal: 'AAL3' }
    : { mode: who.mode, userId: who.userId, ods: who.ods, businessFunction: who.businessFunction, asid: '200000000001' });
  return client.send({
    operation, method: op.method, path: expandPath(op, r.params ?? {}), query: r.query, accessToken: token,
    ...(who.mode === 'user-restricted' ? { businessFunction: who.businessFunction, odsCode: who.ods, onBehalfOf: who.onBehalfOf } : {}),
    ifMatch: r.ifMatch, body: r.body, contentType: r.contentType, headers: r.headers, correlationId: r.correlationId,
  });
}

function context(who: Who): SampleContext {
  return {
    fixtures,
    fhirBase: fhirBaseOf(sim.baseUrl),
    caller: { mode: who.mode, businessFunction: who.businessFunction },
    async read(operation, params) {
      return (await send(RC, operation, { params })).response!.body.json as Record<string, unknown>;
    },
  };
}

async function representative(who: Who, operation: string): Promise<Exchange> {
  sim.reset();
  const r = await sampleRequest(operation, context(who));
  return send(who, operation, r);
}

const checkOf = (ex: Exchange, operation: string, accessMode: AccessMode = 'user-restricted') =>
  checkExchange(ex, { validator, operation, fhirVersion: findOperation(operation).fhirVersion, accessMode });
/** The exchange-rule findings (rule ids) on the response, and what fails the step. */
function ruleIds(ex: Exchange, operation: string, accessMode: AccessMode = 'user-restricted', direction: 'request' | 'response' = 'response'): string[] {
  return checkOf(ex, operation, accessMode).rules.filter((f) => f.direction === direction).map((f) => f.rule);
}
function failsWith(ex: Exchange, operation: string, rule: string, message: RegExp, accessMode: AccessMode = 'user-restricted'): void {
  const errors = responseRuleErrors(checkOf(ex, operation, accessMode)).filter((e) => e.startsWith(`${rule} at `));
  assert.equal(errors.length, 1, `expected one ${rule} error that fails the scenario as a product defect; got:\n${responseRuleErrors(checkOf(ex, operation, accessMode)).join('\n')}`);
  assert.match(errors[0]!, message);
}
/** A copy of a real answer with one planted change. */
function planted(ex: Exchange, change: (r: NonNullable<Exchange['response']>) => void): Exchange {
  const copy = structuredClone(ex);
  change(copy.response!);
  return copy;
}
const setJson = (r: NonNullable<Exchange['response']>, json: unknown): void => {
  r.body.json = json;
  r.body.text = json === undefined ? '' : JSON.stringify(json);
  r.body.bytes = Buffer.byteLength(r.body.text);
};
const dropHeader = (headers: Record<string, string>, name: string): void => {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
};
const setHeader = (headers: Record<string, string>, name: string, value: string): void => {
  dropHeader(headers, name);
  headers[name] = value;
};

describe('identifiers with a format', () => {
  it('an NHS number with a wrong modulus-11 check digit in a referral read is ers:nhs-number-check-digit', async () => {
    const ex = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.unbooked') } });
    assert.equal(ex.response?.status, 200);
    assert.deepEqual(ruleIds(ex, 'A005'), []);
    const text = ex.response!.body.text;
    const nhs = /"system":"http:\/\/fhir\.nhs\.net\/Id\/nhs-number","value":"(\d{10})"/.exec(text)?.[1];
    assert.ok(nhs, 'the referral names its patient by NHS number');
    const wrong = nhs.slice(0, 9) + String((Number(nhs[9]) + 1) % 10);
    const bad = planted(ex, (r) => setJson(r, JSON.parse(r.body.text.replaceAll(nhs, wrong))));
    failsWith(bad, 'A005', 'ers:nhs-number-check-digit', new RegExp(`^ers:nhs-number-check-digit at ReferralRequest\\.[\\w.\\[\\]]+\\.value: NHS number ${wrong} fails the modulus-11 check: its check digit is ${wrong[9]}, the first nine digits give ${nhs[9]}`));
  });

  it('an ODS code and an SDS user id out of shape in the R4 PractitionerRole bundle are ers:ods-code-format and ers:sds-user-id-format', async () => {
    const ex = await send(RC, 'A030');
    assert.equal(ex.response?.status, 200, ex.response?.body.text.slice(0, 300));
    assert.deepEqual(ruleIds(ex, 'A030'), []);
    const bad = planted(ex, (r) => setJson(r, JSON.parse(r.body.text.replaceAll(`"${RC.ods}"`, `"${RC.ods!.toLowerCase()}"`).replaceAll(`"${RC.userId}"`, `"${RC.userId.slice(1)}"`))));
    const ids = ruleIds(bad, 'A030');
    assert.ok(ids.includes('ers:ods-code-format') && ids.includes('ers:sds-user-id-format'), ids.join());
    failsWith(bad, 'A030', 'ers:sds-user-id-format', new RegExp(`SDS user id '${RC.userId.slice(1)}' is not 12 digits`));
  });

  it('in supplier mode, an ODS header and a patient NHS number the system sends out of shape are findings of request conformance', () => {
    const capture = createCapture(() => 'http://127.0.0.1:8710');
    const w = capture.open('test');
    const body = { resourceType: 'Parameters', parameter: [{ name: 'patient', valueIdentifier: { system: 'http://fhir.nhs.net/Id/nhs-number', value: '9991010010' } }] };
    capture.observe(observed('POST', '/referrals/FHIR/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient', { 'content-type': 'application/fhir+json', 'nhsd-end-user-organisation-ods': 'Y9000 1' }, JSON.stringify(body)));
    const j = requestConformance(w.ers(), w.all(), { validator });
    assert.ok(j.findings.some((f) => /ers:nhs-number-check-digit at Parameters\.parameter\[0\]\.valueIdentifier\.value: NHS number 9991010010 fails the modulus-11 check/.test(f)), j.findings.join('\n'));
    assert.ok(j.findings.some((f) => /ers:ods-code-format at request\.header\.nhsd-end-user-organisation-ods: ODS code 'Y9000 1' is not/.test(f)), j.findings.join('\n'));
  });

  test('the check digit table: known-good numbers pass, each known-bad one gets its exact finding', () => {
    const [nhs] = loadIdentifierFormats();
    assert.equal(nhs!.name, 'NHS number');
    for (const good of ['9991010017', '9912003888', '9462979626', '4010232137']) assert.equal(identifierProblem(nhs!, good), undefined, good);
    assert.equal(nhsCheckDigit('401023213'), 7);
    const cases: [unknown, string, string][] = [
      ['9991010010', 'ers:nhs-number-check-digit', 'NHS number 9991010010 fails the modulus-11 check: its check digit is 0, the first nine digits give 7'],
      ['9312201101', 'ers:nhs-number-check-digit', 'NHS number 9312201101 fails the modulus-11 check: its check digit is 1, the first nine digits give 7'],
      ['1000000010', 'ers:nhs-number-check-digit', 'NHS number 1000000010 fails the modulus-11 check: no valid NHS number starts 100000001 (its check digit would be 10)'],
      ['99120038881', 'ers:nhs-number-format', "NHS number '99120038881' is not 10 digits"],
      ['991 201 0017', 'ers:nhs-number-format', "NHS number '991 201 0017' is not 10 digits"],
      [9991010017, 'ers:nhs-number-format', 'NHS number a number is not 10 digits'],
    ];
    for (const [value, rule, message] of cases) assert.deepEqual(identifierProblem(nhs!, value), { rule, message }, String(value));
  });
});

describe('media types', () => {
  it('fhirVersion=4.0 on an STU3 answer, application/json and a Latin-1 charset are findings; fhirVersion=3.0 is not', async () => {
    const ex = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.unbooked') } });
    assert.equal(ex.response?.status, 200, JSON.stringify(ex.error));
    assert.deepEqual(ruleIds(ex, 'A005'), []);
    assert.deepEqual(ruleIds(planted(ex, (r) => setHeader(r.headers, 'Content-Type', 'application/fhir+json; fhirVersion=3.0')), 'A005'), []);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'Content-Type', 'application/fhir+json; fhirVersion=4.0')), 'A005', 'ers:media-type-parameter',
      /^ers:media-type-parameter at response\.header\.Content-Type: Content-Type application\/fhir\+json; fhirVersion=4\.0 says fhirVersion=4\.0 on an STU3 endpoint/);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'Content-Type', 'application/json')), 'A005', 'ers:media-type', /Content-Type application\/json on a 200 ReferralRequest answer; a FHIR body is served as application\/fhir\+json/);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'Content-Type', 'application/fhir+json; charset=ISO-8859-1')), 'A005', 'ers:media-type-parameter', /charset=ISO-8859-1; FHIR JSON is UTF-8/);
  });

  it('fhirVersion=3.0 on an R4 answer is a finding', async () => {
    const ex = await send(RC, 'A033', { params: { id: fixtures.get('directory.service') } });
    assert.equal(ex.response?.status, 200);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'Content-Type', 'application/fhir+json;fhirVersion=3.0')), 'A033', 'ers:media-type-parameter', /fhirVersion=3\.0 on an R4 endpoint/);
  });

  it('in supplier mode, a request sent as application/fhir+json; fhirVersion=4.0 to an STU3 operation is a finding', () => {
    const capture = createCapture(() => 'http://127.0.0.1:8710');
    const w = capture.open('test');
    const body = { resourceType: 'Parameters', parameter: [{ name: 'patient', valueIdentifier: { system: 'http://fhir.nhs.net/Id/nhs-number', value: '9991010017' } }] };
    capture.observe(observed('POST', '/referrals/FHIR/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient', { 'content-type': 'application/fhir+json; fhirVersion=4.0' }, JSON.stringify(body)));
    const j = requestConformance(w.ers(), w.all(), { validator });
    assert.ok(j.findings.some((f) => /ers:media-type-parameter at request\.header\.Content-Type: .*fhirVersion=4\.0 on an STU3 endpoint/.test(f)), j.findings.join('\n'));
  });

  test('media types parse case-insensitively, with quoted parameters', () => {
    assert.deepEqual(parseMediaType('Application/FHIR+JSON; FhirVersion="3.0" ;charset=UTF-8'), { type: 'application/fhir+json', params: { fhirversion: '3.0', charset: 'UTF-8' } });
    assert.equal(parseMediaType(''), undefined);
  });
});

describe('success statuses exactly', () => {
  it('a create (A011) answered 200 instead of 201 is ers:success-status', async () => {
    const ex = await representative(RC, 'A011');
    assert.equal(ex.response?.status, 201, ex.response?.body.text.slice(0, 300));
    assert.deepEqual(ruleIds(ex, 'A011'), []);
    failsWith(planted(ex, (r) => { r.status = 200; }), 'A011', 'ers:success-status', /^ers:success-status at response\.status: A011 answered 200; the catalogue documents 201 for its success/);
  });

  it('a read (A005) answered 201, and an upload (A020) answered 201 without Location, are findings', async () => {
    const read = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.unbooked') } });
    failsWith(planted(read, (r) => { r.status = 201; }), 'A005', 'ers:success-status', /A005 answered 201; the catalogue documents 200/);
    const upload = await representative(RC, 'A020');
    assert.equal(upload.response?.status, 201);
    assert.deepEqual(ruleIds(upload, 'A020'), []);
    failsWith(planted(upload, (r) => dropHeader(r.headers, 'location')), 'A020', 'ers:success-location', /A020 answered 201 without the Location header/);
  });
});

describe('a documented OperationOutcome is never replaced', () => {
  it('an R4 404 (A033, unknown service) with an empty body is ers:error-outcome', async () => {
    const ex = await send(RC, 'A033', { params: { id: fixtures.get('directory.unknownService') } });
    assert.equal(ex.response?.status, 404, ex.response?.body.text.slice(0, 300));
    assert.deepEqual(ruleIds(ex, 'A033'), []);
    failsWith(planted(ex, (r) => setJson(r, undefined)), 'A033', 'ers:error-outcome', /^ers:error-outcome at response\.body: A033 answered 404 with an empty body; the catalogue documents an OperationOutcome for 404/);
  });

  it('an STU3 422 (A005 of an A&G UBRN) with plain text or another resource in place of its OperationOutcome is a finding', async () => {
    const ex = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.adviceAndGuidance') } });
    assert.equal(ex.response?.status, 422);
    assert.deepEqual(ruleIds(ex, 'A005'), []);
    failsWith(planted(ex, (r) => { setJson(r, undefined); r.body.text = 'Unprocessable'; r.body.bytes = 13; setHeader(r.headers, 'Content-Type', 'text/plain'); r.body.contentType = 'text/plain'; }), 'A005', 'ers:error-outcome', /422 with a body that is not an OperationOutcome \(text\/plain: "Unprocessable"\)/);
    failsWith(planted(ex, (r) => setJson(r, { resourceType: 'Bundle', type: 'searchset' })), 'A005', 'ers:error-outcome', /422 with a Bundle/);
  });

  it('the documented empty 403 (application call carrying user-context headers, STU3 and R4) and an STU3 404 with no documented body are not findings', async () => {
    const provider = app('provider');
    const ex = await send(provider, 'A005', { params: { ubrn: fixtures.get('referrals.bookedDbs') }, headers: { 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN' } });
    assert.equal(ex.response?.status, 403);
    assert.deepEqual(ruleIds(planted(ex, (r) => setJson(r, undefined)), 'A005', 'application-restricted').filter((id) => id === 'ers:error-outcome'), []);
    const r4 = await send(app('referrer'), 'A033', { params: { id: fixtures.get('directory.service') }, headers: { 'x-ers-ods-code': fixtures.get('organisations.referring') } });
    assert.equal(r4.response?.status, 403);
    assert.deepEqual(ruleIds(planted(r4, (r) => setJson(r, undefined)), 'A033', 'application-restricted').filter((id) => id === 'ers:error-outcome'), []);
    const missing = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.unknown') } });
    assert.equal(missing.response?.status, 404);
    assert.deepEqual(ruleIds(planted(missing, (r) => setJson(r, undefined)), 'A005').filter((id) => id === 'ers:error-outcome'), []);
  });
});

describe('headers documented on every answer', () => {
  it('a missing X-Request-ID, a changed X-Correlation-ID, a missing ETag and an ETag that is not the version are findings', async () => {
    const ex = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.unbooked') }, correlationId: 'corr-17' });
    assert.deepEqual(ruleIds(ex, 'A005'), []);
    failsWith(planted(ex, (r) => dropHeader(r.headers, 'x-request-id')), 'A005', 'ers:x-request-id', /^ers:x-request-id at response\.header\.X-Request-ID: a 200 answer without X-Request-ID/);
    failsWith(planted(ex, (r) => dropHeader(r.headers, 'x-correlation-id')), 'A005', 'ers:x-correlation-id', /the X-Correlation-ID sent \(corr-17\) is not echoed on the 200 answer/);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'X-Correlation-ID', 'corr-18')), 'A005', 'ers:x-correlation-id', /X-Correlation-ID corr-18 on the answer is not the one sent \(corr-17\)/);
    failsWith(planted(ex, (r) => dropHeader(r.headers, 'etag')), 'A005', 'ers:etag', /A005 answered 200 without the ETag/);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'ETag', '"1"')), 'A005', 'ers:etag', /ETag "1" is not a weak version tag/);
    failsWith(planted(ex, (r) => setHeader(r.headers, 'ETag', 'W/"999"')), 'A005', 'ers:etag-version', /ETag W\/"999" is not the returned resource's meta\.versionId/);
  });

  it('an error answer without X-Request-ID is a finding; a 401 (the proxy only reflects the caller\'s own) is not', async () => {
    const refused = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.adviceAndGuidance') } });
    failsWith(planted(refused, (r) => dropHeader(r.headers, 'x-request-id')), 'A005', 'ers:x-request-id', /a 422 answer without X-Request-ID/);
    const unauthorised = await client.send({ operation: 'A005', method: 'GET', path: `/STU3/ReferralRequest/${fixtures.get('referrals.unbooked')}` });
    assert.equal(unauthorised.response?.status, 401);
    assert.deepEqual(ruleIds(planted(unauthorised, (r) => dropHeader(r.headers, 'x-request-id')), 'A005').filter((id) => id === 'ers:x-request-id'), []);
  });

  test('the findings are listed in the validation attachment', async () => {
    const ex = await send(RC, 'A005', { params: { ubrn: fixtures.get('referrals.unbooked') } });
    assert.match(checkAsText(checkOf(planted(ex, (r) => dropHeader(r.headers, 'x-request-id')), 'A005')), /Exchange rules — 1 finding\(s\)\n {2}\[error\] response ers:x-request-id at response\.header\.X-Request-ID/);
  });
});

test('a rule that throws is a finding naming it, never a crash; an exchange with an unusable URL and no body breaks no rule', () => {
  const throwing = { name: 'broken-rule', check: () => { throw new TypeError('boom'); } };
  const failed = applyExchangeRules({} as Exchange, { operation: 'A005', fhirVersion: 'STU3', accessMode: 'user-restricted' }, [throwing]);
  assert.deepEqual(failed.map((f) => [f.rule, f.path, f.message]), [['rule-failure', 'broken-rule', 'the broken-rule rule could not be applied (boom)']]);
  const ex: Exchange = { id: 'x', operation: 'A005', correlationId: undefined, startedAt: new Date().toISOString(), durationMs: 1, attempts: 1, request: { method: 'GET', url: 'not a url', headers: {} }, response: { status: 200, headers: {}, body: { text: '', bytes: 0, contentType: undefined, truncated: false, binary: false } } };
  const check = checkExchange(ex, { validator, operation: 'A005', fhirVersion: 'STU3', accessMode: 'user-restricted' });
  assert.ok(check.rules.every((f) => f.rule !== 'rule-failure'), check.rules.map((f) => f.message).join('\n'));
});

const SHARED_CATALOGUE = fileURLToPath(new URL('../../../shared/ers-api/catalogue.json', import.meta.url));
test('profiles/exchange-facts.yaml says what catalogue.json says of each operation', { skip: existsSync(SHARED_CATALOGUE) ? false : `the e-RS catalogue is not beside the repository (${SHARED_CATALOGUE})` }, () => {
  interface Resp { status: number; resourceType?: string | null; headers?: string[] }
  const catalogue = JSON.parse(readFileSync(SHARED_CATALOGUE, 'utf8')) as { endpoints: { opKey: string; responses: Resp[] }[] };
  const facts = loadFacts();
  const documented = catalogue.endpoints.filter((e) => /^A\d/.test(e.opKey));
  assert.deepEqual([...facts.keys()].sort(), documented.map((e) => e.opKey).sort());
  for (const e of documented) {
    const f = facts.get(e.opKey)!;
    const ok = e.responses.find((r) => r.status >= 200 && r.status < 400)!;
    const headers = (ok.headers ?? []).map((h) => h.split(':')[0]!.toLowerCase());
    assert.equal(f.success, ok.status, `${e.opKey} success`);
    assert.equal(f.etag, headers.includes('etag'), `${e.opKey} etag`);
    assert.equal(f.location, headers.includes('location'), `${e.opKey} location`);
    assert.deepEqual(f.outcome, e.responses.filter((r) => r.status >= 400 && r.resourceType === 'OperationOutcome').map((r) => r.status), `${e.opKey} outcome`);
  }
});

function observed(method: string, path: string, headers: Record<string, string>, body: string): ObservedExchange {
  return {
    method, path, query: '', headers: { authorization: 'Bearer user-token', 'x-correlation-id': 'c-1', ...headers }, body: Buffer.from(body),
    status: 200, responseHeaders: {}, responseBody: '', operationId: undefined, receivedAt: new Date().toISOString(), durationMs: 5, reset: false,
  };
}
