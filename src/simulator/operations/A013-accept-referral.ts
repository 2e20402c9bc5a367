// A013 Accept referral: POST /STU3/ReferralRequest/{ubrn}/$ers.acceptReferral (SPC, SPCA; provider apps; If-Match =
// referral version; no body). A referral booked into a bookable service and pending review is accepted: it stays
// BOOKED, its review is complete and it leaves the provider's REFERRALS_FOR_REVIEW worklist.
import { writeReferral } from '../domain/referrals.ts';
import { acceptReferral } from '../domain/review.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const acceptReferralOperation: OperationImpl = {
  ids: ['A013'],
  handle({ params, store, caller, now, baseUrl, req }) {
    return writeReferral({ params, store, caller, now, req }, 'REVIEW_BOOKED_REFERRAL', (ref) => {
      acceptReferral(ref, caller, now);
      return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
    });
  },
};
