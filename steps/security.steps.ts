import assert from 'node:assert/strict';
import { Before } from '@cucumber/cucumber';
import { randomUUID } from 'node:crypto';
import {
  buildBrokenAssertion,
  buildClientAssertion,
  clientCredentialsForm,
  isAssertionDefect,
  isTokenFormDefect,
  TOKEN_FORM_DEFECTS,
  tokenExchangeForm,
  type ClientSigner,
  type TokenAnswer,
} from '../src/auth/index.ts';
import { outcomeIssues, resourceType, metaProfiles } from '../src/ers/read.ts';
import { header } from '../src/http/exchange.ts';
import type { TokenEndpointAccess } from '../src/targets/index.ts';
import { NotApplicable } from '../src/evidence/outcome.ts';
import { assertAsDocumented } from '../support/documented-errors.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';

// Token endpoint (catalogue AUTH-TOKEN, 10.1, 10.2), access tokens and role headers by access mode (10.3).
// Assertions, broken or not, are built by src/auth; steps only choose which and check the answer.

// Apps registered with particular flaws (no ASID, no e-RS product, no JWKS) exist only in the simulator's seed.
Before({ tags: '@app-registration', name: 'Check the target has the specially registered apps' }, async function (this: ErsWorld) {
  if (this.run.target.name !== 'simulator') {
    return this.notApplicable(`this scenario needs an app registered with a deliberate flaw (no ASID, no e-RS product or no JWKS); only the simulator has one, and the ${this.run.target.name} target signs with ERS_API_KEY`);
  }
  return undefined;
});

const ROLE_HEADERS = ['NHSD-eRS-Business-Function', 'NHSD-End-User-Organisation-ODS', 'NHSD-eRS-On-Behalf-Of-User-ID'];

function endpoint(world: ErsWorld): TokenEndpointAccess {
  return world.run.target.tokenEndpoint();
}

/** The signer for the scenario's application: its own API key on the simulator, ERS_API_KEY elsewhere. */
function signerFor(world: ErsWorld, access: TokenEndpointAccess): ClientSigner {
  const apiKey = world.actor?.mode === 'application-restricted' ? world.actor.apiKey : undefined;
  if (apiKey && world.run.target.name !== 'simulator') {
    throw new NotApplicable(`this scenario needs a differently registered app (${world.actor?.key}); the ${world.run.target.name} target signs with ERS_API_KEY only`);
  }
  return apiKey ? { ...access.signer, apiKey } : access.signer;
}

async function sendTokenRequest(world: ErsWorld, access: TokenEndpointAccess, form: Record<string, string>): Promise<TokenAnswer> {
  for (const value of [form.client_assertion, form.subject_token]) if (value) world.run.redactor.addSecret(value);
  const answer = await access.post(access.tokenUrl, form);
  const token = answer.json?.access_token;
  if (typeof token === 'string') world.run.redactor.addSecret(token);
  world.exchanges.push(answer.exchange);
  await world.attachExchange(answer.exchange);
  const answers = (world.named.get('token answers') as TokenAnswer[] | undefined) ?? [];
  answers.push(answer);
  world.named.set('token answers', answers);
  return answer;
}

function lastAnswer(world: ErsWorld): TokenAnswer {
  const answers = world.named.get('token answers') as TokenAnswer[] | undefined;
  const last = answers?.at(-1);
  if (!last) throw new Error('internal: no token request was sent before this step');
  return last;
}

function defect(name: string): Parameters<typeof buildBrokenAssertion>[1] {
  if (!isAssertionDefect(name)) throw new Error(`internal: "${name}" is not a client-assertion defect src/auth/assertion.ts knows`);
  return name;
}

When('the harness requests an application-restricted token with a valid client assertion', async function (this: ErsWorld) {
  const access = endpoint(this);
  await sendTokenRequest(this, access, clientCredentialsForm(await buildClientAssertion(signerFor(this, access))));
});

When('the harness requests an application-restricted token with a client assertion that has {string}', async function (this: ErsWorld, name: string) {
  const access = endpoint(this);
  await sendTokenRequest(this, access, clientCredentialsForm(await buildBrokenAssertion(signerFor(this, access), defect(name))));
});

