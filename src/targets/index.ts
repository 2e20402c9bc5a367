import {
  AuthNotConfiguredError,
  createAuthSession,
  createTokenPoster,
  type AuthOptions,
  type AuthSession,
  type Cis2Assurance,
  type ClientSigner,
  type TokenPoster,
} from '../auth/index.ts';
import { decodeJwt } from 'jose';
import { generateSigningKeyInBackground, parseRsaPrivateKey } from '../auth/keys.ts';
import { actorTokenKey, type AccessMode, type Config, type TargetName } from '../config/index.ts';
import type { Redactor } from '../evidence/redact.ts';
import type { Exchange } from '../http/exchange.ts';
import type { JwksDocument, ObservedExchange, Simulator } from '../simulator/index.ts';
import { fixtureFileFor, loadFixtures, type Fixtures } from './fixtures.ts';
import { NotApplicable, NotVerified } from '../evidence/outcome.ts';

export { MissingIntentError, type Fixtures } from './fixtures.ts';

/** Who makes a call: a user in a role at an organisation, or an application. */
export interface Actor {
  /** Fixture key, e.g. "REFERRING_CLINICIAN" or "application:provider". */
  key: string;
  mode: AccessMode;
  userId: string;
  ods?: string;
  businessFunction?: string;
  onBehalfOf?: string;
  /** application-restricted on the simulator: the seeded app's API key (int/url always use ERS_API_KEY) */
  apiKey?: string;
  /** user-restricted: the CIS2 login assurance a scenario needs (the simulator's CIS2 can give any) */
  login?: Cis2Assurance;
}

/** What token-endpoint scenarios need: the token URL, the run's signing material and a way to POST. */
export interface TokenEndpointAccess {
  tokenUrl: string;
  signer: ClientSigner;
  post: TokenPoster;
  /** a CIS2 id_token for a user (the simulator's stand-in CIS2, or ERS_ID_TOKEN), for token-exchange scenarios */
  idTokenFor(actor: Actor): Promise<string>;
}

export interface FaultRequest { operation: string; status?: number; count?: number; retryAfterSeconds?: number; latencyMs?: number; reset?: boolean; afterProcessing?: boolean; always?: boolean; cause?: 'allowlist'; code?: string }

/** What a target can do beyond answering e-RS calls; scenarios needing more are skipped with the reason. */
export interface Capabilities { faultInjection: boolean; stateful: boolean; authenticates: boolean }

export interface TargetSession {
  name: TargetName;
  baseUrl: string;
  fixtures: Fixtures;
  capabilities: Capabilities;
  /** The bearer token to send for an actor, or undefined when the target needs none. */
  tokenFor(actor: Actor): Promise<string | undefined>;
  /** Token endpoint access for negative token scenarios; throws TargetCannotRunError when the run cannot sign. */
  tokenEndpoint(): TokenEndpointAccess;
  /** A token for the actor that has already expired (simulator only). */
  expiredTokenFor(actor: Actor): Promise<string>;
  /** Token-endpoint exchanges made since the last call (evidence for the step that needed the token). */
  takeTokenExchanges(): Exchange[];
  injectFault(rule: FaultRequest): Promise<void>;
  /** Removes injected faults and any rate limit a scenario set. */
  clearFaults(): Promise<void>;
  /** Throttle each access token like the live proxy (undefined removes the limit); fault-injection targets only. */
  setRateLimit(limit: { requestsPerSecond: number; burst?: number } | undefined): Promise<void>;
  /** Moves the target's clock forward (attachment scans finish on it); fault-injection targets only. */
  advanceClock(seconds: number): Promise<void>;
  stop(): Promise<void>;
  /** the embedded e-RS itself (simulator target only): supplier mode reads its state and steers it */
  simulator?: Simulator;
  /** the keys the simulator's identity service trusts (simulator target only; supplier mode adds the system's) */
  trustedKeys?: JwksDocument;
}

/** Supplier mode's needs of the simulator: where to listen, and a tap on every request. */
export interface SimulatorHooks {
  host: string;
  port: number;
  observe(record: ObservedExchange): void;
}

/** Raised when the run lacks what a scenario needs (e.g. no token for that access mode): not verified. */
export class TargetCannotRunError extends NotVerified {
  constructor(message: string) {
    super(message);
    this.name = 'TargetCannotRunError';
  }
}

