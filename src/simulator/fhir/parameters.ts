// Reads a FHIR Parameters resource against a per-operation spec, raising the documented 422 codes with field paths.
import { unprocessable } from '../errors.ts';

export type ValueType =
  | 'valueCoding' | 'valueCodeableConcept' | 'valueIdentifier' | 'valueString' | 'valueBoolean'
  | 'valueUnsignedInt' | 'valueInstant' | 'valueReference' | 'resource' | 'any';

export interface ParamSpec {
  type: ValueType;
  min: 0 | 1;
  /** coding system the value must use; a function for systems with a variable base */
  system?: string | ((system: unknown) => boolean);
  /** allowed codes (INVALID_CODE otherwise) */
  codes?: readonly string[];
  /** identifier system the value must use (INVALID_VALUE otherwise) */
  identifierSystem?: string;
  /** the parameter may appear more than once (0..* attachments); every occurrence is in ReadParam.all */
  repeats?: boolean;
}

export type ParamSpecs = Record<string, ParamSpec>;

export interface ReadParam {
  name: string;
  /** FHIRPath-style location of the parameter, e.g. parameter[3] or parameter[4].resource.parameter[1] */
  path: string;
  type: ValueType;
  value: unknown;
  /** every occurrence, in order, of a parameter whose spec repeats */
  all?: ReadParam[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validates structure, names, cardinality and codes; returns the parameters by name. */
export function readParameters(resource: unknown, specs: ParamSpecs, base = ''): Map<string, ReadParam> {
  if (!isObject(resource)) throw unprocessable('INVALID_FHIR_STRUCTURE', `${base || 'body'}: expected a Parameters resource object`);
  const list = resource.parameter ?? [];
  if (!Array.isArray(list)) throw unprocessable('INVALID_FHIR_STRUCTURE', `${base}parameter: expected an array`);
  const found = new Map<string, ReadParam>();
  list.forEach((entry: unknown, i) => {
    const path = `${base}parameter[${i}]`;
    if (!isObject(entry) || typeof entry.name !== 'string') throw unprocessable('INVALID_FHIR_STRUCTURE', `${path}.name: expected a parameter with a string name`);
    // own names only: 'constructor' or '__proto__' must not find Object.prototype's members
    const spec = Object.hasOwn(specs, entry.name) ? specs[entry.name] : undefined;
    if (!spec) throw unprocessable('UNEXPECTED_FIELD', `${path}: unknown parameter name '${entry.name}'`);
    const valueKeys = Object.keys(entry).filter((k) => k.startsWith('value') || k === 'resource' || k === 'part');
    if (valueKeys.length !== 1 || (spec.type !== 'any' && valueKeys[0] !== spec.type)) {
      const expected = spec.type === 'any' ? 'exactly one value[x]' : spec.type;
      throw unprocessable('INVALID_FHIR_STRUCTURE', `${path} (${entry.name}): expected ${expected}, got ${valueKeys.join(', ') || 'no value'}`);
    }
    const key = valueKeys[0] as string;
    const earlier = found.get(entry.name);
    if (earlier && !spec.repeats) throw unprocessable('INVALID_FHIR_STRUCTURE', `${path}: parameter '${entry.name}' may appear at most once`);
    checkShape(entry[key], spec.type === 'any' ? 'any' : spec.type, `${path}.${key}`);
    const read: ReadParam = { name: entry.name, path, type: key as ValueType, value: entry[key] };
    if (earlier) earlier.all!.push(read);
    else found.set(entry.name, spec.repeats ? { ...read, all: [read] } : read);
  });
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.min === 1 && !found.has(name)) throw unprocessable('MISSING_VALUE', `${base}parameter: mandatory parameter '${name}' is missing`);
  }
  for (const p of found.values()) checkCodes(p, specs[p.name] as ParamSpec);
  return found;
}

