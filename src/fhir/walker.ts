// The walker: base validation (shape, unknown elements, cardinality, primitives, bindings, references,
// invariants, extensions by url, nested resources) and profile validation (cardinality, fixed/pattern, slicing,
// bindings, type/target profiles, profile invariants) over one resource tree.
import { InvariantEngine, type Scope } from './invariants.ts';
import { corePrimitiveTester } from './regex.ts';
import { checkXhtml } from './xhtml.ts';
import type { ChildHit, VersionModel } from './model.ts';
import type { CConstraint, CDiscriminator, CElement, CStructure, Finding, FhirVersion, Severity } from './types.ts';

type Json = Record<string, any>;

const EXT_URL_OK = /^\S+$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function maxText(n: number): string {
  return n < 0 ? '*' : String(n);
}

export interface NestedResource {
  resource: Json;
  path: string;
  scope: Scope;
}

export interface WalkContext {
  model: VersionModel;
  invariants: InvariantEngine;
  findings: Finding[];
  /** Nested resources met on the way (contained, Bundle entries, Parameters resources). */
  nested: NestedResource[];
  /** Value sets already reported as `binding-unchecked` in this validation (reported once each). */
  uncheckedValueSets: Set<string>;
  /** Nesting of profile-discriminator conformance checks (each runs in a scratch context). */
  depth?: number;
  /** Conformance results of values against profiles, for profile discriminators. */
  conformance?: WeakMap<object, Map<string, boolean>>;
  /** Current JSON nesting of the base walk, and whether MAX_DEPTH was reported. */
  level?: number;
  tooDeep?: boolean;
}

/** Deepest JSON nesting the walker descends into; real FHIR resources stay well under 100 levels. */
export const MAX_DEPTH = 500;

export function newContext(model: VersionModel, invariants: InvariantEngine): WalkContext {
  return { model, invariants, findings: [], nested: [], uncheckedValueSets: new Set() };
}

function add(ctx: WalkContext, severity: Severity, rule: string, path: string, message: string, profile?: string): void {
  const f: Finding = { severity, rule, path, message };
  if (profile) f.profile = profile;
  ctx.findings.push(f);
}

// ---------------------------------------------------------------------------------------------------------
// Base validation

/** Validates a resource against the base definition of its type; `path` is its FHIRPath location. */
export function validateResource(res: unknown, path: string, ctx: WalkContext, outer?: Scope, contained = false): void {
  if (!isObject(res)) {
    add(ctx, 'error', 'type', path, 'A resource must be a JSON object');
    return;
  }
  const rt = res.resourceType;
  if (typeof rt !== 'string') {
    add(ctx, 'error', 'resource-type', path, 'The resource has no resourceType property');
    return;
  }
  const sd = ctx.model.typeStructure(rt);
  if (!sd || sd.kind !== 'resource' || sd.abstract) {
    const skipped = ctx.model.skipped.find((s) => s.url.endsWith(`/${rt}`));
    add(ctx, skipped ? 'warning' : 'error', skipped ? 'profile-unavailable' : 'resource-type', path,
      skipped ? `${rt} cannot be validated: ${skipped.reason}` : `'${rt}' is not a ${ctx.model.version} resource type`);
    return;
  }
  const scope: Scope = contained && outer ? { resource: res, root: outer.root } : { resource: res, root: res };
  if (path.includes('.')) ctx.nested.push({ resource: res, path, scope });
  walkComplex(res, sd.root, sd, path, ctx, scope, true);
  runConstraints(sd.root.constraints, res, rt, path, ctx, scope, undefined);
  if (rt === 'Bundle') checkBundle(res, path, ctx);
}

function runConstraints(
  list: CConstraint[] | undefined, node: Json, basePath: string, at: Where, ctx: WalkContext, scope: Scope,
  profile: string | undefined, skipKeys?: Set<string>,
): void {
  if (!list) return;
  for (const c of list) {
    if (c.key === 'ele-1') continue;
    if (skipKeys?.has(c.key)) continue;
    // dom-3 must see references from the whole containing resource, even for contained ones.
    const ok = ctx.invariants.check(c, node, basePath, scope, !profile || ctx.model.coreConstraintKeys.has(c.key));
    if (ok === true) continue;
    const severity: Severity = c.bestPractice ? 'information' : c.severity;
    if (ok === false) add(ctx, severity, `invariant:${c.key}`, pathOf(at), c.human || `Constraint ${c.key} failed`, profile);
    else for (const i of ok) add(ctx, severity, `invariant:${c.key}`, `${pathOf(at)}.contained[${i}]`, c.human || `Constraint ${c.key} failed`, profile);
  }
}


function walkComplex(obj: Json, el: CElement, sd: CStructure, path: string, ctx: WalkContext, scope: Scope, isResource: boolean): void {
  const level = (ctx.level ?? 0) + 1;
  if (level > MAX_DEPTH / 2) {
    // Each walked object is one or two JSON levels (arrays between); stop well before any stack runs out.
    if (!ctx.tooDeep) {
      ctx.tooDeep = true;
      add(ctx, 'error', 'structure', path, `JSON nested too deep (more than ${MAX_DEPTH / 2} objects or ${MAX_DEPTH} levels); no FHIR resource needs that, so it is not walked further (flatten or fix the generator)`);
    }
    return;
  }
  ctx.level = level;
  try {
    walkComplexAt(obj, el, sd, path, ctx, scope, isResource);
  } finally {
    ctx.level = level - 1;
  }
}

