// A029 Available actions for user: GET /STU3/Task?focus=ReferralRequest/{ubrn}/_history/{v}&intent=proposal&status=ready
// (RC, RCA, SPC, SPCA; provider apps). Answers from the same lifecycle rules the write operations enforce.
import { parseVersionedReference } from '../domain/concurrency.ts';
import { availableActions } from '../domain/lifecycle.ts';
import { ErsError } from '../errors.ts';
import { stableUuid } from '../fhir/referral-request.ts';
import { PROFILE } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const ACTIONS_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailableActionsForUser-1';
const CARECONNECT_TASK = 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Task-1';
// display texts as e-RS sends them (OAS AvailableActionsForUser display enum; examples stu3/availableActionsForUserList)
const DISPLAY: Record<string, string> = {
  CREATE_APPOINTMENT: 'Create Appointment',
  CHANGE_SHORTLIST: 'Change Shortlist',
  CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE: 'Change Shortlist and Send for Triage',
  CANCEL_DIRECTLY_BOOKED_APPOINTMENT: 'Cancel Directly Booked Appointment',
  CANCEL_REFERRAL: 'Cancel Referral',
  RECORD_REVIEW_OUTCOME: 'Record Review Outcome',
};

// A029 answers search validation failures with 400 (catalogue section 6).
const bad = (code: string, diagnostics: string, issue: 'value' | 'required' | 'not-found' = 'value') => new ErsError(400, issue, code, diagnostics);

export const availableActionsForUser: OperationImpl = {
  ids: ['A029'],
  handle({ query, store, caller, now, baseUrl }) {
    for (const name of ['focus', 'intent', 'status']) if (!query.get(name)) throw bad('MISSING_PARAMETER', `${name}: mandatory search parameter is missing`, 'required');
    if (query.get('intent') !== 'proposal') throw bad('INVALID_VALUE', `intent: must be 'proposal', got '${query.get('intent')}'`);
    if (query.get('status') !== 'ready') throw bad('INVALID_VALUE', `status: must be 'ready', got '${query.get('status')}'`);
    const focus = parseVersionedReference(query.get('focus') as string, 'ReferralRequest');
    if (!focus || focus.version === undefined) throw bad('INVALID_VALUE', `focus: '${query.get('focus')}' is not ReferralRequest/{ubrn}/_history/{version}`);
    const ref = store.referrals.get(focus.id);
    if (!ref) throw bad('REFERENCE_NOT_FOUND', `focus: no referral with UBRN ${focus.id}`, 'not-found');
    if (focus.version !== ref.version) {
      throw bad('HISTORY_NOT_SUPPORTED', `focus: version ${focus.version} of referral ${ref.ubrn} is not current (${ref.version}); read the referral again`, 'not-found');
    }
    const focusRef = `ReferralRequest/${ref.ubrn}/_history/${ref.version}`;
    const actions = availableActions(ref, caller, store, now);
    // e-RS identifies the Bundle and each Task and gives each entry a fullUrl (OAS requires them; examples stu3/availableActionsForUserList)
    return fhirJson(200, {
      resourceType: 'Bundle',
      id: stableUuid(`${focusRef}@${now.toISOString()}`),
      meta: { lastUpdated: now.toISOString(), profile: [PROFILE.bundle] },
      type: 'searchset',
      total: actions.length,
      link: [{ relation: 'self', url: `${baseUrl}/STU3/Task?${new URLSearchParams(query).toString()}` }],
      // "no actions" is a Bundle without entry (FHIR forbids an empty array)
      ...(actions.length > 0 ? { entry: actions.map((code) => ({
        fullUrl: `${baseUrl}/STU3/Task/${stableUuid(`${focusRef}/${code}`)}`,
        resource: {
          resourceType: 'Task',
          id: stableUuid(`${focusRef}/${code}`),
          meta: { profile: [CARECONNECT_TASK] },
          status: 'ready',
          intent: 'proposal',
          code: { coding: [{ system: ACTIONS_SYSTEM, code, display: DISPLAY[code] }] },
          focus: { reference: focusRef },
        },
        search: { mode: 'match' },
      })) } : {}),
    });
  },
};
