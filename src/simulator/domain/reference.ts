// Reference-data lookups shared by operations: effective codes of the A004 code systems.
import type { Store } from '../store.ts';

/** Codes of a reference code system that are effective on the given day. */
export function effectiveCodes(store: Store, type: string, now: Date): string[] {
  const day = now.toISOString().slice(0, 10);
  return (store.codeSystems.get(type)?.concepts ?? [])
    .filter((c) => (!c.effectiveFrom || c.effectiveFrom <= day) && (!c.effectiveTo || c.effectiveTo > day))
    .map((c) => c.code);
}

export function displayOf(store: Store, type: string, code: string): string | undefined {
  return store.codeSystems.get(type)?.concepts.find((c) => c.code === code)?.display;
}

export const PRIORITIES = ['ROUTINE', 'URGENT', 'TWO_WEEK_WAIT'] as const;
export const PRIORITY_DISPLAY: Record<string, string> = { ROUTINE: 'Routine', URGENT: 'Urgent', TWO_WEEK_WAIT: '2 Week Wait' }; // eRS-Priority-1 display, as in ReferralRequest examples (the A004 PRIORITY set says "Two Week Wait")

/**
 * eRS-ReferralState-1 display texts as e-RS sends them. The ReferralRequest state extension uses title case
 * (OAS enum on Extension-eRS-ReferralState-1 `state`; e.g. "Not Booked" in examples stu3/retrieveReferralRequest),
 * while worklist items use sentence case (OAS worklist `status` enum; e.g. "Not booked" in stu3/retrieveWorklist).
 */
export const REFERRAL_STATE_DISPLAY: Record<string, string> = {
  REJECTED: 'Rejected', CANCELLED_REFERRAL: 'Cancelled Referral', DID_NOT_ATTEND: 'Did Not Attend', ASSESSMENT_RESULT: 'Assessment Result',
  TRIAGE_RESPONSE: 'Triage Response', APPT_CANCELLED_BY_PROVIDER: 'Appointment Cancelled By Provider', APPT_CANCELLED_BY_PATIENT: 'Appointment Cancelled By Patient',
  AWAITING_TRIAGE: 'Awaiting Triage', NOT_BOOKED: 'Not Booked', DEFERRED_TO_PROVIDER: 'Deferred To Provider', BOOKED: 'Booked',
  TRIAGED_PROVIDER_TO_ACTION: 'Triaged - Provider To Action',
};
export const WORKLIST_STATE_DISPLAY: Record<string, string> = {
  REJECTED: 'Rejected', CANCELLED_REFERRAL: 'Cancelled referral', DID_NOT_ATTEND: 'Did not attend', ASSESSMENT_RESULT: 'Assessment result',
  TRIAGE_RESPONSE: 'Triage Response', APPT_CANCELLED_BY_PROVIDER: 'Appointment cancelled by provider', APPT_CANCELLED_BY_PATIENT: 'Appointment cancelled by patient',
  AWAITING_TRIAGE: 'Awaiting triage', NOT_BOOKED: 'Not booked', DEFERRED_TO_PROVIDER: 'Deferred to provider', BOOKED: 'Booked',
  TRIAGED_PROVIDER_TO_ACTION: 'Triaged - provider to action',
};
