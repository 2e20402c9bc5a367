import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { KeyError, readPrivateKeyPem, parseRsaPrivateKey } from '../auth/keys.ts';
import { parseSutSpec, SutSpecError, type SutSpec } from '../supplier/sut-spec.ts';
import { INT_TOKEN_URL, SETTINGS, TARGET_BASE_URLS, type AuthMode, type TargetName } from './settings.ts';

export { SETTINGS, type TargetName, type AccessMode, type AuthMode } from './settings.ts';

/** One typed, validated configuration for a run. */
export interface Config {
  target: TargetName;
  baseUrl: string | undefined; // undefined only for the simulator, whose URL is known once it listens
  accessToken: string | undefined;
  appAccessToken: string | undefined;
  /** Ready-made tokens per fixture actor (ERS_ACCESS_TOKEN_<ACTOR>, ERS_TOKENS_FILE), keyed like REFERRING_CLINICIAN or APPLICATION_PROVIDER. */
  actorTokens: Record<string, string>;
  /** The fixture actor ERS_ACCESS_TOKEN belongs to. */
  tokenActor: string;
  apiKey: string | undefined;
  /** the access modes this run authenticates ('auto' resolved) */
  auth: AuthMode;
  /** token endpoint for int/url (the simulator announces its own) */
  tokenUrl: string | undefined;
  kid: string | undefined;
  privateKeyPath: string | undefined;
  /** the signing key's PEM text, from ERS_PRIVATE_KEY or read from ERS_PRIVATE_KEY_PATH (checked to be RSA) */
  privateKeyPem: string | undefined;
  idToken: string | undefined;
  fixturesFile: string | undefined;
  tags: string;
  parallel: number;
  timeoutMs: number;
  retryBudgetMs: number;
  /** Requests per second for the whole run (all workers); undefined: no limit. */
  maxRps: number | undefined;
  maxBodyBytes: number;
  reportsDir: string;
  reportHtml: boolean;
  /** History file for the report's trends; undefined when history is off. */
  historyFile: string | undefined;
  /** Most runs the history keeps. */
  historyLimit: number;
  thresholdEnvironmentFaults: number;
  /** This runner's slice of the feature files (1-based index), when sharded. */
  shard: { index: number; total: number } | undefined;
  redactPatterns: RegExp[];
  openapi: string | undefined;
  fhirPackagePath: string[];
  /** supplier mode: the system under test's driver and how the harness plays e-RS for it */
  sut: SutConfig | undefined;
}

export interface SutConfig {
  /** ERS_SUT as given (a command template may hold paths; never a secret) */
  driver: string;
  spec: SutSpec;
  secret: string | undefined;
  jwks: string | undefined;
  host: string;
  port: number;
  deadlineMs: number;
  allow: string[];
  /** --proxy: on a real e-RS the harness records the system's traffic as a proxy in front of it (docs/witness-run.md) */
  proxy?: boolean;
}

