// FHIRPath invariants: the hottest ones implemented natively, the rest compiled once with fhirpath.js
// (with the STU3 or R4 model) and cached per (version, base path, expression).
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import stu3Model from 'fhirpath/fhir-context/stu3';
import { BAIL, FastPathCompiler, resolveLocal } from './fastpath.ts';
import type { VersionModel } from './model.ts';
import { fhirpathMatches } from './regex.ts';
import type { CConstraint, FhirVersion } from './types.ts';

type Json = Record<string, any>;

/** The resource scope an element sits in: `resource` is the nearest resource, `root` its outermost container. */
export interface Scope {
  resource: Json;
  root: Json;
  /** Lazily collected `reference` strings and canonical-like strings of the root resource (for dom-3). */
  refs?: Set<string>;
}

/** A native check returns true when the invariant holds, or the indexes of offending contained resources. */
export type NativeCheck = (node: Json, scope: Scope, version: FhirVersion) => boolean | number[];

function failing(list: Json[], bad: (c: Json) => boolean): true | number[] {
  const out: number[] = [];
  list.forEach((c, i) => {
    if (c && bad(c)) out.push(i);
  });
  return out.length ? out : true;
}

const DT_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function dateTimeBounds(s: unknown): { precision: number; low: number } | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DT_RE.exec(s);
  if (!m) return undefined;
  const precision = m[6] ? 6 : m[5] ? 5 : m[3] ? 3 : m[2] ? 2 : 1;
  const iso = precision >= 5 ? s.replace(/(T\d{2}:\d{2})(?=Z|[+-]|$)/, '$1:00') : s;
  const low = Date.parse(precision === 1 ? `${s}-01-01` : precision === 2 ? `${s}-01` : iso);
  return Number.isNaN(low) ? undefined : { precision, low };
}

function collectRefs(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, out);
  } else if (node && typeof node === 'object') {
    for (const k in node) {
      const v = (node as Json)[k];
      if (typeof v === 'string') {
        if (k === 'reference' || v.startsWith('#')) out.add(v);
      } else if (v && typeof v === 'object') collectRefs(v, out);
    }
  }
}

function hasSelfReference(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasSelfReference);
  if (node && typeof node === 'object') {
    for (const k in node) {
      const v = (node as Json)[k];
      if (k === 'reference' && v === '#') return true;
      if (v && typeof v === 'object' && hasSelfReference(v)) return true;
    }
  }
  return false;
}

const arr = (v: unknown): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Json[];

/** Native invariants: return true when the invariant holds. */
export const NATIVE: Record<string, NativeCheck> = {
  // ele-1 is checked structurally by the walker (empty objects / primitives without value or children).
  'ele-1': () => true,
  'ext-1': (n) => (Array.isArray(n.extension) && n.extension.length > 0) !== Object.keys(n).some((k) => k.startsWith('value')),
  'ref-1': (n, scope) => {
    const r = n.reference;
    if (typeof r !== 'string' || !r.startsWith('#') || r === '#') return true;
    const id = r.slice(1);
    return arr(scope.root.contained).some((c) => c?.id === id);
  },
  'per-1': (n) => {
    const s = dateTimeBounds(n.start);
    const e = dateTimeBounds(n.end);
    if (!s || !e || s.precision !== e.precision) return true;
    return s.low <= e.low;
  },
  'dom-1': (n) => failing(arr(n.contained), (c) => c.text !== undefined),
  'dom-2': (n) => failing(arr(n.contained), (c) => c.contained !== undefined),
  'dom-3': (n, scope, version) => {
    const contained = arr(n.contained);
    if (!contained.length) return true;
    if (!scope.refs) {
      scope.refs = new Set();
      collectRefs(scope.root, scope.refs);
    }
    return failing(contained, (c) => !(typeof c.id !== 'string' || scope.refs!.has(`#${c.id}`)
      || (version === 'R4' && hasSelfReference(c))));
  },
  'dom-4': (n) => failing(arr(n.contained), (c) => c.meta?.versionId !== undefined || c.meta?.lastUpdated !== undefined),
  'dom-5': (n) => failing(arr(n.contained), (c) => c.meta?.security !== undefined),
  'dom-6': (n) => typeof n.text?.div === 'string',
  // txt-1/txt-2 are checked by parsing the div (xhtml.ts), by the walker.
  'txt-1': () => true,
  'txt-2': () => true,
};

