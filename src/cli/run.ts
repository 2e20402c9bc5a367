import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSecrets, loadConfig, type Config } from '../config/index.ts';
import type { FailureCategory } from '../evidence/errors.ts';
import { gitRevision, harnessVersion, REPO_ROOT, type Counts, type Manifest } from '../evidence/manifest.ts';
import { createRedactor, type Redactor } from '../evidence/redact.ts';
import { categoriseJunit } from '../evidence/junit.ts';
import { accessModesOf, fhirPackagesOf, matrixSummaryLine, writeEvidence } from '../evidence/outputs.ts';
import { reconcileResults } from '../evidence/results.ts';
import { verdictOf, type Verdict } from '../evidence/verdict.ts';
import { badInputExit, isBadInput, parseArgs } from './args.ts';
import { RERUN_FILE, resolveSelection, type Selection } from './selection.ts';
import type { RunSummary } from '../evidence/summary.ts';

const FLAG_TO_KEY: Record<string, string> = {
  '--target': 'ERS_TARGET',
  '--base-url': 'ERS_BASE_URL',
  '--tags': 'ERS_TAGS',
  '--parallel': 'ERS_PARALLEL',
  '--fixtures': 'ERS_FIXTURES',
  '--reports': 'ERS_REPORTS_DIR',
  '--timeout': 'ERS_TIMEOUT_MS',
  '--auth': 'ERS_AUTH',
  '--shard': 'ERS_SHARD',
  '--sut': 'ERS_SUT',
};

export const RUN_USAGE = `Usage: ers-conformance run [FEATURE[:LINE]...] [--target simulator|sandbox|int|url] [--base-url URL]
                          [--tags EXPR] [--operation ID] [--name REGEX] [--rerun] [--fail-fast]
                          [--parallel N] [--fixtures FILE] [--reports DIR] [--timeout MS]
                          [--auth none|app|user|both|auto] [--shard i/n] [--no-html]
                          [--sut http:URL|command:TEMPLATE|manual]

Runs the Gherkin suite against the target and writes reports/ (Allure results and HTML report,
junit.xml, scal-matrix.csv/.html, manifest.json, rerun.txt). Selection:
  FEATURE[:LINE]   only these feature files or folders; :LINE picks the scenario or Examples row
                   starting there (the closing list of a run prints these for every failure)
  --operation ID   shorthand for --tags @ID (repeat or comma-separate: --operation A016,A034)
  --name REGEX     scenarios whose name matches (repeatable)
  --rerun          only the scenarios that did not pass in the last run (reports/${RERUN_FILE})
  --fail-fast      stop at the first failure
  --no-html        skip the Allure HTML report (ERS_REPORT_HTML=false)
Exit code: 0 passed (environment faults within ERS_THRESHOLD_ENVIRONMENT_FAULTS), 1 a product
defect, profile violation or too many environment faults, 2 a harness or configuration error.

With --sut (supplier mode) the harness plays e-RS on ERS_SUT_HOST:ERS_SUT_PORT, drives the supplier's
system through the driver and judges every request it sends (the @supplier scenarios, one at a time;
docs/supplier-mode.md); a supplier run with any scenario not verified is INCOMPLETE (exit 1).`;

export async function runCommand(argv: string[]): Promise<number> {
  let config: Config;
  let selection: Selection;
  try {
    const { flags, positionals } = parseArgs(argv, {
      value: [...Object.keys(FLAG_TO_KEY), '--name', '--operation'],
      boolean: ['--help', '--rerun', '--fail-fast', '--no-html'],
    });
    if (flags.has('--help')) {
      process.stdout.write(RUN_USAGE + '\n');
      return 0;
    }
    const flagValues: Record<string, string> = {};
    for (const [flag, key] of Object.entries(FLAG_TO_KEY)) {
      const v = flags.get(flag);
      if (v) flagValues[key] = v.at(-1)!;
    }
    if (flags.has('--no-html')) flagValues.ERS_REPORT_HTML = 'false';
    config = loadConfig({ flags: flagValues });
    selection = resolveSelection({
      positionals,
      names: flags.get('--name') ?? [],
      operations: flags.get('--operation') ?? [],
      rerun: flags.has('--rerun'),
      failFast: flags.has('--fail-fast'),
      tags: config.tags,
      reportsDir: config.reportsDir,
      cwd: process.cwd(),
    });
  } catch (err) {
    return badInputExit('run', err, RUN_USAGE, isBadInput);
  }
  if (selection.nothingToRerun) {
    process.stdout.write(`${selection.nothingToRerun}\n`);
    return 0;
  }
  const redactor = createRedactor(configSecrets(config), config.redactPatterns);
  return executeRun({ ...config, tags: selection.tags }, selection, redactor);
}

