// Contract checks of one HTTP exchange against the e-RS OpenAPI 3.0 document (rule family openapi:*).
// The document is parsed once; JSON schemas are converted and compiled per operation on first use.

import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { convertSchema, absoluteRef, type Direction } from './schema.ts';
import { parseTemplate, urlSegments, matchTemplate, candidateOffsets, type PathTemplate } from './paths.ts';

export type ContractRule =
  | 'openapi:unknown-operation'
  | 'openapi:status'
  | 'openapi:request-body'
  | 'openapi:response-body'
  | 'openapi:request-header'
  | 'openapi:response-header'
  | 'openapi:content-type'
  | 'openapi:query-parameter'
  | 'openapi:path-parameter';

export interface ContractFinding {
  severity: 'error' | 'warning' | 'information';
  rule: ContractRule;
  /** where: 'response.body/issue/0/code', 'request.header.If-Match', 'response.status', ... */
  path: string;
  message: string;
}

export interface ExchangeShape {
  method: string;
  /** absolute URL or path; any prefix before the spec path (e.g. /referrals/FHIR) is ignored */
  url: string;
  requestHeaders: Record<string, string>;
  /** parsed JSON, or undefined when there was no body (or it was not JSON) */
  requestBody?: unknown;
  requestContentType?: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: unknown;
  responseContentType?: string;
  accessMode?: 'user-restricted' | 'application-restricted';
}

export interface ContractOperation {
  operationId: string;
  method: string;
  path: string;
}

export interface Contract {
  operationFor(method: string, url: string): { operationId: string; path: string } | undefined;
  /** `maxFindingsPerBody` (default MAX_FINDINGS_PER_BODY) caps findings per body; pass Infinity to get them all,
   *  e.g. to apply suppressions before summarising. */
  check(ex: ExchangeShape, options?: { maxFindingsPerBody?: number }): ContractFinding[];
  operations(): ContractOperation[];
}

/** Findings reported per body (or per header/parameter value) before the rest are summarised. */
export const MAX_FINDINGS_PER_BODY = 20;

// e-RS headers that only apply to user-restricted access (the spec: "Not allowed for application-restricted access").
const USER_RESTRICTED_HEADERS = new Set(['nhsd-end-user-organisation-ods', 'nhsd-ers-business-function', 'nhsd-ers-on-behalf-of-user-id']);
// OAS 3.0 §Parameter Object: header parameters with these names SHALL be ignored (they are described elsewhere).
const IGNORED_HEADER_PARAMS = new Set(['accept', 'content-type', 'authorization']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

interface Operation {
  operationId: string;
  method: string; // upper case
  template: PathTemplate;
  op: Obj;
  parameters: Obj[]; // path-level merged with operation-level, refs resolved
}

// ajv-formats is CommonJS; under NodeNext its default import is the plugin function at run time.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin = ((ajvFormats as unknown as { default: unknown }).default as { default?: FormatsPlugin }).default ??
  ((ajvFormats as unknown as { default: FormatsPlugin }).default);

/** Load an OpenAPI 3 document (JSON or YAML, one bundled file) from a file path or an http(s) URL. */
export async function loadContract(source: string): Promise<Contract> {
  const text = await readSource(source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (jsonError) {
    try {
      doc = parseYaml(text);
    } catch {
      throw new Error(
        `The e-RS OpenAPI document at ${source} is not valid JSON (${(jsonError as Error).message}) nor YAML. ` +
          'Set ERS_OPENAPI to the bundled openapi.json of the e-RS API specification.',
      );
    }
  }
  return createContract(doc, source);
}

async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, { headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' } });
    } catch (e) {
      throw new Error(`Could not download the e-RS OpenAPI document from ${source}: ${(e as Error).message}. Check the URL in ERS_OPENAPI or point it at a local copy.`);
    }
    if (!res.ok) {
      throw new Error(`Could not download the e-RS OpenAPI document from ${source}: HTTP ${res.status}. Check the URL in ERS_OPENAPI or point it at a local copy.`);
    }
    return res.text();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        `The e-RS OpenAPI document ${source} does not exist. Download openapi.json from the NHS e-RS API specification ` +
          '(github.com/NHSDigital/e-referrals-service-api) and set ERS_OPENAPI to its path or URL.',
      );
    }
    throw new Error(`Could not read the e-RS OpenAPI document ${source}: ${(e as Error).message}. Check ERS_OPENAPI.`);
  }
}

