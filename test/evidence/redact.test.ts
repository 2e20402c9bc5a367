import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor, REDACTED } from '../../src/evidence/redact.ts';

const CANARY = 'canary-7Hq2-secret-XYZ';

test('a configured secret is removed in every form it may travel in', () => {
  const r = createRedactor([CANARY]);
  const text = `key=${CANARY} url=${encodeURIComponent(CANARY)} b64=${Buffer.from(CANARY).toString('base64')}`;
  const out = r.redact(text);
  assert.ok(!out.includes(CANARY));
  assert.ok(!out.includes(Buffer.from(CANARY).toString('base64')));
  assert.equal(out.split(REDACTED).length - 1, 3);
});

test('secret headers lose their value but keep the scheme; other headers are scanned', () => {
  const r = createRedactor([CANARY]);
  const h = r.redactHeaders({ Authorization: `Bearer ${CANARY}`, apikey: 'x', 'X-Note': `says ${CANARY}`, Accept: 'application/fhir+json' });
  assert.equal(h.Authorization, `Bearer ${REDACTED}`);
  assert.equal(h.apikey, REDACTED);
  assert.equal(h['X-Note'], `says ${REDACTED}`);
  assert.equal(h.Accept, 'application/fhir+json');
});

test('secret shapes are caught even when the value was never configured', () => {
  const r = createRedactor();
  const jwt = 'eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJhYmMifQ.c2lnbmF0dXJl';
  const kind = 'PRIVATE KEY'; // assembled so the repository holds no literal private-key block
  const pem = `-----BEGIN ${kind}-----\nMIIEv\n-----END ${kind}-----`;
  const form = 'grant_type=client_credentials&client_assertion=abc.def.ghi&x=1';
  const json = '{"access_token":"opaque-token-value","expires_in":"599"}';
  const out = r.redact([jwt, pem, form, json, 'Authorization: Bearer opaqueTOKEN1234'].join('\n'));
  for (const leaked of [jwt, 'MIIEv', 'abc.def.ghi', 'opaque-token-value', 'opaqueTOKEN1234']) assert.ok(!out.includes(leaked), `leaked ${leaked}`);
  assert.match(out, /"expires_in":"599"/, 'ordinary fields are kept');
  assert.match(out, /client_assertion=\[REDACTED\]/);
});

test('deep redaction keeps JSON structure', () => {
  const r = createRedactor([CANARY]);
  const v = r.redactValue({ a: [CANARY, 1, { b: `x${CANARY}` }], n: null, ok: true });
  assert.deepEqual(v, { a: [REDACTED, 1, { b: `x${REDACTED}` }], n: null, ok: true });
});

test('secrets learnt during the run are redacted from then on; tiny values are ignored', () => {
  const r = createRedactor();
  assert.equal(r.redact(`token ${CANARY}`), `token ${CANARY}`);
  r.addSecret(CANARY);
  r.addSecret('abc'); // too short to be a secret; redacting it would mangle ordinary text
  assert.equal(r.redact(`token ${CANARY} abc`), `token ${REDACTED} abc`);
});

test('configured patterns are applied', () => {
  const r = createRedactor([], [/\b9\d{9}\b/g]);
  assert.equal(r.redact('patient 9991010017'), `patient ${REDACTED}`);
});
