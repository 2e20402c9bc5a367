import { ERS_API_ERROR_CODE_SYSTEM } from './operations.ts';

// Reading e-RS responses: small, total functions that never throw on odd input (they return
// undefined), so a step can assert on the result and report what it actually got.

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function resourceType(body: unknown): string | undefined {
  const t = asObject(body)?.resourceType;
  return typeof t === 'string' ? t : undefined;
}

export function metaProfiles(body: unknown): string[] {
  return asArray(asObject(asObject(body)?.meta)?.profile).filter((p): p is string => typeof p === 'string');
}

export function versionId(body: unknown): string | undefined {
  const v = asObject(asObject(body)?.meta)?.versionId;
  return typeof v === 'string' ? v : undefined;
}

export interface OutcomeIssue { severity?: string; code?: string; system?: string; errorCode?: string; diagnostics?: string }

/** The issues of an OperationOutcome, flattened to what the e-RS error tables talk about. */
export function outcomeIssues(body: unknown): OutcomeIssue[] {
  if (resourceType(body) !== 'OperationOutcome') return [];
  return asArray(asObject(body)?.issue).map((raw) => {
    const issue = asObject(raw) ?? {};
    const coding = asObject(asArray(asObject(issue.details)?.coding)[0]) ?? {};
    return {
      severity: issue.severity as string | undefined,
      code: issue.code as string | undefined,
      system: coding.system as string | undefined,
      errorCode: coding.code as string | undefined,
      diagnostics: issue.diagnostics as string | undefined,
    };
  });
}

export function isErsErrorSystem(system: string | undefined): boolean {
  return system === ERS_API_ERROR_CODE_SYSTEM;
}

/** The "at a glance" referral state from Extension-eRS-ReferralState-1. */
export function referralState(body: unknown): string | undefined {
  const ext = asArray(asObject(body)?.extension).map(asObject).find((e) => e?.url === 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1');
  const state = asArray(ext?.extension).map(asObject).find((e) => e?.url === 'state');
  const code = asObject(state?.valueCoding)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Service ids listed in an eRS-FetchServices-List-1 or Shortlist List. */
export function listedServiceIds(body: unknown): string[] {
  return asArray(asObject(body)?.entry)
    .map((e) => asObject(asObject(asObject(e)?.item)?.identifier)?.value ?? asObject(asObject(e)?.item)?.reference)
    .map((v) => (typeof v === 'string' ? v.replace(/^.*\//, '') : undefined))
    .filter((v): v is string => !!v);
}

/** References of the items on a worklist (e.g. ReferralRequest/{ubrn}). */
export function listItemReferences(body: unknown): string[] {
  return asArray(asObject(body)?.entry)
    .map((e) => asObject(asObject(e)?.item))
    .map((item) => (item?.reference as string | undefined) ?? (asObject(item?.identifier)?.value as string | undefined))
    .filter((v): v is string => typeof v === 'string');
}

export function concepts(body: unknown): Json[] {
  return asArray(asObject(body)?.concept).map(asObject).filter((c): c is Json => !!c);
}

export { asObject, asArray };
