// Reading the R4 directory and identity answers (A030, A033, A035, A037, A040, A041) and checking a searchset's
// shape. Total functions like read.ts: odd input gives empty results, and checks return problems as text.
import { asArray, asObject, resourceType } from './read.ts';

type Json = Record<string, unknown>;

export const R4_IDENTIFIER = {
  sdsUser: 'https://fhir.nhs.uk/Id/sds-user-id',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  ubrn: 'https://fhir.nhs.uk/Id/UBRN',
} as const;
export const BUSINESS_FUNCTION_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/eRS-BusinessFunction-1';

/** The resources of a Bundle's entries, in order. */
export function entryResources(bundle: unknown): Json[] {
  return asArray(asObject(bundle)?.entry).map((e) => asObject(asObject(e)?.resource)).filter((r): r is Json => !!r);
}

/**
 * What a searchset must carry (catalogue A030/A035/A040/A041: id, meta.lastUpdated, timestamp, total, self link,
 * full URLs, search.mode match); returns the problems found, [] when none.
 */
export function searchsetProblems(bundle: unknown): string[] {
  const b = asObject(bundle);
  if (resourceType(b) !== 'Bundle') return [`not a Bundle (${resourceType(b) ?? 'no resourceType'})`];
  const problems: string[] = [];
  if (b!.type !== 'searchset') problems.push(`type is ${JSON.stringify(b!.type)}, not "searchset"`);
  if (typeof b!.id !== 'string' || b!.id === '') problems.push('no Bundle.id');
  if (typeof asObject(b!.meta)?.lastUpdated !== 'string') problems.push('no meta.lastUpdated');
  if (typeof b!.timestamp !== 'string') problems.push('no timestamp');
  const entries = asArray(b!.entry).map(asObject);
  if (b!.total !== entries.length) problems.push(`total is ${JSON.stringify(b!.total)} but the Bundle holds ${entries.length} entries`);
  if (!asArray(b!.link).map(asObject).some((l) => l?.relation === 'self' && typeof l.url === 'string')) problems.push('no self link');
  entries.forEach((e, i) => {
    const r = asObject(e?.resource);
    const fullUrl = e?.fullUrl;
    if (typeof fullUrl !== 'string' || !r || !fullUrl.endsWith(`${String(r.resourceType)}/${String(r.id)}`)) problems.push(`entry[${i}].fullUrl ${JSON.stringify(fullUrl)} does not end with its resource's Type/id`);
    if (asObject(e?.search)?.mode !== 'match') problems.push(`entry[${i}].search.mode is not "match"`);
  });
  return problems;
}

export interface HeldRole { id: string; user?: string; ods?: string; businessFunctions: string[] }

/** The roles an A030 Bundle says the user holds, one per organisation. */
export function heldRoles(bundle: unknown): HeldRole[] {
  return entryResources(bundle)
    .filter((r) => r.resourceType === 'PractitionerRole')
    .map((r) => {
      const practitioner = asObject(asObject(r.practitioner)?.identifier);
      const organisation = asObject(asObject(r.organization)?.identifier);
      const codes = asArray(r.code).flatMap((c) => asArray(asObject(c)?.coding)).map(asObject);
      return {
        id: String(r.id),
        user: practitioner?.system === R4_IDENTIFIER.sdsUser ? (practitioner.value as string) : undefined,
        ods: organisation?.system === R4_IDENTIFIER.odsOrganisation ? (organisation.value as string) : undefined,
        businessFunctions: codes.filter((c) => c?.system === BUSINESS_FUNCTION_SYSTEM).map((c) => String(c!.code)),
      };
    });
}

/** SDS user ids of the Practitioners of an A040 Bundle. */
export function practitionerSdsIds(bundle: unknown): string[] {
  return entryResources(bundle)
    .filter((r) => r.resourceType === 'Practitioner')
    .flatMap((r) => asArray(r.identifier).map(asObject))
    .filter((i) => i?.system === R4_IDENTIFIER.sdsUser)
    .map((i) => String(i!.value));
}

export interface ServiceRequestFace { id: string; kind: 'referral' | 'advice' | 'other'; ubrn?: string; status?: string; intent?: string }

/** The ServiceRequests of an A041 Bundle: referral (r.{id}, category referral) or A&G (a.{id}, code advice-and-guidance). */
export function serviceRequests(bundle: unknown): ServiceRequestFace[] {
  return entryResources(bundle)
    .filter((r) => r.resourceType === 'ServiceRequest')
    .map((r) => {
      const categories = asArray(r.category).flatMap((c) => asArray(asObject(c)?.coding)).map((c) => asObject(c)?.code);
      const isAdvice = asArray(asObject(r.code)?.coding).some((c) => asObject(c)?.code === 'advice-and-guidance');
      const id = String(r.id);
      const kind = isAdvice && categories.includes('request') && id.startsWith('a.') ? 'advice' : !isAdvice && categories.includes('referral') && id.startsWith('r.') ? 'referral' : 'other';
      const ubrn = asArray(r.identifier).map(asObject).find((i) => i?.system === R4_IDENTIFIER.ubrn)?.value;
      return { id, kind, ubrn: typeof ubrn === 'string' ? ubrn : undefined, status: r.status as string | undefined, intent: r.intent as string | undefined };
    });
}

/** Service ids of the HealthcareServices in an A035 Bundle, in order. */
export function healthcareServiceIds(bundle: unknown): string[] {
  return entryResources(bundle).filter((r) => r.resourceType === 'HealthcareService').map((r) => String(r.id));
}

/** A query string written in a scenario ("_id=1,2", "identifier=sys|v") as client query parameters, repeats kept. */
export function queryFromText(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) (out[k] ??= []).push(v);
  return out;
}
