// Versioning and concurrency (catalogue 7): If-Match / in-body _history versions, 409 stale, 412 missing, 423 locked.
import { ErsError } from '../errors.ts';
import { header, type SimRequest } from '../http-types.ts';
import type { Store } from '../store.ts';

const WEAK_ETAG = /^W\/"(\d+)"$/;

/** The version in If-Match: 412 when the header is missing, 400 when it is not W/"n". */
export function requireIfMatch(req: SimRequest, what: string): number {
  const raw = header(req, 'if-match')?.trim();
  if (!raw) {
    throw new ErsError(412, 'required', 'MISSING_HEADER', `Precondition Failed: If-Match is required and must carry the current version of the ${what} as W/"n"`);
  }
  const m = WEAK_ETAG.exec(raw);
  if (!m) throw new ErsError(400, 'value', 'INVALID_VALUE', `If-Match: '${raw}' is not a weak ETag of the form W/"n"`);
  return Number(m[1]);
}

/** 409 when the version the caller last read is not the current one. */
export function assertCurrentVersion(sent: number, current: number, what: string): void {
  if (sent !== current) {
    throw new ErsError(409, 'conflict', 'VERSION_CONFLICT', `Version conflict: ${what} is at version ${current}, the request was made against version ${sent}; read it again and retry`);
  }
}

/**
 * Runs a write while holding the referral's lock: a second write arriving while one is in flight gets 423.
 * The lock is taken synchronously, so of two writes racing on the same version exactly one proceeds.
 */
export async function withReferralLock<T>(store: Store, ubrn: string, write: () => T | Promise<T>): Promise<T> {
  if (store.locks.has(ubrn)) {
    throw new ErsError(423, 'lock-error', 'REFERRAL_LOCKED', `Referral ${ubrn} is locked by another update in progress; read it again and retry later`);
  }
  store.locks.add(ubrn);
  try {
    return await write();
  } finally {
    store.locks.delete(ubrn);
  }
}

/** Parses "ReferralRequest/{ubrn}/_history/{n}" (A016 incomingReferral, A029 focus). */
export function parseVersionedReference(value: string, type: string): { id: string; version?: number } | undefined {
  const m = new RegExp(`^${type}/([^/]+)(?:/_history/(\\d+))?$`).exec(value.trim());
  if (!m) return undefined;
  return m[2] === undefined ? { id: m[1] as string } : { id: m[1] as string, version: Number(m[2]) };
}
