// node:http plumbing: reads the request (bounded in size and time), runs control routes or the pipeline, writes the
// answer. Nothing a client sends — a malformed request line, huge headers, a request that never finishes — may
// crash it: every request gets an HTTP answer (or its connection is closed when it cannot be answered).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkControlAccess, handleControl, isControlPath, type ControlDeps } from './control.ts';
import { ErsError } from './errors.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import type { SimulatorLimits } from './limits.ts';
import { runPipeline, type PipelineDeps } from './pipeline.ts';
import { renderError } from './render.ts';

export interface ServerDeps {
  pipeline: PipelineDeps;
  control: ControlDeps;
  /** the identity service: /oauth2/token and the stand-in CIS2 (undefined for other paths) */
  oauth?: { handle(req: SimRequest): Promise<SimResponse | undefined> };
  /** the object store A042 redirects to (undefined for other paths) */
  objectStore?: (req: SimRequest) => SimResponse | undefined;
  /** sees every request and its answer (supplier mode records what the system under test sent) */
  observe?: (record: ObservedExchange) => void;
}

/** One request as the simulator received it and what it answered (reset: the socket was destroyed). */
export interface ObservedExchange {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Buffer;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  operationId: string | undefined;
  receivedAt: string;
  durationMs: number;
  reset: boolean;
}

type ServerLimits = Pick<SimulatorLimits, 'maxHeaderBytes' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections' | 'maxBufferedBodyBytes'>;

/** Request-body bytes held over all requests being received: many large bodies at once must not add up unbounded. */
interface BodyBudget {
  held: number;
  readonly max: number;
}

export async function listen(deps: () => ServerDeps, host: string, port: number, limits: ServerLimits): Promise<{ server: Server; origin: string }> {
  const budget: BodyBudget = { held: 0, max: limits.maxBufferedBodyBytes };
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // how often node checks the two timeouts above (its default of 30 s would let a slow client hold on longer)
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
    },
    (req, res) => {
      void serve(req, res, deps(), budget);
    },
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, limits, (line) => deps()?.pipeline.log(line)));
  // node hands CONNECT to 'connect' listeners and, with none, closes the socket without a word: answer it
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    const body = 'Method Not Allowed: the simulator is not a proxy; CONNECT is not served\n';
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, PUT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { server, origin: `http://${hostPart}:${actual}` };
}

/** Requests node's parser refuses before they reach us: answer with a status and a line saying why, then close. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, limits: ServerLimits, log: (line: string) => void): void {
  const code = err.code ?? 'ERR';
  if (code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, why] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', `the request line and headers are limited to ${limits.maxHeaderBytes} bytes`]
      : code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADER_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT'
        ? [408, 'Request Timeout', `the request was not received in time (headers within ${limits.headersTimeoutMs} ms, the whole request within ${limits.requestTimeoutMs} ms)`]
        : [400, 'Bad Request', `the request is not valid HTTP/1.1 (${code}${err.message ? `: ${err.message}` : ''})`];
  const body = `${reason}: ${why}\n`;
  log(`rejected a malformed request: ${status} ${code}`);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: ServerDeps, budget: BodyBudget): Promise<void> {
  const started = process.hrtime.bigint();
  const receivedAt = new Date().toISOString();
  const { log, maxBodyBytes } = deps.pipeline;
  let simReq: SimRequest | undefined;
  const held = { bytes: 0 };
  try {
    simReq = await readRequest(req, maxBodyBytes, budget, held);
  } catch (err) {
    budget.held -= held.bytes;
    // the client went away (or was timed out) before its body arrived: nobody is left to answer
    log(`${req.method ?? '?'} request abandoned by the client: ${(err as Error).message}`);
    req.socket.destroy();
    return;
  }
  try {
    const answer: SimResponse & { operationId?: string } = simReq.badTarget
      ? badTarget(simReq, deps)
      : simReq.busy
        ? busy(deps, budget)
        : ((isControlPath(simReq.path) ? checkControlAccess(simReq, deps.control) : undefined) ??
        (await deps.oauth?.handle(simReq)) ??
        deps.objectStore?.(simReq) ??
        handleControl(simReq, deps.control) ??
        (await runPipeline(simReq, deps.pipeline)));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (answer.destroySocket) {
      log(`${simReq.method} ${simReq.path} reset ${ms.toFixed(1)}ms${answer.operationId ? ` ${answer.operationId}` : ''}`);
      deps.observe?.(observed(simReq, answer, {}, '', receivedAt, ms, true));
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...answer.headers, 'X-Request-ID': randomUUID() };
    const correlationId = req.headers['x-correlation-id'];
    if (typeof correlationId === 'string') headers['X-Correlation-ID'] = correlationId;
    const body = answer.body ?? '';
    headers['Content-Length'] = String(Buffer.byteLength(body));
    deps.observe?.(observed(simReq, answer, headers, typeof body === 'string' ? body : `(${body.length} bytes of ${answer.headers['Content-Type'] ?? 'binary'})`, receivedAt, ms, false));
    res.writeHead(answer.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    log(`${simReq.method} ${simReq.path} ${answer.status} ${ms.toFixed(1)}ms${answer.operationId ? ` ${answer.operationId}` : ''}`);
  } catch (err) {
    log(`simulator transport error: ${(err as Error).message}`);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal simulator error');
    } else res.destroy();
  } finally {
    budget.held -= held.bytes;
    held.bytes = 0;
  }
}

function busy(deps: ServerDeps, budget: BodyBudget): SimResponse {
  const err = new ErsError(503, 'transient', 'SYSTEM_UNAVAILABLE', `Service Unavailable: the simulator is already receiving ${budget.max} bytes of request bodies at once (limit maxBufferedBodyBytes); retry shortly`, { headers: { 'Retry-After': '1' } });
  return renderError(err, 'STU3', deps.pipeline.now());
}

function badTarget(req: SimRequest, deps: ServerDeps): SimResponse {
  const err = new ErsError(400, 'invalid', 'INVALID_VALUE', `Bad Request: ${req.badTarget}`);
  return renderError(err, 'STU3', deps.pipeline.now());
}

/**
 * The path and query of a request target, or why it cannot be served. Only origin-form targets ("/path?query") are
 * served; "//x" (which URL parsing reads as a host), absolute URLs and dot segments ("/a/../_simulator", also
 * percent-encoded) are refused, so no spelling of a path reaches a route other than the one it names.
 */
