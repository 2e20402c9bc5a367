// Shapes of the seed data files (seed/*.yaml); the store holds mutable copies of these.

export type OrgType = 'GP_PRACTICE' | 'TRUST' | 'SITE' | 'COMMISSIONER';

export interface Organisation {
  ods: string;
  name: string;
  type: OrgType;
  status: 'ACTIVE' | 'CLOSED';
  postcode?: string;
  parent?: string;
  /** commissioning rule organisation for referrals raised here */
  commissioner?: string;
}

export interface UserRole {
  ods: string;
  businessFunction: string;
  actsFor?: string[];
}

export interface User {
  id: string;
  name: string;
  active: boolean;
  roles: UserRole[];
}

export interface Patient {
  nhsNumber: string;
  name: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  postcode?: string;
  registeredGp: string | null;
  sensitive?: boolean;
  /** false: the patient has no access code for the patient portal (A019 NO_ACCESS_CODE); default true */
  portalAccessCode?: boolean;
}

export type RequestFlow = 'APPOINTMENT_REQUEST' | 'TRIAGE_REQUEST' | 'ADVICE_AND_GUIDANCE_REQUEST';

export interface Service {
  id: string;
  name: string;
  provider: string;
  location: string;
  specialty: string;
  clinicType: string;
  bookableType: 'DIRECTLY_BOOKABLE' | 'INDIRECTLY_BOOKABLE' | 'UNSPECIFIED';
  flows: RequestFlow[];
  appointmentType: string;
  priorities: string[];
  clinicalTerms: string[];
  clinicians: string[];
  workgroup: string[];
  iwt: number | 'LIMITED_AVAILABILITY' | 'NOT_APPLICABLE';
  referralLetterRequired: boolean;
  genderTreated: 'MALE_AND_FEMALE' | 'MALE' | 'FEMALE';
  active: boolean;
  /** directly bookable services: free slots generated per working day for the next SLOT_DAYS days (default 4; 0 = no slots) */
  slotsPerDay?: number;
  /** how the service's simulated PAS answers bookings and cancellations (default ok, no latency) */
  pas?: SeedPas;
}

/** ok | error (502 PAS_RESPONDED_WITH_ERROR) | timeout (504 PAS_NOT_RESPONDING) | refuse (422 UNABLE_TO_CONFIRM/CANCEL_APPOINTMENT) */
export type PasOutcome = 'ok' | 'error' | 'timeout' | 'refuse';

export interface SeedPas {
  book?: PasOutcome;
  cancel?: PasOutcome;
  /** time the simulated PAS takes to answer, in ms (the referral stays locked meanwhile) */
  latencyMs?: number;
}

/** A file already in the document store (A020), optionally linked to a referral. */
export interface SeedDocument {
  id: string;
  fileName: string;
  contentType: string;
  /** UBRN given in NHSD-eRS-Referral-ID at upload */
  intendedUbrn?: string;
  /** referral and attachment type the file is linked to */
  linked?: { ubrn: string; type: 'REFERRER' | 'PROVIDER' };
  /** file content (text) */
  text: string;
  /** minutes until its malware scan finishes (PENDING until then); default 0 = already scanned */
  scanMinutesLeft?: number;
  /** the content carries the standard anti-virus test signature, so the scan quarantines it (THREATS_FOUND) */
  malware?: boolean;
  /** pad the content with spaces to this many bytes (files larger than A006's 5 MB limit) */
  sizeBytes?: number;
}

export interface SeedCoding {
  system?: string;
  /** a code from one of the A004 reference code systems, resolved to {baseUrl}/STU3/CodeSystem/{type} */
  codeSystemType?: string;
  code: string;
}

export interface SeedBooking {
  service: string;
  appointmentId: string;
  slot?: string;
  inDays: number;
  clinician?: string;
}

export interface SeedReferral {
  ubrn: string;
  version: number;
  patient: string;
  referrer: string;
  referringOds: string;
  priority: string;
  specialty: string;
  clinicType: string;
  shortlist: string[];
  state: string;
  stateReason?: SeedCoding;
  status: 'active' | 'cancelled' | 'completed';
  letterIntention: 'NEED_TO_ADD_LATER' | 'NOT_INTENDING_TO_ADD';
  letterAttached?: boolean;
  createdDaysAgo: number;
  booking?: SeedBooking;
  deferredTo?: string;
  allocatedClinician?: string;
}

export interface SeedAdviceRequest {
  ubrn: string;
  version: number;
  patient: string;
  requester: string;
  requesterOds: string;
  service: string;
  status: 'active' | 'cancelled' | 'completed';
  createdDaysAgo: number;
}

export interface SeedConcept {
  code: string;
  display: string;
  effectiveFrom?: string;
  effectiveTo?: string;
  [property: string]: unknown;
}

export interface SeedCodeSystem {
  name: string;
  concepts: SeedConcept[];
}

export interface SeedData {
  organisations: Organisation[];
  users: User[];
  patients: Patient[];
  services: Service[];
  referrals: SeedReferral[];
  adviceRequests: SeedAdviceRequest[];
  snomed: Record<string, string>;
  postcodes: Record<string, [number, number]>;
  codeSystems: Record<string, SeedCodeSystem>;
  /** files already in the document store (seed/documents.yaml) */
  documents?: SeedDocument[];
}