export async function startTarget(config: Config, redactor: Redactor, hooks?: SimulatorHooks): Promise<TargetSession> {
  const fixtures = loadFixtures(config.target, fixtureFileFor(config.target, config.fixturesFile));
  if (config.target === 'simulator') return startSimulatorTarget(config, fixtures, redactor, hooks);
  const noFaults = async (): Promise<void> => {
    throw new NotApplicable(`the ${config.target} target cannot inject faults; this scenario runs against the simulator only`);
  };
  const exchanges: Exchange[] = [];
  const post = createTokenPoster(config.timeoutMs);
  const signer: ClientSigner | undefined =
    config.privateKeyPem && config.kid && config.apiKey && config.tokenUrl
      ? { privateKey: parseRsaPrivateKey(config.privateKeyPem, config.privateKeyPath ? 'ERS_PRIVATE_KEY_PATH' : 'ERS_PRIVATE_KEY'), kid: config.kid, apiKey: config.apiKey, tokenUrl: config.tokenUrl }
      : undefined;
  const idToken = config.idToken;
  // One CIS2 login per run: scenarios whose actor is another user are skipped with the reason, not failed with 403s.
  const idTokenUser = idToken ? subjectOf(idToken) : undefined;
  const sameUser = (actor: Actor): void => {
    if (actor.mode === 'user-restricted' && idTokenUser && actor.userId && actor.userId !== idTokenUser) {
      throw new TargetCannotRunError(`ERS_ID_TOKEN is a CIS2 login of user ${idTokenUser}, but this scenario's ${actor.key} is user ${actor.userId}: run these scenarios again with that user's id_token (docs/int.md, "One CIS2 user per run")`);
    }
  };
  // A ready-made ERS_ACCESS_TOKEN is one user's at one organisation (ERS_TOKEN_ACTOR): a scenario for anyone else is
  // not verified, with the reason, rather than a 403 misread as a product defect.
  const tokenOwner = config.accessToken && fixtures.has(`actors.${config.tokenActor}`) ? fixtures.get<Omit<Actor, 'key' | 'mode'>>(`actors.${config.tokenActor}`) : undefined;
  const readyMadeFits = (actor: Actor): void => {
    if (actor.mode !== 'user-restricted' || !config.accessToken || idToken) return;
    if (!tokenOwner) throw new TargetCannotRunError(`ERS_ACCESS_TOKEN belongs to ERS_TOKEN_ACTOR=${config.tokenActor}, which ${fixtures.file} does not define under actors: name the actor whose user the token is for`);
    if (tokenOwner.userId !== actor.userId || (tokenOwner.ods ?? '') !== (actor.ods ?? '')) {
      throw new TargetCannotRunError(`ERS_ACCESS_TOKEN is ${config.tokenActor}'s (user ${tokenOwner.userId} at ${tokenOwner.ods ?? '?'}); this scenario's ${actor.key} is user ${actor.userId} at ${actor.ods ?? '?'}: give that actor its own token (ERS_ACCESS_TOKEN_${actorTokenKey(actor.key)} or ERS_TOKENS_FILE)`);
    }
  };
  const auth = createAuthSession({
    mode: config.target === 'sandbox' ? 'none' : config.auth,
    tokenUrl: config.tokenUrl,
    signer,
    appAccessToken: config.appAccessToken,
    userAccessToken: config.accessToken,
    idTokenFor: idToken ? async () => idToken : undefined,
    post,
    onSecret: (secret) => redactor.addSecret(secret),
    onExchange: (ex) => exchanges.push(ex),
  });
  const authenticates = config.target !== 'sandbox' && config.auth !== 'none';
  return {
    name: config.target,
    baseUrl: config.baseUrl!,
    fixtures,
    capabilities: { faultInjection: false, stateful: config.target !== 'sandbox', authenticates },
    async tokenFor(actor) {
      // One ready-made token per actor where given (ERS_ACCESS_TOKEN_<ACTOR>, ERS_TOKENS_FILE).
      const own = authenticates ? config.actorTokens[actorTokenKey(actor.key)] : undefined;
      if (own) return own;
      if (actor.login && authenticates) {
        throw new NotApplicable(`this scenario needs a CIS2 login at ${describeLogin(actor.login)}; the ${config.target} target gets user tokens from one configured login, so it runs against the simulator only`);
      }
      sameUser(actor);
      if (authenticates) readyMadeFits(actor);
      return tokenOrSkip(auth, { ...actor, apiKey: undefined }); // one app per run: ERS_API_KEY
    },
    tokenEndpoint() {
      if (!signer || !config.tokenUrl) {
        throw new TargetCannotRunError(`token-endpoint scenarios sign client assertions: set ERS_API_KEY, ERS_KID and ERS_PRIVATE_KEY_PATH for the ${config.target} target`);
      }
      return {
        tokenUrl: config.tokenUrl,
        signer,
        post,
        async idTokenFor(actor) {
          if (!idToken) throw new TargetCannotRunError(`token-exchange scenarios need a CIS2 id_token: set ERS_ID_TOKEN for the ${config.target} target`);
          if (actor.login) throw new NotApplicable(`this scenario needs a CIS2 login at ${describeLogin(actor.login)}; only the simulator's CIS2 can provide one`);
          sameUser(actor);
          return idToken;
        },
      };
    },
    async expiredTokenFor() {
      throw new NotApplicable(`the ${config.target} target cannot hand out an expired token on demand; this scenario runs against the simulator only`);
    },
    async advanceClock() {
      throw new TargetCannotRunError(`the ${config.target} target's clock cannot be moved; scenarios that wait out a malware scan run against the simulator only`);
    },
    takeTokenExchanges: () => exchanges.splice(0),
    injectFault: noFaults,
    setRateLimit: noFaults,
    clearFaults: async () => {},
    stop: async () => {},
  };
}

