// Compiles a StructureDefinition snapshot (STU3 or R4 form) into the compact CStructure tree.
import type {
  BindingStrength, CBinding, CConstraint, CDiscriminator, CElement, CSlicing, CStructure, CType, FhirVersion,
} from './types.ts';

type Json = Record<string, any>;

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const BEST_PRACTICE_EXT = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice';
const SYSTEM_TYPES: Record<string, string> = {
  'http://hl7.org/fhirpath/System.String': 'string',
  'http://hl7.org/fhirpath/System.Boolean': 'boolean',
  'http://hl7.org/fhirpath/System.Integer': 'integer',
  'http://hl7.org/fhirpath/System.Decimal': 'decimal',
  'http://hl7.org/fhirpath/System.Date': 'date',
  'http://hl7.org/fhirpath/System.DateTime': 'dateTime',
  'http://hl7.org/fhirpath/System.Time': 'time',
};
const SYSTEM_JSON: Record<string, 'string' | 'number' | 'boolean'> = {
  'http://hl7.org/fhirpath/System.String': 'string',
  'http://hl7.org/fhirpath/System.Boolean': 'boolean',
  'http://hl7.org/fhirpath/System.Integer': 'number',
  'http://hl7.org/fhirpath/System.Decimal': 'number',
  'http://hl7.org/fhirpath/System.Date': 'string',
  'http://hl7.org/fhirpath/System.DateTime': 'string',
  'http://hl7.org/fhirpath/System.Time': 'string',
};

export function stripVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function typeCode(t: Json): string | undefined {
  const code = t.code as string | undefined;
  if (!code) {
    // STU3 primitive `value` elements carry no code; not walked, so any placeholder will do.
    return undefined;
  }
  if (code.startsWith('http://hl7.org/fhirpath/System.')) {
    const ext = asArray<Json>(t.extension).find((e) => e.url === FHIR_TYPE_EXT);
    return (ext?.valueUrl ?? ext?.valueUri ?? SYSTEM_TYPES[code] ?? 'string') as string;
  }
  return code;
}

function compileTypes(el: Json): CType[] {
  const byCode = new Map<string, CType>();
  for (const t of asArray<Json>(el.type)) {
    const code = typeCode(t);
    if (!code) continue;
    let ct = byCode.get(code);
    if (!ct) {
      ct = { code };
      byCode.set(code, ct);
    }
    // STU3: profile/targetProfile are single uris (one type entry per target); R4: arrays of canonicals.
    for (const p of asArray<string>(t.profile)) (ct.profiles ??= []).push(stripVersion(p));
    for (const p of asArray<string>(t.targetProfile)) (ct.targets ??= []).push(stripVersion(p));
  }
  return [...byCode.values()];
}

function compileBinding(b: Json | undefined): CBinding | undefined {
  if (!b || !b.strength) return undefined;
  // STU3: valueSetReference.reference | valueSetUri; R4: valueSet (canonical).
  const vs = (b.valueSet ?? b.valueSetReference?.reference ?? b.valueSetUri) as string | undefined;
  const out: CBinding = { strength: b.strength as BindingStrength };
  if (vs) out.valueSet = stripVersion(vs);
  return out;
}

function compileConstraints(el: Json): CConstraint[] | undefined {
  const out: CConstraint[] = [];
  for (const c of asArray<Json>(el.constraint)) {
    if (!c.key) continue;
    const cc: CConstraint = {
      key: c.key,
      severity: c.severity === 'warning' ? 'warning' : 'error',
      human: c.human ?? '',
    };
    if (typeof c.expression === 'string' && c.expression.trim()) cc.expression = c.expression;
    if (asArray<Json>(c.extension).some((e) => e.url === BEST_PRACTICE_EXT && e.valueBoolean === true)) {
      cc.bestPractice = true;
    }
    out.push(cc);
  }
  return out.length ? out : undefined;
}

function compileSlicing(s: Json | undefined): CSlicing | undefined {
  if (!s) return undefined;
  const discriminators: CDiscriminator[] = [];
  for (const d of asArray<any>(s.discriminator)) {
    // STU3 published some discriminators as bare path strings (value discriminator implied).
    if (typeof d === 'string') discriminators.push({ type: 'value', path: d });
    else if (d && d.path) discriminators.push({ type: d.type ?? 'value', path: d.path });
  }
  return {
    discriminators,
    rules: s.rules === 'closed' ? 'closed' : s.rules === 'openAtEnd' ? 'openAtEnd' : 'open',
    ordered: s.ordered === true,
  };
}

function parseMax(m: unknown): number {
  if (m === '*') return -1;
  const n = Number(m);
  return Number.isFinite(n) ? n : -1;
}

