// eRS-FetchWorklist-List-1 rendering: one list-specific WorkListItem extension per entry.
import { displayOf, WORKLIST_STATE_DISPLAY } from '../domain/reference.ts';
import type { Store, StoredReferral } from '../store.ts';
import { ID, PROFILE, SD, SYSTEM, referenceSystem } from './systems.ts';

export const ITEM_EXTENSION: Record<string, string> = {
  REFERRALS_FOR_REVIEW: `${SD}/Extension-eRS-ReferralsforReview-WorkListItem-1`,
  APPOINTMENT_SLOT_ISSUES: `${SD}/Extension-eRS-AppointmentSlotIssues-WorkListItem-1`,
  REJECTED_TRIAGE_RESPONSE: `${SD}/Extension-eRS-RejectedTriageResponse-WorkListItem-1`,
  ASSESSMENT_RETURNED_CANCELLED_DNA: `${SD}/Extension-eRS-AssessmentReturnedCancelledDna-WorkListItem-1`,
  AWAITING_BOOKING: `${SD}/Extension-eRS-AwaitingBooking-WorkListItem-1`,
  LETTERS_OUTSTANDING: `${SD}/Extension-eRS-LettersOutstanding-WorkListItem-1`,
};

type Json = Record<string, unknown>;
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const patientRef = (nhs: string) => ({ identifier: { system: ID.nhsNumber, value: nhs } });

export function worklist(listType: string, refs: StoredReferral[], store: Store, baseUrl: string, now: Date): Json {
  const contained = new Map<string, Json>();
  const entry = refs.map((ref) => ({
    extension: [{ url: ITEM_EXTENSION[listType], extension: itemFields(listType, ref, store, baseUrl, contained) }],
    item: { reference: `ReferralRequest/${ref.ubrn}` },
  }));
  return {
    resourceType: 'List',
    meta: { profile: [PROFILE.fetchWorklist] },
    ...(contained.size > 0 ? { contained: [...contained.values()] } : {}),
    status: 'current',
    mode: 'snapshot',
    // no date: eRS-FetchWorklist-List-1 has List.date 0..0 and e-RS never sends it (examples stu3/retrieveWorklist)
    entry,
  };
}

