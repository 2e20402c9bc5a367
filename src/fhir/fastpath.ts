// A small FHIRPath compiler for the simple invariant expressions that dominate real payloads (Parameters inv-1,
// Bundle bdl-*, List lst-2, Appointment app-*). It compiles an expression, typed against the base definitions,
// into plain closures over the JSON, with fhirpath.js 5.2.0 semantics (collections, empty propagation, three-valued
// logic, choice elements, `_x` primitive extensions). Anything outside the subset — at compile time (unknown
// function, operator or type) or at run time (a value it cannot treat exactly like fhirpath.js would) — returns
// undefined / BAIL, and the caller falls back to fhirpath.js, so results never differ from fhirpath.js.
import type { VersionModel } from './model.ts';
import type { CElement, CStructure } from './types.ts';

type Json = Record<string, any>;

/** Evaluation environment: %resource and %rootResource. */
export interface FastEnv {
  resource: Json;
  root: Json;
}

/** Items are raw JSON values; `null` stands for a node without a value (e.g. a primitive with only `_x`). */
type Coll = unknown[];
type Ev = (focus: Coll, env: FastEnv) => Coll;

/** Thrown (preallocated) when a run-time value falls outside what the fast path mirrors exactly. */
export const BAIL: { bail: true } = { bail: true };
function bail(): never {
  throw BAIL;
}

// Static types. `node` = FHIR data (ResourceNode in fhirpath.js); `sys` = System values (literals, results).
type T =
  | { k: 'complex'; el: CElement; sd: CStructure }
  | { k: 'prim'; code: string }
  | { k: 'resource'; rt?: string }
  | { k: 'mixed' }
  | { k: 'sysbool' }
  | { k: 'sysstr' }
  /** Plain JSON returned by a user function (resolve()): fhirpath.js types it System.Object. */
  | { k: 'plain' };

interface Compiled {
  ev: Ev;
  t: T;
}

/** FHIR primitive types whose fhirpath.js value is a plain JS string compared with ===. */
const STRINGISH = new Set(['string', 'code', 'uri', 'url', 'canonical', 'id', 'oid', 'uuid', 'markdown']);

// ---------------------------------------------------------------------------------------------------------
// Tokenizer

type Tok =
  | { k: 'id'; v: string }
  | { k: 'str'; v: string }
  | { k: 'var'; v: string }
  | { k: 'p'; v: string };

