import { attachment } from 'allure-js-commons';
import { correlationIdsAudited, ifMatchIsLastEtag, noRetryOfRejectedWrite, onlyExpectedOperations, referralOf, requestConformance, retryAfterHonoured, rereadAfterConflict, roleHeaders, tokenCorrelation } from '../src/supplier/checks.ts';
import { describeFacts, referralFacts, referralFactsFromResource, referralsCreatedSince, type ReferralFacts } from '../src/supplier/ers-state.ts';
import { judgeObservation, lastPerformed, logIn, performOrEnd, type SupplierScenario } from '../src/supplier/scenario.ts';
import { operationOrder, referralNamed, shownServices } from '../src/supplier/facts.ts';
import type { Actor } from '../src/targets/index.ts';
import { EnvironmentFault } from '../src/evidence/errors.ts';
import { NotApplicable } from '../src/evidence/outcome.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';
import { judged } from '../support/supplier.ts';

// Supplier mode: the user acts in the supplier's own system (When), the harness plays e-RS and judges
// what the system sent, what it did to e-RS and what it showed (Then). Orchestration: src/supplier/.

interface ActorFixture { userId: string; ods?: string; businessFunction?: string; onBehalfOf?: string }

const ers = (s: SupplierScenario) => s.window.ers();

/**
 * What e-RS holds for a referral: the simulator's state, or, through the recording proxy on a real e-RS, A005 read
 * back with the harness's own credentials (as the logged-in user's actor). Errors in e-RS's answer to that read are
 * reported as suspected e-RS defects, never as the supplier's.
 */
async function factsOf(world: ErsWorld, ubrn: string): Promise<ReferralFacts | undefined> {
  const s = world.sut;
  if (!s.run.proxied) return referralFacts(s.run.simulator.state(), ubrn);
  const actor: Actor = s.user ? { key: s.user.key, mode: s.user.mode, userId: s.user.userId, ...(s.user.ods ? { ods: s.user.ods } : {}), ...(s.user.businessFunction ? { businessFunction: s.user.businessFunction } : {}), ...(s.user.onBehalfOf ? { onBehalfOf: s.user.onBehalfOf } : {}) } : world.actor!;
  world.useActor(actor);
  const before = world.findings.length;
  const read = await world.call('A005', { params: { ubrn } });
  const ersFindings = world.findings.splice(before);
  if (ersFindings.length) await attachment('Suspected e-RS defect (not the supplier\'s): the harness\'s read-back', world.run.redactor.redact(ersFindings.join('\n')), 'text/plain');
  if (read.response?.status === 404) return undefined;
  if (!read.response || read.response.status !== 200) throw new EnvironmentFault(`reading referral ${ubrn} back from e-RS (A005) with the harness's own credentials answered ${read.response?.status ?? read.error?.kind}`);
  return referralFactsFromResource(read.response.body.json, ubrn);
}

// ---- Given: who is at the keyboard, and what e-RS will do ----

Given('a {businessFunction} is logged in to the supplier\'s system', async function (this: ErsWorld, businessFunction: string) {
  const a = this.fixture<ActorFixture>(`actors.${businessFunction}`);
  const actor: Actor = { key: businessFunction, mode: 'user-restricted', userId: a.userId, ods: a.ods, businessFunction: a.businessFunction ?? businessFunction, ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}) };
  await logIn(this.sut, actor, this.run.redactor);
});

Given('e-RS will answer the system\'s next {operation} with HTTP {int} and Retry-After {int}', function (this: ErsWorld, operation: string, status: number, seconds: number) {
  this.sut.run.simulator.injectFault({ operation, status, retryAfterSeconds: seconds });
});

Given('e-RS will answer the system\'s next {int} {operation} requests with HTTP {int} and Retry-After {int}', function (this: ErsWorld, count: number, operation: string, status: number, seconds: number) {
  this.sut.run.simulator.injectFault({ operation, status, count, retryAfterSeconds: seconds });
});

Given('e-RS will answer the system\'s next {operation} with HTTP {int}', function (this: ErsWorld, operation: string, status: number) {
  this.sut.run.simulator.injectFault({ operation, status });
});

Given('e-RS will carry out the system\'s next {operation} but its answer will be lost', function (this: ErsWorld, operation: string) {
  this.sut.run.simulator.injectFault({ operation, reset: true, afterProcessing: true });
});

Given('someone else changes the {string} referral in e-RS just after the system reads it', function (this: ErsWorld, name: string) {
  if (this.sut.run.proxied) throw new NotApplicable(`changing a referral behind the system's back needs the harness's own e-RS (the simulator); on the ${this.run.target.name} target the harness only records the traffic as a proxy`);
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  const { simulator } = this.sut.run;
  this.sut.window.whenAnswered((c) => c.operation?.id === 'A005' && referralOf(c) === ubrn && c.exchange.response?.status === 200, () => simulator.touchReferral(ubrn));
});

