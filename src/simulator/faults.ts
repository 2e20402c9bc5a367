// Fault injection rules held per simulator instance (latency, dropped connections, error statuses).
import { OPERATIONS, type OperationDef } from '../ers/operations.ts';
import { ErsError } from './errors.ts';

export interface FaultRule {
  /** operation id ('A005', 'A005-versioned', ...) or '*' for every operation */
  operation: string;
  status?: number;
  /** how many matching requests the rule affects (default 1) */
  count?: number;
  /** affects every matching request until cleared (count is then ignored) */
  always?: boolean;
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** destroy the socket instead of answering */
  reset?: boolean;
  /** apply the fault after e-RS has carried out the request (the change is made, the answer is lost) */
  afterProcessing?: boolean;
  /** what fails: 'allowlist' is the proxy's ODS-allowlist service (500 SERVICE_ERROR, catalogue 10.3); needs status 500 */
  cause?: 'allowlist';
  /** the error code to answer with where a status has more than one (R4 500: SERVICE_ERROR, the proxy's ODS-allowlist failure) */
  code?: string;
}

export type FaultAction = { latencyMs: number; reset: boolean; afterProcessing: boolean; error?: ErsError };

export interface FaultBook {
  add(rule: FaultRule): void;
  clear(): void;
  /** the rules still in force, with how many uses each has left (null = always) */
  list(): (FaultRule & { remaining: number | null })[];
  /** consumes one use of the first rule that matches the operation */
  take(op: OperationDef): FaultAction | undefined;
}

export function validateFaultRule(rule: FaultRule): void {
  if (!rule || typeof rule !== 'object' || typeof rule.operation !== 'string' || rule.operation === '') throw new Error("a fault rule needs operation: an operation id or '*'");
  if (rule.operation !== '*' && !OPERATIONS.some((op) => op.id === rule.operation)) {
    // a rule for an id no request carries would never fire: say so instead of accepting it
    throw new Error(`fault rule operation '${rule.operation}' is not an e-RS operation id; use '*' or one of ${OPERATIONS.map((op) => op.id).join(', ')}`);
  }
  const known = new Set(['operation', 'status', 'count', 'always', 'retryAfterSeconds', 'latencyMs', 'reset', 'afterProcessing', 'cause', 'code']);
  const unknown = Object.keys(rule).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`unknown fault rule field(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)) {
    throw new Error(`fault rule status must be an HTTP error status 400-599, got ${rule.status}`);
  }
  if (rule.status === undefined && !rule.reset && !rule.latencyMs) throw new Error('a fault rule needs status, reset or latencyMs');
  if (rule.cause !== undefined && (rule.cause !== 'allowlist' || rule.status !== 500)) throw new Error(`fault rule cause must be 'allowlist' with status 500, got cause ${JSON.stringify(rule.cause)} and status ${String(rule.status)}`);
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) throw new Error('fault rule count must be a positive integer');
  if (rule.afterProcessing !== undefined && typeof rule.afterProcessing !== 'boolean') throw new Error('fault rule afterProcessing must be true or false');
  if (rule.code !== undefined && !(rule.status === 500 && rule.code === 'SERVICE_ERROR')) throw new Error(`fault rule code: only status 500 with code SERVICE_ERROR is modelled, got ${rule.status ?? '(no status)'} ${String(rule.code)}`);
  if (rule.always !== undefined && typeof rule.always !== 'boolean') throw new Error('fault rule always must be true or false');
  if (rule.latencyMs !== undefined && (!Number.isInteger(rule.latencyMs) || rule.latencyMs < 0 || rule.latencyMs > 600_000)) {
    throw new Error(`fault rule latencyMs must be a whole number of milliseconds 0-600000, got ${String(rule.latencyMs)}`);
  }
  if (rule.retryAfterSeconds !== undefined && (!Number.isInteger(rule.retryAfterSeconds) || rule.retryAfterSeconds < 0)) {
    throw new Error(`fault rule retryAfterSeconds must be a whole number of seconds, got ${String(rule.retryAfterSeconds)}`);
  }
}

export function createFaultBook(): FaultBook {
  const rules: { rule: FaultRule; remaining: number }[] = [];
  return {
    add(rule) {
      validateFaultRule(rule);
      rules.push({ rule: { ...rule }, remaining: rule.count ?? 1 });
    },
    clear() {
      rules.length = 0;
    },
    list() {
      return rules.map((r) => ({ ...r.rule, remaining: r.rule.always ? null : r.remaining }));
    },
    take(op) {
      if (rules.length === 0) return undefined;
      const index = rules.findIndex((r) => r.rule.operation === '*' || r.rule.operation === op.id);
      if (index < 0) return undefined;
      const entry = rules[index] as { rule: FaultRule; remaining: number };
      if (!entry.rule.always) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) rules.splice(index, 1);
      }
      const { rule } = entry;
      return {
        latencyMs: rule.latencyMs ?? 0,
        reset: rule.reset ?? false,
        afterProcessing: rule.afterProcessing ?? false,
        ...(rule.status !== undefined ? { error: rule.cause === 'allowlist' ? allowlistFailure() : faultError(rule.status, rule.retryAfterSeconds, rule.code) } : {}),
      };
    },
  };
}

/** The proxy's ODS-allowlist service failing: STU3 500 without a FHIR body, R4 500 exception SERVICE_ERROR (10.3). */
function allowlistFailure(): ErsError {
  return new ErsError(500, 'exception', 'SERVICE_ERROR', 'Internal Server Error', {
    stu3Body: 'empty', r4: { system: 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode', code: 'SERVICE_ERROR' },
  });
}

function faultError(status: number, retryAfterSeconds: number | undefined, code?: string): ErsError {
  const headers: Record<string, string> = retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {};
  if (code === 'SERVICE_ERROR') {
    // the proxy's own failure while checking the ODS allowlist (catalogue 6, R4 500)
    return new ErsError(500, 'exception', 'SERVICE_ERROR', 'Internal Server Error', { headers, r4: { system: 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode', code: 'SERVICE_ERROR' } });
  }
  switch (status) {
    case 429:
      // the proxy strips the 429 payload on STU3 paths; R4 gets throttled/TOO_MANY_REQUESTS
      return new ErsError(429, 'throttled', 'TOO_MANY_REQUESTS', 'Your request was rate limited (injected fault)', {
        headers, stu3Body: 'empty', r4: { system: 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode', code: 'TOO_MANY_REQUESTS' },
      });
    case 503:
      return new ErsError(503, 'transient', 'SYSTEM_UNAVAILABLE', 'The service is temporarily unavailable (injected fault)', { headers });
    case 502:
      return new ErsError(502, 'exception', 'PAS_RESPONDED_WITH_ERROR', 'The provider PAS returned an error (injected fault)', { headers });
    case 423:
      return new ErsError(423, 'lock-error', 'REFERRAL_LOCKED', 'The referral is locked by another update in progress (injected fault)', { headers });
    case 504:
      return new ErsError(504, 'timeout', 'PAS_NOT_RESPONDING', 'The provider PAS did not respond (injected fault)', { headers });
    case 500:
      // STU3 documents no body for 500 and SYSTEM_UNAVAILABLE is the 503 answer (catalogue 6, 9); R4 names REC_SERVER_ERROR
      return new ErsError(500, 'exception', 'SYSTEM_UNAVAILABLE', 'Injected fault: HTTP 500', { headers, stu3Body: 'empty' });
    default:
      return new ErsError(status, 'exception', 'SYSTEM_UNAVAILABLE', `Injected fault: HTTP ${status}`, { headers });
  }
}
