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
}
