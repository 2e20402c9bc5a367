// The simulated identity service: every client-assertion rule of catalogue 10.1, the CIS2 token
// exchange of 10.2, and the 401/403 answers of 10.3 that depend on how the token was obtained.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { buildAssertion, buildBrokenAssertion, buildClientAssertion, type AssertionDefect, type ClientSigner } from '../../src/auth/assertion.ts';
import { generateSigningKey } from '../../src/auth/keys.ts';
import { clientCredentialsForm, tokenExchangeForm } from '../../src/auth/token-endpoint.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { A005, actor, FX } from './helpers.ts';

const key = generateSigningKey('test-1', 2048);
let clock = Date.now();
let sim: Simulator;
let signer: ClientSigner;
const issued: string[] = [];

before(async () => {
  sim = await createSimulator({ jwks: key.jwks }, { now: () => clock, onTokenIssued: (t) => issued.push(t) });
  signer = { privateKey: key.privateKey, kid: 'test-1', apiKey: 'sim-provider-app', tokenUrl: sim.tokenUrl };
});
after(() => sim.close());

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const rc = actor('REFERRING_CLINICIAN');
const rcHeaders = { 'NHSD-End-User-Organisation-ODS': rc.ods, 'NHSD-eRS-Business-Function': rc.businessFunction };

