// A011 Create referral: POST /STU3/ReferralRequest/$ers.createReferral (RC, RCA; UR only) -> 201 NOT_BOOKED referral.
import { checkPatient, checkReferringClinician } from '../domain/criteria.ts';
import { checkShortlistedServices, readShortlist } from '../domain/shortlist.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { ID, SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import { randomUUID } from 'node:crypto';
import type { StoredReferral } from '../store.ts';
import type { HandlerContext, OperationImpl } from './types.ts';

const SPECS: ParamSpecs = {
  patient: { type: 'valueIdentifier', min: 1, identifierSystem: ID.nhsNumber },
  referringClinician: { type: 'valueIdentifier', min: 0, identifierSystem: ID.sdsUser },
  shortlist: { type: 'resource', min: 1 },
  intentionToAddReferralLetter: { type: 'valueCoding', min: 1, system: SYSTEM.letterIntention, codes: ['NEED_TO_ADD_LATER', 'NOT_INTENDING_TO_ADD'] },
  firstReminderLetterFollowUpDays: { type: 'valueUnsignedInt', min: 1 },
  eReferralPathwayStart: { type: 'valueInstant', min: 0 },
};

const DAY_MS = 86_400_000;
/** Upper bound the simulator puts on firstReminderLetterFollowUpDays (the catalogue gives none). */
export const MAX_REMINDER_DAYS = 365;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const createReferral: OperationImpl = {
  ids: ['A011'],
  requestResourceType: 'Parameters',
  handle(ctx) {
    const ref = createReferralRecord(ctx);
    return fhirJson(201, referralRequest(ref, ctx.store, ctx.baseUrl), { ETag: `W/"${ref.version}"` });
  },
};

/** What a create-style operation (A021) checks beyond the shared A011 table, given the parsed request. */
export type ExtraCreateRules = (params: Map<string, ReadParam>, shortlist: ReturnType<typeof readShortlist>, shortlistPath: string) => void;

/** The shared create-request table (A011, A021): validates, stores and returns the new NOT_BOOKED referral. */
export function createReferralRecord({ body, store, caller, now }: HandlerContext, extraRules?: ExtraCreateRules): StoredReferral {
  const params = readParameters(body, SPECS);
  const shortlistParam = params.get('shortlist') as ReadParam;
  const shortlist = readShortlist(shortlistParam.value, `${shortlistParam.path}.resource.`, store, now);
  const reminder = params.get('firstReminderLetterFollowUpDays') as ReadParam;
  if ((reminder.value as number) > MAX_REMINDER_DAYS) {
    throw unprocessable('INVALID_VALUE', `${reminder.path}.valueUnsignedInt: ${String(reminder.value)} days is more than the ${MAX_REMINDER_DAYS} allowed`);
  }
  const pathwayStart = checkPathwayStart(params.get('eReferralPathwayStart'), now);
  const referrer = checkReferringClinician(params.get('referringClinician'), caller, store, '');
  const patient = checkPatient(params.get('patient') as ReadParam, store);
  const intention = codeOf(params.get('intentionToAddReferralLetter')) as StoredReferral['letterIntention'];

  checkShortlistedServices(shortlist, intention, patient, store);
  extraRules?.(params, shortlist, `${shortlistParam.path}.resource.`);

  const created = now.toISOString();
  const ref: StoredReferral = {
    ubrn: store.newUbrn(),
    requestId: `r.${randomUUID()}`,
    version: 1,
    patient: patient.nhsNumber,
    referrer,
    referringOds: caller.ods,
    priority: shortlist.criteria.priority,
    specialty: shortlist.criteria.specialty ?? store.services.get(shortlist.services[0]?.id ?? '')?.specialty,
    criteria: shortlist.criteriaParameters,
    shortlist: shortlist.services.map((s) => s.id),
    state: 'NOT_BOOKED',
    status: 'active',
    letterIntention: intention,
    letterAttached: false,
    letters: [],
    created,
    lastUpdated: created,
    pathwayStart: pathwayStart ?? created,
    commissioningRuleOrg: store.organisations.get(caller.ods)?.commissioner ?? caller.ods,
  };
  if (shortlist.criteria.clinicType) ref.clinicType = shortlist.criteria.clinicType;
  if (intention === 'NEED_TO_ADD_LATER') ref.letterDue = new Date(now.getTime() + (reminder.value as number) * DAY_MS).toISOString().slice(0, 10);
  store.referrals.set(ref.ubrn, ref);
  return ref;
}

/** eReferralPathwayStart: an instant in the past, at most 365 days ago. */
function checkPathwayStart(p: ReadParam | undefined, now: Date): string | undefined {
  if (!p) return undefined;
  const value = p.value as string;
  const at = `${p.path}.valueInstant`;
  const time = Date.parse(value);
  if (!INSTANT.test(value) || Number.isNaN(time)) throw unprocessable('INVALID_VALUE', `${at}: '${value}' is not a FHIR instant`);
  if (time > now.getTime()) throw unprocessable('INVALID_VALUE', `${at}: the pathway start must not be in the future`);
  if (now.getTime() - time > 365 * DAY_MS) throw unprocessable('INVALID_VALUE', `${at}: the pathway start must be within the last 365 days`);
  return new Date(time).toISOString();
}
