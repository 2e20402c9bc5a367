// A011 Create referral: POST /STU3/ReferralRequest/$ers.createReferral (RC, RCA; UR only) -> 201 NOT_BOOKED referral.
import { checkPatient, checkReferringClinician } from '../domain/criteria.ts';
import { searchServices } from '../domain/search.ts';
import { readShortlist } from '../domain/shortlist.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { ID, SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import { randomUUID } from 'node:crypto';
import type { StoredReferral } from '../store.ts';
import type { OperationImpl } from './types.ts';

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
  handle({ body, store, caller, now, baseUrl }) {
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

    const results = new Set(searchServices(store, { requestType: 'APPOINTMENT_REQUEST', sortBy: 'DISTANCE', criteria: shortlist.criteria, patient }).map((h) => h.service.id));
    for (const { id, path } of shortlist.services) {
      const service = store.services.get(id);
      if (!service) throw unprocessable('REFERENCE_NOT_FOUND', `${path}: service ${id} is not known`);
      if (!service.flows.includes('APPOINTMENT_REQUEST') && !service.flows.includes('TRIAGE_REQUEST')) {
        throw unprocessable('INAPPROPRIATE_VALUE', `${path}: service ${id} does not accept appointment requests (flows: ${service.flows.join(', ')})`);
      }
      if (intention === 'NOT_INTENDING_TO_ADD' && service.referralLetterRequired) {
        throw unprocessable('INAPPROPRIATE_VALUE', `${path}: service ${id} requires a referral letter but intentionToAddReferralLetter is NOT_INTENDING_TO_ADD`);
      }
      if (!results.has(id)) throw unprocessable('SHORTLISTED_SERVICE_NOT_IN_RESULTS', `${path}: service ${id} is not returned by the shortlist's search criteria`);
    }

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
      created,
      lastUpdated: created,
      pathwayStart: pathwayStart ?? created,
      commissioningRuleOrg: store.organisations.get(caller.ods)?.commissioner ?? caller.ods,
    };
    if (shortlist.criteria.clinicType) ref.clinicType = shortlist.criteria.clinicType;
    if (intention === 'NEED_TO_ADD_LATER') ref.letterDue = new Date(now.getTime() + (reminder.value as number) * DAY_MS).toISOString().slice(0, 10);
    store.referrals.set(ref.ubrn, ref);
    return fhirJson(201, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
  },
};

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
