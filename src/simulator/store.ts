// In-memory state of one simulator instance, built from the seed and rebuilt on reset().
import { randomInt, randomUUID } from 'node:crypto';
import type {
  Organisation, Patient, SeedCodeSystem, SeedCoding, SeedData, SeedReferral, Service, User,
} from './seed/types.ts';

export interface StoredBooking {
  service: string;
  appointmentId: string;
  slot?: string;
  start: string;
  end: string;
  clinician?: string;
  status: 'booked' | 'proposed' | 'cancelled';
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
  letterDue?: string;
  created: string;
  lastUpdated: string;
  pathwayStart: string;
  clinicalInfoFirstSubmitted?: string;
  commissioningRuleOrg: string;
  booking?: StoredBooking;
  deferredTo?: string;
  allocatedClinician?: string;
}

export interface StoredAdviceRequest {
  ubrn: string;
  requestId: string;
  version: number;
  patient: string;
  requester: string;
  requesterOds: string;
  service: string;
  status: 'active' | 'cancelled' | 'completed';
  created: string;
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
  /** a fresh 12-digit UBRN held by nothing in the store */
  newUbrn(): string;
}

const DAY_MS = 86_400_000;

export function createStore(seed: SeedData, baseUrl: string, now: Date = new Date()): Store {
  const copy = structuredClone(seed);
  const referrals = new Map(copy.referrals.map((r) => [r.ubrn, fromSeedReferral(r, copy, baseUrl, now)]));
  const adviceRequests = new Map(
    copy.adviceRequests.map((a) => [
      a.ubrn,
      { ...a, requestId: `a.${randomUUID()}`, created: new Date(now.getTime() - a.createdDaysAgo * DAY_MS).toISOString() },
    ]),
  );
  const store: Store = {
    organisations: new Map(copy.organisations.map((o) => [o.ods, o])),
    users: new Map(copy.users.map((u) => [u.id, u])),
    patients: new Map(copy.patients.map((p) => [p.nhsNumber, p])),
    services: new Map(copy.services.map((s) => [s.id, s])),
    referrals,
    adviceRequests,
    snomed: new Map(Object.entries(copy.snomed)),
    postcodes: new Map(Object.entries(copy.postcodes)),
    codeSystems: new Map(Object.entries(copy.codeSystems)),
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
