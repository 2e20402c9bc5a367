// In-memory state of one simulator instance, built from the seed and rebuilt on reset().
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type {
  AdviceCategory, AttachmentType, Organisation, Patient, SeedAdviceRequest, SeedCodeSystem, SeedCoding, SeedData, SeedReferral, Service, User,
} from './seed/types.ts';
import { generateSlots } from './domain/slots.ts';
import { JournaledMap } from './transaction.ts';
import { antivirusTestSignature } from './domain/attachments.ts';

export interface StoredBooking {
  service: string;
  appointmentId: string;
  slot?: string;
  start: string;
  end: string;
  clinician?: string;
  status: 'booked' | 'proposed' | 'cancelled';
}

/** One appointment (eRS-Appointment-1); a referral points at its current one. */
export interface StoredAppointment {
  id: string;
  version: number;
  ubrn: string;
  service: string;
  status: 'booked' | 'proposed' | 'cancelled';
  start?: string;
  end?: string;
  slot?: string;
  clinician?: string;
  /** eRS-ReviewReason-1 (deferral/triage) or APPOINTMENT-CANCELLATION-REASON (cancellation) */
  reason?: SeedCoding;
  comment?: string;
  created: string;
  lastUpdated: string;
}

/** A bookable slot of a directly bookable service (A015); booked slots are busy and no longer offered. */
export interface StoredSlot {
  id: string;
  service: string;
  start: string;
  end: string;
  clinician?: string;
  status: 'free' | 'busy';
}

/** A file in the document store (A020). */
export interface StoredBinary {
  id: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  intendedUbrn?: string;
  uploadedBy: string;
  uploaded: string;
  linked?: { ubrn: string; type: AttachmentType };
  /** when the malware scan finishes (catalogue 8.4): PENDING until then; absent = already scanned */
  scanCompletes?: string;
}

/** A provider attachment (A022 providerAttachmentFile, A028 reviewAttachmentFile): a PROVIDER DocumentReference. */
export interface StoredProviderAttachment {
  binaryId: string;
  description: string;
  indexed: string;
  attachedBy: string;
  attachedByOds: string;
}

/** A short-lived object-store download link handed out by A042 (307 Location). */
export interface StoredDownload {
  binaryId: string;
  expires: string;
}

/** A referral letter: a REFERRER DocumentReference pointing at a stored file. */
export interface StoredLetter {
  binaryId: string;
  description: string;
  indexed: string;
}

export interface CriteriaParameter {
  name: string;
  [valueKey: string]: unknown;
}

export interface StoredReferral {
  ubrn: string;
  requestId: string;
  version: number;
  patient: string;
  referrer: string;
  referringOds: string;
  priority: string;
  specialty?: string;
  clinicType?: string;
  /** the serviceSearchCriteria parameters the shortlist was built from (FHIR Parameters.parameter entries) */
  criteria: CriteriaParameter[];
  shortlist: string[];
  state: string;
  stateReason?: SeedCoding;
  status: 'active' | 'cancelled' | 'completed';
  letterIntention: 'NEED_TO_ADD_LATER' | 'NOT_INTENDING_TO_ADD';
  letterAttached: boolean;
  /** current referral letters (A012 replaces the whole set); letterAttached mirrors letters.length > 0 */
  letters: StoredLetter[];
  letterDue?: string;
  created: string;
  lastUpdated: string;
  pathwayStart: string;
  clinicalInfoFirstSubmitted?: string;
  commissioningRuleOrg: string;
  booking?: StoredBooking;
  /** id of the current appointment in Store.appointments */
  appointmentId?: string;
  deferredTo?: string;
  allocatedClinician?: string;
  /** provider review of a booked referral done (A013 accept): the referral leaves REFERRALS_FOR_REVIEW */
  reviewed?: { outcome: 'ACCEPTED'; at: string; by: string };
  /** what the provider did in review (A013, A014, A022, A028), oldest first; printed in the CRI (A007) */
  providerActivity?: { at: string; by: string; activity: string; outcome: string; comments?: string }[];
  /** PROVIDER attachments linked by A022 / A028 */
  providerAttachments?: StoredProviderAttachment[];
}

