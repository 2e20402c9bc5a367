// The contract checker against the real e-RS OpenAPI document and the sandbox examples it embeds.
// Both are read from the shared folder next to the repo (the project ships no copy); without them the
// tests are skipped with the reason.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadContract, type Contract, type ContractFinding, type ExchangeShape } from '../../src/openapi/index.ts';

const SPEC = fileURLToPath(new URL('../../../shared/ers-api/openapi.json', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../shared/ers-api/examples/', import.meta.url));
const INDEX = `${EXAMPLES}INDEX.json`;
const skip = !existsSync(SPEC)
  ? `e-RS OpenAPI document not found at ${SPEC} (the project ships no copy)`
  : !existsSync(INDEX) ? `example index not found at ${INDEX}` : false;

interface IndexUse { method: string; path: string; operationId: string; in: 'response' | 'requestBody'; status?: string; contentType: string }
interface IndexFile { file: string; openapi: IndexUse[] }

/**
 * Examples the spec ships that break its own schema. Every use of the file listed here must produce
 * exactly these findings; every other example use must produce none.
 */
const KNOWN_VIOLATIONS: { file: string; findings: { rule: string; path: string }[]; reason: string }[] = [
  {
    file: 'stu3/STU3-Unauthorised.json',
    findings: [{ rule: 'openapi:response-body', path: 'response.body/issue/0/details/coding/0/display' }],
    reason:
      "issue[0].details.coding[0] has system and code but no display; the STU3-OperationOutcome schema used for every 401 requires 'display' " +
      '(it is the one no-invalid-schema-examples warning redocly lint reports for the bundle)',
  },
];

const brief = (fs: ContractFinding[]) => fs.map((f) => `${f.rule} ${f.path}`);
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, (m) => (m === '{codeSystemType}' ? 'SPECIALTY' : '000000070000'));

// counted as a skipped test (not only a skipped suite) so the summary shows it
if (skip) test('contract checks against the real e-RS OpenAPI document', { skip }, () => {});

describe('e-RS OpenAPI document', { skip }, () => {
  let contract: Contract;
  before(async () => {
    contract = await loadContract(SPEC);
  });

  test('has the 40 operations, matched from any server base', () => {
    assert.equal(contract.operations().length, 40);
    const want = { operationId: 'a005-retrieve-referral-request', path: '/STU3/ReferralRequest/{ubrn}' };
    for (const base of ['https://sandbox.api.service.nhs.uk/referrals/FHIR', 'https://int.api.service.nhs.uk/referrals/FHIR', '', 'http://localhost:3000/facade']) {
      assert.deepEqual(contract.operationFor('GET', `${base}/STU3/ReferralRequest/000000070000`), want, base);
    }
    assert.equal(contract.operationFor('POST', '/referrals/FHIR/STU3/ReferralRequest/$ers.fetchworklist')?.operationId, 'a008-retrieve-worklist');
    assert.equal(contract.operationFor('POST', '/STU3/ReferralRequest/%24ers.createReferral')?.operationId, 'a011-create-referral');
    assert.equal(contract.operationFor('HEAD', '/R4/HealthcareService/123')?.operationId, 'a037-retrieve-healthcare-service-version');
    assert.equal(contract.operationFor('GET', '/R4/HealthcareService/123')?.operationId, 'a033-retrieve-healthcare-service');
  });

  describe('every example the spec uses conforms to its operation schema (except the recorded violations)', { skip }, () => {
    const index = skip ? { files: [] as IndexFile[] } : (JSON.parse(readFileSync(INDEX, 'utf8')) as { files: IndexFile[] });
    for (const entry of index.files.filter((f) => f.openapi.length > 0)) {
      test(entry.file, () => {
        const body: unknown = JSON.parse(readFileSync(`${EXAMPLES}${entry.file}`, 'utf8'));
        const known = KNOWN_VIOLATIONS.find((k) => k.file === entry.file);
        for (const use of entry.openapi) {
          const isRequest = use.in === 'requestBody';
          // The example files carry bodies only, so header findings are out of scope here; status,
          // operation, content type and body findings are all kept.
          const ex: ExchangeShape = isRequest
            ? { method: use.method, url: concrete(use.path), requestHeaders: {}, requestBody: body, requestContentType: use.contentType, status: 500, responseHeaders: {} }
            : { method: use.method, url: concrete(use.path), requestHeaders: {}, status: Number(use.status), responseHeaders: {}, responseBody: body, responseContentType: use.contentType };
          const side = isRequest ? 'request' : 'response';
          const found = contract.check(ex).filter((f) =>
            f.rule === 'openapi:unknown-operation' || f.rule === 'openapi:status' || f.path.startsWith(`${side}.body`) ||
            (f.rule === 'openapi:content-type' && f.path.startsWith(side)));
          const where = `${use.method} ${use.path} ${use.in} ${use.status ?? ''}`;
          assert.equal(contract.operationFor(use.method, ex.url)?.operationId, use.operationId, where);
          assert.deepEqual(brief(found), (known?.findings ?? []).map((k) => `${k.rule} ${k.path}`), where);
        }
      });
    }
  });

  describe('hand-made negatives', () => {
    const retrieveReferral = (over: Partial<ExchangeShape> = {}): ExchangeShape => ({
      method: 'GET',
      url: 'https://int.api.service.nhs.uk/referrals/FHIR/STU3/ReferralRequest/000000070000',
      requestHeaders: { Authorization: 'Bearer x', 'NHSD-End-User-Organisation-ODS': 'R69', 'NHSD-eRS-Business-Function': 'REFERRING_CLINICIAN' },
      status: 200,
      responseHeaders: { 'Content-Type': 'application/fhir+json;charset=UTF-8', ETag: 'W/"6"', 'X-Request-ID': 'r1' },
      responseBody: JSON.parse(readFileSync(`${EXAMPLES}stu3/retrieveReferralRequest/responses/BookedDBS.json`, 'utf8')),
      accessMode: 'user-restricted',
      ...over,
    });
    const outcome422 = (): { issue: { code?: string }[] } =>
      JSON.parse(readFileSync(`${EXAMPLES}stu3/STU3-OperationOutcome.json`, 'utf8'));

    test('baseline: a well-formed A005 exchange has no findings', () => {
      assert.deepEqual(contract.check(retrieveReferral()), []);
    });

    test('an undeclared status is openapi:status, naming the declared ones', () => {
      const fs = contract.check(retrieveReferral({ status: 418, responseBody: undefined }));
      assert.deepEqual(brief(fs), ['openapi:status response.status']);
      assert.match(fs[0]?.message ?? '', /HTTP 418 is not a declared response of a005-retrieve-referral-request; declared: 200, 400, 401/);
    });

    test('a body missing a required property is openapi:response-body at its pointer', () => {
      const body = outcome422();
      delete body.issue[0]?.code;
      const fs = contract.check(retrieveReferral({ status: 422, responseHeaders: { 'content-type': 'application/fhir+json' }, responseBody: body }));
      assert.deepEqual(brief(fs), ['openapi:response-body response.body/issue/0/code']);
      assert.match(fs[0]?.message ?? '', /missing required property 'code'/);
    });

    test('an enum violation names the allowed values', () => {
      const body = outcome422() as unknown as { issue: { details: { coding: { system: string }[] } }[] };
      const coding = body.issue[0]?.details.coding[0];
      if (coding) coding.system = 'https://example.org/codes';
      const fs = contract.check(retrieveReferral({ status: 422, responseHeaders: { 'content-type': 'application/fhir+json' }, responseBody: body }));
      assert.deepEqual(brief(fs), ['openapi:response-body response.body/issue/0/details/coding/0/system']);
      assert.match(fs[0]?.message ?? '', /must be one of "https:\/\/fhir\.nhs\.uk\/STU3\/CodeSystem\/eRS-APIErrorCode-1"; got "https:\/\/example\.org\/codes"/);
    });

    test('a missing required request header is openapi:request-header (names matched case-insensitively)', () => {
      const createReferral: ExchangeShape = {
        method: 'POST',
        url: '/referrals/FHIR/STU3/ReferralRequest/$ers.createReferral',
        requestHeaders: { 'nhsd-end-user-organisation-ods': 'R69', 'content-type': 'application/fhir+json' },
        requestBody: JSON.parse(readFileSync(`${EXAMPLES}stu3/createReferral/requests/MinimalRequest.json`, 'utf8')),
        status: 503,
        responseHeaders: {},
      };
      const fs = contract.check(createReferral);
      assert.deepEqual(brief(fs), ['openapi:request-header request.header.NHSD-eRS-Business-Function']);
      assert.deepEqual(contract.check({ ...createReferral, requestHeaders: { ...createReferral.requestHeaders, 'NHSD-ERS-BUSINESS-FUNCTION': 'REFERRING_CLINICIAN' } }), []);
      const wrong = contract.check({ ...createReferral, requestHeaders: { ...createReferral.requestHeaders, 'nhsd-ers-business-function': 'JANITOR' } });
      assert.deepEqual(brief(wrong), ['openapi:request-header request.header.NHSD-eRS-Business-Function']);
      assert.match(wrong[0]?.message ?? '', /must be one of "REFERRING_CLINICIAN", .*; got "JANITOR"/);
    });

    test('user-restricted-only headers: required for user-restricted, not required and not allowed for application-restricted', () => {
      const noUserHeaders = { Authorization: 'Bearer x' };
      assert.deepEqual(brief(contract.check(retrieveReferral({ requestHeaders: noUserHeaders }))), [
        'openapi:request-header request.header.NHSD-End-User-Organisation-ODS',
        'openapi:request-header request.header.NHSD-eRS-Business-Function',
      ]);
      assert.deepEqual(contract.check(retrieveReferral({ requestHeaders: noUserHeaders, accessMode: 'application-restricted' })), []);
      const fs = contract.check(retrieveReferral({ accessMode: 'application-restricted' }));
      assert.deepEqual(brief(fs), [
        'openapi:request-header request.header.NHSD-End-User-Organisation-ODS',
        'openapi:request-header request.header.NHSD-eRS-Business-Function',
      ]);
      assert.match(fs[0]?.message ?? '', /not allowed for application-restricted access/);
      // operations whose ODS/business-function headers are plainly required: not required for application-restricted
      const task: ExchangeShape = {
        method: 'GET', url: '/STU3/Task?focus=ReferralRequest/000000070000/_history/6&intent=proposal&status=ready',
        requestHeaders: {}, status: 503, responseHeaders: {}, accessMode: 'application-restricted',
      };
      assert.deepEqual(contract.check(task), []);
      assert.deepEqual(brief(contract.check({ ...task, accessMode: undefined })), [
        'openapi:request-header request.header.NHSD-End-User-Organisation-ODS',
        'openapi:request-header request.header.NHSD-eRS-Business-Function',
      ]);
    });

    test('required query parameters and their values', () => {
      const task: ExchangeShape = {
        method: 'GET', url: '/STU3/Task?intent=offer&status=ready', requestHeaders: {}, status: 503, responseHeaders: {}, accessMode: 'application-restricted',
      };
      assert.deepEqual(brief(contract.check(task)), ['openapi:query-parameter request.query.focus', 'openapi:query-parameter request.query.intent']);
    });

    test('an unknown path is openapi:unknown-operation', () => {
      const fs = contract.check(retrieveReferral({ url: '/referrals/FHIR/STU3/Patient/9000000009' }));
      assert.deepEqual(fs.map((f) => [f.severity, f.rule]), [['warning', 'openapi:unknown-operation']]);
      const del = contract.check(retrieveReferral({ method: 'DELETE' }));
      assert.match(del[0]?.message ?? '', /declared only for GET/);
    });

    test('response headers and content type against the declared response', () => {
      assert.deepEqual(brief(contract.check(retrieveReferral({ responseHeaders: { 'content-type': 'application/fhir+json' } }))), ['openapi:response-header response.header.ETag']);
      assert.deepEqual(brief(contract.check(retrieveReferral({ responseHeaders: { 'content-type': 'application/fhir+json', etag: '6' } }))), ['openapi:response-header response.header.ETag']);
      const fs = contract.check(retrieveReferral({ responseHeaders: { 'content-type': 'application/json', ETag: 'W/"6"' } }));
      assert.deepEqual(brief(fs), ['openapi:content-type response.header.Content-Type']);
      assert.match(fs[0]?.message ?? '', /application\/json is not declared for HTTP 200 of a005-retrieve-referral-request; declared: application\/fhir\+json/);
    });

    test('path parameters against their schema', () => {
      const codeSystem: ExchangeShape = { method: 'GET', url: '/STU3/CodeSystem/COLOUR', requestHeaders: {}, status: 503, responseHeaders: {}, accessMode: 'application-restricted' };
      assert.deepEqual(brief(contract.check(codeSystem)), ['openapi:path-parameter request.path.codeSystemType']);
    });
  });
});
