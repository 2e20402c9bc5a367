// A013 Accept referral: POST /STU3/ReferralRequest/{ubrn}/$ers.acceptReferral (SPC, SPCA; provider apps; If-Match =
// referral version; no body). A referral booked into a bookable service and pending review is accepted: it stays
// BOOKED, its review is complete and it leaves the provider's REFERRALS_FOR_REVIEW worklist.
import { assertCurrentVersion, requireIfMatch, withReferralLock } from '../domain/concurrency.ts';
import { assertAllowed } from '../domain/lifecycle.ts';
import { referralFor } from '../domain/referrals.ts';
import { acceptReferral } from '../domain/review.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const acceptReferralOperation: OperationImpl = {
  ids: ['A013'],
  handle({ params, store, caller, now, baseUrl, req }) {
    const ref = referralFor(store, params.ubrn as string, caller);
    const sent = requireIfMatch(req, `referral ${ref.ubrn}`);
    return withReferralLock(store, ref.ubrn, () => {
      assertCurrentVersion(sent, ref.version, `referral ${ref.ubrn}`);
      assertAllowed('REVIEW_BOOKED_REFERRAL', ref, store, now);
      acceptReferral(ref, caller, now);
      return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
    });
  },
};
