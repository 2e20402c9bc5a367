// Public surface of the embedded e-RS simulator: createSimulator() and the types callers need.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { CONTROL_SECRET_HEADER, setClock } from './control.ts';
import { createFaultBook, type FaultRule } from './faults.ts';
import { createOAuthService, loadDefaultClients, type ClientApp, type Cis2Login, type JwksSource } from './oauth.ts';
import { createRegistry } from './operations/registry.ts';
import type { OperationImpl } from './operations/types.ts';
import { handleObjectStore } from './object-store.ts';
import { FHIR_PREFIX } from './pipeline.ts';
import type { Principal } from './principal.ts';
import { createRateLimiter, type RateLimitConfig } from './rate-limit.ts';
import { loadDefaultSeed } from './seed/index.ts';
import type { SeedData } from './seed/types.ts';
import { resolveLimits, type SimulatorLimits } from './limits.ts';
import { listen, type ObservedExchange, type ServerDeps } from './server.ts';
import { createStore, type Store } from './store.ts';
import { createTokenStore, type TokenStore } from './tokens.ts';

export type { Principal } from './principal.ts';
export type { Store, StoredReferral } from './store.ts';
export type { FaultRule } from './faults.ts';
export type { ClientApp, Cis2Login, JwksSource, JwksDocument } from './oauth.ts';
export type { RateLimitConfig } from './rate-limit.ts';
export { DEFAULT_LIMITS, type SimulatorLimits } from './limits.ts';
export { CONTROL_SECRET_HEADER } from './control.ts';
export { loadPlatformConfig, loadSeedFile, type PlatformConfig } from './config-file.ts';
export type { SeedData } from './seed/types.ts';
export type { ObservedExchange } from './server.ts';
// what supplier mode reads of e-RS's state (src/supplier/ers-state.ts): attachment availability and worklist membership
export { availability, type Availability } from './domain/attachments.ts';
export { onWorklist } from './operations/A008-retrieve-worklist.ts';

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
  /** throttle each access token like the live proxy (default: no limit) */
  rateLimit?: RateLimitConfig;
  /** fault rules in force from the start (e.g. from serve --faults FILE) */
  faults?: FaultRule[];
  /** sees every request the simulator receives and its answer (supplier mode's capture window) */
  observe?: (record: ObservedExchange) => void;
  /** the JWKS registered for the seeded apps (object, file path or http(s) URL); without it /oauth2/token answers 403 public_key error */
  jwks?: JwksSource;
  /** a JWKS for one app each, by API key (as the developer portal keeps one per app); overrides `jwks` for that app */
  jwksByApp?: Record<string, JwksSource>;
  /** app registrations added to (or replacing, by apiKey) the built-in seed/applications.yaml */
  clients?: ClientApp[];
  /** bounds on what the simulator holds and accepts (defaults: DEFAULT_LIMITS, documented in docs/serve.md) */
  limits?: Partial<SimulatorLimits>;
  /** the secret /_simulator/* requests must carry in X-Simulator-Secret (default: a random one per instance) */
  controlSecret?: string;
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
  /** undefined removes the limit */
  setRateLimit(limit: RateLimitConfig | undefined): void;
  /** origin + '/oauth2/token': the exact aud of client assertions */
  tokenUrl: string;
  /** a stand-in CIS2 id_token for a seeded user, to exchange at tokenUrl (also POST /_simulator/cis2/id_token) */
  cis2IdToken(login: Cis2Login): Promise<string>;
  /** what /_simulator/* requests must send in X-Simulator-Secret */
  controlSecret: string;
  /** { 'X-Simulator-Secret': controlSecret, 'Content-Type': 'application/json' }: the headers of a control request */
  controlHeaders(): Record<string, string>;
  /** the limits in force */
  limits: SimulatorLimits;
  /** e-RS time (the machine's clock plus any advance); "wait at least N minutes" rules read it */
  now(): Date;
  /** another user changes the referral behind the caller's back: a new version; returns it */
  touchReferral(ubrn: string): number;
  /** the live state, for checks of what a supplier's requests did (read it, do not change it) */
  state(): Store;
  /** back to the seed (data only; tokens and fault rules are kept) */
  reset(): void;
  /** moves e-RS time forward by whole seconds, never back (attachment scans, "wait at least N minutes" rules); returns the new time */
  advanceClock(seconds: number): Date;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Test seam: extra operation implementations that replace the registry's (e.g. a handler that throws). */