function tokenize(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ k: 'id', v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (ch === '%' || ch === '$') {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ k: 'var', v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== "'") {
        if (src[j] === '\\') return undefined; // escapes: leave to fhirpath.js
        j++;
      }
      if (j >= src.length) return undefined;
      out.push({ k: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (src.startsWith('!=', i)) {
      out.push({ k: 'p', v: '!=' });
      i += 2;
      continue;
    }
    if ('().,|=&'.includes(ch)) {
      out.push({ k: 'p', v: ch });
      i++;
      continue;
    }
    return undefined;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers mirroring fhirpath.js

const asList = (v: unknown): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Json[];

/**
 * resolve() without a server (the user function given to fhirpath.js, shared so both routes agree): local `#id`
 * references into the root resource's contained, or Bundle entries by fullUrl or Type/id. Inputs are plain JSON.
 */
export function resolveLocal(inputs: unknown[], root: Json | undefined): Json[] {
  const out: Json[] = [];
  for (const raw of inputs) {
    const ref = typeof raw === 'string' ? raw : (raw as Json | undefined)?.reference;
    if (typeof ref !== 'string' || !root) continue;
    if (ref.startsWith('#')) {
      const hit = asList(root.contained).find((c) => c?.id === ref.slice(1));
      if (hit) out.push(hit);
    } else if (root.resourceType === 'Bundle') {
      const hit = asList(root.entry).find((e) => e?.fullUrl === ref || (e?.resource && `${e.resource.resourceType}/${e.resource.id}` === ref));
      if (hit?.resource) out.push(hit.resource);
    }
  }
  return out;
}

/** misc.singleton(coll, 'Boolean'): [] | boolean; more than one item throws in fhirpath.js (so: bail). */
function toBool(c: Coll): boolean | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1) bail();
  const v = c[0];
  if (v === null || v === undefined) return undefined;
  return v === true || v === false ? v : true;
}

const TRUE: Coll = [true];
const FALSE: Coll = [false];
const EMPTY: Coll = [];
const ofBool = (b: boolean | undefined): Coll => (b === undefined ? EMPTY : b ? TRUE : FALSE);

function isTrue(c: Coll): boolean {
  return c.length === 1 && c[0] === true;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Child navigation (util.makeChildResNodes) for one JSON key. */
/** `shadowKey` is `_${key}`, made once at compile time (not a new string per evaluation). */
function pushChild(out: unknown[], obj: Json, key: string, shadowKey: string): void {
  const toAdd = obj[key];
  const shadow = obj[shadowKey];
  const someAdd = !(toAdd === null || toAdd === undefined || (Array.isArray(toAdd) && toAdd.length === 0));
  const someShadow = !(shadow === null || shadow === undefined || (Array.isArray(shadow) && shadow.length === 0));
  if (!someAdd && !someShadow) return;
  if (Array.isArray(toAdd)) {
    for (const x of toAdd) out.push(x === undefined ? null : x);
    const sl = Array.isArray(shadow) ? shadow.length : 0;
    for (let i = toAdd.length; i < sl; i++) out.push(null);
    return;
  }
  if ((toAdd === null || toAdd === undefined) && Array.isArray(shadow)) {
    for (let i = 0; i < shadow.length; i++) out.push(null);
    return;
  }
  out.push(toAdd === undefined ? null : toAdd);
}

// ---------------------------------------------------------------------------------------------------------
// Compiler

export class FastPathCompiler {
  constructor(private readonly model: VersionModel) {}

  /** Static type of a base path (e.g. `Bundle.entry`, `Period`), resolved on the base definitions. */
  baseType(basePath: string): T | undefined {
    const segs = basePath.split('.');
    const sd = this.model.typeStructure(segs[0]!);
    if (!sd || sd.kind === 'primitive-type') return undefined;
    let t: T = { k: 'complex', el: sd.root, sd };
    for (let i = 1; i < segs.length; i++) {
      const next = this.child(t, segs[i]!.replace(/\[x\]$/, ''));
      if (!next || next.t.k !== 'complex') return undefined;
      t = next.t;
    }
    return t;
  }

  /** Is `name` a plain (non-choice) member of the type at `basePath`? False when unknown or `name[x]`. */
  isPlainMember(basePath: string, name: string): boolean {
    const t = this.baseType(basePath);
    if (!t || t.k !== 'complex' || !t.el.children) return false;
    return t.el.children.some((x) => x.name === name);
  }

  /** JSON keys and item type of a member of a complex type; undefined when unknown here. */
  private child(t: T, name: string): { keys: string[]; t: T } | undefined {
    if (t.k === 'resource') {
      // Any resource: only the members every resource has, typed by Resource (id, meta, implicitRules, language).
      const rsd = this.model.typeStructure('Resource');
      if (!rsd) return undefined;
      return this.child({ k: 'complex', el: rsd.root, sd: rsd }, name);
    }
    if (t.k !== 'complex') return undefined;
    const kids = t.el.children?.length ? t.el : undefined;
    if (!kids) return undefined;
    const c = kids.children!.find((x) => x.name === name || x.name === `${name}[x]`);
    if (!c) return undefined;
    if (c.name.endsWith('[x]')) {
      const keys = c.types.map((x) => name + cap(x.code));
      if (c.types.length === 1) {
        const one = this.typeOf(c, c.types[0]!.code, t.sd);
        return one ? { keys, t: one } : undefined;
      }
      return { keys, t: { k: 'mixed' } };
    }
    if (c.types.length > 1) return undefined;
    const code = c.types[0]?.code;
    if (!code && !c.contentRef) return undefined;
    const ct = this.typeOf(c, code ?? '', t.sd);
    return ct ? { keys: [name], t: ct } : undefined;
  }

  private typeOf(c: CElement, code: string, sd: CStructure): T | undefined {
    const m = this.model;
    if (c.contentRef) {
      const target = m.elementByPath(sd, c.contentRef);
      return target ? { k: 'complex', el: target, sd } : undefined;
    }
    if (m.isResourceType(code)) return { k: 'resource' };
    if (m.isPrimitive(code)) return { k: 'prim', code };
    if (c.children?.length) return { k: 'complex', el: c, sd };
    const tsd = m.typeStructure(code);
    if (!tsd || !tsd.root.children?.length) return undefined;
    return { k: 'complex', el: tsd.root, sd: tsd };
  }

  /** Compiles `expression` evaluated on a node of `basePath`; undefined when outside the subset. */
  compile(basePath: string, expression: string): ((node: Json, env: FastEnv) => boolean) | undefined {
    const base = this.baseType(basePath);
    if (!base) return undefined;
    if (DISTINCT_UNION.test(expression)) {
      // `(a | b).isDistinct()`: fhirpath.js's union already removes duplicates (combining.union = distinctFn), so
      // isDistinct() of it is always true; member paths and descendants() cannot raise. (CodeSystem csd-1 in STU3.)
      return () => true;
    }
    const toks = tokenize(expression);
    if (!toks) return undefined;
    const resourceType = this.model.isResourceType(basePath.split('.')[0]!) ? basePath.split('.')[0]! : undefined;
    const p = new Parser(toks, this, base, resourceType);
    let c: Compiled | undefined;
    try {
      c = p.parseExpr(base);
      if (!p.done()) return undefined;
    } catch (e) {
      if (e === NO) return undefined;
      throw e;
    }
    if (!c || c.t.k !== 'sysbool') return undefined;
    const ev = c.ev;
    return (node, env) => {
      const r = ev([node], env);
      return !(r.length === 1 && r[0] === false);
    };
  }

  /** Member navigation of a compiled input. */
  nav(input: Compiled, name: string): Compiled {
    const ch = this.child(input.t, name);
    if (!ch) throw NO;
    const keys = ch.keys;
    const inner = input.ev;
    let ev: Ev;
    if (keys.length === 1) {
      const key = keys[0]!;
      const shadowKey = `_${key}`;
      ev = (focus, env) => {
        const items = inner(focus, env);
        const out: unknown[] = [];
        for (const it of items) {
          if (it === null) continue;
          if (typeof it !== 'object' || Array.isArray(it)) bail();
          pushChild(out, it as Json, key, shadowKey);
        }
        return out;
      };
    } else {
      // Choice: scan the object's own keys (few) against the choice keys and their `_` forms (many).
      const lookup = new Map<string, string>();
      const shadowOf = new Map<string, string>();
      for (const k of keys) {
        lookup.set(k, k);
        lookup.set(`_${k}`, k);
        shadowOf.set(k, `_${k}`);
      }
      ev = (focus, env) => {
        const items = inner(focus, env);
        const out: unknown[] = [];
        for (const it of items) {
          if (it === null) continue;
          if (typeof it !== 'object' || Array.isArray(it)) bail();
          let found: string | undefined;
          for (const jk in it as Json) {
            const k = lookup.get(jk);
            if (k === undefined || k === found || (it as Json)[jk] === undefined) continue;
            if (found) bail(); // two choices present: fhirpath.js picks by its own type order
            found = k;
          }
          if (found) pushChild(out, it as Json, found, shadowOf.get(found)!);
        }
        return out;
      };
    }
    return { ev, t: ch.t };
  }
}

const PATH_ONLY = String.raw`\s*(?:[a-z][A-Za-z]*|descendants\(\))(?:\.(?:[a-z][A-Za-z]*|descendants\(\)))*\s*`;
const DISTINCT_UNION = new RegExp(String.raw`^\(${PATH_ONLY}\|${PATH_ONLY}\)\.isDistinct\(\)$`);

const NO = { no: true };
function no(): never {
  throw NO;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly c: FastPathCompiler,
    private readonly base: T,
    private readonly resourceType: string | undefined,
  ) {}

  done(): boolean {
    return this.i === this.toks.length;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private isP(v: string): boolean {
    const t = this.toks[this.i];
    return !!t && t.k === 'p' && t.v === v;
  }

  private isKw(v: string): boolean {
    const t = this.toks[this.i];
    return !!t && t.k === 'id' && t.v === v;
  }

  private expectP(v: string): void {
    if (!this.isP(v)) no();
    this.i++;
  }

  /** `thisT` is the type of $this for identifiers at the start of a term. */
  parseExpr(thisT: T): Compiled {
    return this.parseImplies(thisT);
  }

  private parseImplies(thisT: T): Compiled {
    let left = this.parseOr(thisT);
    while (this.isKw('implies')) {
      this.i++;
      const right = this.parseOr(thisT);
      left = logic('implies', left, right);
    }
    return left;
  }

  private parseOr(thisT: T): Compiled {
    let left = this.parseAnd(thisT);
    while (this.isKw('or') || this.isKw('xor')) {
      const op = (this.peek() as { v: string }).v as 'or' | 'xor';
      this.i++;
      const right = this.parseAnd(thisT);
      left = logic(op, left, right);
    }
    return left;
  }

  private parseAnd(thisT: T): Compiled {
    let left = this.parseMembership(thisT);
    while (this.isKw('and')) {
      this.i++;
      const right = this.parseMembership(thisT);
      left = logic('and', left, right);
    }
    return left;
  }

  private parseMembership(thisT: T): Compiled {
    const left = this.parseEquality(thisT);
    if (this.isKw('in')) {
      this.i++;
      const right = this.parseEquality(thisT);
      return membership(left, right);
    }
    if (this.isKw('contains')) no();
    return left;
  }

  private parseEquality(thisT: T): Compiled {
    const left = this.parseUnion(thisT);
    if (this.isP('=') || this.isP('!=')) {
      const neg = (this.peek() as { v: string }).v === '!=';
      this.i++;
      const right = this.parseUnion(thisT);
      return equality(left, right, neg);
    }
    return left;
  }

  private parseUnion(thisT: T): Compiled {
    let left = this.parseTypeExpr(thisT);
    while (this.isP('|')) {
      this.i++;
      const right = this.parseTypeExpr(thisT);
      left = union(left, right);
    }
    return left;
  }

  /** `x is Type`, only for plain JSON from resolve(): System.Object is never a FHIR type in fhirpath.js. */
  private parseTypeExpr(thisT: T): Compiled {
    const left = this.parseAdditive(thisT);
    if (this.isKw('as')) no();
    if (!this.isKw('is')) return left;
    this.i++;
    const t = this.peek();
    if (!t || t.k !== 'id' || !/^[A-Z][A-Za-z]+$/.test(t.v) || t.v === 'Object') no();
    this.i++;
    if (this.isP('.')) no(); // qualified names (FHIR.Patient, System.String)
    if (left.t.k !== 'plain') no();
    const le = left.ev;
    return {
      ev: (f, env) => {
        const c = le(f, env);
        if (c.length === 0) return EMPTY;
        if (c.length > 1) bail();
        return FALSE;
      },
      t: { k: 'sysbool' },
    };
  }

  private parseAdditive(thisT: T): Compiled {
    let left = this.parseInvocation(thisT);
    while (this.isP('&')) {
      this.i++;
      const right = this.parseInvocation(thisT);
      left = concat(left, right);
    }
    return left;
  }

  private parseInvocation(thisT: T): Compiled {
    let cur = this.parseTerm(thisT);
    while (this.isP('.')) {
      this.i++;
      const t = this.peek();
      if (!t || t.k !== 'id') no();
      this.i++;
      if (this.isP('(')) cur = this.fn(cur, t.v);
      else cur = this.c.nav(cur, t.v);
    }
    return cur;
  }

  private parseTerm(thisT: T): Compiled {
    const t = this.peek();
    if (!t) no();
    const self: Compiled = { ev: (focus) => focus, t: thisT };
    if (t.k === 'str') {
      this.i++;
      const v: Coll = [t.v];
      return { ev: () => v, t: { k: 'sysstr' } };
    }
    if (t.k === 'p' && t.v === '(') {
      this.i++;
      const inner = this.parseExpr(thisT);
      this.expectP(')');
      return inner;
    }
    if (t.k === 'var') {
      this.i++;
      if (t.v === '$this') return self;
      if (t.v === '%resource' && this.resourceType) {
        const rt = this.resourceType;
        const rsd = this.c.baseType(rt);
        if (!rsd) no();
        return {
          ev: (_f, env) => {
            if (env.resource?.resourceType !== rt) bail();
            return [env.resource];
          },
          t: rsd,
        };
      }
      no();
    }
    if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') {
        this.i++;
        const v: Coll = [t.v === 'true'];
        return { ev: () => v, t: { k: 'sysbool' } };
      }
      // A leading type name (`Bundle.entry`) or keyword: leave to fhirpath.js.
      if (/^[A-Z]/.test(t.v) || ['and', 'or', 'xor', 'implies', 'in', 'contains', 'is', 'as', 'div', 'mod'].includes(t.v)) no();
      this.i++;
      if (this.isP('(')) return this.fn(self, t.v);
      return this.c.nav(self, t.v);
    }
    no();
  }

  private fn(input: Compiled, name: string): Compiled {
    this.expectP('(');
    const inner = input.ev;
    switch (name) {
      case 'exists':
      case 'empty': {
        if (this.isP(')')) {
          this.i++;
          const want = name === 'exists';
          return { ev: (f, env) => ((inner(f, env).length > 0) === want ? TRUE : FALSE), t: { k: 'sysbool' } };
        }
        if (name === 'empty') no();
        const crit = this.criteria(input.t);
        return { ev: (f, env) => (where(inner(f, env), crit, env).length > 0 ? TRUE : FALSE), t: { k: 'sysbool' } };
      }
      case 'resolve': {
        this.expectP(')');
        const t = input.t;
        if (!(t.k === 'complex' && t.sd.type === 'Reference' && t.el === t.sd.root)) no();
        return { ev: (f, env) => resolveLocal(inner(f, env), env.root), t: { k: 'plain' } };
      }
      case 'select': {
        const e = this.parseExpr(input.t);
        this.expectP(')');
        const sel = e.ev;
        return {
          ev: (f, env) => {
            const out: unknown[] = [];
            for (const it of inner(f, env)) for (const x of sel([it], env)) out.push(x);
            return out;
          },
          t: e.t,
        };
      }
      case 'isDistinct': {
        this.expectP(')');
        if (input.t.k !== 'sysstr') no();
        return {
          ev: (f, env) => {
            const c = inner(f, env);
            for (const x of c) if (typeof x !== 'string') bail();
            return new Set(c).size === c.length ? TRUE : FALSE;
          },
          t: { k: 'sysbool' },
        };
      }
      case 'where': {
        const crit = this.criteria(input.t);
        return { ev: (f, env) => where(inner(f, env), crit, env), t: input.t };
      }
      case 'all': {
        const crit = this.criteria(input.t);
        return {
          ev: (f, env) => {
            for (const it of inner(f, env)) if (!isTrue(crit([it], env))) return FALSE;
            return TRUE;
          },
          t: { k: 'sysbool' },
        };
      }
      case 'not': {
        this.expectP(')');
        return { ev: (f, env) => { const b = toBool(inner(f, env)); return b === undefined ? EMPTY : b ? FALSE : TRUE; }, t: { k: 'sysbool' } };
      }
      case 'hasValue': {
        this.expectP(')');
        const t = input.t;
        if (t.k === 'prim') return { ev: (f, env) => { const c = inner(f, env); return c.length === 1 && c[0] !== null ? TRUE : FALSE; }, t: { k: 'sysbool' } };
        if (t.k === 'complex') return { ev: () => FALSE, t: { k: 'sysbool' } };
        no();
      }
      // eslint-disable-next-line no-fallthrough
      case 'first': {
        this.expectP(')');
        return { ev: (f, env) => { const c = inner(f, env); return c.length > 1 ? c.slice(0, 1) : c; }, t: input.t };
      }
      case 'contains': {
        const t = input.t;
        if (!(t.k === 'sysstr' || (t.k === 'prim' && STRINGISH.has(t.code)))) no();
        const arg = this.parseExpr(this.base);
        this.expectP(')');
        if (arg.t.k !== 'sysstr') no();
        const argEv = arg.ev;
        return {
          ev: (f, env) => {
            const c = inner(f, env);
            // fhirpath.js evaluates the argument against %context ($this of the whole expression).
            const a = argEv(f, env);
            if (c.length > 1 || a.length > 1) bail();
            if (c.length === 0 || a.length === 0) return EMPTY;
            const s = c[0];
            if (s === null) return EMPTY;
            if (typeof s !== 'string' || typeof a[0] !== 'string') bail();
            return (s as string).includes(a[0] as string) ? TRUE : FALSE;
          },
          t: { k: 'sysbool' },
        };
      }
      case 'is': {
        const t = this.peek();
        if (!t || t.k !== 'id') no();
        this.i++;
        this.expectP(')');
        const type = t.v;
        if (input.t.k !== 'resource' || type === 'Resource' || type === 'DomainResource' || !/^[A-Z][A-Za-z]+$/.test(type)) no();
        return {
          ev: (f, env) => {
            const c = inner(f, env);
            if (c.length > 1) bail();
            if (c.length === 0) return EMPTY;
            const r = c[0] as Json | null;
            if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') bail();
            return r.resourceType === type ? TRUE : FALSE;
          },
          t: { k: 'sysbool' },
        };
      }
      default:
        no();
    }
  }

  /** A criteria argument `(expr)`, evaluated per item with $this = the item. */
  private criteria(itemT: T): Ev {
    const e = this.parseExpr(itemT);
    this.expectP(')');
    return e.ev;
  }
}

