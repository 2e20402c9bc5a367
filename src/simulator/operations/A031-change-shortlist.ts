// A031 Change shortlist: POST /STU3/ReferralRequest/{ubrn}/$ers.changeShortlist (RC, RCA; UR only; If-Match = referral
// version). Replaces the shortlist and its search criteria; the referral is NOT_BOOKED afterwards.
import { assertCurrentVersion, requireIfMatch, withReferralLock } from '../domain/concurrency.ts';
import { assertAllowed, replaceShortlist, type Activity } from '../domain/lifecycle.ts';
import { referralFor } from '../domain/referrals.ts';
import { checkShortlistedServices, readShortlist, type Shortlist } from '../domain/shortlist.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { StoredReferral } from '../store.ts';
import { MAX_REMINDER_DAYS } from './A011-create-referral.ts';
import type { HandlerContext, OperationImpl } from './types.ts';

const SPECS: ParamSpecs = {
  shortlist: { type: 'resource', min: 1 },
  intentionToAddReferralLetter: { type: 'valueCoding', min: 1, system: SYSTEM.letterIntention, codes: ['NEED_TO_ADD_LATER', 'NOT_INTENDING_TO_ADD'] },
  firstReminderLetterFollowUpDays: { type: 'valueUnsignedInt', min: 1 },
};
const DAY_MS = 86_400_000;

export interface ParsedChange {
  params: Map<string, ReadParam>;
  shortlist: Shortlist;
  shortlistPath: string;
  intention: StoredReferral['letterIntention'];
  reminderDays: number;
}

/**
 * The shared A031/A032 write: referral checks, If-Match, lock, version, state guard, body and shortlist rules;
 * `apply` makes the change once everything holds.
 */
export async function changeShortlistWrite(
  { params, body, store, caller, now, req }: HandlerContext,
  activity: Activity,
  apply: (ref: StoredReferral, change: ParsedChange) => void | Promise<void>,
  extraRules?: (change: ParsedChange, ref: StoredReferral) => void,
): Promise<StoredReferral> {
  const ref = referralFor(store, params.ubrn as string, caller);
  const sent = requireIfMatch(req, `referral ${ref.ubrn}`);
  return withReferralLock(store, ref.ubrn, async () => {
    assertCurrentVersion(sent, ref.version, `referral ${ref.ubrn}`);
    assertAllowed(activity, ref, store, now);
    const parsed = readParameters(body, SPECS);
    const shortlistParam = parsed.get('shortlist') as ReadParam;
    const shortlistPath = `${shortlistParam.path}.resource.`;
    const change: ParsedChange = {
      params: parsed,
      shortlistPath,
      shortlist: readShortlist(shortlistParam.value, shortlistPath, store, now),
      intention: codeOf(parsed.get('intentionToAddReferralLetter')) as StoredReferral['letterIntention'],
      reminderDays: (parsed.get('firstReminderLetterFollowUpDays') as ReadParam).value as number,
    };
    if (change.reminderDays > MAX_REMINDER_DAYS) {
      throw unprocessable('INVALID_VALUE', `${(parsed.get('firstReminderLetterFollowUpDays') as ReadParam).path}.valueUnsignedInt: ${change.reminderDays} days is more than the ${MAX_REMINDER_DAYS} allowed`);
    }
    extraRules?.(change, ref);
    checkShortlistedServices(change.shortlist, change.intention, store.patients.get(ref.patient)!, store);
    await apply(ref, change);
    return ref;
  });
}

/** The new shortlist fields of the referral from a parsed change. */
export function shortlistFields(change: ParsedChange, now: Date, store: HandlerContext['store']): Parameters<typeof replaceShortlist>[1] {
  const { shortlist, intention } = change;
  return {
    shortlist: shortlist.services.map((s) => s.id),
    criteria: shortlist.criteriaParameters,
    letterIntention: intention,
    priority: shortlist.criteria.priority,
    ...(shortlist.criteria.specialty ?? store.services.get(shortlist.services[0]?.id ?? '')?.specialty ? { specialty: shortlist.criteria.specialty ?? store.services.get(shortlist.services[0]?.id ?? '')?.specialty } : {}),
    ...(shortlist.criteria.clinicType ? { clinicType: shortlist.criteria.clinicType } : {}),
    ...(intention === 'NEED_TO_ADD_LATER' ? { letterDue: new Date(now.getTime() + change.reminderDays * DAY_MS).toISOString().slice(0, 10) } : {}),
  };
}

export const changeShortlist: OperationImpl = {
  ids: ['A031'],
  requestResourceType: 'Parameters',
  async handle(ctx) {
    const ref = await changeShortlistWrite(ctx, 'CHANGE_SHORTLIST', (r, change) => replaceShortlist(r, shortlistFields(change, ctx.now, ctx.store), ctx.now));
    return fhirJson(200, referralRequest(ref, ctx.store, ctx.baseUrl), { ETag: `W/"${ref.version}"` });
  },
};
