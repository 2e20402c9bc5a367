// Token cache and refresh (catalogue 10.1: expires_in is a string, ~10 minutes), user tokens through
// the CIS2 exchange, access-mode gating, and the errors a supplier sees when the token endpoint says no.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { AuthNotConfiguredError, createAuthSession, type AuthOptions } from '../../src/auth/index.ts';
import { generateSigningKey } from '../../src/auth/keys.ts';
import { TokenRequestError, type TokenAnswer } from '../../src/auth/token-endpoint.ts';
import { roleHeadersFor } from '../../src/auth/headers.ts';
import { explainAuthRejection } from '../../src/auth/rejections.ts';
import { EnvironmentFault } from '../../src/evidence/errors.ts';

const key = generateSigningKey('k1', 2048);
const signer = { privateKey: key.privateKey, kid: 'k1', apiKey: 'api-key-1', tokenUrl: 'https://idp.example/oauth2/token' };

function fakeEndpoint(answer: (form: Record<string, string>, n: number) => { status: number; json: Record<string, unknown> }) {
  const forms: Record<string, string>[] = [];
  const post: AuthOptions['post'] = async (url, form) => {
    forms.push(form);
    const { status, json } = answer(form, forms.length);
    const exchange = { id: String(forms.length), operation: 'AUTH-TOKEN', correlationId: undefined, request: { method: 'POST', url, headers: {} }, startedAt: '', durationMs: 0, attempts: 1 };
    return { exchange, status, json } satisfies TokenAnswer;
  };
  return { post, forms };
}

const granted = (n: number, expiresIn: unknown = '599') => ({ status: 200, json: { access_token: `token-${n}`, expires_in: expiresIn, token_type: 'Bearer' } });

describe('application-restricted tokens', () => {
  it('are fetched with client_credentials and a signed assertion, then cached until shortly before expiry', async () => {
    let now = 1_000_000;
    const { post, forms } = fakeEndpoint((_f, n) => granted(n));
    const seen: string[] = [];
    const auth = createAuthSession({ mode: 'app', tokenUrl: signer.tokenUrl, signer, post, now: () => now, onSecret: (s) => seen.push(s) });
    const subject = { mode: 'application-restricted' as const, userId: 'u' };
    assert.equal(await auth.tokenFor(subject), 'token-1');
    assert.equal(forms[0]!.grant_type, 'client_credentials');
    assert.equal(forms[0]!.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(decodeJwt(forms[0]!.client_assertion!).iss, 'api-key-1');
    now += 500_000; // 500 s of 599: still inside the 60 s refresh margin
    assert.equal(await auth.tokenFor(subject), 'token-1');
    assert.equal(forms.length, 1);
    now += 40_000; // 540 s: within 60 s of expiry, so refresh transparently
    assert.equal(await auth.tokenFor(subject), 'token-2');
    assert.equal(forms.length, 2);
    assert.notEqual(forms[0]!.client_assertion, forms[1]!.client_assertion, 'a new assertion (new jti) per request');
    assert.ok(seen.includes('token-1') && seen.includes('token-2') && seen.includes(forms[0]!.client_assertion!), 'tokens and assertions go to the redactor');
  });

  it('accept expires_in as a number too, and refresh short-lived tokens at half their life', async () => {
    let now = 0;
    const { post, forms } = fakeEndpoint((_f, n) => granted(n, 20));
    const auth = createAuthSession({ mode: 'app', tokenUrl: signer.tokenUrl, signer, post, now: () => now });
    const subject = { mode: 'application-restricted' as const, userId: 'u' };
    await auth.tokenFor(subject);
    now = 9_000;
    await auth.tokenFor(subject);
    assert.equal(forms.length, 1);
    now = 10_000;
    await auth.tokenFor(subject);
    assert.equal(forms.length, 2);
  });

  it('concurrent callers share one token request', async () => {
    const { post, forms } = fakeEndpoint((_f, n) => granted(n));
    const auth = createAuthSession({ mode: 'both', tokenUrl: signer.tokenUrl, signer, post });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.tokenFor({ mode: 'application-restricted', userId: 'u' })));
    assert.deepEqual(new Set(tokens), new Set(['token-1']));
    assert.equal(forms.length, 1);
  });

  it('a refusal names the status, the OAuth error and what to check; 5xx is an environment fault', async () => {
    const refuse = fakeEndpoint(() => ({ status: 401, json: { error: 'invalid_request', error_description: 'Invalid iss/sub claims in JWT' } }));
    const auth = createAuthSession({ mode: 'app', tokenUrl: signer.tokenUrl, signer, post: refuse.post });
    await assert.rejects(auth.tokenFor({ mode: 'application-restricted', userId: 'u' }), (e: Error) => {
      assert.ok(e instanceof TokenRequestError);
      assert.match(e.message, /401 invalid_request "Invalid iss\/sub claims in JWT" — check ERS_API_KEY/);
      return true;
    });
    const down = fakeEndpoint(() => ({ status: 503, json: {} }));
    const auth2 = createAuthSession({ mode: 'app', tokenUrl: signer.tokenUrl, signer, post: down.post });
    await assert.rejects(auth2.tokenFor({ mode: 'application-restricted', userId: 'u' }), EnvironmentFault);
    const odd = fakeEndpoint(() => ({ status: 200, json: { access_token: 't', expires_in: 'soon' } }));
    const auth3 = createAuthSession({ mode: 'app', tokenUrl: signer.tokenUrl, signer, post: odd.post });
    await assert.rejects(auth3.tokenFor({ mode: 'application-restricted', userId: 'u' }), /positive expires_in/);
  });

  it('a ready-made token is used as given', async () => {
    const { post, forms } = fakeEndpoint((_f, n) => granted(n));
    const auth = createAuthSession({ mode: 'app', appAccessToken: 'given-token', post });
    assert.equal(await auth.tokenFor({ mode: 'application-restricted', userId: 'u' }), 'given-token');
    assert.equal(forms.length, 0);
  });
});

