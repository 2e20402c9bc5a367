// Proxy-style rate limiting (catalogue 3 and 10.3): a token bucket per access token, 429 + Retry-After when empty.
import { ErsError } from './errors.ts';

export interface RateLimitConfig {
  /** sustained rate per access token (the live proxy's standard is 10 per app) */
  requestsPerSecond: number;
  /** requests allowed at once before the sustained rate applies (default: requestsPerSecond) */
  burst?: number;
}

export interface RateLimiter {
  /** the current limit, or undefined when requests are not limited */
  readonly config: RateLimitConfig | undefined;
  set(config: RateLimitConfig | undefined): void;
  /** spends one request for this caller key; throws the proxy's 429 when the bucket is empty */
  take(key: string): void;
  /** callers currently tracked */
  readonly buckets: number;
}

export function validateRateLimit(config: RateLimitConfig): void {
  if (!config || typeof config !== 'object') throw new Error('a rate limit needs {requestsPerSecond, burst?}');
  const { requestsPerSecond: rps, burst } = config;
  if (typeof rps !== 'number' || !Number.isFinite(rps) || rps <= 0) throw new Error(`rate limit requestsPerSecond must be a number above 0, got ${String(rps)}`);
  if (burst !== undefined && (!Number.isInteger(burst) || burst < 1)) throw new Error(`rate limit burst must be a whole number of requests, 1 or more, got ${String(burst)}`);
}

/**
 * `now` is injectable so tests can step time instead of sleeping. At most maxBuckets callers are tracked: a bucket
 * that has refilled is the same as none and is dropped first, then the least recently used.
 */
export function createRateLimiter(initial?: RateLimitConfig, now: () => number = () => performance.now(), maxBuckets = 10_000): RateLimiter {
  let config: RateLimitConfig | undefined;
  let buckets = new Map<string, { tokens: number; at: number }>();
  const set = (next: RateLimitConfig | undefined): void => {
    if (next) validateRateLimit(next);
    config = next ? { requestsPerSecond: next.requestsPerSecond, burst: next.burst ?? Math.max(1, Math.ceil(next.requestsPerSecond)) } : undefined;
    buckets = new Map();
  };
  set(initial);
  return {
    get config() {
      return config;
    },
    get buckets() {
      return buckets.size;
    },
    set,
    take(key) {
      if (!config) return;
      const capacity = config.burst as number;
      const rate = config.requestsPerSecond / 1000; // tokens per ms
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at: t };
      bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.at) * rate);
      bucket.at = t;
      buckets.delete(key); // re-inserted last: the map's order is least recently used first
      if (buckets.size >= maxBuckets) evict(buckets, capacity, rate, t, maxBuckets);
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      // Retry-After is whole seconds (as the proxy sends it): long enough for one token to refill.
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
      throw rateLimited(retryAfter, config);
    },
  };
}

function evict(buckets: Map<string, { tokens: number; at: number }>, capacity: number, rate: number, t: number, maxBuckets: number): void {
  for (const [key, b] of buckets) if (b.tokens + (t - b.at) * rate >= capacity) buckets.delete(key);
  for (const key of buckets.keys()) {
    if (buckets.size < maxBuckets) break;
    buckets.delete(key);
  }
}

/** The proxy's answer: STU3 paths lose the payload, R4 gets throttled / TOO_MANY_REQUESTS (catalogue 10.3). */
export function rateLimited(retryAfterSeconds: number, config?: RateLimitConfig): ErsError {
  const detail = config ? ` (limit ${config.requestsPerSecond}/s, burst ${config.burst})` : '';
  return new ErsError(429, 'throttled', 'TOO_MANY_REQUESTS', `Your application has exceeded its rate limit${detail}; retry after ${retryAfterSeconds} s`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    stu3Body: 'empty',
    r4: { system: 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode', code: 'TOO_MANY_REQUESTS' },
  });
}

/** Who a request counts against: its bearer token (one app or one user session), else everyone without one. */
export function rateLimitKey(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? `token:${match[1]}` : 'anonymous';
}
