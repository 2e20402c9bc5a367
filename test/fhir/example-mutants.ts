// Single-fault mutants of real resources (the e-RS examples): each mutant changes one element in one way and names the
// element it changed. Sites are found by walking the resource with the core definitions, so "a required element",
// "a code with a required binding" or "an instant" mean what the specification says. Shared by
// test/fhir/example-mutants.test.ts and bench/validate.ts.
import { loadCore } from '../../src/fhir/definitions.ts';
import { VersionModel } from '../../src/fhir/model.ts';
import type { CElement, CStructure, FhirVersion } from '../../src/fhir/types.ts';

type Json = Record<string, any>;

export type MutantKind =
  | 'missing required element' | 'bad required code' | 'unknown element' | 'wrong JSON type' | 'bad instant'
  | 'array given as single' | 'single given as array' | 'extension without url' | 'narrative not XHTML'
  | 'narrative without XHTML namespace' | 'narrative with a disallowed element' | 'invalid id' | 'empty string';

export interface Mutant {
  kind: MutantKind;
  /** FHIRPath-style location of the mutated element, as the validator names it. */
  path: string;
  resource: Json;
}

const models = new Map<FhirVersion, VersionModel>();
function model(v: FhirVersion): VersionModel {
  let m = models.get(v);
  if (!m) models.set(v, (m = new VersionModel(loadCore(v))));
  return m;
}

