// What one simulator instance may hold and accept, so no request or run can exhaust it (docs/serve.md "Limits").
import { ErsError } from './errors.ts';

export interface SimulatorLimits {
  /** records created after the seed (referrals, A&G requests, appointments, files) before writes answer 507 */
  maxRecords: number;
  /** bytes of uploaded files held at once before uploads answer 507 */
  maxStoredBytes: number;
  /** live access tokens; beyond it the oldest are forgotten (expired ones go first) */
  maxTokens: number;
  /** rate-limit buckets kept; full (idle) buckets are dropped first */
  maxRateLimitBuckets: number;
  /** nesting of a JSON request body (objects and arrays) */
  maxJsonDepth: number;
  /** values (objects, arrays, members, elements) in a JSON request body */
  maxJsonNodes: number;
  /** request line plus headers, in bytes -> 431 */
  maxHeaderBytes: number;
  /** time allowed to receive the request line and headers -> 408 and the connection is closed */
  headersTimeoutMs: number;
  /** time allowed to receive the whole request, body included -> 408 */
  requestTimeoutMs: number;
  /** open connections at once; more are refused until some close */
  maxConnections: number;
  /** request-body bytes held at once over all requests being received -> 503 with Retry-After */
  maxBufferedBodyBytes: number;
}

export const DEFAULT_LIMITS: SimulatorLimits = {
  maxRecords: 50_000,
  maxStoredBytes: 256 * 1024 * 1024,
  maxTokens: 100_000,
  maxRateLimitBuckets: 10_000,
  maxJsonDepth: 64,
  maxJsonNodes: 200_000,
  maxHeaderBytes: 32 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  maxConnections: 1_000,
  maxBufferedBodyBytes: 256 * 1024 * 1024,
};

/** The defaults with the caller's overrides, each checked to be a positive whole number. */
export function resolveLimits(overrides: Partial<SimulatorLimits> = {}): SimulatorLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS)) throw new Error(`unknown simulator limit ${key}; known: ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new Error(`simulator limit ${key} must be a whole number above 0, got ${String(value)}`);
    (out as Record<string, number>)[key] = value;
  }
  if (out.headersTimeoutMs > out.requestTimeoutMs) {
    throw new Error(`simulator limit headersTimeoutMs (${out.headersTimeoutMs}) must not exceed requestTimeoutMs (${out.requestTimeoutMs}): the headers are part of the request`);
  }
  return out;
}

export class JsonLimitError extends Error {}

/**
 * JSON.parse, after one pass over the text that refuses bodies nesting deeper than maxDepth or holding more
 * than maxNodes values, so nothing too deep to render or too big to keep is ever built.
 */
export function parseBoundedJson(text: string, limits: Pick<SimulatorLimits, 'maxJsonDepth' | 'maxJsonNodes'>): unknown {
  let depth = 0;
  let nodes = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.maxJsonDepth) throw new JsonLimitError(`JSON nests deeper than ${limits.maxJsonDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c || c === 0x3a) {
      // each ',' adds a value and each ':' a member: an upper bound on the values parsed
      if (++nodes > limits.maxJsonNodes) throw new JsonLimitError(`JSON holds more than ${limits.maxJsonNodes} values`);
    }
  }
  return JSON.parse(text);
}

/** The answer when the store is full: names the limit and the two ways out. */
export function storeFull(what: string, limit: string): ErsError {
  return new ErsError(507, 'exception', 'SYSTEM_UNAVAILABLE', `Insufficient Storage: the simulator holds ${what}, its limit of ${limit}; reset it (POST /_simulator/reset or Simulator.reset()) or raise the limit (serve --max-records / --max-stored-bytes, or the limits option)`);
}
