// Test-only stand-in for the NHS e-RS sandbox, answering as catalogue section 11 describes, from the sandbox's own
// example files (../shared/ers-api/examples beside the repository) and each operation's documented example table (catalogue.json
// sandboxExamples): exact match of documented inputs (GET path values; POST bodies by deep equality, key order free,
// array order not), the header-driven 403s of 11.2, the unmatched-input answers of 11.3, hapi's own errors.
import { isDeepStrictEqual } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/evidence/manifest.ts';

/** The NHS e-RS material, read from ../shared beside the repository (CI has it; a fresh clone skips, saying why). */
export const SHARED_ERS_API = join(REPO_ROOT, '..', 'shared', 'ers-api');
export const EXAMPLES_DIR = join(SHARED_ERS_API, 'examples');

/** Why the fake cannot run here, or undefined when the NHS files it answers from are present. */
export function fakeSandboxUnavailable(): string | undefined {
  for (const f of [join(SHARED_ERS_API, 'catalogue.json'), join(EXAMPLES_DIR, 'INDEX.json')]) {
    if (!existsSync(f)) return `the fake sandbox answers from the NHS sandbox's example files; ${f} is absent`;
  }
  return undefined;
}

const X_REQUEST_ID = '58621d65-d5ad-4c3a-959f-0438e355990e-1'; // the sandbox's fixed X-Request-ID (11.1)
const PREFIX = '/referrals/FHIR';

interface Endpoint {
  id: string;
  method: string;
  path: string;
  sandboxExamples?: { request: string; response: string; status: number; businessFunction?: string; etag?: string; headers?: string }[];
  sandboxAllowedBF?: string[];
}

interface Route {
  id: string;
  method: string;
  pattern: RegExp;
  names: string[];
  allowed: string[] | undefined;
  examples: { params: Record<string, string>; body?: unknown; response: string; status: number; businessFunction?: string; etag?: string; headers?: Record<string, string> }[];
}

export interface FakeSandbox {
  /** http://127.0.0.1:PORT/referrals/FHIR */
  baseUrl: string;
  /** every request received: method, path, status answered */
  readonly log: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startFakeSandbox(): Promise<FakeSandbox> {
  const why = fakeSandboxUnavailable();
  if (why) throw new Error(why);
  const routes = loadRoutes();
  const log: FakeSandbox['log'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answer(routes, req, Buffer.concat(chunks), res);
      log.push({ method: req.method ?? 'GET', path: req.url ?? '/', status });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}${PREFIX}`, log, close: () => closeServer(server) };
}

function loadRoutes(): Route[] {
  const catalogue = JSON.parse(readFileSync(join(SHARED_ERS_API, 'catalogue.json'), 'utf8')) as { endpoints: Endpoint[] };
  return catalogue.endpoints
    .filter((e) => e.path.startsWith('/STU3/') || e.path.startsWith('/R4/'))
    .map((e) => {
      const names: string[] = [];
      const pattern = new RegExp(`^${e.path.replace(/[.*+?^${}()|[\]\\]/g, (ch) => (ch === '{' || ch === '}' ? ch : `\\${ch}`)).replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
      const examples = (e.sandboxExamples ?? []).flatMap((x) => {
        const input = parseRequest(x.request);
        return input ? [{ ...input, response: x.response, status: x.status, businessFunction: x.businessFunction, etag: x.etag, ...(x.headers ? { headers: parseHeaders(x.headers) } : {}) }] : [];
      });
      const allowed = e.sandboxAllowedBF?.includes('(no check)') ? undefined : e.sandboxAllowedBF;
      return { id: e.id, method: e.method, pattern, names, allowed, examples };
    });
}

/** "Name: value" pairs of an example's extra response headers (e.g. A043's Content-Disposition). */
function parseHeaders(spec: string): Record<string, string> {
  const at = spec.indexOf(':');
  return at > 0 ? { [spec.slice(0, at).trim()]: spec.slice(at + 1).trim() } : {};
}

/**
 * A documented example input: a request file ("stu3/…/X.json (note)"), path/query values ("ubrn=000000070000, version=5",
 * "a=1&b=2"), or both ("ubrn=000000070000 + stu3/…/X.json"), or "any ubrn" (A007/A019/A043: every UBRN gets the one
 * answer, catalogue 11.5). Other prose-only inputs ("HEAD id=1") are not modelled.
 */
