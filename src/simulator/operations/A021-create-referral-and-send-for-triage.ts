// A021 Create referral and send for triage (deprecated; A011 + A016): the A011 table plus exactly one triage service,
// NEED_TO_ADD_LATER and follow-up days 0. 201: a new referral in AWAITING_TRIAGE with a proposed TRIAGE appointment.
import { proposeAppointment } from '../domain/lifecycle.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { fhirJson } from '../http-types.ts';
import { createReferralRecord } from './A011-create-referral.ts';
import { checkSingleTriageService } from './A032-change-shortlist-and-send-for-triage.ts';
import type { OperationImpl } from './types.ts';

export const createReferralAndSendForTriage: OperationImpl = {
  ids: ['A021'],
  requestResourceType: 'Parameters',
  handle(ctx) {
    const ref = createReferralRecord(ctx, (params, shortlist, listPath) => {
      const intention = params.get('intentionToAddReferralLetter') as ReadParam;
      if (codeOf(intention) !== 'NEED_TO_ADD_LATER') throw unprocessable('INAPPROPRIATE_VALUE', `${intention.path}.valueCoding.code: must be NEED_TO_ADD_LATER when sending for triage`);
      const days = params.get('firstReminderLetterFollowUpDays') as ReadParam;
      if (days.value !== 0) throw unprocessable('INAPPROPRIATE_VALUE', `${days.path}.valueUnsignedInt: must be 0 when sending for triage`);
      checkSingleTriageService(shortlist.services, listPath, ctx.store);
    });
    // created and sent in one call: the referral starts at version 1, already AWAITING_TRIAGE
    proposeAppointment(ctx.store, ref, { service: ref.shortlist[0]!, reason: 'TRIAGE' }, ctx.now, false);
    return fhirJson(201, referralRequest(ref, ctx.store, ctx.baseUrl), { ETag: `W/"${ref.version}"` });
  },
};
