// Supplier mode on a real e-RS (`run --sut <driver> --proxy --target int`): instead of playing e-RS, the harness
// stands in the middle. The system under test is configured with the proxy's fixed base and token URLs; the
// proxy forwards everything to the target, feeds each exchange into supplier mode's capture (so every check of
// what the system sends works as on the simulator) and writes the session as it goes (a stopped run keeps it).
// What needs the simulator itself — resetting its data, injecting faults, moving its clock, changing a referral
// behind the system's back — is not applicable here: the simulator of a proxied run throws NotApplicable.
import type { Config } from '../config/index.ts';
import { NotApplicable } from '../evidence/outcome.ts';
import type { Redactor } from '../evidence/redact.ts';
import type { Simulator } from '../simulator/index.ts';
import type { Capture } from '../supplier/capture.ts';
import type { ConformanceContext } from '../supplier/checks.ts';
import { createDriver } from '../supplier/drivers.ts';
import type { SupplierRun } from '../supplier/run.ts';
import type { TargetSession } from '../targets/index.ts';
import { capturedFromProxy } from './judge.ts';
import { DEFAULT_PROXY_LIMITS, startRecordingProxy, type RecordingProxy } from './server.ts';
import { openProxySession, type ProxySession } from './session.ts';

/** Where a proxied supplier run writes its live session (set by `run` to a folder of the run's outputs). */
export const PROXY_SESSION_DIR_ENV = 'ERS_PROXY_SESSION_DIR';

export interface ProxyLink {
  proxy: RecordingProxy;
  /** the live session on disk, when the run gave it a folder */
  session: ProxySession | undefined;
  /** the CIS2 login handed to the driver for the user at the keyboard (ERS_ID_TOKEN), when the run has one */
  idToken: string | undefined;
  /** scenarios finished, and the one running (for an interrupted session) */
  done: string[];
  current: string | undefined;
  /** the signal that stopped the session, once one did (its state is then INCOMPLETE for good) */
  stopped?: string;
  /** run when the proxy closes (e.g. to remove signal listeners) */
  onClose?: () => void;
}

/** A proxied supplier run has no simulator: any step that needs one is not applicable, with this reason. */
function noSimulator(targetName: string): Simulator {
  const reason = (what: string): never => {
    throw new NotApplicable(`${what} needs the harness's own e-RS (the simulator); on the ${targetName} target the harness only records the traffic as a proxy`);
  };
  return new Proxy({} as Simulator, {
    get(_t, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      const what: Record<string, string> = {
        injectFault: 'injecting a fault into e-RS\'s answers',
        clearFaults: 'clearing injected faults',
        setRateLimit: 'rate limiting e-RS',
        advanceClock: 'moving e-RS\'s clock',
        touchReferral: 'changing a referral behind the system\'s back',
        reset: 'resetting e-RS\'s data',
        state: 'reading e-RS\'s state directly',
        cis2IdToken: 'issuing a CIS2 login',
        now: 'e-RS\'s clock',
      };
      return () => reason(what[String(prop)] ?? `the simulator's ${String(prop)}`);
    },
  });
}

export async function connectSupplierThroughProxy(config: Config, target: TargetSession, capture: Capture, redactor: Redactor, conformance: ConformanceContext): Promise<SupplierRun & { proxied: ProxyLink }> {
  const sut = config.sut!;
  if (sut.secret) redactor.addSecret(sut.secret);
  const upstream = config.baseUrl ?? target.baseUrl;
  let session: ProxySession | undefined;
  let origin = '';
  const proxy = await startRecordingProxy({
    upstream,
    ...(config.tokenUrl ? { upstreamTokenUrl: config.tokenUrl } : {}),
    host: sut.host,
    port: sut.port,
    limits: { upstreamTimeoutMs: Math.max(config.timeoutMs, DEFAULT_PROXY_LIMITS.upstreamTimeoutMs) },
    onExchange: (p) => {
      // the session first: it teaches the redactor the exchange's credentials before anything is written
      session?.record(p);
      capture.observeCaptured((seq) => capturedFromProxy(p, origin, seq, DEFAULT_PROXY_LIMITS.maxRecordedBodyBytes));
    },
  });
  origin = proxy.origin;
  const dir = process.env[PROXY_SESSION_DIR_ENV];
  if (dir) {
    session = openProxySession({ dir, redactor, conformance, upstream: proxy.upstream, proxy: { origin: proxy.origin, baseUrl: proxy.baseUrl, tokenUrl: proxy.tokenUrl }, maxRecordedBodyBytes: DEFAULT_PROXY_LIMITS.maxRecordedBodyBytes });
  }
  const driver = createDriver(sut.spec, { ...(sut.secret ? { secret: sut.secret } : {}) });
  const proxied: ProxyLink = { proxy, session, idToken: config.idToken, done: [], current: undefined };
  let closed = false;
  return {
    sut,
    driver,
    capture,
    simulator: noSimulator(config.target),
    ers: { fhirBaseUrl: proxy.baseUrl, tokenUrl: proxy.tokenUrl },
    system: { keysFrom: `the ${config.target} e-RS (your system's own registration there)` },
    proxied,
    async close() {
      if (closed) return;
      closed = true;
      await driver.close();
      await proxy.close(5000);
      proxied.onClose?.();
      if (!proxied.stopped) session?.finish('complete');
    },
  };
}

/** A stop (Ctrl-C, SIGTERM) in the middle of a proxied run: what was captured stays written, the session says INCOMPLETE. */
export function finishInterrupted(link: ProxyLink, signal: string, done: string[], current: string | undefined): void {
  const reason = `stopped by ${signal}${current ? ` during "${current}"` : ''} after ${done.length} scenario(s); the scenarios not reached are listed in the run's manifest as not run`;
  link.session?.setScenarios(done, current ? [current] : []);
  link.session?.finish('INCOMPLETE', reason);
}