/** Build a contract from an already parsed OpenAPI 3 document (`source` only names it in errors). */
export function createContract(doc: unknown, source = 'the OpenAPI document'): Contract {
  if (!isObj(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    const seen = isObj(doc) ? (doc.swagger !== undefined ? `swagger ${String(doc.swagger)}` : `openapi ${String(doc.openapi)}`) : typeof doc;
    throw new Error(
      `${source} is not an OpenAPI 3 document (found ${seen}). Set ERS_OPENAPI to the e-RS API's OpenAPI 3.0 specification (openapi.json).`,
    );
  }
  if (!isObj(doc.paths)) throw new Error(`${source} has no 'paths' object; it is not a usable OpenAPI document. Check ERS_OPENAPI.`);
  return new ContractImpl(doc, source);
}

class ContractImpl implements Contract {
  readonly #doc: Obj;
  readonly #ops: Operation[] = [];
  readonly #basePaths: string[][];
  // Validators are shared by every operation using the same schema: keyed by its $ref, else by the schema object.
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #inlineValidators = new Map<Direction | 'parameter', WeakMap<object, ValidateFunction>>();
  readonly #ajv = new Map<Direction | 'parameter', Ajv>();

  constructor(doc: Obj, readonly source: string) {
    this.#doc = doc;
    this.#basePaths = (Array.isArray(doc.servers) ? doc.servers : [])
      .map((s) => (isObj(s) && typeof s.url === 'string' ? s.url : ''))
      .filter((u) => u.length > 0 && !u.includes('{'))
      .map((u) => urlSegments(u))
      .filter((segs) => segs.length > 0)
      .sort((a, b) => b.length - a.length);
    for (const [path, rawItem] of Object.entries(doc.paths as Obj)) {
      const item = this.deref(rawItem);
      if (!isObj(item)) continue;
      const shared = Array.isArray(item.parameters) ? item.parameters.map((p) => this.deref(p)).filter(isObj) : [];
      const template = parseTemplate(path);
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObj(op)) continue;
        const own = Array.isArray(op.parameters) ? op.parameters.map((p) => this.deref(p)).filter(isObj) : [];
        const key = (p: Obj) => `${String(p.in)}:${String(p.name).toLowerCase()}`;
        const ownKeys = new Set(own.map(key));
        this.#ops.push({
          operationId: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          template,
          op,
          parameters: [...shared.filter((p) => !ownKeys.has(key(p))), ...own],
        });
      }
    }
  }

  operations(): ContractOperation[] {
    return this.#ops.map((o) => ({ operationId: o.operationId, method: o.method, path: o.template.template }));
  }

  operationFor(method: string, url: string): { operationId: string; path: string } | undefined {
    const found = this.#find(method, url);
    return found.op ? { operationId: found.op.operationId, path: found.op.template.template } : undefined;
  }

  #find(method: string, url: string): { op?: Operation; pathParams: Record<string, string>; otherMethods: string[] } {
    const segments = urlSegments(url);
    const wanted = method.toUpperCase();
    const otherMethods: string[] = [];
    for (const offset of candidateOffsets(segments, this.#basePaths)) {
      const rest = segments.slice(offset);
      let best: { op: Operation; params: Record<string, string> } | undefined;
      for (const op of this.#ops) {
        const params = matchTemplate(op.template, rest);
        if (!params) continue;
        if (op.method !== wanted) {
          otherMethods.push(op.method);
          continue;
        }
        if (!best || op.template.literals > best.op.template.literals) best = { op, params };
      }
      if (best) return { op: best.op, pathParams: best.params, otherMethods: [] };
      if (otherMethods.length > 0) break;
    }
    return { pathParams: {}, otherMethods: [...new Set(otherMethods)] };
  }

  check(ex: ExchangeShape, options: { maxFindingsPerBody?: number } = {}): ContractFinding[] {
    this.#maxFindings = options.maxFindingsPerBody ?? MAX_FINDINGS_PER_BODY;
    try {
      return this.#check(ex);
    } finally {
      this.#maxFindings = MAX_FINDINGS_PER_BODY;
    }
  }

  #maxFindings = MAX_FINDINGS_PER_BODY;

  #check(ex: ExchangeShape): ContractFinding[] {
    const found = this.#find(ex.method, ex.url);
    const op = found.op;
    if (!op) {
      const pathname = urlSegments(ex.url).join('/');
      const detail = found.otherMethods.length > 0
        ? `the path is declared only for ${found.otherMethods.join(', ')}`
        : 'no path in the contract matches it';
      return [{
        severity: 'warning',
        rule: 'openapi:unknown-operation',
        path: 'request',
        message: `${ex.method.toUpperCase()} /${pathname} is not an operation of the OpenAPI contract: ${detail}`,
      }];
    }
    return [...this.#checkRequest(op, found.pathParams, ex), ...this.#checkResponse(op, ex)];
  }

  // ---- request ----

  #checkRequest(op: Operation, pathParams: Record<string, string>, ex: ExchangeShape): ContractFinding[] {
    const findings: ContractFinding[] = [];
    const headers = lowerKeys(ex.requestHeaders);
    const query = queryOf(ex.url);
    for (const p of op.parameters) {
      const name = String(p.name);
      const where = String(p.in);
      const description = typeof p.description === 'string' ? p.description : '';
      if (where === 'header') {
        const lname = name.toLowerCase();
        if (IGNORED_HEADER_PARAMS.has(lname)) continue;
        const value = headers[lname];
        const userOnly = USER_RESTRICTED_HEADERS.has(lname) || /not allowed for application-restricted access/i.test(description);
        let required = p.required === true;
        if (ex.accessMode === 'application-restricted' && userOnly) required = false;
        if (ex.accessMode === 'user-restricted' && /^Required for user-restricted access\.\s*$/im.test(description)) required = true;
        const at = `request.header.${name}`;
        if (value === undefined) {
          if (required) findings.push(err('openapi:request-header', at, `required header ${name} is missing${accessNote(ex)}`));
          continue;
        }
        if (ex.accessMode === 'application-restricted' && /not allowed for application-restricted access/i.test(description)) {
          findings.push(err('openapi:request-header', at, `header ${name} is not allowed for application-restricted access`));
        }
        findings.push(...this.#checkParamValue(op, p, value, 'openapi:request-header', at));
      } else if (where === 'query') {
        const values = query.getAll(name);
        const at = `request.query.${name}`;
        if (values.length === 0) {
          if (p.required === true) findings.push(err('openapi:query-parameter', at, `required query parameter ${name} is missing`));
          continue;
        }
        const schema = this.deref(p.schema);
        const value = isObj(schema) && schema.type === 'array' ? values : values.join(',');
        findings.push(...this.#checkParamValue(op, p, value, 'openapi:query-parameter', at));
      } else if (where === 'path') {
        const value = pathParams[name];
        if (value !== undefined) findings.push(...this.#checkParamValue(op, p, value, 'openapi:path-parameter', `request.path.${name}`));
      }
    }

    const requestBody = this.deref(op.op.requestBody);
    if (!isObj(requestBody)) return findings;
    const method = ex.method.toUpperCase();
    const contentType = ex.requestContentType ?? headers['content-type'];
    const hasBody = ex.requestBody !== undefined || contentType !== undefined;
    if (!hasBody) {
      if (requestBody.required === true && BODY_METHODS.has(method)) {
        findings.push(err('openapi:request-body', 'request.body', `${op.operationId} requires a request body; none was sent`));
      }
      return findings;
    }
    const content = isObj(requestBody.content) ? requestBody.content : {};
    const media = pickMedia(content, contentType);
    if (contentType === undefined) {
      findings.push(err('openapi:content-type', 'request.header.Content-Type', `request has a body but no Content-Type; declared: ${Object.keys(content).join(', ')}`));
      return findings;
    }
    if (!media) {
      findings.push(err('openapi:content-type', 'request.header.Content-Type', `Content-Type ${contentType} is not declared for the ${op.operationId} request body; declared: ${Object.keys(content).join(', ')}`));
      return findings;
    }
    findings.push(...this.#checkBody('request', media, ex.requestBody));
    return findings;
  }

  #checkParamValue(op: Operation, p: Obj, value: string | string[], rule: ContractRule, at: string): ContractFinding[] {
    if (p.schema === undefined) return [];
    const validate = this.#validator(p.schema, 'parameter', () => ({
      type: 'object',
      properties: { value: this.#convert(p.schema, 'request') },
    }));
    const data = { value };
    if (validate(data)) return [];
    return this.#toFindings(validate.errors ?? [], rule, at, data, '/value');
  }

  // ---- response ----

  #checkResponse(op: Operation, ex: ExchangeShape): ContractFinding[] {
    const responses = isObj(op.op.responses) ? op.op.responses : {};
    const status = String(ex.status);
    const declared = responses[status] ?? responses[`${status[0]}XX`] ?? responses[`${status[0]}xx`] ?? responses.default;
    if (declared === undefined) {
      return [err('openapi:status', 'response.status', `HTTP ${status} is not a declared response of ${op.operationId}; declared: ${Object.keys(responses).join(', ')}`)];
    }
    const response = this.deref(declared);
    if (!isObj(response)) return [];
    const findings: ContractFinding[] = [];
    const headers = lowerKeys(ex.responseHeaders);
    const contentType = ex.responseContentType ?? headers['content-type'];
    const content = isObj(response.content) ? response.content : {};
    const declaredTypes = Object.keys(content);

    for (const [name, rawHeader] of Object.entries(isObj(response.headers) ? response.headers : {})) {
      const header = this.deref(rawHeader);
      if (!isObj(header)) continue;
      const lname = name.toLowerCase();
      if (lname === 'content-type') {
        // checked against the media types below; the header schema's enum is checked on the media type alone
        const schema = this.deref(header.schema);
        const allowed = isObj(schema) && Array.isArray(schema.enum) ? schema.enum.map(String) : undefined;
        // an undeclared media type is reported once, below
        const undeclared = contentType !== undefined && declaredTypes.length > 0 && !pickMedia(content, contentType);
        if (contentType !== undefined && allowed && !undeclared && !allowed.some((a) => sameMediaType(a, contentType))) {
          findings.push(err('openapi:content-type', 'response.header.Content-Type', `Content-Type ${contentType} is not one of ${allowed.join(', ')} declared for HTTP ${status}`));
        } else if (contentType === undefined && header.required === true && ex.method.toUpperCase() !== 'HEAD' && ex.responseBody !== undefined) {
          findings.push(err('openapi:content-type', 'response.header.Content-Type', `Content-Type is required for HTTP ${status} of ${op.operationId} but is missing`));
        }
        continue;
      }
      const value = headers[lname];
      const at = `response.header.${name}`;
      if (value === undefined) {
        // a chunked response legitimately has no Content-Length (RFC 9112 §6.2)
        const chunked = lname === 'content-length' && headers['transfer-encoding'] !== undefined;
        if (header.required === true && !chunked) findings.push(err('openapi:response-header', at, `required response header ${name} is missing for HTTP ${status}`));
        continue;
      }
      if (header.schema !== undefined) {
        const validate = this.#validator(header.schema, 'parameter', () => ({
          type: 'object',
          properties: { value: this.#convert(header.schema, 'response') },
        }));
        const data = { value };
        if (!validate(data)) findings.push(...this.#toFindings(validate.errors ?? [], 'openapi:response-header', at, data, '/value'));
      }
    }

    const hasBody = ex.responseBody !== undefined && ex.responseBody !== '';
    if (!hasBody || ex.method.toUpperCase() === 'HEAD') return findings;
    if (declaredTypes.length === 0) {
      findings.push({ severity: 'warning', rule: 'openapi:content-type', path: 'response.body', message: `HTTP ${status} of ${op.operationId} declares no response body, but one was returned` });
      return findings;
    }
    if (contentType === undefined) {
      findings.push(err('openapi:content-type', 'response.header.Content-Type', `response has a body but no Content-Type; declared for HTTP ${status}: ${declaredTypes.join(', ')}`));
      return findings;
    }
    const media = pickMedia(content, contentType);
    if (!media) {
      findings.push(err('openapi:content-type', 'response.header.Content-Type', `Content-Type ${contentType} is not declared for HTTP ${status} of ${op.operationId}; declared: ${declaredTypes.join(', ')}`));
      return findings;
    }
    findings.push(...this.#checkBody('response', media, ex.responseBody));
    return findings;
  }

  // ---- bodies ----

  #checkBody(direction: Direction, media: { key: string; value: Obj }, body: unknown): ContractFinding[] {
    const rule: ContractRule = direction === 'request' ? 'openapi:request-body' : 'openapi:response-body';
    const at = `${direction}.body`;
    if (media.value.schema === undefined || !isJsonMediaType(media.key)) return [];
    let data = body;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
      try {
        data = JSON.parse(text);
      } catch (e) {
        return [err(rule, at, `body declared as ${media.key} is not JSON: ${(e as Error).message}`)];
      }
    }
    const validate = this.#validator(media.value.schema, direction, () => this.#convert(media.value.schema, direction));
    if (validate(data)) return [];
    return this.#toFindings(validate.errors ?? [], rule, at, data, '');
  }

  // ---- schema compilation ----

  #convert(schema: unknown, direction: Direction): unknown {
    const ajv = this.#ajvFor(direction);
    return convertSchema(schema, {
      direction,
      refBase: componentsId(direction),
      knownFormats: new Set(Object.keys(ajv.formats)),
      deref: (n) => this.deref(n),
    });
  }

  #validator(schema: unknown, kind: Direction | 'parameter', build: () => unknown): ValidateFunction {
    const ref = isObj(schema) && typeof schema.$ref === 'string' ? `${kind}|${schema.$ref}` : undefined;
    let inline = this.#inlineValidators.get(kind);
    if (!inline) this.#inlineValidators.set(kind, (inline = new WeakMap()));
    const objectKey = typeof schema === 'object' && schema !== null ? schema : undefined;
    let v = ref !== undefined ? this.#validators.get(ref) : objectKey ? inline.get(objectKey) : undefined;
    if (v) return v;
    try {
      v = this.#ajvFor(kind).compile(build() as object);
    } catch (e) {
      throw new Error(`Could not compile the OpenAPI schema ${ref ?? JSON.stringify(schema).slice(0, 80)} from ${this.source}: ${(e as Error).message}`);
    }
    if (ref !== undefined) this.#validators.set(ref, v);
    else if (objectKey) inline.set(objectKey, v);
    return v;
  }

  #ajvFor(kind: Direction | 'parameter'): Ajv {
    let ajv = this.#ajv.get(kind);
    if (ajv) return ajv;
    ajv = new Ajv({
      strict: false,
      allErrors: true,
      logger: false,
      validateSchema: false,
      coerceTypes: kind === 'parameter' ? 'array' : false,
    });
    addFormats(ajv);
    // Components are converted for one direction (readOnly/writeOnly differ) and compiled only when referenced.
    const direction: Direction = kind === 'parameter' ? 'request' : kind;
    const components = isObj(this.#doc.components) ? this.#doc.components : {};
    const schemas = isObj(components.schemas) ? components.schemas : {};
    const opts = {
      direction,
      refBase: componentsId(direction),
      knownFormats: new Set(Object.keys(ajv.formats)),
      deref: (n: unknown) => this.deref(n),
    };
    const converted = Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, convertSchema(v, opts)]));
    ajv.addSchema({ $id: componentsId(direction), components: { schemas: converted } });
    this.#ajv.set(kind, ajv);
    return ajv;
  }

  #toFindings(errors: ErrorObject[], rule: ContractRule, at: string, data: unknown, strip: string): ContractFinding[] {
    const failedAlternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath);
    const underAlternative = (e: ErrorObject) =>
      e.keyword !== 'anyOf' && e.keyword !== 'oneOf' &&
      failedAlternatives.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
    const out: ContractFinding[] = [];
    const seen = new Set<string>();
    for (const e of errors) {
      // 'must match "else" schema' only repeats the else branch's own errors (nullable compositions)
      if (underAlternative(e) || e.keyword === 'if') continue;
      let message: string;
      if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
        message = describeAlternatives(e, errors.filter((x) => x.keyword !== 'anyOf' && x.keyword !== 'oneOf' && (x.instancePath === e.instancePath || x.instancePath.startsWith(`${e.instancePath}/`))), data);
      } else {
        message = describe(e, data);
      }
      const pointer = errorPointer(e).slice(strip.length);
      const finding = err(rule, at + pointer, message);
      const k = `${finding.path}\u0000${finding.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(finding);
    }
    if (out.length > this.#maxFindings) {
      const more = out.length - this.#maxFindings;
      return [...out.slice(0, this.#maxFindings), err(rule, at, `… ${more} more`)];
    }
    return out;
  }

  /** Follow `$ref` (internal only) until a non-reference object is reached. */
  deref(node: unknown): unknown {
    let current = node;
    const seen = new Set<string>();
    while (isObj(current) && typeof current.$ref === 'string') {
      const ref = current.$ref;
      if (seen.has(ref)) throw new Error(`Circular $ref ${ref} in ${this.source}`);
      seen.add(ref);
      absoluteRef(ref, ''); // throws a clear error on external refs
      current = pointer(this.#doc, ref.slice(1));
      if (current === undefined) throw new Error(`$ref ${ref} in ${this.source} does not resolve; the document is incomplete. Re-bundle it or check ERS_OPENAPI.`);
    }
    return current;
  }
}

function componentsId(direction: Direction): string {
  return `https://ers-conformance.invalid/openapi/${direction}.json`;
}

