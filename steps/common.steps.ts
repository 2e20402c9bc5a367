import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { EnvironmentFault } from '../src/evidence/errors.ts';
import { statusMismatch } from '../src/evidence/failure-text.ts';
import { explainAuthRejection } from '../src/auth/rejections.ts';
import { header } from '../src/http/exchange.ts';
import { isErsErrorSystem, metaProfiles, outcomeIssues, resourceType, versionId } from '../src/ers/read.ts';
import { ERS_OPERATION_OUTCOME_PROFILE } from '../src/ers/operations.ts';
import { TargetCannotRunError, type Actor } from '../src/targets/index.ts';
import { documentedVariants, errorCatalogue } from '../src/ers/documented-errors.ts';
import { assertAsDocumented } from '../support/documented-errors.ts';
import { Given, Then } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';

// Who calls, with which headers and token, and what every e-RS response must look like.

interface ActorFixture { userId: string; ods?: string; businessFunction?: string; onBehalfOf?: string; apiKey?: string }

Given('the caller is a {businessFunction}', function (this: ErsWorld, businessFunction: string) {
  const a = this.fixture<ActorFixture>(`actors.${businessFunction}`);
  const actor: Actor = { key: businessFunction, mode: 'user-restricted', userId: a.userId, ods: a.ods, businessFunction: a.businessFunction ?? businessFunction };
  if (businessFunction === 'SERVICE_PROVIDER_CLINICIAN_ADMIN') actor.onBehalfOf = a.onBehalfOf;
  this.useActor(actor);
});

Given('the caller is the {word} application', function (this: ErsWorld, which: string) {
  const a = this.fixture<ActorFixture>(`applications.${which}`);
  this.useActor({ key: `application:${which}`, mode: 'application-restricted', userId: a.userId, ods: a.ods, businessFunction: a.businessFunction, apiKey: a.apiKey });
});

Given('the request omits the {string} header', function (this: ErsWorld, name: string) {
  this.headerOverrides[name] = null;
  if (/^NHSD-eRS-On-Behalf-Of-User-ID$/i.test(name) && this.actor) this.actor = { ...this.actor, onBehalfOf: undefined };
});

Given('the request sends the {string} header as {string}', function (this: ErsWorld, name: string, value: string) {
  this.headerOverrides[name] = resolveValue(this, value) ?? null;
});

Given('the request is sent without an access token', function (this: ErsWorld) {
  this.tokenOverride = null;
});

Given('the request is sent with an access token the target never issued', function (this: ErsWorld) {
  this.tokenOverride = `not-a-real-token-${randomUUID()}`;
});

Given('the target will answer the next {operation} request with HTTP {int}', async function (this: ErsWorld, operation: string, status: number) {
  await this.run.target.injectFault({ operation, status, count: 1 });
});

Given('the target will answer the next {operation} request with HTTP {int} and Retry-After {int}', async function (this: ErsWorld, operation: string, status: number, seconds: number) {
  await this.run.target.injectFault({ operation, status, count: 1, retryAfterSeconds: seconds });
});

Given('the target will answer the next {int} {operation} requests with HTTP {int}', async function (this: ErsWorld, count: number, operation: string, status: number) {
  await this.run.target.injectFault({ operation, status, count });
});

Given('the harness does not retry rate-limited or unavailable reads', function (this: ErsWorld) {
  this.retryReads = false;
});

Then('the read took {int} attempts', function (this: ErsWorld, attempts: number) {
  assert.equal(this.lastExchange.attempts, attempts, `the harness made ${this.lastExchange.attempts} attempt(s)`);
});

async function expectStatus(world: ErsWorld, status: number): Promise<void> {
  let r = world.response;
  // An unasked-for 5xx on a read is sent again once: if it reproduces it is the product's, not the weather's.
  if (r.status !== status && r.status >= 500) {
    const first = r.status;
    const again = await world.retryServerErrorOnce();
    if (again?.response && again.response.status === first) {
      assert.fail(`${statusMismatch(again, status)} — the same HTTP ${first} came back when the read was sent again: a reproducible server error is a product defect`);
    }
    r = world.response;
  }
  // An unasked-for 429 or 5xx that did not reproduce says the target could not be tested, not that the product is wrong.
  if (r.status !== status && (r.status === 429 || r.status >= 500)) {
    throw new EnvironmentFault(statusMismatch(world.lastExchange, status));
  }
  // A refusal caused by how the token was obtained (e.g. an AAL1 CIS2 login) is explained in plain words.
  const why = r.status !== status ? explainAuthRejection({ status: r.status, headers: r.headers, diagnostics: outcomeIssues(r.body.json)[0]?.diagnostics }) : undefined;
  if (r.status !== status) assert.fail(statusMismatch(world.lastExchange, status, why));
  // the body of an error answer is the one the catalogue documents for this status (its code, when the status has only one)
  await assertAsDocumented(world, world.lastExchange);
}

Then('the response status is {int}', async function (this: ErsWorld, status: number) {
  await expectStatus(this, status);
});

// For Scenario Outlines whose rows mix answers: each row names its code, or says the catalogue documents none.
Then('the response status is {int} with e-RS error code {errorCode}', async function (this: ErsWorld, status: number, code: string) {
  await expectStatus(this, status);
  assertErsOutcome(this, code);
  await assertAsDocumented(this, this.lastExchange, { code });
});

Then('the response status is {int} with no documented error code', async function (this: ErsWorld, status: number) {
  const catalogue = errorCatalogue();
  const operation = this.lastExchange.operation;
  if (catalogue && operation) {
    const { codes } = documentedVariants(catalogue, operation, status);
    // the scenario contradicts the catalogue: a harness error, not the product's
    if (codes.length) throw new Error(`the scenario says HTTP ${status} of ${operation} has no documented error code, but the catalogue documents ${codes.join(', ')}: name the code instead`);
  }
  await expectStatus(this, status);
});

