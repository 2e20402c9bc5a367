// Judgements on what the system under test sent, each small and named. A judgement lists what it
// examined and what it found; a step fails on findings, and on having examined nothing it needed.
import { checkAsText, checkExchange, type ContractSuppressions } from '../conformance/check-exchange.ts';
import type { AccessMode } from '../config/index.ts';
import type { Validator } from '../fhir/index.ts';
import { header } from '../http/exchange.ts';
import type { Contract } from '../openapi/index.ts';
import type { Captured } from './capture.ts';
import { findAction } from './contract.ts';

export interface Judgement {
  check: string;
  /** how many requests (or records) the check looked at */
  examined: number;
  findings: string[];
  /** lines for the report: what was looked at and why it passed or not */
  evidence: string[];
}

const USER_CONTEXT_HEADERS = ['nhsd-ers-business-function', 'nhsd-end-user-organisation-ods', 'nhsd-ers-on-behalf-of-user-id'];
const ERS_PATH = /\/referrals\/FHIR(\/.*)$/;

function label(c: Captured): string {
  const path = ERS_PATH.exec(new URL(c.exchange.request.url).pathname)?.[1] ?? new URL(c.exchange.request.url).pathname;
  return `#${c.seq} ${c.operation?.id ?? '?'} ${c.exchange.request.method} ${path} → ${c.exchange.response?.status ?? c.exchange.error?.kind ?? '?'}`;
}

const isWrite = (c: Captured): boolean => c.exchange.request.method !== 'GET' && c.exchange.request.method !== 'HEAD' && !['A010', 'A008', 'A019', 'A007', 'A043'].includes(c.operation?.id ?? '');
const statusOf = (c: Captured): number => c.exchange.response?.status ?? 0;
const receivedMs = (c: Captured): number => Date.parse(c.exchange.startedAt);

/** The referral (UBRN) a request is about, when it is about one. */
export function referralOf(c: Captured): string | undefined {
  const path = new URL(c.exchange.request.url).pathname;
  const inPath = /\/ReferralRequest\/(\d{12})(?:\/|$)/.exec(path)?.[1];
  if (inPath) return inPath;
  const json = c.exchange.request.body?.json as { incomingReferral?: { reference?: string }[] } | undefined;
  const incoming = /ReferralRequest\/(\d{12})/.exec(json?.incomingReferral?.[0]?.reference ?? '')?.[1];
  return incoming ?? header(c.exchange.request.headers, 'nhsd-ers-referral-id');
}

/** Access mode per access token issued in the window (token exchange: user; client credentials: application). */
export function tokenModes(all: Captured[]): Map<string, AccessMode> {
  const modes = new Map<string, AccessMode>();
  for (const c of all) {
    if (c.kind !== 'token' || !c.issuedToken) continue;
    const grant = new URLSearchParams(c.exchange.request.body?.text ?? '').get('grant_type');
    modes.set(c.issuedToken, grant === 'client_credentials' ? 'application-restricted' : 'user-restricted');
  }
  return modes;
}

export interface ConformanceContext {
  validator: Validator;
  contract?: Contract;
  contractSuppressions?: ContractSuppressions;
}