// Simple "a.empty() or b.exists()" style invariants are frequent in datatypes; evaluate them without fhirpath when
// both names are plain members of the base type (a choice such as `rate` means `rateQuantity`/`rateRange`: those go
// to the fast path, which knows the JSON names of choice elements).
const SIMPLE = /^\(?\s*([a-zA-Z]+)\.(empty|exists)\(\)\s*(or|and)\s*([a-zA-Z]+)\.(empty|exists)\(\)\s*\)?$/;

function present(n: Json, name: string): boolean {
  if (name in n) {
    const v = n[name];
    return !(v === null || (Array.isArray(v) && v.length === 0));
  }
  return `_${name}` in n;
}

function simpleCheck(expr: string, plain: (name: string) => boolean): NativeCheck | undefined {
  const m = SIMPLE.exec(expr.trim());
  if (!m) return undefined;
  const [, a, fa, op, b, fb] = m;
  if (!plain(a!) || !plain(b!)) return undefined;
  const test = (name: string, fn: string) => (n: Json) => (fn === 'exists' ? present(n, name) : !present(n, name));
  const ta = test(a!, fa!);
  const tb = test(b!, fb!);
  return op === 'or' ? (n) => ta(n) || tb(n) : (n) => ta(n) && tb(n);
}

/** trace() in core invariants must not write to stdout (it would corrupt `validate --format json`). */
function ignoreTrace(): void {}

function regexOn(inputs: unknown[], re: string, flags: string | undefined, full: boolean): boolean[] {
  if (!inputs.length || re === undefined || re === null) return [];
  if (inputs.length > 1) throw new Error('matches() expects a single string');
  const x = inputs[0] as { data?: unknown } | string;
  const v = typeof x === 'object' && x !== null && 'data' in x ? x.data : x;
  if (typeof v !== 'string') throw new Error('matches() expects a string');
  return [fhirpathMatches(v, String(re), flags, full)];
}

type FastFn = (node: Json, env: { resource: Json; root: Json }) => boolean;
const FAST_MEMO = Symbol('fastMemo');
interface FastMemo {
  engine: InvariantEngine;
  basePath: string;
  key: string;
  simple: NativeCheck | null;
  fn: FastFn | null;
}

export interface InvariantFailure {
  constraint: CConstraint;
}

export class InvariantEngine {
  private readonly compiled = new Map<string, ((node: unknown, env: Json) => unknown[]) | null>();
  private readonly simple = new Map<string, NativeCheck | null>();
  private readonly fast = new Map<string, FastFn | null>();
  private readonly fastCompiler: FastPathCompiler | undefined;
  /** When true, every fast-path result is compared with fhirpath.js (tests); differences land in `mismatches`. */
  crossCheck = false;
  readonly mismatches: string[] = [];
  /** How often each path was taken (tests and the bench use it to show coverage). */
  readonly stats = { native: 0, simple: 0, fast: 0, fhirpath: 0 };
  /** Expressions fhirpath.js could not compile or evaluate, with the error (reported by diagnostics()). */
  readonly unsupported = new Map<string, string>();