async function executeRun(config: Config, selection: Selection, redactor: Redactor): Promise<number> {
  const started = Date.now();
  const reports = config.reportsDir;
  const resultsDir = join(reports, 'allure-results');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ers-run-'));
  const summaryFile = join(scratch, 'summary.json');
  const rawJunit = join(scratch, 'junit.xml');
  const revision = gitRevision();
  const baseUrlLabel = config.sut
    ? `embedded simulator playing e-RS for the system under test at http://${config.sut.host.includes(':') ? `[${config.sut.host}]` : config.sut.host}:${config.sut.port || '<any free port>'}/referrals/FHIR`
    : config.target === 'simulator' ? 'embedded simulator (loopback, one per worker)' : config.baseUrl!;

  const rerunFile = join(scratch, RERUN_FILE);
  const only = selection.description ? ` · ${selection.description}` : '';
  process.stdout.write(`ers-conformance ${harnessVersion()} · target ${config.target} · ${redactor.redact(baseUrlLabel)} · tags "${config.tags}"${only} · ${config.parallel} worker(s)\n`);
  if (config.sut) process.stdout.write(`supplier mode · system under test driven by ${redactor.redact(config.sut.driver)} · e-RS token URL http://${config.sut.host}:${config.sut.port || '<port>'}/oauth2/token\n`);

  const accessModes = accessModesOf(config);
  const fhirPackages = fhirPackagesOf(config.fhirPackagePath);
  const profile = config.target === 'url' ? 'default' : config.target === 'simulator' ? 'default' : config.target;
  const allureOptions = {
    resultsDir,
    environmentInfo: {
      target: config.target,
      baseUrl: baseUrlLabel,
      harnessVersion: harnessVersion(),
      gitRevision: revision,
      accessModes,
      fhirPackages,
      node: process.version,
    },
    categories: CATEGORIES,
  };
  const args = [
    '--import', 'tsx',
    CUCUMBER_PROCESS,
    '--profile', profile,
    '--tags', effectiveTags(config),
    '--parallel', String(config.parallel),
    '--format', './support/formatters/progress.ts',
    '--format', `allure-cucumberjs/reporter:${join(scratch, 'allure-reporter.out')}`, // writes to resultsDir; only one formatter may own stdout
    '--format', `junit:${rawJunit}`,
    '--format', `rerun:${rerunFile}`,
    '--format-options', JSON.stringify({ summaryFile, ...allureOptions, junit: { suiteName: `ers-conformance (${config.target})` } }),
    ...(config.shard ? ['--shard', `${config.shard.index}/${config.shard.total}`] : []), // cucumber deals every n-th scenario to a shard
    ...selection.cucumberArgs,
    ...selection.paths, // none: the profile's whole suite (cucumber.js)
  ];
  const env = { ...process.env, ...configEnv(config), FORCE_COLOR: '0', ERS_CLI_TAGS: '1' }; // ERS_CLI_TAGS: the CLI owns the tag expression (cucumber.js)
  const code = await spawnRedacted(process.execPath, args, env, redactor);

  let summary: RunSummary | undefined;
  if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
  const outputs: Record<string, string> = { allureResults: rel(resultsDir) };
  if (existsSync(rawJunit)) {
    writeFileSync(join(reports, 'junit.xml'), redactor.redact(categoriseJunit(readFileSync(rawJunit, 'utf8')).xml));
    outputs.junit = rel(join(reports, 'junit.xml'));
  }
  // The failures of this run, for `run --rerun` (written even when empty: nothing to rerun).
  if (summary) writeFileSync(join(reports, RERUN_FILE), existsSync(rerunFile) ? readFileSync(rerunFile, 'utf8') : '');
  rmSync(scratch, { recursive: true, force: true });

  const startedAt = summary?.startedAt ?? new Date(started).toISOString();
  const finishedAt = summary?.finishedAt ?? new Date().toISOString();
  let matrixLine: string | undefined;
  if (summary) {
    const reconciled = reconcileResults(resultsDir, summary.scenarios);
    if (reconciled.unmatched) process.stderr.write(`warning: ${reconciled.unmatched} Allure result(s) matched no scenario outcome; their status is Allure's own\n`);
    const facts = { target: config.target, baseUrl: baseUrlLabel, harnessVersion: harnessVersion(), gitRevision: revision, startedAt, finishedAt, accessModes, fhirPackages };
    const evidence = await writeEvidence({ reportsDir: reports, resultsDir, facts, html: config.reportHtml, historyFile: config.historyFile, historyLimit: config.historyLimit, redactor });
    for (const [name, path] of Object.entries(evidence.written)) outputs[name] = rel(join(reports, path));
    for (const w of evidence.warnings) process.stderr.write(`warning: ${w}\n`);
    if (evidence.matrix) matrixLine = matrixSummaryLine(evidence.matrix);
  }

  const counts = countOutcomes(summary);
  // A failing cucumber exit with nothing failed in the summary means cucumber itself broke: a harness error.
  if (summary && code !== 0 && counts.failed + counts.other === 0) counts.byCategory['harness-error'] += 1;
  const verdict = verdictOf(counts, { environmentFaults: config.thresholdEnvironmentFaults, emptyAllowed: !!config.shard, notVerifiedIsIncomplete: !!config.sut }, !!summary);
  const exitCode = verdict.exitCode;
  const manifest: Manifest = {
    tool: 'ers-conformance',
    harnessVersion: harnessVersion(),
    gitRevision: revision,
    node: process.version,
    target: config.target,
    baseUrl: baseUrlLabel,
    tags: config.tags,
    parallel: config.parallel,
    startedAt,
    finishedAt,
    durationMs: Date.now() - started,
    accessModes,
    fhirPackages,
    counts,
    thresholds: { environmentFaults: config.thresholdEnvironmentFaults },
    verdict: verdict.text,
    exitCode,
    outputs: { ...outputs, manifest: rel(join(reports, 'manifest.json')) },
  };
  writeFileSync(join(reports, 'manifest.json'), redactor.redact(JSON.stringify(manifest, null, 2)) + '\n');
  printSummary(manifest, summary, redactor, verdict, matrixLine, !!config.sut);
  if (!summary) process.stderr.write('Cucumber did not run the suite (see the error above): this is a harness or configuration error.\n');
  return exitCode;
}