function pointer(root: unknown, ptr: string): unknown {
  if (ptr === '' || ptr === '/') return root;
  let cur: unknown = root;
  for (const raw of ptr.split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isObj(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

function err(rule: ContractRule, path: string, message: string): ContractFinding {
  return { severity: 'error', rule, path, message };
}

function accessNote(ex: ExchangeShape): string {
  return ex.accessMode ? ` (${ex.accessMode} access)` : '';
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function queryOf(url: string): URLSearchParams {
  try {
    return new URL(url, 'http://relative.invalid').searchParams;
  } catch {
    return new URLSearchParams();
  }
}

function mediaBase(ct: string): string {
  return (ct.split(';')[0] ?? '').trim().toLowerCase();
}

function sameMediaType(declared: string, actual: string): boolean {
  const d = mediaBase(declared);
  const a = mediaBase(actual);
  if (d === a || d === '*/*') return true;
  return d.endsWith('/*') && a.startsWith(d.slice(0, -1));
}

/** The declared media type that fits the actual Content-Type: exact first, then wildcards. */
function pickMedia(content: Obj, contentType: string | undefined): { key: string; value: Obj } | undefined {
  if (contentType === undefined) return undefined;
  const entries = Object.entries(content).filter((e): e is [string, Obj] => isObj(e[1]));
  const exact = entries.find(([k]) => mediaBase(k) === mediaBase(contentType));
  const match = exact ?? entries.find(([k]) => sameMediaType(k, contentType));
  return match ? { key: match[0], value: match[1] } : undefined;
}

function isJsonMediaType(mt: string): boolean {
  const base = mediaBase(mt);
  return base === 'application/json' || base.endsWith('+json');
}

function errorPointer(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && typeof p.missingProperty === 'string') return `${e.instancePath}/${escapePointer(p.missingProperty)}`;
  if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') return `${e.instancePath}/${escapePointer(p.additionalProperty)}`;
  return e.instancePath;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function preview(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(data: unknown, instancePath: string): unknown {
  return pointer(data, instancePath);
}

function describe(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  const got = () => preview(valueAt(data, e.instancePath));
  switch (e.keyword) {
    case 'required':
      return `missing required property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `property '${String(p.additionalProperty)}' is not allowed by the schema`;
    case 'enum': {
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues : [];
      const shown = allowed.slice(0, 10).map((a) => preview(a)).join(', ');
      return `must be one of ${shown}${allowed.length > 10 ? `, … (${allowed.length} values)` : ''}; got ${got()}`;
    }
    case 'const':
      return `must be ${preview(p.allowedValue)}; got ${got()}`;
    case 'type':
      return `must be ${Array.isArray(p.type) ? p.type.join(' or ') : String(p.type)}; got ${got()}`;
    case 'pattern':
      return `must match the pattern ${String(p.pattern)}; got ${got()}`;
    case 'format':
      return `must be a valid ${String(p.format)}; got ${got()}`;
    case 'false schema':
      return 'must not be present (writeOnly or forbidden by the schema)';
    default:
      return `${e.message ?? e.keyword}${e.keyword.startsWith('min') || e.keyword.startsWith('max') ? '' : `; got ${got()}`}`;
  }
}

function describeAlternatives(e: ErrorObject, branchErrors: ErrorObject[], data: unknown): string {
  const hints = [...new Set(branchErrors.map((b) => `${b.instancePath.slice(e.instancePath.length) || '(here)'} ${describe(b, data)}`))].slice(0, 3);
  return `matches none of the ${e.keyword} alternatives${hints.length > 0 ? `; for example: ${hints.join('; ')}` : ''}`;
}
