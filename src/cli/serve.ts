// `ers-conformance serve`: the embedded e-RS simulator as a standalone server a supplier can point its own system at.
import { createRedactor } from '../evidence/redact.ts';
import { CONTROL_SECRET_HEADER, createSimulator, DEFAULT_LIMITS, loadPlatformConfig, loadSeedFile, type PlatformConfig, type RateLimitConfig, type SeedData, type SimulatorLimits } from '../simulator/index.ts';
import { badInputExit, parseArgs, UsageError } from './args.ts';

export const SERVE_USAGE = `Usage: ers-conformance serve [--host 127.0.0.1] [--port N] [--seed FILE] [--faults FILE]
                            [--rate-limit RPS[:BURST]] [--jwks [APIKEY=]FILE|URL]... [--max-records N]
                            [--max-stored-bytes N] [--quiet]

Serves the e-RS simulator until stopped (Ctrl-C). Prints the FHIR base URL, then one redacted line per
request. --seed replaces sections of the built-in seed data; --faults loads a rate limit and fault rules
(YAML: rateLimit: {requestsPerSecond, burst}, faults: [{operation, status|latencyMs|reset, ...}]);
--rate-limit overrides the file's rate limit. --jwks is the public key set of the seeded apps, for
signed-JWT tokens at {origin}/oauth2/token (--jwks APIKEY=FILE|URL, repeated, registers one per app);
without it, get tokens from POST {origin}/_simulator/tokens (see docs/serve.md). The /_simulator/* routes need the control secret printed at start in the
${CONTROL_SECRET_HEADER} header (set your own with ERS_SIMULATOR_SECRET). --max-records (default
${DEFAULT_LIMITS.maxRecords}) bounds the records created after the seed and --max-stored-bytes (default
${DEFAULT_LIMITS.maxStoredBytes}) the uploaded files held; beyond them writes answer 507 until
POST /_simulator/reset.`;

export interface ServeOptions {
  /** resolves when the server should stop; default: SIGINT or SIGTERM */
  until?: Promise<unknown>;
  out?: (line: string) => void;
}

export async function serveCommand(argv: string[], options: ServeOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'));
  let host: string;
  let port: number;
  let seed: SeedData | undefined;
  let platform: PlatformConfig = { faults: [] };
  let quiet: boolean;
  let jwks: string | undefined;
  const jwksByApp: Record<string, string> = {};
  const limits: Partial<SimulatorLimits> = {};
  const controlSecret = process.env.ERS_SIMULATOR_SECRET || undefined;
  try {
    const { flags, positionals } = parseArgs(argv, { value: ['--host', '--port', '--seed', '--faults', '--rate-limit', '--jwks', '--max-records', '--max-stored-bytes'], boolean: ['--help', '--quiet'] });
    if (flags.has('--help')) {
      out(SERVE_USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    host = flags.get('--host')?.at(-1) ?? '127.0.0.1';
    const portText = flags.get('--port')?.at(-1) ?? '0';
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be 0-65535 (0 picks a free port), got "${portText}"`);
    const seedFile = flags.get('--seed')?.at(-1);
    if (seedFile) seed = loadSeedFile(seedFile);
    const faultsFile = flags.get('--faults')?.at(-1);
    if (faultsFile) platform = loadPlatformConfig(faultsFile);
    const rate = flags.get('--rate-limit')?.at(-1);
    if (rate) platform.rateLimit = parseRateLimit(rate);
    quiet = flags.has('--quiet');
    // --jwks FILE|URL: one key set for every seeded app; --jwks APIKEY=FILE|URL (repeatable): one app's own
    for (const value of flags.get('--jwks') ?? []) {
      const perApp = /^([A-Za-z0-9][\w.-]*)=(.+)$/.exec(value);
      if (perApp && !/^https?:\/\//.test(value)) jwksByApp[perApp[1] as string] = perApp[2] as string;
      else jwks = value;
    }
    for (const [flag, key] of [['--max-records', 'maxRecords'], ['--max-stored-bytes', 'maxStoredBytes']] as const) {
      const text = flags.get(flag)?.at(-1);
      if (text === undefined) continue;
      if (!/^[1-9]\d{0,14}$/.test(text)) throw new UsageError(`${flag} takes a whole number above 0, got "${text}"`);
      limits[key] = Number(text);
    }
    if (controlSecret !== undefined && controlSecret.length < 16) throw new UsageError('ERS_SIMULATOR_SECRET must be at least 16 characters (or unset it to get a random secret per run)');
  } catch (err) {
    return badInputExit('serve', err, SERVE_USAGE, () => true); // any failure here is the serve arguments or files
  }

  const redactor = createRedactor();
  const log = quiet ? () => {} : (line: string) => out(`${new Date().toISOString()} ${redactor.redact(line)}`);
  let simulator;
  try {
    // Tokens the identity service issues are learnt by the redactor, so no log line can carry one.
    simulator = await createSimulator(
      { host, port, seed, log, rateLimit: platform.rateLimit, faults: platform.faults, limits, ...(jwks ? { jwks } : {}), ...(Object.keys(jwksByApp).length ? { jwksByApp } : {}), ...(controlSecret ? { controlSecret } : {}) },
      { onTokenIssued: (t) => redactor.addSecret(t) },
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use: pick another with --port (0 = any free port)` : e.code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine: use --host 127.0.0.1 or 0.0.0.0` : e.message;
    process.stderr.write(`ers-conformance serve: cannot start the simulator: ${why}\n`);
    return 2;
  }
  redactor.addSecret(simulator.controlSecret);
  out(`e-RS simulator listening on ${simulator.origin}`);
  out(`FHIR base URL: ${simulator.baseUrl}`);
  out(`tokens: POST ${simulator.origin}/_simulator/tokens${jwks || Object.keys(jwksByApp).length ? ` or ${simulator.tokenUrl} (signed JWT)` : ''} · faults: ${simulator.origin}/_simulator/faults · rate limit: ${platform.rateLimit ? `${platform.rateLimit.requestsPerSecond}/s burst ${platform.rateLimit.burst ?? Math.ceil(platform.rateLimit.requestsPerSecond)}` : 'none'}${platform.faults.length ? ` · ${platform.faults.length} fault rule(s) loaded` : ''}`);
  if (jwks) out(`note: the key set ${jwks} signs for every seeded app; register one per app with --jwks APIKEY=FILE|URL (e.g. --jwks sim-provider-app=provider.jwks.json) so one app's key cannot act as another`);
  out(`control secret (send as ${CONTROL_SECRET_HEADER} on /_simulator/* requests): ${simulator.controlSecret}`);
  if (!isLoopbackHost(host)) {
    out(`WARNING: listening on ${host}, not loopback: any machine that can reach this port can call the e-RS API with minted tokens, and with the control secret above reset the data, inject faults and mint tokens. Serve on 127.0.0.1 unless other machines must reach it.`);
  }
  out('Press Ctrl-C to stop.');

  await (options.until ?? untilSignal());
  await simulator.close();
  out('e-RS simulator stopped');
  return 0;
}

/** "10" or "10:20" (requests per second, burst). */
export function parseRateLimit(text: string): RateLimitConfig {
  const m = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--rate-limit takes RPS or RPS:BURST, e.g. 10 or 10:20, got "${text}"`);
  return { requestsPerSecond: Number(m[1]), ...(m[2] ? { burst: Number(m[2]) } : {}) };
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
