// How the GP system talks to e-RS: tokens from the NHS identity service (signed-JWT client credentials
// for application calls, CIS2 token exchange for the user), fhir-kit-client for the FHIR calls, a
// correlation id per request (kept in the audit trail), and the documented retry rules: 429/503 are
// retried after Retry-After, a bounded number of times; nothing else is retried.
import { randomUUID } from 'node:crypto';
import { Client } from 'fhir-kit-client';
import { SignJWT, importPKCS8 } from 'jose';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export class ErsCallError extends Error {
  constructor(operation, status, outcome, retryAfter, lost = false) {
    super(`${operation} answered ${status || 'nothing'}${outcome?.code ? ` ${outcome.code}` : ''}`);
    this.name = 'ErsCallError';
    this.operation = operation;
    this.status = status; // 0: no answer (connection lost or timed out)
    this.outcome = outcome; // { code, display, diagnostics }
    this.retryAfter = retryAfter;
    this.lost = lost;
  }
}

/**
 * @param ers {fhirBaseUrl, tokenUrl}
 * @param login the user's CIS2 login ({idToken, businessFunction, ods}) or undefined
 * @param key the system's signing key ({kid, privatePem})
 * @param setup policy, request filters and audit filters (defects.js)
 * @param audit (record) => void
 */
