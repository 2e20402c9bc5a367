// Client assertions (catalogue 10.1): the claims and header a valid one carries, and that each named
// defect breaks exactly the rule it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { ASSERTION_DEFECTS, ASSERTION_LIFETIME_SECONDS, buildBrokenAssertion, buildClientAssertion, type ClientSigner } from '../../src/auth/assertion.ts';
import { generateSigningKey } from '../../src/auth/keys.ts';
import { createPublicKey } from 'node:crypto';

const key = generateSigningKey('kid-7', 2048);
const signer: ClientSigner = { privateKey: key.privateKey, kid: 'kid-7', apiKey: 'api-key-abc', tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token' };
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const clock = () => NOW;

describe('a valid client assertion', () => {
  it('is RS512 with typ JWT and the kid, signed by the private key', async () => {
    const jwt = await buildClientAssertion(signer, clock);
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS512', typ: 'JWT', kid: 'kid-7' });
    await compactVerify(jwt, createPublicKey(key.privateKey), { algorithms: ['RS512'] });
  });

  it('names the API key as iss and sub, the exact token URL as aud, and expires within 5 minutes', async () => {
    const claims = decodeJwt(await buildClientAssertion(signer, clock));
    assert.equal(claims.iss, 'api-key-abc');
    assert.equal(claims.sub, 'api-key-abc');
    assert.equal(claims.aud, 'https://int.api.service.nhs.uk/oauth2/token');
    assert.equal(claims.exp, NOW / 1000 + ASSERTION_LIFETIME_SECONDS);
    assert.ok(ASSERTION_LIFETIME_SECONDS > 0 && ASSERTION_LIFETIME_SECONDS <= 300);
    assert.equal(typeof claims.jti, 'string');
  });

  it('has a fresh jti every time, unless one is given', async () => {
    const jtis = new Set<unknown>();
    for (let i = 0; i < 20; i++) jtis.add(decodeJwt(await buildClientAssertion(signer, clock)).jti);
    assert.equal(jtis.size, 20);
    assert.equal(decodeJwt(await buildClientAssertion(signer, clock, 'fixed')).jti, 'fixed');
  });
});

describe('broken assertions for negative scenarios', () => {
  const expect: Record<string, (h: Record<string, unknown>, c: Record<string, unknown>) => void> = {
    'alg RS256': (h) => assert.equal(h.alg, 'RS256'),
    'alg HS512': (h) => assert.equal(h.alg, 'HS512'),
    'no kid': (h) => assert.equal('kid' in h, false),
    'unknown kid': (h) => assert.notEqual(h.kid, 'kid-7'),
    'typ not JWT': (h) => assert.notEqual(h.typ, 'JWT'),
    'no iss': (_h, c) => assert.equal('iss' in c, false),
    'iss not sub': (_h, c) => assert.ok(c.iss !== c.sub && c.sub === 'api-key-abc'),
    'unknown client': (_h, c) => assert.ok(c.iss === c.sub && c.iss !== 'api-key-abc'),
    'wrong aud': (_h, c) => assert.notEqual(c.aud, signer.tokenUrl),
    'no aud': (_h, c) => assert.equal('aud' in c, false),
    'no jti': (_h, c) => assert.equal('jti' in c, false),
    'numeric jti': (_h, c) => assert.equal(typeof c.jti, 'number'),
    'no exp': (_h, c) => assert.equal('exp' in c, false),
    'expired exp': (_h, c) => assert.ok((c.exp as number) < NOW / 1000),
    'exp more than 5 minutes ahead': (_h, c) => assert.ok((c.exp as number) > NOW / 1000 + 330),
  };

  it('every defect in the table has a check here', () => {
    assert.deepEqual(Object.keys(ASSERTION_DEFECTS).sort(), Object.keys(expect).sort());
  });

  for (const [name, check] of Object.entries(expect)) {
    it(`"${name}" breaks that rule and keeps the others`, async () => {
      const jwt = await buildBrokenAssertion(signer, name as keyof typeof ASSERTION_DEFECTS, clock);
      const h = decodeProtectedHeader(jwt) as Record<string, unknown>;
      const c = decodeJwt(jwt) as Record<string, unknown>;
      check(h, c);
      // the rest stays valid, so the token endpoint's answer is about this defect only
      if (name !== 'alg RS256' && name !== 'alg HS512') assert.equal(h.alg, 'RS512');
      if (!name.includes('aud')) assert.equal(c.aud, signer.tokenUrl);
      if (!name.includes('exp')) assert.equal(c.exp, NOW / 1000 + ASSERTION_LIFETIME_SECONDS);
    });
  }

  it('"malformed" is not a JWT at all', async () => {
    const jwt = await buildBrokenAssertion(signer, 'malformed', clock);
    assert.throws(() => decodeJwt(jwt));
  });
});
