// Wrong-but-plausible error bodies planted into real answers (the simulator's, and the NHS's own example files):
// each is what a scenario that checks only the status, or only the code, used to pass. The judge must name each one,
// and must pass the real answer it was planted into.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorCatalogue, errorResponseProblems, parseGists, type ErrorAnswer } from '../../src/ers/documented-errors.ts';
import { REPO_ROOT } from '../../src/evidence/manifest.ts';
import type { Exchange } from '../../src/http/exchange.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { assertAsDocumented } from '../../support/documented-errors.ts';
import type { ErsWorld } from '../../support/world.ts';
import { A005, actor, get, start, userHeaders } from '../simulator/helpers.ts';

const catalogue = errorCatalogue();
const EXAMPLES = join(REPO_ROOT, '..', 'shared', 'ers-api', 'examples');
const skip = catalogue && existsSync(EXAMPLES) ? false : 'the e-RS API catalogue and examples (../shared/ers-api) are not beside the repository';
const example = (path: string): any => JSON.parse(readFileSync(join(EXAMPLES, path), 'utf8'));
const clone = <T>(v: T): T => structuredClone(v);

const AAL1 = 'The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help.';
const IAL2 = "We couldn't verify your identity. Contact your local Registration Authority or IT department for help.";

function judge(a: Partial<ErrorAnswer> & { operation: string; status: number; json: unknown }, expect = {}): string[] {
  return errorResponseProblems(catalogue!, { text: JSON.stringify(a.json ?? ''), ...a }, expect);
}

