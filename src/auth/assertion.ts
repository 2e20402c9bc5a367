// The client assertion (RFC 7523 private key JWT) that authenticates an app at the NHS token endpoint
// (catalogue 10.1), and deliberately broken variants for the token-endpoint security scenarios.
import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';

export interface ClientSigner {
  privateKey: KeyObject;
  /** key id of the public key registered in the app's JWKS */
  kid: string;
  /** the developer-portal API key: client id, iss and sub of every assertion */
  apiKey: string;
  /** the exact token URL, which is also the assertion's aud */
  tokenUrl: string;
}

/** How far ahead exp is set: under the 5-minute ceiling so a small clock skew still passes. */
export const ASSERTION_LIFETIME_SECONDS = 240;

/** Claim and header overrides: a value replaces, null removes. Used only to build broken assertions. */
export interface AssertionOverrides {
  alg?: 'RS512' | 'RS256' | 'HS512' | 'none';
  typ?: string | null;
  kid?: string | null;
  iss?: string | null;
  sub?: string | null;
  aud?: string | null;
  jti?: string | number | null;
  /** exp in epoch seconds, or null to leave it out */
  exp?: number | null;
  /** sign with this key instead of the signer's (a key the token endpoint does not know) */
  signWith?: KeyObject;
}

/** A valid client assertion: RS512, typ JWT, kid, iss = sub = API key, aud = token URL, fresh jti, exp <= 5 min. */
export async function buildClientAssertion(signer: ClientSigner, now: () => number = Date.now, jti: string = randomUUID()): Promise<string> {
  return buildAssertion(signer, { jti }, now);
}

/** Any assertion, valid or not; overrides say what to break. */
export async function buildAssertion(signer: ClientSigner, o: AssertionOverrides = {}, now: () => number = Date.now): Promise<string> {
  const nowSeconds = Math.floor(now() / 1000);
  const header: Record<string, unknown> = { alg: o.alg ?? 'RS512', typ: 'JWT', kid: signer.kid };
  if (o.typ !== undefined) header.typ = o.typ;
  if (o.kid !== undefined) header.kid = o.kid;
  const claims: Record<string, unknown> = {
    iss: signer.apiKey,
    sub: signer.apiKey,
    aud: signer.tokenUrl,
    jti: randomUUID(),
    exp: nowSeconds + ASSERTION_LIFETIME_SECONDS,
  };
  for (const name of ['iss', 'sub', 'aud', 'jti', 'exp'] as const) {
    if (o[name] !== undefined) claims[name] = o[name];
  }
  for (const [k, v] of Object.entries(header)) if (v === null) delete header[k];
  for (const [k, v] of Object.entries(claims)) if (v === null) delete claims[k];

  if (header.alg === 'none') {
    return new UnsecuredJWT(claims).encode();
  }
  const jwt = new SignJWT(claims).setProtectedHeader(header as { alg: string });
  if (header.alg === 'HS512') return jwt.sign(new TextEncoder().encode(randomUUID() + randomUUID()));
  return jwt.sign(o.signWith ?? signer.privateKey);
}

/**
 * The client-provokable token errors of catalogue 10.1, as data: the name a feature uses, and how
 * the assertion is broken. `malformed` is not a JWT at all.
 */
export const ASSERTION_DEFECTS = {
  'alg RS256': () => ({ alg: 'RS256' }),
  'alg HS512': () => ({ alg: 'HS512' }),
  'no kid': () => ({ kid: null }),
  'unknown kid': () => ({ kid: `unknown-${randomUUID()}` }),
  'typ not JWT': () => ({ typ: 'JOSE' }),
  'no iss': () => ({ iss: null }),
  'iss not sub': () => ({ iss: `not-the-api-key-${randomUUID()}` }),
  'unknown client': () => {
    const other = `unknown-client-${randomUUID()}`;
    return { iss: other, sub: other };
  },
  'wrong aud': () => ({ aud: 'https://example.invalid/oauth2/token' }),
  'no aud': () => ({ aud: null }),
  'no jti': () => ({ jti: null }),
  'numeric jti': () => ({ jti: 42 }),
  'no exp': () => ({ exp: null }),
  'expired exp': (nowSeconds: number) => ({ exp: nowSeconds - 120 }),
  'exp more than 5 minutes ahead': (nowSeconds: number) => ({ exp: nowSeconds + 600 }),
} satisfies Record<string, (nowSeconds: number) => AssertionOverrides>;

export type AssertionDefect = keyof typeof ASSERTION_DEFECTS | 'malformed';

export function isAssertionDefect(name: string): name is AssertionDefect {
  return name === 'malformed' || name in ASSERTION_DEFECTS;
}

/** A client assertion with one named defect (for negative token-endpoint scenarios only). */
export async function buildBrokenAssertion(signer: ClientSigner, defect: AssertionDefect, now: () => number = Date.now): Promise<string> {
  if (defect === 'malformed') return 'this-is-not-a-jwt';
  const overrides = ASSERTION_DEFECTS[defect](Math.floor(now() / 1000)) as AssertionOverrides;
  return buildAssertion(signer, overrides, now);
}