/** FHIR base + profiles for the request direction (policy.yaml), the OpenAPI request schema, the exchange rules on the request (identifier formats, media type and its parameters), media types and required headers. */
export function requestConformance(ers: Captured[], all: Captured[], ctx: ConformanceContext): Judgement {
  const findings: string[] = [];
  const evidence: string[] = [];
  const modes = tokenModes(all);
  for (const c of ers) {
    const op = c.operation;
    if (!op) {
      findings.push(`${label(c)}: not an e-RS operation`);
      continue;
    }
    const h = c.exchange.request.headers;
    const mode = (c.bearer && modes.get(c.bearer)) || 'user-restricted';
    const check = checkExchange(c.exchange, { ...ctx, operation: op.id, fhirVersion: op.fhirVersion, accessMode: mode });
    const request = check.bodies.filter((b) => b.direction === 'request');
    for (const b of request) for (const f of b.findings) if (f.severity === 'error' && !f.suppressedBy) findings.push(`${label(c)}: request body ${f.rule} at ${f.path}: ${f.message}`);
    for (const f of check.contract) {
      if (f.severity === 'error' && !(f as { suppressedBy?: string }).suppressedBy && f.path.startsWith('request')) findings.push(`${label(c)}: OpenAPI ${f.rule} at ${f.path}: ${f.message}`);
    }
    const rules = check.rules.filter((f) => f.direction === 'request');
    for (const f of rules) if (f.severity === 'error' && !f.suppressedBy) findings.push(`${label(c)}: ${f.rule} at ${f.path}: ${f.message}`);
    if (!/^Bearer \S+$/i.test(header(h, 'authorization') ?? '')) findings.push(`${label(c)}: no Authorization: Bearer header`);
    if (!header(h, 'x-correlation-id')) findings.push(`${label(c)}: no X-Correlation-ID header (every call carries one, and the system's audit trail keeps it)`);
    // Content-Type and its parameters are the exchange rules' (ers:media-type, ers:media-type-parameter) above.
    const accept = header(h, 'accept');
    if (accept && !/application\/fhir\+json|\*\/\*|application\/json|application\/pdf/.test(accept)) findings.push(`${label(c)}: Accept ${accept} does not take application/fhir+json`);
    evidence.push(`${label(c)} · ${mode}${request.length ? ` · ${request.map((b) => `${b.resourceType}: ${b.errors} error(s), profiles ${b.profiles.join(', ') || '(base)'}`).join('; ')}` : ''}`);
    const text = checkAsText({ bodies: request, contract: check.contract.filter((f) => f.path.startsWith('request')), rules });
    if (text) evidence.push(...text.split('\n').map((l) => `    ${l}`));
  }
  return { check: 'request conformance', examined: ers.length, findings, evidence };
}

/** User-restricted calls carry the logged-in user's role and organisation; application calls carry no user headers. */
export function roleHeaders(ers: Captured[], all: Captured[], actor: { businessFunction?: string; ods?: string; onBehalfOf?: string } | undefined): Judgement {
  const modes = tokenModes(all);
  const findings: string[] = [];
  const evidence: string[] = [];
  for (const c of ers) {
    const h = c.exchange.request.headers;
    const mode = c.bearer ? modes.get(c.bearer) : undefined;
    const sent = Object.fromEntries(USER_CONTEXT_HEADERS.map((n) => [n, header(h, n)]).filter(([, v]) => v !== undefined));
    evidence.push(`${label(c)} · ${mode ?? 'token not issued in this scenario'} · ${Object.entries(sent).map(([k, v]) => `${k}: ${v}`).join(', ') || 'no user-context headers'}`);
    if (mode === 'application-restricted') {
      for (const name of Object.keys(sent)) findings.push(`${label(c)}: application-restricted call sends the user-context header ${name} (none may be sent in application-restricted mode)`);
    } else if (mode === 'user-restricted' && actor) {
      if (sent['nhsd-ers-business-function'] !== actor.businessFunction) findings.push(`${label(c)}: NHSD-eRS-Business-Function is ${sent['nhsd-ers-business-function'] ?? '(missing)'}, but the user is logged in as ${actor.businessFunction}`);
      if (sent['nhsd-end-user-organisation-ods'] !== actor.ods) findings.push(`${label(c)}: NHSD-End-User-Organisation-ODS is ${sent['nhsd-end-user-organisation-ods'] ?? '(missing)'}, but the user works at ${actor.ods}`);
      if (actor.onBehalfOf && sent['nhsd-ers-on-behalf-of-user-id'] !== actor.onBehalfOf) findings.push(`${label(c)}: NHSD-eRS-On-Behalf-Of-User-ID is ${sent['nhsd-ers-on-behalf-of-user-id'] ?? '(missing)'}, expected ${actor.onBehalfOf}`);
    }
  }
  return { check: 'role headers', examined: ers.length, findings, evidence };
}

