// Public surface of the embedded e-RS simulator: createSimulator() and the types callers need.
import type { Server } from 'node:http';
import { createFaultBook, type FaultRule } from './faults.ts';
import { createRegistry } from './operations/registry.ts';
import type { OperationImpl } from './operations/types.ts';
import { FHIR_PREFIX } from './pipeline.ts';
import type { Principal } from './principal.ts';
import { loadDefaultSeed } from './seed/index.ts';
import type { SeedData } from './seed/types.ts';
import { listen, type ServerDeps } from './server.ts';
import { createStore, type Store } from './store.ts';
import { createTokenStore } from './tokens.ts';

export type { Principal } from './principal.ts';
export type { FaultRule } from './faults.ts';
export type { SeedData } from './seed/types.ts';

export interface SimulatorOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 = ephemeral */
  port?: number;
  /** default: the built-in seed (src/simulator/seed/*.yaml) */
  seed?: SeedData;
  /** one line per request (method, path, status, ms); never receives Authorization or tokens */
  log?: (line: string) => void;
  /** request body limit in bytes (default 10 MB) -> 413 */
  maxBodyBytes?: number;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** origin + '/referrals/FHIR' */
  baseUrl: string;
  /** an opaque bearer token valid in this simulator only */
  issueToken(p: Principal, ttlSeconds?: number): string;
  injectFault(f: FaultRule): void;
  clearFaults(): void;
  /** back to the seed (data only; tokens and fault rules are kept) */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Test seam: extra operation implementations that replace the registry's (e.g. a handler that throws). */
export interface SimulatorInternals {
  operations?: OperationImpl[];
}

export async function createSimulator(opts: SimulatorOptions = {}, internals: SimulatorInternals = {}): Promise<Simulator> {
  const seed = opts.seed ?? loadDefaultSeed();
  const log = opts.log ?? (() => {});
  const tokens = createTokenStore();
  const faults = createFaultBook();
  const registry = createRegistry(internals.operations);
  let store: Store | undefined;
  let deps: ServerDeps | undefined;

  const { server, origin } = await listen(() => deps as ServerDeps, opts.host ?? '127.0.0.1', opts.port ?? 0);
  const baseUrl = `${origin}${FHIR_PREFIX}`;
  const reset = () => {
    store = createStore(seed, baseUrl);
  };
  reset();
  const now = () => new Date();
  deps = {
    pipeline: { store: () => store as Store, tokens, faults, registry, baseUrl, maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, now, log },
    control: { tokens, faults, reset, now },
  };

  return {
    origin,
    baseUrl,
    issueToken: (p, ttl) => tokens.issue(p, ttl),
    injectFault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    reset,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