describe('error answers planted with a wrong-but-plausible body are caught', { skip }, () => {
  let sim: Simulator;
  let forbidden: any; // the simulator's real A005 403 answer to a REFERRING_ADMIN
  before(async () => {
    sim = await start();
    const res = await get(sim, A005('300000100001'), userHeaders(sim, actor('REFERRING_ADMIN')));
    assert.equal(res.status, 403);
    forbidden = await res.json();
  });
  after(async () => sim?.close());

  it('the real answers pass', () => {
    assert.deepEqual(judge({ operation: 'A005', status: 403, json: forbidden }), []);
    assert.deepEqual(judge({ operation: 'A005', status: 403, json: forbidden }, { code: 'FORBIDDEN' }), []);
    const unauthorised = clone(example('stu3/STU3-Unauthorised.json'));
    unauthorised.issue[0].diagnostics = AAL1;
    assert.deepEqual(judge({ operation: 'A005', status: 401, json: unauthorised }, { code: 'NO_ACCESS', issueType: 'login' }), []);
    assert.deepEqual(judge({ operation: 'A033', status: 404, json: example('r4/NHSDigital-OperationOutcome-404.json') }), []);
    assert.deepEqual(judge({ operation: 'A005', status: 503, json: example('stu3/STU3-ServiceUnavailable.json') }), []);
  });

  it('a 404 whose OperationOutcome says FORBIDDEN (passed "the response status is 404")', () => {
    const problems = judge({ operation: 'A005', status: 404, json: forbidden });
    assert.match(problems.join('\n'), /HTTP 404 from A005 names FORBIDDEN, which the catalogue gives as the HTTP 403 answer/);
  });

  it('the right code with the wrong issue type (passed "... with e-RS error code FORBIDDEN")', () => {
    const planted = clone(forbidden);
    planted.issue[0].code = 'business-rule';
    assert.match(judge({ operation: 'A005', status: 403, json: planted }, { code: 'FORBIDDEN' }).join('\n'), /FORBIDDEN at HTTP 403 from A005 has issue type "business-rule"; the catalogue gives "forbidden"/);
  });

  it('an R4 OperationOutcome on an STU3 endpoint (passed "the response status is 403")', () => {
    const problems = judge({ operation: 'A005', status: 403, json: example('r4/NHSDigital-OperationOutcome-403.json') }).join('\n');
    assert.match(problems, /an STU3 OperationOutcome claims meta\.profile https:\/\/fhir\.nhs\.uk\/STU3\/StructureDefinition\/eRS-OperationOutcome-1/);
    assert.match(problems, /STU3 error codes use https:\/\/fhir\.nhs\.uk\/STU3\/CodeSystem\/eRS-APIErrorCode-1/);
  });

  it('an STU3 OperationOutcome on an R4 endpoint (passed "the response is an R4 OperationOutcome with issue type forbidden and code FORBIDDEN")', () => {
    const problems = judge({ operation: 'A033', status: 403, json: forbidden }, { code: 'FORBIDDEN', issueType: 'forbidden' }).join('\n');
    assert.match(problems, /an R4 endpoint answered the STU3 OperationOutcome profile/);
    assert.match(problems, /R4 error codes use/);
    assert.match(problems, /HTTP 403 from A033 names FORBIDDEN; the catalogue documents HTTP 403 of A033 with REC_FORBIDDEN, ACCESS_DENIED/);
  });

  it('an R4 OperationOutcome without meta.lastUpdated', () => {
    const planted = clone(example('r4/NHSDigital-OperationOutcome-404.json'));
    delete planted.meta.lastUpdated;
    assert.match(judge({ operation: 'A033', status: 404, json: planted }).join('\n'), /an R4 OperationOutcome carries meta\.lastUpdated \(section 6\); it has none/);
  });

  it('an R4 code in the wrong R4 code system', () => {
    const planted = clone(example('r4/NHSDigital-OperationOutcome-404.json'));
    planted.issue[0].details.coding[0].system = 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode';
    assert.match(judge({ operation: 'A033', status: 404, json: planted }).join('\n'), /the catalogue defines REC_NOT_FOUND in https:\/\/fhir\.nhs\.uk\/CodeSystem\/http-error-codes/);
  });

  it('diagnostics that contradict the documented gist (passed "... with issue type login and e-RS error code NO_ACCESS")', () => {
    const planted = clone(example('stu3/STU3-Unauthorised.json'));
    planted.issue[0].diagnostics = IAL2; // the IAL<3 refusal's text on the AAL1 refusal
    const problems = judge({ operation: 'A005', status: 401, json: planted }, { code: 'NO_ACCESS', issueType: 'login' }).join('\n');
    assert.match(problems, /the diagnostics of NO_ACCESS at HTTP 401 read "We couldn't verify your identity/);
    assert.match(problems, /The authentication method utilised is not currently supported/);
    // the NHS sandbox answers placeholder diagnostics: the gist is not held against it
    assert.deepEqual(judge({ operation: 'A005', status: 401, json: planted }, { code: 'NO_ACCESS', issueType: 'login', skipGist: true }), []);
  });

  it('a code that is not the only one the status documents (passed "the response status is 503")', () => {
    const planted = clone(example('stu3/STU3-ServiceUnavailable.json'));
    planted.issue[0].details.coding[0].code = 'PAS_NOT_RESPONDING';
    assert.match(judge({ operation: 'A005', status: 503, json: planted }).join('\n'), /HTTP 503 from A005 names PAS_NOT_RESPONDING; the catalogue documents only SYSTEM_UNAVAILABLE/);
  });

  it('a code the status does not document where it documents a list (passed "the response status is 422")', () => {
    const planted = clone(forbidden);
    planted.issue[0].details.coding[0].code = 'SLOT_NOT_AVAILABLE';
    assert.match(judge({ operation: 'A005', status: 422, json: planted }).join('\n'), /the catalogue documents HTTP 422 of A005 with PATIENT_ERROR, INVALID_REQUEST_TYPE, NO_RELATIONSHIP \(it does not document SLOT_NOT_AVAILABLE for this operation at all\)/);
  });

  it('an empty body where the status documents one OperationOutcome (passed "the response status is 404")', () => {
    assert.match(judge({ operation: 'A033', status: 404, json: undefined, text: '' }).join('\n'), /HTTP 404 from A033 is documented as an OperationOutcome naming REC_NOT_FOUND, but the body is empty/);
    // a HEAD answer has no body by HTTP: only its status is judged
    assert.deepEqual(judge({ operation: 'A037', method: 'HEAD', status: 404, json: undefined, text: '' }), []);
  });

  it('what the catalogue leaves open stays open: a code-less status, and a 400-family code on a 412', () => {
    const planted = clone(forbidden);
    planted.issue[0].details.coding[0].code = 'REFERENCE_NOT_FOUND';
    planted.issue[0].code = 'not-found';
    assert.deepEqual(judge({ operation: 'A005', status: 404, json: planted }), []);
    planted.issue[0].details.coding[0].code = 'MISSING_HEADER';
    planted.issue[0].code = 'required';
    assert.deepEqual(judge({ operation: 'A012', status: 412, json: planted }), []);
  });

  it('the steps fail a planted answer as a product failure (an AssertionError)', async () => {
    const world = { named: new Map(), run: { target: { name: 'simulator' } } } as unknown as ErsWorld;
    const exchange = {
      id: '1', operation: 'A005', correlationId: undefined, startedAt: '', durationMs: 0, attempts: 1,
      request: { method: 'GET', url: 'http://x/STU3/ReferralRequest/1', headers: {} },
      response: { status: 404, headers: {}, body: { json: forbidden, text: JSON.stringify(forbidden), bytes: 1 } },
    } as unknown as Exchange;
    await assert.rejects(assertAsDocumented(world, exchange), (e: Error) => e instanceof assert.AssertionError && /names FORBIDDEN/.test(e.message));
    await assertAsDocumented(world, { ...exchange, response: { ...exchange.response!, status: 403 } });
  });
});

describe('catalogue 10.3 is read into the proxy answers and their diagnostics', () => {
  it('reads status, issue type, code and quoted diagnostics per FHIR version; "same text" reuses the STU3 cell', () => {
    const md = [
      '### 10.3 Matrix',
      '| Situation | STU3 path | R4 path |',
      '|---|---|---|',
      '| No token | 401, **empty body**, `WWW-Authenticate` contains `error="invalid_token"` | 401 OperationOutcome: issue.code `login`, coding `NHSD-API-ErrorOrWarningCode#ACCESS_DENIED`, diagnostics "Invalid access token" |',
      '| No ASID | 403 `forbidden` `NO_ACCESS` "ASID is not configured in the application" | 403 `ACCESS_DENIED` same text |',
      '| Role | backend: 403 `FORBIDDEN` or 422 `NO_RELATIONSHIP` | 403 `REC_FORBIDDEN` / `NO_RELATIONSHIP` |',
      '',
      '## 11. Next',
    ].join('\n');
    assert.deepEqual(parseGists(md).map(({ situation, ...g }) => g), [
      { fhirVersion: 'R4', status: 401, issueType: 'login', code: 'ACCESS_DENIED', texts: ['Invalid access token'] },
      { fhirVersion: 'STU3', status: 403, issueType: 'forbidden', code: 'NO_ACCESS', texts: ['ASID is not configured in the application'] },
      { fhirVersion: 'R4', status: 403, issueType: undefined, code: 'ACCESS_DENIED', texts: ['ASID is not configured in the application'] },
    ]);
    assert.deepEqual(parseGists('# no such section'), []);
  });
});
