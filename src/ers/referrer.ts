import { asArray, asObject } from './read.ts';
import { referenceDataSystem, type Parameters } from './parameters.ts';

// Request bodies and response readers for the referrer journey after creation: slots (A015), booking and
// deferral (A016), appointment cancellation (A034), letters (A012), shortlist changes (A031/A032), referral
// cancellation (A036) and available actions (A029). Steps pass intent-resolved values; nothing here knows a target.

type Json = Record<string, unknown>;

const CS = 'https://fhir.nhs.uk/STU3/CodeSystem/';
const NHS_NUMBER = 'http://fhir.nhs.net/Id/nhs-number';
const SDS_USER = 'http://fhir.nhs.net/Id/sds-user-id';
const ERS_SERVICE = 'http://fhir.nhs.net/Id/ers-service';
export const REVIEW_REASON_SYSTEM = `${CS}eRS-ReviewReason-1`;
export const APPOINTMENT_PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1';
export const APPOINTMENT_DESCRIPTION = 'e-Referral Appointment';

/** A015 query: the mandatory parameters, then any overrides (undefined removes one). */
export function slotSearchQuery(service: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const q: Record<string, string | undefined> = { 'schedule.actor:HealthcareService': service, appointmentType: 'ROUTINE', status: 'free', _count: '20', page: '1', ...overrides };
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface FoundSlot { id: string; start: string; end: string; clinician?: string }

/** The Slot entries of an A015 Bundle, with the clinician their Schedule names (if any). */
export function slotsIn(bundle: unknown): FoundSlot[] {
  const entries = asArray(asObject(bundle)?.entry).map((e) => asObject(asObject(e)?.resource) ?? {});
  const clinicianOf = new Map<string, string | undefined>();
  for (const r of entries.filter((r) => r.resourceType === 'Schedule')) {
    const actor = asArray(r.actor).map(asObject).find((a) => asObject(a?.identifier)?.system === SDS_USER);
    clinicianOf.set(`Schedule/${String(r.id)}`, asObject(actor?.identifier)?.value as string | undefined);
  }
  return entries.filter((r) => r.resourceType === 'Slot').map((r) => {
    const clinician = clinicianOf.get(String(asObject(r.schedule)?.reference));
    return { id: String(r.id), start: String(r.start), end: String(r.end), ...(clinician ? { clinician } : {}) };
  });
}

export function includedSchedules(bundle: unknown): Json[] {
  return asArray(asObject(bundle)?.entry).map(asObject).filter((e) => asObject(e?.resource)?.resourceType === 'Schedule') as Json[];
}

export interface AppointmentRequest {
  ubrn: string;
  /** referral version for incomingReferral _history; undefined sends the reference without a version */
  version: string | undefined;
  service: string;
  patient: string;
  status?: string;
  description?: string;
  slot?: FoundSlot | { id: string };
  clinician?: string;
  reason?: string;
  comment?: string;
}

/** A016 body: booked (slot) or proposed (deferral / triage reason). */
export function buildAppointment(a: AppointmentRequest): Json {
  const participant: Json[] = [
    { actor: { identifier: { system: ERS_SERVICE, value: a.service } }, status: 'accepted' },
    { actor: { identifier: { system: NHS_NUMBER, value: a.patient } }, status: 'accepted' },
  ];
  if (a.clinician) {
    participant.push({ type: [{ coding: [{ system: 'http://hl7.org/fhir/ValueSet/encounter-participant-type', code: 'CON' }] }], actor: { identifier: { system: SDS_USER, value: a.clinician } }, status: 'accepted' });
  }
  const slot = a.slot as FoundSlot | undefined;
  return {
    resourceType: 'Appointment',
    meta: { profile: [APPOINTMENT_PROFILE] },
    status: a.status ?? (a.reason ? 'proposed' : 'booked'),
    ...(a.reason ? { reason: [{ coding: [{ system: REVIEW_REASON_SYSTEM, code: a.reason }] }] } : {}),
    description: a.description ?? APPOINTMENT_DESCRIPTION,
    ...(slot?.start && !a.reason ? { start: slot.start, end: slot.end } : {}),
    ...(slot ? { slot: [{ reference: `Slot/${slot.id}` }] } : {}),
    ...(a.comment ? { comment: a.comment } : {}),
    incomingReferral: [{ reference: a.version === undefined ? `ReferralRequest/${a.ubrn}` : `ReferralRequest/${a.ubrn}/_history/${a.version}` }],
    participant,
  };
}

/** A034 body: the appointment as read (A038) with status cancelled and a cancellation reason. */
export function buildAppointmentCancellation(current: unknown, fhirBase: string, reason: string, comment?: string): Json {
  const appt = { ...(asObject(current) ?? {}) };
  delete appt.comment;
  return {
    ...appt,
    status: 'cancelled',
    reason: [{ coding: [{ system: referenceDataSystem('APPOINTMENT-CANCELLATION-REASON', fhirBase), code: reason }] }],
    ...(comment ? { comment } : {}),
  };
}

/** A036 body. */
export function buildCancelReferral(fhirBase: string, reason: string, comment?: string): Parameters {
  return {
    resourceType: 'Parameters',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CancelReferral-Request-Parameters-1'] },
    parameter: [
      { name: 'cancellationReason', valueCoding: { system: referenceDataSystem('REFERRAL-CANCELLATION-REASON', fhirBase), code: reason } },
      ...(comment !== undefined ? [{ name: 'cancellationComments', valueString: comment }] : []),
    ],
  };
}

/** The request profile of A032 (triage) or A031. */
export function changeShortlistProfile(triage: boolean): string {
  return `https://fhir.nhs.uk/STU3/StructureDefinition/${triage ? 'eRS-ChangeShortlistAndSendForTriage-Request-Parameters-1' : 'eRS-ChangeShortlist-Parameters-1'}`;
}

/** A031 / A032 body: the new shortlist, letter intention and first reminder. */
export function buildChangeShortlist(shortlist: Json, intention = 'NEED_TO_ADD_LATER', followUpDays = 0, triage = false): Parameters {
  return {
    resourceType: 'Parameters',
    meta: { profile: [changeShortlistProfile(triage)] },
    parameter: [
      { name: 'shortlist', resource: shortlist },
      { name: 'intentionToAddReferralLetter', valueCoding: { system: `${CS}eRS-ReferralLetterIntention-1`, code: intention } },
      { name: 'firstReminderLetterFollowUpDays', valueUnsignedInt: followUpDays },
    ],
  };
}

export interface LetterFile { binaryId: string; description?: string; type?: string; status?: string; contentType?: string; url?: string }

/** A012 body: one referralLetterFile DocumentReference per file. */
export function buildReferralLetters(files: LetterFile[], indexed: string): Parameters {
  return {
    resourceType: 'Parameters',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-MaintainReferralLetter-Parameters-1'] },
    parameter: files.map((f) => ({
      name: 'referralLetterFile',
      resource: {
        resourceType: 'DocumentReference',
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-DocumentReference-1'] },
        type: { coding: [{ system: `${CS}eRS-AttachmentType-1`, code: f.type ?? 'REFERRER' }] },
        status: f.status ?? 'current',
        indexed,
        description: f.description ?? 'Referral letter',
        content: [{ attachment: { ...(f.contentType ? { contentType: f.contentType } : {}), url: f.url ?? `Binary/${f.binaryId}` } }],
      },
    })),
  };
}

/** A029 query. */
export function availableActionsQuery(ubrn: string, version: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const q: Record<string, string | undefined> = { focus: `ReferralRequest/${ubrn}/_history/${version}`, intent: 'proposal', status: 'ready', ...overrides };
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
}

/** eRS-AvailableActionsForUser-1 codes in an A029 Bundle. */
export function actionCodes(bundle: unknown): string[] {
  return asArray(asObject(bundle)?.entry)
    .map((e) => asObject(asArray(asObject(asObject(asObject(e)?.resource)?.code)?.coding)[0])?.code)
    .filter((c): c is string => typeof c === 'string');
}

/** A named resource parameter of a Parameters response (A032, A036). */
export function parameterResource(body: unknown, name: string): Json | undefined {
  const p = asArray(asObject(body)?.parameter).map(asObject).find((x) => x?.name === name);
  return asObject(p?.resource);
}

/** The DocumentReferences contained in a ReferralRequest. */
export function referralLetters(referral: unknown): Json[] {
  return asArray(asObject(referral)?.contained).map(asObject).filter((c): c is Json => c?.resourceType === 'DocumentReference');
}
