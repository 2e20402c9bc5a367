import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCapture, type Captured } from '../../src/supplier/capture.ts';
import { correlationIdsAudited, ifMatchIsLastEtag, noRetryOfRejectedWrite, onlyExpectedOperations, rereadAfterConflict, retryAfterHonoured, roleHeaders, tokenCorrelation } from '../../src/supplier/checks.ts';
import type { ObservedExchange } from '../../src/simulator/index.ts';

// A capture window fed with requests as the simulator reports them; times in ms from a fixed start.
const T0 = Date.parse('2026-01-01T09:00:00Z');
interface Req { method?: string; path: string; status?: number; at?: number; ms?: number; headers?: Record<string, string>; body?: string; responseHeaders?: Record<string, string>; responseBody?: string }

function window(reqs: Req[]): { ers: Captured[]; all: Captured[] } {
  const capture = createCapture(() => 'http://127.0.0.1:8710');
  const w = capture.open('test');
  for (const r of reqs) {
    const record: ObservedExchange = {
      method: r.method ?? 'GET',
      path: r.path,
      query: '',
      headers: { authorization: 'Bearer user-token', 'x-correlation-id': `c-${r.at ?? 0}`, ...r.headers },
      body: Buffer.from(r.body ?? ''),
      status: r.status ?? 200,
      responseHeaders: r.responseHeaders ?? {},
      responseBody: r.responseBody ?? '',
      operationId: undefined,
      receivedAt: new Date(T0 + (r.at ?? 0)).toISOString(),
      durationMs: r.ms ?? 5,
      reset: false,
    };
    capture.observe(record);
  }
  return { ers: w.ers(), all: w.all() };
}

const REF = '/referrals/FHIR/STU3/ReferralRequest/300000100001';
const token = (grant: string, issued: string, at = 0): Req => ({ method: 'POST', path: '/oauth2/token', body: `grant_type=${encodeURIComponent(grant)}`, responseHeaders: { 'Content-Type': 'application/json' }, responseBody: JSON.stringify({ access_token: issued }), at });
const read = (at: number, etag: string): Req => ({ path: REF, at, responseHeaders: { ETag: etag } });
const cancel = (at: number, ifMatch: string | undefined, status = 200, body = '{"resourceType":"Parameters"}'): Req => ({ method: 'POST', path: `${REF}/$ers.cancelReferral`, at, status, body, headers: { 'content-type': 'application/fhir+json', ...(ifMatch ? { 'if-match': ifMatch } : {}) } });

test('If-Match: equal to the last ETag served passes; missing or stale is a finding', () => {
  assert.deepEqual(ifMatchIsLastEtag(window([read(0, 'W/"3"'), cancel(10, 'W/"3"')]).ers).findings, []);
  assert.match(ifMatchIsLastEtag(window([read(0, 'W/"3"'), cancel(10, undefined, 412)]).ers).findings.join(), /no If-Match header/);
  assert.match(ifMatchIsLastEtag(window([read(0, 'W/"4"'), cancel(10, 'W/"3"', 409)]).ers).findings.join(), /If-Match W\/"3" is not the last ETag e-RS served for 300000100001 \(W\/"4"\)/);
});

test('re-read after conflict: a read between the 409 and the next write, or a finding', () => {
  const good = window([read(0, 'W/"3"'), cancel(10, 'W/"3"', 409), read(20, 'W/"4"'), cancel(30, 'W/"4"')]);
  assert.equal(rereadAfterConflict(good.ers).examined, 1);
  assert.deepEqual(rereadAfterConflict(good.ers).findings, []);
  const bad = window([read(0, 'W/"3"'), cancel(10, 'W/"3"', 409), cancel(30, 'W/"3"', 409)]);
  assert.match(rereadAfterConflict(bad.ers).findings.join(), /written again after 409 on 300000100001 without reading it first/);
});

test('a rejected write sent again unchanged is a finding; a changed one is not', () => {
  assert.match(noRetryOfRejectedWrite(window([cancel(0, 'W/"3"', 422), cancel(10, 'W/"3"', 422)]).ers).findings.join(), /rejected with 422 and sent again unchanged 1 time/);
  assert.deepEqual(noRetryOfRejectedWrite(window([cancel(0, 'W/"3"', 422), cancel(10, 'W/"3"', 200, '{"resourceType":"Parameters","id":"x"}')]).ers).findings, []);
  assert.equal(noRetryOfRejectedWrite(window([cancel(0, 'W/"3"', 429), cancel(10, 'W/"3"')]).ers).examined, 0);
});

