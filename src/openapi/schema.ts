// OpenAPI 3.0 Schema Object → JSON Schema (draft-07, as ajv reads it).
// OAS 3.0 schemas are a superset/subset of draft-05/07; only the differences are rewritten here.

export type Direction = 'request' | 'response';
type Obj = Record<string, unknown>;

export interface ConvertOptions {
  direction: Direction;
  /** Rewrites an internal `#/...` ref to the absolute id ajv knows the component document by. */
  refBase: string;
  /** Formats ajv can check; any other `format` is an annotation only (OAS allows custom formats). */
  knownFormats: ReadonlySet<string>;
  /** Follows `$ref` in the source document (to see readOnly/writeOnly behind a ref). */
  deref: (node: unknown) => unknown;
}

const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_KEYWORDS = new Set(['not', 'additionalProperties', 'items', 'additionalItems', 'contains', 'propertyNames']);
// Annotations and OAS-only keywords ajv must not see (discriminator is a hint; oneOf/anyOf do the validating).
const DROPPED = new Set(['nullable', 'example', 'discriminator', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly', 'title', 'description']);

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function convertSchema(schema: unknown, opts: ConvertOptions): unknown {
  if (!isObj(schema)) return schema; // boolean schemas stay as they are
  if (typeof schema.$ref === 'string') {
    // OAS 3.0: properties next to $ref are ignored.
    return { $ref: absoluteRef(schema.$ref, opts.refBase) };
  }
  const out: Obj = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObj(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(v, opts)]));
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convertSchema(v, opts));
    } else if (SCHEMA_KEYWORDS.has(key)) {
      out[key] = Array.isArray(value) ? value.map((v) => convertSchema(v, opts)) : convertSchema(value, opts);
    } else if (key === 'format') {
      if (typeof value === 'string' && opts.knownFormats.has(value)) out[key] = value;
    } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
      // draft-04 style boolean modifier → draft-07 number
      const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (value && typeof schema[bound] === 'number') {
        out[key] = schema[bound];
        delete out[bound];
      }
    } else if ((key === 'minimum' || key === 'maximum') && schema[key === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true) {
      // handled with the exclusive keyword
    } else {
      out[key] = value;
    }
  }
  applyReadWriteOnly(schema, out, opts);
  if (schema.nullable === true) return makeNullable(out);
  return out;
}

function makeNullable(out: Obj): Obj {
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
    return out;
  }
  // no type (e.g. allOf/$ref composition): null, else the schema (if/else keeps the schema's own errors readable)
  return { if: { type: 'null' }, else: out };
}

// readOnly properties are not required in requests; writeOnly properties must not appear in responses.
function applyReadWriteOnly(source: Obj, out: Obj, opts: ConvertOptions): void {
  if (!isObj(source.properties)) return;
  const flag = opts.direction === 'request' ? 'readOnly' : 'writeOnly';
  const flagged = Object.entries(source.properties)
    .filter(([, v]) => isObj(opts.deref(v)) && (opts.deref(v) as Obj)[flag] === true)
    .map(([k]) => k);
  if (flagged.length === 0) return;
  if (Array.isArray(out.required)) {
    const kept = out.required.filter((r) => !flagged.includes(String(r)));
    if (kept.length > 0) out.required = kept;
    else delete out.required;
  }
  if (opts.direction === 'response' && isObj(out.properties)) {
    const props = out.properties;
    for (const name of flagged) props[name] = false;
  }
}

export function absoluteRef(ref: string, base: string): string {
  if (!ref.startsWith('#')) {
    throw new Error(
      `OpenAPI document contains an external $ref '${ref}'; only internal '#/components/...' refs are supported. ` +
        'Bundle the specification into one file first (for example `redocly bundle spec.yaml --ext json`).',
    );
  }
  return base + ref;
}
