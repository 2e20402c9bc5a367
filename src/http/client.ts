import { randomUUID } from 'node:crypto';
import { Agent, request, errors as undiciErrors } from 'undici';
import type { Exchange, RecordedBody, TransportErrorKind } from './exchange.ts';
import type { Pacer } from './pacer.ts';

/** The e-RS request as the harness thinks of it; the client turns it into HTTP. */
export interface ErsRequest {
  operation?: string;
  method: string;
  /** Path after the FHIR base, e.g. /STU3/ReferralRequest/000000000001, or an absolute URL (a redirect's Location). */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  accessToken?: string;
  businessFunction?: string;
  odsCode?: string;
  onBehalfOf?: string;
  ifMatch?: string;
  /** Fresh UUID per request unless the scenario sets one. */
  correlationId?: string | null;
  /** Defaults to application/fhir+json; null sends no Accept header. */
  accept?: string | null;
  /** JSON value (serialised as FHIR JSON), raw Buffer/string, or nothing. */
  body?: unknown;
  contentType?: string | null;
  /** Any other header; a null value removes a header the client would add. */
  headers?: Record<string, string | null>;
  /** Retry 429/503 honouring Retry-After (idempotent reads only); total wait budget in ms. */
  retryBudgetMs?: number;
}

export interface ErsClientOptions {
  baseUrl: string;
  timeoutMs: number;
  maxBodyBytes: number;
  /** This process's request budget (ERS_MAX_RPS shared out over the workers); every attempt waits its turn. */
  pacer?: Pacer;
}

export interface ErsClient {
  readonly baseUrl: string;
  send(req: ErsRequest): Promise<Exchange>;
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json';
const MAX_RETRY_AFTER_S = 60;

export function createErsClient(options: ErsClientOptions): ErsClient {
  const dispatcher = new Agent({
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: Math.min(options.timeoutMs, 10_000),
    keepAliveTimeout: 4_000,
  });
  const base = options.baseUrl.replace(/\/+$/, '');

  async function once(req: ErsRequest, attempt: number): Promise<Exchange> {
    const url = buildUrl(base, req.path, req.query);
    const headers = buildHeaders(req);
    const bodyBytes = encodeBody(req.body);
    await options.pacer?.take();
    const started = Date.now();
    const exchange: Exchange = {
      id: randomUUID(),
      operation: req.operation,
      correlationId: headers['X-Correlation-ID'],
      request: {
        method: req.method,
        url,
        headers,
        ...(bodyBytes ? { body: recordBody(bodyBytes, headers['Content-Type'], false, options.maxBodyBytes) } : {}),
      },
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
      attempts: attempt,
    };
    try {
      const res = await request(url, {
        method: req.method as 'GET',
        headers,
        body: bodyBytes,
        dispatcher,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const { buffer, truncated, total } = await readLimited(res.body, options.maxBodyBytes);
      const resHeaders = flattenHeaders(res.headers);
      exchange.response = {
        status: res.statusCode,
        headers: resHeaders,
        body: recordBody(buffer, resHeaders['content-type'], truncated, options.maxBodyBytes, total),
      };
    } catch (err) {
      exchange.error = classify(err, options.timeoutMs, url);
    }
    exchange.durationMs = Date.now() - started;
    return exchange;
  }

  return {
    baseUrl: base,
    async send(req) {
      let ex = await once(req, 1);
      const prior: Exchange[] = [];
      let waited = 0;
      const budget = req.retryBudgetMs ?? 0;
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      while (idempotent && budget > 0 && ex.response && (ex.response.status === 429 || ex.response.status === 503)) {
        const delayMs = retryAfterMs(ex.response.headers['retry-after'], ex.attempts);
        if (waited + delayMs > budget) break;
        await new Promise((r) => setTimeout(r, delayMs));
        waited += delayMs;
        prior.push(ex);
        ex = await once(req, ex.attempts + 1);
      }
      if (prior.length) ex.priorAttempts = prior;
      return ex;
    },
    close: () => dispatcher.close(),
  };
}

function buildUrl(base: string, path: string, query: ErsRequest['query']): string {
  // an absolute URL is followed as given (A042's object-store Location)
  const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(base + (path.startsWith('/') ? path : `/${path}`));
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
  }
  return url.toString();
}

function buildHeaders(req: ErsRequest): Record<string, string> {
  const h: Record<string, string> = {};
  if (req.accept !== null) h['Accept'] = req.accept ?? FHIR_JSON;
  if (req.correlationId !== null) h['X-Correlation-ID'] = req.correlationId ?? randomUUID();
  if (req.accessToken) h['Authorization'] = `Bearer ${req.accessToken}`;
  if (req.businessFunction) h['NHSD-eRS-Business-Function'] = req.businessFunction;
  if (req.odsCode) h['NHSD-End-User-Organisation-ODS'] = req.odsCode;
  if (req.onBehalfOf) h['NHSD-eRS-On-Behalf-Of-User-ID'] = req.onBehalfOf;
  if (req.ifMatch) h['If-Match'] = req.ifMatch;
  if (req.body !== undefined && req.contentType !== null) h['Content-Type'] = req.contentType ?? FHIR_JSON;
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    const existing = Object.keys(h).find((name) => name.toLowerCase() === k.toLowerCase());
    if (existing) delete h[existing];
    if (v !== null) h[k] = v;
  }
  return h;
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

async function readLimited(stream: AsyncIterable<Buffer>, limit: number): Promise<{ buffer: Buffer; truncated: boolean; total: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (kept < limit) {
      const take = chunk.subarray(0, limit - kept);
      chunks.push(take);
      kept += take.length;
    }
    // Keep draining so the connection is reusable, but only up to 4x the limit.
    if (total > limit * 4) break;
  }
  return { buffer: Buffer.concat(chunks), truncated: total > limit, total };
}

const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded)|application\/javascript)/i;