export function connectToErs({ ers, login, key, apiKey, setup, audit }) {
  const { policy } = setup;
  const tokens = {};

  async function clientAssertion() {
    const pk = await importPKCS8(key.privatePem, 'RS512');
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: key.kid })
      .setIssuer(apiKey)
      .setSubject(apiKey)
      // the audience is e-RS's own token URL; behind a recording proxy that is not the URL posted to (ERS_REFERENCE_TOKEN_AUDIENCE)
      .setAudience(process.env.ERS_REFERENCE_TOKEN_AUDIENCE || ers.tokenUrl)
      .setJti(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + 240)
      .sign(pk);
  }

  async function token(mode) {
    if (tokens[mode]) return tokens[mode];
    const form = new URLSearchParams({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion() });
    if (mode === 'user') {
      if (!login?.idToken) throw new Error('no user is logged in (the action carries no CIS2 login)');
      form.set('grant_type', TOKEN_EXCHANGE);
      form.set('subject_token_type', 'urn:ietf:params:oauth:token-type:id_token');
      form.set('subject_token', login.idToken);
    } else form.set('grant_type', 'client_credentials');
    const res = await fetch(ers.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, signal: AbortSignal.timeout(policy.timeoutMs) });
    const body = await res.json().catch(() => ({}));
    if (!res.ok || !body.access_token) throw new Error(`the identity service refused a ${mode} token: ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim());
    tokens[mode] = body.access_token;
    return body.access_token;
  }

  /**
   * One e-RS call. `as`: 'user' (CIS2, with role headers) or 'application'.
   * Returns { body, etag, location, status }; throws ErsCallError for anything but 2xx.
   */
  async function call(operation, { as = 'user', method, path, query, body, ifMatch, headers = {}, contentType }) {
    const client = new Client({ baseUrl: ers.fhirBaseUrl });
    client.bearerToken = await token(as);
    const req = { method, path, query, body, headers: { accept: 'application/fhir+json', ...lower(headers) } };
    if (ifMatch) req.headers['if-match'] = ifMatch;
    if (body !== undefined) req.headers['content-type'] = contentType ?? 'application/fhir+json';
    if (as === 'user' || policy.roleHeadersOnApplicationCalls) {
      req.headers['nhsd-ers-business-function'] = login?.businessFunction ?? '';
      req.headers['nhsd-end-user-organisation-ods'] = login?.ods ?? '';
      if (login?.onBehalfOf) req.headers['nhsd-ers-on-behalf-of-user-id'] = login.onBehalfOf;
    }
    for (const filter of setup.requestFilters) filter(req);
    for (let attempt = 1; ; attempt++) {
      const correlationId = randomUUID();
      const url = `${req.path}${req.query ? `?${new URLSearchParams(req.query)}` : ''}`;
      const started = new Date().toISOString();
      try {
        const result = await client.request(url, {
          method: req.method,
          body: req.body,
          options: { headers: { ...req.headers, 'x-correlation-id': correlationId }, signal: AbortSignal.timeout(policy.timeoutMs) },
        });
        const response = Client.httpFor(result).response;
        record(operation, correlationId, started, response?.status ?? 200);
        return { body: result, status: response?.status, etag: response?.headers.get('etag') ?? undefined, location: response?.headers.get('location') ?? undefined };
      } catch (err) {
        const status = err.response?.status ?? 0;
        record(operation, correlationId, started, status || 'no answer');
        const retryAfter = Number(err.config?.headers?.get?.('retry-after'));
        const failure = new ErsCallError(operation, status, outcomeOf(err.response?.data), Number.isFinite(retryAfter) ? retryAfter : undefined, status === 0);
        if (attempt >= policy.maxAttempts || !policy.retryStatuses.includes(status)) throw failure;
        const waitMs = policy.honourRetryAfter ? Math.min((failure.retryAfter ?? 1) * 1000, policy.maxRetryWaitMs) : 0;
        if (failure.retryAfter !== undefined && failure.retryAfter * 1000 > policy.maxRetryWaitMs) throw failure; // longer than the user should wait
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  /**
   * Downloads a file e-RS serves by redirect (A042: 307 to a short-lived object-store link). The e-RS call carries
   * the token, role headers and correlation id; the link itself is fetched without them (it is pre-signed, and the
   * token must not leave for another host). Returns { bytes, contentType }; throws ErsCallError like call().
   */
  async function download(operation, { as = 'user', path }) {
    const headers = { accept: '*/*', authorization: `Bearer ${await token(as)}` };
    if (as === 'user' || policy.roleHeadersOnApplicationCalls) {
      headers['nhsd-ers-business-function'] = login?.businessFunction ?? '';
      headers['nhsd-end-user-organisation-ods'] = login?.ods ?? '';
      if (login?.onBehalfOf) headers['nhsd-ers-on-behalf-of-user-id'] = login.onBehalfOf;
    }
    const req = { method: 'GET', path, headers };
    for (const filter of setup.requestFilters) filter(req);
    for (let attempt = 1; ; attempt++) {
      const correlationId = randomUUID();
      const started = new Date().toISOString();
      let res;
      try {
        res = await fetch(new URL(req.path, `${ers.fhirBaseUrl}/`), { method: 'GET', headers: { ...req.headers, 'x-correlation-id': correlationId }, redirect: 'manual', signal: AbortSignal.timeout(policy.timeoutMs) });
      } catch {
        record(operation, correlationId, started, 'no answer');
        throw new ErsCallError(operation, 0, undefined, undefined, true);
      }
      record(operation, correlationId, started, res.status);
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        const file = await fetch(new URL(res.headers.get('location'), ers.fhirBaseUrl), { signal: AbortSignal.timeout(policy.timeoutMs) });
        if (!file.ok) throw new ErsCallError(operation, file.status, undefined, undefined);
        return { bytes: Buffer.from(await file.arrayBuffer()), contentType: file.headers.get('content-type') ?? 'application/octet-stream' };
      }
      if (res.ok) return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
      const outcome = outcomeOf(await res.json().catch(() => undefined));
      const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
      const failure = new ErsCallError(operation, res.status, outcome, Number.isFinite(retryAfter) ? retryAfter : undefined);
      const transient = policy.retryStatuses.includes(res.status) || (res.status === 422 && outcome?.code === 'PENDING' && policy.retryPendingAttachments);
      if (attempt >= policy.maxAttempts || !transient) throw failure;
      if (failure.retryAfter !== undefined && failure.retryAfter * 1000 > policy.maxRetryWaitMs) throw failure;
      await new Promise((r) => setTimeout(r, policy.honourRetryAfter ? Math.min((failure.retryAfter ?? 1) * 1000, policy.maxRetryWaitMs) : 0));
    }
  }

  function record(operation, correlationId, at, status) {
    const entry = { at, user: login?.userId ?? `application ${apiKey}`, operation, correlationId, status };
    for (const filter of setup.auditFilters) filter(entry);
    audit(entry);
  }

  return { call, download };
}

function lower(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * A write that needs the current version: read, write with If-Match; when e-RS answers one of `retryOn` (the version
 * was stale), read again (when `reread`, the sound behaviour) and write once more.
 */
export async function writeWithVersion(read, write, { retryOn, reread }) {
  let current = await read();
  try {
    return await write(current);
  } catch (err) {
    if (!(err instanceof ErsCallError) || !retryOn.includes(err.status)) throw err;
    if (reread) current = await read();
    return write(current);
  }
}

/** The e-RS error code and text of an OperationOutcome (STU3 or R4 shape). */
export function outcomeOf(data) {
  const issue = data?.issue?.[0];
  const coding = issue?.details?.coding?.[0];
  return coding || issue ? { code: coding?.code, display: coding?.display, diagnostics: issue?.diagnostics } : undefined;
}