function walkComplexAt(obj: Json, el: CElement, sd: CStructure, path: string, ctx: WalkContext, scope: Scope, isResource: boolean): void {
  const idx = ctx.model.childIndex(el);
  // Values are counted only for the children whose cardinality the base walk checks (none in most datatypes).
  const counted = ctx.model.countedChildren(el);
  let counts: number[] | undefined;
  let choiceSeen: Map<CElement, string> | undefined;
  let keyCount = 0;
  for (const key in obj) {
    keyCount++;
    if (isResource && key === 'resourceType') continue;
    const shadow = key.charCodeAt(0) === 95; // '_'
    const name = shadow ? key.slice(1) : key;
    const hit = idx.get(name);
    if (!hit) {
      add(ctx, 'error', 'unknown-element', `${path}.${key}`, `Unknown element '${key}' in ${el.path}`);
      continue;
    }
    const child = hit.el;
    if (hit.type) {
      choiceSeen ??= new Map();
      const prev = choiceSeen.get(child);
      if (prev && prev !== name) {
        add(ctx, 'error', 'choice', `${path}.${key}`, `Only one of ${child.name} may be present (found ${prev} and ${name})`);
      }
      choiceSeen.set(child, name);
    }
    const primitive = hit.primitive;
    const value = obj[key];
    const slot = hit.slot;
    if (slot >= 0) counts ??= new Array<number>(counted.length).fill(0);
    if (shadow) {
      if (!primitive) {
        add(ctx, 'error', 'unknown-element', `${path}.${key}`, `'${key}' is only allowed for primitive elements`);
        continue;
      }
      walkShadow(value, child, `${path}.${name}`, ctx, scope, name in obj);
      if (slot >= 0 && !(name in obj)) counts![slot]! += Array.isArray(value) ? value.filter((v) => v !== null).length : 1;
      continue;
    }
    // Paths are built for objects (their children need them) and for findings; a valid primitive needs none.
    if (!Array.isArray(value)) {
      if (child.array) add(ctx, 'error', 'array', `${path}.${name}`, `'${name}' must be a JSON array (max cardinality ${maxText(child.max)})`);
      const index = child.array ? 0 : -1;
      if (value === null) {
        // null (sent for a repeating element as a lone value): allowed only with an `_name` entry at index 0.
        const sh = obj[`_${name}`];
        if (!(primitive && child.array && Array.isArray(sh) && isObject(sh[0]))) {
          add(ctx, 'error', 'type', elementPath(path, name, index), 'null is only allowed in a primitive array whose _element has an entry at the same index');
        }
        continue;
      }
      if (primitive) validatePrimitive(value, hit, path, name, index, ctx, scope);
      else validateValue(value, hit, sd, elementPath(path, name, index), ctx, scope);
      if (slot >= 0) counts![slot]!++;
      continue;
    }
    if (!child.array) add(ctx, 'error', 'array', `${path}.${name}`, `'${name}' must be a single value, not an array (max cardinality 1)`);
    else if (value.length === 0) add(ctx, 'error', 'empty', `${path}.${name}`, `'${name}' is an empty array; omit the element instead`);
    let present = 0;
    const indexed = child.array || value.length > 1;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const index = indexed ? i : -1;
      if (item === null) {
        const shadowArr = obj[`_${name}`];
        const sh = Array.isArray(shadowArr) ? shadowArr[i] : undefined;
        if (!(primitive && child.array && isObject(sh))) {
          add(ctx, 'error', 'type', elementPath(path, name, index), 'null is only allowed in a primitive array whose _element has an entry at the same index');
        }
        continue;
      }
      present++;
      if (primitive) validatePrimitive(item, hit, path, name, index, ctx, scope);
      else validateValue(item, hit, sd, elementPath(path, name, index), ctx, scope);
    }
    if (slot >= 0) counts![slot]! += present;
  }
  if (keyCount === 0 && !isResource) {
    add(ctx, 'error', 'invariant:ele-1', path, 'All FHIR elements must have a @value or children (empty object)');
  }
  for (let i = 0; i < counted.length; i++) {
    const child = counted[i]!;
    const n = counts ? counts[i]! : 0;
    if (n < child.min) {
      add(ctx, 'error', 'cardinality', `${path}.${child.name.replace('[x]', '')}`,
        `Minimum cardinality of ${child.path} is ${child.min}, but found ${n}`);
    } else if (child.max >= 0 && n > child.max && child.array) {
      add(ctx, 'error', 'cardinality', `${path}.${child.name.replace('[x]', '')}`,
        `Maximum cardinality of ${child.path} is ${child.max}, but found ${n}`);
    }
  }
}

function walkShadow(value: unknown, child: CElement, path: string, ctx: WalkContext, scope: Scope, hasValue: boolean): void {
  const elementSd = ctx.model.typeStructure('Element');
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) !== child.array) {
    add(ctx, 'error', 'array', `${path}`, child.array ? `'_${child.name}' must be an array` : `'_${child.name}' must not be an array`);
  }
  items.forEach((v, i) => {
    const ip = Array.isArray(value) ? `${path}[${i}]` : path;
    if (v === null) return;
    if (!isObject(v)) {
      add(ctx, 'error', 'type', ip, `'_${child.name}' must hold objects with id/extension`);
      return;
    }
    if (!Object.keys(v).length && !hasValue) {
      add(ctx, 'error', 'invariant:ele-1', ip, 'All FHIR elements must have a @value or children');
      return;
    }
    if (elementSd) walkComplex(v, elementSd.root, elementSd, ip, ctx, scope, false);
  });
}

/** What is wrong with a primitive's JSON value (type, emptiness, range, format), or undefined when nothing is. */
function primitiveProblem(v: unknown, type: string, ctx: WalkContext): { rule: string; message: string } | undefined {
  const sd = ctx.model.typeStructure(type);
  const info = sd?.primitive ?? { json: 'string' as const };
  const jt = typeof v;
  if (jt !== info.json) {
    return { rule: 'type', message: `Expected a JSON ${info.json} for ${type}, found ${Array.isArray(v) ? 'array' : v === null ? 'null' : jt}` };
  }
  if (jt === 'string') {
    const s = v as string;
    if (s.length === 0) {
      return { rule: 'empty', message: `Empty string for ${type}; omit the element instead` };
    }
    if (type !== 'xhtml' && (type === 'string' || type === 'markdown') && s.trim().length === 0) {
      return { rule: 'empty', message: `Whitespace-only ${type}` };
    }
  } else if (jt === 'number') {
    const n = v as number;
    if (type === 'integer' || type === 'positiveInt' || type === 'unsignedInt') {
      if (!Number.isInteger(n)) {
        return { rule: 'format', message: `${n} is not an integer (${type})` };
      }
      if (n > 2147483647 || n < -2147483648 || (type === 'positiveInt' && n < 1) || (type === 'unsignedInt' && n < 0)) {
        return { rule: 'format', message: `${n} is out of range for ${type}` };
      }
    }
    return undefined;
  }
  if (info.regex && jt !== 'boolean') {
    if (!corePrimitiveTester(info.regex)(String(v))) {
      return { rule: 'format', message: `'${String(v)}' is not a valid ${type}` };
    }
  }
  return undefined;
}

/** A primitive value at `parent.name[index]` (index -1: not in an array); its path is built only when needed. */
function validatePrimitive(v: unknown, hit: ChildHit, parent: string, name: string, index: number, ctx: WalkContext, scope: Scope): void {
  const el = hit.el;
  const type = hit.code;
  const problem = primitiveProblem(v, type, ctx);
  if (problem) {
    add(ctx, 'error', problem.rule, elementPath(parent, name, index), problem.message);
    return;
  }
  if (el.binding && (type === 'code' || type === 'string' || type === 'uri')) checkBinding(v, 'code', el, new Item(v, name, type, parent, index), ctx, undefined);
  if (type === 'xhtml') checkNarrativeDiv(v as string, elementPath(parent, name, index), ctx, undefined);
  // Constraints on primitive elements (beyond ele-1) run like any other; txt-1/txt-2 were just checked by parsing.
  if (hasOwnConstraints(el.constraints)) runConstraints(el.constraints, v as unknown as Json, el.path, elementPath(parent, name, index), ctx, scope, undefined, XHTML_KEYS);
}