function parseRequest(spec: string): { params: Record<string, string>; body?: unknown } | undefined {
  if (/^any request$/i.test(spec.trim())) return { params: {} }; // A030: every request gets the example
  const file = /(?:stu3|r4)\/[\w/.-]+\.json/.exec(spec)?.[0];
  const rest = (file ? spec.replace(file, '') : spec).replace(/\([^)]*\)/g, '').replace(/,?\s*any ubrn/, '').replace('+', '').trim();
  const params: Record<string, string> = {};
  const single = /^([\w.:-]+)=([^&\s=]+)$/.exec(rest); // one parameter whose value may hold commas (A035 _id=1,2)
  if (single) params[single[1]!] = single[2]!;
  else if (rest !== '') {
    if (!/^[\w.:-]+=[^,&\s]+(?:(?:,\s*|&)[\w.:-]+=[^,&\s]+)*$/.test(rest)) return undefined;
    for (const part of rest.split(/,\s*|&/)) {
      const eq = part.indexOf('=');
      params[part.slice(0, eq)] = part.slice(eq + 1);
    }
  }
  if (!file && rest === '') return /^any ubrn\b/.test(spec.trim()) ? { params: {} } : undefined;
  return file ? { params, body: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) } : { params };
}

function answer(routes: Route[], req: IncomingMessage, body: Buffer, res: ServerResponse): number {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const send = (status: number, headers: Record<string, string>, text: string | Buffer = '', hapi = true): number => {
    const h: Record<string, string> = { ...headers };
    if (hapi) {
      h['X-Request-ID'] = X_REQUEST_ID;
      const correlation = req.headers['x-correlation-id'];
      if (typeof correlation === 'string') h['X-Correlation-ID'] = correlation;
    }
    const bytes = Buffer.from(text);
    h['Content-Length'] = String(method === 'HEAD' ? 0 : bytes.length);
    res.writeHead(status, h);
    res.end(method === 'HEAD' ? undefined : bytes);
    return status;
  };

  if (url.pathname === '/referrals/_ping' || url.pathname === '/_ping') return send(200, { 'Content-Type': 'text/plain' }, '{status: 200}');
  // A042's object store (11.1: only the one documented object; no X-Request-ID on /ObjectStore/*; other ids crash)
  if (url.pathname.startsWith('/referrals/ObjectStore/')) {
    if (url.pathname !== `/referrals/ObjectStore/${OBJECT_ID}`) return send(500, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'An internal server error occurred' }), false);
    return send(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="=?UTF-8?Q?The_filenam=C3=A9.pdf?="; filename*=UTF-8\'\'The%20filenam%C3%A9.pdf' }, readFileSync(join(EXAMPLES_DIR, 'r4', 'retrieveAttachment', 'example_attachment.pdf')), false);
  }
  const after = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length) : undefined;
  const candidates = after === undefined ? [] : routes.filter((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
  let route: Route | undefined;
  let params: Record<string, string> = {};
  for (const r of candidates) {
    const m = r.pattern.exec(after as string);
    if (!m) continue;
    route = r;
    params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1] as string)]));
    break;
  }
  if (!route) return send(404, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify({ error: 'File not found' }), false);

  // 11.2: the role check, when a business function header is sent at all.
  const bf = header(req, 'nhsd-ers-business-function');
  const obo = header(req, 'nhsd-ers-on-behalf-of-user-id');
  if (route.allowed && bf !== undefined) {
    const html = { 'Content-Type': 'text/html; charset=utf-8' };
    if (!route.allowed.includes(bf)) {
      return send(403, html, `SANDBOX_ERROR: This endpoint cannot be accessed using the e-RS Business Function provided. Allowed values: ${route.allowed.join(', ')}`);
    }
    if (bf === 'SERVICE_PROVIDER_CLINICIAN_ADMIN' && !obo) {
      return send(403, html, 'SANDBOX_ERROR: When this endpoint is accessed using the e-RS SERVICE_PROVIDER_CLINICIAN_ADMIN Business Function then an On-Behalf-Of User ID must be provided');
    }
    if (bf !== 'SERVICE_PROVIDER_CLINICIAN_ADMIN' && obo) {
      return send(403, html, 'SANDBOX_ERROR: An On-Behalf-Of User ID must only be provided if this endpoint is accessed using the e-RS SERVICE_PROVIDER_CLINICIAN_ADMIN Business Function');
    }
  }

  // 11.1: bodies are parsed whatever the Content-Type; malformed JSON is hapi's own 400.
  let json: unknown;
  if (body.length > 0 && method !== 'GET' && method !== 'HEAD') {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return send(400, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' }), false);
    }
  }

  // The prose-only example rules of A006, A007 and A042 (catalogue section 2, their Sandbox tables)
  const prose = proseAnswer(route.id, params, req, send);
  if (prose !== undefined) return prose;

  const query = Object.fromEntries(url.searchParams);
  const match = route.examples.find((x) => {
    if (x.businessFunction === 'REFERRING_CLINICIAN' && bf !== 'REFERRING_CLINICIAN') return false;
    if (x.businessFunction && x.businessFunction !== 'REFERRING_CLINICIAN' && bf === 'REFERRING_CLINICIAN') return false;
    if (x.body !== undefined && !isDeepStrictEqual(json, x.body)) return false;
    return Object.entries(x.params).every(([k, v]) => (params[k] ?? query[k]) === v);
  });
  if (match) {
    const file = join(EXAMPLES_DIR, match.response);
    const isPdf = file.endsWith('.pdf');
    return send(match.status, { 'Content-Type': isPdf ? 'application/pdf' : 'application/fhir+json', ...(match.etag ? { ETag: match.etag } : {}), ...match.headers }, readFileSync(file));
  }
  return unmatched(route, send);
}

