// A032 Change shortlist and send for triage (deprecated; A031 + A016): one triage service, follow-up days 0;
// the referral goes to AWAITING_TRIAGE with a proposed TRIAGE appointment. 200 Parameters, no ETag (none declared).
import { proposeAppointment, replaceShortlist, touch } from '../domain/lifecycle.ts';
import { unprocessable } from '../errors.ts';
import { appointmentResource } from '../fhir/appointment.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { fhirJson } from '../http-types.ts';
import type { StoredAppointment } from '../store.ts';
import { changeShortlistWrite, shortlistFields, type ParsedChange } from './A031-change-shortlist.ts';
import type { OperationImpl } from './types.ts';

const RESPONSE_PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ChangeShortlistAndSendForTriage-Response-Parameters-1';

/** Exactly one service, supporting the triage request flow (A021/A032). */
export function checkSingleTriageService(services: { id: string; path: string }[], listPath: string, store: { services: Map<string, { flows: string[] }> }): string {
  if (services.length > 1) throw unprocessable('TOO_MANY_ITEMS', `${listPath}entry: ${services.length} services; sending for triage takes exactly one triage service`);
  const only = services[0]!;
  if (!store.services.get(only.id)?.flows.includes('TRIAGE_REQUEST')) throw unprocessable('INAPPROPRIATE_VALUE', `${only.path}: service ${only.id} does not support the triage request flow`);
  return only.id;
}

export const changeShortlistAndSendForTriage: OperationImpl = {
  ids: ['A032'],
  requestResourceType: 'Parameters',
  async handle(ctx) {
    let created: StoredAppointment | undefined;
    const rules = (change: ParsedChange) => {
      const days = change.params.get('firstReminderLetterFollowUpDays')!;
      if (change.reminderDays !== 0) throw unprocessable('INAPPROPRIATE_VALUE', `${days.path}.valueUnsignedInt: must be 0 when sending for triage`);
      checkSingleTriageService(change.shortlist.services, change.shortlistPath, ctx.store);
    };
    const ref = await changeShortlistWrite(ctx, 'CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE', (r, change) => {
      replaceShortlist(r, shortlistFields(change, ctx.now, ctx.store), ctx.now, false);
      created = proposeAppointment(ctx.store, r, { service: r.shortlist[0]!, reason: 'TRIAGE' }, ctx.now, false);
      touch(r, ctx.now);
    }, rules);
    return fhirJson(200, {
      resourceType: 'Parameters',
      meta: { profile: [RESPONSE_PROFILE] },
      parameter: [
        { name: 'updatedReferralRequest', resource: referralRequest(ref, ctx.store, ctx.baseUrl) },
        { name: 'createdAppointment', resource: appointmentResource(created!, ctx.store, ctx.baseUrl) },
      ],
    });
  },
};
