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
  /** A&G services: time e-RS takes to record a response or conversion, in ms (the request stays locked meanwhile) */
  adviceLatencyMs?: number;
  /** directory record version: R4 meta.versionId and the weak ETag of A033/A037 (default 1) */
  version?: number;
  /** R4 directory details (A033/A035 extensions) */
  hoursOfOperation?: string;
  instructions?: string;
  contacts?: ServiceContact[];
}

/** A contact of a service (Extension-eRS-HealthcareService-Contact): contactentity-type code or HEALTHCARE_PROFESSIONALS. */
export interface ServiceContact {
  purpose: 'BILL' | 'ADMIN' | 'HR' | 'PAYOR' | 'PATINF' | 'PRESS' | 'HEALTHCARE_PROFESSIONALS';
  system: 'phone' | 'email';
  value: string;
}

/** ok | error (502 PAS_RESPONDED_WITH_ERROR) | timeout (504 PAS_NOT_RESPONDING) | refuse (422 UNABLE_TO_CONFIRM/CANCEL_APPOINTMENT) */
export type PasOutcome = 'ok' | 'error' | 'timeout' | 'refuse';

export interface SeedPas {
  book?: PasOutcome;
  cancel?: PasOutcome;
  /** time the simulated PAS takes to answer, in ms (the referral stays locked meanwhile) */
  latencyMs?: number;
}

/** eRS-AttachmentType-1: who attached a file and why (A012 letters, reviews, A&G requests and guidance). */
export type AttachmentType = 'REFERRER' | 'PROVIDER' | 'ADVICE_REQUEST' | 'GUIDANCE_RESPONSE';

/** A file already in the document store (A020), optionally linked to a referral. */
export interface SeedDocument {
  id: string;
  fileName: string;
  contentType: string;
  /** UBRN given in NHSD-eRS-Referral-ID at upload */
  intendedUbrn?: string;
  /** referral and attachment type the file is linked to */
  linked?: { ubrn: string; type: AttachmentType };
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

/** eRS-AdviceAndGuidanceStatus-1 (catalogue 8.3). */
export type AdviceCategory =
  | 'PROVIDER_RESPONSE_REQUIRED' | 'REFERRER_TO_SUBMIT_FURTHER_INFORMATION' | 'REFERRER_TO_REVIEW_RESPONSE'
  | 'CONVERTED' | 'CONVERSATION_ENDED_CANCELLED' | 'CONVERSATION_ENDED_CLOSED';

export interface SeedAdviceRequest {
  ubrn: string;
  version: number;
  patient: string;
  requester: string;
  requesterOds: string;
  service: string;
  status: 'active' | 'cancelled' | 'completed';
  createdDaysAgo: number;
  /** where the conversation stands (default PROVIDER_RESPONSE_REQUIRED) */
  category?: AdviceCategory;
  /** whether the referrer let the provider convert it to a referral (default AUTHORISED_TO_CONVERT) */
  conversion?: 'AUTHORISED_TO_CONVERT' | 'NOT_AUTHORISED_TO_CONVERT';
  /** default ROUTINE */
  priority?: string;
  /** the referrer's request text (the first message of the conversation) */
  request?: string;
  /** a provider reply already sent (seeded conversations that moved past the first message) */
  response?: string;
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