function checkShape(value: unknown, type: ValueType, path: string): void {
  const bad = (what: string) => unprocessable('INVALID_FHIR_STRUCTURE', `${path}: expected ${what}`);
  switch (type) {
    case 'valueCoding':
      if (!isObject(value) || typeof value.code !== 'string' || (value.system !== undefined && typeof value.system !== 'string')) throw bad('a Coding with a string code');
      return;
    case 'valueCodeableConcept':
      if (!isObject(value) || !Array.isArray(value.coding) || value.coding.length === 0) throw bad('a CodeableConcept with a coding array');
      value.coding.forEach((c: unknown, i) => {
        if (!isObject(c) || typeof c.code !== 'string') throw unprocessable('INVALID_FHIR_STRUCTURE', `${path}.coding[${i}]: expected a Coding with a string code`);
      });
      return;
    case 'valueIdentifier':
      if (!isObject(value) || typeof value.value !== 'string' || (value.system !== undefined && typeof value.system !== 'string')) throw bad('an Identifier with a string value');
      return;
    case 'valueString':
    case 'valueInstant':
      if (typeof value !== 'string') throw bad('a string');
      return;
    case 'valueBoolean':
      if (typeof value !== 'boolean') throw bad('a boolean');
      return;
    case 'valueUnsignedInt':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('an unsignedInt number');
      if (!Number.isInteger(value) || value < 0) throw unprocessable('INVALID_VALUE', `${path}: ${value} is not an unsignedInt (a whole number >= 0)`);
      return;
    case 'resource':
      if (!isObject(value)) throw bad('a resource object');
      return;
    case 'valueReference':
      if (!isObject(value) || typeof value.reference !== 'string') throw bad('a Reference with a string reference');
      return;
    case 'any':
      return;
  }
}

function checkCodes(p: ReadParam, spec: ParamSpec): void {
  if (p.type === 'valueCoding' || p.type === 'valueCodeableConcept') {
    const coding = (p.type === 'valueCoding' ? p.value : ((p.value as Json).coding as Json[])[0]) as Json;
    const at = p.type === 'valueCoding' ? `${p.path}.valueCoding` : `${p.path}.valueCodeableConcept.coding[0]`;
    if (spec.system !== undefined) {
      const ok = typeof spec.system === 'function' ? spec.system(coding.system) : coding.system === spec.system;
      if (!ok) throw unprocessable('INVALID_CODE', `${at}.system: '${String(coding.system)}' is not the code system for '${p.name}'`);
    }
    if (spec.codes && !spec.codes.includes(coding.code as string)) {
      throw unprocessable('INVALID_CODE', `${at}.code: '${String(coding.code)}' is not a valid ${p.name} code`);
    }
  }
  if (p.type === 'valueIdentifier' && spec.identifierSystem !== undefined) {
    const id = p.value as Json;
    if (id.system !== spec.identifierSystem) throw unprocessable('INVALID_VALUE', `${p.path}.valueIdentifier.system: expected '${spec.identifierSystem}'`);
    if ((id.value as string).trim() === '') throw unprocessable('MISSING_VALUE', `${p.path}.valueIdentifier.value: must not be empty`);
  }
}

export function codeOf(p: ReadParam | undefined): string | undefined {
  if (!p) return undefined;
  if (p.type === 'valueCoding') return (p.value as Json).code as string;
  if (p.type === 'valueCodeableConcept') return (((p.value as Json).coding as Json[])[0] as Json).code as string;
  return undefined;
}

export function identifierOf(p: ReadParam | undefined): string | undefined {
  return p && p.type === 'valueIdentifier' ? ((p.value as Json).value as string) : undefined;
}

/** Path of the code / identifier value inside a parameter, for diagnostics. */
export function valuePath(p: ReadParam): string {
  if (p.type === 'valueIdentifier') return `${p.path}.valueIdentifier.value`;
  if (p.type === 'valueCoding') return `${p.path}.valueCoding.code`;
  if (p.type === 'valueCodeableConcept') return `${p.path}.valueCodeableConcept.coding[0].code`;
  return `${p.path}.${p.type}`;
}
