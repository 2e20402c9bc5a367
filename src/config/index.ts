import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { SETTINGS, TARGET_BASE_URLS, type TargetName } from './settings.ts';

export { SETTINGS, type TargetName, type AccessMode } from './settings.ts';

/** One typed, validated configuration for a run. */
export interface Config {
  target: TargetName;
  baseUrl: string | undefined; // undefined only for the simulator, whose URL is known once it listens
  accessToken: string | undefined;
  appAccessToken: string | undefined;
  apiKey: string | undefined;
  fixturesFile: string | undefined;
  tags: string;
  parallel: number;
  timeoutMs: number;
  retryBudgetMs: number;
  maxBodyBytes: number;
  reportsDir: string;
  reportHtml: boolean;
  redactPatterns: RegExp[];
  openapi: string | undefined;
  fhirPackagePath: string[];
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

  const parallel = intIn(raw('ERS_PARALLEL'), 'ERS_PARALLEL', 1, 16, problems);
  const timeoutMs = intIn(raw('ERS_TIMEOUT_MS'), 'ERS_TIMEOUT_MS', 100, 600_000, problems);
  const retryBudgetMs = intIn(raw('ERS_RETRY_BUDGET_MS'), 'ERS_RETRY_BUDGET_MS', 0, 600_000, problems);
  const maxBodyBytes = intIn(raw('ERS_MAX_BODY_BYTES'), 'ERS_MAX_BODY_BYTES', 1024, 512 * 1024 * 1024, problems);

  const reportHtmlRaw = raw('ERS_REPORT_HTML').toLowerCase();
  if (!['true', 'false'].includes(reportHtmlRaw)) {
    problems.push({ key: 'ERS_REPORT_HTML', problem: `"${reportHtmlRaw}" is not true or false`, fix: 'set ERS_REPORT_HTML=true or ERS_REPORT_HTML=false' });
  }

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

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    target: target as TargetName,
    baseUrl,
    accessToken: raw('ERS_ACCESS_TOKEN') || undefined,
    appAccessToken: raw('ERS_APP_ACCESS_TOKEN') || undefined,
    apiKey: raw('ERS_API_KEY') || undefined,
    fixturesFile: fixturesFile ? resolve(cwd, fixturesFile) : undefined,
    tags,
    parallel,
    timeoutMs,
    retryBudgetMs,
    maxBodyBytes,
    reportsDir: resolve(cwd, raw('ERS_REPORTS_DIR') || 'reports'),
    reportHtml: reportHtmlRaw === 'true',
    redactPatterns,
    openapi: raw('ERS_OPENAPI') || undefined,
    fhirPackagePath: splitList(raw('FHIR_PACKAGE_PATH'), ':'),
  };
}

/** The secret values in a config, for the redactor. */
export function configSecrets(config: Config): string[] {
  return [config.accessToken, config.appAccessToken, config.apiKey].filter((s): s is string => !!s);
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