describe('client credentials (catalogue 10.1)', () => {
  it('a valid assertion gets a Bearer token with expires_in as the string "599", and the token works', async () => {
    const { status, body } = await token(clientCredentialsForm(await buildClientAssertion(signer, () => clock)));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, '599');
    assert.equal(typeof body.access_token, 'string');
    assert.ok(issued.includes(body.access_token!));
    const res = await fetch(`${sim.baseUrl}${A005(FX.referrals.bookedDbs)}`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    assert.equal(res.status, 200, await res.text());
  });

  const table: [AssertionDefect, number, string, string][] = [
    ['alg RS256', 400, 'invalid_request', "Invalid 'alg' header in JWT - unsupported JWT algorithm - must be 'RS512'"],
    ['alg HS512', 400, 'invalid_request', "Invalid 'alg' header in JWT - unsupported JWT algorithm - must be 'RS512'"],
    ['typ not JWT', 400, 'invalid_request', "Invalid 'typ' header in JWT - must be 'JWT'"],
    ['no kid', 400, 'invalid_request', "Missing 'kid' header in JWT"],
    ['unknown kid', 401, 'invalid_request', "Invalid 'kid' header in JWT - no matching public key"],
    ['no iss', 400, 'invalid_request', 'Missing or non-matching iss/sub claims in JWT'],
    ['iss not sub', 400, 'invalid_request', 'Missing or non-matching iss/sub claims in JWT'],
    ['unknown client', 401, 'invalid_request', 'Invalid iss/sub claims in JWT'],
    ['wrong aud', 401, 'invalid_request', 'Missing or invalid aud claim in JWT'],
    ['no aud', 401, 'invalid_request', 'Missing or invalid aud claim in JWT'],
    ['no jti', 400, 'invalid_request', 'Missing jti claim in JWT'],
    ['numeric jti', 400, 'invalid_request', 'Failed to decode JWT'],
    ['no exp', 400, 'invalid_request', 'Missing exp claim in JWT'],
    ['expired exp', 400, 'invalid_request', 'Invalid exp claim in JWT - JWT has expired'],
    ['exp more than 5 minutes ahead', 400, 'invalid_request', 'Invalid exp claim in JWT - more than 5 minutes in future'],
    ['malformed', 400, 'invalid_request', 'Malformed JWT in client_assertion'],
  ];
  for (const [defect, status, error, description] of table) {
    it(`${defect} -> ${status} ${description}`, async () => {
      const { status: got, body } = await token(clientCredentialsForm(await buildBrokenAssertion(signer, defect, () => clock)));
      assert.equal(got, status, JSON.stringify(body));
      assert.deepEqual(body, { error, error_description: description });
    });
  }

  it('a reused jti is refused the second time', async () => {
    const first = await token(clientCredentialsForm(await buildClientAssertion(signer, () => clock, 'jti-once')));
    assert.equal(first.status, 200);
    const second = await token(clientCredentialsForm(await buildClientAssertion(signer, () => clock, 'jti-once')));
    assert.deepEqual([second.status, second.body.error_description], [400, 'Non-unique jti claim in JWT']);
  });

  it('exp up to 5 minutes ahead is accepted (with the ~30 s grace), exp just past it is not', async () => {
    const nowS = Math.floor(clock / 1000);
    assert.equal((await token(clientCredentialsForm(await buildAssertion(signer, { exp: nowS + 300 }, () => clock)))).status, 200);
    assert.equal((await token(clientCredentialsForm(await buildAssertion(signer, { exp: nowS + 331 }, () => clock)))).status, 400);
  });

  it('an assertion signed by a key other than the registered one is unauthorised', async () => {
    const other = generateSigningKey('test-1', 2048);
    const { status, body } = await token(clientCredentialsForm(await buildAssertion(signer, { signWith: other.privateKey }, () => clock)));
    assert.deepEqual([status, body.error_description], [401, 'Unable to verify JWT signature']);
  });

  it('request-level errors: grant_type, client_assertion_type, client_assertion', async () => {
    const a = await buildClientAssertion(signer, () => clock);
    assert.deepEqual((await token({ client_assertion: a })).body, { error: 'unsupported_grant_type', error_description: 'grant_type is missing' });
    assert.deepEqual((await token({ grant_type: 'password' })).body, { error: 'unsupported_grant_type', error_description: 'grant_type is invalid' });
    const noType = await token({ grant_type: 'client_credentials', client_assertion: a });
    assert.equal(noType.status, 400);
    assert.match(noType.body.error_description!, /^Missing or invalid client_assertion_type/);
    const none = await token({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' });
    assert.deepEqual([none.status, none.body.error_description], [400, 'Missing client_assertion']);
  });

  it('an app without a registered JWKS gets 403 public_key error', async () => {
    const { status, body } = await token(clientCredentialsForm(await buildClientAssertion({ ...signer, apiKey: 'sim-no-jwks-app' }, () => clock)));
    assert.equal(status, 403);
    assert.equal(body.error, 'public_key error');
  });

  it('the app attributes decide the caller: no ASID -> 403 on the API; not subscribed -> 401 empty body', async () => {
    const noAsid = await token(clientCredentialsForm(await buildClientAssertion({ ...signer, apiKey: 'sim-no-asid-app' }, () => clock)));
    const r1 = await fetch(`${sim.baseUrl}${A005(FX.referrals.bookedDbs)}`, { headers: { Authorization: `Bearer ${noAsid.body.access_token}` } });
    assert.equal(r1.status, 403);
    assert.match(await r1.text(), /ASID is not configured in the application/);
    const unsub = await token(clientCredentialsForm(await buildClientAssertion({ ...signer, apiKey: 'sim-unsubscribed-app' }, () => clock)));
    const r2 = await fetch(`${sim.baseUrl}${A005(FX.referrals.bookedDbs)}`, { headers: { Authorization: `Bearer ${unsub.body.access_token}` } });
    assert.equal(r2.status, 401);
    assert.equal(await r2.text(), '');
    assert.match(r2.headers.get('www-authenticate') ?? '', /no apiproduct match found/);
  });

  it('issued tokens expire after 599 s', async () => {
    const { body } = await token(clientCredentialsForm(await buildClientAssertion(signer, () => clock)));
    const saved = clock;
    clock += 600_000;
    try {
      const res = await fetch(`${sim.baseUrl}${A005(FX.referrals.bookedDbs)}`, { headers: { Authorization: `Bearer ${body.access_token}` } });
      assert.equal(res.status, 401);
    } finally {
      clock = saved;
    }
  });
});

describe('CIS2 token exchange (catalogue 10.2)', () => {
  it('an id_token from the stand-in CIS2 exchanges for a user-restricted token that works with role headers', async () => {
    const idToken = await sim.cis2IdToken({ userId: rc.userId });
    const { status, body } = await token(tokenExchangeForm(await buildClientAssertion(signer, () => clock), idToken));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
    assert.equal(body.expires_in, '599');
    const res = await fetch(`${sim.baseUrl}${A005(FX.referrals.unbooked)}`, { headers: { Authorization: `Bearer ${body.access_token}`, ...rcHeaders } });
    assert.equal(res.status, 200, await res.text());
  });

  it('the control route serves the same id_tokens over HTTP', async () => {
    const res = await fetch(`${sim.origin}/_simulator/cis2/id_token`, { method: 'POST', headers: sim.controlHeaders(), body: JSON.stringify({ userId: rc.userId, aal: 'AAL2' }) });
    const { id_token } = (await res.json()) as { id_token: string };
    const { status } = await token(tokenExchangeForm(await buildClientAssertion(signer, () => clock), id_token));
    assert.equal(status, 200);
  });

  it('AAL1 and IAL2 logins get a token but every API call is refused (catalogue 10.3)', async () => {
    for (const [login, diagnostics, issueCode] of [
      [{ userId: rc.userId, aal: 'AAL1' as const }, 'The authentication method utilised is not currently supported', 'login'],
      [{ userId: rc.userId, ial: 2 }, "We couldn't verify your identity", 'forbidden'],
    ] as const) {
      const { body } = await token(tokenExchangeForm(await buildClientAssertion(signer, () => clock), await sim.cis2IdToken(login)));
      const res = await fetch(`${sim.baseUrl}${A005(FX.referrals.unbooked)}`, { headers: { Authorization: `Bearer ${body.access_token}`, ...rcHeaders } });
      assert.equal(res.status, 401);
      const oo = (await res.json()) as { issue: { code: string; diagnostics: string; details: { coding: { code: string }[] } }[] };
      assert.equal(oo.issue[0]!.code, issueCode);
      assert.equal(oo.issue[0]!.details.coding[0]!.code, 'NO_ACCESS');
      assert.ok(oo.issue[0]!.diagnostics.startsWith(diagnostics));
    }
  });

  it('a forged, expired or wrongly typed subject token is refused', async () => {
    const forged = await buildClientAssertion(signer, () => clock); // a JWT, but not one CIS2 signed
    const a = () => buildClientAssertion(signer, () => clock);
    const r1 = await token(tokenExchangeForm(await a(), forged));
    assert.equal(r1.status, 400);
    assert.match(r1.body.error_description!, /^Invalid subject_token/);
    const idToken = await sim.cis2IdToken({ userId: rc.userId });
    const saved = clock;
    clock += 3600_000;
    try {
      const r2 = await token(tokenExchangeForm(await buildClientAssertion(signer, () => clock), idToken));
      assert.equal(r2.status, 400);
    } finally {
      clock = saved;
    }
    const r3 = await token({ ...tokenExchangeForm(await a(), idToken), subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
    assert.equal(r3.status, 400);
    assert.match(r3.body.error_description!, /subject_token_type/);
  });

  it('the exchange applies every client-assertion rule too', async () => {
    const idToken = await sim.cis2IdToken({ userId: rc.userId });
    const { status, body } = await token(tokenExchangeForm(await buildBrokenAssertion(signer, 'wrong aud', () => clock), idToken));
    assert.deepEqual([status, body.error_description], [401, 'Missing or invalid aud claim in JWT']);
  });

  it('CIS2 signs id_tokens only for users it knows', async () => {
    await assert.rejects(sim.cis2IdToken({ userId: '999999999999' }), /no user 999999999999/);
  });
});

describe('hardening of the identity service', () => {
  it('nbf: an assertion not yet valid is refused; a past nbf is accepted', async () => {
    const nowSeconds = Math.floor(clock / 1000);
    const sign = (nbf: unknown) =>
      new SignJWT({ jti: randomUUID(), nbf } as Record<string, unknown>)
        .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'test-1' })
        .setIssuer(signer.apiKey)
        .setSubject(signer.apiKey)
        .setAudience(sim.tokenUrl)
        .setExpirationTime(nowSeconds + 240)
        .sign(key.privateKey);
    const future = await token(clientCredentialsForm(await sign(nowSeconds + 120)));
    assert.deepEqual([future.status, future.body.error_description], [400, 'Invalid nbf claim in JWT - JWT is not yet valid']);
    const notNumber = await token(clientCredentialsForm(await sign('soon')));
    assert.deepEqual([notNumber.status, notNumber.body.error_description], [400, 'Failed to decode JWT']);
    const past = await token(clientCredentialsForm(await sign(nowSeconds - 10)));
    assert.equal(past.status, 200, JSON.stringify(past.body));
  });

  describe('a JWKS URL is read within bounds of size and time, and its failure remembered briefly', () => {
    let jwksServer: Server;
    let jwksBase: string;
    let hits = 0;
    before(async () => {
      jwksServer = createServer((req, res) => {
        hits += 1;
        if (req.url === '/huge') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(`{"keys":[${'{"kty":"RSA"},'.repeat(40_000)}{"kty":"RSA"}]}`);
        } else if (req.url === '/stall') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"keys":');
        } // '/silent': never answers
      });
      await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
      jwksBase = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    });
    after(() => {
      jwksServer.closeAllConnections();
      jwksServer.close();
    });

    for (const [path, says] of [['/huge', /more than the 262144 bytes a JWKS may have/], ['/stall', /did not send its whole answer within 300 ms/], ['/silent', /no answer within 300 ms/]] as const) {
      it(`${path}: 500 server_error naming the JWKS and the problem; the next request is answered from the remembered failure`, async () => {
        const s = await createSimulator({ jwks: `${jwksBase}${path}` }, { now: () => clock, jwksTimeoutMs: 300 });
        try {
          const own = { ...signer, tokenUrl: s.tokenUrl };
          const before = hits;
          const first = await fetch(s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(clientCredentialsForm(await buildClientAssertion(own, () => clock))) });
          const body = (await first.json()) as Record<string, string>;
          assert.equal(first.status, 500);
          assert.equal(body.error, 'server_error');
          assert.match(body.error_description!, says);
          assert.ok(body.error_description!.includes(`${jwksBase}${path}`));
          const again = await fetch(s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(clientCredentialsForm(await buildClientAssertion(own, () => clock))) });
          assert.equal(again.status, 500);
          assert.match(((await again.json()) as Record<string, string>).error_description!, /remembered for 30 s/);
          assert.equal(hits - before, 1, 'the failing URL was asked once');
        } finally {
          await s.close();
        }
      });
    }
  });
});

