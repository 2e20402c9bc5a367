// Finding the referral a write or read names, with the checks every referral operation shares.
import { ErsError, unprocessable } from '../errors.ts';
import type { Caller, SimRequest } from '../http-types.ts';
import { assertCurrentVersion, requireIfMatch, withReferralLock } from './concurrency.ts';
import { assertAllowed, type Activity } from './lifecycle.ts';
import type { Store, StoredReferral } from '../store.ts';
import { hasRelationship } from './relationship.ts';

/** 404 unknown UBRN, 422 INVALID_REQUEST_TYPE for an A&G UBRN, PATIENT_ERROR, NO_RELATIONSHIP. */
export function referralFor(store: Store, ubrn: string, caller: Caller, opts: { patientError?: boolean } = {}): StoredReferral {
  const ref = store.referrals.get(ubrn);
  if (!ref) {
    if (store.adviceRequests.has(ubrn)) throw unprocessable('INVALID_REQUEST_TYPE', `ubrn: ${ubrn} is an advice and guidance request, not a referral`);
    throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `ubrn: no referral with UBRN ${ubrn}`);
  }
  if ((opts.patientError ?? true) && store.patients.get(ref.patient)?.sensitive) {
    throw unprocessable('PATIENT_ERROR', `subject: the patient record for referral ${ubrn} cannot be used`);
  }
  if (!hasRelationship(caller, ref, store)) {
    throw unprocessable('NO_RELATIONSHIP', `ubrn: ${caller.onBehalfOf ?? caller.userId} at ${caller.ods} has no legitimate relationship with referral ${ubrn}`);
  }
  return ref;
}

/**
 * The prologue every If-Match write on a referral shares, in the documented order: the referral checks above, If-Match
 * present (412), the lock (423), the version (409), the state allows the activity (422 INVALID_REQUEST_STATE); then the
 * write runs while the lock is held.
 */
export async function writeReferral<T>(
  ctx: { params: Record<string, string>; store: Store; caller: Caller; now: Date; req: SimRequest },
  activity: Activity,
  write: (ref: StoredReferral) => T | Promise<T>,
): Promise<T> {
  const { store, now } = ctx;
  const ref = referralFor(store, ctx.params.ubrn as string, ctx.caller);
  const sent = requireIfMatch(ctx.req, `referral ${ref.ubrn}`);
  return withReferralLock(store, ref.ubrn, () => {
    assertCurrentVersion(sent, ref.version, `referral ${ref.ubrn}`);
    assertAllowed(activity, ref, store, now);
    return write(ref);
  });
}