Given('e-RS\'s clock has moved on by {int} minutes', function (this: ErsWorld, minutes: number) {
  this.sut.run.simulator.advanceClock(minutes * 60);
});

// ---- When: what the user does in their own system ----

When('the user searches for services for the {string} patient with the {string} criteria', async function (this: ErsWorld, patient: string, criteria: string) {
  await performOrEnd(this.sut, 'referrer.searchServices', { patient: this.fixture(`patients.${patient}`), criteria: this.fixture(`search.${criteria}`) });
});

When('the user refers the {string} patient to the {string} service with the {string} criteria', async function (this: ErsWorld, patient: string, service: string, criteria: string) {
  await performOrEnd(this.sut, 'referrer.createReferral', { patient: this.fixture(`patients.${patient}`), services: [this.fixture(`services.${service}`)], criteria: this.fixture(`search.${criteria}`) });
});

When('the user attaches the letter {string} to the {string} referral', async function (this: ErsWorld, fileName: string, name: string) {
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  await performOrEnd(this.sut, 'referrer.uploadLetter', { ubrn, fileName, contentType: 'text/plain', content: `Dear colleague, please see this patient. (${fileName}, written by the conformance suite)` });
});

When('the user books the first free slot at the {string} service for the {string} referral', async function (this: ErsWorld, service: string, name: string) {
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  await performOrEnd(this.sut, 'referrer.bookAppointment', { ubrn, service: this.fixture(`services.${service}`) });
});

When('the user defers the {string} referral to the {string} service because {word}', async function (this: ErsWorld, name: string, service: string, reason: string) {
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  await performOrEnd(this.sut, 'referrer.deferToProvider', { ubrn, service: this.fixture(`services.${service}`), reason, comment: 'deferred by the conformance suite' });
});

When('the user cancels the {string} referral with the {string} cancellation reason', async function (this: ErsWorld, name: string, reason: string) {
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  await performOrEnd(this.sut, 'referrer.cancelReferral', { ubrn, reason: this.fixture(`cancellationReasons.referral.${reason}`), comment: 'cancelled by the conformance suite' });
});

// ---- Then: what the system sent ----

Then('the system sent {operation}', async function (this: ErsWorld, operation: string) {
  await judged(this, `The system sends ${operation}`, `${operation} arrives`, operationOrder(ers(this.sut), [operation]));
});

Then('the system sent {operation} then {operation}', async function (this: ErsWorld, first: string, second: string) {
  await judged(this, `The system sends ${first} then ${second}`, `${first} arrives before ${second}`, operationOrder(ers(this.sut), [first, second]));
});

Then('the system sent {operation} exactly once', async function (this: ErsWorld, operation: string) {
  await judged(this, `The system sends ${operation} once`, `exactly one ${operation}`, operationOrder(ers(this.sut), [operation], { exactlyOnce: true }));
});

Then('every request the system sent conforms to its profiles and the e-RS contract', async function (this: ErsWorld) {
  const { validator, contract, contractSuppressions } = this.run;
  await judged(this, 'Requests conform', 'FHIR base and e-RS profiles for the request, the OpenAPI request schema, required headers and media types', requestConformance(ers(this.sut), this.sut.window.all(), { validator, ...(contract ? { contract } : {}), contractSuppressions }));
});

Then('every request the system sent carries the user\'s role headers, and application calls none', async function (this: ErsWorld) {
  await judged(this, 'Role headers', "user calls carry the logged-in user's business function and ODS code; application calls carry no user headers", roleHeaders(ers(this.sut), this.sut.window.all(), this.sut.user));
});

Then('every request the system sent carries an access token issued in this scenario', async function (this: ErsWorld) {
  await judged(this, 'Token per scenario', 'each call carries a token issued for this scenario\'s login', tokenCorrelation(ers(this.sut), this.sut.window.all()));
});

Then('the system sent nothing but the operations of the actions asked for', async function (this: ErsWorld) {
  await judged(this, 'No unexpected operation', 'only the actions\' operations, their supporting reads and ERS_SUT_ALLOW', onlyExpectedOperations(ers(this.sut), this.sut.performed.map((p) => p.action), this.sut.run.sut.allow));
});

Then('every write the system sent carries the version e-RS served last as If-Match', async function (this: ErsWorld) {
  await judged(this, 'If-Match', 'If-Match equal to the last ETag e-RS served', ifMatchIsLastEtag(ers(this.sut)));
});

Then('the system read the referral again before writing to it again', async function (this: ErsWorld) {
  await judged(this, 'Re-read after conflict', 'a read between the 409/412 and the next write', rereadAfterConflict(ers(this.sut)));
});

