import { newParameters, parameterTypes, PROFILES, type Parameters } from './parameters.ts';

// Request bodies for the e-RS operations, built from intent-resolved values. Scenarios then
// change individual parameters to provoke each documented error.

export interface SearchCriteriaValues { [name: string]: string | undefined }

export function buildSearchCriteria(values: SearchCriteriaValues, fhirBase: string, id = 'serviceSearchCriteria'): Parameters {
  return newParameters(PROFILES.serviceSearchCriteria, { ageAndGenderAppropriate: 'true', ...values }, parameterTypes(fhirBase).searchCriteria, id);
}

/** A010 body: requestType, sortBy, patient, the criteria resource, and optional referring clinician. */
export function buildServiceSearch(opts: { patient: string; criteria: Parameters; requestType?: string; sortBy?: string; referringClinician?: string; commissioningRuleOrganisation?: string }, fhirBase: string): Parameters {
  const params = newParameters(
    PROFILES.patientServiceSearch,
    {
      requestType: opts.requestType ?? 'APPOINTMENT_REQUEST',
      sortBy: opts.sortBy ?? 'DISTANCE',
      patient: opts.patient,
      referringClinician: opts.referringClinician,
      commissioningRuleOrganisation: opts.commissioningRuleOrganisation,
    },
    parameterTypes(fhirBase).serviceSearch,
  );
  // searchCriteria sits after patient, as in the e-RS examples.
  params.parameter.splice(3, 0, { name: 'searchCriteria', resource: opts.criteria });
  return params;
}

/** A shortlist List (eRS-Shortlist-List-1) holding the search criteria used and the chosen services. */
export function buildShortlist(criteria: Parameters, serviceIds: string[]): Record<string, unknown> {
  const contained = { ...structuredClone(criteria), id: criteria.id ?? 'serviceSearchCriteria' };
  return {
    resourceType: 'List',
    meta: { profile: [PROFILES.shortlist] },
    extension: [
      { url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Shortlist-SearchCriteria-1', valueReference: { reference: `#${contained.id}` } },
    ],
    contained: [contained],
    status: 'current',
    mode: 'snapshot',
    entry: serviceIds.map((id) => ({ item: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: id } } })),
  };
}

/** A011 body. */
export function buildCreateReferral(opts: { patient: string; shortlist: Record<string, unknown>; referringClinician?: string; intention?: string; followUpDays?: string; pathwayStart?: string }, fhirBase: string): Parameters {
  const params = newParameters(
    PROFILES.createReferral,
    {
      patient: opts.patient,
      referringClinician: opts.referringClinician,
      intentionToAddReferralLetter: opts.intention ?? 'NEED_TO_ADD_LATER',
      firstReminderLetterFollowUpDays: opts.followUpDays ?? '0',
      eReferralPathwayStart: opts.pathwayStart,
    },
    parameterTypes(fhirBase).createReferral,
  );
  params.parameter.push({ name: 'shortlist', resource: opts.shortlist });
  return params;
}

/** A008 body. */
export function buildWorklistRequest(values: Record<string, string | undefined>, fhirBase: string): Parameters {
  return newParameters(PROFILES.fetchWorklist, values, parameterTypes(fhirBase).worklist);
}

/** The FHIR base used in reference-data code systems: the target's own base URL. */
export function fhirBaseOf(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