/** One place a mutation can be applied: the JSON container, key (and index), and what is there. */
interface Site {
  kind: MutantKind;
  path: string;
  apply: (copy: Json) => void;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a list of keys/indexes from the root of a copy. */
function at(root: Json, steps: (string | number)[]): any {
  let cur: any = root;
  for (const s of steps) cur = cur[s];
  return cur;
}

const GOOD_DIV = '<div xmlns="http://www.w3.org/1999/xhtml">mutant</div>';

/** Every single-fault site of a resource (walked with the base definitions of its version). */
function sitesOf(res: Json, version: FhirVersion): Site[] {
  const m = model(version);
  const sites: Site[] = [];
  const walkResource = (r: Json, path: string, steps: (string | number)[]) => {
    const sd = m.typeStructure(String(r.resourceType));
    if (!sd || sd.kind !== 'resource') return;
    sites.push({ kind: 'invalid id', path: `${path}.id`, apply: (c) => { at(c, steps).id = 'not a valid id!'; } });
    if ('text' in (sd.root.children ? Object.fromEntries(sd.root.children.map((x) => [x.name, 1])) : {})) {
      const setDiv = (div: string) => (c: Json) => {
        const node = at(c, steps);
        node.text = { ...(isObj(node.text) ? node.text : { status: 'generated' }), div };
      };
      sites.push({ kind: 'narrative not XHTML', path: `${path}.text.div`, apply: setDiv('a narrative that is plain text') });
      sites.push({ kind: 'narrative without XHTML namespace', path: `${path}.text.div`, apply: setDiv('<div>mutant</div>') });
      sites.push({ kind: 'narrative with a disallowed element', path: `${path}.text.div`, apply: setDiv(GOOD_DIV.replace('mutant', 'mutant<script>alert(1)</script>')) });
    }
    walkObject(r, sd.root, sd, path, steps, true);
  };
  const walkObject = (o: Json, el: CElement, sd: CStructure, path: string, steps: (string | number)[], isResource: boolean) => {
    const idx = m.childIndex(el);
    sites.push({ kind: 'unknown element', path: `${path}.bogusElement`, apply: (c) => { at(c, steps).bogusElement = 'x'; } });
    for (const child of el.children ?? []) {
      if (child.min < 1 || child.max === 0) continue;
      const base = child.name.replace('[x]', '');
      const keys = Object.keys(o).filter((k) => idx.get(k)?.el === child);
      if (keys.length !== 1 || `_${keys[0]}` in o) continue;
      sites.push({ kind: 'missing required element', path: `${path}.${base}`, apply: (c) => { delete at(c, steps)[keys[0]!]; } });
    }
    for (const key of Object.keys(o)) {
      if (key.startsWith('_') || (isResource && key === 'resourceType')) continue;
      const hit = idx.get(key);
      if (!hit) continue;
      const child = hit.el;
      const value = o[key];
      const childPath = `${path}.${key}`;
      if (Array.isArray(value)) {
        if (child.array && value.length === 1 && !(`_${key}` in o)) {
          sites.push({ kind: 'array given as single', path: childPath, apply: (c) => { const p = at(c, steps); p[key] = p[key][0]; } });
        }
        value.forEach((item, i) => visit(item, hit, child.array || value.length > 1 ? `${childPath}[${i}]` : childPath, [...steps, key, i], o, key, i));
      } else {
        if (!child.array && value !== null && !(`_${key}` in o)) {
          sites.push({ kind: 'single given as array', path: childPath, apply: (c) => { const p = at(c, steps); p[key] = [p[key], p[key]]; } });
        }
        // A lone value sent for a repeating element is validated (and named) as its first item.
        visit(value, hit, child.array ? `${childPath}[0]` : childPath, [...steps, key], o, key, undefined);
      }
    }
    function visit(v: unknown, hit: ReturnType<VersionModel['childIndex']> extends Map<string, infer H> ? H : never, p: string,
      s: (string | number)[], parent: Json, key: string, i: number | undefined) {
      const set = (x: unknown) => (c: Json) => {
        const holder = at(c, s.slice(0, -1));
        holder[s[s.length - 1]!] = x;
      };
      const shadowed = `_${key}` in parent;
      if (hit.primitive) {
        if (shadowed || v === null) return;
        const type = hit.code;
        if (typeof v === 'string') {
          sites.push({ kind: 'wrong JSON type', path: p, apply: set(42) });
          if (type !== 'xhtml') sites.push({ kind: 'empty string', path: p, apply: set('') });
          if (type === 'instant') sites.push({ kind: 'bad instant', path: p, apply: set('2020-01-01') });
          const b = hit.el.binding;
          if (type === 'code' && b?.strength === 'required' && b.valueSet && m.valueSet(b.valueSet)?.enumerable) {
            sites.push({ kind: 'bad required code', path: p, apply: set('not-a-code-in-this-value-set') });
          }
        } else if (typeof v === 'boolean' || typeof v === 'number') {
          sites.push({ kind: 'wrong JSON type', path: p, apply: set(String(v)) });
        }
        void i;
        return;
      }
      if (!isObj(v)) return;
      if (hit.resource) {
        walkResource(v, p, s);
        return;
      }
      if (hit.code === 'Extension' && typeof v.url === 'string') {
        sites.push({ kind: 'extension without url', path: p, apply: (c) => { delete at(c, s).url; } });
      }
      let container: CElement | undefined;
      let containerSd = sd;
      if (hit.el.children?.length) container = hit.el;
      else if (hit.el.contentRef) container = m.elementByPath(sd, hit.el.contentRef);
      else if (hit.typeSd) {
        container = hit.typeSd.root;
        containerSd = hit.typeSd;
      }
      if (container) walkObject(v, container, containerSd, p, s, false);
    }
  };
  walkResource(res, String(res.resourceType), []);
  return sites;
}

/**
 * The mutants of one resource: for each kind, up to `perKind` sites spread evenly over the resource (all when 0), in
 * a fixed order so runs are repeatable.
 */
export function mutantsOf(res: Json, version: FhirVersion, perKind = 3): Mutant[] {
  const byKind = new Map<MutantKind, Site[]>();
  for (const s of sitesOf(res, version)) {
    const list = byKind.get(s.kind);
    if (list) list.push(s);
    else byKind.set(s.kind, [s]);
  }
  const out: Mutant[] = [];
  for (const [kind, list] of byKind) {
    const n = perKind > 0 ? Math.min(perKind, list.length) : list.length;
    for (let j = 0; j < n; j++) {
      const site = list[Math.floor((j * list.length) / n)]!;
      const copy = structuredClone(res);
      site.apply(copy);
      out.push({ kind, path: site.path, resource: copy });
    }
  }
  return out;
}

/** Is a finding path at the mutated element (the element itself or inside it)? */
export function atElement(findingPath: string, mutated: string): boolean {
  return findingPath === mutated || findingPath.startsWith(`${mutated}.`) || findingPath.startsWith(`${mutated}[`);
}