/** A file linked to an A&G message (ADVICE_REQUEST from the referrer, GUIDANCE_RESPONSE from the provider). */
export interface StoredAdviceAttachment {
  binaryId: string;
  type: AttachmentType;
  description: string;
  indexed: string;
}

/** One message of an A&G conversation (eRS-Communication-1), sent by the referrer (REQUESTER) or provider (RESPONDER). */
export interface StoredAdviceMessage {
  id: string;
  sentBy: 'REQUESTER' | 'RESPONDER';
  /** SDS user id of the author and the role and organisation they acted in */
  author: string;
  authorRole: string;
  authorOds: string;
  sent: string;
  text: string;
  /** the CommunicationRequest version the message was sent against */
  basedOnVersion: number;
  attachments: StoredAdviceAttachment[];
}

/** An A&G request (eRS-CommunicationRequest-1) and its conversation; the lifecycle is domain/advice-lifecycle.ts. */
export interface StoredAdviceRequest {
  ubrn: string;
  requestId: string;
  version: number;
  patient: string;
  /** the referring clinician the request is from (the RC, or the RC an RCA named) */
  requester: string;
  requesterOds: string;
  /** the user who sent it when an RCA entered it for the requester */
  enteredBy?: string;
  service: string;
  status: 'active' | 'cancelled' | 'completed';
  category: AdviceCategory;
  conversion: 'AUTHORISED_TO_CONVERT' | 'NOT_AUTHORISED_TO_CONVERT';
  priority: string;
  specialty?: string;
  clinicType?: string;
  /** the serviceSearchCriteria parameters the one-service shortlist was built from */
  criteria: CriteriaParameter[];
  created: string;
  lastUpdated: string;
  messages: StoredAdviceMessage[];
}

export interface Store {
  organisations: Map<string, Organisation>;
  users: Map<string, User>;
  patients: Map<string, Patient>;
  services: Map<string, Service>;
  referrals: Map<string, StoredReferral>;
  adviceRequests: Map<string, StoredAdviceRequest>;
  snomed: Map<string, string>;
  postcodes: Map<string, [number, number]>;
  codeSystems: Map<string, SeedCodeSystem>;
  appointments: Map<string, StoredAppointment>;
  slots: Map<string, StoredSlot>;
  binaries: Map<string, StoredBinary>;
  /** referrals, A&G requests, appointments and files the seed held (what writes add is counted against limits) */
  seedRecords: number;
  /** bytes of the files the seed held (uploads are counted against limits on top of them) */
  seedStoredBytes: number;
  /** A042 object-store links by token */
  downloads: Map<string, StoredDownload>;
  /** UBRNs with a write in flight (423 REFERRAL_LOCKED for any other write) */
  locks: Set<string>;
  /** the simulator's clock (catalogue 8.4: attachment scans finish on it); replaced by createSimulator */
  now(): Date;
  /** a fresh 12-digit UBRN held by nothing in the store */
  newUbrn(): string;
  /** a fresh 8-digit appointment id */
  newAppointmentId(): string;
}

const DAY_MS = 86_400_000;

