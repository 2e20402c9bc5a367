// A028 Record triage (review) outcome: POST /STU3/ReferralRequest/{ubrn}/$ers.recordReviewOutcome (SPC, SPCA; provider
// apps; If-Match = referral version). A referral awaiting triage or deferred to the provider is returned to the referrer
// with advice (TRIAGE_RESPONSE) or accepted for the provider to book later (TRIAGED_PROVIDER_TO_ACTION).
import { REVIEW_OUTCOME_SYSTEM } from '../domain/lifecycle.ts';
import { writeReferral } from '../domain/referrals.ts';
import { readProviderAttachments, recordReviewOutcome, takeRepeated } from '../domain/review.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import { PRIORITIES } from './A022-cancel-appointment-action-later.ts';
import type { OperationImpl } from './types.ts';

// eRS-ReviewOutcome-1 lists four codes; the API records only the first two (catalogue A028, 16.20)
const SUPPORTED = ['RETURN_TO_REFERRER_WITH_ADVICE', 'ACCEPT_REFER_BOOK_LATER'] as const;
const ALL_OUTCOMES = [...SUPPORTED, 'CANCEL_APPOINTMENT_ACTION_LATER', 'PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER'];
const SPECS: ParamSpecs = {
  reviewOutcome: { type: 'valueCoding', min: 1, system: REVIEW_OUTCOME_SYSTEM, codes: ALL_OUTCOMES },
  reviewComments: { type: 'valueString', min: 1 },
  reviewPriority: { type: 'valueCoding', min: 0, system: SYSTEM.priority, codes: PRIORITIES },
};

export const recordReviewOutcomeOperation: OperationImpl = {
  ids: ['A028'],
  requestResourceType: 'Parameters',
  handle({ params, body, store, caller, now, baseUrl, req }) {
    return writeReferral({ params, store, caller, now, req }, 'RECORD_REVIEW_OUTCOME', (ref) => {
      const { rest, items } = takeRepeated(body, 'reviewAttachmentFile');
      const parsed = readParameters(rest, SPECS);
      const outcomeParam = parsed.get('reviewOutcome') as ReadParam;
      const outcome = codeOf(outcomeParam) as string;
      if (!(SUPPORTED as readonly string[]).includes(outcome)) {
        throw unprocessable('INVALID_VALUE', `${valuePath(outcomeParam)}: ${outcome} cannot be recorded through the API; use ${SUPPORTED.join(' or ')}`);
      }
      const commentsParam = parsed.get('reviewComments') as ReadParam;
      const comments = commentsParam.value as string;
      if (!comments.trim()) throw unprocessable('VALUE_IS_REQUIRED', `${commentsParam.path}.valueString: review comments are required (to the referrer, or to the provider's admin team)`);
      const priorityParam = parsed.get('reviewPriority');
      const priority = codeOf(priorityParam);
      if (outcome === 'RETURN_TO_REFERRER_WITH_ADVICE' && priority !== undefined && priority !== ref.priority) {
        throw unprocessable('PRIORITY_NOT_CURRENT', `${valuePath(priorityParam!)}: ${priority} is not the referral's current priority ${ref.priority}; the priority cannot change when returning the referral to the referrer`);
      }
      const attachments = readProviderAttachments(items, ref, store, caller, now);
      recordReviewOutcome(store, ref, outcome as (typeof SUPPORTED)[number], { comments, ...(priority ? { priority } : {}), attachments }, caller, now);
      return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
    });
  },
};
