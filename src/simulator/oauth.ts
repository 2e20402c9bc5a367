// The simulated NHS identity service: POST /oauth2/token for client credentials (signed client
// assertion, catalogue 10.1) and the CIS2 separate-auth token exchange (10.2), plus a stand-in CIS2
// that signs id_tokens for seeded users. Issued access tokens go into the same TokenStore the
// pipeline checks, so every API call of a run is authorised by a token obtained here.
import { generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';
import { readYamlFile } from '../config/cached-yaml.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import type { Principal } from './principal.ts';
import { parseBoundedJson } from './limits.ts';
import type { TokenStore } from './tokens.ts';

export const TOKEN_PATH = '/oauth2/token';
export const CIS2_ID_TOKEN_PATH = '/_simulator/cis2/id_token';
export const ACCESS_TOKEN_TTL_SECONDS = 599;
/** exp may be at most 5 minutes ahead; the live service allows about 30 s of clock skew */
export const MAX_ASSERTION_AHEAD_SECONDS = 300;
export const EXP_GRACE_SECONDS = 30;
/** a JWKS URL gets this long to answer in full, and this many bytes; a failure is remembered this long */
export const JWKS_FETCH_TIMEOUT_MS = 5_000;
export const JWKS_MAX_BYTES = 256 * 1024;
export const JWKS_FAILURE_CACHE_MS = 30_000;
const JWKS_CACHE_MS = 300_000;

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** An app registered on the (simulated) developer portal, keyed by API key. */
export interface ClientApp {
  apiKey: string;
  name: string;
  /** '' = the ASID custom attribute is missing (403 on every API call) */
  asid: string;
  ods: string;
  userId: string;
  businessFunction: string;
  /** false = the app is not subscribed to the e-RS product (401 on every API call) */
  subscribed?: boolean;
  /** 'none' = no JWKS registered; a JWKS or a file path / URL overrides the simulator-wide `jwks` option */
  jwks?: 'none' | JwksSource;
}

export interface Jwk {
  kty: string;
  kid?: string;
  n?: string;
  e?: string;
  alg?: string;
  use?: string;
}
export interface JwksDocument {
  keys: Jwk[];
}
/** a JWKS, or a file path or http(s) URL serving one */
export type JwksSource = JwksDocument | string;

/** CIS2 login assurance the stand-in CIS2 puts into an id_token. */
export interface Cis2Login {
  userId: string;
  /** identity assurance level (default 3) */
  ial?: number;
  /** authentication assurance level (default AAL3) */
  aal?: 'AAL1' | 'AAL2' | 'AAL3';
}

export interface OAuthOptions {
  origin: string;
  tokens: TokenStore;
  clients: ClientApp[];
  jwks?: JwksSource;
  /** user ids CIS2 knows (the seed's users); others get no id_token */
  knownUser(userId: string): boolean;
  now(): number;
  /** default JWKS_FETCH_TIMEOUT_MS */
  jwksTimeoutMs?: number;
}

export interface OAuthService {
  /** the exact token URL, which client assertions must name as aud */
  tokenUrl: string;
  cis2Issuer: string;
  /** the answer for /oauth2/token and the CIS2 control route, or undefined for other paths */
  handle(req: SimRequest): Promise<SimResponse | undefined>;
  /** a CIS2-style id_token for a seeded user (what a supplier's own CIS2 login would give it) */
  cis2IdToken(login: Cis2Login): Promise<string>;
}

/** The built-in app registrations (src/simulator/seed/applications.yaml). */
export function loadDefaultClients(): ClientApp[] {
  const url = new URL('./seed/applications.yaml', import.meta.url);
  return readYamlFile(url) as ClientApp[];
}

/** Refusal as the identity service words it: {error, error_description}. */
class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, readonly description: string) {
    super(description);
  }
}
const invalid = (status: 400 | 401, description: string): OAuthError => new OAuthError(status, 'invalid_request', description);
const generateRsaKeyPair = promisify(generateKeyPair);

