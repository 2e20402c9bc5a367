// Run-time view of one FHIR version: core structures by type and url, profiles resolved lazily from packages
// (snapshots generated when missing), value sets, and per-element child indexes built once.
import { compileStructure, stripVersion } from './compile.ts';
import type { CoreModel } from './definitions.ts';
import type { PackageRegistry } from './packages.ts';
import { generateSnapshot } from './snapshot.ts';
import { expandValueSet, indexValueSet, type ValueSetIndex } from './terminology.ts';
import type { CElement, CStructure, FhirVersion } from './types.ts';

type Json = Record<string, any>;

export interface ChildHit {
  el: CElement;
  /** Type code implied by the JSON key (choice elements), else undefined. */
  type?: string;
  /** Position of `el` in its parent's children. */
  ordinal: number;
  /** Position of `el` in countedChildren(parent), or -1 when the base walk need not count its values. */
  slot: number;
  /** Resolved type code: `type`, else the element's first type, else `Element`. */
  code: string;
  /** The element has a type and it is a primitive. */
  primitive: boolean;
  /** The type is a resource type (contained, entry.resource, parameter.resource). */
  resource: boolean;
  /** Structure of the type (complex types without inline children), when the core defines it. */
  typeSd?: CStructure;
}

interface ChildIndex {
  model: VersionModel;
  idx: Map<string, ChildHit>;
  counted: CElement[];
}

/** Child indexes live on the element itself (a symbol key: never serialised into the definition cache). */
const CHILD_INDEX = Symbol('childIndex');

