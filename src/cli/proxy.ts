// `ers-conformance proxy`: the recording proxy for a witness run on INT. The supplier's system uses the printed
// base URL and token URL; every request goes to the upstream unchanged, every answer comes back unchanged, and
// each exchange is judged and written, redacted, to the session folder (src/proxy/session.ts).
import { join, relative, resolve } from 'node:path';
import { configSecrets, loadConfig, type Config } from '../config/index.ts';
import { loadContractSuppressions } from '../conformance/check-exchange.ts';
import { REPO_ROOT } from '../evidence/manifest.ts';
import { packTimestamp } from '../evidence/pack.ts';
import { createRedactor } from '../evidence/redact.ts';
import { createValidator } from '../fhir/index.ts';
import { loadContract } from '../openapi/index.ts';
import { openProxySession, SessionDirError, type ProxySession } from '../proxy/session.ts';
import { DEFAULT_PROXY_LIMITS, parseUpstream, ProxyConfigError, startRecordingProxy, type ProxyLimits } from '../proxy/server.ts';
import { badInputExit, isBadInput, parseArgs, UsageError } from './args.ts';

export const PROXY_USAGE = `Usage: ers-conformance proxy --upstream URL [--upstream-token-url URL] [--host 127.0.0.1] [--port 8710]
                            [--reports DIR] [--max-in-flight N] [--timeout MS] [--max-body-bytes N]
                            [--max-exchanges N] [--quiet]

A recording proxy for a witness run on INT (docs/witness-run.md). Configure the supplier's system with the
printed FHIR base URL and token URL; every request is forwarded to --upstream (the e-RS FHIR base URL, e.g.
https://int.api.service.nhs.uk/referrals/FHIR; the token URL defaults to its origin + /oauth2/token) as it came,
and every answer is streamed back as it came: the proxy adds no header and changes no body. An upstream that
cannot be reached is passed through as what it was (the connection closes without an answer).
Each exchange is judged (request conformance and protocol behaviour of the supplier's system; response
conformance of e-RS, reported as a suspected e-RS defect) and written, redacted, to DIR (default
reports/proxy-<time>): session.json, exchanges.jsonl, exchanges.txt, findings.txt.
  --max-in-flight N   requests forwarded at once (default ${DEFAULT_PROXY_LIMITS.maxInFlight}); one more gets the proxy's own 503
  --timeout MS        how long the upstream has to answer, and the supplier to send (default ${DEFAULT_PROXY_LIMITS.upstreamTimeoutMs})
  --max-body-bytes N  bytes of each body recorded (default ${DEFAULT_PROXY_LIMITS.maxRecordedBodyBytes}); bodies always pass whole
  --max-exchanges N   exchanges recorded (default 10000); later ones pass through and are counted
Ctrl-C or SIGTERM stops it: requests in flight finish, the session is written, exit 0.
Then "ers-conformance report --reports DIR --pack" packs the session.`;

const DEFAULT_PORT = 8710;

export interface ProxyCommandOptions {
  /** resolves when the proxy should stop; default: SIGINT or SIGTERM */
  until?: Promise<unknown>;
  out?: (line: string) => void;
}

function positiveInt(flag: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,12}$/.test(text) || Number(text) < 1 || Number(text) > max) throw new UsageError(`${flag} takes a whole number from 1 to ${max}, got "${text}"`);
  return Number(text);
}