function where(items: Coll, crit: Ev, env: FastEnv): Coll {
  const out: unknown[] = [];
  for (const it of items) if (isTrue(crit([it], env))) out.push(it);
  return out;
}

function logic(op: 'and' | 'or' | 'xor' | 'implies', l: Compiled, r: Compiled): Compiled {
  const le = l.ev;
  const re = r.ev;
  let ev: Ev;
  // fhirpath.js evaluates both operands (no short-circuit), so errors on either side surface the same way.
  switch (op) {
    case 'and':
      ev = (f, env) => {
        const a = toBool(le(f, env));
        const b = toBool(re(f, env));
        if (a === false || b === false) return FALSE;
        if (a === true && b === true) return TRUE;
        return EMPTY;
      };
      break;
    case 'or':
      ev = (f, env) => {
        const a = toBool(le(f, env));
        const b = toBool(re(f, env));
        if (a === true || b === true) return TRUE;
        if (a === false && b === false) return FALSE;
        return EMPTY;
      };
      break;
    case 'xor':
      ev = (f, env) => {
        const a = toBool(le(f, env));
        const b = toBool(re(f, env));
        if (a === undefined || b === undefined) return EMPTY;
        return a !== b ? TRUE : FALSE;
      };
      break;
    case 'implies':
      ev = (f, env) => {
        const a = toBool(le(f, env));
        const b = toBool(re(f, env));
        if (a === false) return TRUE;
        if (a === true) return ofBool(b);
        return b === true ? TRUE : EMPTY;
      };
      break;
  }
  return { ev, t: { k: 'sysbool' } };
}

