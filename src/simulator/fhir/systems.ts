// FHIR URLs used in simulator payloads (catalogue sections 12 and 13).
export const SD = 'https://fhir.nhs.uk/STU3/StructureDefinition';
export const CS = 'https://fhir.nhs.uk/STU3/CodeSystem';

export const PROFILE = {
  referralRequest: `${SD}/eRS-ReferralRequest-1`,
  criteria: `${SD}/eRS-ServiceSearchCriteria-Parameters-1`,
  shortlist: `${SD}/eRS-Shortlist-List-1`,
  appointment: `${SD}/eRS-Appointment-1`,
  careConnectAppointment: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Appointment-1',
  documentReference: `${SD}/eRS-DocumentReference-1`,
  fetchServices: `${SD}/eRS-FetchServices-List-1`,
  fetchWorklist: `${SD}/eRS-FetchWorklist-List-1`,
  patient: `${SD}/eRS-Patient-1`,
  practitioner: `${SD}/eRS-Practitioner-1`,
  specialtyCodeSystem: `${SD}/eRS-Specialty-CodeSystem-1`,
  shareableCodeSystem: 'http://hl7.org/fhir/StructureDefinition/shareablecodesystem',
  /** what e-RS claims on its searchset Bundles (A015, A029 examples) */
  bundle: 'http://hl7.org/fhir/STU3/StructureDefinition/Bundle',
} as const;

export const EXT = {
  appointment: `${SD}/Extension-eRS-Appointment-1`,
  appointmentReference: `${SD}/Extension-eRS-Appointment-Reference-1`,
  clinicalInfoFirstSubmitted: `${SD}/Extension-eRS-ClinicalInfoFirstSubmitted-1`,
  pathwayStart: `${SD}/Extension-eRS-eReferralPathwayStart-1`,
  priority: `${SD}/Extension-eRS-ReferralPriority-1`,
  shortlist: `${SD}/Extension-eRS-ReferralShortlist-1`,
  commissioningRuleOrg: `${SD}/Extension-eRS-Commissioning-Rule-Org-1`,
  state: `${SD}/Extension-eRS-ReferralState-1`,
  shortlistCriteria: `${SD}/Extension-eRS-Shortlist-SearchCriteria-1`,
  availability: `${SD}/Extension-eRS-AvailabilityStatus-1`,
  attachedBy: `${SD}/Extension-eRS-AttachedBy-1`,
  attachedByOrganisation: `${SD}/Extension-eRS-AttachedByOrganisation-1`,
  serviceListItem: `${SD}/Extension-eRS-ServiceSearch-ListItem-1`,
  serviceSummary: `${SD}/Extension-eRS-ServiceSummaryView-1`,
} as const;

export const SYSTEM = {
  priority: `${CS}/eRS-Priority-1`,
  clinicType: `${CS}/eRS-ClinicType-1`,
  referralState: `${CS}/eRS-ReferralState-1`,
  requestType: `${CS}/eRS-RequestType-1`,
  sortBy: `${CS}/eRS-SortBy-1`,
  letterIntention: `${CS}/eRS-ReferralLetterIntention-1`,
  commissioningProvisioning: `${CS}/eRS-CommissioningProvisioning-1`,
  listSelector: `${CS}/eRS-ReferralListSelector-1`,
  assignedIndicator: `${CS}/eRS-AssignedIndicator-1`,
  iwt: `${CS}/eRS-IWT-1`,
  bookableType: `${CS}/eRS-BookableType-1`,
  appointmentType: `${CS}/eRS-AppointmentType-1`,
  requestFlowType: `${CS}/eRS-RequestFlowType-1`,
  genderTreated: `${CS}/eRS-GenderTreated-1`,
  requestContextStatus: `${CS}/eRS-RequestContextStatus-1`,
  referralType: `${CS}/eRS-ReferralType-1`,
  clinicalInformationStatus: `${CS}/eRS-ClinicalInformationStatus-1`,
  attachmentType: `${CS}/eRS-AttachmentType-1`,
  availabilityStatus: `${CS}/eRS-AvailabilityStatus-1`,
  conceptProperties: `${CS}/eRS-Concept-Properties-1`,
  businessFunction: `${CS}/eRS-BusinessFunction-1`,
  snomed: 'http://snomed.info/sct',
  listEmptyReason: 'http://hl7.org/fhir/ValueSet/list-empty-reason',
  participantType: 'http://hl7.org/fhir/ValueSet/encounter-participant-type',
} as const;

export const ID = {
  nhsNumber: 'http://fhir.nhs.net/Id/nhs-number',
  sdsUser: 'http://fhir.nhs.net/Id/sds-user-id',
  ersService: 'http://fhir.nhs.net/Id/ers-service',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  directoryOrganisation: 'https://directory.spineservices.nhs.uk/STU3/Organization',
  requestId: 'https://fhir.nhs.uk/Id/ers-request-id',
} as const;

/** {baseUrl}/STU3/CodeSystem/{TYPE}: the A004 reference code systems, served from this simulator's base. */
export function referenceSystem(baseUrl: string, type: string): string {
  return `${baseUrl}/STU3/CodeSystem/${type}`;
}

/** Accepts the reference system from any e-RS base (live base, sandbox placeholder, this simulator). */
export function isReferenceSystem(system: unknown, type: string): boolean {
  return typeof system === 'string' && system.endsWith(`/STU3/CodeSystem/${type}`);
}
