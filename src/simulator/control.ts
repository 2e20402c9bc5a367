// Simulator-only control endpoints (no auth): tokens, faults, rate limit, reset, and the proxy's _ping.
import type { FaultBook, FaultRule } from './faults.ts';
import type { RateLimitConfig, RateLimiter } from './rate-limit.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import type { Principal } from './principal.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, type TokenStore } from './tokens.ts';

export interface ControlDeps {
  tokens: TokenStore;
  faults: FaultBook;
  rateLimiter: RateLimiter;
  reset(): void;
  now(): Date;
}

const json = (status: number, body: unknown): SimResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** The control response, or undefined when the request is not for a control route. */
export function handleControl(req: SimRequest, deps: ControlDeps): SimResponse | undefined {
  const key = `${req.method} ${req.path}`;
  if (key === 'GET /referrals/_ping' || key === 'HEAD /referrals/_ping') {
    return json(200, { status: 'pass', service: 'e-RS simulator', checkedAt: deps.now().toISOString() });
  }
  if (!req.path.startsWith('/_simulator/')) return undefined;
  try {
    switch (key) {
      case 'POST /_simulator/tokens': {
        const { principal, ttlSeconds } = parse(req) as { principal: Principal; ttlSeconds?: number };
        const ttl = ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
        return json(200, { access_token: deps.tokens.issue(principal, ttl), expires_in: ttl, token_type: 'Bearer' });
      }
      case 'POST /_simulator/faults':
        deps.faults.add(parse(req) as FaultRule);
        return { status: 204, headers: {} };
      case 'GET /_simulator/faults':
        return json(200, { faults: deps.faults.list() });
      case 'DELETE /_simulator/faults':
        deps.faults.clear();
        return { status: 204, headers: {} };
      case 'GET /_simulator/rate-limit':
        return json(200, { rateLimit: deps.rateLimiter.config ?? null });
      case 'PUT /_simulator/rate-limit':
        deps.rateLimiter.set(parse(req) as RateLimitConfig);
        return json(200, { rateLimit: deps.rateLimiter.config ?? null });
      case 'DELETE /_simulator/rate-limit':
        deps.rateLimiter.set(undefined);
        return { status: 204, headers: {} };
      case 'POST /_simulator/reset':
        deps.reset();
        return { status: 204, headers: {} };
      default:
        return json(404, { error: `no simulator control route ${key}; try POST /_simulator/tokens | /_simulator/faults | /_simulator/reset, GET|DELETE /_simulator/faults, GET|PUT|DELETE /_simulator/rate-limit` });
    }
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
}

function parse(req: SimRequest): unknown {
  if (req.bodyTooLarge) throw new Error('control request body too large');
  try {
    return JSON.parse(req.body.toString('utf8') || 'null');
  } catch {
    throw new Error('control request body must be JSON');
  }
}