Then('the system did not send the rejected write again', async function (this: ErsWorld) {
  await judged(this, 'No retry of a rejected write', 'a write rejected with 4xx is not sent again unchanged', noRetryOfRejectedWrite(ers(this.sut)));
});

Then('the system waited for Retry-After before trying again, at most {int} attempts in all', async function (this: ErsWorld, attempts: number) {
  await judged(this, 'Back-off', `Retry-After honoured, at most ${attempts} attempts`, retryAfterHonoured(ers(this.sut), attempts));
});

// ---- Then: what it did to e-RS ----

Then('e-RS holds the referral the system created, in state {word}', async function (this: ErsWorld, state: string) {
  const ubrn = referralNamed(this.sut, 'new', (intent) => this.fixture(intent));
  const facts = await factsOf(this, ubrn);
  judgeObservation(this.sut, 'e-RS holds the new referral', `referral ${ubrn} in state ${state}`, describeFacts(facts, ubrn), facts?.state === state, false);
});

Then('the {string} referral is in state {word} in e-RS', async function (this: ErsWorld, name: string, state: string) {
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  const facts = await factsOf(this, ubrn);
  judgeObservation(this.sut, `e-RS state of the ${name} referral`, `state ${state}`, describeFacts(facts, ubrn), facts?.state === state, false);
});

Then('the {string} referral holds {int} referral letter(s) in e-RS', async function (this: ErsWorld, name: string, letters: number) {
  const ubrn = referralNamed(this.sut, name, (intent) => this.fixture(intent));
  const facts = await factsOf(this, ubrn);
  judgeObservation(this.sut, `Letters of the ${name} referral in e-RS`, `${letters} letter(s)`, describeFacts(facts, ubrn), facts?.letters === letters, false);
});

Then('e-RS holds exactly one new referral for the {string} patient', function (this: ErsWorld, patient: string) {
  const nhsNumber = this.fixture(`patients.${patient}`);
  const created = referralsCreatedSince(this.sut.run.simulator.state(), nhsNumber, this.sut.startedAt);
  judgeObservation(this.sut, 'No duplicate referral', `one referral created for patient ${nhsNumber} in this scenario`, `${created.length} created: ${created.map((f) => f.ubrn).join(', ') || 'none'}`, created.length === 1, false);
});

// ---- Then: what the system showed or recorded ----

Then('the system shows the user the UBRN e-RS gave the referral', function (this: ErsWorld) {
  const p = lastPerformed(this.sut, 'referrer.createReferral');
  const created = p.captured.find((c) => c.operation?.id === 'A011' && c.exchange.response?.status === 201);
  const given = (created?.exchange.response?.body.json as { id?: string } | undefined)?.id;
  const shown = p.answer.observations?.ubrn;
  judgeObservation(this.sut, 'The UBRN is shown', `the UBRN e-RS gave (${given ?? 'no A011 answered 201'})`, `shown: ${String(shown ?? '(nothing)')}`, !!given && shown === given, p.answer.observations?.attested === true);
});

Then('the system shows the user the services e-RS found', function (this: ErsWorld) {
  const p = lastPerformed(this.sut, 'referrer.searchServices');
  const { found, shown } = shownServices(p);
  judgeObservation(this.sut, 'The services are shown', `the ${found.length} service(s) A010 returned: ${found.join(', ')}`, `shown: ${shown.join(', ') || '(nothing)'}`, found.length > 0 && found.every((id) => shown.includes(id)), p.answer.observations?.attested === true);
});

Then('the system tells the user e-RS refused, without claiming success', async function (this: ErsWorld) {
  const last = lastPerformed(this.sut);
  const observed = await performOrEnd(this.sut, 'observe.userMessage', {});
  const message = observed.answer.observations?.userMessage;
  const attested = observed.answer.observations?.attested === true;
  const outcome = last.answer.observations?.outcome;
  const ok = attested ? observed.answer.observations?.result === 'pass' : typeof message === 'string' && message.trim() !== '' && outcome !== 'completed';
  judgeObservation(this.sut, 'The user is told', 'a message saying e-RS did not do it (outcome not "completed")', `message: ${JSON.stringify(message ?? null)}; outcome reported: ${String(outcome ?? '(none)')}`, ok, attested);
});

Then('the system\'s audit trail holds the X-Correlation-ID of every request it sent', async function (this: ErsWorld) {
  const requests = ers(this.sut);
  const observed = await performOrEnd(this.sut, 'observe.auditLog', {});
  await judged(this, 'Audit trail', 'an audit record per e-RS call, carrying its X-Correlation-ID', correlationIdsAudited(requests, observed.answer.observations?.auditRecords));
});
