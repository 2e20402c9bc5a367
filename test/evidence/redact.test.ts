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

test('issue 14.7: a secret is caught in every encoding and after escaping; secret-named JSON keys lose their values', () => {
  const secret = 'Sécret&<token>"value"/with+chars=0123456789abcdefABCDEF-xyz';
  const r = createRedactor([secret]);
  const forms = {
    'base64url': Buffer.from(secret).toString('base64url'),
    'hex': Buffer.from(secret).toString('hex'),
    'upper case': secret.toUpperCase(),
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
    'HTML-escaped': secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
  };
  for (const [name, form] of Object.entries(forms)) assert.equal(r.redact(`x ${form} y`), `x ${REDACTED} y`, name);
  const long = 'A'.repeat(10) + Buffer.from(secret.repeat(3)).toString('base64');
  const wrapped = createRedactor([long]);
  const lines = long.match(/.{1,64}/g)!.join('\n');
  for (const line of wrapped.redact(lines).split('\n')) assert.ok(line === REDACTED || line.length < 12, `a 64-column line of the secret leaked: ${line}`);
  const json = createRedactor().redact('{"apiKey":"k-123","client_secret":"s-456","token_type":"bearer","tokenUrl":"https://x/token"}');
  assert.equal(json, `{"apiKey":"${REDACTED}","client_secret":"${REDACTED}","token_type":"bearer","tokenUrl":"https://x/token"}`);
  assert.deepEqual(createRedactor().redactValue({ accessToken: 'opaque-1', expires_in: '599', nested: { password: 'p4ss-word' } }), { accessToken: REDACTED, expires_in: '599', nested: { password: REDACTED } });
});

test('issue 14.7: secrets a worker learns reach the process that writes the outputs, which sweeps what reporters wrote', async () => {
  const { mkdtempSync, writeFileSync, readFileSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { redactTree, secretsFrom, shareSecret } = await import('../../src/evidence/redacting-writer.ts');
  const dir = mkdtempSync(join(tmpdir(), 'ers-share-'));
  const file = join(dir, 'learnt');
  const worker = createRedactor([], [], { onLearn: (s) => shareSecret(file, s) });
  const cli = createRedactor();
  const learn = secretsFrom(file, cli);
  worker.addSecret('issued-during-the-run-42');
  learn();
  assert.equal(cli.redact('token issued-during-the-run-42'), `token ${REDACTED}`, 'the CLI knows what the worker learnt');
  mkdirSync(join(dir, 'allure-results'));
  writeFileSync(join(dir, 'allure-results', 'u-result.json'), '{"statusDetails":{"message":"got issued-during-the-run-42 back"}}');
  assert.equal(redactTree(join(dir, 'allure-results'), cli), 1);
  assert.doesNotMatch(readFileSync(join(dir, 'allure-results', 'u-result.json'), 'utf8'), /issued-during-the-run-42/);
});

test('cucumber in the CLI\'s own process: what it prints is redacted a line at a time, a secret split across writes included', async () => {
  const { redactStreams, lineRedactor } = await import('../../src/evidence/redacting-writer.ts');
  const r = createRedactor([CANARY]);
  const written: string[] = [];
  const stream = { write: (s: string): boolean => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  let learnt = 0;
  const restore = redactStreams([stream], r, () => (learnt += 1));
  stream.write(`token ${CANARY.slice(0, 7)}`);
  stream.write(Buffer.from(`${CANARY.slice(7)} ok\nnext line without end ${CANARY}`));
  assert.deepEqual(written, [`token ${REDACTED} ok\n`], 'a complete line is written, the rest waits for its end');
  restore();
  assert.equal(written.at(-1), `next line without end ${REDACTED}`, 'restoring writes what was pending, redacted');
  assert.ok(learnt >= 2, 'secrets learnt meanwhile are taken in before each write');
  stream.write('after restore\n');
  assert.equal(written.at(-1), 'after restore\n', 'the original write is back');

  // A line that never ends is still written, in redacted pieces, with no secret cut in two.
  const pieces: string[] = [];
  const lines = lineRedactor(r, () => undefined, (t) => pieces.push(t));
  for (let i = 0; i < 30; i++) lines.push(`${'x'.repeat(4000)}${CANARY}`);
  assert.ok(pieces.length > 0, 'an endless line does not wait forever');
  lines.end();
  const all = pieces.join('');
  assert.ok(!all.includes(CANARY));
  assert.equal(all.split(REDACTED).length - 1, 30);
});