  private current: Scope | undefined;
  /** resolve() without a server: local (#id) references into the root resource's contained, or Bundle fullUrls. */
  private readonly functions = {
    resolve: {
      fn: (inputs: unknown[]) => resolveLocal(inputs, this.current?.root),
      arity: { 0: [] },
    },
    // Regexes written in packages run on re2js: linear in the input whatever the pattern.
    matches: {
      fn: (inputs: unknown[], re: string, flags?: string) => regexOn(inputs, re, flags, false),
      arity: { 1: ['String'], 2: ['String', 'String'] },
    },
    matchesFull: {
      fn: (inputs: unknown[], re: string, flags?: string) => regexOn(inputs, re, flags, true),
      arity: { 1: ['String'], 2: ['String', 'String'] },
    },
  };

  constructor(private readonly version: FhirVersion, model?: VersionModel) {
    if (model) this.fastCompiler = new FastPathCompiler(model);
  }

  /** True when the constraint holds (or cannot be evaluated; see `unsupported`); native dom-* checks may name offenders. */
  check(c: CConstraint, node: Json, basePath: string, scope: Scope, useNative: boolean): boolean | number[] {
    if (useNative) {
      const native = NATIVE[c.key];
      if (native) {
        this.stats.native++;
        return native(node, scope, this.version);
      }
    }
    if (!c.expression) return true;
    // The compiled route of (constraint, base path), remembered on the constraint for its last base path (almost
    // always its only one) so the hot path builds no key string.
    const memo = (c as unknown as { [FAST_MEMO]?: FastMemo })[FAST_MEMO];
    let key: string;
    let f: FastFn | null | undefined;
    let s: NativeCheck | null | undefined;
    if (memo && memo.engine === this && memo.basePath === basePath) {
      key = memo.key;
      f = memo.fn;
      s = memo.simple;
    } else {
      key = `${basePath}\u0000${c.expression}`;
      s = this.simple.get(key);
      if (s === undefined) {
        const fc = this.fastCompiler;
        s = simpleCheck(c.expression, (name) => !fc || fc.isPlainMember(basePath, name)) ?? null;
        this.simple.set(key, s);
      }
      f = this.fast.get(key);
      if (f === undefined) {
        f = !s && this.fastCompiler ? this.fastCompiler.compile(basePath, c.expression) ?? null : null;
        this.fast.set(key, f);
      }
      Object.defineProperty(c, FAST_MEMO, { value: { engine: this, basePath, key, simple: s, fn: f }, enumerable: false, configurable: true, writable: true });
    }
    if (s) {
      this.stats.simple++;
      return s(node, scope, this.version);
    }
    {
      if (f) {
        let r: boolean | undefined;
        try {
          r = f(node, scope);
        } catch (e) {
          if (e !== BAIL) throw e;
        }
        if (r !== undefined) {
          this.stats.fast++;
          if (this.crossCheck) {
            const slow = this.viaFhirpath(c, node, key, basePath, scope);
            if (slow !== r) this.mismatches.push(`${c.key} @${basePath}: fast ${r}, fhirpath ${slow} on ${JSON.stringify(node).slice(0, 300)}`);
          }
          return r;
        }
      }
    }
    this.stats.fhirpath++;
    return this.viaFhirpath(c, node, key, basePath, scope);
  }

  private viaFhirpath(c: CConstraint, node: Json, key: string, basePath: string, scope: Scope): boolean {
    let fn = this.compiled.get(key);
    if (fn === undefined) {
      try {
        const model = this.version === 'R4' ? r4Model : stu3Model;
        fn = fhirpath.compile({ base: basePath, expression: c.expression! }, model as any, { userInvocationTable: this.functions, traceFn: ignoreTrace } as any) as any;
      } catch (e) {
        fn = null;
        this.unsupported.set(`${c.key}: ${c.expression}`, (e as Error).message);
      }
      this.compiled.set(key, fn ?? null);
    }
    if (!fn) return true;
    try {
      this.current = scope;
      const r = fn(node, { resource: scope.resource, rootResource: scope.root });
      return !(r.length === 1 && r[0] === false);
    } catch (e) {
      this.unsupported.set(`${c.key}: ${c.expression}`, (e as Error).message);
      return true;
    }
  }
}
