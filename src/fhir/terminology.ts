// Terminology: expands enumerable value sets to `system|code` lists and checks coded values against bindings.
import type { CValueSet } from './types.ts';

type Json = Record<string, any>;

/** Looks a canonical (ValueSet or CodeSystem) up by url; returns undefined when unknown. */
export type CanonicalLookup = (url: string) => Json | undefined;

function collectConcepts(concepts: Json[] | undefined, out: string[]): void {
  if (!concepts) return;
  for (const c of concepts) {
    if (typeof c.code === 'string') out.push(c.code);
    collectConcepts(c.concept, out);
  }
}

/** Codes of a CodeSystem; undefined when its content is not complete here. */
function codeSystemCodes(cs: Json | undefined): string[] | undefined {
  if (!cs) return undefined;
  if (cs.content && cs.content !== 'complete') return undefined;
  const out: string[] = [];
  collectConcepts(cs.concept, out);
  return out.length ? out : undefined;
}

/** Expands a ValueSet (STU3 or R4) to a code list, or says why it cannot be enumerated. */
export function expandValueSet(url: string, lookup: CanonicalLookup, depth = 0): CValueSet {
  const vs = lookup(url);
  if (!vs || vs.resourceType !== 'ValueSet') return { url, enumerable: false, reason: 'value set not found', codes: [] };
  if (depth > 8) return { url, enumerable: false, reason: 'value set import depth exceeded', codes: [] };
  const codes = new Set<string>();
  // A stated expansion is authoritative when present (some STU3 value sets ship only an expansion).
  if (!vs.compose && vs.expansion?.contains) {
    const walk = (items: Json[]) => {
      for (const c of items) {
        if (c.system && c.code) codes.add(`${c.system}|${c.code}`);
        if (c.contains) walk(c.contains);
      }
    };
    walk(vs.expansion.contains);
    return { url, enumerable: true, codes: [...codes] };
  }
  const compose = vs.compose as Json | undefined;
  if (!compose) return { url, enumerable: false, reason: 'value set has no compose', codes: [] };
  const part = (inc: Json): { ok: true; codes: string[] } | { ok: false; reason: string } => {
    if (inc.filter?.length) return { ok: false, reason: `filter on ${inc.system}` };
    const found: string[] = [];
    const imports: string[] = [...(inc.valueSet ?? [])];
    if (inc.system) {
      if (inc.concept?.length) {
        for (const c of inc.concept) found.push(`${inc.system}|${c.code}`);
      } else {
        const all = codeSystemCodes(lookup(inc.system));
        if (!all) return { ok: false, reason: `code system ${inc.system} not enumerable here` };
        for (const c of all) found.push(`${inc.system}|${c}`);
      }
    }
    let result = inc.system ? found : undefined;
    for (const imp of imports) {
      const sub = expandValueSet(imp, lookup, depth + 1);
      if (!sub.enumerable) return { ok: false, reason: sub.reason ?? `import ${imp}` };
      if (result === undefined) result = sub.codes;
      else {
        const s = new Set(sub.codes);
        result = result.filter((c) => s.has(c));
      }
    }
    return { ok: true, codes: result ?? [] };
  };
  for (const inc of compose.include ?? []) {
    const r = part(inc);
    if (!r.ok) return { url, enumerable: false, reason: r.reason, codes: [] };
    for (const c of r.codes) codes.add(c);
  }
  for (const exc of compose.exclude ?? []) {
    const r = part(exc);
    if (!r.ok) return { url, enumerable: false, reason: r.reason, codes: [] };
    for (const c of r.codes) codes.delete(c);
  }
  return { url, enumerable: true, codes: [...codes] };
}

/** Fast membership view of a compiled value set. */
export interface ValueSetIndex {
  url: string;
  enumerable: boolean;
  reason?: string;
  has(system: string | undefined, code: string): boolean;
  hasCode(code: string): boolean;
}

export function indexValueSet(vs: CValueSet): ValueSetIndex {
  const full = new Set(vs.codes);
  const bare = new Set(vs.codes.map((c) => c.slice(c.lastIndexOf('|') + 1)));
  const idx: ValueSetIndex = {
    url: vs.url,
    enumerable: vs.enumerable,
    has: (system, code) => (system ? full.has(`${system}|${code}`) : false),
    hasCode: (code) => bare.has(code),
  };
  if (vs.reason) idx.reason = vs.reason;
  return idx;
}