export function createOAuthService(opts: OAuthOptions): OAuthService {
  const tokenUrl = `${opts.origin}${TOKEN_PATH}`;
  const cis2Issuer = `${opts.origin}/_simulator/cis2`;
  const clients = new Map(opts.clients.map((c) => [c.apiKey, c]));
  // The stand-in CIS2's signing key, made on the thread pool (about half a second of CPU) while the rest starts.
  const cis2Keys = generateRsaKeyPair('rsa', { modulusLength: 2048 });
  cis2Keys.catch(() => undefined); // a failure surfaces where the key is used, not as an unhandled rejection
  /** jti values already used, per client, until their assertion would have expired anyway */
  const usedJti = new Map<string, number>();
  /** per JWKS URL: the document, or why it could not be had, and when; plus the fetch in flight, shared */
  const remoteJwks = new Map<string, { at: number; doc?: JwksDocument; failure?: string }>();
  const inFlight = new Map<string, Promise<JwksDocument>>();

  async function jwksFor(client: ClientApp): Promise<JwksDocument | undefined> {
    const source = client.jwks ?? opts.jwks;
    if (source === undefined || source === 'none') return undefined;
    if (typeof source !== 'string') return source;
    if (/^https?:\/\//.test(source)) {
      const hit = remoteJwks.get(source);
      if (hit?.doc && opts.now() - hit.at < JWKS_CACHE_MS) return hit.doc;
      if (hit?.failure && opts.now() - hit.at < JWKS_FAILURE_CACHE_MS) throw jwksUnavailable(source, `${hit.failure} (remembered for ${JWKS_FAILURE_CACHE_MS / 1000} s)`);
      let pending = inFlight.get(source);
      if (!pending) {
        pending = fetchJwks(source).finally(() => inFlight.delete(source));
        inFlight.set(source, pending);
      }
      try {
        const doc = await pending;
        remoteJwks.set(source, { at: opts.now(), doc });
        return doc;
      } catch (err) {
        const why = (err as Error).message;
        remoteJwks.set(source, { at: opts.now(), failure: why });
        throw jwksUnavailable(source, why);
      }
    }
    try {
      return parseJwks(readFileSync(source, 'utf8')); // read per request so a rotated file takes effect
    } catch (err) {
      throw jwksUnavailable(source, (err as Error).message);
    }
  }

  /** Every 10.1 rule, in the order the identity service applies them; returns the verified client. */
  async function verifyAssertion(form: URLSearchParams): Promise<{ client: ClientApp; jti: string; exp: number }> {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      throw invalid(400, `Missing or invalid client_assertion_type - must be '${JWT_BEARER}'`);
    }
    const assertion = form.get('client_assertion');
    if (!assertion) throw invalid(400, 'Missing client_assertion');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
      claims = decodeJwt(assertion) as Record<string, unknown>;
    } catch {
      throw invalid(400, 'Malformed JWT in client_assertion');
    }
    if (header.alg !== 'RS512') throw invalid(400, "Invalid 'alg' header in JWT - unsupported JWT algorithm - must be 'RS512'");
    if (header.typ !== undefined && String(header.typ).toUpperCase() !== 'JWT') throw invalid(400, "Invalid 'typ' header in JWT - must be 'JWT'");
    if (typeof header.kid !== 'string' || header.kid === '') throw invalid(400, "Missing 'kid' header in JWT");
    const { iss, sub, jti, exp } = claims;
    if (typeof iss !== 'string' || iss === '' || iss !== sub) throw invalid(400, 'Missing or non-matching iss/sub claims in JWT');
    if (jti === undefined) throw invalid(400, 'Missing jti claim in JWT');
    if (typeof jti !== 'string') throw invalid(400, 'Failed to decode JWT');
    if (exp === undefined) throw invalid(400, 'Missing exp claim in JWT');
    if (typeof exp !== 'number' || !Number.isInteger(exp)) throw invalid(400, 'Failed to decode JWT');
    const nowSeconds = Math.floor(opts.now() / 1000);
    if (exp < nowSeconds) throw invalid(400, 'Invalid exp claim in JWT - JWT has expired');
    if (exp > nowSeconds + MAX_ASSERTION_AHEAD_SECONDS + EXP_GRACE_SECONDS) throw invalid(400, 'Invalid exp claim in JWT - more than 5 minutes in future');
    // nbf is optional (RFC 7523); when present, an assertion is not valid before it (with the same clock skew as exp)
    const { nbf } = claims;
    if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) throw invalid(400, 'Failed to decode JWT');
    if (typeof nbf === 'number' && nbf > nowSeconds + EXP_GRACE_SECONDS) throw invalid(400, 'Invalid nbf claim in JWT - JWT is not yet valid');

    const client = clients.get(iss);
    if (!client) throw invalid(401, 'Invalid iss/sub claims in JWT');
    const jwks = await jwksFor(client);
    if (!jwks) throw new OAuthError(403, 'public_key error', 'You need to register a public key to use this authentication method - please contact support to configure');
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk) throw invalid(401, "Invalid 'kid' header in JWT - no matching public key");
    try {
      const key = await importJWK({ ...jwk, alg: 'RS512' }, 'RS512');
      await compactVerify(assertion, key, { algorithms: ['RS512'] });
    } catch {
      // The catalogue does not word this one; the live service refuses such an assertion as unauthorised.
      throw invalid(401, 'Unable to verify JWT signature');
    }
    const aud = claims.aud;
    const audOk = aud === tokenUrl || (Array.isArray(aud) && aud.length === 1 && aud[0] === tokenUrl);
    if (!audOk) throw invalid(401, 'Missing or invalid aud claim in JWT');
    const seenKey = `${client.apiKey}|${jti}`;
    for (const [k, until] of usedJti) if (until < nowSeconds) usedJti.delete(k);
    if (usedJti.has(seenKey)) throw invalid(400, 'Non-unique jti claim in JWT');
    return { client, jti: seenKey, exp };
  }

  async function verifyIdToken(form: URLSearchParams): Promise<{ userId: string; ial: number; aal: 'AAL1' | 'AAL2' | 'AAL3' }> {
    if (form.get('subject_token_type') !== ID_TOKEN_TYPE) throw invalid(400, `missing or invalid subject_token_type - must be '${ID_TOKEN_TYPE}'`);
    const idToken = form.get('subject_token');
    if (!idToken) throw invalid(400, 'Missing subject_token');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(idToken, (await cis2Keys).publicKey, { issuer: cis2Issuer, algorithms: ['RS512'], currentDate: new Date(opts.now()) }));
    } catch {
      // Catalogue silent on the wording: the simulator names what failed in general terms only.
      throw invalid(400, 'Invalid subject_token - not an unexpired id_token signed by CIS2');
    }
    const userId = claims.sub;
    if (typeof userId !== 'string' || !opts.knownUser(userId)) throw invalid(400, 'Invalid subject_token - unknown CIS2 user');
    const ial = Number(claims.id_assurance_level ?? 3);
    const aalNumber = String(claims.authentication_assurance_level ?? '3');
    const aal = aalNumber === '1' ? 'AAL1' : aalNumber === '2' ? 'AAL2' : 'AAL3';
    return { userId, ial, aal };
  }

  async function tokenEndpoint(req: SimRequest): Promise<SimResponse> {
    try {
      if (req.method !== 'POST') return oauthJson(405, { error: 'invalid_request', error_description: 'Use POST' }, { Allow: 'POST' });
      const form = new URLSearchParams(req.body.toString('utf8'));
      const grant = form.get('grant_type');
      if (!grant) throw new OAuthError(400, 'unsupported_grant_type', 'grant_type is missing');
      if (grant !== 'client_credentials' && grant !== TOKEN_EXCHANGE) {
        // authorization_code (CIS2 combined auth) needs a browser login; the simulator plays separate auth only
        throw new OAuthError(400, 'unsupported_grant_type', 'grant_type is invalid');
      }
      const subject = grant === TOKEN_EXCHANGE ? await verifyIdToken(form) : undefined;
      const { client, jti, exp } = await verifyAssertion(form);
      usedJti.set(jti, exp + EXP_GRACE_SECONDS);
      const principal: Principal = subject
        ? { mode: 'user-restricted', userId: subject.userId, ial: subject.ial, aal: subject.aal }
        : {
            mode: 'application-restricted',
            userId: client.userId,
            ods: client.ods,
            businessFunction: client.businessFunction,
            asid: client.asid,
            ...(client.subscribed === false ? { productMatch: false } : {}),
          };
      const accessToken = opts.tokens.issue(principal, ACCESS_TOKEN_TTL_SECONDS);
      return oauthJson(200, {
        access_token: accessToken,
        expires_in: String(ACCESS_TOKEN_TTL_SECONDS),
        token_type: 'Bearer',
        ...(subject ? { issued_token_type: ACCESS_TOKEN_TYPE } : {}),
      });
    } catch (err) {
      if (err instanceof OAuthError) return oauthJson(err.status, { error: err.error, error_description: err.description });
      throw err;
    }
  }

  /** GETs a JWKS URL within JWKS_FETCH_TIMEOUT_MS (the body included) and JWKS_MAX_BYTES. */
  async function fetchJwks(url: string): Promise<JwksDocument> {
    let res: Response;
    const timeoutMs = opts.jwksTimeoutMs ?? JWKS_FETCH_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (err) {
      throw new Error(signal.aborted ? `no answer within ${timeoutMs} ms` : `could not be fetched: ${(err as Error).message}`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > JWKS_MAX_BYTES) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`answered ${declared} bytes, more than the ${JWKS_MAX_BYTES} a JWKS may have`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body ?? []) {
        size += (chunk as Uint8Array).length;
        if (size > JWKS_MAX_BYTES) {
          await res.body?.cancel().catch(() => {});
          throw new Error(`sent more than the ${JWKS_MAX_BYTES} bytes a JWKS may have`);
        }
        chunks.push(chunk as Uint8Array);
      }
    } catch (err) {
      if (signal.aborted) throw new Error(`did not send its whole answer within ${timeoutMs} ms`);
      throw err;
    }
    return parseJwks(Buffer.concat(chunks).toString('utf8'));
  }

  async function cis2IdToken(login: Cis2Login): Promise<string> {
    if (!opts.knownUser(login.userId)) throw new Error(`CIS2 (simulated) has no user ${login.userId}`);
    const aal = login.aal ?? 'AAL3';
    const nowSeconds = Math.floor(opts.now() / 1000);
    return new SignJWT({
      id_assurance_level: String(login.ial ?? 3),
      authentication_assurance_level: aal.slice(3),
      amr: [aal === 'AAL3' ? 'N3_SMARTCARD' : aal === 'AAL2' ? 'TOTP' : 'PASSWORD'],
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'sim-cis2' })
      .setIssuer(cis2Issuer)
      .setSubject(login.userId)
      .setAudience('ers-conformance')
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 900)
      .sign((await cis2Keys).privateKey);
  }

  return {
    tokenUrl,
    cis2Issuer,
    cis2IdToken,
    async handle(req) {
      if (req.path === TOKEN_PATH) return tokenEndpoint(req);
      if (req.path === CIS2_ID_TOKEN_PATH && req.method === 'POST') {
        try {
          const login = parseBoundedJson(req.body.toString('utf8') || 'null', { maxJsonDepth: 8, maxJsonNodes: 100 }) as Cis2Login;
          if (!login || typeof login.userId !== 'string') throw new Error('body must be JSON {"userId": "...", "ial"?: 3, "aal"?: "AAL3"}');
          return oauthJson(200, { id_token: await cis2IdToken(login) });
        } catch (err) {
          return oauthJson(400, { error: (err as Error).message });
        }
      }
      return undefined;
    },
  };
}

/** A JWKS document: {"keys": [...]}, within the JSON limits of any request. */
function parseJwks(text: string): JwksDocument {
  let doc: unknown;
  try {
    doc = parseBoundedJson(text, { maxJsonDepth: 16, maxJsonNodes: 10_000 });
  } catch (err) {
    throw new Error(`is not a JSON JWKS: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as JwksDocument).keys)) throw new Error('is not a JWKS: it has no "keys" array');
  return doc as JwksDocument;
}

/** The identity service cannot check the assertion because the app's key set cannot be had: an environment fault. */
function jwksUnavailable(source: string, why: string): OAuthError {
  return new OAuthError(500, 'server_error', `The JWKS registered for this app (${source}) ${why}; fix the JWKS URL or file given to the simulator (--jwks)`);
}

function oauthJson(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers }, body: JSON.stringify(body) };
}
