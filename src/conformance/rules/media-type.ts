import { findOperation } from '../../ers/operations.ts';
import type { FhirVersion } from '../../fhir/index.ts';
import { header, type Exchange } from '../../http/exchange.ts';
import { factsFor } from './facts.ts';
import { requestFinding, responseFinding, type ExchangeRule, type RuleFinding } from './types.ts';

// Media types (catalogue section 4 and 11.1): a FHIR body travels as application/fhir+json; a fhirVersion parameter,
// when given, names the operation's FHIR version (3.0 on /STU3/, 4.0 on /R4/); a charset, when given, is UTF-8 (the
// only encoding FHIR allows). Responses and requests alike; an Accept that names a fhirVersion must name the right one.

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** `type/subtype; a=b; c="d"` → lower-case type and parameter names; undefined when there is no type. */
export function parseMediaType(value: string | undefined): MediaType | undefined {
  if (!value) return undefined;
  const [type, ...rest] = value.split(';');
  const t = type?.trim().toLowerCase();
  if (!t) return undefined;
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: t, params };
}

const VERSION_PARAM: Record<FhirVersion, RegExp> = { STU3: /^3\.0(\.\d+)?$/, R4: /^4\.0(\.\d+)?$/ };
const VERSION_NAME: Record<FhirVersion, string> = { STU3: '3.0', R4: '4.0' };

/** Parameter problems of a FHIR media type (fhirVersion and charset). */
function parameterProblems(mt: MediaType, fhirVersion: FhirVersion, what: string): string[] {
  const out: string[] = [];
  const version = mt.params.fhirversion;
  if (version !== undefined && !VERSION_PARAM[fhirVersion].test(version)) out.push(`${what} says fhirVersion=${version} on an ${fhirVersion} endpoint (fhirVersion=${VERSION_NAME[fhirVersion]} or none)`);
  const charset = mt.params.charset;
  if (charset !== undefined && !/^utf-8$/i.test(charset)) out.push(`${what} says charset=${charset}; FHIR JSON is UTF-8 (charset=utf-8 or none)`);
  return out;
}

const isResource = (json: unknown): boolean => !!json && typeof json === 'object' && !Array.isArray(json) && typeof (json as { resourceType?: unknown }).resourceType === 'string';

function responseFindings(ex: Exchange, fhirVersion: FhirVersion, operation: string): RuleFinding[] {
  const r = ex.response;
  if (!r || ex.request.method === 'HEAD' || r.status === 204 || r.status === 304) return [];
  const raw = header(r.headers, 'content-type');
  const mt = parseMediaType(raw);
  const out: RuleFinding[] = [];
  const facts = factsFor(operation);
  const success = r.status >= 200 && r.status < 300;
  if (!mt) {
    if (r.body.bytes > 0) out.push(responseFinding('ers:media-type', 'response.header.Content-Type', `a ${r.status} answer with a ${r.body.bytes}-byte body has no Content-Type`));
    return out;
  }
  const fhirBody = isResource(r.body.json) || (success && facts?.body === 'fhir');
  if (fhirBody && mt.type !== 'application/fhir+json') {
    out.push(responseFinding('ers:media-type', 'response.header.Content-Type', `Content-Type ${raw} on a ${r.status} ${isResource(r.body.json) ? `${String((r.body.json as { resourceType: string }).resourceType)} ` : ''}answer; a FHIR body is served as application/fhir+json`));
  }
  if (success && facts?.body === 'pdf' && mt.type !== 'application/pdf') out.push(responseFinding('ers:media-type', 'response.header.Content-Type', `Content-Type ${raw} on a ${operation} PDF; the catalogue documents application/pdf`));
  if (mt.type === 'application/fhir+json' || mt.type === 'application/json' || fhirBody) {
    for (const m of parameterProblems(mt, fhirVersion, `Content-Type ${raw}`)) out.push(responseFinding('ers:media-type-parameter', 'response.header.Content-Type', m));
  }
  return out;
}

function requestFindings(ex: Exchange, fhirVersion: FhirVersion, operation: string): RuleFinding[] {
  const out: RuleFinding[] = [];
  let requestBody: 'fhir' | 'binary' | 'none' | undefined;
  try {
    requestBody = findOperation(operation).requestBody;
  } catch {
    requestBody = undefined;
  }
  const raw = header(ex.request.headers, 'content-type');
  const mt = parseMediaType(raw);
  const body = ex.request.body;
  if (body && body.bytes > 0) {
    if (!mt) out.push(requestFinding('ers:media-type', 'request.header.Content-Type', `a ${body.bytes}-byte request body has no Content-Type`));
    else if ((requestBody === 'fhir' || isResource(body.json)) && mt.type !== 'application/fhir+json') out.push(requestFinding('ers:media-type', 'request.header.Content-Type', `Content-Type ${raw} on a FHIR request body; ${operation} takes application/fhir+json`));
    if (mt && (mt.type === 'application/fhir+json' || requestBody === 'fhir')) {
      for (const m of parameterProblems(mt, fhirVersion, `Content-Type ${raw}`)) out.push(requestFinding('ers:media-type-parameter', 'request.header.Content-Type', m));
    }
  }
  const accept = header(ex.request.headers, 'accept');
  for (const range of accept?.split(',') ?? []) {
    const a = parseMediaType(range);
    if (a?.type !== 'application/fhir+json') continue;
    const version = a.params.fhirversion;
    if (version !== undefined && !VERSION_PARAM[fhirVersion].test(version)) out.push(requestFinding('ers:media-type-parameter', 'request.header.Accept', `Accept ${accept} asks for fhirVersion=${version} from an ${fhirVersion} endpoint`));
  }
  return out;
}

export const mediaTypeRule: ExchangeRule = {
  name: 'media-type',
  check(ex, ctx) {
    return [...requestFindings(ex, ctx.fhirVersion, ctx.operation), ...responseFindings(ex, ctx.fhirVersion, ctx.operation)];
  },
};
