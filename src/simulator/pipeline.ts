// The one request pipeline every e-RS operation goes through (order documented in the simulator README section of the report).
import { matchPath, type OperationDef } from '../ers/operations.ts';
import { authenticate, authorise } from './access.ts';
import { ErsError } from './errors.ts';
import type { FaultBook } from './faults.ts';
import { header, type SimRequest, type SimResponse } from './http-types.ts';
import { checkAccept, checkBodySize, checkContentType, parseFhirBody } from './negotiation.ts';
import type { Registry } from './operations/registry.ts';
import { rateLimitKey, type RateLimiter } from './rate-limit.ts';
import { storeFull, type SimulatorLimits } from './limits.ts';
import { renderError } from './render.ts';
import type { Store } from './store.ts';
import type { TokenStore } from './tokens.ts';
import { inTransaction } from './transaction.ts';

export const FHIR_PREFIX = '/referrals/FHIR';

/** POST operations that only read (worklists, searches, generated documents): no write to undo, so no journal. */
const QUERY_OPERATIONS = new Set(['A007', 'A008', 'A010', 'A019', 'A023', 'A043']);

export interface PipelineDeps {
  store(): Store;
  tokens: TokenStore;
  faults: FaultBook;
  rateLimiter: RateLimiter;
  registry: Registry;
  baseUrl: string;
  maxBodyBytes: number;
  limits: SimulatorLimits;
  now(): Date;
  log(line: string): void;
}

/** Routes, checks and answers one e-RS API request; never throws. */
export async function runPipeline(req: SimRequest, deps: PipelineDeps): Promise<SimResponse & { operationId?: string }> {
  const fhirVersion = req.path.startsWith(`${FHIR_PREFIX}/R4/`) ? 'R4' : 'STU3';
  let op: OperationDef | undefined;
  try {
    const routed = route(req);
    op = routed.op;
    const fault = deps.faults.take(op);
    if (fault && !fault.afterProcessing) {
      if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.reset) return { status: 0, headers: {}, destroySocket: true, operationId: op.id };
      if (fault.error) throw fault.error;
    }
    // The proxy throttles before the backend sees the request (catalogue 10.3).
    deps.rateLimiter.take(rateLimitKey(header(req, 'authorization')));
    const principal = authenticate(req, deps.tokens);
    const store = deps.store();
    const caller = authorise(req, op, principal, store);
    const impl = deps.registry.implementationFor(op);
    if (deps.registry.negotiatesFhirJson(op)) checkAccept(req);
    checkContentType(req, op);
    checkBodySize(req, deps.maxBodyBytes);
    const body = parseFhirBody(req, op, impl.requestResourceType, deps.limits);
    const handle = () => Promise.resolve(impl.handle({ op: routed.op, params: routed.params, query: req.query, caller, body, store, baseUrl: deps.baseUrl, now: deps.now(), req }));
    if (routed.op.method === 'GET' || routed.op.method === 'HEAD' || QUERY_OPERATIONS.has(routed.op.activity)) return { ...(await handle()), operationId: op.id };
    // A write stands only when it answers success within the store's limits; anything else leaves no trace.
    let overflow: ErsError | undefined;
    const response = await inTransaction(handle, (r) => {
      if (r.status >= 400) return false;
      overflow = overLimit(store, deps.limits);
      return overflow === undefined;
    });
    if (overflow) throw overflow;
    if (fault?.afterProcessing) {
      // the change is made; the caller never hears of it (a lost answer)
      if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.reset) return { status: 0, headers: {}, destroySocket: true, operationId: op.id };
      if (fault.error) throw fault.error;
    }
    return { ...response, operationId: op.id };
  } catch (err) {
    if (err instanceof ErsError) return { ...renderError(err, fhirVersion, deps.now()), ...(op ? { operationId: op.id } : {}) };
    // Anything else is a simulator bug: answer 500 and keep serving.
    deps.log(`simulator error in ${op?.id ?? 'routing'}: ${(err as Error)?.stack ?? String(err)}`);
    const internal = new ErsError(500, 'exception', 'SYSTEM_UNAVAILABLE', `Internal simulator error while handling ${op?.id ?? req.path}`);
    return { ...renderError(internal, fhirVersion, deps.now()), ...(op ? { operationId: op.id } : {}) };
  }
}

/** Why the store is over its limits after a write, or undefined when it is within them. */
function overLimit(store: Store, limits: SimulatorLimits): ErsError | undefined {
  const records = store.referrals.size + store.adviceRequests.size + store.appointments.size + store.binaries.size - store.seedRecords;
  if (records > limits.maxRecords) return storeFull(`${limits.maxRecords} records created since the seed`, `maxRecords ${limits.maxRecords}`);
  let bytes = -store.seedStoredBytes;
  for (const b of store.binaries.values()) bytes += b.bytes.length;
  if (bytes > limits.maxStoredBytes) return storeFull(`${bytes - (bytes % 1024)}+ bytes of uploaded files`, `maxStoredBytes ${limits.maxStoredBytes}`);
  return undefined;
}

function route(req: SimRequest): { op: OperationDef; params: Record<string, string> } {
  const after = req.path.startsWith(`${FHIR_PREFIX}/`) ? req.path.slice(FHIR_PREFIX.length) : undefined;
  const candidates = after === undefined ? [] : matchPath(after);
  if (candidates.length === 0) {
    throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `No e-RS operation is served at ${req.path}`);
  }
  const match = candidates.find((c) => c.op.method === req.method);
  if (!match) {
    const allowed = [...new Set(candidates.map((c) => c.op.method))];
    throw new ErsError(405, 'not-supported', 'INVALID_VALUE', `Method ${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
  return match;
}