function compileElement(el: Json, isRoot: boolean): CElement {
  const path = el.path as string;
  const dot = path.lastIndexOf('.');
  const name = isRoot ? path : path.slice(dot + 1);
  const max = parseMax(el.max ?? '*');
  const baseMax = el.base?.max !== undefined ? parseMax(el.base.max) : max;
  const ce: CElement = {
    path,
    name,
    min: typeof el.min === 'number' ? el.min : 0,
    max,
    array: baseMax !== 1 && baseMax !== 0,
    types: compileTypes(el),
  };
  if (el.contentReference) ce.contentRef = String(el.contentReference).replace(/^.*#/, '');
  const binding = compileBinding(el.binding);
  if (binding) ce.binding = binding;
  for (const k of Object.keys(el)) {
    if (k.startsWith('fixed') && k.length > 5 && k[5] === k[5]!.toUpperCase()) ce.fixed = el[k];
    else if (k.startsWith('pattern') && k.length > 7 && k[7] === k[7]!.toUpperCase()) ce.pattern = el[k];
    else if (k.startsWith('defaultValue')) { /* ignored: not a constraint */ }
  }
  const constraints = compileConstraints(el);
  if (constraints) ce.constraints = constraints;
  const slicing = compileSlicing(el.slicing);
  if (slicing) ce.slicing = slicing;
  if (el.sliceName ?? el.name) {
    // STU3 Forge snapshots sometimes use `name` for the slice name on sliced elements.
    if (el.sliceName) ce.sliceName = el.sliceName;
  }
  return ce;
}

/** Compiles a single differential element (for snapshot generation). */
export function compileElementForMerge(el: Json): CElement {
  return compileElement({ ...el, path: el.path ?? 'x' }, false);
}

export interface CompileProblem {
  path: string;
  problem: string;
}

/** Builds the element tree from a flat snapshot by path (element ids are unreliable in old STU3 snapshots). */
export function compileElements(elements: Json[], problems: CompileProblem[] = []): CElement {
  if (!elements.length) throw new Error('snapshot has no elements');
  const root = compileElement(elements[0]!, true);
  const stack: CElement[] = [root];
  for (let i = 1; i < elements.length; i++) {
    const el = elements[i]!;
    if (typeof el.path !== 'string') continue;
    const path = el.path as string;
    const parentPath = path.slice(0, path.lastIndexOf('.'));
    while (stack.length > 1 && stack[stack.length - 1]!.path !== parentPath) stack.pop();
    const parent = stack[stack.length - 1]!;
    if (parent.path !== parentPath) {
      problems.push({ path, problem: `element appears before its parent ${parentPath}` });
      continue;
    }
    const node = compileElement(el, false);
    const siblings = (parent.children ??= []);
    const sameName = findLast(siblings, (c) => c.name === node.name);
    if (node.sliceName && sameName) {
      const slash = node.sliceName.indexOf('/');
      if (slash > 0) {
        // Re-slice `a/b`: attach under slice `a` when present.
        const outer = sameName.slices?.find((s) => s.sliceName === node.sliceName!.slice(0, slash));
        (outer ?? sameName).slices ??= [];
        ((outer ?? sameName).slices!).push(node);
      } else {
        (sameName.slices ??= []).push(node);
      }
    } else if (sameName && !node.sliceName) {
      problems.push({ path, problem: 'duplicate element path without sliceName' });
      stack.push(sameName);
      continue;
    } else {
      siblings.push(node);
    }
    stack.push(node);
  }
  return root;
}

function findLast<T>(arr: T[], pred: (t: T) => boolean): T | undefined {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i]!)) return arr[i];
  return undefined;
}

function primitiveInfo(sd: Json): CStructure['primitive'] {
  const valueEl = asArray<Json>(sd.snapshot?.element).find((e) => e.path === `${sd.type ?? sd.id}.value`);
  let json: 'string' | 'number' | 'boolean' = 'string';
  let regex: string | undefined;
  for (const t of asArray<Json>(valueEl?.type)) {
    if (typeof t.code === 'string' && SYSTEM_JSON[t.code]) json = SYSTEM_JSON[t.code]!;
    for (const e of asArray<Json>(t._code?.extension)) {
      if (String(e.url).endsWith('structuredefinition-json-type')) {
        const v = e.valueString;
        json = v === 'boolean' ? 'boolean' : v === 'number' ? 'number' : 'string';
      }
    }
    for (const e of asArray<Json>(t.extension)) {
      if (String(e.url).endsWith('/regex') || String(e.url).endsWith('structuredefinition-regex')) regex = e.valueString;
    }
  }
  // Integer-like primitives are JSON numbers in both versions.
  if (['integer', 'positiveInt', 'unsignedInt', 'decimal'].includes(sd.type ?? sd.id)) json = 'number';
  if ((sd.type ?? sd.id) === 'boolean') json = 'boolean';
  const out: CStructure['primitive'] = { json };
  // STU3 publishes no regex for instant; use the one the STU3 spec states in its datatype table.
  if (!regex && (sd.type ?? sd.id) === 'instant') {
    regex = '-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
  }
  if (regex) out.regex = regex;
  return out;
}

/** Compiles one StructureDefinition that has a snapshot. Throws when it has none. */
export function compileStructure(sd: Json, fhirVersion: FhirVersion, problems?: CompileProblem[]): CStructure {
  const elements = asArray<Json>(sd.snapshot?.element);
  if (!elements.length) throw new Error(`StructureDefinition ${sd.url} has no snapshot`);
  // STU3 SDs carry `constrainedType` on some old profiles; `type` is authoritative when present.
  const type = (sd.type ?? sd.constrainedType ?? String(elements[0]!.path).split('.')[0]) as string;
  const cs: CStructure = {
    url: sd.url,
    name: sd.name ?? sd.id ?? type,
    type,
    kind: sd.kind ?? 'resource',
    fhirVersion,
    abstract: sd.abstract === true,
    root: compileElements(elements, problems),
  };
  if (sd.version) cs.version = sd.version;
  if (sd.derivation) cs.derivation = sd.derivation;
  if (sd.baseDefinition) cs.baseDefinition = stripVersion(sd.baseDefinition);
  if (sd.kind === 'primitive-type') cs.primitive = primitiveInfo(sd);
  return cs;
}
