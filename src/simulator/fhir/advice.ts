// Advice & Guidance rendering: eRS-CommunicationRequest-1 (A024, A026, A044), eRS-Communication-1 messages (A025, A026,
// A044), the A&G worklist (A023) and the lines of the overview PDF (A043); shapes as in catalogue section 2 and the
// e-RS examples of those operations.
import { displayOf, PRIORITY_DISPLAY } from '../domain/reference.ts';
import type { Store, StoredAdviceAttachment, StoredAdviceMessage, StoredAdviceRequest } from '../store.ts';
import { CS, ID, PROFILE, SD, SYSTEM, referenceSystem } from './systems.ts';

type Json = Record<string, unknown>;

export const ADVICE_PROFILE = {
  communicationRequest: `${SD}/eRS-CommunicationRequest-1`,
  communication: `${SD}/eRS-Communication-1`,
  practitionerRole: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-PractitionerRole-1',
  createResponse: `${SD}/eRS-CreateAdviceAndGuidance-Response-Parameters-1`,
  sendResponse: `${SD}/eRS-SendCommunicationToRequester-Response-Parameters-1`,
} as const;

export const ADVICE_SYSTEM = {
  status: `${CS}/eRS-AdviceAndGuidanceStatus-1`,
  conversion: `${CS}/eRS-ProviderConversionAuthorisation-1`,
  sentBy: `${CS}/eRS-CommunicationSentBy-1`,
  listSelector: `${CS}/eRS-CommunicationListSelector-1`,
  outcome: `${CS}/eRS-GuidanceResponseOutcome-1`,
  recommendation: `${CS}/eRS-GuidanceIntendedRecommendation-1`,
} as const;

const EXT = {
  priority: `${SD}/Extension-eRS-ReferralPriority-1`,
  conversion: `${SD}/Extension-eRS-ProviderConversionAuthorisation-1`,
  shortlist: `${SD}/Extension-eRS-ReferralShortlist-1`,
  specialty: `${SD}/Extension-eRS-Specialty-1`,
  shortlistCriteria: `${SD}/Extension-eRS-Shortlist-SearchCriteria-1`,
  serviceReference: `${SD}/Extension-HealthcareService-Reference-1`,
  roleReference: `${SD}/Extension-PractitionerRole-Reference-1`,
  requester: `${SD}/Extension-Communication-Requester-1`,
  worklistItem: `${SD}/Extension-eRS-AdviceAndGuidanceRequests-WorkListItem-1`,
  availability: `${SD}/Extension-eRS-AvailabilityStatus-1`,
  attachedBy: `${SD}/Extension-eRS-AttachedBy-1`,
  attachedByOrganisation: `${SD}/Extension-eRS-AttachedByOrganisation-1`,
} as const;

const CONVERSION_DISPLAY: Record<string, string> = {
  AUTHORISED_TO_CONVERT: 'Referrer has allowed the Service Provider to convert the Advice and Guidance to a Referral',
  NOT_AUTHORISED_TO_CONVERT: 'Referrer has not allowed the Service Provider to convert the Advice and Guidance to a Referral',
};

/** PractitionerRole id e-RS uses: {sds user id}.{ods}.{BUSINESS-FUNCTION} with dashes. */
export function roleId(userId: string, ods: string, role: string): string {
  return `${userId}.${ods}.${role.replace(/_/g, '-')}`;
}

function practitionerRole(userId: string, ods: string, role: string, id: string): Json {
  return {
    resourceType: 'PractitionerRole',
    id,
    meta: { profile: [ADVICE_PROFILE.practitionerRole] },
    practitioner: { identifier: { system: ID.sdsUser, value: userId } },
    organization: { identifier: { system: ID.odsOrganisation, value: ods } },
    code: [{ coding: [{ system: SYSTEM.businessFunction, code: role }] }],
  };
}

const serviceRecipient = (service: string): Json => ({ extension: [{ url: EXT.serviceReference, valueReference: { identifier: { system: ID.ersService, value: service } } }] });
const roleReference = (reference: string): Json => ({ extension: [{ url: EXT.roleReference, valueReference: { reference } }] });

function requesterRole(a: StoredAdviceRequest): { userId: string; ods: string; role: string } {
  const first = a.messages[0];
  return { userId: a.requester, ods: a.requesterOds, role: first?.author === a.requester ? first.authorRole : 'REFERRING_CLINICIAN' };
}