export async function proxyCommand(argv: string[], options: ProxyCommandOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'));
  let config: Config;
  let upstream: { baseUrl: string; tokenUrl: string };
  let host: string;
  let port: number;
  let dir: string;
  let quiet: boolean;
  let maxExchanges: number;
  const limits: Partial<ProxyLimits> = {};
  try {
    const { flags, positionals } = parseArgs(argv, {
      value: ['--upstream', '--upstream-token-url', '--host', '--port', '--reports', '--max-in-flight', '--timeout', '--max-body-bytes', '--max-exchanges'],
      boolean: ['--help', '--quiet'],
    });
    if (flags.has('--help')) {
      out(PROXY_USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const up = flags.get('--upstream')?.at(-1);
    if (!up) throw new UsageError('--upstream is required: the e-RS FHIR base URL to forward to, e.g. https://int.api.service.nhs.uk/referrals/FHIR');
    upstream = parseUpstream(up, flags.get('--upstream-token-url')?.at(-1));
    host = flags.get('--host')?.at(-1) ?? '127.0.0.1';
    const portText = flags.get('--port')?.at(-1) ?? String(DEFAULT_PORT);
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port must be 0-65535 (0 picks a free port), got "${portText}"`);
    port = Number(portText);
    limits.maxInFlight = positiveInt('--max-in-flight', flags.get('--max-in-flight')?.at(-1), DEFAULT_PROXY_LIMITS.maxInFlight, 1024);
    const timeout = positiveInt('--timeout', flags.get('--timeout')?.at(-1), DEFAULT_PROXY_LIMITS.upstreamTimeoutMs, 600_000);
    limits.upstreamTimeoutMs = timeout;
    limits.requestTimeoutMs = timeout;
    limits.maxRecordedBodyBytes = positiveInt('--max-body-bytes', flags.get('--max-body-bytes')?.at(-1), DEFAULT_PROXY_LIMITS.maxRecordedBodyBytes, 64 * 1024 * 1024);
    maxExchanges = positiveInt('--max-exchanges', flags.get('--max-exchanges')?.at(-1), 10_000, 1_000_000);
    quiet = flags.has('--quiet');
    config = loadConfig({ flags: {} });
    dir = resolve(flags.get('--reports')?.at(-1) ?? join(config.reportsDir, `proxy-${packTimestamp(new Date().toISOString())}`));
  } catch (err) {
    return badInputExit('proxy', err, PROXY_USAGE, (e) => isBadInput(e) || e instanceof ProxyConfigError);
  }

  const redactor = createRedactor(configSecrets(config), config.redactPatterns);
  const [validator, contract] = await Promise.all([createValidator({ packagePaths: config.fhirPackagePath, target: 'url' }), config.openapi ? loadContract(config.openapi) : undefined]);
  const contractSuppressions = loadContractSuppressions(join(REPO_ROOT, 'profiles', 'openapi-suppressions.yaml'));
  const log = quiet ? undefined : (line: string) => out(`${new Date().toISOString()} ${line}`);
  let session: ProxySession | undefined;
  let proxy;
  try {
    proxy = await startRecordingProxy({
      upstream: upstream.baseUrl,
      upstreamTokenUrl: upstream.tokenUrl,
      host,
      port,
      limits,
      onExchange: (p) => session?.record(p),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use: pick another with --port (0 = any free port)` : e.code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine: use --host 127.0.0.1 or 0.0.0.0` : e.message;
    process.stderr.write(`ers-conformance proxy: cannot start: ${why}\n`);
    return 2;
  }
  try {
    session = openProxySession({
      dir,
      redactor,
      conformance: { validator, ...(contract ? { contract } : {}), contractSuppressions },
      upstream,
      proxy: { origin: proxy.origin, baseUrl: proxy.baseUrl, tokenUrl: proxy.tokenUrl },
      maxRecordedExchanges: maxExchanges,
      maxRecordedBodyBytes: limits.maxRecordedBodyBytes ?? DEFAULT_PROXY_LIMITS.maxRecordedBodyBytes,
      ...(log ? { log } : {}),
    });
  } catch (err) {
    await proxy.close(0);
    if (err instanceof SessionDirError) {
      process.stderr.write(`ers-conformance proxy: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  out(redactor.redact(`ers-conformance proxy forwarding to ${upstream.baseUrl} (token URL ${upstream.tokenUrl})`));
  out(`FHIR base URL: ${proxy.baseUrl}`);
  out(`token URL: ${proxy.tokenUrl}`);
  out(`recording to ${rel(dir)} · up to ${limits.maxInFlight} requests in flight · bodies recorded up to ${limits.maxRecordedBodyBytes} bytes`);
  if (!/^(127\.|localhost$|::1$)/.test(host)) out(`WARNING: listening on ${host}, not loopback: any machine that can reach this port can send requests to ${upstream.baseUrl} through it.`);
  out('Press Ctrl-C to stop.');

  const stop = await (options.until ?? untilSignal()).then((v) => v);
  out(`${typeof stop === 'string' ? stop : 'stopping'}: letting the requests in flight finish and writing the session…`);
  await proxy.close(5000);
  const file = session.finish('complete');
  out(redactor.redact(`Session ${file.state}: ${file.counts.exchanges} exchange(s) · ${file.counts.supplierFindings} supplier finding(s) · ${file.counts.suspectedErsDefects} suspected e-RS defect(s) · ${rel(join(dir, 'findings.txt'))}`));
  out(`Pack it with: ers-conformance report --reports ${rel(dir)} --pack`);
  return 0;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function rel(p: string): string {
  return relative(process.cwd(), p) || '.';
}