export type ProfileLookup = { structure: CStructure } | { reason: string };

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export class VersionModel {
  readonly version: FhirVersion;
  private readonly byType = new Map<string, CStructure>();
  private readonly byUrl = new Map<string, CStructure>();
  private readonly profiles = new Map<string, ProfileLookup>();
  private readonly vsRaw = new Map<string, CoreModel['valueSets'][number]>();
  private readonly vsIndex = new Map<string, ValueSetIndex | null>();
  private readonly vsOnly = new Map<string, boolean>();
  private readonly codeSystems: Record<string, string[]>;
  private readonly pathIndexes = new WeakMap<CStructure, Map<string, CElement>>();
  readonly primitives = new Set<string>();
  readonly resourceTypes = new Set<string>();
  /** Constraint keys defined by the core; a profile repeating one is not evaluated twice. */
  readonly coreConstraintKeys = new Set<string>();
  readonly skipped: { url: string; reason: string }[];

  constructor(core: CoreModel, private readonly registry?: PackageRegistry) {
    this.version = core.version;
    this.codeSystems = core.codeSystems;
    this.skipped = core.skipped;
    for (const s of core.structures) {
      this.byUrl.set(s.url, s);
      const isBase = s.derivation === 'specialization' || !s.derivation || s.kind === 'primitive-type';
      if (isBase && s.url === `http://hl7.org/fhir/StructureDefinition/${s.type}`) {
        this.byType.set(s.type, s);
        if (s.kind === 'primitive-type') this.primitives.add(s.type);
        if (s.kind === 'resource' && !s.abstract) this.resourceTypes.add(s.type);
      }
      const visit = (e: CElement) => {
        for (const c of e.constraints ?? []) this.coreConstraintKeys.add(c.key);
        e.children?.forEach(visit);
      };
      if (isBase) visit(s.root);
    }
    // R4 declares some primitive-like System types on id/extension.url; treat them as primitives too.
    this.primitives.add('xhtml');
    for (const v of core.valueSets) this.vsRaw.set(v.url, v);
  }

  typeStructure(code: string): CStructure | undefined {
    return this.byType.get(code);
  }

  isPrimitive(code: string): boolean {
    return this.primitives.has(code) || (code.length > 0 && code[0] === code[0]!.toLowerCase() && !this.byType.has(code) && code !== 'Resource');
  }

  isResourceType(code: string): boolean {
    return code === 'Resource' || code === 'DomainResource' || this.resourceTypes.has(code);
  }

  /** Index of JSON keys -> element for an element's children (choice keys expanded). */
  childIndex(el: CElement): Map<string, ChildHit> {
    return this.children(el).idx;
  }

  /**
   * The children whose number of values the base walk checks (a minimum above 0, or a bounded repeating element), in
   * definition order; ChildHit.slot indexes this list. Elements with none (most datatypes) count nothing.
   */
  countedChildren(el: CElement): CElement[] {
    return this.children(el).counted;
  }

  private children(el: CElement): ChildIndex {
    const own = (el as unknown as { [CHILD_INDEX]?: ChildIndex })[CHILD_INDEX];
    if (own && own.model === this) return own;
    const idx = new Map<string, ChildHit>();
    const counted: CElement[] = [];
    const slots = new Map<CElement, number>();
    for (const c of el.children ?? []) {
      if (c.min > 0 || (c.max >= 0 && c.array)) {
        slots.set(c, counted.length);
        counted.push(c);
      }
    }
    // Resource.id is typed System.String in R4, but the spec text (and STU3) make it an `id`.
    const resourceRoot = !el.path.includes('.') && this.isResourceType(el.path);
    const hit = (c: CElement, ordinal: number, type: string | undefined): ChildHit => {
      let code = type ?? c.types[0]?.code ?? 'Element';
      if (resourceRoot && c.name === 'id' && code === 'string') code = 'id';
      const h: ChildHit = {
        el: c, ordinal, slot: slots.get(c) ?? -1, code,
        primitive: c.types.length > 0 && this.isPrimitive(code),
        resource: this.isResourceType(code),
      };
      if (type) h.type = type;
      const typeSd = this.typeStructure(code);
      if (typeSd) h.typeSd = typeSd;
      return h;
    };
    (el.children ?? []).forEach((c, ordinal) => {
      if (c.name.endsWith('[x]')) {
        const base = c.name.slice(0, -3);
        for (const t of c.types) idx.set(base + cap(t.code), hit(c, ordinal, t.code));
      } else {
        idx.set(c.name, hit(c, ordinal, undefined));
      }
    });
    const entry: ChildIndex = { model: this, idx, counted };
    Object.defineProperty(el, CHILD_INDEX, { value: entry, enumerable: false, configurable: true, writable: true });
    return entry;
  }

  /** Element of a structure by its path (for contentReference). */
  elementByPath(structure: CStructure, path: string): CElement | undefined {
    let idx = this.pathIndexes.get(structure);
    if (!idx) {
      idx = new Map();
      const walk = (e: CElement) => {
        if (!idx!.has(e.path)) idx!.set(e.path, e);
        e.children?.forEach(walk);
      };
      walk(structure.root);
      this.pathIndexes.set(structure, idx);
    }
    return idx.get(path);
  }

  /** Resolves a profile canonical from the core or the loaded packages; never throws. */
  profile(canonical: string): ProfileLookup {
    const key = canonical;
    const hit = this.profiles.get(key);
    if (hit) return hit;
    const result = this.resolveProfile(canonical, 0);
    this.profiles.set(key, result);
    return result;
  }

  private resolveProfile(canonical: string, depth: number): ProfileLookup {
    const url = stripVersion(canonical);
    const core = this.byUrl.get(url);
    if (core) return { structure: core };
    const skippedCore = this.skipped.find((s) => s.url === url);
    if (skippedCore) return { reason: skippedCore.reason };
    if (!this.registry) return { reason: 'no FHIR packages are loaded' };
    const sd = this.registry.resolve(canonical, this.version, 'StructureDefinition');
    if (!sd) {
      const elsewhere = this.registry.whereIs(url);
      return {
        reason: elsewhere.length
          ? `defined only in ${elsewhere.join(', ')}, which is not a ${this.version} package`
          : `not defined in the core ${this.version} definitions nor in any loaded package`,
      };
    }
    try {
      if (sd.snapshot?.element?.length) return { structure: compileStructure(sd, this.version) };
      if (!sd.baseDefinition) return { reason: 'no snapshot and no baseDefinition' };
      if (depth > 10) return { reason: 'baseDefinition chain too deep' };
      const base = this.profiles.get(sd.baseDefinition) ?? this.resolveProfile(sd.baseDefinition, depth + 1);
      this.profiles.set(sd.baseDefinition, base);
      if (!('structure' in base)) return { reason: `no snapshot, and its base ${sd.baseDefinition} is unavailable: ${base.reason}` };
      return { structure: generateSnapshot(sd, base.structure, this.version, (c) => this.typeStructure(c)) };
    } catch (e) {
      return { reason: `no snapshot and snapshot generation failed: ${(e as Error).message}` };
    }
  }

  /** True when `url` names a value set (core or package) and no code system: a Coding.system must not be one. */
  isValueSetOnly(url: string): boolean {
    const key = stripVersion(url);
    let known = this.vsOnly.get(key);
    if (known === undefined) {
      const types = this.registry?.typesAt(key, this.version) ?? new Set<string>();
      const isVs = this.vsRaw.has(key) || types.has('ValueSet');
      const isCs = key in this.codeSystems || types.has('CodeSystem');
      known = isVs && !isCs;
      this.vsOnly.set(key, known);
    }
    return known;
  }

  /** Membership index of a value set, or undefined when it is unknown. */
  valueSet(url: string): ValueSetIndex | undefined {
    const key = stripVersion(url);
    if (this.vsIndex.has(key)) return this.vsIndex.get(key) ?? undefined;
    let raw = this.vsRaw.get(key);
    if (!raw && this.registry) {
      const lookup = (u: string): Json | undefined => {
        const r = this.registry!.resolve(u, this.version);
        if (r) return r;
        const codes = this.codeSystems[stripVersion(u)];
        if (codes) return { resourceType: 'CodeSystem', url: u, content: 'complete', concept: codes.map((code) => ({ code })) };
        const core = this.vsRaw.get(stripVersion(u));
        if (core?.enumerable) {
          return {
            resourceType: 'ValueSet', url: u,
            expansion: { contains: core.codes.map((c) => ({ system: c.slice(0, c.lastIndexOf('|')), code: c.slice(c.lastIndexOf('|') + 1) })) },
          };
        }
        return undefined;
      };
      if (this.registry.resolve(key, this.version, 'ValueSet')) raw = expandValueSet(key, lookup);
    }
    const idx = raw ? indexValueSet(raw) : null;
    this.vsIndex.set(key, idx);
    return idx ?? undefined;
  }
}