/** eRS-CommunicationRequest-1: the A&G request summary at its current version. */
export function communicationRequest(a: StoredAdviceRequest, store: Store, baseUrl: string): Json {
  const who = requesterRole(a);
  const roleRef = `PractitionerRole.${roleId(who.userId, who.ods, who.role)}`;
  const requestFiles = a.messages[0]?.attachments ?? [];
  const documents = requestFiles.map((f, i) => documentReference(f, `DocumentReference-${a.ubrn}-${i + 1}`, a.messages[0]!, store));
  const resource: Json = {
    resourceType: 'CommunicationRequest',
    id: a.ubrn,
    meta: { versionId: String(a.version), lastUpdated: a.lastUpdated, profile: [ADVICE_PROFILE.communicationRequest] },
    extension: [
      { url: EXT.priority, valueCodeableConcept: { coding: [{ system: SYSTEM.priority, code: a.priority, display: PRIORITY_DISPLAY[a.priority] ?? a.priority }] } },
      { url: EXT.conversion, valueCoding: { system: ADVICE_SYSTEM.conversion, code: a.conversion, display: CONVERSION_DISPLAY[a.conversion] } },
      { url: EXT.shortlist, valueReference: { reference: '#shortlist' } },
      ...(a.specialty ? [{ url: EXT.specialty, valueCoding: { system: referenceSystem(baseUrl, 'SPECIALTY'), code: a.specialty, display: displayOf(store, 'SPECIALTY', a.specialty) ?? a.specialty } }] : []),
    ],
    contained: [
      { resourceType: 'Parameters', id: 'serviceSearchCriteria', meta: { profile: [PROFILE.criteria] }, parameter: a.criteria },
      {
        resourceType: 'List', id: 'shortlist', meta: { profile: [PROFILE.shortlist] },
        extension: [{ url: EXT.shortlistCriteria, valueReference: { reference: '#serviceSearchCriteria' } }],
        status: 'current', mode: 'snapshot',
        entry: [{ item: { identifier: { system: ID.ersService, value: a.service }, display: store.services.get(a.service)?.name ?? a.service } }],
      },
      practitionerRole(who.userId, who.ods, who.role, roleRef),
      ...documents,
    ],
    identifier: [{ system: ID.requestId, value: a.requestId }],
    status: a.status,
    category: [{ coding: [{ system: ADVICE_SYSTEM.status, code: a.category }] }],
    subject: { identifier: { system: ID.nhsNumber, value: a.patient } },
    recipient: [serviceRecipient(a.service)],
    sender: roleReference(`#${roleRef}`),
    requester: { agent: roleReference(`#${roleRef}`) },
  };
  if (documents.length > 0) resource.payload = documents.map((d) => ({ contentReference: { reference: `#${String(d.id)}` } }));
  return resource;
}

/** eRS-DocumentReference-1 for a file linked to an A&G message. */
function documentReference(f: StoredAdviceAttachment, id: string, m: StoredAdviceMessage, store: Store): Json {
  const file = store.binaries.get(f.binaryId);
  return {
    resourceType: 'DocumentReference',
    id,
    meta: { profile: [PROFILE.documentReference] },
    type: { coding: [{ system: SYSTEM.attachmentType, code: f.type }] },
    status: 'current',
    indexed: f.indexed,
    description: f.description,
    content: [{
      attachment: {
        id: f.binaryId,
        extension: [
          { url: EXT.availability, valueCoding: { system: SYSTEM.availabilityStatus, code: 'AVAILABLE' } },
          { url: EXT.attachedBy, valueReference: { identifier: { system: ID.sdsUser, value: m.author } } },
          { url: EXT.attachedByOrganisation, valueReference: { identifier: { system: ID.odsOrganisation, value: m.authorOds } } },
        ],
        contentType: file?.contentType ?? 'application/octet-stream',
        url: `Binary/${f.binaryId}`,
        size: file?.bytes.length ?? 0,
        title: file?.fileName ?? f.description,
        creation: (file?.uploaded ?? f.indexed).slice(0, 10),
      },
    }],
  };
}

export interface MessageStyle {
  /** 'contained' (write responses: roles and documents inside the message) or 'included' (A025: separate Bundle entries) */
  refs: 'contained' | 'included';
}

/** eRS-Communication-1: one message of the conversation. */
export function communication(a: StoredAdviceRequest, m: StoredAdviceMessage, store: Store, style: MessageStyle): Json {
  const rid = roleId(m.author, m.authorOds, m.authorRole);
  const roleRef = style.refs === 'contained' ? `#PractitionerRole.${rid}` : `PractitionerRole/${rid}`;
  const docs = m.attachments.map((f) => ({ f, id: documentId(f) }));
  const resource: Json = {
    resourceType: 'Communication',
    id: m.id,
    meta: { versionId: '0', profile: [ADVICE_PROFILE.communication] },
    extension: [{ url: EXT.requester, valueReference: { reference: roleRef } }],
  };
  if (style.refs === 'contained') {
    resource.contained = [
      ...docs.map((d) => documentReference(d.f, `DocumentReference-${d.id}`, m, store)),
      practitionerRole(m.author, m.authorOds, m.authorRole, `PractitionerRole.${rid}`),
    ];
  }
  Object.assign(resource, {
    basedOn: [{ reference: `CommunicationRequest/${a.ubrn}/_history/${m.basedOnVersion}` }],
    status: 'completed',
    category: [{ coding: [{ system: ADVICE_SYSTEM.sentBy, code: m.sentBy }] }],
    recipient: [m.sentBy === 'REQUESTER' ? serviceRecipient(a.service) : { identifier: { system: ID.odsOrganisation, value: a.requesterOds } }],
    sent: m.sent,
    sender: roleReference(roleRef),
    ...(docs.length > 0 ? { payload: docs.map((d) => ({ contentReference: { reference: style.refs === 'contained' ? `#DocumentReference-${d.id}` : `DocumentReference/${d.id}` } })) } : {}),
    note: [{ text: m.text }],
  });
  return resource;
}