Then('the response is an OperationOutcome with e-RS error code {errorCode}', async function (this: ErsWorld, code: string) {
  assertErsOutcome(this, code);
  await assertAsDocumented(this, this.lastExchange, { code });
});

Then('the response is an OperationOutcome with issue type {word} and e-RS error code {errorCode}', async function (this: ErsWorld, issueType: string, code: string) {
  const issue = assertErsOutcome(this, code);
  assert.equal(issue.code, issueType, `expected issue.code "${issueType}", got "${issue.code}"`);
  await assertAsDocumented(this, this.lastExchange, { code, issueType });
});

Then('the response body is empty', function (this: ErsWorld) {
  const r = this.response;
  assert.equal(r.body.bytes, 0, `expected an empty body, got ${r.body.bytes} bytes: ${r.body.text.slice(0, 200)}`);
});

Then('the response has the header {string}', function (this: ErsWorld, name: string) {
  assert.ok(header(this.response.headers, name), `response has no ${name} header`);
});

Then('the response header {string} contains {string}', function (this: ErsWorld, name: string, expected: string) {
  const value = header(this.response.headers, name);
  assert.ok(value?.includes(expected), `expected ${name} to contain "${expected}", got ${value === undefined ? 'no header' : `"${value}"`}`);
});

Then('the response echoes the request\'s X-Correlation-ID', function (this: ErsWorld) {
  const sent = this.lastExchange.correlationId;
  assert.ok(sent, 'internal: no X-Correlation-ID was sent');
  assert.equal(header(this.response.headers, 'X-Correlation-ID'), sent, 'X-Correlation-ID is not echoed unchanged');
});

Then('the response carries an X-Request-ID', function (this: ErsWorld) {
  assert.ok(header(this.response.headers, 'X-Request-ID'), 'response has no X-Request-ID header');
});

Then('the response is FHIR JSON', function (this: ErsWorld) {
  const r = this.response;
  const type = header(r.headers, 'Content-Type') ?? '';
  assert.match(type, /^application\/fhir\+json\b/, `expected Content-Type application/fhir+json, got "${type}"`);
  assert.equal(r.body.jsonError, undefined, r.body.jsonError);
});

Then('the response is a {word} resource', function (this: ErsWorld, type: string) {
  const body = this.response.body;
  assert.equal(body.jsonError, undefined, body.jsonError);
  assert.equal(resourceType(body.json), type, `expected a ${type}, got ${resourceType(body.json) ?? 'no FHIR resource'}`);
});

Then('the resource claims the profile {string}', function (this: ErsWorld, profile: string) {
  const profiles = metaProfiles(this.response.body.json);
  assert.ok(profiles.includes(profile), `meta.profile is [${profiles.join(', ')}], expected it to include ${profile}`);
});

Then('the weak ETag equals the resource\'s meta.versionId', function (this: ErsWorld) {
  const r = this.response;
  const etag = header(r.headers, 'ETag');
  const v = versionId(r.body.json);
  assert.ok(v, 'the resource has no meta.versionId');
  assert.equal(etag, `W/"${v}"`, `ETag ${etag ?? '(none)'} does not match meta.versionId ${v}`);
});

Then('the response Content-Type is {string}', function (this: ErsWorld, mediaType: string) {
  const type = header(this.response.headers, 'Content-Type') ?? '';
  assert.ok(type.toLowerCase().startsWith(mediaType.toLowerCase()), `expected Content-Type ${mediaType}, got "${type}"`);
});

function assertErsOutcome(world: ErsWorld, code: string): ReturnType<typeof outcomeIssues>[number] {
  const body = world.response.body;
  assert.equal(body.jsonError, undefined, `expected an OperationOutcome but the body is not JSON (${body.jsonError})`);
  assert.equal(resourceType(body.json), 'OperationOutcome', `expected an OperationOutcome, got ${resourceType(body.json) ?? `"${body.text.slice(0, 200)}"`}`);
  assert.ok(metaProfiles(body.json).includes(ERS_OPERATION_OUTCOME_PROFILE), `OperationOutcome does not claim ${ERS_OPERATION_OUTCOME_PROFILE}`);
  const issues = outcomeIssues(body.json);
  const issue = issues.find((i) => i.errorCode === code);
  assert.ok(issue, `expected e-RS error code ${code}, got ${issues.map((i) => i.errorCode ?? '(none)').join(', ') || 'no issues'}: ${issues.map((i) => i.diagnostics).join(' | ')}`);
  assert.ok(isErsErrorSystem(issue.system), `error code ${code} uses system ${issue.system}, expected eRS-APIErrorCode-1`);
  assert.equal(issue.severity, 'error', `issue severity is ${issue.severity}, expected error`);
  return issue;
}

Then('the response conforms to {string}', function (this: ErsWorld, profile: string) {
  const body = this.response.body.json;
  const op = this.lastExchange.operation;
  const result = this.run.validator.validate(body, { fhirVersion: 'auto', profiles: [profile], operation: op, direction: 'response', status: this.response.status });
  const unavailable = result.findings.filter((f) => f.rule === 'profile-unavailable' && f.profile === profile);
  if (unavailable.length) throw new TargetCannotRunError(`profile ${profile} is not loaded (${unavailable[0]!.message}); add its FHIR package (see README, "FHIR packages")`);
  const errors = result.findings.filter((f) => f.severity === 'error' && !f.suppressedBy);
  assert.equal(errors.length, 0, `Profile violation: the response does not conform to ${profile}:\n  ${errors.slice(0, 8).map((f) => `${f.rule} at ${f.path}: ${f.message}`).join('\n  ')}`);
});