export function recordBody(buf: Buffer, contentType: string | undefined, truncated: boolean, limit: number, total = buf.length): RecordedBody {
  const textual = contentType ? TEXTUAL.test(contentType) : looksTextual(buf);
  const body: RecordedBody = { text: '', bytes: total, contentType, truncated, binary: !textual };
  if (!textual) {
    body.raw = buf;
    body.text = `[${total} bytes of ${contentType ?? 'unknown content type'}]`;
    return body;
  }
  body.text = buf.toString('utf8');
  if (buf.length === 0) return body;
  if (truncated) {
    body.jsonError = `body is larger than the recording limit of ${limit} bytes (${total} bytes); not parsed`;
    return body;
  }
  if (!contentType || /json/i.test(contentType)) {
    try {
      body.json = JSON.parse(body.text);
    } catch (e) {
      body.jsonError = `body is not valid JSON: ${(e as Error).message}`;
    }
  }
  return body;
}

function looksTextual(buf: Buffer): boolean {
  const sample = buf.subarray(0, 512);
  return !sample.includes(0);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function retryAfterMs(value: string | undefined, attempt: number): number {
  const seconds = value && /^\d+$/.test(value.trim()) ? Number(value) : value ? (Date.parse(value) - Date.now()) / 1000 : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, MAX_RETRY_AFTER_S) * 1000;
  return Math.min(2 ** (attempt - 1), MAX_RETRY_AFTER_S) * 1000; // no usable Retry-After: back off 1s, 2s, 4s...
}

function classify(err: unknown, timeoutMs: number, url: string): { kind: TransportErrorKind; message: string } {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code;
  const host = new URL(url).host;
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || e.name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', message: `no complete response from ${host} within ${timeoutMs} ms (raise ERS_TIMEOUT_MS if the target is slow)` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'connection-refused', message: `nothing is listening at ${host}: check the base URL and that the target is up` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return { kind: 'connection-reset', message: `${host} closed the connection before answering` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message: `cannot resolve ${host}: check the base URL and your network` };
  if (code && /CERT|TLS|SSL/.test(code)) return { kind: 'tls', message: `TLS failed for ${host}: ${code}` };
  if (e.name === 'AbortError') return { kind: 'aborted', message: 'request aborted' };
  return { kind: 'other', message: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
}
