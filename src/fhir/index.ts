// Public surface of the FHIR validator: createValidator() and the result types.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir, loadCore, REPO_ROOT } from './definitions.ts';
import { InvariantEngine, type Scope } from './invariants.ts';
import { VersionModel } from './model.ts';
import { defaultPackagePaths, PackageRegistry } from './packages.ts';
import { applySeverity, applySuppressions, loadPolicy, loadSuppressions, profilesFor, type Policy } from './policy.ts';
import type { Finding, FhirVersion } from './types.ts';
import { MAX_DEPTH, newContext, validateAgainstProfile, validateResource, type WalkContext } from './walker.ts';
export { MAX_DEPTH } from './walker.ts';

export type { Finding, FhirVersion, Severity } from './types.ts';
export { PolicyError } from './policy.ts';

export interface ValidatorOptions {
  /** Extra package directories (searched before FHIR_PACKAGE_PATH, ~/.fhir/packages and profiles/packages). */
  packagePaths?: string[];
  /** When true, only `packagePaths` are searched (no env, no ~/.fhir, no profiles/packages). */
  onlyPackagePaths?: boolean;
  cacheDir?: string;
  suppressionsFile?: string;
  policyFile?: string;
  /** The target being validated for (simulator, sandbox, int, url): suppressions scoped with `targets` need it. */
  target?: string;
  /** Tests: also evaluate every fast-path invariant with fhirpath.js and report differences in diagnostics(). */
  crossCheckFhirpath?: boolean;
}

export interface ValidateOptions {
  fhirVersion: FhirVersion | 'auto';
  profiles?: string[];
  operation?: string;
  direction?: 'request' | 'response';
  status?: number;
  /** Also validate each resource (top-level and nested) against the profiles it claims in meta.profile. Default true. */
  claimedProfiles?: boolean;
}

export interface ValidationResult {
  fhirVersion: FhirVersion;
  resourceType?: string;
  profiles: string[];
  findings: Finding[];
  errors: number;
  warnings: number;
  suppressed: number;
}

export interface Validator {
  validate(resource: unknown, opts: ValidateOptions): ValidationResult;
  profilesFor(operation: string, direction: 'request' | 'response', status: number): string[];
  loadedPackages(): { name: string; version: string; path: string }[];
  /** Problems met while loading (unreadable packages, invariants fhirpath.js cannot evaluate). */
  diagnostics(): string[];
  /** How many invariant evaluations took each route (native, simple, fast path, fhirpath.js), per version. */
  invariantStats(): Record<string, { native: number; simple: number; fast: number; fhirpath: number }>;
}

type Json = Record<string, any>;

const STU3_ONLY = new Set(['ReferralRequest', 'ProcedureRequest', 'DeviceComponent', 'EligibilityRequest', 'EligibilityResponse',
  'EnrollmentRequest', 'EnrollmentResponse', 'ImagingManifest', 'ProcessRequest', 'ProcessResponse', 'Sequence', 'DataElement',
  'ServiceDefinition', 'BodySite']);
const R4_ONLY = new Set(['ServiceRequest', 'MedicationKnowledge', 'CoverageEligibilityRequest', 'CoverageEligibilityResponse',
  'ChargeItemDefinition', 'Invoice', 'InsurancePlan', 'BiologicallyDerivedProduct', 'ResearchDefinition', 'ResearchElementDefinition',
  'VerificationResult', 'SubstanceSpecification', 'MedicinalProduct', 'DeviceDefinition', 'EffectEvidenceSynthesis', 'RiskEvidenceSynthesis',
  'ImmunizationEvaluation', 'ImmunizationRecommendation', 'Evidence', 'EvidenceVariable', 'CatalogEntry', 'TerminologyCapabilities',
  'ObservationDefinition', 'SpecimenDefinition', 'ExampleScenario']);

