// One call to the NHS token endpoint (catalogue AUTH-TOKEN): a form POST recorded as an Exchange,
// so token requests are evidence like any other call (redacted when attached).
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { EnvironmentFault } from '../evidence/errors.ts';
import type { Exchange, RecordedBody } from '../http/exchange.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export function clientCredentialsForm(assertion: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
}

export function tokenExchangeForm(assertion: string, idToken: string): Record<string, string> {
  return {
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token_type: ID_TOKEN_TYPE,
    subject_token: idToken,
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: assertion,
  };
}

/** Token requests a client can get wrong apart from the assertion itself (catalogue AUTH-TOKEN 400s). */
export const TOKEN_FORM_DEFECTS = {
  'no grant_type': (form: Record<string, string>) => without(form, 'grant_type'),
  'grant_type password': (form: Record<string, string>) => ({ ...form, grant_type: 'password' }),
  'no client_assertion_type': (form: Record<string, string>) => without(form, 'client_assertion_type'),
  'a client_assertion_type other than jwt-bearer': (form: Record<string, string>) => ({ ...form, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
  'no client_assertion': (form: Record<string, string>) => without(form, 'client_assertion'),
} satisfies Record<string, (form: Record<string, string>) => Record<string, string>>;

export type TokenFormDefect = keyof typeof TOKEN_FORM_DEFECTS;

export function isTokenFormDefect(name: string): name is TokenFormDefect {
  return name in TOKEN_FORM_DEFECTS;
}

function without(form: Record<string, string>, field: string): Record<string, string> {
  const { [field]: _dropped, ...rest } = form;
  return rest;
}

export interface TokenAnswer {
  exchange: Exchange;
  status: number;
  /** the JSON body, when there is one */
  json: Record<string, unknown> | undefined;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** The token endpoint said no: status, OAuth error and description; never carries the request. */
export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: string | undefined,
    readonly description: string | undefined,
    context: string,
  ) {
    super(`${context}: the token endpoint answered ${status}${error ? ` ${error}` : ''}${description ? ` "${description}"` : ''}${hintFor(status, description)}`);
    this.name = 'TokenRequestError';
  }
}

export type TokenPoster = (tokenUrl: string, form: Record<string, string>) => Promise<TokenAnswer>;

/** A token endpoint answers a few hundred bytes; more than this is not a token response and is not read further. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a form to the token URL; transport failures and 5xx are environment faults. The whole exchange, reading
 * the answer included, gets timeoutMs, and at most maxResponseBytes of the answer are read.
 */
export function createTokenPoster(timeoutMs: number, maxResponseBytes = MAX_TOKEN_RESPONSE_BYTES): TokenPoster {
  return async (tokenUrl, form) => {
    const body = new URLSearchParams(form).toString();
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'X-Correlation-ID': randomUUID() };
    const started = Date.now();
    const exchange: Exchange = {
      id: randomUUID(),
      operation: 'AUTH-TOKEN',
      correlationId: headers['X-Correlation-ID'],
      request: { method: 'POST', url: tokenUrl, headers, body: textBody(body, headers['Content-Type']) },
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
      attempts: 1,
    };
    let status: number;
    let json: Record<string, unknown> | undefined;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(tokenUrl, { method: 'POST', headers, body, signal });
      const text = await readAtMost(res.body, maxResponseBytes, () => res.body.destroy());
      const resHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
      status = res.statusCode;
      const recorded = textBody(text, resHeaders['content-type']);
      json = recorded.json && typeof recorded.json === 'object' && !Array.isArray(recorded.json) ? (recorded.json as Record<string, unknown>) : undefined;
      exchange.response = { status, headers: resHeaders, body: recorded };
    } catch (err) {
      exchange.durationMs = Date.now() - started;
      if (err instanceof ResponseTooLarge) throw new EnvironmentFault(`the token endpoint ${tokenUrl} ${err.message}`);
      const why = signal.aborted ? `no complete answer within ${timeoutMs} ms (ERS_TIMEOUT_MS)` : (err as Error).message;
      throw new EnvironmentFault(`the token endpoint ${tokenUrl} could not be reached: ${why}`);
    }
    exchange.durationMs = Date.now() - started;
    return { exchange, status, json };
  };
}

class ResponseTooLarge extends Error {}

/** The body as text, refusing (and abandoning the connection) once it passes `limit` bytes. */
async function readAtMost(stream: AsyncIterable<Buffer>, limit: number, abandon: () => void): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) {
      abandon();
      throw new ResponseTooLarge(`answered more than ${limit} bytes, which is not a token response; check ERS_TOKEN_URL points at the token endpoint`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The access token from a 200 answer; expires_in arrives as a string ("599") and is accepted as a number too. */
export function issuedToken(answer: TokenAnswer, context: string): IssuedToken {
  const { status, json } = answer;
  if (status >= 500) throw new EnvironmentFault(`${context}: the token endpoint answered ${status}`);
  if (status !== 200) throw new TokenRequestError(status, str(json?.error), str(json?.error_description), context);
  const accessToken = json?.access_token;
  const expiresIn = Number(typeof json?.expires_in === 'string' || typeof json?.expires_in === 'number' ? json.expires_in : NaN);
  if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new TokenRequestError(status, 'invalid_response', 'a 200 answer without access_token and a positive expires_in', context);
  }
  return { accessToken, expiresInSeconds: expiresIn };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** One line telling a supplier what to change, for the refusals it can cause itself. */
function hintFor(status: number, description: string | undefined): string {
  const d = description ?? '';
  if (/iss\/sub/i.test(d)) return ' — check ERS_API_KEY is the API key of an app subscribed to the e-RS product';
  if (/kid/i.test(d)) return ' — check ERS_KID names a key in the JWKS registered for the app';
  if (/aud/i.test(d)) return ' — ERS_TOKEN_URL must be exactly the token URL of the environment';
  if (/exp/i.test(d)) return ' — check this machine\'s clock (exp must be in the future and at most 5 minutes ahead)';
  if (/signature/i.test(d)) return ' — ERS_PRIVATE_KEY does not match the public key registered under ERS_KID';
  if (/subject_token|id_token/i.test(d)) return ' — the CIS2 id_token (ERS_ID_TOKEN) is invalid or expired: obtain a fresh one';
  if (/assurance|AAL|IAL/i.test(d)) return ' — the CIS2 login does not meet e-RS assurance (IAL3 and AAL2/AAL3 are required)';
  if (status === 403 && /public_key/i.test(d)) return ' — register a JWKS URL for the app on the developer portal';
  return '';
}

function textBody(text: string, contentType: string | undefined): RecordedBody {
  const bytes = Buffer.byteLength(text);
  const body: RecordedBody = { text, bytes, contentType, truncated: false, binary: false };
  if (contentType?.includes('json') && text) {
    try {
      body.json = JSON.parse(text);
    } catch (e) {
      body.jsonError = `body is not JSON: ${(e as Error).message}`;
    }
  }
  return body;
}
