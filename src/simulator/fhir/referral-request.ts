// eRS-ReferralRequest-1 rendering of a stored referral (shape as in catalogue section 2 / A005).
import { createHash } from 'node:crypto';
import { availability } from '../domain/attachments.ts';
import { displayOf, PRIORITY_DISPLAY, REFERRAL_STATE_DISPLAY } from '../domain/reference.ts';
import type { Store, StoredLetter, StoredReferral } from '../store.ts';
import { appointmentResource } from './appointment.ts';
import { EXT, ID, PROFILE, SYSTEM, referenceSystem } from './systems.ts';

/** Stable UUID-shaped id derived from a seed string (attachment ids must look like RFC 4122 ids). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function referralRequest(ref: StoredReferral, store: Store, baseUrl: string): Record<string, unknown> {
  const extension: Record<string, unknown>[] = [];
  const current = ref.appointmentId ? store.appointments.get(ref.appointmentId) : undefined;
  if (current) {
    extension.push({ url: EXT.appointment, valueReference: { reference: '#appointment' } });
    extension.push({ url: EXT.appointmentReference, valueReference: { reference: `Appointment/${current.id}` } });
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
  if (current) contained.push(appointmentResource(current, store, baseUrl, true));
  const documents = [
    ...ref.letters.map((l, i) => letter(ref, l, i + 1, store)),
    ...(ref.providerAttachments ?? []).map((a, i) => documentReference(ref, { ...a, type: 'PROVIDER' }, ref.letters.length + i + 1, store)),
  ];
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

function letter(ref: StoredReferral, l: StoredLetter, n: number, store: Store): Record<string, unknown> {
  const file = store.binaries.get(l.binaryId);
  const by = /^\d{12}$/.test(file?.uploadedBy ?? '') ? file!.uploadedBy : ref.referrer;
  return documentReference(ref, { ...l, type: 'REFERRER', attachedBy: by, attachedByOds: ref.referringOds }, n, store);
}

interface Attached extends StoredLetter { type: 'REFERRER' | 'PROVIDER'; attachedBy: string; attachedByOds: string }

function documentReference(ref: StoredReferral, l: Attached, n: number, store: Store): Record<string, unknown> {
  const file = store.binaries.get(l.binaryId);
  return {
    resourceType: 'DocumentReference',
    id: `DocumentReference-${ref.ubrn}-${n}`,
    meta: { profile: [PROFILE.documentReference] },
    type: { coding: [{ system: SYSTEM.attachmentType, code: l.type, display: l.type === 'REFERRER' ? 'Referrer' : 'Provider' }] },
    status: 'current',
    indexed: l.indexed,
    description: l.description,
    content: [
      {
        attachment: {
          id: `${ref.ubrn}-${n}`,
          // e-RS says who attached the file and for which organisation (examples stu3/retrieveReferralRequest/responses/*.json;
          // the OAS DocumentReference attachment needs at least two extensions)
          extension: [
            // the document store's scan decides what a reader can download (catalogue 8.4)
            { url: EXT.availability, valueCoding: { system: SYSTEM.availabilityStatus, code: file ? availability(file, store.now()) : 'AVAILABLE' } },
            { url: EXT.attachedBy, valueReference: { identifier: { system: ID.sdsUser, value: l.attachedBy } } },
            { url: EXT.attachedByOrganisation, valueReference: { identifier: { system: ID.odsOrganisation, value: l.attachedByOds } } },
          ],
          contentType: file?.contentType ?? 'application/pdf',
          url: `Binary/${l.binaryId}`,
          size: file?.bytes.length ?? 0,
          title: file?.fileName ?? 'referral-letter.pdf',
          creation: (file?.uploaded ?? l.indexed).slice(0, 10),
        },
      },
    ],
  };
}