describe('user-restricted tokens', () => {
  it('come from the token exchange of a CIS2 id_token, one per user and login', async () => {
    const { post, forms } = fakeEndpoint((_f, n) => granted(n));
    const asked: string[] = [];
    const auth = createAuthSession({
      mode: 'user',
      tokenUrl: signer.tokenUrl,
      signer,
      post,
      idTokenFor: async (userId, login) => {
        asked.push(`${userId}:${login?.aal ?? ''}`);
        return `id-token-${userId}`;
      },
    });
    assert.equal(await auth.tokenFor({ mode: 'user-restricted', userId: 'a' }), 'token-1');
    assert.equal(await auth.tokenFor({ mode: 'user-restricted', userId: 'a' }), 'token-1');
    assert.equal(await auth.tokenFor({ mode: 'user-restricted', userId: 'b' }), 'token-2');
    assert.equal(await auth.tokenFor({ mode: 'user-restricted', userId: 'a', login: { aal: 'AAL2' } }), 'token-3');
    assert.deepEqual(asked, ['a:', 'b:', 'a:AAL2']);
    assert.equal(forms[0]!.grant_type, 'urn:ietf:params:oauth:grant-type:token-exchange');
    assert.equal(forms[0]!.subject_token_type, 'urn:ietf:params:oauth:token-type:id_token');
    assert.equal(forms[0]!.subject_token, 'id-token-a');
    assert.ok(forms[0]!.client_assertion);
  });

  it('are refused clearly when the mode is not configured', async () => {
    const { post } = fakeEndpoint((_f, n) => granted(n));
    const appOnly = createAuthSession({ mode: 'app', tokenUrl: signer.tokenUrl, signer, post });
    await assert.rejects(appOnly.tokenFor({ mode: 'user-restricted', userId: 'a' }), (e: Error) => e instanceof AuthNotConfiguredError && /ERS_AUTH=app/.test(e.message));
    const noIdToken = createAuthSession({ mode: 'user', tokenUrl: signer.tokenUrl, signer, post });
    await assert.rejects(noIdToken.tokenFor({ mode: 'user-restricted', userId: 'a' }), /ERS_ACCESS_TOKEN .* or ERS_ID_TOKEN/);
    const none = createAuthSession({ mode: 'none', post });
    assert.equal(await none.tokenFor({ mode: 'user-restricted', userId: 'a' }), undefined);
  });
});

describe('role headers by access mode (catalogue 4, 5, 10.1)', () => {
  it('an application sends none; a user sends business function and ODS; only an SPCA sends on-behalf-of', () => {
    assert.deepEqual(roleHeadersFor({ mode: 'application-restricted', ods: 'RX1', businessFunction: 'PROVIDER_AUTHORISED_APPLICATION', onBehalfOf: 'x' }), {});
    assert.deepEqual(roleHeadersFor({ mode: 'user-restricted', ods: 'Y1', businessFunction: 'REFERRING_CLINICIAN', onBehalfOf: 'x' }), { businessFunction: 'REFERRING_CLINICIAN', odsCode: 'Y1', onBehalfOf: undefined });
    assert.deepEqual(roleHeadersFor({ mode: 'user-restricted', ods: 'RX1', businessFunction: 'SERVICE_PROVIDER_CLINICIAN_ADMIN', onBehalfOf: 'spc' }), { businessFunction: 'SERVICE_PROVIDER_CLINICIAN_ADMIN', odsCode: 'RX1', onBehalfOf: 'spc' });
  });
});

describe('AAL/IAL refusals are explained', () => {
  it('names the assurance problem for each 10.3 row', () => {
    assert.match(explainAuthRejection({ status: 401, headers: {}, diagnostics: 'The authentication method utilised is not currently supported. Contact ...' })!, /AAL1/);
    assert.match(explainAuthRejection({ status: 401, headers: {}, diagnostics: "We couldn't verify your identity. Contact ..." })!, /IAL3/);
    assert.match(explainAuthRejection({ status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="Invalid API call as no apiproduct match found"' } })!, /not subscribed/);
    assert.match(explainAuthRejection({ status: 403, headers: {}, diagnostics: 'ASID is not configured in the application' })!, /ASID/);
    assert.equal(explainAuthRejection({ status: 422, headers: {} }), undefined);
  });
});
