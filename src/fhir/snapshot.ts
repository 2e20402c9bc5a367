// Snapshot generation for differential-only StructureDefinitions, done on the compiled tree:
// clone the base profile's tree, unroll datatypes where the differential reaches into them, apply each element.
import { compileElementForMerge, stripVersion } from './compile.ts';
import type { CElement, CStructure, FhirVersion } from './types.ts';

type Json = Record<string, any>;

function clone<T>(v: T): T {
  return structuredClone(v);
}

function rebase(el: CElement, fromPrefix: string, toPrefix: string): CElement {
  const c = clone(el);
  const walk = (e: CElement) => {
    if (e.path === fromPrefix || e.path.startsWith(`${fromPrefix}.`)) e.path = toPrefix + e.path.slice(fromPrefix.length);
    e.children?.forEach(walk);
    e.slices?.forEach(walk);
  };
  walk(c);
  return c;
}

export function generateSnapshot(
  sd: Json,
  base: CStructure,
  fhirVersion: FhirVersion,
  typeStructure: (code: string) => CStructure | undefined,
): CStructure {
  const diff = (sd.differential?.element ?? []) as Json[];
  if (!diff.length) throw new Error('no differential elements');
  const root = clone(base.root);
  const lastAt = new Map<string, CElement>();
  lastAt.set(root.path, root);

  const childOf = (node: CElement, seg: string): CElement | undefined => {
    let hit = node.children?.find((c) => c.name === seg);
    if (hit) return hit;
    if (!node.children?.length && node.types.length === 1) {
      const ts = typeStructure(node.types[0]!.code);
      if (ts?.root.children) {
        node.children = ts.root.children.map((c) => rebase(c, ts.root.path, node.path));
        hit = node.children.find((c) => c.name === seg);
        if (hit) return hit;
      }
    }
    // Renamed choice (e.g. valueQuantity for value[x]): specialise the choice element in place.
    const choice = node.children?.find((c) => c.name.endsWith('[x]') && seg.startsWith(c.name.slice(0, -3)));
    if (choice) {
      const typeName = seg.slice(choice.name.length - 3);
      const t = choice.types.find((x) => x.code.toLowerCase() === typeName.toLowerCase());
      if (t) {
        choice.name = seg;
        choice.path = `${node.path}.${seg}`;
        choice.types = [t];
        return choice;
      }
    }
    return undefined;
  };

  for (let i = 0; i < diff.length; i++) {
    const d = diff[i]!;
    const path = d.path as string;
    if (i === 0 && !path.includes('.')) {
      mergeInto(root, d);
      continue;
    }
    const segs = path.split('.');
    let node: CElement | undefined = root;
    for (let s = 1; s < segs.length && node; s++) {
      const prefix = segs.slice(0, s + 1).join('.');
      const remembered: CElement | undefined = s < segs.length - 1 ? lastAt.get(prefix) : undefined;
      node = remembered ?? childOf(node, segs[s]!);
    }
    if (!node) throw new Error(`differential element ${d.id ?? path} is not in the base ${base.url}`);
    if (d.sliceName) {
      let slice = node.slices?.find((x) => x.sliceName === d.sliceName);
      if (!slice) {
        slice = clone({ ...node, slices: undefined, slicing: undefined }) as CElement;
        delete slice.slices;
        delete slice.slicing;
        slice.sliceName = d.sliceName;
        (node.slices ??= []).push(slice);
      }
      node = slice;
    }
    mergeInto(node, d);
    lastAt.set(path, node);
  }
  const out: CStructure = {
    url: sd.url,
    name: sd.name ?? sd.id,
    type: sd.type ?? base.type,
    kind: sd.kind ?? base.kind,
    fhirVersion,
    abstract: sd.abstract === true,
    root,
  };
  if (sd.version) out.version = sd.version;
  if (sd.derivation) out.derivation = sd.derivation;
  if (sd.baseDefinition) out.baseDefinition = stripVersion(sd.baseDefinition);
  return out;
}

function mergeInto(node: CElement, d: Json): void {
  const c = compileElementForMerge(d);
  if (typeof d.min === 'number') node.min = d.min;
  if (d.max !== undefined) node.max = c.max;
  if (d.type) node.types = c.types;
  if (c.binding) node.binding = c.binding;
  if (c.fixed !== undefined) node.fixed = c.fixed;
  if (c.pattern !== undefined) node.pattern = c.pattern;
  if (c.slicing) node.slicing = c.slicing;
  if (c.constraints) {
    const have = new Set((node.constraints ?? []).map((x) => x.key));
    node.constraints = [...(node.constraints ?? []), ...c.constraints.filter((x) => !have.has(x.key))];
  }
}