const CATEGORIES = [
  { name: 'Environment faults', matchedStatuses: ['broken', 'failed'], messageRegex: '^Environment fault:[\\s\\S]*' },
  { name: 'Profile violations', matchedStatuses: ['failed'], messageRegex: '^Profile violation:[\\s\\S]*' },
  { name: 'Product defects', matchedStatuses: ['failed'] },
  { name: 'Harness errors', matchedStatuses: ['broken'] },
];

/** The user's selection, narrowed to what the target can serve: the sandbox answers only its examples. */
export function effectiveTags(config: Config): string {
  // Supplier scenarios need a system under test: they run with --sut, and only they do.
  if (config.sut) return `@supplier and (${config.tags})`;
  const tags = config.target === 'sandbox' ? `@sandbox and (${config.tags})` : config.tags;
  return `not @supplier and (${tags})`;
}

function countOutcomes(summary: RunSummary | undefined): Counts {
  const byCategory: Record<FailureCategory, number> = { 'product-defect': 0, 'profile-violation': 0, 'environment-fault': 0, 'harness-error': 0 };
  const counts: Counts = { scenarios: 0, passed: 0, failed: 0, skipped: 0, other: 0, byCategory };
  for (const s of summary?.scenarios ?? []) {
    counts.scenarios += 1;
    if (s.status === 'passed') counts.passed += 1;
    else if (s.status === 'failed') {
      counts.failed += 1;
      byCategory[s.category ?? 'harness-error'] += 1;
    } else if (s.status === 'skipped') counts.skipped += 1;
    else {
      counts.other += 1; // undefined/pending/ambiguous steps are harness errors: the suite itself is incomplete
      byCategory['harness-error'] += 1;
    }
  }
  return counts;
}

function printSummary(m: Manifest, summary: RunSummary | undefined, redactor: Redactor, verdict: Verdict, matrixLine: string | undefined, supplierMode: boolean): void {
  const c = m.counts;
  const out: string[] = [''];
  out.push(`Summary · target ${m.target} · ${c.scenarios} scenarios in ${(m.durationMs / 1000).toFixed(1)} s`);
  out.push(`  passed ${c.passed} · failed ${c.failed} · skipped ${c.skipped}${c.other ? ` · incomplete ${c.other}` : ''}`);
  out.push(`  product defects ${c.byCategory['product-defect']} · profile violations ${c.byCategory['profile-violation']} · environment faults ${c.byCategory['environment-fault']} · harness errors ${c.byCategory['harness-error']}`);
  const bad = (summary?.scenarios ?? []).filter((s) => s.status !== 'passed' && s.status !== 'skipped');
  if (bad.length) {
    out.push('  Not passed:');
    for (const s of bad.slice(0, 12)) out.push(`    ✘ ${s.uri}${s.line ? `:${s.line}` : ''} ${s.name} [${s.category ?? s.status}]`);
    if (bad.length > 12) out.push(`    … and ${bad.length - 12} more (see the report)`);
  }
  const notVerified = supplierMode ? (summary?.scenarios ?? []).filter((s) => s.status === 'skipped') : [];
  if (notVerified.length) {
    out.push('  Not verified (the reason is in each scenario\'s report):');
    for (const s of notVerified.slice(0, 30)) out.push(`    ○ ${s.uri}${s.line ? `:${s.line}` : ''} ${s.name}`);
    if (notVerified.length > 30) out.push(`    … and ${notVerified.length - 30} more (see the report)`);
  }
  if (matrixLine) out.push(`  ${matrixLine}`);
  out.push(`  Reports: ${Object.values(m.outputs).join(' · ')}`);
  out.push(`Verdict: ${verdict.text} (exit ${verdict.exitCode})`);
  out.push(`${c.passed} passed, ${c.failed + c.other} failed, ${c.skipped} skipped`);
  process.stdout.write(redactor.redact(out.join('\n')) + '\n');
}