/** Every e-RS call carries an access token issued for this scenario (so traffic is matched to its scenario). */
export function tokenCorrelation(ers: Captured[], all: Captured[]): Judgement {
  const issued = new Set(all.filter((c) => c.issuedToken).map((c) => c.issuedToken));
  const findings = ers.filter((c) => !c.bearer || !issued.has(c.bearer)).map((c) => `${label(c)}: ${c.bearer ? 'carries an access token not issued in this scenario (a token kept from earlier, or another user\'s)' : 'carries no access token'}`);
  return { check: 'token per scenario', examined: ers.length, findings, evidence: [`${issued.size} access token(s) issued in this scenario's window`, ...ers.map(label)] };
}

/** A write that needs If-Match sends it, equal to the last ETag e-RS served for that referral or appointment. */
export function ifMatchIsLastEtag(ers: Captured[]): Judgement {
  const lastEtag = new Map<string, string>();
  const findings: string[] = [];
  const evidence: string[] = [];
  let examined = 0;
  for (const c of ers) {
    const key = referralOf(c) ?? /\/Appointment\/([^/]+)/.exec(c.exchange.request.url)?.[1];
    if (c.operation?.requiresIfMatch) {
      examined += 1;
      const sent = header(c.exchange.request.headers, 'if-match');
      const expected = key ? lastEtag.get(key) : undefined;
      evidence.push(`${label(c)} · If-Match ${sent ?? '(none)'} · last ETag served ${expected ?? '(none in this scenario)'}`);
      if (!sent) findings.push(`${label(c)}: no If-Match header on a write that needs the version read`);
      else if (expected && sent !== expected) findings.push(`${label(c)}: If-Match ${sent} is not the last ETag e-RS served for ${key} (${expected})`);
    }
    const etag = c.exchange.response ? header(c.exchange.response.headers, 'etag') : undefined;
    if (key && etag && statusOf(c) < 300) lastEtag.set(key, etag);
  }
  return { check: 'If-Match', examined, findings, evidence };
}

/** After 409 or 412 on a referral, the system reads it again before writing to it again. */
export function rereadAfterConflict(ers: Captured[]): Judgement {
  const findings: string[] = [];
  const evidence: string[] = [];
  let examined = 0;
  ers.forEach((c, i) => {
    if (![409, 412].includes(statusOf(c))) return;
    examined += 1;
    const key = referralOf(c);
    const later = ers.slice(i + 1).filter((n) => referralOf(n) === key);
    const nextWrite = later.findIndex((n) => isWrite(n));
    const readBefore = later.slice(0, nextWrite < 0 ? later.length : nextWrite).some((n) => !isWrite(n) && n.exchange.request.method === 'GET');
    evidence.push(`${label(c)} · next write ${nextWrite < 0 ? 'none' : label(later[nextWrite] as Captured)} · read in between: ${readBefore ? 'yes' : 'no'}`);
    if (nextWrite >= 0 && !readBefore) findings.push(`${label(later[nextWrite] as Captured)}: written again after ${statusOf(c)} on ${key} without reading it first`);
  });
  return { check: 're-read after conflict', examined, findings, evidence };
}

function sameRequest(a: Captured, b: Captured): boolean {
  return a.exchange.request.method === b.exchange.request.method && a.exchange.request.url === b.exchange.request.url
    && (a.exchange.request.body?.text ?? '') === (b.exchange.request.body?.text ?? '')
    && header(a.exchange.request.headers, 'if-match') === header(b.exchange.request.headers, 'if-match');
}

/** A write e-RS rejected (4xx other than 429) is never sent again unchanged. */
export function noRetryOfRejectedWrite(ers: Captured[]): Judgement {
  const findings: string[] = [];
  const evidence: string[] = [];
  let examined = 0;
  ers.forEach((c, i) => {
    const status = statusOf(c);
    if (!isWrite(c) || status < 400 || status >= 500 || status === 429) return;
    examined += 1;
    const repeats = ers.slice(i + 1).filter((n) => sameRequest(c, n));
    evidence.push(`${label(c)} · sent again unchanged: ${repeats.length}`);
    if (repeats.length) findings.push(`${label(c)} was rejected with ${status} and sent again unchanged ${repeats.length} time(s) (${repeats.map(label).join(', ')})`);
  });
  return { check: 'no retry of a rejected write', examined, findings, evidence };
}

