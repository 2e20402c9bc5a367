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
  /** the simulator's clock: e-RS time runs this many ms ahead of the machine's */
  clock: { offsetMs: number };
  /** another user changes the referral (a new version), as if behind the caller's back */
  touchReferral(ubrn: string): number;
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
        return json(200, clockState(deps));
      case 'PUT /_simulator/clock': {
        setClock(deps, parse(req, deps));
        return json(200, clockState(deps));
      }
      case 'DELETE /_simulator/clock':
        deps.clock.offsetMs = 0;
        return json(200, clockState(deps));
      case 'POST /_simulator/clock': {
        const { advanceSeconds } = (parse(req, deps) ?? {}) as { advanceSeconds?: unknown };
        if (typeof advanceSeconds !== 'number') throw new Error('POST /_simulator/clock needs {"advanceSeconds": n}');
        deps.advanceClock(advanceSeconds);
        return json(200, clockState(deps));
      }
      case 'POST /_simulator/reset':
        deps.reset();
        return { status: 204, headers: {} };
      default: {
        const touch = /^POST \/_simulator\/referrals\/([^/]+)\/touch$/.exec(key);
        if (touch) return json(200, { ubrn: touch[1], version: deps.touchReferral(decodeURIComponent(touch[1] as string)) });
        return json(404, { error: `no simulator control route ${key}; try POST /_simulator/tokens | /_simulator/faults | /_simulator/reset | /_simulator/cis2/id_token | /_simulator/referrals/{ubrn}/touch, GET|DELETE /_simulator/faults, GET|PUT|DELETE /_simulator/rate-limit, GET|PUT|DELETE /_simulator/clock` });
      }
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

function clockState(deps: ControlDeps): { now: string; offsetMs: number } {
  return { now: deps.now().toISOString(), offsetMs: deps.clock.offsetMs };
}

/** PUT /_simulator/clock: {"advanceBy": ms} moves e-RS time forward; {"at": ISO date-time} sets it. */
export function setClock(deps: Pick<ControlDeps, 'clock'>, body: unknown): void {
  const b = (body ?? {}) as { advanceBy?: unknown; at?: unknown };
  const keys = Object.keys(b);
  if (keys.length !== 1 || !['advanceBy', 'at'].includes(keys[0] as string)) throw new Error('clock body must be {"advanceBy": milliseconds} or {"at": "ISO date-time"}');
  if (b.advanceBy !== undefined) {
    if (!Number.isInteger(b.advanceBy) || (b.advanceBy as number) < 0 || (b.advanceBy as number) > 366 * 86_400_000) throw new Error('advanceBy must be a whole number of milliseconds from 0 to one year (the clock never runs backwards)');
    deps.clock.offsetMs += b.advanceBy as number;
    return;
  }
  const at = typeof b.at === 'string' ? Date.parse(b.at) : NaN;
  if (Number.isNaN(at)) throw new Error('at must be an ISO 8601 date-time, e.g. 2026-01-01T09:00:00Z');
  deps.clock.offsetMs = at - Date.now();
}
