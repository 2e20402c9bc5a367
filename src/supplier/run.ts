// Supplier mode for one worker: the harness's e-RS on the fixed host and port the system under test is
// configured with, the capture tap on it, the driver, and the system's keys registered with the
// harness's identity service (from ERS_SUT_JWKS, or asked of the driver with system.describe).
import { readFileSync } from 'node:fs';
import type { SutConfig } from '../config/index.ts';
import type { Redactor } from '../evidence/redact.ts';
import type { JwksDocument, Simulator } from '../simulator/index.ts';
import type { SimulatorHooks, TargetSession } from '../targets/index.ts';
import { createCapture, type Capture } from './capture.ts';
import { checkedRequest, PROTOCOL, type DriverAnswer } from './contract.ts';
import { createDriver, type Driver } from './drivers.ts';
import type { ProxyLink } from '../proxy/supplier.ts';

export interface SupplierRun {
  sut: SutConfig;
  driver: Driver;
  capture: Capture;
  simulator: Simulator;
  ers: { fhirBaseUrl: string; tokenUrl: string };
  /** what the system said about itself (system.describe), when asked */
  system: { apiKey?: string; actions?: string[]; keysFrom: string };
  /** --proxy: the system talks to a real e-RS through the harness's recording proxy (src/proxy/supplier.ts); the simulator is not there */
  proxied?: ProxyLink;
  close(): Promise<void>;
}

export class SupplierSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupplierSetupError';
  }
}

/** The hooks the simulator target needs before it starts (the capture must see the first request). */
export function supplierHooks(sut: SutConfig): { hooks: SimulatorHooks; capture: Capture; bindOrigin(origin: string): void } {
  let origin = `http://${sut.host}:${sut.port}`;
  const capture = createCapture(() => origin);
  return {
    hooks: { host: sut.host, port: sut.port, observe: (r) => capture.observe(r) },
    capture,
    bindOrigin: (actual) => void (origin = actual), // port 0: the real port is known once the simulator listens
  };
}

export async function connectSupplier(sut: SutConfig, target: TargetSession, capture: Capture, redactor: Redactor): Promise<SupplierRun> {
  const simulator = target.simulator;
  if (!simulator || !target.trustedKeys) throw new SupplierSetupError('internal: supplier mode needs the embedded simulator');
  if (sut.secret) redactor.addSecret(sut.secret);
  const driver = createDriver(sut.spec, { ...(sut.secret ? { secret: sut.secret } : {}) });
  const ers = { fhirBaseUrl: simulator.baseUrl, tokenUrl: simulator.tokenUrl };
  const system: SupplierRun['system'] = { keysFrom: '' };
  if (sut.jwks) {
    target.trustedKeys.keys.push(...(await readJwks(sut.jwks)).keys);
    system.keysFrom = `ERS_SUT_JWKS (${sut.jwks})`;
  } else {
    const answer = await describe(driver, ers, sut.deadlineMs);
    const o = answer.observations ?? {};
    const jwks = o.jwks as JwksDocument | undefined;
    const jwksUrl = typeof o.jwksUrl === 'string' ? o.jwksUrl : undefined;
    const keys = jwks?.keys ?? (jwksUrl ? (await readJwks(jwksUrl)).keys : undefined);
    if (!Array.isArray(keys) || keys.length === 0) {
      throw new SupplierSetupError(`the driver's system.describe answer names no public keys (observations.jwks or observations.jwksUrl); set ERS_SUT_JWKS to your system's JWKS file or URL`);
    }
    target.trustedKeys.keys.push(...keys);
    system.keysFrom = 'the driver (system.describe)';
    if (typeof o.apiKey === 'string') system.apiKey = o.apiKey;
    if (Array.isArray(o.actions)) system.actions = o.actions.filter((a): a is string => typeof a === 'string');
  }
  return { sut, driver, capture, simulator, ers, system, close: () => driver.close() };
}

async function describe(driver: Driver, ers: SupplierRun['ers'], deadlineMs: number): Promise<DriverAnswer> {
  if (driver.kind === 'manual') {
    throw new SupplierSetupError('the manual driver cannot hand over your system\'s public keys: set ERS_SUT_JWKS to its JWKS file or URL');
  }
  const request = checkedRequest({ protocol: PROTOCOL, action: 'system.describe', scenario: { id: 'setup', name: 'Register the system under test', tags: [] }, inputs: {}, ers, deadlineMs });
  const answer = await driver.perform(request, { waitForOperations: async () => false });
  if (answer.status !== 'done') {
    throw new SupplierSetupError(`the driver (${driver.description}) answered system.describe with ${answer.status}${answer.reason ? `: ${answer.reason}` : ''}; fix the driver, or set ERS_SUT_JWKS to your system's JWKS so the harness need not ask`);
  }
  return answer;
}

async function readJwks(source: string): Promise<JwksDocument> {
  let doc: unknown;
  try {
    if (/^https?:\/\//.test(source)) {
      const res = await fetch(source, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
      doc = await res.json();
    } else doc = JSON.parse(readFileSync(source, 'utf8'));
  } catch (err) {
    throw new SupplierSetupError(`could not read the system's JWKS from ${source}: ${(err as Error).message}`);
  }
  const keys = (doc as JwksDocument | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new SupplierSetupError(`${source} is not a JWKS ({"keys": [...]}) with at least one key`);
  return doc as JwksDocument;
}