When('the harness sends a token request with {string}', async function (this: ErsWorld, name: string) {
  if (!isTokenFormDefect(name)) throw new Error(`internal: "${name}" is not a token-request defect src/auth/token-endpoint.ts knows`);
  const access = endpoint(this);
  const valid = clientCredentialsForm(await buildClientAssertion(signerFor(this, access)));
  await sendTokenRequest(this, access, TOKEN_FORM_DEFECTS[name](valid));
});

When('the harness requests two application-restricted tokens whose client assertions share one jti', async function (this: ErsWorld) {
  const access = endpoint(this);
  const signer = signerFor(this, access);
  const jti = randomUUID();
  await sendTokenRequest(this, access, clientCredentialsForm(await buildClientAssertion(signer, Date.now, jti)));
  await sendTokenRequest(this, access, clientCredentialsForm(await buildClientAssertion(signer, Date.now, jti)));
});

When('the harness exchanges the caller\'s CIS2 id_token for an access token', async function (this: ErsWorld) {
  const access = endpoint(this);
  const idToken = await access.idTokenFor(requireUser(this));
  await sendTokenRequest(this, access, tokenExchangeForm(await buildClientAssertion(access.signer), idToken));
});

When('the harness exchanges the caller\'s CIS2 id_token with a client assertion that has {string}', async function (this: ErsWorld, name: string) {
  const access = endpoint(this);
  const idToken = await access.idTokenFor(requireUser(this));
  await sendTokenRequest(this, access, tokenExchangeForm(await buildBrokenAssertion(access.signer, defect(name)), idToken));
});

When('the harness exchanges an id_token that CIS2 did not sign', async function (this: ErsWorld) {
  const access = endpoint(this);
  // A well-formed JWT signed by the supplier's own key: right shape, wrong signer.
  const forged = await buildClientAssertion(access.signer);
  await sendTokenRequest(this, access, tokenExchangeForm(await buildClientAssertion(access.signer), forged));
});

function requireUser(world: ErsWorld): NonNullable<ErsWorld['actor']> {
  const actor = world.actor;
  if (!actor || actor.mode !== 'user-restricted') throw new Error('internal: a token exchange needs a user-restricted caller chosen first');
  return actor;
}

Then('the token endpoint answers {int} with OAuth error {string} and description {string}', function (this: ErsWorld, status: number, error: string, description: string) {
  const { status: got, json, exchange } = lastAnswer(this);
  assert.equal(got, status, `expected HTTP ${status} from the token endpoint, got ${got}: ${exchange.response?.body.text.slice(0, 300)}`);
  assert.equal(json?.error, error, `expected OAuth error "${error}", got ${JSON.stringify(json?.error)}`);
  assert.equal(json?.error_description, description, `expected error_description "${description}", got ${JSON.stringify(json?.error_description)}`);
});

Then('the token endpoint answers {int} with OAuth error {string}', function (this: ErsWorld, status: number, error: string) {
  const { status: got, json, exchange } = lastAnswer(this);
  assert.equal(got, status, `expected HTTP ${status} from the token endpoint, got ${got}: ${exchange.response?.body.text.slice(0, 300)}`);
  assert.equal(json?.error, error, `expected OAuth error "${error}", got ${JSON.stringify(json?.error)}`);
  assert.equal(typeof json?.error_description, 'string', 'the refusal carries an error_description');
});

Then('the token endpoint issues a Bearer access token with expires_in as a string of seconds', function (this: ErsWorld) {
  const { status, json, exchange } = lastAnswer(this);
  assert.equal(status, 200, `expected the token to be granted, got ${status}: ${exchange.response?.body.text.slice(0, 300)}`);
  assert.equal(typeof json?.access_token, 'string', 'the answer has an access_token');
  assert.ok((json!.access_token as string).length > 0, 'the access_token is not empty');
  assert.equal(json?.token_type, 'Bearer');
  assert.equal(typeof json?.expires_in, 'string', `expires_in must be a string (catalogue 10.1), got ${typeof json?.expires_in}`);
  assert.match(json!.expires_in as string, /^\d+$/, 'expires_in is a whole number of seconds');
});

