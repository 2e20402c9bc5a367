// Simulator-only control endpoints: tokens, faults, rate limit, reset, the clock (and the proxy's _ping, which stays open).
// Anything under /_simulator/ can mint tokens or change what the simulator does, so a request there must carry the
// run's control secret in X-Simulator-Secret (a custom header no cross-site "simple" request can send), come from
// no foreign Origin, name the simulator itself as Host when it listens on loopback, and send JSON.
import { timingSafeEqual } from 'node:crypto';
import type { FaultBook, FaultRule } from './faults.ts';
import type { RateLimitConfig, RateLimiter } from './rate-limit.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import { parseBoundedJson, type SimulatorLimits } from './limits.ts';
import type { Principal } from './principal.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, type TokenStore } from './tokens.ts';

export const CONTROL_PREFIX = '/_simulator/';
export const CONTROL_SECRET_HEADER = 'X-Simulator-Secret';

export interface ControlDeps {
  tokens: TokenStore;
  faults: FaultBook;
  rateLimiter: RateLimiter;
  reset(): void;
  now(): Date;
  /** the run's control secret (X-Simulator-Secret) */
  secret: string;
  /** the host the server listens on, to judge the Host header */
  listenHost: string;
  limits: Pick<SimulatorLimits, 'maxJsonDepth' | 'maxJsonNodes'>;
  /** moves the simulator's clock forward by whole seconds; returns the new time */
  advanceClock(seconds: number): Date;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export const isControlPath = (path: string): boolean => path === '/_simulator' || path.startsWith(CONTROL_PREFIX);

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const isLoopback = (host: string): boolean => LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');

/** A refusal when the request may not use the control routes, else undefined. */
export function checkControlAccess(req: SimRequest, deps: ControlDeps): SimResponse | undefined {
  const one = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const hostHeader = one('host') ?? '';
  const hostName = hostHeader.replace(/:\d+$/, '').toLowerCase();
  // A page on another site that rebinds its name to 127.0.0.1 still sends its own name as Host.
  if (isLoopback(deps.listenHost) && !isLoopback(hostName)) {
    return json(403, { error: `control routes answer only requests addressed to this machine (Host localhost or 127.0.0.1), not Host '${hostHeader}'` });
  }
  const origin = one('origin');
  if (origin !== undefined && !sameOrigin(origin, hostHeader)) {
    return json(403, { error: `control routes refuse cross-origin requests (Origin '${origin}'); call them from a test tool, not a web page` });
  }
  const given = Buffer.from(one(CONTROL_SECRET_HEADER.toLowerCase()) ?? '', 'utf8');
  const wanted = Buffer.from(deps.secret, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return json(401, {
      error: `control routes need the run's control secret in the ${CONTROL_SECRET_HEADER} header: serve prints it at start (set it with ERS_SIMULATOR_SECRET); in process it is Simulator.controlSecret`,
    });
  }
  if (req.body.length > 0 || req.bodyTooLarge) {
    const type = (one('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(type)) {
      return json(415, { error: `control request bodies must be sent as Content-Type application/json, got '${type || '(none)'}'` });
    }
  }
  return undefined;
}

function sameOrigin(origin: string, hostHeader: string): boolean {
  try {
    const o = new URL(origin);
    return o.protocol === 'http:' && o.host === hostHeader.toLowerCase();
  } catch {
    return false; // 'null' (sandboxed frames, file: pages) and anything unparsable
  }
}

/** The control response, or undefined when the request is not for a control route. */
export function handleControl(req: SimRequest, deps: ControlDeps): SimResponse | undefined {
  const key = `${req.method} ${req.path}`;
  if (key === 'GET /referrals/_ping' || key === 'HEAD /referrals/_ping') {
    return json(200, { status: 'pass', service: 'e-RS simulator', checkedAt: deps.now().toISOString() });
  }
  if (!isControlPath(req.path)) return undefined;
  const refused = checkControlAccess(req, deps);
  if (refused) return refused;
  try {
    switch (key) {
      case 'POST /_simulator/tokens': {
        const body = parse(req, deps) as { principal: Principal; ttlSeconds?: number } | null;
        if (body === null || typeof body !== 'object') throw new Error('body must be JSON {"principal": {"mode": ..., "userId": ...}, "ttlSeconds"?: 600}');
        const ttl = body.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
        return json(200, { access_token: deps.tokens.issue(body.principal, ttl), expires_in: ttl, token_type: 'Bearer' });
      }
      case 'POST /_simulator/faults':
        deps.faults.add(parse(req, deps) as FaultRule);
        return { status: 204, headers: {} };
      case 'GET /_simulator/faults':
        return json(200, { faults: deps.faults.list() });
      case 'DELETE /_simulator/faults':
        deps.faults.clear();
        return { status: 204, headers: {} };
      case 'GET /_simulator/rate-limit':
        return json(200, { rateLimit: deps.rateLimiter.config ?? null });
      case 'PUT /_simulator/rate-limit':
        deps.rateLimiter.set(parse(req, deps) as RateLimitConfig);
        return json(200, { rateLimit: deps.rateLimiter.config ?? null });
      case 'DELETE /_simulator/rate-limit':
        deps.rateLimiter.set(undefined);
        return { status: 204, headers: {} };
      case 'GET /_simulator/clock':
        return json(200, { now: deps.now().toISOString() });
      case 'POST /_simulator/clock': {
        const { advanceSeconds } = (parse(req, deps) ?? {}) as { advanceSeconds?: unknown };
        if (typeof advanceSeconds !== 'number') throw new Error('POST /_simulator/clock needs {"advanceSeconds": n}');
        return json(200, { now: deps.advanceClock(advanceSeconds).toISOString() });
      }
      case 'POST /_simulator/reset':
        deps.reset();
        return { status: 204, headers: {} };
      default:
        return json(404, { error: `no simulator control route ${key}; try POST /_simulator/tokens | /_simulator/faults | /_simulator/reset | /_simulator/clock | /_simulator/cis2/id_token, GET|DELETE /_simulator/faults, GET|PUT|DELETE /_simulator/rate-limit` });
    }
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
}

function parse(req: SimRequest, deps: ControlDeps): unknown {
  if (req.bodyTooLarge) throw new Error('control request body too large');
  try {
    return parseBoundedJson(req.body.toString('utf8') || 'null', deps.limits);
  } catch (err) {
    throw new Error(`control request body must be JSON: ${(err as Error).message}`);
  }
}