/** Guesses the FHIR version from claimed profiles and version-specific resource types; undefined when unsure. */
export function detectVersion(resource: unknown): FhirVersion | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined;
  const r = resource as Json;
  const profiles: string[] = Array.isArray(r.meta?.profile) ? r.meta.profile : [];
  if (profiles.some((p) => typeof p === 'string' && /\/STU3\//.test(p))) return 'STU3';
  if (STU3_ONLY.has(r.resourceType)) return 'STU3';
  if (R4_ONLY.has(r.resourceType)) return 'R4';
  if (profiles.some((p) => typeof p === 'string' && /fhir\.(nhs|hl7\.org)\.uk\/StructureDefinition\//.test(p))) return 'R4';
  return undefined;
}

export async function createValidator(opts: ValidatorOptions = {}): Promise<Validator> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const paths = opts.onlyPackagePaths ? (opts.packagePaths ?? []) : defaultPackagePaths(opts.packagePaths ?? []);
  const registry = new PackageRegistry(paths);
  const suppressionsFile = opts.suppressionsFile ?? join(REPO_ROOT, 'profiles', 'suppressions.yaml');
  const policyFile = opts.policyFile ?? join(REPO_ROOT, 'profiles', 'policy.yaml');
  if (opts.suppressionsFile && !existsSync(opts.suppressionsFile)) throw new Error(`suppressions file ${opts.suppressionsFile} does not exist`);
  if (opts.policyFile && !existsSync(opts.policyFile)) throw new Error(`policy file ${opts.policyFile} does not exist`);
  const suppressions = loadSuppressions(suppressionsFile);
  const policy: Policy = loadPolicy(policyFile);
  const models = new Map<FhirVersion, { model: VersionModel; invariants: InvariantEngine }>();
  const get = (v: FhirVersion) => {
    let m = models.get(v);
    if (!m) {
      const model = new VersionModel(loadCore(v, cacheDir), registry);
      m = { model, invariants: new InvariantEngine(v, model) };
      m.invariants.crossCheck = opts.crossCheckFhirpath === true;
      models.set(v, m);
    }
    return m;
  };

  const run = (resource: unknown, version: FhirVersion, o: ValidateOptions): ValidationResult => {
    const { model, invariants } = get(version);
    const ctx: WalkContext & { applied?: string[] } = newContext(model, invariants);
    const rt = typeof resource === 'object' && resource !== null ? (resource as Json).resourceType : undefined;
    const top = typeof rt === 'string' ? rt : 'Resource';
    try {
      walk(resource, rt, top, version, o, ctx);
    } catch (e) {
      // Never a crash for the caller. The walker stops at MAX_DEPTH itself; deep content it does not walk (inside an
      // unknown element, say) can still exhaust the stack of a recursive check: that is the input's fault, said so.
      const deep = e instanceof RangeError ? deeperThan(resource, MAX_DEPTH) : undefined;
      if (deep) {
        ctx.findings.push({
          severity: 'error', rule: 'structure', path: deep,
          message: `JSON nested too deep (more than ${MAX_DEPTH / 2} objects or ${MAX_DEPTH} levels); no FHIR resource needs that, so it is not walked further (flatten or fix the generator)`,
        });
      } else {
        ctx.findings.push({
          severity: 'error', rule: 'validator-failure', path: top,
          message: `the validator failed on this resource (${(e as Error).message ?? String(e)}); the findings are incomplete, report it with the file`,
        });
      }
    }
    return summarise(ctx.findings, version, ctx.applied ?? [], rt);
  };

  const summarise = (all: Finding[], version: FhirVersion, applied: string[], rt: unknown): ValidationResult => {
    const findings = dedupe(all);
    applySeverity(findings, policy);
    applySuppressions(findings, suppressions, opts.target);
    let errors = 0;
    let warnings = 0;
    let suppressed = 0;
    for (const f of findings) {
      if (f.suppressedBy) suppressed++;
      else if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
    const result: ValidationResult = { fhirVersion: version, profiles: applied, findings, errors, warnings, suppressed };
    if (typeof rt === 'string') result.resourceType = rt;
    return result;
  };

  const walk = (resource: unknown, rt: unknown, top: string, version: FhirVersion, o: ValidateOptions, ctx: WalkContext & { applied?: string[] }): void => {
    const { model } = get(version);
    validateResource(resource, top, ctx);
    const explicit = (o.profiles ?? []).filter((p) => typeof p === 'string');
    const policyProfiles = o.operation && o.direction ? profilesFor(policy, o.operation, o.direction, o.status ?? 200) : [];
    const applied: string[] = [];
    ctx.applied = applied;
    if (typeof resource === 'object' && resource !== null && typeof rt === 'string' && model.typeStructure(rt)) {
      const res = resource as Json;
      const scope: Scope = { resource: res, root: res };
      const claimed = o.claimedProfiles === false ? [] : (Array.isArray(res.meta?.profile) ? res.meta.profile : []);
      const typeOf = (p: string): string | undefined => {
        const l = model.profile(p);
        return 'structure' in l ? l.structure.type : undefined;
      };
      // An operation's policy list names every profile used in the exchange; each applies to resources of its type.
      // A Parameters resource carries one operation's parameters, so only the first Parameters profile of the list
      // judges a top-level Parameters; later ones (e.g. the search criteria inside a search request) judge the
      // Parameters nested in it. Other types keep every profile of their type at the top (eRS- and CareConnect-
      // Appointment both judge a booked Appointment). Unresolvable ones go to the top, where they are reported.
      const firstParameters = rt === 'Parameters' ? policyProfiles.find((p) => typeOf(p) === 'Parameters' || typeOf(p) === undefined) : undefined;
      const forTop: string[] = [];
      const nestedPolicy: string[] = [];
      for (const p of policyProfiles) {
        const t = typeOf(p);
        if (t === undefined || (t === rt && (rt !== 'Parameters' || p === firstParameters))) forTop.push(p);
        else nestedPolicy.push(p);
      }
      for (const p of [...explicit, ...claimed]) if (typeof p === 'string' && !forTop.includes(p)) forTop.push(p);
      for (const p of forTop) {
        applied.push(p);
        validateAgainstProfile(res, p, top, ctx, scope);
      }
      // Explicit --profile values of another type than the top-level resource apply to nested resources of theirs.
      for (const p of explicit) if (typeOf(p) !== rt && !nestedPolicy.includes(p)) nestedPolicy.push(p);
      const nestedDone = new Set<Json>();
      for (let i = 0; i < ctx.nested.length; i++) {
        const n = ctx.nested[i]!;
        if (nestedDone.has(n.resource)) continue;
        nestedDone.add(n.resource);
        const own: string[] = o.claimedProfiles === false ? [] : (Array.isArray(n.resource.meta?.profile) ? n.resource.meta.profile : []);
        const byType = nestedPolicy.filter((p) => typeOf(p) === n.resource.resourceType);
        for (const p of new Set([...own, ...byType])) if (typeof p === 'string') validateAgainstProfile(n.resource, p, n.path, ctx, n.scope);
      }
    }
  };

  return {
    validate(resource, o) {
      if (o.fhirVersion !== 'auto') return run(resource, o.fhirVersion, o);
      const guess = detectVersion(resource);
      if (guess) return run(resource, guess, o);
      const r4 = run(resource, 'R4', o);
      if (r4.errors === 0) return r4;
      const stu3 = run(resource, 'STU3', o);
      return stu3.errors < r4.errors ? stu3 : r4;
    },
    profilesFor: (operation, direction, status) => profilesFor(policy, operation, direction, status),
    loadedPackages: () => registry.packages.map((p) => ({ name: p.name, version: p.version, path: p.path })),
    diagnostics: () => [
      ...registry.problems.map((p) => `package ${p.path}: ${p.problem}`),
      ...[...models.values()].flatMap((m) => [...m.invariants.unsupported].map(([k, e]) => `${m.model.version} invariant not evaluated (${k}): ${e}`)),
      ...[...models.values()].flatMap((m) => m.invariants.mismatches.map((x) => `${m.model.version} fast-path invariant differs from fhirpath.js: ${x}`)),
    ],
    invariantStats: () => Object.fromEntries([...models.values()].map((m) => [m.model.version, { ...m.invariants.stats }])),
  };
}

/** The location of the first value nested deeper than `limit`, or undefined; iterative, so any depth is safe. */
function deeperThan(root: unknown, limit: number): string | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > limit) return locate(root, limit);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x === 'object' && x !== null) stack.push([x, d + 1]);
      }
    } else {
      for (const k in v as Json) {
        const x = (v as Json)[k];
        if (typeof x === 'object' && x !== null) stack.push([x, d + 1]);
      }
    }
  }
  return undefined;
}