/** Types whose items compare with === against a System literal, as fhirpath.js deepEqual does for them. */
function scalarKind(t: T): 'str' | 'bool' | undefined {
  if (t.k === 'sysstr') return 'str';
  if (t.k === 'sysbool') return 'bool';
  if (t.k === 'prim' && STRINGISH.has(t.code)) return 'str';
  if (t.k === 'prim' && t.code === 'boolean') return 'bool';
  return undefined;
}

const isSys = (t: T) => t.k === 'sysstr' || t.k === 'sysbool';

function equality(l: Compiled, r: Compiled, neg: boolean): Compiled {
  const lk = scalarKind(l.t);
  const rk = scalarKind(r.t);
  // Two FHIR nodes compare their extensions too in fhirpath.js; only node-vs-System or System-vs-System here.
  if (!lk || !rk || (!isSys(l.t) && !isSys(r.t))) no();
  const le = l.ev;
  const re = r.ev;
  const jsType = (k: 'str' | 'bool') => (k === 'str' ? 'string' : 'boolean');
  return {
    ev: (f, env) => {
      const a = le(f, env);
      const b = re(f, env);
      if (a.length === 0 || b.length === 0) return EMPTY;
      if (a.length > 1 || b.length > 1) bail();
      const x = a[0];
      const y = b[0];
      if (typeof x !== jsType(lk) || typeof y !== jsType(rk)) bail();
      return (x === y) !== neg ? TRUE : FALSE;
    },
    t: { k: 'sysbool' },
  };
}