const documentId = (f: StoredAdviceAttachment): string => f.binaryId;

export type ConversationInclude = 'requester' | 'sender' | 'documents';

/** A025: the searchset Bundle of the conversation, newest message first, with the entries the caller asked to include. */
export function conversationBundle(a: StoredAdviceRequest, store: Store, baseUrl: string, selfUrl: string, include: Set<ConversationInclude>, now: Date): Json {
  const messages = [...a.messages].reverse();
  const entry: Json[] = messages.map((m) => ({ fullUrl: `${baseUrl}/STU3/Communication/${m.id}`, resource: communication(a, m, store, { refs: 'included' }), search: { mode: 'match' } }));
  if (include.has('requester') || include.has('sender')) {
    const seen = new Set<string>();
    for (const m of messages) {
      const id = roleId(m.author, m.authorOds, m.authorRole);
      if (seen.has(id)) continue;
      seen.add(id);
      entry.push({ fullUrl: `${baseUrl}/STU3/PractitionerRole/${id}`, resource: practitionerRole(m.author, m.authorOds, m.authorRole, id), search: { mode: 'include' } });
    }
  }
  if (include.has('documents')) {
    for (const m of messages) {
      for (const f of m.attachments) entry.push({ fullUrl: `${baseUrl}/STU3/DocumentReference/${documentId(f)}`, resource: documentReference(f, documentId(f), m, store), search: { mode: 'include' } });
    }
  }
  return {
    resourceType: 'Bundle',
    id: `${a.ubrn}-${a.version}`,
    meta: { lastUpdated: now.toISOString(), profile: [PROFILE.bundle] },
    type: 'searchset',
    total: messages.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry,
  };
}

/** A023: eRS-FetchWorklist-List-1 with one AdviceAndGuidanceRequests-WorkListItem per request. */
export function adviceWorklistList(items: StoredAdviceRequest[], store: Store, baseUrl: string): Json {
  return {
    resourceType: 'List',
    meta: { profile: [PROFILE.fetchWorklist] },
    status: 'current',
    mode: 'snapshot',
    entry: items.map((a) => ({
      extension: [{
        url: EXT.worklistItem,
        extension: [
          { url: 'priority', valueCodeableConcept: { coding: [{ system: SYSTEM.priority, code: a.priority }] } },
          ...(a.specialty ? [{ url: 'specialty', valueCodeableConcept: { coding: [{ system: referenceSystem(baseUrl, 'SPECIALTY'), code: a.specialty }] } }] : []),
          { url: 'patient', valueReference: { identifier: { system: ID.nhsNumber, value: a.patient } } },
          { url: 'category', valueCodeableConcept: { coding: [{ system: ADVICE_SYSTEM.status, code: a.category }] } },
          { url: 'adviceFirstRequested', valueDateTime: a.created },
          { url: 'adviceLastUpdated', valueDateTime: a.lastUpdated },
          { url: 'referrer', valueReference: { identifier: { system: ID.sdsUser, value: a.requester } } },
          { url: 'service', valueReference: { identifier: { system: ID.ersService, value: a.service }, display: store.services.get(a.service)?.name ?? a.service } },
          // eRS-ClinicType-1 (the item's required binding), where the sandbox example writes the CLINIC-TYPE reference set
          ...(a.clinicType ? [{ url: 'clinicType', valueCodeableConcept: { coding: [{ system: SYSTEM.clinicType, code: a.clinicType }] } }] : []),
          { url: 'communicationRequestVersion', valueInteger: a.version },
        ],
      }],
      item: { reference: `CommunicationRequest/${a.ubrn}` },
    })),
  };
}

/** A043: the overview of the request and its whole conversation, as lines of text for the PDF. */
export function overviewLines(a: StoredAdviceRequest, store: Store): string[] {
  const patient = store.patients.get(a.patient);
  const service = store.services.get(a.service);
  const lines = [
    `Patient: ${patient?.name ?? ''} (NHS number ${a.patient})`,
    `UBRN: ${a.ubrn}`,
    `Service: ${service?.name ?? a.service}`,
    `Priority: ${PRIORITY_DISPLAY[a.priority] ?? a.priority}`,
    `Status: ${a.category} (${a.status})`,
    `Conversion: ${a.conversion}`,
    '',
    'Conversation',
  ];
  for (const m of a.messages) {
    lines.push('', `${m.sent.slice(0, 16).replace('T', ' ')}  ${m.sentBy === 'REQUESTER' ? 'Referrer' : 'Provider'} ${store.users.get(m.author)?.name ?? m.author} (${m.authorOds})`, m.text);
    for (const f of m.attachments) lines.push(`  attachment: ${store.binaries.get(f.binaryId)?.fileName ?? f.binaryId} (${f.type})`);
  }
  return lines;
}
