// Opaque bearer tokens issued by one simulator instance; never logged, never shared between instances.
import { randomBytes } from 'node:crypto';
import type { Principal } from './principal.ts';

export interface TokenStore {
  issue(principal: Principal, ttlSeconds?: number): string;
  /** the principal for an "Authorization: Bearer ..." value, or undefined when missing/unknown/expired */
  resolve(authorization: string | undefined): Principal | undefined;
  clear(): void;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 600;

export function createTokenStore(now: () => number = Date.now): TokenStore {
  const tokens = new Map<string, { principal: Principal; expiresAt: number }>();
  return {
    issue(principal, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS) {
      validatePrincipal(principal);
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