function itemFields(listType: string, ref: StoredReferral, store: Store, baseUrl: string, contained: Map<string, Json>): Json[] {
  const priority = { url: 'priority', valueCodeableConcept: cc(SYSTEM.priority, ref.priority) };
  const specialty = ref.specialty ? [{ url: 'specialty', valueCodeableConcept: cc(referenceSystem(baseUrl, 'SPECIALTY'), ref.specialty) }] : [];
  const serviceId = ref.booking?.service ?? ref.deferredTo ?? ref.shortlist[0] ?? '';
  const service = { url: 'service', valueReference: { identifier: { system: ID.ersService, value: serviceId }, display: store.services.get(serviceId)?.name ?? serviceId } };
  if (listType === 'REFERRALS_FOR_REVIEW') {
    const patientId = `Patient-${ref.patient}`;
    contained.set(patientId, { resourceType: 'Patient', id: patientId, meta: { profile: [PROFILE.patient] }, identifier: [{ system: ID.nhsNumber, value: ref.patient }] });
    const fields: Json[] = [priority, ...specialty, { url: 'patient', valueReference: { reference: `#${patientId}` } }];
    const clinician = ref.allocatedClinician ?? ref.booking?.clinician;
    if (clinician) {
      const practitionerId = `Practitioner-${clinician}`;
      contained.set(practitionerId, { resourceType: 'Practitioner', id: practitionerId, meta: { profile: [PROFILE.practitioner] }, identifier: [{ system: ID.sdsUser, value: clinician }] });
      fields.push({ url: 'allocatedClinician', valueReference: { reference: `#${practitionerId}` } });
    }
    fields.push(
      { url: 'eReferralPathwayStart', valueDateTime: ref.pathwayStart },
      { url: 'clinicalInfoPrinted', valueBoolean: false },
      { url: 'requestContextStatus', valueCodeableConcept: cc(SYSTEM.requestContextStatus, 'NEVER_REVIEWED', 'Never Reviewed') },
      ...(ref.clinicalInfoFirstSubmitted ? [{ url: 'clinicalInfoFirstSubmitted', valueDateTime: ref.clinicalInfoFirstSubmitted }] : []),
      ...(ref.booking ? [{ url: 'appointmentStart', valueDateTime: ref.booking.start }] : []),
      { url: 'referralType', valueCodeableConcept: cc(SYSTEM.referralType, ref.state === 'AWAITING_TRIAGE' ? 'TRIAGE_DEFERRAL' : 'APPOINTMENT') },
      service,
      { url: 'referralRequestVersion', valueInteger: ref.version },
    );
    return fields;
  }
  if (listType === 'APPOINTMENT_SLOT_ISSUES') {
    return [
      priority, ...specialty,
      { url: 'patient', valueReference: patientRef(ref.patient) },
      { url: 'eReferralPathwayStart', valueDateTime: ref.pathwayStart },
      { url: 'clinicalInfoPrinted', valueBoolean: false },
      { url: 'ubrnReceived', valueDateTime: ref.lastUpdated },
      { url: 'patientContactExpected', valueDate: addWorkingDays(new Date(ref.lastUpdated), contactDays(store, ref.priority)).toISOString().slice(0, 10) },
      { url: 'clinicalInformationStatus', valueCodeableConcept: cc(SYSTEM.clinicalInformationStatus, ref.letterAttached ? 'PRESENT' : 'NOT_DUE') },
      ...(ref.stateReason?.system ? [{ url: 'reason', valueCodeableConcept: cc(ref.stateReason.system, ref.stateReason.code) }] : []),
      service,
    ];
  }
  const common: Json[] = [
    { url: 'patient', valueReference: patientRef(ref.patient) },
    priority,
    { url: 'referralCreated', valueDateTime: ref.created },
    { url: 'clinicalContext', valueString: [ref.specialty, ref.clinicType].filter(Boolean).join('/') },
    { url: 'referrer', valueReference: { identifier: { system: ID.sdsUser, value: ref.referrer } } },
  ];
  if (listType === 'LETTERS_OUTSTANDING') return [...common, { url: 'letterDue', valueDate: ref.letterDue ?? ref.created.slice(0, 10) }];
  // worklist items spell APP_CANCELLED_BY_* where the referral state says APPT_CANCELLED_BY_* (catalogue 16.6)
  const status = ref.state.replace(/^APPT_CANCELLED/, 'APP_CANCELLED');
  const fields: Json[] = [...common, { url: 'referralLastUpdated', valueDateTime: ref.lastUpdated }, { url: 'status', valueCodeableConcept: cc(SYSTEM.referralState, status, WORKLIST_STATE_DISPLAY[ref.state] ?? status) }];
  // ASSESSMENT_RETURNED_CANCELLED_DNA gives a reason only for a cancelled referral (OAS: "only included if
  // status is CANCELLED_REFERRAL", system REFERRAL-CANCELLATION-REASON; example AssessmentReturnedCancelledDna),
  // never the appointment-cancellation reason an APP_CANCELLED_BY_* referral keeps from A034
  const reasonShown = listType !== 'AWAITING_BOOKING' && (listType !== 'ASSESSMENT_RETURNED_CANCELLED_DNA' || ref.state === 'CANCELLED_REFERRAL');
  if (ref.stateReason && reasonShown) {
    const { codeSystemType, code } = ref.stateReason;
    const system = ref.stateReason.system ?? referenceSystem(baseUrl, codeSystemType ?? '');
    // the reason carries its display, as e-RS sends it (OAS worklist `reason` requires it)
    fields.push({ url: 'reason', valueCodeableConcept: cc(system, code, codeSystemType ? displayOf(store, codeSystemType, code) : undefined) });
  }
  return fields;
}

function contactDays(store: Store, priority: string): number {
  const concept = store.codeSystems.get('PRIORITY')?.concepts.find((c) => c.code === priority);
  return typeof concept?.deferToProviderContactDays === 'number' ? concept.deferToProviderContactDays : 10;
}

function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
  }
  return d;
}

