import type { AccessMode, Config, TargetName } from '../config/index.ts';
import type { Redactor } from '../evidence/redact.ts';
import { fixtureFileFor, loadFixtures, type Fixtures } from './fixtures.ts';

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
}

export interface FaultRequest { operation: string; status?: number; count?: number; retryAfterSeconds?: number; latencyMs?: number; reset?: boolean }

/** What a target can do beyond answering e-RS calls; scenarios needing more are skipped with the reason. */
export interface Capabilities { faultInjection: boolean; stateful: boolean; authenticates: boolean }

export interface TargetSession {
  name: TargetName;
  baseUrl: string;
  fixtures: Fixtures;
  capabilities: Capabilities;
  /** The bearer token to send for an actor, or undefined when the target needs none. */
  tokenFor(actor: Actor): Promise<string | undefined>;
  injectFault(rule: FaultRequest): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

/** Raised when the target cannot run a scenario at all (e.g. no token for that access mode). */
export class TargetCannotRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetCannotRunError';
  }
}

export async function startTarget(config: Config, redactor: Redactor): Promise<TargetSession> {
  const fixtures = loadFixtures(config.target, fixtureFileFor(config.target, config.fixturesFile));
  if (config.target === 'simulator') return startSimulatorTarget(fixtures, redactor);
  const noFaults = async (): Promise<void> => {
    throw new TargetCannotRunError(`the ${config.target} target cannot inject faults; this scenario runs against the simulator only`);
  };
  return {
    name: config.target,
    baseUrl: config.baseUrl!,
    fixtures,
    capabilities: { faultInjection: false, stateful: config.target !== 'sandbox', authenticates: config.target !== 'sandbox' },
    async tokenFor(actor) {
      if (config.target === 'sandbox') return undefined; // the sandbox ignores Authorization
      const token = actor.mode === 'application-restricted' ? config.appAccessToken : config.accessToken;
      if (!token) {
        const key = actor.mode === 'application-restricted' ? 'ERS_APP_ACCESS_TOKEN' : 'ERS_ACCESS_TOKEN';
        throw new TargetCannotRunError(`no ${actor.mode} token for the ${config.target} target: set ${key}`);
      }
      return token;
    },
    injectFault: noFaults,
    clearFaults: async () => {},
    stop: async () => {},
  };
}

async function startSimulatorTarget(fixtures: Fixtures, redactor: Redactor): Promise<TargetSession> {
  const { createSimulator } = await import('../simulator/index.ts');
  const simulator = await createSimulator({ host: '127.0.0.1', port: 0 });
  const tokens = new Map<string, string>();
  return {
    name: 'simulator',
    baseUrl: simulator.baseUrl,
    fixtures,
    capabilities: { faultInjection: true, stateful: true, authenticates: true },
    async tokenFor(actor) {
      const key = `${actor.mode}|${actor.userId}|${actor.ods ?? ''}|${actor.businessFunction ?? ''}`;
      let token = tokens.get(key);
      if (!token) {
        token =
          actor.mode === 'application-restricted'
            ? simulator.issueToken({ mode: actor.mode, userId: actor.userId, ods: actor.ods, businessFunction: actor.businessFunction })
            : simulator.issueToken({ mode: actor.mode, userId: actor.userId, ial: 3, aal: 'AAL3' });
        redactor.addSecret(token);
        tokens.set(key, token);
      }
      return token;
    },
    async injectFault(rule) {
      simulator.injectFault(rule);
    },
    async clearFaults() {
      simulator.clearFaults();
    },
    stop: () => simulator.close(),
  };
}
