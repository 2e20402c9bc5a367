// "Legitimate relationship" rules between a caller and a referral (NO_RELATIONSHIP in A005, A007, A008, ...).
import type { Caller } from '../http-types.ts';
import type { Service } from '../seed/types.ts';
import type { Store, StoredReferral } from '../store.ts';

const REFERRER_FUNCTIONS = new Set(['REFERRING_CLINICIAN', 'REFERRING_CLINICIAN_ADMIN', 'REFERRING_ADMIN', 'REFERRER_AUTHORISED_APPLICATION']);

export function isReferrerSide(caller: Caller): boolean {
  return REFERRER_FUNCTIONS.has(caller.businessFunction);
}

/** The services a provider must own to see the referral: the booked-to or deferred-to service, else the shortlist. */
export function responsibleServices(ref: StoredReferral, store: Store): Service[] {
  const ids = ref.booking ? [ref.booking.service] : ref.deferredTo ? [ref.deferredTo] : ref.shortlist;
  return ids.map((id) => store.services.get(id)).filter((s): s is Service => s !== undefined);
}

/** Provider users must be in the service's workgroup at the logged-in org (an SPCA through the SPC acted for); apps by ODS only. */
export function providerMayAct(caller: Caller, service: Service): boolean {
  if (service.provider !== caller.ods) return false;
  return caller.mode === 'application-restricted' || service.workgroup.includes(caller.effectiveUserId);
}

export function hasRelationship(caller: Caller, ref: StoredReferral, store: Store): boolean {
  if (isReferrerSide(caller)) return ref.referringOds === caller.ods;
  return responsibleServices(ref, store).some((s) => providerMayAct(caller, s));
}
