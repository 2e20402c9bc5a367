// The recording proxy: an HTTP server the supplier's system uses as its e-RS base URL and token URL. Every
// request is forwarded to the upstream e-RS (INT, the sandbox, any e-RS-compatible URL) as it came — method,
// path, query, end-to-end headers, body — and the upstream's answer is streamed back as it came. A copy of
// each exchange (bodies up to a cap) is handed to onExchange; nothing is written here, so what reaches a disk
// or a console passes the one redactor in the caller.
//
// Hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*) belong to one
// connection (RFC 9110 §7.6.1) and Host names the upstream: those are the only headers not passed on.
// An upstream that cannot be reached, or stops answering, is passed through as what it was: the supplier's
// connection is closed without an answer (never a made-up status), and the exchange is recorded with the error.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request as undiciRequest } from 'undici';
import type { TransportErrorKind } from '../http/exchange.ts';

/** The base path a supplier's system is configured with, as on the NHS API platform. */
export const FHIR_BASE_PATH = '/referrals/FHIR';
export const TOKEN_PATH = '/oauth2/token';

export interface ProxyLimits {
  /** bytes of each body kept in the record (the stream itself always passes whole) */
  maxRecordedBodyBytes: number;
  /** requests forwarded at once; one more is answered 503 by the proxy itself (and recorded as such) */
  maxInFlight: number;
  /** how long the upstream has to start answering, and between body chunks */
  upstreamTimeoutMs: number;
  /** how long a supplier's request may take to arrive (headers and body) */
  requestTimeoutMs: number;
  /** connections the proxy accepts at once */
  maxConnections: number;
}

export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  maxRecordedBodyBytes: 2 * 1024 * 1024,
  maxInFlight: 32,
  upstreamTimeoutMs: 60_000,
  requestTimeoutMs: 60_000,
  maxConnections: 256,
};

/** One request and its answer as they passed through, bodies capped at maxRecordedBodyBytes. */
export interface ProxiedExchange {
  /** 1-based order of arrival */
  seq: number;
  method: string;
  /** path and query as the supplier sent them (relative to the proxy's origin) */
  path: string;
  query: string;
  /** where it was forwarded */
  upstreamUrl: string;
  headers: Record<string, string>;
  body: Buffer;
  bodyBytes: number;
  receivedAt: string;
  durationMs: number;
  response?: { status: number; headers: Record<string, string>; body: Buffer; bodyBytes: number; complete: boolean };
  /** the upstream could not be reached or broke off (the supplier saw the same) */
  error?: { kind: TransportErrorKind | 'proxy-busy' | 'client-aborted'; message: string };
}

export interface RecordingProxyOptions {
  /** the upstream e-RS FHIR base URL, e.g. https://int.api.service.nhs.uk/referrals/FHIR */
  upstream: string;
  /** the upstream token URL (default: the upstream's origin + /oauth2/token) */
  upstreamTokenUrl?: string;
  host?: string;
  /** 0: any free port */
  port?: number;
  limits?: Partial<ProxyLimits>;
  /** every exchange, once its answer has passed through (or failed) */
  onExchange(exchange: ProxiedExchange): void;
}

export interface RecordingProxy {
  origin: string;
  /** what the supplier configures as its e-RS FHIR base URL */
  baseUrl: string;
  /** what the supplier configures as its token URL */
  tokenUrl: string;
  upstream: { baseUrl: string; tokenUrl: string };
  /** requests being forwarded now */
  inFlight(): number;
  /** stops accepting, lets the requests in flight finish (up to graceMs), then closes what is left */
  close(graceMs?: number): Promise<void>;
}

export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'expect', 'http2-settings']);