/** A non-primitive value (a resource or a complex datatype) at `path`. */
function validateValue(v: unknown, hit: ChildHit, sd: CStructure, path: string, ctx: WalkContext, scope: Scope): void {
  const m = ctx.model;
  const el = hit.el;
  const type = hit.code;
  if (hit.resource) {
    // contained resources share the container's scope for references; entries and parameters start their own.
    validateResource(v, path, ctx, scope, el.name === 'contained');
    return;
  }
  if (!isObject(v)) {
    add(ctx, 'error', 'type', path, `Expected a JSON object for ${type}`);
    return;
  }
  let container: CElement | undefined;
  let containerSd = sd;
  if (el.children?.length) container = el;
  else if (el.contentRef) container = m.elementByPath(sd, el.contentRef);
  let typeSd: CStructure | undefined;
  if (!container) {
    typeSd = hit.typeSd;
    if (!typeSd) {
      add(ctx, 'error', 'type', path, `Unknown type ${type}`);
      return;
    }
    container = typeSd.root;
    containerSd = typeSd;
  }
  walkComplex(v, container, containerSd, path, ctx, scope, false);
  const basePath = typeSd ? typeSd.type : container.path;
  runConstraints(el.constraints, v, basePath, path, ctx, scope, undefined);
  // contentReference (Parameters.parameter.part, Composition.section.section, Questionnaire.item.item, ...): the
  // referenced element's constraints hold here too.
  if (!typeSd && container !== el) runConstraints(container.constraints, v, container.path, path, ctx, scope, undefined, keysOf(el.constraints));
  if (typeSd && typeSd.root !== el) runConstraints(typeSd.root.constraints, v, basePath, path, ctx, scope, undefined, keysOf(el.constraints));
  if (type === 'Coding') checkCodingSystem(v, path, ctx);
  if (el.binding && (type === 'Coding' || type === 'CodeableConcept')) checkBinding(v, type, el, path, ctx, undefined);
  if (type === 'Reference') checkReferenceTarget(v, el, path, ctx, scope, undefined);
  if (type === 'Extension') checkExtensionDefinition(v, path, ctx, scope);
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** Coding.system names a code system by an absolute URI, never a value set (as the Java validator reports). */
function checkCodingSystem(v: Json, path: string, ctx: WalkContext): void {
  const system = v.system;
  if (typeof system !== 'string' || !system) return;
  if (!ABSOLUTE_URI.test(system)) {
    add(ctx, 'error', 'code-system', `${path}.system`, `Coding.system must be an absolute URI, not '${system}' (a relative or placeholder system identifies no code system)`);
  } else if (ctx.model.isValueSetOnly(system)) {
    add(ctx, 'error', 'code-system', `${path}.system`, `Coding.system '${system}' is the url of a value set, not of a code system; use the system of the code itself`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bundle rules of the specification that are not FHIRPath invariants

const REST_URL = /^(?:https?:\/\/.+\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

function checkBundle(b: Json, path: string, ctx: WalkContext): void {
  const entries = Array.isArray(b.entry) ? b.entry : [];
  const seen = new Map<string, number>();
  let modeless = 0;
  entries.forEach((e: unknown, i: number) => {
    if (!isObject(e)) return;
    const at = `${path}.entry[${i}]`;
    const res = isObject(e.resource) ? e.resource : undefined;
    const fullUrl = typeof e.fullUrl === 'string' ? e.fullUrl : undefined;
    if (fullUrl !== undefined) {
      if (!ABSOLUTE_URI.test(fullUrl)) {
        add(ctx, 'error', 'bundle', `${at}.fullUrl`, `fullUrl must be an absolute URI (a urn:uuid:, urn:oid: or the resource's absolute RESTful URL), not '${fullUrl}'`);
      } else if (res && typeof res.resourceType === 'string' && !/^urn:(uuid|oid):/.test(fullUrl)) {
        const m = REST_URL.exec(fullUrl);
        if (m && typeof res.id === 'string' && (m[1] !== res.resourceType || m[2] !== res.id)) {
          add(ctx, 'error', 'bundle', `${at}.fullUrl`, `fullUrl '${fullUrl}' does not match the resource it holds (${res.resourceType}/${res.id}); a RESTful fullUrl must end with /${res.resourceType}/${res.id}`);
        }
      }
    }
    // Duplicates: the same fullUrl, or the same type/id without one, twice with the same version (history bundles differ by version).
    const version = isObject(res?.meta) && typeof res!.meta.versionId === 'string' ? res!.meta.versionId : '';
    const key = fullUrl ?? (res && typeof res.resourceType === 'string' && typeof res.id === 'string' ? `${res.resourceType}/${res.id}` : undefined);
    if (key !== undefined && b.type !== 'history') {
      const k = `${key}|${version}`;
      const first = seen.get(k);
      if (first !== undefined) add(ctx, 'error', 'bundle', at, `Duplicate entry: ${fullUrl ? `fullUrl ${fullUrl}` : key} already appears at entry[${first}]`);
      else seen.set(k, i);
    }
    if (b.type === 'searchset' && res && !(isObject(e.search) && typeof e.search.mode === 'string')) modeless++;
  });
  if (modeless) add(ctx, 'warning', 'bundle', `${path}.entry`, `${modeless} entr${modeless === 1 ? 'y' : 'ies'} of this searchset carry no search.mode (match, include or outcome)`);
}

/** Constraints beyond ele-1 (which every element carries and the walker checks structurally). */
function hasOwnConstraints(list: CConstraint[] | undefined): list is CConstraint[] {
  return list !== undefined && (list.length > 1 || (list.length === 1 && list[0]!.key !== 'ele-1'));
}

const XHTML_KEYS = new Set(['txt-1', 'txt-2', 'txt-3']);

/** Narrative.div: parsed as XHTML; each problem is a txt-1 (or txt-2: no content) error at the div. */
function checkNarrativeDiv(div: string, path: string, ctx: WalkContext, profile: string | undefined): void {
  for (const p of checkXhtml(div)) {
    add(ctx, 'error', `invariant:${p.key}`, path, p.key === 'txt-2' ? `The narrative SHALL have some non-whitespace content: ${p.message}` : `The narrative SHALL contain only the basic html formatting elements and attributes: ${p.message}`, profile);
  }
}

const keySets = new WeakMap<CConstraint[], Set<string>>();
function keysOf(list: CConstraint[] | undefined): Set<string> | undefined {
  if (!list) return undefined;
  let s = keySets.get(list);
  if (!s) {
    s = new Set(list.map((c) => c.key));
    keySets.set(list, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Bindings

function checkBinding(v: unknown, kind: 'code' | 'Coding' | 'CodeableConcept', el: CElement, at: Where, ctx: WalkContext, profile: string | undefined): void {
  const b = el.binding!;
  if (!b.valueSet || b.strength === 'example') return;
  const vs = ctx.model.valueSet(b.valueSet);
  if (!vs || !vs.enumerable) {
    // Not silently passed: say once per value set that this binding could not be checked, and why.
    if (!ctx.uncheckedValueSets.has(b.valueSet)) {
      ctx.uncheckedValueSets.add(b.valueSet);
      const why = vs?.reason ?? 'the value set is not defined in the core definitions nor in any loaded package';
      add(ctx, 'information', 'binding-unchecked', pathOf(at), `Codes bound to the ${b.strength} value set ${b.valueSet} were not checked: ${why}`, profile);
    }
    return;
  }
  let shown: string;
  if (kind === 'code') {
    if (vs.hasCode(String(v))) return;
    shown = `'${String(v)}'`;
  } else {
    // The message is built only when no coding is in the value set.
    let usable = 0;
    const inSet = (c: unknown): boolean => {
      if (!isObject(c) || typeof c.code !== 'string') return false;
      usable++;
      return c.system ? vs.has(c.system, c.code) : vs.hasCode(c.code);
    };
    if (kind === 'Coding') {
      if (inSet(v)) return;
    } else if (Array.isArray((v as Json).coding)) {
      for (const c of (v as Json).coding) if (inSet(c)) return;
    }
    if (!usable) return;
    const codings: Json[] = kind === 'Coding' ? [v as Json] : (v as Json).coding;
    shown = codings.filter((c) => isObject(c) && typeof c.code === 'string').map((c) => `${c.system ?? ''}#${c.code}`).join(', ');
  }
  const severity: Severity = b.strength === 'required' ? 'error' : 'information';
  add(ctx, severity, 'binding', pathOf(at), `${shown} is not in the ${b.strength} value set ${b.valueSet}`, profile);
}

// ---------------------------------------------------------------------------------------------------------
// References

const REF_LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** Resource type a reference string points at: a contained resource (`#id`) or a literal `Type/id` URL. */
function literalType(ref: Json, scope: Scope): string | undefined {
  const r = ref.reference;
  if (typeof r !== 'string') return undefined;
  if (r.startsWith('#')) {
    const c = (Array.isArray(scope.root.contained) ? scope.root.contained : []).find((x: Json) => x?.id === r.slice(1));
    return c?.resourceType;
  }
  return REF_LITERAL.exec(r)?.[1];
}

/** Resource type named by R4 `Reference.type` (`Patient`, or the core canonical of a type); undefined otherwise. */
function declaredType(ref: Json, ctx: WalkContext): string | undefined {
  const t = ref.type;
  if (typeof t !== 'string') return undefined;
  const name = t.startsWith(CORE_SD) ? t.slice(CORE_SD.length) : t;
  return ctx.model.isResourceType(name) && name !== 'Resource' && name !== 'DomainResource' ? name : undefined;
}

const TARGETS = Symbol('allowedTargets');

/** Resource types a Reference element may point at; null when unrestricted or not decidable (unresolvable profile). */
function allowedTargets(el: CElement, ctx: WalkContext): Set<string> | null {
  const cached = (el as unknown as { [TARGETS]?: { model: VersionModel; allowed: Set<string> | null } })[TARGETS];
  if (cached && cached.model === ctx.model) return cached.allowed;
  let allowed: Set<string> | null = null;
  const targets = el.types.find((t) => t.code === 'Reference')?.targets;
  if (targets?.length) {
    allowed = new Set<string>();
    for (const url of targets) {
      if (url.startsWith(CORE_SD)) allowed.add(url.slice(url.lastIndexOf('/') + 1));
      else {
        const p = ctx.model.profile(url);
        if ('structure' in p) allowed.add(p.structure.type);
        else {
          allowed = null; // an unresolvable target profile cannot be used to reject
          break;
        }
      }
    }
  }
  Object.defineProperty(el, TARGETS, { value: { model: ctx.model, allowed }, enumerable: false, configurable: true, writable: true });
  return allowed;
}

function checkReferenceTarget(v: Json, el: CElement, at: Where, ctx: WalkContext, scope: Scope, profile: string | undefined): void {
  const literal = literalType(v, scope);
  const declared = declaredType(v, ctx);
  // R4: "if both Reference.type and Reference.reference are populated and Reference.reference is a FHIR URL, both
  // SHALL be consistent".
  if (!profile && literal && declared && literal !== declared) {
    add(ctx, 'error', 'reference-target', pathOf(at), `Reference.type ${String(v.type)} does not match the referenced ${literal}`);
  }
  const allowed = allowedTargets(el, ctx);
  if (!allowed) return;
  // The type comes from the reference itself when it names one; otherwise (urn:uuid, absolute URLs without a type,
  // logical references by identifier) from Reference.type.
  const t = literal ?? declared ?? (typeof v.reference === 'string' && (v.reference.startsWith('#') || v.reference.startsWith('urn:')) ? undefined
    : typeof v.type === 'string' ? v.type : undefined);
  if (!t) return;
  if (allowed.has('Resource') || allowed.has(t)) return;
  add(ctx, 'error', 'reference-target', pathOf(at), `Reference to ${t} is not allowed here (allowed: ${[...allowed].join(', ')})`, profile);
}

// ---------------------------------------------------------------------------------------------------------
// Extensions by url

function checkExtensionDefinition(ext: Json, path: string, ctx: WalkContext, scope: Scope): void {
  const url = ext.url;
  if (typeof url !== 'string' || !EXT_URL_OK.test(url)) return;
  // Sub-extensions of a complex extension use relative urls; their parent definition covers them.
  if (!url.includes(':') && !url.startsWith('http')) return;
  const p = ctx.model.profile(url);
  if (!('structure' in p)) {
    add(ctx, 'information', 'extension-unknown', path, `Extension ${url} could not be resolved: ${p.reason}`);
    return;
  }
  if (p.structure.type !== 'Extension') {
    add(ctx, 'error', 'extension', path, `${url} is a ${p.structure.type} definition, not an extension`);
    return;
  }
  validateProfileElement(ext, p.structure.root, p.structure, path, ctx, scope, url);
}

// ---------------------------------------------------------------------------------------------------------
// Profile validation

export function validateAgainstProfile(res: Json, url: string, path: string, ctx: WalkContext, scope: Scope): void {
  const p = ctx.model.profile(url);
  if (!('structure' in p)) {
    add(ctx, 'warning', 'profile-unavailable', path, `Profile ${url} cannot be used: ${p.reason}`, url);
    return;
  }
  const sd = p.structure;
  if (sd.type !== res.resourceType && sd.type !== 'Resource' && sd.type !== 'DomainResource') {
    add(ctx, 'error', 'profile', path, `Profile ${url} is for ${sd.type}, not ${String(res.resourceType)}`, url);
    return;
  }
  validateProfileElement(res, sd.root, sd, path, ctx, scope, url);
}

// deepEqual and matchesPattern run for every item against every slice tried: plain loops, no key arrays or closures.
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false;
    return true;
  }
  let keys = 0;
  for (const k in a as Json) {
    keys++;
    if (!deepEqual((a as Json)[k], (b as Json)[k])) return false;
  }
  for (const _ in b as Json) keys--;
  return keys === 0;
}

/** Pattern semantics: every property of the pattern appears in the value; arrays match element-wise by any. */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return false;
    for (const p of pattern) if (!anyMatches(value, p, false)) return false;
    return true;
  }
  if (!isObject(value)) return false;
  for (const k in pattern as Json) if (!matchesPattern(value[k], (pattern as Json)[k])) return false;
  return true;
}

/** Some value equals (exact) or matches (pattern) the expected one. */
function anyMatches(values: unknown[], expected: unknown, exact: boolean): boolean {
  for (let i = 0; i < values.length; i++) if (exact ? deepEqual(values[i], expected) : matchesPattern(values[i], expected)) return true;
  return false;
}

/** One value of an element. Its path is built when a finding or a nested object needs it (most never do). */
class Item {
  private built: string | undefined = undefined;
  /** The slice the value was assigned to by the profile pass, if any. */
  slice: CElement | undefined = undefined;
  /** `index` is the position in the JSON array, or -1 for a single value. */
  constructor(readonly value: unknown, readonly key: string, readonly type: string, private readonly parent: string, private readonly index: number) {}

  get path(): string {
    return (this.built ??= elementPath(this.parent, this.key, this.index));
  }
}

/** Where a finding goes: a path, or an item whose path is built only if there is a finding. */
type Where = string | Item;

function pathOf(at: Where): string {
  return typeof at === 'string' ? at : at.path;
}

/** `parent.key`, or `parent.key[index]` for a value in a JSON array (index >= 0). */
function elementPath(parent: string, key: string, index: number): string {
  return index < 0 ? `${parent}.${key}` : `${parent}.${key}[${index}]`;
}

/** Per-element facts the profile pass needs for every node, computed once. */
interface ElInfo {
  /** JSON name without `[x]` (also the shown path segment). */
  shown: string;
  shadow: string;
  choice: boolean;
  /** Choice elements: capitalised type name -> type code. */
  choiceTypes?: Map<string, string>;
  firstType: string;
  /** Some slice requires at least one item. */
  requiredSlice: boolean;
}
/** Stored on the element under a symbol key (never serialised into the definition cache; no WeakMap lookup). */
const EL_INFO = Symbol('elInfo');
function elInfo(c: CElement): ElInfo {
  let info = (c as unknown as { [EL_INFO]?: ElInfo })[EL_INFO];
  if (info) return info;
  const choice = c.name.endsWith('[x]');
  const shown = choice ? c.name.slice(0, -3) : c.name;
  info = { shown, shadow: `_${shown}`, choice, firstType: c.types[0]?.code ?? 'Element', requiredSlice: !!c.slices?.some((s) => s.min > 0) };
  if (choice) {
    // Last one wins, as the scan over c.types did.
    info.choiceTypes = new Map();
    for (const x of c.types) info.choiceTypes.set(cap(x.code), x.code);
  }
  Object.defineProperty(c, EL_INFO, { value: info, enumerable: false, configurable: true, writable: true });
  return info;
}

/** Per-element plan of the profile pass: child facts, JSON key -> child, choice prefixes, required children. */
interface ProfilePlan {
  infos: ElInfo[];
  byKey: Map<string, number>;
  choices: { base: string; index: number }[];
  mandatory: number[];
  /** Children whose values the profile says nothing about beyond how many there may be (see countOnly()). */
  countOnly: boolean[];
}
const PROFILE_PLAN = Symbol('profilePlan');
/** The plan of an element (of a structure of `model`'s version: profiles are compiled per model). */
function profilePlan(el: CElement, model: VersionModel): ProfilePlan {
  let plan = (el as unknown as { [PROFILE_PLAN]?: ProfilePlan })[PROFILE_PLAN];
  if (plan) return plan;
  const children = el.children ?? [];
  plan = { infos: children.map(elInfo), byKey: new Map(), choices: [], mandatory: [], countOnly: children.map((c) => countOnly(c, model)) };
  children.forEach((c, i) => {
    const info = plan!.infos[i]!;
    if (info.choice) plan!.choices.push({ base: info.shown, index: i });
    else {
      plan!.byKey.set(info.shown, i);
      plan!.byKey.set(info.shadow, i);
    }
    if (c.min > 0 || info.requiredSlice) plan!.mandatory.push(i);
  });
  Object.defineProperty(el, PROFILE_PLAN, { value: plan, enumerable: false, configurable: true, writable: true });
  return plan;
}

/**
 * True when profileValue() can find nothing in this element's values, whatever they are: no fixed or pattern value,
 * no checkable binding, no children, no type or target profile, no resource to validate, no constraint of the
 * profile's own. Only the number of values is then checked, and no item is made for them. Not for choice elements
 * (their JSON names are checked against the allowed types) nor sliced ones.
 */
function countOnly(c: CElement, model: VersionModel): boolean {
  if (c.name.endsWith('[x]') || c.slices?.length || c.slicing) return false;
  if (c.max === 0) return true; // profileValue() stops at once
  if (c.fixed !== undefined || c.pattern !== undefined || c.children?.length) return false;
  if (c.binding && c.binding.strength !== 'example' && c.binding.valueSet) return false;
  if (c.types.some((t) => t.profiles?.length || t.targets?.length || t.code === 'Reference' || model.isResourceType(t.code))) return false;
  return profileConstraints(c, model) === undefined;
}

const PROFILE_CONSTRAINTS = Symbol('profileConstraints');
/**
 * The constraints a profile adds on an element, in order; undefined when none. Core ones (ele-1, ext-1, dom-*, ...)
 * run in the base pass, so the profile pass skips them; this list is made once per element instead of filtering
 * on every visit.
 */
function profileConstraints(el: CElement, model: VersionModel): CConstraint[] | undefined {
  const holder = el as unknown as { [PROFILE_CONSTRAINTS]?: CConstraint[] | null };
  let own = holder[PROFILE_CONSTRAINTS];
  if (own === undefined) {
    const list = (el.constraints ?? []).filter((c) => c.key !== 'ele-1' && !model.coreConstraintKeys.has(c.key));
    own = list.length ? list : null;
    Object.defineProperty(el, PROFILE_CONSTRAINTS, { value: own, enumerable: false, configurable: true, writable: true });
  }
  return own ?? undefined;
}

/** Whether a non-choice element's JSON (value `v`, `_` shadow `sh`) has a value at index i of its array. */
function hasValueAt(v: unknown, sh: unknown, i: number): boolean {
  const x = Array.isArray(v) ? v[i] : undefined;
  return (x !== null && x !== undefined) || (Array.isArray(sh) && isObject(sh[i]));
}

/** How many items pushItems() would make for a non-choice element, without making them. */
function countValues(obj: Json, info: ElInfo): number {
  const v = obj[info.shown];
  const sh = obj[info.shadow];
  if (v === undefined && sh === undefined) return 0;
  if (!Array.isArray(v) && !Array.isArray(sh)) return 1;
  const len = Math.max(Array.isArray(v) ? v.length : 0, Array.isArray(sh) ? sh.length : 0);
  let n = 0;
  for (let i = 0; i < len; i++) if (hasValueAt(v, sh, i)) n++;
  return n;
}

function pushItems(out: Item[], obj: Json, c: CElement, path: string, key: string, type: string, shadowKey: string): void {
  const v = obj[key];
  const sh = obj[shadowKey];
  if (v === undefined && sh === undefined) return;
  const va = Array.isArray(v);
  const sa = Array.isArray(sh);
  if (va || sa) {
    const len = Math.max(va ? v.length : 0, sa ? sh.length : 0);
    for (let i = 0; i < len; i++) if (hasValueAt(v, sh, i)) out.push(new Item((va ? v[i] : undefined) ?? null, key, type, path, i));
  } else {
    out.push(new Item(v ?? null, key, type, path, c.array ? 0 : -1));
  }
}

const NO_ITEMS: Item[] = [];

function itemsFor(obj: Json, c: CElement, info: ElInfo, path: string, ctx: WalkContext): Item[] {
  if (!info.choice) {
    if (obj[info.shown] === undefined && obj[info.shadow] === undefined) return NO_ITEMS;
    const out: Item[] = [];
    pushItems(out, obj, c, path, info.shown, info.firstType, info.shadow);
    return out;
  }
  const base = info.shown;
  let out: Item[] | undefined;
  for (const k in obj) {
    if (k.length > base.length && k.startsWith(base) && k[base.length] === k[base.length]!.toUpperCase()) {
      const typeName = k.slice(base.length);
      const t = info.choiceTypes!.get(typeName);
      if (t === undefined) {
        add(ctx, 'error', 'type', `${path}.${k}`, `Type ${typeName} is not allowed for ${c.path} by this profile`);
        continue;
      }
      pushItems((out ??= []), obj, c, path, k, t, `_${k}`);
    }
  }
  return out ?? NO_ITEMS;
}

const EXT_SEG = /^extension\(['"](.+)['"]\)$/;

/** A parsed discriminator path segment. */
interface Seg {
  raw: string;
  /** url for `extension('url')` segments. */
  ext?: string;
}

function navigate(values: unknown[], seg: Seg): unknown[] {
  const out: unknown[] = [];
  const ext = seg.ext;
  const name = seg.raw;
  for (const v of values) {
    if (!isObject(v)) continue;
    if (ext !== undefined) {
      for (const e of Array.isArray(v.extension) ? v.extension : []) if (e?.url === ext) out.push(e);
      continue;
    }
    const x = v[name];
    if (x === undefined) {
      // choice: value[x] style segments
      if (name.endsWith('[x]')) {
        const base = name.slice(0, -3);
        for (const k of Object.keys(v)) if (k.startsWith(base) && k !== base) out.push(v[k]);
      }
      continue;
    }
    if (Array.isArray(x)) out.push(...x);
    else out.push(x);
  }
  return out;
}

function splitDiscriminatorPath(p: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of p) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

const segCache = new Map<string, Seg[]>();
function segments(p: string): Seg[] {
  let segs = segCache.get(p);
  if (!segs) {
    segs = splitDiscriminatorPath(p).map((raw) => {
      const m = EXT_SEG.exec(raw);
      return m ? { raw, ext: m[1]! } : { raw };
    });
    segCache.set(p, segs);
  }
  return segs;
}

function kidsOf(n: CElement, ctx: WalkContext): CElement[] {
  if (n.children?.length) return n.children;
  const prof = n.types[0]?.profiles?.[0];
  if (prof) {
    const p = ctx.model.profile(prof);
    if ('structure' in p) return p.structure.root.children ?? [];
  }
  return [];
}

/** Finds the element inside a slice at a discriminator path, unrolling type profiles where needed. */
function sliceElementAt(slice: CElement, dpath: string, ctx: WalkContext): CElement | undefined {
  if (dpath === '$this') return slice;
  let node: CElement | undefined = slice;
  for (const seg of segments(dpath)) {
    if (!node) return undefined;
    let next: CElement | undefined;
    if (seg.ext !== undefined) {
      const extEl: CElement | undefined = kidsOf(node, ctx).find((c) => c.name === 'extension');
      next = extEl?.slices?.find((s: CElement) => s.types.some((t) => t.profiles?.includes(seg.ext!)));
    } else if (seg.raw === 'resolve()') {
      return undefined;
    } else {
      const name = seg.raw;
      next = kidsOf(node, ctx).find((c) => c.name === name || (c.name.endsWith('[x]') && name.startsWith(c.name.slice(0, -3))));
    }
    node = next;
  }
  return node;
}

/**
 * The elements a discriminator path reaches inside a slice: the element itself and, where a step enters an element
 * that is sliced again without a value of its own (e.g. `code.coding` sliced into required codings), its required
 * slices, whose fixed values then determine the discriminator.
 */
function sliceTargetsAt(slice: CElement, dpath: string, ctx: WalkContext): CElement[] {
  if (dpath === '$this') return [slice];
  let nodes: CElement[] = [slice];
  for (const seg of segments(dpath)) {
    const next: CElement[] = [];
    for (const node of nodes) {
      let child: CElement | undefined;
      if (seg.ext !== undefined) {
        const extEl: CElement | undefined = kidsOf(node, ctx).find((c) => c.name === 'extension');
        child = extEl?.slices?.find((s: CElement) => s.types.some((t) => t.profiles?.includes(seg.ext!)));
      } else if (seg.raw === 'resolve()') {
        return [];
      } else {
        const name = seg.raw;
        child = kidsOf(node, ctx).find((c) => c.name === name || (c.name.endsWith('[x]') && name.startsWith(c.name.slice(0, -3))));
      }
      if (!child) continue;
      next.push(child);
      if (child.slices?.length && child.fixed === undefined && child.pattern === undefined) {
        for (const s of child.slices) if (s.min > 0) next.push(s);
      }
    }
    nodes = next;
  }
  return nodes;
}

/** A pattern implied by fixed/pattern values on an element's descendants (and its required sub-slices). */
function derivePattern(el: CElement, ctx: WalkContext, depth = 0): unknown {
  if (el.fixed !== undefined) return el.fixed;
  if (el.pattern !== undefined) return el.pattern;
  if (depth > 4) return undefined;
  const out: Json = {};
  let any = false;
  for (const c of kidsOf(el, ctx)) {
    if (c.name.endsWith('[x]') || c.name === 'id' || c.name === 'extension' || c.max === 0) continue;
    const required = (c.slices ?? []).filter((x) => x.min > 0);
    if (required.length) {
      const pats = required.map((x) => derivePattern(x, ctx, depth + 1)).filter((x) => x !== undefined);
      if (pats.length) {
        out[c.name] = pats;
        any = true;
        continue;
      }
    }
    const v = derivePattern(c, ctx, depth + 1);
    if (v !== undefined) {
      out[c.name] = c.array ? [v] : v;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** What one discriminator of one slice expects; depends only on the definitions, so computed once per model. */
type DiscPlan =
  | { kind: 'undetermined' }
  | { kind: 'expected'; value: unknown; exact: boolean }
  /** Several values, each of which must be found (required sub-slices of a sliced element on the path). */
  | { kind: 'expectedAll'; values: unknown[]; exact: boolean }
  | { kind: 'valueset'; vs: NonNullable<ReturnType<VersionModel['valueSet']>> }
  | { kind: 'exists'; mustExist: boolean; mustNot: boolean }
  | { kind: 'type'; codes: string[] }
  | { kind: 'profile'; profiles: { url: string; sd: CStructure }[] }
  /** A discriminator type this validator does not know (e.g. `position`): ignored, as before. */
  | { kind: 'skip' };

const planCache = new WeakMap<VersionModel, WeakMap<CElement, DiscPlan[]>>();

function discPlan(slice: CElement, d: CDiscriminator, ctx: WalkContext): DiscPlan {
  if (d.type === 'value' || d.type === 'pattern') {
    let expected: unknown;
    if (d.path === 'url' && slice.types[0]?.code === 'Extension' && slice.types[0].profiles?.length) {
      expected = slice.types[0].profiles[0];
    } else {
      const target = sliceElementAt(slice, d.path, ctx);
      expected = target?.fixed ?? target?.pattern;
      if (expected === undefined && target?.binding?.strength === 'required' && target.binding.valueSet) {
        const vs = ctx.model.valueSet(target.binding.valueSet);
        if (vs?.enumerable) return { kind: 'valueset', vs };
      }
      if (expected === undefined) {
        // Values fixed below the path: on required sub-slices (`code.coding.code`), or on children (`code`).
        const values = sliceTargetsAt(slice, d.path, ctx).map((t) => t.fixed ?? t.pattern).filter((x) => x !== undefined);
        if (values.length > 1) return { kind: 'expectedAll', values, exact: d.type === 'value' && values.every((x) => typeof x !== 'object') };
        if (values.length === 1) expected = values[0];
        else if (target) expected = derivePattern(target, ctx);
        if (expected !== undefined && typeof expected === 'object') return { kind: 'expected', value: expected, exact: false };
      }
    }
    if (expected === undefined) return { kind: 'undetermined' };
    return { kind: 'expected', value: expected, exact: d.type === 'value' && typeof expected !== 'object' };
  }
  if (d.type === 'exists') {
    const target = sliceElementAt(slice, d.path, ctx);
    if (!target) return { kind: 'undetermined' };
    return { kind: 'exists', mustExist: target.min > 0, mustNot: target.max === 0 };
  }
  if (d.type === 'type') {
    const target = d.path === '$this' ? slice : sliceElementAt(slice, d.path, ctx);
    const codes = target?.types.map((t) => t.code) ?? [];
    return codes.length ? { kind: 'type', codes } : { kind: 'undetermined' };
  }
  if (d.type === 'profile') {
    const target = d.path === '$this' ? slice : sliceElementAt(slice, d.path, ctx);
    const profiles: { url: string; sd: CStructure }[] = [];
    for (const t of target?.types ?? []) {
      for (const url of t.profiles ?? []) {
        const p = ctx.model.profile(url);
        if ('structure' in p) profiles.push({ url, sd: p.structure });
      }
    }
    return profiles.length ? { kind: 'profile', profiles } : { kind: 'undetermined' };
  }
  return { kind: 'skip' };
}

function plansFor(slice: CElement, slicing: NonNullable<CElement['slicing']>, ctx: WalkContext): DiscPlan[] {
  let byModel = planCache.get(ctx.model);
  if (!byModel) {
    byModel = new WeakMap();
    planCache.set(ctx.model, byModel);
  }
  let plans = byModel.get(slice);
  if (!plans) {
    plans = slicing.discriminators.map((d) => discPlan(slice, d, ctx));
    byModel.set(slice, plans);
  }
  return plans;
}

/** Does a value (resource or datatype) conform to a profile? Runs the profile pass in a scratch context. */
function conformsTo(v: Json, url: string, sd: CStructure, ctx: WalkContext, scope: Scope): boolean {
  const isResource = typeof v.resourceType === 'string';
  if (isResource || sd.kind === 'resource') {
    if (!isResource) return false;
    if (sd.type !== v.resourceType && sd.type !== 'Resource' && sd.type !== 'DomainResource') return false;
  }
  // A profile slicing by a profile that slices by a profile...: beyond a few levels, the type is all we compare.
  if ((ctx.depth ?? 0) >= 4) return true;
  ctx.conformance ??= new WeakMap();
  let byUrl = ctx.conformance.get(v);
  const known = byUrl?.get(url);
  if (known !== undefined) return known;
  const scratch: WalkContext = {
    ...ctx, findings: [], nested: [], uncheckedValueSets: new Set(), depth: (ctx.depth ?? 0) + 1, conformance: ctx.conformance,
  };
  if (isResource) validateAgainstProfile(v, url, String(v.resourceType), scratch, scope);
  else validateProfileElement(v, sd.root, sd, sd.type, scratch, scope, url);
  const ok = !scratch.findings.some((f) => f.severity === 'error');
  if (!byUrl) ctx.conformance.set(v, (byUrl = new Map()));
  byUrl.set(url, ok);
  return ok;
}

/** An item's values at each discriminator path: navigated once per item, not once per slice tried. */
type DiscValues = (unknown[] | undefined)[];

function valuesAt(item: Item, d: CDiscriminator, di: number, known: DiscValues): unknown[] {
  let values = known[di];
  if (values === undefined) {
    values = [item.value];
    for (const seg of segments(d.path)) if (seg.raw !== '$this') values = navigate(values, seg);
    known[di] = values;
  }
  return values;
}

function sliceMatches(
  item: Item, known: DiscValues, slice: CElement, slicing: NonNullable<CElement['slicing']>, ctx: WalkContext, scope: Scope, contained: boolean,
): boolean | undefined {
  if (!slicing.discriminators.length) return undefined;
  const plans = plansFor(slice, slicing, ctx);
  for (let di = 0; di < slicing.discriminators.length; di++) {
    const d = slicing.discriminators[di]!;
    const plan = plans[di]!;
    if (plan.kind === 'undetermined') return undefined;
    if (plan.kind === 'skip') continue;
    const values = valuesAt(item, d, di, known);
    switch (plan.kind) {
      case 'valueset': {
        const vs = plan.vs;
        if (!values.some((v) => (isObject(v) ? (Array.isArray(v.coding) ? v.coding : [v]).some((c: Json) => vs.has(c.system, c.code)) : vs.hasCode(String(v))))) return false;
        break;
      }
      case 'expected':
        if (!anyMatches(values, plan.value, plan.exact)) return false;
        break;
      case 'expectedAll':
        for (const expected of plan.values) if (!anyMatches(values, expected, plan.exact)) return false;
        break;
      case 'exists':
        if (plan.mustExist && !values.length) return false;
        if (plan.mustNot && values.length) return false;
        break;
      case 'type': {
        const actual = d.path === '$this' ? (isObject(item.value) && typeof item.value.resourceType === 'string' ? item.value.resourceType : item.type)
          : (values.map((v) => (isObject(v) ? v.resourceType : undefined)).find(Boolean) as string | undefined);
        if (!actual || !plan.codes.includes(actual)) return false;
        break;
      }
      case 'profile': {
        // The value must conform to (one of) the slice's type profiles, not merely have the profile's type.
        const own = d.path === '$this';
        const v = own ? item.value : values[0];
        if (!isObject(v)) return false;
        const vScope: Scope = typeof v.resourceType === 'string'
          ? (own && contained ? { resource: v, root: scope.root } : { resource: v, root: v })
          : scope;
        if (!plan.profiles.some((p) => conformsTo(v, p.url, p.sd, ctx, vScope))) return false;
        break;
      }
    }
  }
  return true;
}

/** Adds `i` to an ascending list of a few child indexes, once (cheaper than push + sort with a comparator). */
function insertSorted(list: number[], i: number): void {
  let j = list.length;
  while (j > 0 && list[j - 1]! > i) j--;
  if (j > 0 && list[j - 1] === i) return;
  list.push(i); // then shifted into place (splice would allocate the array of removed elements)
  for (let k = list.length - 1; k > j; k--) list[k] = list[k - 1]!;
  list[j] = i;
}

function validateProfileElement(obj: unknown, el: CElement, sd: CStructure, path: string, ctx: WalkContext, scope: Scope, profile: string): void {
  if (!isObject(obj)) {
    // A profile's own constraints on a primitive element (core ones, ele-1 and txt-*, ran in the base pass).
    const own = profileConstraints(el, ctx.model);
    if (obj !== null && obj !== undefined && typeof obj !== 'object' && own) runConstraints(own, obj as unknown as Json, el.path, path, ctx, scope, profile);
    return;
  }
  const basePath = el === sd.root ? sd.type : el.path;
  runConstraints(profileConstraints(el, ctx.model), obj, basePath, path, ctx, scope, profile);
  const children = el.children;
  if (!children) return;
  // Visit, in definition order, only the children that can say something: those the object has keys for (by
  // name, `_name`, or choice prefix) and those that are required (min > 0 or a required slice).
  const plan = profilePlan(el, ctx.model);
  const visit = plan.mandatory.slice();
  const choices = plan.choices;
  for (const k in obj) {
    const i = plan.byKey.get(k);
    if (i !== undefined) insertSorted(visit, i);
    for (let j = 0; j < choices.length; j++) {
      const base = choices[j]!.base;
      if (k.length > base.length && k.startsWith(base) && k[base.length] === k[base.length]!.toUpperCase()) insertSorted(visit, choices[j]!.index);
    }
  }
  for (let vi = 0; vi < visit.length; vi++) {
    const ci = visit[vi]!;
    const c = children[ci]!;
    const info = plan.infos[ci]!;
    const items = plan.countOnly[ci] ? undefined : itemsFor(obj, c, info, path, ctx);
    const n = items ? items.length : countValues(obj, info);
    if (n === 0 && c.min === 0 && !info.requiredSlice) continue;
    if (n < c.min) {
      add(ctx, 'error', 'cardinality', `${path}.${info.shown}`, `Minimum cardinality of ${c.path} is ${c.min} in profile ${sd.name}, but found ${n}`, profile);
    } else if (c.max >= 0 && n > c.max) {
      add(ctx, 'error', 'cardinality', `${path}.${info.shown}`, `Maximum cardinality of ${c.path} is ${c.max} in profile ${sd.name}, but found ${n}`, profile);
    }
    if (!items) continue;
    if (!items.length) {
      for (const s of c.slices ?? []) {
        if (s.min > 0) add(ctx, 'error', 'slice', `${path}.${info.shown}`, `Slice '${s.sliceName}' of ${c.path} requires at least ${s.min}, found 0`, profile);
      }
      continue;
    }
    if (c.slices?.length && c.slicing) {
      const perSlice = new Array<number>(c.slices.length).fill(0);
      let undetermined: Set<CElement> | undefined;
      for (const it of items) {
        const known: DiscValues = [];
        for (let si = 0; si < c.slices.length; si++) {
          const s = c.slices[si]!;
          const m = sliceMatches(it, known, s, c.slicing, ctx, scope, c.name === 'contained');
          if (m === undefined) (undetermined ??= new Set()).add(s);
          if (m) {
            it.slice = s;
            perSlice[si]!++;
            break;
          }
        }
        if (!it.slice && c.slicing.rules === 'closed' && !undetermined?.size) {
          add(ctx, 'error', 'slice', it.path, `Does not match any slice of ${c.path} and the slicing is closed`, profile);
        }
      }
      for (let si = 0; si < c.slices.length; si++) {
        const s = c.slices[si]!;
        if (undetermined?.has(s)) {
          // A discriminator this validator cannot evaluate: say so once, instead of a false "requires at least N".
          const key = `slice|${profile}|${c.path}:${s.sliceName}`;
          if (!ctx.uncheckedValueSets.has(key)) {
            ctx.uncheckedValueSets.add(key);
            const why = c.slicing.discriminators.map((d) => `${d.type}:${d.path}`).join(', ');
            add(ctx, 'information', 'slice-unchecked', `${path}.${info.shown}`, `Slice '${s.sliceName}' of ${c.path} was not checked: its discriminator (${why}) cannot be evaluated from the profile's definitions`, profile);
          }
          continue;
        }
        const n = perSlice[si]!;
        if (n < s.min) add(ctx, 'error', 'slice', `${path}.${info.shown}`, `Slice '${s.sliceName}' of ${c.path} requires at least ${s.min}, found ${n}`, profile);
        else if (s.max >= 0 && n > s.max) add(ctx, 'error', 'slice', `${path}.${info.shown}`, `Slice '${s.sliceName}' of ${c.path} allows at most ${s.max}, found ${n}`, profile);
      }
    } else if (c.slices?.length && !c.slicing) {
      // Forge snapshots sometimes list slices without a slicing block; fall back to extension url matching.
      for (const it of items) {
        const u = isObject(it.value) ? it.value.url : undefined;
        it.slice = c.slices.find((x) => x.types.some((t) => t.profiles?.includes(u)));
      }
    }
    for (const it of items) {
      profileValue(it, c, sd, ctx, scope, profile);
      if (it.slice) profileValue(it, it.slice, sd, ctx, scope, profile);
    }
  }
}

function profileValue(it: Item, c: CElement, sd: CStructure, ctx: WalkContext, scope: Scope, profile: string): void {
  const v = it.value;
  if (c.max === 0) return;
  if (c.fixed !== undefined && !deepEqual(v, c.fixed)) {
    add(ctx, 'error', 'fixed', it.path, `Value must be exactly ${JSON.stringify(c.fixed)} (profile ${sd.name}), found ${JSON.stringify(v)}`, profile);
  }
  if (c.pattern !== undefined && !matchesPattern(v, c.pattern)) {
    add(ctx, 'error', 'pattern', it.path, `Value must match pattern ${JSON.stringify(c.pattern)} (profile ${sd.name})`, profile);
  }
  const type = it.type;
  if (v !== null && c.binding && (type === 'code' || type === 'Coding' || type === 'CodeableConcept' || type === 'string' || type === 'uri')) {
    checkBinding(v, type === 'Coding' || type === 'CodeableConcept' ? type : 'code', c, it, ctx, profile);
  }
  if (!isObject(v)) {
    const own = v !== null ? profileConstraints(c, ctx.model) : undefined;
    if (own) runConstraints(own, v as unknown as Json, c.path, it, ctx, scope, profile);
    return;
  }
  if (type === 'Reference') checkReferenceTarget(v, c, it, ctx, scope, profile);
  let t = c.types[0];
  for (const x of c.types) {
    if (x.code === type) {
      t = x;
      break;
    }
  }
  if (ctx.model.isResourceType(type)) {
    for (const p of t?.profiles ?? []) {
      const nestedScope: Scope = c.name === 'contained' ? { resource: v, root: scope.root } : { resource: v, root: v };
      validateAgainstProfile(v, p, it.path, ctx, nestedScope);
    }
    return;
  }
  if (c.children?.length) {
    validateProfileElement(v, c, sd, it.path, ctx, scope, profile);
    return;
  }
  // Extensions are validated against their definitions by the base pass (by url); other type profiles here.
  if (type === 'Extension') return;
  for (const p of t?.profiles ?? []) {
    const r = ctx.model.profile(p);
    if (!('structure' in r)) {
      add(ctx, 'warning', 'profile-unavailable', it.path, `Type profile ${p} cannot be used: ${r.reason}`, profile);
      continue;
    }
    validateProfileElement(v, r.structure.root, r.structure, it.path, ctx, scope, p);
  }
}

export type { FhirVersion };
