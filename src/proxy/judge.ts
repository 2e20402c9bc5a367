// Each exchange that passes the recording proxy, judged in both directions with supplier mode's own checks
// (src/supplier/checks.ts): what the supplier's system sent (request conformance, role headers in
// application-restricted mode) and how it behaves across the session (If-Match = the last ETag served,
// a re-read after 409/412, no retry of a rejected write, Retry-After honoured); and what e-RS answered
// (response conformance), so a suspected e-RS defect is labelled as e-RS's, never the supplier's.
import { checkExchange, responseErrors } from '../conformance/check-exchange.ts';
import { matchOperation } from '../ers/operations.ts';
import { recordBody } from '../http/client.ts';
import { header, type Exchange } from '../http/exchange.ts';
import type { Captured, CapturedKind } from '../supplier/capture.ts';
import { ifMatchIsLastEtag, noRetryOfRejectedWrite, requestConformance, rereadAfterConflict, retryAfterHonoured, roleHeaders, type ConformanceContext, type Judgement } from '../supplier/checks.ts';
import { FHIR_BASE_PATH, TOKEN_PATH, type ProxiedExchange } from './server.ts';

/** Attempts after 429/503 a supplier may make (as in supplier mode's back-off scenarios). */
export const MAX_ATTEMPTS = 3;

export interface ExchangeFindings {
  /** the supplier's system: what it sent, or how it behaved given what came before */
  supplier: string[];
  /** suspected e-RS defects: the upstream's answer breaks the profiles or the contract */
  ers: string[];
  /** the upstream could not be reached or broke off: an environment fault, no one's defect */
  environment: string[];
}

/** The proxy's record as supplier mode's Captured (so every check and the evidence renderer treat it like any exchange). */
export function capturedFromProxy(p: ProxiedExchange, origin: string, seq: number, maxRecorded: number): Captured {
  const kind: CapturedKind = p.path.startsWith(`${FHIR_BASE_PATH}/`) ? 'ers' : p.path === TOKEN_PATH ? 'token' : 'other';
  const url = `${origin}${p.path}${p.query ? `?${p.query}` : ''}`;
  const body = p.bodyBytes ? recordBody(p.body, p.headers['content-type'], p.bodyBytes > p.body.length, maxRecorded, p.bodyBytes) : undefined;
  const operation = kind === 'ers' ? matchOperation(p.method, p.path.slice(FHIR_BASE_PATH.length))?.op : undefined;
  const r = p.response;
  const exchange: Exchange = {
    id: `proxied-${p.seq}`,
    operation: operation?.id,
    correlationId: p.headers['x-correlation-id'],
    request: { method: p.method, url, headers: p.headers, ...(body ? { body } : {}) },
    ...(r ? { response: { status: r.status, headers: r.headers, body: recordBody(r.body, header(r.headers, 'content-type'), r.bodyBytes > r.body.length || !r.complete, maxRecorded, r.bodyBytes) } } : {}),
    ...(p.error ? { error: { kind: p.error.kind === 'proxy-busy' || p.error.kind === 'client-aborted' ? 'aborted' as const : p.error.kind, message: p.error.message } } : {}),
    startedAt: p.receivedAt,
    durationMs: p.durationMs,
    attempts: 1,
  };
  const bearer = /^Bearer\s+(\S+)$/i.exec(p.headers.authorization ?? '')?.[1];
  const issued = kind === 'token' && r?.status === 200 ? (exchange.response?.body.json as { access_token?: unknown } | undefined)?.access_token : undefined;
  return { seq, kind, exchange, operation, bearer, issuedToken: typeof issued === 'string' ? issued : undefined };
}

/** The findings of a judgement that concern this exchange (checks label requests "#<seq> <operation> …"). */
function about(j: Judgement, c: Captured): string[] {
  const mark = new RegExp(`(^|[\\s(,])#${c.seq} `);
  return j.findings.filter((f) => mark.test(f)).map((f) => `${j.check}: ${f}`);
}

/**
 * Judges one exchange given the session so far (history holds it as its last entry). Protocol checks run
 * over the history and keep only the findings this exchange brings (a retry, a write after a conflict).
 */
export function judgeExchange(history: Captured[], c: Captured, ctx: ConformanceContext): ExchangeFindings {
  const out: ExchangeFindings = { supplier: [], ers: [], environment: [] };
  if (c.exchange.error) out.environment.push(`${c.exchange.error.kind}: ${c.exchange.error.message}`);
  if (c.kind !== 'ers') return out;
  const ers = history.filter((h) => h.kind === 'ers');
  out.supplier.push(...about(requestConformance([c], history, ctx), c));
  // no logged-in user is known to a standalone proxy: only the application-restricted rule (no user headers) applies
  out.supplier.push(...about(roleHeaders([c], history, undefined), c));
  for (const j of [ifMatchIsLastEtag(ers), rereadAfterConflict(ers), noRetryOfRejectedWrite(ers), retryAfterHonoured(ers, MAX_ATTEMPTS)]) out.supplier.push(...about(j, c));
  if (c.operation && c.exchange.response) {
    const check = checkExchange(c.exchange, { ...ctx, operation: c.operation.id, fhirVersion: c.operation.fhirVersion, accessMode: 'user-restricted' });
    out.ers.push(...responseErrors(check).map((e) => `response conformance: ${e}`));
  }
  return out;
}

/** The session's protocol behaviour over everything recorded (including rules only a whole session shows, e.g. too many attempts). */
export function judgeSession(history: Captured[]): Judgement[] {
  const ers = history.filter((h) => h.kind === 'ers');
  return [ifMatchIsLastEtag(ers), rereadAfterConflict(ers), noRetryOfRejectedWrite(ers), retryAfterHonoured(ers, MAX_ATTEMPTS)];
}