export function parseTarget(target: string): { path: string; query: URLSearchParams } | { error: string } {
  const shown = target.length > 200 ? `${target.slice(0, 200)}…` : target;
  const why = (reason: string) => ({ error: `the request target '${shown}' ${reason}` });
  if (!target.startsWith('/')) return why("must be a path starting with '/' (origin-form)");
  if (target.startsWith('//')) return why("must not start with '//'");
  const rawPath = target.split(/[?#]/, 1)[0] as string;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return why('has a malformed percent-encoding');
  }
  if (decoded.split(/[/\\]/).some((s) => s === '.' || s === '..')) return why("must not contain '.' or '..' segments");
  let url: URL;
  try {
    url = new URL(target, 'http://simulator.invalid');
  } catch {
    return why('is not a valid URL path');
  }
  if (url.host !== 'simulator.invalid') return why('must not name a host');
  return { path: url.pathname, query: url.searchParams };
}

function readRequest(req: IncomingMessage, maxBodyBytes: number, budget: BodyBudget, held: { bytes: number }): Promise<SimRequest> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let busy = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // keep draining so the client can read our 413 (or 503), but stop storing
      if (size > maxBodyBytes) {
        if (!tooLarge) {
          budget.held -= held.bytes;
          held.bytes = 0;
          chunks = [];
        }
        tooLarge = true;
      } else if (busy || budget.held + chunk.length > budget.max) {
        busy = true;
        budget.held -= held.bytes;
        held.bytes = 0;
        chunks = [];
      } else {
        chunks.push(chunk);
        budget.held += chunk.length;
        held.bytes += chunk.length;
      }
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('connection closed before the request was complete'));
    });
    req.on('end', () => {
      const target = parseTarget(req.url ?? '/');
      const ok = 'path' in target;
      resolve({
        method: (req.method ?? 'GET').toUpperCase(),
        path: ok ? target.path : (req.url ?? '').slice(0, 200),
        query: ok ? target.query : new URLSearchParams(),
        headers: req.headers,
        body: tooLarge || busy ? Buffer.alloc(0) : Buffer.concat(chunks),
        bodyTooLarge: tooLarge,
        ...(busy && !tooLarge ? { busy: true } : {}),
        ...(ok ? {} : { badTarget: target.error }),
      });
    });
  });
}

function observed(req: SimRequest, answer: SimResponse & { operationId?: string }, headers: Record<string, string>, body: string, receivedAt: string, ms: number, reset: boolean): ObservedExchange {
  const requestHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) requestHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
  const query = req.query.toString();
  return {
    method: req.method,
    path: req.path,
    query,
    headers: requestHeaders,
    body: req.body,
    status: reset ? 0 : answer.status,
    responseHeaders: headers,
    responseBody: body,
    operationId: answer.operationId,
    receivedAt,
    durationMs: Math.round(ms),
    reset,
  };
}