export function createStore(seed: SeedData, baseUrl: string, now: Date = new Date()): Store {
  const copy = structuredClone(seed);
  // the maps writes change are journaled, so a failed write can be undone (transaction.ts)
  const referrals = new JournaledMap(copy.referrals.map((r) => [r.ubrn, fromSeedReferral(r, copy, baseUrl, now)]));
  const adviceRequests = new JournaledMap(copy.adviceRequests.map((a) => [a.ubrn, fromSeedAdvice(a, copy, baseUrl, now)]));
  const services = new JournaledMap(copy.services.map((s) => [s.id, s]));
  const appointments = new JournaledMap<string, StoredAppointment>();
  for (const ref of referrals.values()) {
    if (!ref.booking) continue;
    const b = ref.booking;
    appointments.set(b.appointmentId, {
      id: b.appointmentId, version: 1, ubrn: ref.ubrn, service: b.service, status: 'booked', start: b.start, end: b.end,
      ...(b.slot ? { slot: b.slot } : {}), ...(b.clinician ? { clinician: b.clinician } : {}), created: ref.lastUpdated, lastUpdated: ref.lastUpdated,
    });
    ref.appointmentId = b.appointmentId;
  }
  const slots = new JournaledMap(generateSlots([...services.values()], now));
  // seeded bookings hold their slots
  for (const a of appointments.values()) {
    if (a.slot) slots.set(a.slot, { id: a.slot, service: a.service, start: a.start as string, end: a.end as string, ...(a.clinician ? { clinician: a.clinician } : {}), status: 'busy' });
  }
  const binaries = new JournaledMap<string, StoredBinary>();
  for (const d of copy.documents ?? []) {
    binaries.set(d.id, {
      id: d.id, fileName: d.fileName, contentType: d.contentType, bytes: seedDocumentBytes(d), uploadedBy: 'seed', uploaded: now.toISOString(),
      ...(d.intendedUbrn ? { intendedUbrn: d.intendedUbrn } : {}), ...(d.linked ? { linked: d.linked } : {}),
      ...(d.scanMinutesLeft ? { scanCompletes: new Date(now.getTime() + d.scanMinutesLeft * 60_000).toISOString() } : {}),
    });
  }
  for (const ref of referrals.values()) {
    for (const l of ref.letters) {
      binaries.set(l.binaryId, { id: l.binaryId, fileName: 'referral-letter.txt', contentType: 'text/plain', bytes: Buffer.from(`Referral letter for ${ref.ubrn}`, 'utf8'), intendedUbrn: ref.ubrn, uploadedBy: ref.referrer, uploaded: ref.created, linked: { ubrn: ref.ubrn, type: 'REFERRER' } });
    }
  }
  const store: Store = {
    organisations: new Map(copy.organisations.map((o) => [o.ods, o])),
    users: new Map(copy.users.map((u) => [u.id, u])),
    patients: new Map(copy.patients.map((p) => [p.nhsNumber, p])),
    services,
    referrals,
    adviceRequests,
    snomed: new Map(Object.entries(copy.snomed)),
    postcodes: new Map(Object.entries(copy.postcodes)),
    codeSystems: new Map(Object.entries(copy.codeSystems)),
    appointments,
    slots,
    binaries,
    seedRecords: referrals.size + adviceRequests.size + appointments.size + binaries.size,
    seedStoredBytes: [...binaries.values()].reduce((n, b) => n + b.bytes.length, 0),
    downloads: new Map(),
    locks: new Set(),
    now: () => new Date(),
    newAppointmentId() {
      for (;;) {
        // 8xxxxxxx: outside the seed's 705xxxxx range
        const id = `8${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
        if (!appointments.has(id)) return id;
      }
    },
    newUbrn() {
      for (;;) {
        // 7xxxxxxxxxxx: outside the seed's 3xxxxxxxxxxx range so created referrals are recognisable
        const ubrn = `7${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
        if (!referrals.has(ubrn) && !adviceRequests.has(ubrn)) return ubrn;
      }
    },
  };
  return store;
}

/** A seed document's content: its text, the anti-virus test signature when it stands for malware, padded to sizeBytes. */
function seedDocumentBytes(d: NonNullable<SeedData['documents']>[number]): Buffer {
  const text = d.malware ? `${antivirusTestSignature()}\n${d.text}` : d.text;
  const bytes = Buffer.from(text, 'utf8');
  if (!d.sizeBytes || d.sizeBytes <= bytes.length) return bytes;
  const padded = Buffer.alloc(d.sizeBytes, 0x20);
  bytes.copy(padded);
  return padded;
}

function fromSeedReferral(r: SeedReferral, seed: SeedData, baseUrl: string, now: Date): StoredReferral {
  const created = new Date(now.getTime() - r.createdDaysAgo * DAY_MS);
  const org = seed.organisations.find((o) => o.ods === r.referringOds);
  const criteria: CriteriaParameter[] = [
    { name: 'priority', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1', code: r.priority } },
    { name: 'specialty', valueCoding: { system: `${baseUrl}/STU3/CodeSystem/SPECIALTY`, code: r.specialty } },
    { name: 'clinicType', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ClinicType-1', code: r.clinicType } },
    { name: 'ageAndGenderAppropriate', valueBoolean: true },
  ];
  let booking: StoredBooking | undefined;
  if (r.booking) {
    const start = new Date(now.getTime() + r.booking.inDays * DAY_MS);
    start.setUTCHours(10, 30, 0, 0);
    booking = {
      service: r.booking.service,
      appointmentId: r.booking.appointmentId,
      start: start.toISOString(),
      end: new Date(start.getTime() + 15 * 60_000).toISOString(),
      status: 'booked',
      ...(r.booking.slot ? { slot: r.booking.slot } : {}),
      ...(r.booking.clinician ? { clinician: r.booking.clinician } : {}),
    };
  }
  return {
    ubrn: r.ubrn,
    requestId: `r.${randomUUID()}`,
    version: r.version,
    patient: r.patient,
    referrer: r.referrer,
    referringOds: r.referringOds,
    priority: r.priority,
    specialty: r.specialty,
    clinicType: r.clinicType,
    criteria,
    shortlist: [...r.shortlist],
    state: r.state,
    ...(r.stateReason ? { stateReason: r.stateReason } : {}),
    status: r.status,
    letterIntention: r.letterIntention,
    letterAttached: r.letterAttached ?? false,
    // a seeded letter: same document id scheme the A005 rendering has always used
    letters: r.letterAttached ? [{ binaryId: seedLetterId(r.ubrn), description: 'Referral letter', indexed: created.toISOString() }] : [],
    ...(r.letterIntention === 'NEED_TO_ADD_LATER' ? { letterDue: created.toISOString().slice(0, 10) } : {}),
    created: created.toISOString(),
    lastUpdated: new Date(created.getTime() + 3_600_000).toISOString(),
    pathwayStart: created.toISOString(),
    ...(r.letterAttached ? { clinicalInfoFirstSubmitted: created.toISOString() } : {}),
    commissioningRuleOrg: org?.commissioner ?? r.referringOds,
    ...(booking ? { booking } : {}),
    ...(r.deferredTo ? { deferredTo: r.deferredTo } : {}),
    ...(r.allocatedClinician ? { allocatedClinician: r.allocatedClinician } : {}),
  };
}

function fromSeedAdvice(a: SeedAdviceRequest, seed: SeedData, baseUrl: string, now: Date): StoredAdviceRequest {
  const created = new Date(now.getTime() - a.createdDaysAgo * DAY_MS).toISOString();
  const service = seed.services.find((s) => s.id === a.service);
  const priority = a.priority ?? 'ROUTINE';
  const requester = seed.users.find((u) => u.id === a.requester);
  const messages: StoredAdviceMessage[] = [{
    id: `${a.ubrn}-1`, sentBy: 'REQUESTER', author: a.requester, authorRole: requester?.roles[0]?.businessFunction ?? 'REFERRING_CLINICIAN', authorOds: a.requesterOds,
    sent: created, text: a.request ?? 'Please advise on this patient.', basedOnVersion: 1, attachments: [],
  }];
  if (a.response) {
    const responder = service?.workgroup[0] ?? '';
    messages.push({ id: `${a.ubrn}-2`, sentBy: 'RESPONDER', author: responder, authorRole: 'SERVICE_PROVIDER_CLINICIAN', authorOds: service?.provider ?? '', sent: new Date(Date.parse(created) + 3_600_000).toISOString(), text: a.response, basedOnVersion: Math.max(1, a.version - 1), attachments: [] });
  }
  return {
    ubrn: a.ubrn, requestId: `a.${randomUUID()}`, version: a.version, patient: a.patient, requester: a.requester, requesterOds: a.requesterOds, service: a.service,
    status: a.status, category: a.category ?? 'PROVIDER_RESPONSE_REQUIRED', conversion: a.conversion ?? 'AUTHORISED_TO_CONVERT', priority,
    ...(service ? { specialty: service.specialty, clinicType: service.clinicType } : {}),
    criteria: [
      { name: 'priority', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1', code: priority } },
      ...(service ? [
        { name: 'specialty', valueCoding: { system: `${baseUrl}/STU3/CodeSystem/SPECIALTY`, code: service.specialty } },
        { name: 'clinicType', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ClinicType-1', code: service.clinicType } },
      ] : []),
      { name: 'ageAndGenderAppropriate', valueBoolean: true },
    ],
    created, lastUpdated: messages.at(-1)!.sent, messages,
  };
}

/** Binary id of a seeded referral's letter (UUID-shaped, stable across runs). */
export function seedLetterId(ubrn: string): string {
  const h = createHash('sha256').update(`${ubrn}-letter`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