/** After 429 or 503 the same request waits at least Retry-After, and is attempted a bounded number of times. */
export function retryAfterHonoured(ers: Captured[], maxAttempts: number): Judgement {
  const findings: string[] = [];
  const evidence: string[] = [];
  let examined = 0;
  ers.forEach((c, i) => {
    const status = statusOf(c);
    if (status !== 429 && status !== 503) return;
    examined += 1;
    const retryAfter = Number(header(c.exchange.response?.headers ?? {}, 'retry-after'));
    const next = ers.slice(i + 1).find((n) => n.exchange.request.method === c.exchange.request.method && n.exchange.request.url === c.exchange.request.url);
    const answeredAt = receivedMs(c) + c.exchange.durationMs;
    const waited = next ? receivedMs(next) - answeredAt : undefined;
    evidence.push(`${label(c)} · Retry-After ${Number.isFinite(retryAfter) ? `${retryAfter} s` : '(none)'} · next attempt ${next ? `${label(next)} after ${waited} ms` : 'none'}`);
    // 20 ms: the two timestamps come from the harness's own clock at slightly different points of the exchange
    if (next && Number.isFinite(retryAfter) && (waited as number) + 20 < retryAfter * 1000) findings.push(`${label(next)} came ${waited} ms after ${label(c)}, before its Retry-After of ${retryAfter} s`);
  });
  const attempts = new Map<string, number>();
  for (const c of ers) {
    const key = `${c.exchange.request.method} ${c.exchange.request.url} ${c.exchange.request.body?.text ?? ''}`;
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of attempts) if (n > maxAttempts) findings.push(`${key.split(' ').slice(0, 2).join(' ')} was sent ${n} times; retries after 429/503 are bounded (at most ${maxAttempts} attempts)`);
  return { check: 'Retry-After honoured', examined, findings, evidence };
}

/** Nothing but the operations of the actions performed (and their supporting reads, and the allow-list) arrived. */
export function onlyExpectedOperations(ers: Captured[], actions: string[], allow: string[]): Judgement {
  const expected = new Set<string>(allow);
  for (const a of actions) {
    const def = findAction(a);
    for (const op of [...def.expects, ...def.may]) expected.add(op);
  }
  const findings = ers.filter((c) => !expected.has(c.operation?.id ?? '?')).map((c) => `${label(c)}: not an operation of ${actions.join(', ') || 'any action asked for'}${allow.length ? ` nor on ERS_SUT_ALLOW (${allow.join(', ')})` : ''}`);
  return { check: 'no unexpected operation', examined: ers.length, findings, evidence: [`expected: ${[...expected].sort().join(', ') || '(none)'}`, ...ers.map(label)] };
}

/** Each e-RS call's X-Correlation-ID is in the system's audit trail. */
export function correlationIdsAudited(ers: Captured[], auditRecords: unknown): Judgement {
  const records = Array.isArray(auditRecords) ? auditRecords : [];
  const kept = new Set(records.map((r) => (r && typeof r === 'object' ? (r as { correlationId?: unknown }).correlationId : undefined)).filter((v): v is string => typeof v === 'string'));
  const findings: string[] = [];
  if (!Array.isArray(auditRecords)) findings.push('the driver reported no auditRecords list (observe.auditLog observations.auditRecords)');
  for (const c of ers) {
    const id = header(c.exchange.request.headers, 'x-correlation-id');
    if (!id) findings.push(`${label(c)}: sent without X-Correlation-ID, so no audit record can carry it`);
    else if (!kept.has(id)) findings.push(`${label(c)}: its X-Correlation-ID ${id} is in no audit record`);
  }
  return { check: 'audit trail keeps correlation ids', examined: ers.length, findings, evidence: [`${records.length} audit record(s)`, ...ers.map((c) => `${label(c)} · X-Correlation-ID ${header(c.exchange.request.headers, 'x-correlation-id') ?? '(none)'}`)] };
}