/** Key id of the key pair each simulator worker makes and registers with its simulator. */
const SIMULATOR_KID = 'ers-conformance-run';
/** The seeded app whose API key signs token exchanges and default app-restricted calls. */
const SIMULATOR_DEFAULT_APP = 'sim-provider-app';

async function startSimulatorTarget(config: Config, fixtures: Fixtures, redactor: Redactor, hooks: SimulatorHooks | undefined): Promise<TargetSession> {
  // A throwaway key pair per worker, registered as the apps' JWKS: the run uses real signed JWTs, checked by the simulator.
  // Made on the thread pool while the simulator's code loads.
  const keyReady = generateSigningKeyInBackground(SIMULATOR_KID, 2048);
  const { createSimulator } = await import('../simulator/index.ts');
  const key = await keyReady;
  const trustedKeys: JwksDocument = { keys: [...key.jwks.keys] };
  const simulator = await createSimulator({ host: hooks?.host ?? '127.0.0.1', port: hooks?.port ?? 0, jwks: trustedKeys, ...(hooks ? { observe: hooks.observe } : {}) });
  const signer: ClientSigner = { privateKey: key.privateKey, kid: SIMULATOR_KID, apiKey: SIMULATOR_DEFAULT_APP, tokenUrl: simulator.tokenUrl };
  const exchanges: Exchange[] = [];
  const post = createTokenPoster(config.timeoutMs);
  const idTokenFor = async (userId: string, login: Cis2Assurance | undefined): Promise<string> => simulator.cis2IdToken({ userId, ...login });
  const options: AuthOptions = {
    mode: config.auth,
    tokenUrl: simulator.tokenUrl,
    signer,
    idTokenFor,
    post,
    onSecret: (secret) => redactor.addSecret(secret),
    onExchange: (ex) => exchanges.push(ex),
  };
  const auth = createAuthSession(options);
  return {
    name: 'simulator',
    baseUrl: simulator.baseUrl,
    fixtures,
    capabilities: { faultInjection: true, stateful: true, authenticates: config.auth !== 'none' },
    tokenFor: (actor) => tokenOrSkip(auth, actor),
    tokenEndpoint: () => ({
      tokenUrl: simulator.tokenUrl,
      signer,
      post,
      idTokenFor: async (actor) => {
        const token = await idTokenFor(actor.userId, actor.login);
        redactor.addSecret(token);
        return token;
      },
    }),
    async expiredTokenFor(actor) {
      const token =
        actor.mode === 'application-restricted'
          ? simulator.issueToken({ mode: actor.mode, userId: actor.userId, ods: actor.ods, businessFunction: actor.businessFunction }, -1)
          : simulator.issueToken({ mode: actor.mode, userId: actor.userId }, -1);
      redactor.addSecret(token);
      return token;
    },
    takeTokenExchanges: () => exchanges.splice(0),
    async injectFault(rule) {
      simulator.injectFault(rule);
    },
    async setRateLimit(limit) {
      simulator.setRateLimit(limit);
    },
    async advanceClock(seconds) {
      simulator.advanceClock(seconds);
    },
    async clearFaults() {
      simulator.clearFaults();
      simulator.setRateLimit(undefined);
    },
    stop: () => simulator.close(),
    simulator,
    trustedKeys,
  };
}

async function tokenOrSkip(auth: AuthSession, actor: Actor): Promise<string | undefined> {
  try {
    return await auth.tokenFor({ mode: actor.mode, userId: actor.userId, apiKey: actor.mode === 'application-restricted' ? actor.apiKey : undefined, login: actor.login });
  } catch (err) {
    if (err instanceof AuthNotConfiguredError) throw new TargetCannotRunError(err.message);
    throw err;
  }
}

/** The user an id_token names (sub), read without verifying it: only to pick which scenarios it can run. */
function subjectOf(idToken: string): string | undefined {
  try {
    const sub = decodeJwt(idToken).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

function describeLogin(login: Cis2Assurance): string {
  return [login.aal, login.ial !== undefined ? `IAL${login.ial}` : undefined].filter(Boolean).join(' / ');
}