/** Parses and checks the upstream URL: http(s), no query, no credentials; the FHIR base path is kept. */
export function parseUpstream(upstream: string, tokenUrl?: string): { baseUrl: string; tokenUrl: string } {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    throw new ProxyConfigError(`--upstream "${upstream}" is not a URL; give the e-RS FHIR base URL, e.g. https://int.api.service.nhs.uk/referrals/FHIR`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProxyConfigError(`--upstream must be http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new ProxyConfigError('--upstream must not carry a user name or password; the supplier\'s own credentials pass through the proxy');
  if (url.search || url.hash) throw new ProxyConfigError(`--upstream is a base URL without query or fragment, got ${upstream}`);
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  let token = tokenUrl ?? `${url.origin}${TOKEN_PATH}`;
  try {
    token = new URL(token).href;
  } catch {
    throw new ProxyConfigError(`--upstream-token-url "${tokenUrl}" is not a URL`);
  }
  return { baseUrl, tokenUrl: token };
}

/** Where a request to the proxy goes: the FHIR base and the token URL are mapped; anything else keeps its path on the upstream origin. */
export function upstreamUrlFor(pathAndQuery: string, upstream: { baseUrl: string; tokenUrl: string }): string {
  const [path = '/', query] = splitOnce(pathAndQuery, '?');
  const suffix = query !== undefined ? `?${query}` : '';
  if (path === TOKEN_PATH) return `${upstream.tokenUrl}${suffix}`;
  if (path === FHIR_BASE_PATH || path.startsWith(`${FHIR_BASE_PATH}/`)) return `${upstream.baseUrl}${path.slice(FHIR_BASE_PATH.length)}${suffix}`;
  return `${new URL(upstream.baseUrl).origin}${path}${suffix}`;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const limits: ProxyLimits = { ...DEFAULT_PROXY_LIMITS, ...options.limits };
  const upstream = parseUpstream(options.upstream, options.upstreamTokenUrl);
  const agent = new Agent({ connections: limits.maxInFlight, headersTimeout: limits.upstreamTimeoutMs, bodyTimeout: limits.upstreamTimeoutMs, connectTimeout: Math.min(limits.upstreamTimeoutMs, 30_000) });
  let seq = 0;
  let inFlight = 0;
  const sockets = new Set<Socket>();
  const idle = new Set<() => void>();

  const server: Server = createServer({ requestTimeout: limits.requestTimeoutMs, headersTimeout: Math.min(limits.requestTimeoutMs, 60_000) }, (req, res) => {
    const n = ++seq;
    if (inFlight >= limits.maxInFlight) {
      busy(req, res, n, limits, upstream, options.onExchange);
      return;
    }
    inFlight += 1;
    forward(req, res, n, agent, limits, upstream, options.onExchange).finally(() => {
      inFlight -= 1;
      if (inFlight === 0) for (const wake of idle) wake();
    });
  });
  server.maxConnections = limits.maxConnections;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const origin = `http://${host}:${addr.port}`;
  return {
    origin,
    baseUrl: `${origin}${FHIR_BASE_PATH}`,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    upstream,
    inFlight: () => inFlight,
    async close(graceMs = 5000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, graceMs);
          function done(): void {
            clearTimeout(timer);
            idle.delete(done);
            resolve();
          }
          idle.add(done);
        });
      }
      for (const s of sockets) s.destroy();
      await closed;
      await agent.close().catch(() => agent.destroy());
    },
  };
}

/** A copy of what passes, up to max bytes; the stream itself is never held back or changed. */
class Tap extends Transform {
  readonly chunks: Buffer[] = [];
  kept = 0;
  total = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    if (this.kept < this.max) {
      const part = chunk.subarray(0, this.max - this.kept);
      this.chunks.push(part);
      this.kept += part.length;
    }
    done(null, chunk);
  }
  copy(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function flatten(headers: IncomingMessage['headers'] | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/** The end-to-end headers of a message: everything but the hop-by-hop ones and those Connection names. */
function endToEnd(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  const named = new Set(pairs.filter(([k]) => k.toLowerCase() === 'connection').flatMap(([, v]) => v.split(',').map((s) => s.trim().toLowerCase())));
  return pairs.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()) && !named.has(k.toLowerCase()));
}

function errorKind(err: unknown): TransportErrorKind {
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (/TIMEOUT/.test(code) || e.name === 'TimeoutError' || /Timeout/.test(e.name ?? '')) return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection-reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (/CERT|TLS|SSL/.test(code)) return 'tls';
  if (code === 'UND_ERR_ABORTED' || e.name === 'AbortError') return 'aborted';
  return 'other';
}