Then('the token endpoint names the issued token type as an access token', function (this: ErsWorld) {
  assert.equal(lastAnswer(this).json?.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
});

Then('the first token request was granted', function (this: ErsWorld) {
  const first = (this.named.get('token answers') as TokenAnswer[])[0]!;
  assert.equal(first.status, 200, `the first assertion with this jti should be accepted, got ${first.status}`);
});

Given('the request is sent with an empty bearer token', function (this: ErsWorld) {
  this.tokenOverride = null;
  this.headerOverrides['Authorization'] = 'Bearer ';
});

Given('the request is sent with an access token that has expired', async function (this: ErsWorld) {
  const actor = this.actor;
  if (!actor) throw new Error('internal: choose the caller before its expired token');
  this.tokenOverride = await this.run.target.expiredTokenFor(actor);
});

Given('the caller signed in to CIS2 at {word}', function (this: ErsWorld, aal: string) {
  assert.ok(this.actor, 'internal: choose the caller first');
  if (!['AAL1', 'AAL2', 'AAL3'].includes(aal)) throw new Error(`internal: unknown assurance level ${aal}`);
  this.actor = { ...this.actor, login: { ...this.actor.login, aal: aal as 'AAL1' | 'AAL2' | 'AAL3' } };
});

Given('the caller\'s CIS2 identity is verified only to IAL{int}', function (this: ErsWorld, ial: number) {
  assert.ok(this.actor, 'internal: choose the caller first');
  this.actor = { ...this.actor, login: { ...this.actor.login, ial } };
});

When('the caller retrieves the R4 healthcare service {string}', async function (this: ErsWorld, id: string) {
  await this.call('A033', { params: { id: resolveValue(this, id) ?? '' } });
});

Then('the response is an R4 OperationOutcome with issue type {word} and code {word}', async function (this: ErsWorld, issueType: string, code: string) {
  const body = this.response.body;
  assert.equal(resourceType(body.json), 'OperationOutcome', `expected an R4 OperationOutcome, got ${body.text.slice(0, 200) || '(empty body)'}`);
  const issues = outcomeIssues(body.json);
  assert.equal(issues.length, 1, 'proxy-generated OperationOutcomes carry exactly one issue');
  assert.equal(issues[0]!.severity, 'error');
  assert.equal(issues[0]!.code, issueType, `expected issue.code ${issueType}, got ${issues[0]!.code}`);
  assert.equal(issues[0]!.errorCode, code, `expected coding ${code}, got ${issues[0]!.errorCode} (${issues[0]!.system})`);
  await assertAsDocumented(this, this.lastExchange, { code, issueType });
});

Then('the OperationOutcome diagnostics read {string}', function (this: ErsWorld, text: string) {
  const issue = outcomeIssues(this.response.body.json)[0];
  assert.equal(issue?.diagnostics, text);
});

Then('the OperationOutcome claims the profile {string}', function (this: ErsWorld, profile: string) {
  assert.deepEqual(metaProfiles(this.response.body.json), [profile]);
});

Then('the request carried a bearer token and no NHSD-* role headers', function (this: ErsWorld) {
  const sent = this.lastExchange.request.headers;
  assert.match(header(sent, 'Authorization') ?? '', /^Bearer \S+/, 'an application-restricted call carries its access token');
  for (const name of ROLE_HEADERS) assert.equal(header(sent, name), undefined, `an application-restricted call must not send ${name}`);
});

Then('the request carried a bearer token, the caller\'s business function and ODS code, and {word} on-behalf-of header', function (this: ErsWorld, which: string) {
  const sent = this.lastExchange.request.headers;
  const actor = this.actor!;
  assert.match(header(sent, 'Authorization') ?? '', /^Bearer \S+/, 'a user-restricted call carries its access token');
  assert.equal(header(sent, 'NHSD-eRS-Business-Function'), actor.businessFunction);
  assert.equal(header(sent, 'NHSD-End-User-Organisation-ODS'), actor.ods);
  const obo = header(sent, 'NHSD-eRS-On-Behalf-Of-User-ID');
  if (which === 'no') assert.equal(obo, undefined, 'only SERVICE_PROVIDER_CLINICIAN_ADMIN sends NHSD-eRS-On-Behalf-Of-User-ID');
  else assert.equal(obo, actor.onBehalfOf, 'SERVICE_PROVIDER_CLINICIAN_ADMIN names the clinician it acts for');
});
