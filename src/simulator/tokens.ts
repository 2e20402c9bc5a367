// Opaque bearer tokens issued by one simulator instance; never logged, never shared between instances.
import { randomBytes } from 'node:crypto';
import type { Principal } from './principal.ts';

export interface TokenStore {
  issue(principal: Principal, ttlSeconds?: number): string;
  /** live tokens held (expired ones may still count until they are swept) */
  readonly size: number;
  /** the principal for an "Authorization: Bearer ..." value, or undefined when missing/unknown/expired */
  resolve(authorization: string | undefined): Principal | undefined;
  clear(): void;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 600;
/** a day: longer-lived tokens are not something e-RS issues, and every token must expire */
export const MAX_TOKEN_TTL_SECONDS = 86_400;

/** Tokens live until they expire; beyond maxTokens live ones the expired go first, then the oldest. */
export function createTokenStore(now: () => number = Date.now, maxTokens = 100_000): TokenStore {
  // insertion order is issue order, which makes "the oldest" the first key
  const tokens = new Map<string, { principal: Principal; expiresAt: number }>();
  const makeRoom = (): void => {
    if (tokens.size < maxTokens) return;
    const t = now();
    for (const [token, entry] of tokens) if (entry.expiresAt <= t) tokens.delete(token);
    // still full of live tokens: forget the oldest hundredth at once, so a full store is not rescanned per issue
    const keep = Math.floor(maxTokens * 0.99);
    for (const token of tokens.keys()) {
      if (tokens.size <= keep) break;
      tokens.delete(token);
    }
  };
  return {
    issue(principal, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS) {
      validatePrincipal(principal);
      // 0 or less issues a token that is already expired (expired-token tests); nothing lives longer than a day
      if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < -MAX_TOKEN_TTL_SECONDS || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        throw new Error(`ttlSeconds must be a whole number of seconds up to ${MAX_TOKEN_TTL_SECONDS} (0 or less: already expired), got ${JSON.stringify(ttlSeconds) ?? String(ttlSeconds)}`);
      }
      makeRoom();
      const token = randomBytes(32).toString('base64url');
      tokens.set(token, { principal: { ...principal }, expiresAt: now() + ttlSeconds * 1000 });
      return token;
    },
    resolve(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      const entry = match ? tokens.get(match[1] as string) : undefined;
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        tokens.delete(match?.[1] as string);
        return undefined;
      }
      return entry.principal;
    },
    clear() {
      tokens.clear();
    },
    get size() {
      return tokens.size;
    },
  };
}

function validatePrincipal(p: Principal): void {
  if (p === null || typeof p !== 'object') throw new Error('issueToken needs a principal object {mode, userId, ...}');
  if (p.mode !== 'user-restricted' && p.mode !== 'application-restricted') {
    throw new Error(`principal.mode must be 'user-restricted' or 'application-restricted', got '${String(p.mode)}'`);
  }
  if (typeof p.userId !== 'string' || p.userId === '') throw new Error('principal.userId must be a non-empty SDS user id');
  if (p.mode === 'application-restricted' && (!p.ods || !p.businessFunction)) {
    throw new Error('an application-restricted principal needs ods and businessFunction (the Apigee app attributes)');
  }
}