/** FHIRPath-style location of the first object or array at depth > limit (the first 8 steps, then an ellipsis). */
function locate(root: unknown, limit: number): string {
  const rt = (root as Json).resourceType;
  const stack: [unknown, number, string[]][] = [[root, 1, [typeof rt === 'string' ? rt : 'Resource']]];
  while (stack.length) {
    const [v, d, p] = stack.pop()!;
    if (d > limit) return p.length > 8 ? `${p.slice(0, 8).join('')}…(${d} levels)` : p.join('');
    const step = (x: unknown, s: string) => {
      if (typeof x === 'object' && x !== null) stack.push([x, d + 1, p.length > 8 ? p : [...p, s]]);
    };
    if (Array.isArray(v)) v.forEach((x, i) => step(x, `[${i}]`));
    else for (const k in v as Json) step((v as Json)[k], `.${k}`);
  }
  return '';
}

/** Drops a profile finding that repeats a base finding (same rule and path), and exact duplicates. */
function dedupe(findings: Finding[]): Finding[] {
  // A validation usually has a handful of findings: compare them directly, without hashing a key (or a path) per
  // finding. Many findings are grouped by path so the work stays linear.
  const few = findings.length <= 32;
  const baseAt = few ? undefined : new Map<string, Finding[]>();
  if (baseAt) for (const f of findings) if (!f.profile) pushAt(baseAt, f);
  const outAt = few ? undefined : new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const same = outAt ? outAt.get(f.path) : out;
    if (same?.some((g) => g.rule === f.rule && g.path === f.path && g.message === f.message && g.profile === f.profile)) continue;
    if (f.profile && (f.rule === 'cardinality' || f.rule === 'binding' || f.rule.startsWith('invariant:') || f.rule === 'reference-target')
      && (baseAt ? baseAt.get(f.path) : findings)?.some((g) => !g.profile && g.rule === f.rule && g.path === f.path)) continue;
    out.push(f);
    if (outAt) pushAt(outAt, f);
  }
  return out;
}

function pushAt(m: Map<string, Finding[]>, f: Finding): void {
  const list = m.get(f.path);
  if (list) list.push(f);
  else m.set(f.path, [f]);
}
