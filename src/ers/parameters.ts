// Building e-RS FHIR Parameters bodies from named values. Each operation's parameters have a FHIR
// type (catalogue section 2 request bodies); scenarios give plain values and this module types them,
// so a feature can say "distanceLimit = 10" and get {"name":"distanceLimit","valueUnsignedInt":10}.

export type ParamType =
  | { kind: 'coding'; system: string }
  | { kind: 'codeableConcept'; system: string }
  | { kind: 'identifier'; system: string }
  | { kind: 'string' }
  | { kind: 'unsignedInt' }
  | { kind: 'boolean' }
  | { kind: 'instant' };

export interface Parameter {
  name: string;
  [valueKey: string]: unknown;
}

export interface Parameters {
  resourceType: 'Parameters';
  id?: string;
  meta?: { profile?: string[] };
  parameter: Parameter[];
}

const CS = 'https://fhir.nhs.uk/STU3/CodeSystem/';
const NHS_NUMBER = 'http://fhir.nhs.net/Id/nhs-number';
const SDS_USER = 'http://fhir.nhs.net/Id/sds-user-id';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const ERS_SERVICE = 'http://fhir.nhs.net/Id/ers-service';
const SPINE_ORG = 'https://directory.spineservices.nhs.uk/STU3/Organization';

/** Reference-data code systems live under the e-RS base: {base}/STU3/CodeSystem/{TYPE}. */
export function referenceDataSystem(type: string, fhirBase = '_baseUrl_'): string {
  return `${fhirBase.replace(/\/+$/, '')}/STU3/CodeSystem/${type}`;
}

export const PROFILES = {
  patientServiceSearch: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-PatientServiceSearch-Parameters-1',
  serviceSearchCriteria: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1',
  createReferral: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateReferral-Parameters-1',
  shortlist: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Shortlist-List-1',
  fetchWorklist: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1',
  createAdviceAndGuidance: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateAdviceAndGuidance-Request-Parameters-1',
  sendCommunicationToRequester: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-SendCommunicationToRequester-Request-Parameters-1',
  createFromCommunicationRequest: 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateFromCommunicationRequestActionLater-Request-Parameters-1',
} as const;

/** Parameter types per body kind; the specialty system depends on the target's base, so it is a function. */
export type ParametersKind = 'serviceSearch' | 'searchCriteria' | 'createReferral' | 'worklist' | 'changeShortlist' | 'maintainReferralLetter'
  | 'adviceWorklist' | 'createAdvice' | 'adviceResponse' | 'adviceConversion';