const OBJECT_ID = 'd497bbe3-f88b-45f1-b3d4-9c563e4c0f5f';
const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A006: an id starting att- or any v4 UUID -> the example PDF; A007: any UBRN -> the example summary; A042: the same ids
 * -> 307 to the object store at x-ers-sandbox-baseurl, which the sandbox's proxy adds as https://{Host}/referrals (11.1).
 * undefined when the route has no prose rule (or the input does not meet it: unmatched() answers).
 */
function proseAnswer(id: string, params: Record<string, string>, req: IncomingMessage, send: (status: number, headers: Record<string, string>, text?: string | Buffer, hapi?: boolean) => number): number | undefined {
  if (id === 'A006') {
    const ok = /^att-/.test(params.attachmentLogicalID ?? '') || V4_UUID.test(params.attachmentLogicalID ?? '');
    if (!ok) return undefined;
    return send(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename=example_attachment.pdf' }, readFileSync(join(EXAMPLES_DIR, 'stu3', 'retrieveAttachment', 'responses', 'example_attachment.pdf')));
  }
  if (id === 'A007') {
    const file = '000000070000_Clinical_Information_Summary_20210706114852.pdf';
    return send(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename=${file}` }, readFileSync(join(EXAMPLES_DIR, 'stu3', 'retrieveClinicalInformation', 'responses', file)));
  }
  if (id === 'A042') {
    const ok = /^att-/.test(params.id ?? '') || V4_UUID.test(params.id ?? '');
    if (!ok || req.method === 'HEAD') return undefined;
    const base = header(req, 'x-ers-sandbox-baseurl') ?? `http://${header(req, 'host') ?? 'localhost'}/referrals`;
    return send(307, { Location: `${base}/ObjectStore/${OBJECT_ID}` });
  }
  return undefined;
}

// 11.3: what the sandbox answers to anything that is not a documented example.
function unmatched(route: Route, send: (status: number, headers: Record<string, string>, text?: string | Buffer, hapi?: boolean) => number): number {
  if (route.id === 'A004') return send(404, {});
  if (['A033', 'A035', 'A037'].includes(route.id)) return send(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not Found');
  const fixtureHeaders = { 'Content-Type': 'application/json; charset=utf-8', ETag: '"sandbox-error-outcome"', 'Last-Modified': 'Thu, 01 Jan 2026 00:00:00 GMT' };
  if (['A040', 'A041', 'A042'].includes(route.id)) return send(400, fixtureHeaders, readFileSync(join(EXAMPLES_DIR, 'r4', 'R4-SandboxErrorOutcome.json')));
  const status = ['A015', 'A025', 'A029'].includes(route.id) ? 400 : 422;
  return send(status, fixtureHeaders, readFileSync(join(EXAMPLES_DIR, 'stu3', 'STU3-SandboxErrorOutcome.json')));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