describe('one key set per app (jwksByApp, serve --jwks APIKEY=FILE)', () => {
  it("an app's key signs only for that app, even under the same kid", async () => {
    const providerKey = generateSigningKey('shared-kid', 2048);
    const referrerKey = generateSigningKey('shared-kid', 2048);
    const s = await createSimulator({ jwksByApp: { 'sim-provider-app': providerKey.jwks, 'sim-referrer-app': referrerKey.jwks } }, { now: () => clock });
    try {
      const post = async (privateKey: typeof providerKey.privateKey, apiKey: string) => {
        const assertion = await buildClientAssertion({ privateKey, kid: 'shared-kid', apiKey, tokenUrl: s.tokenUrl }, () => clock);
        const res = await fetch(s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(clientCredentialsForm(assertion)) });
        return res.status;
      };
      assert.equal(await post(providerKey.privateKey, 'sim-provider-app'), 200);
      assert.equal(await post(referrerKey.privateKey, 'sim-referrer-app'), 200);
      assert.equal(await post(providerKey.privateKey, 'sim-referrer-app'), 401, "the provider app's key cannot act as the referrer app");
    } finally {
      await s.close();
    }
    await assert.rejects(createSimulator({ jwksByApp: { 'no-such-app': providerKey.jwks } }), /no app with API key 'no-such-app'.*sim-provider-app/);
  });
});