export function parameterTypes(fhirBase: string): Record<ParametersKind, Record<string, ParamType>> {
  const specialty: ParamType = { kind: 'coding', system: referenceDataSystem('SPECIALTY', fhirBase) };
  // the provider worklist filters of A008, which A023 shares
  const providerFilters: Record<string, ParamType> = {
    service: { kind: 'identifier', system: ERS_SERVICE },
    specialtyAssignedIndicator: { kind: 'codeableConcept', system: `${CS}eRS-AssignedIndicator-1` },
    specialty: { kind: 'codeableConcept', system: referenceDataSystem('SPECIALTY', fhirBase) },
    location: { kind: 'identifier', system: SPINE_ORG },
    clinicianAssignedIndicator: { kind: 'codeableConcept', system: `${CS}eRS-AssignedIndicator-1` },
    clinician: { kind: 'identifier', system: SDS_USER },
  };
  return {
    serviceSearch: {
      requestType: { kind: 'coding', system: `${CS}eRS-RequestType-1` },
      sortBy: { kind: 'coding', system: `${CS}eRS-SortBy-1` },
      patient: { kind: 'identifier', system: NHS_NUMBER },
      referringClinician: { kind: 'identifier', system: SDS_USER },
      commissioningRuleOrganisation: { kind: 'identifier', system: ODS },
    },
    searchCriteria: {
      priority: { kind: 'coding', system: `${CS}eRS-Priority-1` },
      specialty,
      clinicType: { kind: 'coding', system: `${CS}eRS-ClinicType-1` },
      indicativeAppointmentWaitTimeLimit: { kind: 'unsignedInt' },
      postcode: { kind: 'string' },
      distanceLimit: { kind: 'unsignedInt' },
      clinicalTerm: { kind: 'coding', system: 'http://snomed.info/sct' },
      namedClinician: { kind: 'identifier', system: SDS_USER },
      ageAndGenderAppropriate: { kind: 'boolean' },
      commissioningProvisioning: { kind: 'coding', system: `${CS}eRS-CommissioningProvisioning-1` },
      organisation: { kind: 'identifier', system: SPINE_ORG },
    },
    createReferral: {
      patient: { kind: 'identifier', system: NHS_NUMBER },
      referringClinician: { kind: 'identifier', system: SDS_USER },
      intentionToAddReferralLetter: { kind: 'coding', system: `${CS}eRS-ReferralLetterIntention-1` },
      firstReminderLetterFollowUpDays: { kind: 'unsignedInt' },
      eReferralPathwayStart: { kind: 'instant' },
    },
    // A031 / A032 (the shortlist itself is a resource, changed through its own draft)
    changeShortlist: {
      intentionToAddReferralLetter: { kind: 'coding', system: `${CS}eRS-ReferralLetterIntention-1` },
      firstReminderLetterFollowUpDays: { kind: 'unsignedInt' },
    },
    // A012: only referralLetterFile resources; any other name is sent as a string
    maintainReferralLetter: {},
    worklist: { listType: { kind: 'codeableConcept', system: `${CS}eRS-ReferralListSelector-1` }, ...providerFilters },
    // A023: A008's provider filters with the A&G list selector
    adviceWorklist: { listType: { kind: 'codeableConcept', system: `${CS}eRS-CommunicationListSelector-1` }, ...providerFilters },
    // A044 (the shortlist and attachments are resources, changed through their own steps)
    createAdvice: {
      patient: { kind: 'identifier', system: NHS_NUMBER },
      providerConversionAuthorisation: { kind: 'coding', system: `${CS}eRS-ProviderConversionAuthorisation-1` },
      request: { kind: 'string' },
      referringClinician: { kind: 'identifier', system: SDS_USER },
    },
    // A026
    adviceResponse: {
      guidanceOutcome: { kind: 'coding', system: `${CS}eRS-GuidanceResponseOutcome-1` },
      guidanceIntendedRecommendation: { kind: 'coding', system: `${CS}eRS-GuidanceIntendedRecommendation-1` },
      guidance: { kind: 'string' },
      updatedPriority: { kind: 'coding', system: `${CS}eRS-Priority-1` },
    },
    // A027 (createFrom is a reference, set by the step that names the version)
    adviceConversion: {
      guidance: { kind: 'string' },
      newReferralPriority: { kind: 'coding', system: `${CS}eRS-Priority-1` },
      reviewComments: { kind: 'string' },
    },
  };
}

/** One typed parameter; throws naming the parameter when the value does not fit its type. */
export function typedParameter(name: string, value: string, type: ParamType | undefined): Parameter {
  if (!type) return { name, valueString: value }; // an unknown parameter: sent as a string on purpose
  switch (type.kind) {
    case 'coding':
      return { name, valueCoding: { system: type.system, code: value } };
    case 'codeableConcept':
      return { name, valueCodeableConcept: { coding: [{ system: type.system, code: value }] } };
    case 'identifier':
      return { name, valueIdentifier: { system: type.system, value } };
    case 'string':
      return { name, valueString: value };
    case 'unsignedInt': {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new Error(`parameter ${name} needs a whole number, got "${value}"`);
      return { name, valueUnsignedInt: n };
    }
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw new Error(`parameter ${name} needs true or false, got "${value}"`);
      return { name, valueBoolean: value === 'true' };
    case 'instant':
      return { name, valueInstant: value };
  }
}

/** Set (replace), or remove with value undefined, a parameter by name, keeping the others' order. */
export function setParameter(params: Parameters, name: string, value: string | undefined, types: Record<string, ParamType>): void {
  const at = params.parameter.findIndex((p) => p.name === name);
  if (value === undefined) {
    if (at >= 0) params.parameter.splice(at, 1);
    return;
  }
  const typed = typedParameter(name, value, types[name]);
  if (at >= 0) params.parameter[at] = typed;
  else params.parameter.push(typed);
}

export function getParameter(params: Parameters, name: string): Parameter | undefined {
  return params.parameter.find((p) => p.name === name);
}

export function newParameters(profile: string, values: Record<string, string | undefined>, types: Record<string, ParamType>, id?: string): Parameters {
  const params: Parameters = { resourceType: 'Parameters', ...(id ? { id } : {}), meta: { profile: [profile] }, parameter: [] };
  for (const [name, value] of Object.entries(values)) setParameter(params, name, value, types);
  return params;
}
