// Service search over the store: the A010 result set, re-run by A011 to check a shortlist.
import type { Patient, RequestFlow, Service } from '../seed/types.ts';
import type { Store } from '../store.ts';
import type { Criteria } from './criteria.ts';

export interface SearchHit {
  service: Service;
  /** miles from the search postcode (or the patient's home postcode) to the service location */
  distance?: number;
}

export const MAX_RESULTS = 50;

export interface SearchInput {
  requestType: 'APPOINTMENT_REQUEST' | 'ADVICE_AND_GUIDANCE_REQUEST';
  sortBy: 'DISTANCE' | 'IWT';
  criteria: Criteria;
  patient: Patient;
}

export function searchServices(store: Store, input: SearchInput): SearchHit[] {
  const { criteria, patient } = input;
  const flows: RequestFlow[] = input.requestType === 'ADVICE_AND_GUIDANCE_REQUEST' ? ['ADVICE_AND_GUIDANCE_REQUEST'] : ['APPOINTMENT_REQUEST', 'TRIAGE_REQUEST'];
  const origin = store.postcodes.get(criteria.postcode ?? patient.postcode ?? '');
  const hits: SearchHit[] = [];
  for (const service of store.services.values()) {
    if (!service.active || !service.flows.some((f) => flows.includes(f))) continue;
    if (!service.priorities.includes(criteria.priority)) continue;
    if (criteria.specialty && service.specialty !== criteria.specialty) continue;
    if (criteria.clinicType && service.clinicType !== criteria.clinicType) continue;
    if (criteria.clinicalTerm && !service.clinicalTerms.includes(criteria.clinicalTerm)) continue;
    if (criteria.namedClinician && !service.clinicians.includes(criteria.namedClinician)) continue;
    if (criteria.organisation && service.provider !== criteria.organisation && service.location !== criteria.organisation) continue;
    if (criteria.ageAndGenderAppropriate && !treatsGender(service, patient)) continue;
    if (criteria.iwtLimit !== undefined && (typeof service.iwt !== 'number' || service.iwt > criteria.iwtLimit)) continue;
    const distance = distanceTo(store, origin, service);
    if (criteria.distanceLimit !== undefined && (distance === undefined || distance > criteria.distanceLimit)) continue;
    hits.push(distance === undefined ? { service } : { service, distance });
  }
  hits.sort(input.sortBy === 'IWT' ? byIwt : byDistance);
  return hits.slice(0, MAX_RESULTS);
}

function treatsGender(service: Service, patient: Patient): boolean {
  if (service.genderTreated === 'MALE_AND_FEMALE') return true;
  return service.genderTreated.toLowerCase() === patient.gender;
}

function distanceTo(store: Store, origin: [number, number] | undefined, service: Service): number | undefined {
  const site = store.organisations.get(service.location);
  const target = store.postcodes.get(site?.postcode ?? '');
  if (!origin || !target) return undefined;
  return Math.round(Math.hypot(origin[0] - target[0], origin[1] - target[1]));
}

const iwtRank = (s: Service) => (typeof s.iwt === 'number' ? s.iwt : Number.MAX_SAFE_INTEGER);
const byName = (a: SearchHit, b: SearchHit) => a.service.name.localeCompare(b.service.name);
const byDistance = (a: SearchHit, b: SearchHit) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || byName(a, b);
const byIwt = (a: SearchHit, b: SearchHit) => iwtRank(a.service) - iwtRank(b.service) || byName(a, b);