function membership(l: Compiled, r: Compiled): Compiled {
  const lk = scalarKind(l.t);
  if (lk !== 'str' || r.t.k !== 'sysstr') no();
  const le = l.ev;
  const re = r.ev;
  return {
    ev: (f, env) => {
      const a = le(f, env);
      const b = re(f, env);
      if (a.length === 0) return EMPTY;
      if (b.length === 0) return FALSE;
      if (a.length > 1) bail();
      const x = a[0];
      if (typeof x !== 'string') bail();
      return b.includes(x) ? TRUE : FALSE;
    },
    t: { k: 'sysbool' },
  };
}

/** `a & b` (math.amp): String singletons, empty (or no value) counts as ''. */
function concat(l: Compiled, r: Compiled): Compiled {
  if (scalarKind(l.t) !== 'str' || scalarKind(r.t) !== 'str') no();
  const le = l.ev;
  const re = r.ev;
  const str = (c: Coll): string => {
    if (c.length === 0) return '';
    if (c.length > 1) bail();
    const v = c[0];
    if (v === null) return '';
    if (typeof v !== 'string') bail();
    return v;
  };
  return { ev: (f, env) => [str(le(f, env)) + str(re(f, env))], t: { k: 'sysstr' } };
}

function union(l: Compiled, r: Compiled): Compiled {
  // Only unions of System string literals (`('a' | 'b')`), deduplicated as fhirpath.js does.
  if (l.t.k !== 'sysstr' || r.t.k !== 'sysstr') no();
  const le = l.ev;
  const re = r.ev;
  return {
    ev: (f, env) => {
      const out: unknown[] = [];
      for (const x of [...le(f, env), ...re(f, env)]) if (!out.includes(x)) out.push(x);
      return out;
    },
    t: { k: 'sysstr' },
  };
}