test('Retry-After: the next attempt waits at least that long, and attempts are bounded', () => {
  const waited = window([{ ...cancel(0, 'W/"3"', 503), responseHeaders: { 'Retry-After': '1' } }, cancel(1010, 'W/"3"')]);
  assert.deepEqual(retryAfterHonoured(waited.ers, 3).findings, []);
  const hurried = window([{ ...cancel(0, 'W/"3"', 429), responseHeaders: { 'Retry-After': '2' } }, cancel(300, 'W/"3"')]);
  assert.match(retryAfterHonoured(hurried.ers, 3).findings.join(), /came 295 ms after .* before its Retry-After of 2 s/);
  const hammering = window([0, 1, 2, 3].map((i) => ({ ...cancel(i * 1100, 'W/"3"', 503), responseHeaders: { 'Retry-After': '1' } })));
  assert.match(retryAfterHonoured(hammering.ers, 3).findings.join(), /was sent 4 times; retries after 429\/503 are bounded \(at most 3 attempts\)/);
});

test('role headers: user calls carry the user\'s role and ODS; application calls none', () => {
  const user = { businessFunction: 'REFERRING_CLINICIAN', ods: 'Y90001' };
  const ok = window([token('urn:ietf:params:oauth:grant-type:token-exchange', 'user-token'), { path: REF, headers: { 'nhsd-ers-business-function': 'REFERRING_CLINICIAN', 'nhsd-end-user-organisation-ods': 'Y90001' } }]);
  assert.deepEqual(roleHeaders(ok.ers, ok.all, user).findings, []);
  const wrongRole = window([token('urn:ietf:params:oauth:grant-type:token-exchange', 'user-token'), { path: REF, headers: { 'nhsd-ers-business-function': 'REFERRING_ADMIN', 'nhsd-end-user-organisation-ods': 'Y90001' } }]);
  assert.match(roleHeaders(wrongRole.ers, wrongRole.all, user).findings.join(), /NHSD-eRS-Business-Function is REFERRING_ADMIN, but the user is logged in as REFERRING_CLINICIAN/);
  const appWithHeaders = window([token('client_credentials', 'app-token'), { path: '/referrals/FHIR/STU3/CodeSystem/SPECIALTY', headers: { authorization: 'Bearer app-token', 'nhsd-ers-business-function': 'REFERRING_CLINICIAN' } }]);
  assert.match(roleHeaders(appWithHeaders.ers, appWithHeaders.all, user).findings.join(), /application-restricted call sends the user-context header nhsd-ers-business-function/);
});

test('token per scenario: a token not issued in the window is a finding', () => {
  const w = window([token('client_credentials', 'fresh'), { path: REF, headers: { authorization: 'Bearer stale-from-yesterday' } }]);
  assert.match(tokenCorrelation(w.ers, w.all).findings.join(), /not issued in this scenario/);
});

test('unexpected operations: outside the actions\' operations and the allow-list', () => {
  const w = window([read(0, 'W/"1"'), { method: 'POST', path: '/referrals/FHIR/STU3/ReferralRequest/$ers.fetchworklist', at: 5 }, cancel(10, 'W/"1"')]);
  assert.match(onlyExpectedOperations(w.ers, ['referrer.cancelReferral'], []).findings.join(), /A008 .* not an operation of referrer.cancelReferral/);
  assert.deepEqual(onlyExpectedOperations(w.ers, ['referrer.cancelReferral'], ['A008']).findings, []);
});

test('audit: every call\'s X-Correlation-ID must be in an audit record', () => {
  const w = window([read(0, 'W/"1"'), cancel(10, 'W/"1"')]);
  assert.deepEqual(correlationIdsAudited(w.ers, [{ correlationId: 'c-0' }, { correlationId: 'c-10' }]).findings, []);
  assert.match(correlationIdsAudited(w.ers, [{ correlationId: 'c-0' }]).findings.join(), /X-Correlation-ID c-10 is in no audit record/);
  assert.match(correlationIdsAudited(w.ers, undefined).findings.join(), /reported no auditRecords list/);
});

test('the capture window: waits for requests, fires a trigger once, keeps traffic outside a window apart', async () => {
  const capture = createCapture(() => 'http://127.0.0.1:8710');
  const base = { method: 'GET', query: '', headers: {}, body: Buffer.alloc(0), status: 200, responseHeaders: {}, responseBody: '', operationId: undefined, receivedAt: new Date().toISOString(), durationMs: 1, reset: false };
  capture.observe({ ...base, path: REF });
  assert.equal(capture.outside().length, 1);
  const w = capture.open('s1');
  let fired = 0;
  w.whenAnswered((c) => c.operation?.id === 'A005', () => (fired += 1));
  const waiting = w.waitFor((all) => all.some((c) => c.operation?.id === 'A005'), 2000);
  capture.observe({ ...base, path: REF });
  capture.observe({ ...base, path: REF });
  assert.equal(await waiting, true);
  assert.equal(fired, 1);
  assert.equal(await w.waitFor((all) => all.length > 5, 50), false);
  w.close();
  assert.equal(w.all().length, 2);
});
