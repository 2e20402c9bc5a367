import assert from 'node:assert/strict';
import { categorise, EnvironmentFault } from '../src/evidence/errors.ts';
import { statusMismatch } from '../src/evidence/failure-text.ts';
import { Blocked } from '../src/evidence/outcome.ts';
import { header } from '../src/http/exchange.ts';
import { assertAsDocumented } from '../support/documented-errors.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// Platform behaviour the live proxy shows (rate limits, timeouts, dropped connections) and how the harness
// treats it: bounded retries for idempotent reads, and environment faults kept apart from product defects.

Given('the target limits each access token to {int} request(s) per second with a burst of {int}', async function (this: ErsWorld, rps: number, burst: number) {
  await this.run.target.setRateLimit({ requestsPerSecond: rps, burst });
});

Given('the harness waits at most {int} ms in total to retry a read', function (this: ErsWorld, ms: number) {
  this.retryBudgetMs = ms;
});

Given('the harness waits at most {int} ms for an answer', function (this: ErsWorld, ms: number) {
  this.requestTimeoutMs = ms;
});

Given('the target will delay its answer to the next {operation} request by {int} ms', async function (this: ErsWorld, operation: string, ms: number) {
  await this.run.target.injectFault({ operation, latencyMs: ms, count: 1 });
});

Given('the target will drop the connection on the next {operation} request', async function (this: ErsWorld, operation: string) {
  await this.run.target.injectFault({ operation, reset: true, count: 1 });
});

Given('the caller has already read the {string} referral once', async function (this: ErsWorld, which: string) {
  await this.prepare(`reading the ${which} referral once first`, async () => {
    const ex = await this.call('A005', { params: { ubrn: this.fixture<string>(`referrals.${which}`) } });
    assert.equal(ex.response?.status, 200, `the first read this scenario needs failed: ${ex.response?.status ?? ex.error?.kind}`);
  });
});

When('the caller retrieves the {string} referral {int} times', async function (this: ErsWorld, which: string, times: number) {
  const ubrn = this.fixture<string>(`referrals.${which}`);
  for (let i = 0; i < times; i++) await this.call('A005', { params: { ubrn } });
});

Then('the first {int} responses were HTTP {int}', async function (this: ErsWorld, n: number, status: number) {
  const first = this.exchanges.slice(0, n).map((ex) => ex.response?.status ?? ex.error?.kind);
  assert.deepEqual(first, Array(n).fill(status), `the first ${n} answers were ${first.join(', ')}`);
  for (const ex of this.exchanges.slice(0, n)) await assertAsDocumented(this, ex);
});

Then('the response says to retry after a whole number of seconds', function (this: ErsWorld) {
  const value = header(this.response.headers, 'Retry-After');
  assert.match(value ?? '(none)', /^[1-9]\d*$/, `Retry-After must be a positive whole number of seconds (catalogue section 6), got ${value ?? 'no header'}`);
});

Then('the harness waited Retry-After before retrying', function (this: ErsWorld) {
  const ex = this.lastExchange;
  const first = ex.priorAttempts?.[0];
  assert.ok(first?.response, 'the harness did not retry');
  assert.equal(first.response.status, 429, `the first attempt got ${first.response.status}`);
  const seconds = Number(header(first.response.headers, 'Retry-After'));
  const waited = Date.parse(ex.startedAt) - Date.parse(first.startedAt) - first.durationMs;
  assert.ok(waited >= seconds * 1000 - 50, `the harness retried after ${waited} ms; Retry-After asked for ${seconds} s`);
});

Then('the request got no answer because it timed out', function (this: ErsWorld) {
  assert.equal(this.lastExchange.error?.kind, 'timeout', `expected a timeout, got ${this.lastExchange.error?.kind ?? `HTTP ${this.lastExchange.response?.status}`}`);
});

Then('the request got no answer because the connection was dropped', function (this: ErsWorld) {
  assert.equal(this.lastExchange.error?.kind, 'connection-reset', `expected a dropped connection, got ${this.lastExchange.error?.kind ?? `HTTP ${this.lastExchange.response?.status}`}`);
});

Then('the harness reports it as an environment fault, not a product defect', function (this: ErsWorld) {
  let thrown: unknown;
  try {
    void this.response; // what every response check does first
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof EnvironmentFault, `reading the response should raise an EnvironmentFault, got ${thrown === undefined ? 'a response' : String(thrown)}`);
  assert.equal(categorise(thrown.name, thrown.message), 'environment-fault', 'the report category');
});

Then('expecting HTTP {int} is judged a product defect after the read was sent once more', async function (this: ErsWorld, status: number) {
  const sent = this.lastExchange;
  const judged = await this.retryServerErrorOnce();
  assert.ok(judged?.response, `the ${sent.request.method} read was not sent again after HTTP ${sent.response?.status}`);
  assert.equal(judged.attempts, sent.attempts + 1, 'the re-sent read is recorded as the next attempt, the first kept as evidence');
  assert.equal(judged.response.status, sent.response?.status, 'the fault was injected for two requests');
  const headline = statusMismatch(judged, status);
  assert.match(headline, /^A005 Retrieve referral request \(GET \/STU3\/ReferralRequest\/\d+\): expected HTTP 200, got 500 with /, 'the headline names the operation and both statuses');
  assert.doesNotMatch(headline, /[{}]|\/work\/|node_modules/, 'no raw JSON or file paths in the headline');
  assert.equal(categorise('AssertionError', headline), 'product-defect', 'a reproducible 5xx is filed as a product defect, which no environment-fault threshold hides');
});

Then('a scenario whose preparation reads the {string} referral is blocked, not failed', async function (this: ErsWorld, which: string) {
  let thrown: unknown;
  try {
    await this.prepare(`reading the ${which} referral`, async () => {
      const ex = await this.call('A005', { params: { ubrn: this.fixture<string>(`referrals.${which}`) } });
      assert.equal(ex.response?.status, 200, `the read this scenario needs answered ${ex.response?.status}`);
    });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof Blocked, `a failed preparation should raise Blocked, got ${thrown === undefined ? 'nothing' : String(thrown)}`);
  assert.equal(categorise(thrown.name, thrown.message), 'blocked', 'the report category');
  assert.match(thrown.message, /^Blocked: preparing "reading the unbooked referral" failed, so the requirement under test was not reached: /);
  assert.ok(this.preparation.has(this.lastExchange), 'the read is marked as preparation in the evidence');
});
