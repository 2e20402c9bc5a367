// eRS-ReferralRequest-1 rendering of a stored referral (shape as in catalogue section 2 / A005).
import { createHash } from 'node:crypto';
import { displayOf, PRIORITY_DISPLAY, REFERRAL_STATE_DISPLAY } from '../domain/reference.ts';
import type { Store, StoredReferral } from '../store.ts';
import { EXT, ID, PROFILE, SYSTEM, referenceSystem } from './systems.ts';

/** Stable UUID-shaped id derived from a seed string (attachment ids must look like RFC 4122 ids). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function referralRequest(ref: StoredReferral, store: Store, baseUrl: string): Record<string, unknown> {
  const extension: Record<string, unknown>[] = [];
  if (ref.booking) {
    extension.push({ url: EXT.appointment, valueReference: { reference: '#appointment' } });
    extension.push({ url: EXT.appointmentReference, valueReference: { reference: `Appointment/${ref.booking.appointmentId}` } });
  }
  if (ref.clinicalInfoFirstSubmitted) extension.push({ url: EXT.clinicalInfoFirstSubmitted, valueDateTime: ref.clinicalInfoFirstSubmitted });
  extension.push(
    { url: EXT.pathwayStart, valueInstant: ref.pathwayStart },
    { url: EXT.priority, valueCodeableConcept: { coding: [{ system: SYSTEM.priority, code: ref.priority, display: PRIORITY_DISPLAY[ref.priority] ?? ref.priority }] } },
    { url: EXT.shortlist, valueReference: { reference: '#shortlist' } },
    { url: EXT.commissioningRuleOrg, valueIdentifier: { system: ID.odsOrganisation, value: ref.commissioningRuleOrg } },
    { url: EXT.state, extension: stateExtension(ref, baseUrl) },
  );
  const contained: Record<string, unknown>[] = [
    { resourceType: 'Parameters', id: 'serviceSearchCriteria', meta: { profile: [PROFILE.criteria] }, parameter: ref.criteria },
    shortlist(ref, store),
  ];
  if (ref.booking) contained.push(appointment(ref, store));
  const documents = ref.letterAttached ? [letter(ref)] : [];
  contained.push(...documents);
  const resource: Record<string, unknown> = {
    resourceType: 'ReferralRequest',
    id: ref.ubrn,
    meta: { versionId: String(ref.version), lastUpdated: ref.lastUpdated, profile: [PROFILE.referralRequest] },
    extension,
    contained,
    identifier: [{ system: ID.requestId, value: ref.requestId }],
    status: ref.status,
    intent: 'plan',
    subject: { identifier: { system: ID.nhsNumber, value: ref.patient } },
    // no authoredOn: e-RS never sends it (eRS-ReferralRequest-1 has it 0..0; none of the e-RS examples carry it)
  };
  if (ref.specialty) {
    resource.specialty = { coding: [{ system: referenceSystem(baseUrl, 'SPECIALTY'), code: ref.specialty, display: displayOf(store, 'SPECIALTY', ref.specialty) ?? ref.specialty }] };
  }
  if (documents.length > 0) resource.supportingInfo = documents.map((d) => ({ reference: `#${String(d.id)}` }));
  return resource;
}

function stateExtension(ref: StoredReferral, baseUrl: string): Record<string, unknown>[] {
  const ext: Record<string, unknown>[] = [{ url: 'state', valueCoding: { system: SYSTEM.referralState, code: ref.state, display: REFERRAL_STATE_DISPLAY[ref.state] ?? ref.state } }];
  if (ref.stateReason) {
    const system = ref.stateReason.system ?? referenceSystem(baseUrl, ref.stateReason.codeSystemType ?? '');
    ext.push({ url: 'reason', valueCoding: { system, code: ref.stateReason.code } });
  }
  return ext;
}

function shortlist(ref: StoredReferral, store: Store): Record<string, unknown> {
  return {
    resourceType: 'List',
    id: 'shortlist',
    meta: { profile: [PROFILE.shortlist] },
    extension: [{ url: EXT.shortlistCriteria, valueReference: { reference: '#serviceSearchCriteria' } }],
    status: 'current',
    mode: 'snapshot',
    entry: ref.shortlist.map((id) => ({
      item: { identifier: { system: ID.ersService, value: id }, display: store.services.get(id)?.name ?? id },
    })),
  };
}

function appointment(ref: StoredReferral, store: Store): Record<string, unknown> {
  const b = ref.booking;
  if (!b) throw new Error(`referral ${ref.ubrn} has no booking`);
  const service = store.services.get(b.service);
  const participant: Record<string, unknown>[] = [
    { actor: { identifier: { system: ID.ersService, value: b.service }, display: service?.name ?? b.service }, status: 'accepted' },
    { actor: { identifier: { system: ID.nhsNumber, value: ref.patient } }, status: 'accepted' },
  ];
  if (b.clinician) {
    // e-RS emits participant.type as a single object (known issue); the simulator emits the valid array form
    participant.push({ type: [{ coding: [{ system: SYSTEM.participantType, code: 'CON' }] }], actor: { identifier: { system: ID.sdsUser, value: b.clinician } }, status: 'accepted' });
  }
  return {
    resourceType: 'Appointment',
    id: 'appointment',
    meta: { profile: [PROFILE.appointment, PROFILE.careConnectAppointment] }, // no versionId: dom-4 forbids it on contained resources (live e-RS sends one; we do not copy that defect)
    language: 'en',
    status: b.status,
    description: 'e-Referral Appointment',
    start: b.start,
    end: b.end,
    ...(b.slot ? { slot: [{ reference: `Slot/${b.slot}` }] } : {}),
    created: ref.created,
    incomingReferral: [{ reference: `ReferralRequest/${ref.ubrn}/_history/${ref.version}` }],
    participant,
  };
}

function letter(ref: StoredReferral): Record<string, unknown> {
  return {
    resourceType: 'DocumentReference',
    id: `DocumentReference-${ref.ubrn}-1`,
    meta: { profile: [PROFILE.documentReference] },
    type: { coding: [{ system: SYSTEM.attachmentType, code: 'REFERRER', display: 'Referrer' }] },
    status: 'current',
    indexed: ref.created,
    description: 'Referral letter',
    content: [
      {
        attachment: {
          id: `${ref.ubrn}-1`,
          // e-RS says who attached the file and for which organisation (examples stu3/retrieveReferralRequest/responses/*.json)
          extension: [
            { url: EXT.availability, valueCoding: { system: SYSTEM.availabilityStatus, code: 'AVAILABLE' } },
            { url: EXT.attachedBy, valueReference: { identifier: { system: ID.sdsUser, value: ref.referrer } } },
            { url: EXT.attachedByOrganisation, valueReference: { identifier: { system: ID.odsOrganisation, value: ref.referringOds } } },
          ],
          contentType: 'application/pdf',
          url: `Binary/${stableUuid(`${ref.ubrn}-letter`)}`,
          size: 2048,
          title: 'referral-letter.pdf',
          creation: ref.created.slice(0, 10),
        },
      },
    ],
  };
}
