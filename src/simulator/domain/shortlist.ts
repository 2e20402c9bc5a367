// Reads an eRS-Shortlist-List-1 (contained criteria + 1..20 service entries) from a create/change request.
import { unprocessable } from '../errors.ts';
import { EXT, ID } from '../fhir/systems.ts';
import type { CriteriaParameter, Store } from '../store.ts';
import { readCriteria, type Criteria } from './criteria.ts';
import { searchServices } from './search.ts';
import type { Patient } from '../seed/types.ts';

export const MAX_SHORTLIST = 20;

export interface Shortlist {
  criteria: Criteria;
  /** the contained criteria parameters as submitted, kept on the referral */
  criteriaParameters: CriteriaParameter[];
  services: { id: string; path: string }[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readShortlist(list: unknown, base: string, store: Store, now: Date): Shortlist {
  if (!isObject(list) || list.resourceType !== 'List') throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}resourceType: the shortlist must be a List resource`);
  const contained = list.contained ?? [];
  const extensions = list.extension ?? [];
  if (!Array.isArray(contained)) throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}contained: expected an array`);
  if (!Array.isArray(extensions)) throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}extension: expected an array`);
  const ext = extensions.find((e: unknown) => isObject(e) && e.url === EXT.shortlistCriteria) as Json | undefined;
  if (!ext) throw unprocessable('MISSING_VALUE', `${base}extension: the ${EXT.shortlistCriteria} extension is mandatory`);
  const reference = isObject(ext.valueReference) ? ext.valueReference.reference : undefined;
  if (typeof reference !== 'string' || !reference.startsWith('#')) {
    throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}extension[${extensions.indexOf(ext)}].valueReference.reference: expected a '#id' reference to the contained search criteria`);
  }
  const index = contained.findIndex((c: unknown) => isObject(c) && c.id === reference.slice(1));
  if (index < 0) throw unprocessable('REFERENCE_NOT_FOUND', `${base}extension[${extensions.indexOf(ext)}].valueReference.reference: no contained resource '${reference}'`);
  const criteriaResource = contained[index] as Json;
  const criteria = readCriteria(criteriaResource, `${base}contained[${index}].`, store, now);

  const entries = list.entry ?? [];
  if (!Array.isArray(entries)) throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}entry: expected an array`);
  if (entries.length === 0) throw unprocessable('MISSING_VALUE', `${base}entry: the shortlist needs at least one service`);
  if (entries.length > MAX_SHORTLIST) throw unprocessable('TOO_MANY_ITEMS', `${base}entry: ${entries.length} services shortlisted, at most ${MAX_SHORTLIST} are allowed`);
  const seen = new Set<string>();
  const services = entries.map((e: unknown, i) => {
    const path = `${base}entry[${i}].item.identifier`;
    const identifier = isObject(e) && isObject(e.item) ? e.item.identifier : undefined;
    if (!isObject(identifier) || typeof identifier.value !== 'string') throw unprocessable('INVALID_FHIR_STRUCTURE', `${path}: expected an Identifier with a string value`);
    if (identifier.system !== ID.ersService) throw unprocessable('INVALID_VALUE', `${path}.system: expected '${ID.ersService}'`);
    if (seen.has(identifier.value)) throw unprocessable('DUPLICATE_SERVICE', `${path}.value: service ${identifier.value} is on the shortlist more than once`);
    seen.add(identifier.value);
    return { id: identifier.value, path: `${path}.value` };
  });
  return { criteria, criteriaParameters: structuredClone(criteriaResource.parameter as CriteriaParameter[]), services };
}

/**
 * The shortlist rules shared by A011, A021, A031 and A032: every service known, taking appointment or triage
 * requests, needing no letter when none is intended, and returned by the shortlist's own search criteria.
 */
export function checkShortlistedServices(shortlist: Shortlist, intention: string, patient: Patient, store: Store): void {
  const results = new Set(searchServices(store, { requestType: 'APPOINTMENT_REQUEST', sortBy: 'DISTANCE', criteria: shortlist.criteria, patient }).map((h) => h.service.id));
  for (const { id, path } of shortlist.services) {
    const service = store.services.get(id);
    if (!service) throw unprocessable('REFERENCE_NOT_FOUND', `${path}: service ${id} is not known`);
    if (!service.flows.includes('APPOINTMENT_REQUEST') && !service.flows.includes('TRIAGE_REQUEST')) {
      throw unprocessable('INAPPROPRIATE_VALUE', `${path}: service ${id} does not accept appointment requests (flows: ${service.flows.join(', ')})`);
    }
    if (intention === 'NOT_INTENDING_TO_ADD' && service.referralLetterRequired) {
      throw unprocessable('INAPPROPRIATE_VALUE', `${path}: service ${id} requires a referral letter but intentionToAddReferralLetter is NOT_INTENDING_TO_ADD`);
    }
    if (!results.has(id)) throw unprocessable('SHORTLISTED_SERVICE_NOT_IN_RESULTS', `${path}: service ${id} is not returned by the shortlist's search criteria`);
  }
}