async function forward(req: IncomingMessage, res: ServerResponse, seq: number, agent: Agent, limits: ProxyLimits, upstream: { baseUrl: string; tokenUrl: string }, onExchange: (e: ProxiedExchange) => void): Promise<void> {
  const started = Date.now();
  const receivedAt = new Date(started).toISOString();
  const target = req.url ?? '/';
  const [path = '/', query = ''] = splitOnce(target, '?');
  const upstreamUrl = upstreamUrlFor(target, upstream);
  const method = req.method ?? 'GET';
  const requestTap = new Tap(limits.maxRecordedBodyBytes);
  const responseTap = new Tap(limits.maxRecordedBodyBytes);
  const record: ProxiedExchange = { seq, method, path, query, upstreamUrl, headers: flatten(req.headers), body: Buffer.alloc(0), bodyBytes: 0, receivedAt, durationMs: 0 };
  const abort = new AbortController();
  // the supplier hanging up mid-request: the upstream request goes too (never left running unowned)
  const onClientGone = (): void => {
    if (!res.writableFinished) abort.abort();
  };
  res.on('close', onClientGone);
  try {
    const hasBody = !['GET', 'HEAD'].includes(method) || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const body = hasBody ? req.pipe(requestTap) : undefined;
    // the supplier hanging up mid-body: the upstream request fails with it (undici sees the body stream end in error)
    requestTap.on('error', () => {});
    req.on('error', (err) => requestTap.destroy(err));
    const answer = await undiciRequest(upstreamUrl, {
      method: method as 'GET',
      headers: endToEnd(req.rawHeaders).flat(),
      ...(body ? { body } : {}),
      dispatcher: agent,
      signal: abort.signal,
      headersTimeout: limits.upstreamTimeoutMs,
      bodyTimeout: limits.upstreamTimeoutMs,
    });
    const raw = answer.headers;
    const responseHeaders: Record<string, string> = {};
    const outgoing: [string, string][] = [];
    for (const [k, v] of Object.entries(raw)) {
      if (v === undefined || HOP_BY_HOP.has(k.toLowerCase())) continue;
      for (const one of Array.isArray(v) ? v : [v]) outgoing.push([k, one]);
      responseHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    res.writeHead(answer.statusCode, outgoing.flat());
    record.response = { status: answer.statusCode, headers: responseHeaders, body: Buffer.alloc(0), bodyBytes: 0, complete: false };
    try {
      await pipeline(answer.body, responseTap, res);
      record.response.complete = true;
    } catch (err) {
      // the upstream broke off mid-answer (or the supplier hung up): the supplier's connection ends the same way
      record.error = abort.signal.aborted ? { kind: 'client-aborted', message: 'the supplier\'s system closed the connection before the answer was complete' } : { kind: errorKind(err), message: `the upstream broke off the answer: ${(err as Error).message}` };
      res.destroy();
    }
  } catch (err) {
    record.error = abort.signal.aborted ? { kind: 'client-aborted', message: 'the supplier\'s system closed the connection before the upstream answered' } : { kind: errorKind(err), message: `the upstream did not answer: ${(err as Error).message}` };
    // passed through as what it was: no answer (a made-up 502 would be the proxy's, not e-RS's)
    res.destroy();
    req.resume();
  } finally {
    res.off('close', onClientGone);
    record.body = requestTap.copy();
    record.bodyBytes = requestTap.total;
    if (record.response) {
      record.response.body = responseTap.copy();
      record.response.bodyBytes = responseTap.total;
    }
    record.durationMs = Date.now() - started;
    try {
      onExchange(record);
    } catch (err) {
      process.emitWarning(`ers-conformance proxy: recording exchange #${seq} failed: ${(err as Error).message}`);
    }
  }
}

/** Over the in-flight bound: the proxy's own answer (503, plain text), recorded as the proxy's, never as e-RS's. */
function busy(req: IncomingMessage, res: ServerResponse, seq: number, limits: ProxyLimits, upstream: { baseUrl: string; tokenUrl: string }, onExchange: (e: ProxiedExchange) => void): void {
  const target = req.url ?? '/';
  const [path = '/', query = ''] = splitOnce(target, '?');
  req.resume();
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1', connection: 'close' });
  res.end(`ers-conformance proxy: ${limits.maxInFlight} requests are already being forwarded; this one was not sent to e-RS\n`);
  onExchange({
    seq, method: req.method ?? 'GET', path, query, upstreamUrl: upstreamUrlFor(target, upstream), headers: flatten(req.headers), body: Buffer.alloc(0), bodyBytes: 0,
    receivedAt: new Date().toISOString(), durationMs: 0,
    error: { kind: 'proxy-busy', message: `not forwarded: ${limits.maxInFlight} requests were in flight (--max-in-flight); the proxy answered 503 itself` },
  });
}