const AVAILABILITY_EXTENSION = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-AvailabilityStatus-1';

/** The availability of each attachment an A005 answer listed (attachment id → AVAILABLE | PENDING | …). */
function listedAvailability(c: Captured): Map<string, string> {
  const listed = new Map<string, string>();
  const body = c.exchange.response?.body.json as { contained?: { resourceType?: string; content?: { attachment?: { url?: string; extension?: { url?: string; valueCoding?: { code?: string } }[] } }[] }[] } | undefined;
  for (const d of body?.contained ?? []) {
    if (d.resourceType !== 'DocumentReference') continue;
    for (const { attachment } of d.content ?? []) {
      const id = /Binary\/([^/?#]+)$/.exec(attachment?.url ?? '')?.[1];
      if (id) listed.set(id, attachment?.extension?.find((e) => e.url === AVAILABILITY_EXTENSION)?.valueCoding?.code ?? 'AVAILABLE');
    }
  }
  return listed;
}

/** A042 / A006 only for attachments the last referral read (A005) reported AVAILABLE: nothing unreleased, no polling. */
export function attachmentsRequestedWhenAvailable(ers: Captured[]): Judgement {
  const known = new Map<string, { availability: string; from: Captured }>();
  const findings: string[] = [];
  const evidence: string[] = [];
  let examined = 0;
  for (const c of ers) {
    const op = c.operation?.id;
    if (op === 'A005' && statusOf(c) === 200) for (const [id, availability] of listedAvailability(c)) known.set(id, { availability, from: c });
    if (op !== 'A042' && op !== 'A006') continue;
    examined += 1;
    const id = /\/Binary\/([^/?#]+)/.exec(new URL(c.exchange.request.url).pathname)?.[1] ?? '?';
    const last = known.get(id);
    evidence.push(`${label(c)} · attachment ${id} · last reported ${last ? `${last.availability} by ${label(last.from)}` : '(not listed by any referral read in this scenario)'}`);
    if (!last) findings.push(`${label(c)}: asks for attachment ${id}, which no referral the system read in this scenario listed`);
    else if (last.availability !== 'AVAILABLE') findings.push(`${label(c)}: asks for attachment ${id}, which e-RS last reported ${last.availability} (${label(last.from)}); only AVAILABLE files are released${last.availability === 'PENDING' ? ', and a PENDING one is asked for again only once its scan has finished (at least 5 minutes)' : ''}`);
  }
  return { check: 'attachments asked for only when available', examined, findings, evidence };
}

/** Each request of the operation carries the named Parameters with the values the user gave (valueCoding code or valueString). */
export function parametersCarried(ers: Captured[], operation: string, expected: Record<string, string>): Judgement {
  const findings: string[] = [];
  const evidence: string[] = [];
  const sent = ers.filter((c) => c.operation?.id === operation);
  for (const c of sent) {
    const params = ((c.exchange.request.body?.json as { parameter?: { name?: string; valueString?: string; valueCoding?: { code?: string } }[] } | undefined)?.parameter ?? []);
    for (const [name, value] of Object.entries(expected)) {
      const p = params.find((x) => x.name === name);
      const actual = p?.valueCoding?.code ?? p?.valueString;
      evidence.push(`${label(c)} · ${name}: ${actual === undefined ? '(absent)' : JSON.stringify(actual)} · the user gave ${JSON.stringify(value)}`);
      if (actual !== value) findings.push(`${label(c)}: ${name} is ${actual === undefined ? 'absent' : JSON.stringify(actual)}, but the user gave ${JSON.stringify(value)}`);
    }
  }
  return { check: `${operation} carries what the user gave`, examined: sent.length, findings, evidence };
}
