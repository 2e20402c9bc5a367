import { configSecrets, loadConfig, type Config } from '../src/config/index.ts';
import { createRedactor, type Redactor } from '../src/evidence/redact.ts';
import { SECRETS_SHARE_ENV, shareSecret } from '../src/evidence/redacting-writer.ts';
import { createErsClient, type ErsClient } from '../src/http/client.ts';
import { createPdfInspector, type PdfInspector } from '../src/http/pdf.ts';
import { createPacer, type Pacer } from '../src/http/pacer.ts';
import { startTarget, type TargetSession } from '../src/targets/index.ts';
import { createValidator, type Validator } from '../src/fhir/index.ts';
import { loadContract, type Contract } from '../src/openapi/index.ts';
import { loadContractSuppressions, type ContractSuppressions } from '../src/conformance/check-exchange.ts';
import { REPO_ROOT } from '../src/evidence/manifest.ts';
import { connectSupplier, supplierHooks, type SupplierRun } from '../src/supplier/run.ts';
import { connectSupplierThroughProxy, finishInterrupted, type ProxyLink } from '../src/proxy/supplier.ts';
import { join } from 'node:path';

/**
 * What one worker process shares across its scenarios: configuration, the target (for the simulator,
 * this worker's own in-process e-RS), the HTTP client and the redactor. Scenario state lives in the World.
 */
export interface RunContext {
  config: Config;
  redactor: Redactor;
  target: TargetSession;
  client: ErsClient;
  /** This worker's share of ERS_MAX_RPS, used by every client of the worker; undefined: no limit. */
  pacer: Pacer | undefined;
  validator: Validator;
  /** The e-RS OpenAPI contract, when ERS_OPENAPI names one. */
  contract: Contract | undefined;
  contractSuppressions: ContractSuppressions;
  /** supplier mode (--sut): the driver, the capture and the harness's e-RS the system under test talks to */
  supplier: SupplierRun | undefined;
  /** Opens every PDF a response carries with a real PDF parser, in a bounded worker. */
  pdfs: PdfInspector;
}

let current: RunContext | undefined;

export async function openRunContext(): Promise<RunContext> {
  const config = loadConfig();
  // Secrets learnt here (tokens issued during the run) are shared with the CLI, which writes the outputs.
  const share = process.env[SECRETS_SHARE_ENV];
  const redactor = createRedactor(configSecrets(config), config.redactPatterns, share ? { onLearn: (secret) => shareSecret(share, secret) } : {});
  const sut = config.sut ? supplierHooks(config.sut) : undefined;
  // Started together: the target makes its key pairs on the thread pool while the validator loads its definitions.
  const [target, validator, contract] = await Promise.all([
    startTarget(config, redactor, sut?.hooks),
    createValidator({ packagePaths: config.fhirPackagePath, target: config.target }),
    config.openapi ? loadContract(config.openapi) : undefined,
  ]);
  const pacer = createPacer(config.maxRps && config.maxRps / config.parallel);
  const client = createErsClient({ baseUrl: target.baseUrl, timeoutMs: config.timeoutMs, maxBodyBytes: config.maxBodyBytes, pacer });
  const contractSuppressions = loadContractSuppressions(join(REPO_ROOT, 'profiles', 'openapi-suppressions.yaml'));
  let supplier: SupplierRun | undefined;
  if (config.sut?.proxy && sut) {
    // a real e-RS: the harness records the system's traffic as a proxy in front of it (src/proxy/supplier.ts)
    const proxied = await connectSupplierThroughProxy(config, target, sut.capture, redactor, { validator, ...(contract ? { contract } : {}), contractSuppressions });
    supplier = proxied;
    stopSafely(proxied.proxied);
    process.stderr.write(redactor.redact(`supplier mode through the recording proxy: configure your system with the e-RS FHIR base URL ${proxied.ers.fhirBaseUrl} and token URL ${proxied.ers.tokenUrl} · forwarding to ${proxied.proxied.proxy.upstream.baseUrl} (token URL ${proxied.proxied.proxy.upstream.tokenUrl}) · driver ${proxied.driver.description}\n`));
  } else if (config.sut && sut && target.simulator) {
    sut.bindOrigin(target.simulator.origin);
    try {
      supplier = await connectSupplier(config.sut, target, sut.capture, redactor);
    } catch (err) {
      await target.stop();
      throw err;
    }
    process.stderr.write(redactor.redact(`supplier mode: e-RS for the system under test at ${supplier.ers.fhirBaseUrl} · token URL ${supplier.ers.tokenUrl} · driver ${supplier.driver.description} · its keys from ${supplier.system.keysFrom}\n`));
  }
  current = { config, redactor, target, client, pacer, validator, contract, contractSuppressions, supplier, pdfs: createPdfInspector() };
  return current;
}

export function runContext(): RunContext {
  if (!current) throw new Error('internal: the run context is used before BeforeAll opened it');
  return current;
}

export async function closeRunContext(): Promise<void> {
  if (!current) return;
  const { client, target, supplier, pdfs } = current;
  current = undefined;
  await supplier?.close();
  await pdfs.close();
  await client.close();
  await target.stop();
}

/**
 * Ctrl-C / SIGTERM during a proxied run: the session is marked INCOMPLETE at once (what was captured is already
 * written), while the run stops after the scenario in progress as usual; closing the proxy later keeps that state.
 */
function stopSafely(link: ProxyLink): void {
  const stop = (signal: NodeJS.Signals): void => {
    if (link.stopped) return;
    link.stopped = signal;
    finishInterrupted(link, signal, link.done, link.current);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  link.onClose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}