export interface ConfigProblem { key: string; problem: string; fix: string }

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(
      'Configuration is not valid:\n' +
        problems.map((p) => `  - ${p.key}: ${p.problem}\n    fix: ${p.fix}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  flags?: Record<string, string>; // keyed by setting key, already parsed from argv
  envFile?: string; // default: ./.env when present
  cwd?: string;
}

/** Values from CLI flags win over the environment, which wins over .env, which wins over defaults. */
export function loadConfig(options: LoadOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const fileValues = readEnvFile(options.envFile ?? resolve(cwd, '.env'), options.envFile !== undefined);
  const raw = (key: string): string => {
    const def = SETTINGS.find((s) => s.key === key);
    if (!def) throw new Error(`internal: unknown setting ${key}`);
    // An empty variable counts as unset, as shells and CI stores often export empty values.
    return (options.flags?.[key] ?? (env[key] || undefined) ?? (fileValues[key] || undefined) ?? def.default).trim();
  };
  const problems: ConfigProblem[] = [];

  const targetRaw = raw('ERS_TARGET');
  const targets: TargetName[] = ['simulator', 'sandbox', 'int', 'url'];
  const target = targets.includes(targetRaw as TargetName) ? (targetRaw as TargetName) : undefined;
  if (!target) {
    problems.push({ key: 'ERS_TARGET', problem: `"${targetRaw}" is not a target`, fix: `use one of ${targets.join(', ')} (e.g. --target sandbox)` });
  }

  let baseUrl: string | undefined = raw('ERS_BASE_URL') || undefined;
  if (target === 'sandbox' || target === 'int') baseUrl ??= TARGET_BASE_URLS[target];
  if (target === 'url' && !baseUrl) {
    problems.push({ key: 'ERS_BASE_URL', problem: 'the url target needs a base URL', fix: 'pass --base-url https://host/referrals/FHIR or set ERS_BASE_URL' });
  }
  if (target === 'simulator') baseUrl = undefined;
  if (baseUrl) {
    const checked = checkUrl(baseUrl);
    if (checked) problems.push({ key: 'ERS_BASE_URL', problem: checked, fix: 'give an absolute http(s) URL ending in /referrals/FHIR, e.g. https://int.api.service.nhs.uk/referrals/FHIR' });
    else baseUrl = baseUrl.replace(/\/+$/, '');
  }

  const fixturesFile = raw('ERS_FIXTURES') || undefined;
  if (fixturesFile && !existsSync(resolve(cwd, fixturesFile))) {
    problems.push({ key: 'ERS_FIXTURES', problem: `${fixturesFile} does not exist`, fix: 'point ERS_FIXTURES at your intent fixture YAML (see README, "Test data by intent")' });
  }
  if ((target === 'int' || target === 'url') && !fixturesFile) {
    problems.push({ key: 'ERS_FIXTURES', problem: `the ${target} target needs your test data`, fix: 'write a fixture file as described in the README ("Test data by intent") and set ERS_FIXTURES=path/to/it.yaml' });
  }

  const actorTokens = readActorTokens({ ...fileValues, ...env }, raw('ERS_TOKENS_FILE'), cwd, problems);
  const auth = checkAuth(target, raw, cwd, problems, Object.keys(actorTokens).length > 0);

  const sandboxExamples = raw('ERS_SANDBOX_EXAMPLES');
  if (sandboxExamples && !existsSync(resolve(cwd, sandboxExamples))) {
    problems.push({ key: 'ERS_SANDBOX_EXAMPLES', problem: `${sandboxExamples} does not exist`, fix: "point it at the sandbox/src/mocks folder of a checkout of the e-RS API repository, or unset it" });
  }

  const parallel = intIn(raw('ERS_PARALLEL'), 'ERS_PARALLEL', 1, 16, problems);
  const timeoutMs = intIn(raw('ERS_TIMEOUT_MS'), 'ERS_TIMEOUT_MS', 100, 600_000, problems);
  const retryBudgetMs = intIn(raw('ERS_RETRY_BUDGET_MS'), 'ERS_RETRY_BUDGET_MS', 0, 600_000, problems);
  const maxRps = rateIn(raw('ERS_MAX_RPS'), 'ERS_MAX_RPS', problems);
  const maxBodyBytes = intIn(raw('ERS_MAX_BODY_BYTES'), 'ERS_MAX_BODY_BYTES', 1024, 512 * 1024 * 1024, problems);

  const reportHtmlRaw = raw('ERS_REPORT_HTML').toLowerCase();
  if (!['true', 'false'].includes(reportHtmlRaw)) {
    problems.push({ key: 'ERS_REPORT_HTML', problem: `"${reportHtmlRaw}" is not true or false`, fix: 'set ERS_REPORT_HTML=true or ERS_REPORT_HTML=false' });
  }

  const thresholdEnvironmentFaults = intIn(raw('ERS_THRESHOLD_ENVIRONMENT_FAULTS'), 'ERS_THRESHOLD_ENVIRONMENT_FAULTS', 0, 100_000, problems);
  const shardRaw = raw('ERS_SHARD');
  const shardMatch = /^(\d+)\/(\d+)$/.exec(shardRaw);
  const shard = shardMatch ? { index: Number(shardMatch[1]), total: Number(shardMatch[2]) } : undefined;
  if (shardRaw && (!shard || shard.index < 1 || shard.index > shard.total)) {
    problems.push({ key: 'ERS_SHARD', problem: `"${shardRaw}" is not a slice i/n with 1 <= i <= n`, fix: 'give the runner number and the runner count, e.g. --shard 2/4' });
  }
  const reportsDir = resolve(cwd, raw('ERS_REPORTS_DIR') || 'reports');
  const historyRaw = raw('ERS_HISTORY_FILE');
  const historyFile = historyRaw.toLowerCase() === 'none' ? undefined : historyRaw ? resolve(cwd, historyRaw) : resolve(reportsDir, 'history.jsonl');
  const historyLimit = intIn(raw('ERS_HISTORY_LIMIT'), 'ERS_HISTORY_LIMIT', 1, 1000, problems);

  const redactPatterns: RegExp[] = [];
  for (const source of splitList(raw('ERS_REDACT_PATTERNS'), ',')) {
    try {
      redactPatterns.push(new RegExp(source, 'g'));
    } catch (e) {
      problems.push({ key: 'ERS_REDACT_PATTERNS', problem: `"${source}" is not a valid regular expression (${(e as Error).message})`, fix: 'escape special characters or remove the pattern' });
    }
  }

  const tags = raw('ERS_TAGS') || 'not @wip';
  if (/[()]/.test(tags) && countChar(tags, '(') !== countChar(tags, ')')) {
    problems.push({ key: 'ERS_TAGS', problem: `unbalanced parentheses in "${tags}"`, fix: 'write a cucumber tag expression such as "@A005 and not @negative"' });
  }

  const sut = checkSut(raw, target, cwd, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    target: target as TargetName,
    baseUrl,
    accessToken: raw('ERS_ACCESS_TOKEN') || undefined,
    actorTokens,
    tokenActor: raw('ERS_TOKEN_ACTOR') || 'REFERRING_CLINICIAN',
    appAccessToken: raw('ERS_APP_ACCESS_TOKEN') || undefined,
    apiKey: raw('ERS_API_KEY') || undefined,
    ...auth,
    fixturesFile: fixturesFile ? resolve(cwd, fixturesFile) : undefined,
    tags,
    parallel,
    timeoutMs,
    retryBudgetMs,
    maxRps,
    maxBodyBytes,
    reportsDir,
    reportHtml: reportHtmlRaw === 'true',
    historyFile,
    historyLimit,
    thresholdEnvironmentFaults,
    shard,
    redactPatterns,
    openapi: raw('ERS_OPENAPI') || undefined,
    fhirPackagePath: splitList(raw('FHIR_PACKAGE_PATH'), ':'),
    sut,
    // one system under test, one capture window at a time: supplier scenarios run one after another
    ...(sut ? { parallel: 1 } : {}),
  };
}

function checkSut(raw: (key: string) => string, target: TargetName | undefined, cwd: string, problems: ConfigProblem[]): SutConfig | undefined {
  const driver = raw('ERS_SUT');
  if (!driver) return undefined;
  let spec: SutSpec | undefined;
  try {
    spec = parseSutSpec(driver);
  } catch (err) {
    if (!(err instanceof SutSpecError)) throw err;
    problems.push({ key: 'ERS_SUT', problem: err.message, fix: 'see docs/supplier-mode.md, "Drivers"' });
  }
  const proxyRaw = raw('ERS_SUT_PROXY') || 'false';
  if (!['true', 'false'].includes(proxyRaw)) problems.push({ key: 'ERS_SUT_PROXY', problem: `must be true or false, got "${proxyRaw}"`, fix: 'use --proxy (or ERS_SUT_PROXY=true) for a witness run on a real e-RS' });
  const proxy = proxyRaw === 'true';
  if (target && target !== 'simulator' && !proxy) {
    problems.push({ key: 'ERS_TARGET', problem: `supplier mode (--sut) plays e-RS itself; it cannot run against the ${target} target`, fix: 'leave --target unset (simulator) when giving --sut, or add --proxy to record your system\'s traffic with the real e-RS (docs/witness-run.md)' });
  }
  if (proxy && (!target || target === 'simulator')) {
    problems.push({ key: 'ERS_SUT_PROXY', problem: '--proxy stands between your system and a real e-RS; on the simulator the harness plays e-RS itself', fix: 'give --target int (or sandbox, or url with --base-url), or drop --proxy' });
  }
  const jwks = raw('ERS_SUT_JWKS') || undefined;
  if (jwks && !/^https?:\/\//.test(jwks) && !existsSync(resolve(cwd, jwks))) {
    problems.push({ key: 'ERS_SUT_JWKS', problem: `${jwks} does not exist`, fix: "point it at your system's JWKS file or its https URL, or leave it empty to ask the driver" });
  }
  const port = intIn(raw('ERS_SUT_PORT'), 'ERS_SUT_PORT', 0, 65_535, problems);
  const deadlineRaw = raw('ERS_SUT_DEADLINE_MS') || (spec?.kind === 'manual' ? '600000' : '30000');
  const deadlineMs = intIn(deadlineRaw, 'ERS_SUT_DEADLINE_MS', 100, 3_600_000, problems);
  const allow = splitList(raw('ERS_SUT_ALLOW'), ',');
  for (const id of allow) {
    if (!/^A\d{3}(-versioned)?$/.test(id)) problems.push({ key: 'ERS_SUT_ALLOW', problem: `"${id}" is not an e-RS operation id`, fix: 'list operation ids such as A008,A005' });
  }
  const host = raw('ERS_SUT_HOST') || '127.0.0.1';
  if (!spec) return undefined;
  return { driver, spec, secret: raw('ERS_SUT_SECRET') || undefined, jwks: jwks && !/^https?:\/\//.test(jwks) ? resolve(cwd, jwks) : jwks, host, port, deadlineMs, allow, ...(proxy ? { proxy } : {}) };
}

/** The secret values in a config, for the redactor. */
export function configSecrets(config: Config): string[] {
  const secrets = [config.accessToken, config.appAccessToken, config.apiKey, config.idToken, config.privateKeyPem, config.sut?.secret, ...Object.values(config.actorTokens ?? {})];
  // a PEM's base64 lines, so a key printed in pieces is still caught
  for (const line of config.privateKeyPem?.split(/\r?\n/) ?? []) if (/^[A-Za-z0-9+/=]{40,}$/.test(line.trim())) secrets.push(line.trim());
  return secrets.filter((s): s is string => !!s);
}

type AuthSettings = Pick<Config, 'auth' | 'tokenUrl' | 'kid' | 'privateKeyPath' | 'privateKeyPem' | 'idToken'>;

/** ERS_AUTH and the credentials each access mode needs on this target; every gap is named with its fix. */
/** The key a fixture actor's own token is found under: "application:provider" → APPLICATION_PROVIDER. */
export function actorTokenKey(actorKey: string): string {
  return actorKey.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** ERS_ACCESS_TOKEN_<ACTOR> variables and the ERS_TOKENS_FILE mapping (the variables win). */
function readActorTokens(vars: Record<string, string | undefined>, file: string, cwd: string, problems: ConfigProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (file) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) problems.push({ key: 'ERS_TOKENS_FILE', problem: `${file} does not exist`, fix: 'point it at a YAML file of actor: token lines, or unset it' });
    else {
      let data: unknown;
      try {
        data = parseYaml(readFileSync(path, 'utf8'));
      } catch (e) {
        problems.push({ key: 'ERS_TOKENS_FILE', problem: `${file} is not YAML or JSON (${(e as Error).message.split('\n')[0]})`, fix: 'write one "ACTOR: token" line per actor, e.g. REFERRING_CLINICIAN: eyJ…' });
      }
      if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) {
        problems.push({ key: 'ERS_TOKENS_FILE', problem: `${file} must map actors to tokens`, fix: 'write one "ACTOR: token" line per actor (the actors of your fixture file), e.g. REFERRING_CLINICIAN: eyJ…' });
      } else if (data) {
        for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
          if (typeof v === 'string' && v.trim()) out[actorTokenKey(k)] = v.trim();
          else problems.push({ key: 'ERS_TOKENS_FILE', problem: `the token for ${k} is not a string`, fix: `give ${k} its token as text` });
        }
      }
    }
  }
  for (const [k, v] of Object.entries(vars)) {
    const actor = /^ERS_ACCESS_TOKEN_([A-Z0-9_]+)$/.exec(k)?.[1];
    if (actor && v?.trim()) out[actor] = v.trim();
  }
  return out;
}

function checkAuth(target: TargetName | undefined, raw: (key: string) => string, cwd: string, problems: ConfigProblem[], hasActorTokens = false): AuthSettings {
  const authRaw = raw('ERS_AUTH').toLowerCase();
  const modes = ['auto', 'none', 'app', 'user', 'both'];
  if (!modes.includes(authRaw)) {
    problems.push({ key: 'ERS_AUTH', problem: `"${authRaw}" is not an access mode setting`, fix: 'use one of auto, none, app, user, both (e.g. ERS_AUTH=app for application-restricted only)' });
  }
  const kid = raw('ERS_KID') || undefined;
  const privateKeyPath = raw('ERS_PRIVATE_KEY_PATH') ? resolve(cwd, raw('ERS_PRIVATE_KEY_PATH')) : undefined;
  const pemRaw = raw('ERS_PRIVATE_KEY') || undefined;
  const idToken = raw('ERS_ID_TOKEN') || undefined;
  const apiKey = raw('ERS_API_KEY') || undefined;
  const userToken = raw('ERS_ACCESS_TOKEN') || undefined;
  const appToken = raw('ERS_APP_ACCESS_TOKEN') || undefined;
  const out: AuthSettings = { auth: 'none', tokenUrl: undefined, kid, privateKeyPath, privateKeyPem: undefined, idToken };

  if (target === 'simulator') {
    // The harness makes its own key pair and registers it with the embedded simulator: no credentials to check.
    out.auth = authRaw === 'auto' ? 'both' : (authRaw as AuthMode);
    return out;
  }
  if (target === 'sandbox') {
    if (authRaw !== 'auto' && authRaw !== 'none') problems.push({ key: 'ERS_AUTH', problem: 'the NHS sandbox takes no access tokens', fix: 'leave ERS_AUTH unset (or none) for the sandbox; use --target int to test authentication' });
    return out;
  }
  if (!target) return out;

  if (pemRaw || privateKeyPath) {
    try {
      const { pem, setting } = readPrivateKeyPem({ path: privateKeyPath, pem: pemRaw });
      parseRsaPrivateKey(pem, setting);
      out.privateKeyPem = pem;
    } catch (e) {
      if (!(e instanceof KeyError)) throw e;
      problems.push({ key: e.key, problem: e.problem, fix: e.fix });
    }
  }
  const signingParts = { ERS_API_KEY: apiKey, ERS_KID: kid, 'ERS_PRIVATE_KEY_PATH or ERS_PRIVATE_KEY': pemRaw ?? privateKeyPath };
  const signingGiven = Object.values(signingParts).filter(Boolean).length;
  const canSign = signingGiven === 3;
  // An API key alone is also used for ready-made tokens, so only a key or kid without the rest is a mistake.
  if (!canSign && (kid || pemRaw || privateKeyPath)) {
    const missing = Object.entries(signingParts).filter(([, v]) => !v).map(([k]) => k);
    problems.push({ key: missing[0]!.split(' ')[0]!, problem: `signing client assertions needs ${missing.join(' and ')} as well`, fix: 'set the API key of your developer-portal app, the kid of its registered public key and the matching private key (docs/int.md)' });
  }
  if (userToken && idToken) problems.push({ key: 'ERS_ID_TOKEN', problem: 'both ERS_ACCESS_TOKEN and ERS_ID_TOKEN are set', fix: 'keep one: a ready-made user-restricted token (ERS_ACCESS_TOKEN) or a CIS2 id_token to exchange (ERS_ID_TOKEN)' });
  if (idToken && !canSign) problems.push({ key: 'ERS_ID_TOKEN', problem: 'the CIS2 token exchange also needs a signed client assertion', fix: 'set ERS_API_KEY, ERS_KID and ERS_PRIVATE_KEY_PATH (or ERS_PRIVATE_KEY) too, or give a ready-made ERS_ACCESS_TOKEN instead' });
  const canApp = !!appToken || canSign;
  const canUser = !!userToken || hasActorTokens || (!!idToken && canSign);

  let auth: AuthMode;
  if (authRaw === 'auto') {
    auth = canApp && canUser ? 'both' : canApp ? 'app' : canUser ? 'user' : 'none';
    if (auth === 'none' && target === 'int') {
      problems.push({ key: 'ERS_AUTH', problem: 'the int target needs credentials for at least one access mode', fix: 'application-restricted: set ERS_API_KEY, ERS_KID and ERS_PRIVATE_KEY_PATH; user-restricted: add ERS_ID_TOKEN or ERS_ACCESS_TOKEN (docs/int.md, step by step)' });
    }
  } else {
    auth = (modes.includes(authRaw) ? authRaw : 'none') as AuthMode;
    if ((auth === 'app' || auth === 'both') && !canApp) {
      problems.push({ key: 'ERS_AUTH', problem: `ERS_AUTH=${auth} needs application-restricted credentials`, fix: 'set ERS_API_KEY, ERS_KID and ERS_PRIVATE_KEY_PATH (or ERS_PRIVATE_KEY), or a ready-made ERS_APP_ACCESS_TOKEN' });
    }
    if ((auth === 'user' || auth === 'both') && !canUser) {
      problems.push({ key: 'ERS_AUTH', problem: `ERS_AUTH=${auth} needs user-restricted credentials`, fix: 'set ERS_ID_TOKEN (a CIS2 id_token, exchanged with your signed client assertion) or a ready-made ERS_ACCESS_TOKEN' });
    }
  }
  out.auth = auth;

  const signs = canSign && ((auth === 'app' || auth === 'both') && !appToken || (auth === 'user' || auth === 'both') && !!idToken);
  const tokenUrl = raw('ERS_TOKEN_URL') || (target === 'int' ? INT_TOKEN_URL : undefined);
  if (tokenUrl) {
    const checked = checkUrl(tokenUrl);
    if (checked) problems.push({ key: 'ERS_TOKEN_URL', problem: checked, fix: `give the exact token URL, e.g. ${INT_TOKEN_URL}` });
    out.tokenUrl = tokenUrl;
  } else if (signs) {
    problems.push({ key: 'ERS_TOKEN_URL', problem: `the ${target} target signs client assertions but has no token URL`, fix: 'set ERS_TOKEN_URL to the exact token endpoint of your environment (it is also the assertion\'s aud), e.g. https://host/oauth2/token' });
  }
  return out;
}

function readEnvFile(path: string, mustExist: boolean): Record<string, string> {
  if (!existsSync(path)) {
    if (mustExist) throw new ConfigError([{ key: '.env', problem: `${path} does not exist`, fix: 'create it from .env.example or drop the --env-file flag' }]);
    return {};
  }
  return parseDotenv(readFileSync(path));
}

function checkUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${value}" is not http(s)`;
  return undefined;
}

/** A request rate: empty or 0 is no limit; otherwise a positive number up to 1000 (fractions allowed, e.g. 0.5). */
function rateIn(value: string, key: string, problems: ConfigProblem[]): number | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 1000) {
    problems.push({ key, problem: `"${value}" is not a request rate from 0 to 1000 per second`, fix: `set ${key} to your app's rate limit divided by the runs sharing it (e.g. 2.5), or leave it empty for no limit` });
    return undefined;
  }
  return n === 0 ? undefined : n;
}

function intIn(value: string, key: string, min: number, max: number, problems: ConfigProblem[]): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    problems.push({ key, problem: `"${value}" is not a whole number from ${min} to ${max}`, fix: `set ${key} to a number between ${min} and ${max}` });
    return min;
  }
  return n;
}

function splitList(value: string, sep: string): string[] {
  return value.split(sep).map((s) => s.trim()).filter(Boolean);
}

function countChar(s: string, c: string): number {
  return s.split(c).length - 1;
}