export interface SimulatorInternals {
  operations?: OperationImpl[];
  /** the identity service's clock (epoch ms), for exp-window tests */
  now?: () => number;
  /** sees every access token the identity service issues (tests scan outputs for them) */
  onTokenIssued?: (token: string) => void;
  /** how long a JWKS URL gets to answer (default JWKS_FETCH_TIMEOUT_MS) */
  jwksTimeoutMs?: number;
}

export async function createSimulator(opts: SimulatorOptions = {}, internals: SimulatorInternals = {}): Promise<Simulator> {
  const limits = resolveLimits(opts.limits);
  const controlSecret = opts.controlSecret ?? randomBytes(24).toString('base64url');
  if (typeof controlSecret !== 'string' || controlSecret.length < 16) throw new Error('the simulator control secret must be at least 16 characters (ERS_SIMULATOR_SECRET)');
  const seed = opts.seed ?? loadDefaultSeed();
  const log = opts.log ?? (() => {});
  const tokens = createTokenStore(internals.now, limits.maxTokens);
  const faults = createFaultBook();
  for (const rule of opts.faults ?? []) faults.add(rule);
  const rateLimiter = createRateLimiter(opts.rateLimit, undefined, limits.maxRateLimitBuckets);
  const registry = createRegistry(internals.operations);
  let store: Store | undefined;
  let deps: ServerDeps | undefined;

  // the app registrations first: a wrong one fails before a port is taken
  const clients = new Map(loadDefaultClients().map((c) => [c.apiKey, c]));
  for (const c of opts.clients ?? []) clients.set(c.apiKey, c);
  for (const [apiKey, source] of Object.entries(opts.jwksByApp ?? {})) {
    const app = clients.get(apiKey);
    if (!app) throw new Error(`no app with API key '${apiKey}' to register a JWKS for; the apps are ${[...clients.keys()].join(', ')}`);
    clients.set(apiKey, { ...app, jwks: source });
  }
  const host = opts.host ?? '127.0.0.1';
  const { server, origin } = await listen(() => deps as ServerDeps, host, opts.port ?? 0, limits);
  const baseUrl = `${origin}${FHIR_PREFIX}`;
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const reset = () => {
    store = createStore(seed, baseUrl, now());
    store.now = now;
  };
  reset();
  const touchReferral = (ubrn: string): number => {
    const referral = (store as Store).referrals.get(ubrn);
    if (!referral) throw new Error(`the simulator holds no referral ${ubrn}`);
    referral.version += 1;
    referral.lastUpdated = now().toISOString();
    return referral.version;
  };
  const advanceClock = (seconds: number): Date => {
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 366 * 86_400) throw new Error(`the clock moves forward by 0 to ${366 * 86_400} seconds, got ${String(seconds)}`);
    clock.offsetMs += seconds * 1000;
    return now();
  };
  const oauth = createOAuthService({
    origin,
    tokens: internals.onTokenIssued ? observed(tokens, internals.onTokenIssued) : tokens,
    clients: [...clients.values()],
    jwks: opts.jwks,
    knownUser: (userId) => seed.users.some((u) => u.id === userId),
    now: internals.now ?? Date.now,
    ...(internals.jwksTimeoutMs ? { jwksTimeoutMs: internals.jwksTimeoutMs } : {}),
  });
  deps = {
    pipeline: { store: () => store as Store, tokens, faults, rateLimiter, registry, baseUrl, maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, limits, now, log },
    control: { tokens, faults, rateLimiter, reset, now, secret: controlSecret, listenHost: host, limits, clock, touchReferral, advanceClock },
    oauth,
    ...(opts.observe ? { observe: opts.observe } : {}),
    objectStore: (req) => handleObjectStore(req, store as Store, now()),
  };

  return {
    origin,
    baseUrl,
    issueToken: (p, ttl) => tokens.issue(p, ttl),
    injectFault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    setRateLimit: (limit) => rateLimiter.set(limit),
    tokenUrl: oauth.tokenUrl,
    cis2IdToken: (login) => oauth.cis2IdToken(login),
    controlSecret,
    controlHeaders: () => ({ [CONTROL_SECRET_HEADER]: controlSecret, 'Content-Type': 'application/json' }),
    limits,
    now,
    advanceClock,
    touchReferral,
    state: () => store as Store,
    reset,
    close: () => closeServer(server),
  };
}

function observed(tokens: TokenStore, onIssued: (token: string) => void): TokenStore {
  return {
    ...tokens,
    issue(principal, ttl) {
      const token = tokens.issue(principal, ttl);
      onIssued(token);
      return token;
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