/** Settings the cucumber workers need, as environment (they load the same Config). */
function configEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {
    ERS_TARGET: config.target,
    ERS_TAGS: config.tags,
    ERS_PARALLEL: String(config.parallel),
    ERS_TIMEOUT_MS: String(config.timeoutMs),
    ERS_MAX_BODY_BYTES: String(config.maxBodyBytes),
    ERS_RETRY_BUDGET_MS: String(config.retryBudgetMs),
    ERS_MAX_RPS: String(config.maxRps ?? ''),
    ERS_REPORTS_DIR: config.reportsDir,
  };
  if (config.baseUrl) env.ERS_BASE_URL = config.baseUrl;
  if (config.fixturesFile) env.ERS_FIXTURES = config.fixturesFile;
  // Secrets travel to the workers in their environment, never on a command line.
  if (config.accessToken) env.ERS_ACCESS_TOKEN = config.accessToken;
  if (config.appAccessToken) env.ERS_APP_ACCESS_TOKEN = config.appAccessToken;
  if (config.apiKey) env.ERS_API_KEY = config.apiKey;
  env.ERS_AUTH = config.auth;
  if (config.tokenUrl) env.ERS_TOKEN_URL = config.tokenUrl;
  if (config.kid) env.ERS_KID = config.kid;
  if (config.privateKeyPath) env.ERS_PRIVATE_KEY_PATH = config.privateKeyPath;
  else if (config.privateKeyPem) env.ERS_PRIVATE_KEY = config.privateKeyPem;
  if (config.idToken) env.ERS_ID_TOKEN = config.idToken;
  if (config.redactPatterns.length) env.ERS_REDACT_PATTERNS = config.redactPatterns.map((r) => r.source).join(',');
  if (config.openapi) env.ERS_OPENAPI = config.openapi;
  if (config.fhirPackagePath.length) env.FHIR_PACKAGE_PATH = config.fhirPackagePath.join(':');
  env.ERS_REPORT_HTML = String(config.reportHtml);
  if (config.sut) {
    env.ERS_SUT = config.sut.driver;
    if (config.sut.secret) env.ERS_SUT_SECRET = config.sut.secret;
    if (config.sut.jwks) env.ERS_SUT_JWKS = config.sut.jwks;
    env.ERS_SUT_HOST = config.sut.host;
    env.ERS_SUT_PORT = String(config.sut.port);
    env.ERS_SUT_DEADLINE_MS = String(config.sut.deadlineMs);
    env.ERS_SUT_ALLOW = config.sut.allow.join(',');
  }
  return env;
}

function spawnRedacted(cmd: string, args: string[], env: NodeJS.ProcessEnv, redactor: Redactor): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pump = (stream: NodeJS.ReadableStream, sink: NodeJS.WriteStream): void => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        const cut = pending.lastIndexOf('\n');
        if (cut >= 0) {
          sink.write(redactor.redact(pending.slice(0, cut + 1)));
          pending = pending.slice(cut + 1);
        }
      });
      stream.on('end', () => pending && sink.write(redactor.redact(pending)));
    };
    pump(child.stdout, process.stdout);
    pump(child.stderr, process.stderr);
    child.on('error', (err) => {
      process.stderr.write(`could not start cucumber: ${err.message}\n`);
      resolve(2);
    });
    child.on('close', (code) => resolve(code ?? 2));
  });
}

/** cucumber-js's command line, starting no more workers than there are scenarios (cucumber-process.ts). */
const CUCUMBER_PROCESS = fileURLToPath(new URL('./cucumber-process.ts', import.meta.url));

function rel(p: string): string {
  return relative(process.cwd(), p) || '.';
}
