import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSecrets, loadConfig, type Config } from '../config/index.ts';
import { FAILURE_CATEGORIES, type FailureCategory } from '../evidence/errors.ts';
import { groupReasons, type Outcome } from '../evidence/outcome.ts';
import { stageOutputs } from '../evidence/staging.ts';
import { lineRedactor, redactStreams, redactTree, secretsFrom, SECRETS_SHARE_ENV } from '../evidence/redacting-writer.ts';
import { planCucumber, runHere, SETTLED_WORKERS_ENV, type CucumberPlan } from './cucumber-process.ts';
import { preflight } from '../targets/preflight.ts';
import { FixtureFileError, fixtureFileFor, readFixtureFile } from '../targets/fixtures.ts';
import { gitRevision, harnessVersion, REPO_ROOT, type Counts, type Manifest } from '../evidence/manifest.ts';
import { createRedactor, type Redactor } from '../evidence/redact.ts';
import { categoriseJunit } from '../evidence/junit.ts';
import { accessModesOf, fhirPackagesOf, matrixSummaryLine, writeEvidence, writeHtmlReport } from '../evidence/outputs.ts';
import { countsFromResults, readResults, reconcileResults } from '../evidence/results.ts';
import { unverifiedRequirements, verdictOf, type Verdict } from '../evidence/verdict.ts';
import { badInputExit, isBadInput, parseArgs } from './args.ts';
import { RERUN_FILE, resolveSelection, type Selection } from './selection.ts';
import { COLOUR_ENV, colourWanted, painter } from './colour.ts';
import { PROXY_SESSION_DIR_ENV } from '../proxy/supplier.ts';
import { PACK_CONTENTS, writePack } from '../evidence/pack.ts';
import type { RunSummary, ScenarioOutcome } from '../evidence/summary.ts';

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
                          [--sut http:URL|command:TEMPLATE|manual] [--proxy]

Runs the Gherkin suite against the target and writes reports/ (Allure results and HTML report,
junit.xml, scal-matrix.csv/.html, manifest.json, rerun.txt). Selection:
  FEATURE[:LINE]   only these feature files or folders; :LINE picks the scenario or Examples row
                   starting there (the closing list of a run prints these for every failure)
  --operation ID   shorthand for --tags @ID (repeat or comma-separate: --operation A016,A034)
  --name REGEX     scenarios whose name matches (repeatable)
  --rerun          only the scenarios that did not pass in the last run (reports/${RERUN_FILE})
  --fail-fast      stop at the first failure
  --no-html        skip the Allure HTML report (ERS_REPORT_HTML=false)
A real target is probed first (reachable, speaks e-RS,
credentials get a token) and the fixture file is checked against src/targets/fixtures.schema.json.
Outputs are written to a new folder and swapped in when the run ends: a run that selects nothing or
cannot start leaves the last evidence as it was. Ctrl-C writes what ran, marked INCOMPLETE.
Exit code: 0 PASSED (environment faults within ERS_THRESHOLD_ENVIRONMENT_FAULTS); 1 FAILED (a product
defect, profile violation or too many environment faults) or NOT PASSED (a scenario blocked, or a
requirement left not verified); 2 no verdict: a harness or configuration error, a failed pre-flight,
NOTHING RUN, NOTHING VERIFIED (no scenario passed) or INCOMPLETE (interrupted).

With --sut (supplier mode) the harness plays e-RS on ERS_SUT_HOST:ERS_SUT_PORT, drives the supplier's
system through the driver and judges every request it sends (the @supplier scenarios, one at a time;
docs/supplier-mode.md); a supplier run with any scenario not verified is NOT PASSED (exit 1). With --proxy and
a real --target (int, sandbox, url) the harness records the system's traffic with that e-RS as a proxy on the same
host and port instead (docs/witness-run.md).`;

export async function runCommand(argv: string[]): Promise<number> {
  let config: Config;
  let selection: Selection;
  try {
    const { flags, positionals } = parseArgs(argv, {
      value: [...Object.keys(FLAG_TO_KEY), '--name', '--operation'],
      boolean: ['--help', '--rerun', '--fail-fast', '--no-html', '--proxy'],
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
    if (flags.has('--proxy')) flagValues.ERS_SUT_PROXY = 'true';
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
    // The fixture file is checked against the schema of intents before anything runs.
    readFixtureFile(fixtureFileFor(config.target, config.fixturesFile));
  } catch (err) {
    return badInputExit('run', err, RUN_USAGE, (e) => isBadInput(e) || e instanceof FixtureFileError);
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
  const revision = gitRevision();
  const baseUrlLabel = config.sut?.proxy
    ? `recording proxy at http://${config.sut.host.includes(':') ? `[${config.sut.host}]` : config.sut.host}:${config.sut.port || '<any free port>'}/referrals/FHIR in front of ${config.baseUrl}`
    : config.sut
    ? `embedded simulator playing e-RS for the system under test at http://${config.sut.host.includes(':') ? `[${config.sut.host}]` : config.sut.host}:${config.sut.port || '<any free port>'}/referrals/FHIR`
    : config.target === 'simulator' ? 'embedded simulator (loopback, one per worker)' : config.baseUrl!;
  const tags = effectiveTags(config);

  const only = selection.description ? ` · ${selection.description}` : '';
  process.stdout.write(`ers-conformance ${harnessVersion()} · target ${config.target} · ${redactor.redact(baseUrlLabel)} · tags "${tags}"${tags !== config.tags ? ` (you asked for "${config.tags}")` : ''}${only} · up to ${config.parallel} worker(s)\n`);
  if (config.sut) process.stdout.write(`supplier mode · system under test driven by ${redactor.redact(config.sut.driver)} · e-RS token URL http://${config.sut.host}:${config.sut.port || '<port>'}/oauth2/token\n`);

  // A dead target or refused credentials stop here, before any output is touched.
  const checks = await preflight({ config, redactor, timeoutMs: Math.min(config.timeoutMs, 10_000) });
  for (const r of checks.results) process.stdout.write(`  pre-flight ${r.ok ? '✔' : '✘'} ${r.name}: ${r.detail}\n`);
  if (!checks.ok) {
    const failed = checks.results.at(-1)!;
    process.stderr.write(`ers-conformance run: pre-flight check "${failed.name}" failed: ${failed.detail}\nNo scenario was run and ${rel(reports)} was left as it was (exit 2).\n`);
    return 2;
  }

  const staging = stageOutputs(reports);
  const out = staging.dir;
  const resultsDir = join(out, 'allure-results');
  mkdirSync(resultsDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ers-run-'));
  const summaryFile = join(scratch, 'summary.json');
  const rawJunit = join(scratch, 'junit.xml');
  const rerunFile = join(scratch, RERUN_FILE);

  const accessModes = accessModesOf(config);
  const fhirPackages = fhirPackagesOf(config.fhirPackagePath);
  const profile = config.target === 'url' ? 'default' : config.target === 'simulator' ? 'default' : config.target;
  const allureOptions = {
    resultsDir,
    environmentInfo: {
      target: config.target,
      baseUrl: baseUrlLabel,
      tags,
      harnessVersion: harnessVersion(),
      gitRevision: revision,
      accessModes,
      fhirPackages,
      node: process.version,
    },
    categories: CATEGORIES,
  };
  const args = [
    '--profile', profile,
    '--tags', tags,
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
  const secretsFile = join(scratch, 'learnt-secrets');
  writeFileSync(secretsFile, '', { mode: 0o600 });
  const learnSecrets = secretsFrom(secretsFile, redactor);
  const env = { ...process.env, ...configEnv(config), ...(config.sut?.proxy ? { [PROXY_SESSION_DIR_ENV]: join(out, 'proxy-session') } : {}), FORCE_COLOR: '0', [COLOUR_ENV]: paint.enabled ? '1' : '0', ERS_CLI_TAGS: '1', [SECRETS_SHARE_ENV]: secretsFile }; // ERS_CLI_TAGS: the CLI owns the tag expression (cucumber.js)
  const { code, interrupted, leftRunning } = await runCucumberRedacted(args, env, redactor, learnSecrets);
  learnSecrets();
  // Reporters in cucumber's process never saw our redactor: sweep what they wrote before anything reads it.
  redactTree(resultsDir, redactor);

  let summary: RunSummary | undefined;
  // Cucumber's process wrote the summary (failure messages quote what the target answered, which may echo a
  // secret): redacted before anything uses it, as the results were (reconcileResults writes its messages back).
  if (existsSync(summaryFile)) summary = JSON.parse(redactor.redact(readFileSync(summaryFile, 'utf8'))) as RunSummary;
  if (interrupted && summary) summary.interrupted = true;
  const outputs: Record<string, string> = { allureResults: rel(join(reports, 'allure-results')) };
  if (existsSync(rawJunit) && statSync(rawJunit).size > 0) {
    writeFileSync(join(out, 'junit.xml'), redactor.redact(categoriseJunit(readFileSync(rawJunit, 'utf8'), summary?.scenarios).xml));
    outputs.junit = rel(join(reports, 'junit.xml'));
  }
  // The failures of this run, for `run --rerun` (written even when empty: nothing to rerun; a run that selected nothing leaves it).
  if (summary && summary.scenarios.length) writeFileSync(join(reports, RERUN_FILE), existsSync(rerunFile) ? readFileSync(rerunFile, 'utf8') : '');
  rmSync(scratch, { recursive: true, force: true });

  const startedAt = summary?.startedAt ?? new Date(started).toISOString();
  const finishedAt = summary?.finishedAt ?? new Date().toISOString();
  let matrixLine: string | undefined;
  const counts = summary ? countOutcomes(summary) : countsFromResults(readResults([resultsDir]));
  // A failing cucumber exit with nothing failed in the summary means cucumber itself broke: a harness error.
  if (summary && !interrupted && code !== 0 && counts.failed + counts.other === 0) {
    counts.byCategory['harness-error'] += 1;
    counts.byOutcome!['harness-error'] = (counts.byOutcome!['harness-error'] ?? 0) + 1;
  }
  const unverified = unverifiedRequirements(summary?.scenarios ?? []);
  const verdict = verdictOf(counts, { environmentFaults: config.thresholdEnvironmentFaults, emptyAllowed: !!config.shard, anyNotVerifiedFails: !!config.sut }, { ran: !!summary, interrupted, unverifiedRequirements: unverified });
  // Nothing ran (bad tags, a Gherkin syntax error): keep the last evidence; this run has none to give.
  const keep = interrupted || (summary !== undefined && counts.scenarios > 0) || (summary !== undefined && !!config.shard);
  if (summary && keep) {
    const reconciled = reconcileResults(resultsDir, summary.scenarios);
    if (reconciled.unmatched) process.stderr.write(`warning: ${reconciled.unmatched} Allure result(s) matched no scenario outcome; their status is Allure's own\n`);
  }
  // The HTML report is not needed to see the verdict: Allure starts on it now, in a process of its own, and the
  // run waits for it only after the verdict is printed.
  let html: Promise<{ written?: string; warning?: string }> | undefined;
  if (keep && existsSync(resultsDir)) {
    const facts = { target: config.target, baseUrl: baseUrlLabel, tags, harnessVersion: harnessVersion(), gitRevision: revision, startedAt, finishedAt, accessModes, fhirPackages, verdict: verdict.text };
    if (config.reportHtml) html = writeHtmlReport({ reportsDir: out, resultsDir, facts, historyFile: config.historyFile, historyLimit: config.historyLimit, redactor });
    const evidence = await writeEvidence({ reportsDir: out, resultsDir, facts, html: false, historyFile: config.historyFile, historyLimit: config.historyLimit, redactor });
    for (const [name, path] of Object.entries(evidence.written)) outputs[name] = rel(join(reports, path));
    for (const w of evidence.warnings) process.stderr.write(`warning: ${w}\n`);
    if (evidence.matrix) matrixLine = matrixSummaryLine(evidence.matrix);
  }

  const exitCode = verdict.exitCode;
  const scenarios = summary?.scenarios ?? [];
  const manifest: Manifest = {
    tool: 'ers-conformance',
    harnessVersion: harnessVersion(),
    gitRevision: revision,
    node: process.version,
    target: config.target,
    baseUrl: baseUrlLabel,
    tags: config.tags,
    effectiveTags: tags,
    parallel: config.parallel,
    ...(config.shard ? { shard: `${config.shard.index}/${config.shard.total}` } : {}),
    complete: !interrupted && !!summary,
    startedAt,
    finishedAt,
    durationMs: Date.now() - started,
    accessModes,
    fhirPackages,
    preflight: checks.results,
    counts,
    skipReasons: { notApplicable: groupReasons(scenarios.map(asOutcome), 'not-applicable'), notVerified: groupReasons(scenarios.map(asOutcome), 'not-verified') },
    unverifiedRequirements: unverified,
    thresholds: { environmentFaults: config.thresholdEnvironmentFaults },
    verdict: verdict.text,
    exitCode,
    outputs: { ...outputs, ...(html ? { allureReport: rel(join(reports, 'allure-report', 'index.html')) } : {}), manifest: rel(join(reports, 'manifest.json')) },
  };
  if (!keep) manifest.outputs = {};
  printSummary(manifest, summary, redactor, verdict, matrixLine, !!config.sut);
  if (html) {
    if (paint.enabled || process.stdout.isTTY) process.stdout.write(paint('dim', 'Writing the HTML report…\n'));
    const h = await html;
    if (h.warning) process.stderr.write(`warning: ${h.warning}\n`);
    if (!h.written) delete manifest.outputs.allureReport;
  }
  writeFileSync(join(out, 'manifest.json'), redactor.redact(JSON.stringify(manifest, null, 2)) + '\n');
  if (keep) staging.commit();
  else staging.discard();
  // a witness session (--sut manual) ends with its evidence pack; a stopped one's pack says INCOMPLETE
  if (keep && config.sut?.spec.kind === 'manual') {
    const pack = writePack(reports, config.target, startedAt, PACK_CONTENTS, interrupted ? '-INCOMPLETE' : '');
    process.stdout.write(`Witness session evidence pack: ${rel(pack.file)}${interrupted ? ' (INCOMPLETE: the session was stopped before every scenario was attested)' : ''}\n`);
  }
  if (!keep) process.stdout.write(`The last evidence in ${rel(reports)} was left as it was: this run produced none.\n`);
  if (!summary && !interrupted) process.stderr.write('Cucumber did not run the suite (see the error above): this is a harness or configuration error.\n');
  // A scenario that did not end after a stop still holds this process: everything is written, so leave.
  if (leftRunning) setTimeout(() => process.exit(exitCode), 100).unref();
  return exitCode;
}

const CATEGORIES = [
  { name: 'Environment faults', matchedStatuses: ['broken', 'failed'], messageRegex: '^Environment fault:[\\s\\S]*' },
  { name: 'Profile violations', matchedStatuses: ['failed'], messageRegex: '^Profile violation:[\\s\\S]*' },
  { name: 'Blocked (preparation failed)', matchedStatuses: ['broken'], messageRegex: '^Blocked[\\s\\S]*' },
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

export function countOutcomes(summary: RunSummary): Counts {
  const byCategory = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  const byOutcome: Partial<Record<Outcome, number>> = {};
  const counts: Counts = { scenarios: 0, passed: 0, failed: 0, skipped: 0, other: 0, byCategory, byOutcome };
  for (const s of summary.scenarios) {
    counts.scenarios += 1;
    const outcome = asOutcome(s).outcome;
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
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

/** A scenario's outcome, from the judge's record or, without one, from cucumber's status. */
function asOutcome(s: ScenarioOutcome): { outcome: Outcome; reason?: string } {
  if (s.outcome) return { outcome: s.outcome, reason: s.reason ?? s.message };
  if (s.status === 'passed') return { outcome: 'passed' };
  if (s.status === 'skipped') return { outcome: 'not-verified', reason: s.message };
  return { outcome: s.category ?? 'harness-error', reason: s.message };
}

/** Failures listed by name with their rerun command; the rest are counted. */
const MAX_LISTED_FAILURES = 20;
/** Colour for this terminal (NO_COLOR, FORCE_COLOR respected); cucumber's process gets the same decision. */
const paint = painter(colourWanted(process.stdout));

function printSummary(m: Manifest, summary: RunSummary | undefined, redactor: Redactor, verdict: Verdict, matrixLine: string | undefined, supplierMode: boolean): void {
  const c = m.counts;
  const out: string[] = [''];
  out.push(`Summary · target ${m.target} · ${c.scenarios} scenarios in ${(m.durationMs / 1000).toFixed(1)} s`);
  const o = c.byOutcome ?? {};
  out.push(`  Tags run: ${m.effectiveTags ?? m.tags}`);
  out.push(`  passed ${c.passed} · failed ${c.failed} · skipped ${c.skipped} (not applicable ${o['not-applicable'] ?? 0} · not verified ${o['not-verified'] ?? 0})${c.other ? ` · incomplete ${c.other}` : ''}`);
  out.push(`  product defects ${c.byCategory['product-defect']} · profile violations ${c.byCategory['profile-violation']} · environment faults ${c.byCategory['environment-fault']} · harness errors ${c.byCategory['harness-error']} · blocked ${c.byCategory.blocked}`);
  for (const [title, list] of [['Not verified (the requirement stays open)', m.skipReasons?.notVerified ?? []], ['Not applicable to this target', m.skipReasons?.notApplicable ?? []]] as const) {
    if (!list.length) continue;
    out.push(`  ${title}:`);
    for (const r of list.slice(0, 10)) out.push(`    ${String(r.count).padStart(4)} × ${r.reason}`);
    if (list.length > 10) out.push(`    … and ${list.length - 10} more reasons (see manifest.json)`);
  }
  if (m.unverifiedRequirements?.length) out.push(`  Requirements not verified: ${m.unverifiedRequirements.slice(0, 15).join(', ')}${m.unverifiedRequirements.length > 15 ? ` … (${m.unverifiedRequirements.length} in all)` : ''}`);
  const bad = (summary?.scenarios ?? []).filter((s) => s.status !== 'passed' && s.status !== 'skipped');
  if (bad.length) {
    // Each with the command that runs it alone; cucumber's locations are relative to the repository.
    out.push(`  Not passed (all of them again: ${paint('bold', 'npx ers-conformance run --rerun')}):`);
    for (const s of bad.slice(0, MAX_LISTED_FAILURES)) {
      const location = `${rel(join(REPO_ROOT, s.uri))}${s.line ? `:${s.line}` : ''}`;
      out.push(`    ${paint('fail', '✘')} ${s.name} ${paint('fail', `[${s.outcome ?? s.category ?? s.status}]`)}`);
      out.push(`      ${paint('dim', 'rerun:')} npx ers-conformance run ${location}`);
    }
    if (bad.length > MAX_LISTED_FAILURES) out.push(`    … and ${bad.length - MAX_LISTED_FAILURES} more (the report lists them; --rerun runs them all)`);
  }
  const notVerified = supplierMode ? (summary?.scenarios ?? []).filter((s) => s.status === 'skipped') : [];
  if (notVerified.length) {
    out.push('  Not verified (the reason is in each scenario\'s report):');
    for (const s of notVerified.slice(0, 30)) out.push(`    ○ ${s.uri}${s.line ? `:${s.line}` : ''} ${s.name}`);
    if (notVerified.length > 30) out.push(`    … and ${notVerified.length - 30} more (see the report)`);
  }
  if (matrixLine) out.push(`  ${matrixLine}`);
  if (Object.keys(m.outputs).length) out.push(`  Reports: ${Object.values(m.outputs).join(' · ')}`);
  out.push(paint(verdict.exitCode === 0 ? 'pass' : 'fail', `Verdict: ${verdict.text} (exit ${verdict.exitCode})`));
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
  for (const [actor, token] of Object.entries(config.actorTokens)) env[`ERS_ACCESS_TOKEN_${actor}`] = token;
  env.ERS_TOKEN_ACTOR = config.tokenActor;
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
    if (config.sut.proxy) env.ERS_SUT_PROXY = 'true';
  }
  return env;
}

interface CucumberEnd {
  code: number;
  interrupted: boolean;
  /** stopped, but the scenario in progress had not ended when the run's outputs were written */
  leftRunning?: boolean;
}

/** Time a stopped run's scenario in progress gets to end (a second Ctrl-C does not wait). */
const STOP_GRACE_MS = 10_000;

/**
 * Run cucumber with everything it prints redacted: in this process when it needs no workers (cucumber-process.ts),
 * otherwise in a child process. Ctrl-C / SIGTERM stop it and mark the run interrupted.
 */
async function runCucumberRedacted(args: string[], env: NodeJS.ProcessEnv, redactor: Redactor, learnSecrets: () => void): Promise<CucumberEnd> {
  // The support code reads its settings from the environment, in this process as in a child.
  Object.assign(process.env, env);
  const environment = { cwd: REPO_ROOT, stdout: process.stdout, stderr: process.stderr, env: process.env };
  let plan: CucumberPlan;
  try {
    plan = await planCucumber(args, environment);
  } catch (err) {
    // Cucumber's own errors (a bad option, a profile that does not exist) are configuration errors.
    process.stderr.write(redactor.redact(`cucumber: ${(err as Error).message}\n`));
    return { code: 2, interrupted: false };
  }
  if (plan.workers > 0) return spawnRedacted(process.execPath, ['--import', 'tsx', CUCUMBER_PROCESS, ...args], { ...env, [SETTLED_WORKERS_ENV]: String(plan.workers) }, redactor, learnSecrets);
  process.env.ERS_PARALLEL = '1'; // this process takes the whole request budget (support/context.ts)
  const ownCwd = process.cwd();
  process.chdir(REPO_ROOT);
  const restoreStreams = redactStreams([process.stdout, process.stderr], redactor, learnSecrets);
  const run = runHere(plan, environment);
  return new Promise((resolve) => {
    let interrupted = false;
    let settled = false;
    const finish = (end: CucumberEnd): void => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      restoreStreams();
      process.chdir(ownCwd);
      resolve({ ...end, interrupted: interrupted || end.interrupted });
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (interrupted) return finish({ code: 2, interrupted: true, leftRunning: true }); // a second Ctrl-C: do not wait
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping the run after the scenario in progress; the results so far are written with a manifest marked INCOMPLETE\n`);
      run.stop();
      setTimeout(() => finish({ code: 2, interrupted: true, leftRunning: true }), STOP_GRACE_MS).unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void run.done.then(finish);
  });
}

/** Run cucumber in a child process with its output redacted; Ctrl-C / SIGTERM stop it and mark the run interrupted. */
function spawnRedacted(cmd: string, args: string[], env: NodeJS.ProcessEnv, redactor: Redactor, learnSecrets: () => void): Promise<CucumberEnd> {
  return new Promise((resolve) => {
    // Its own process group, so a stop reaches cucumber's workers too (orphaned workers would hold the pipes open).
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let interrupted = false;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!interrupted) process.stderr.write(`\n${signal}: stopping the run; the results so far are written with a manifest marked INCOMPLETE\n`);
      interrupted = true;
      killGroup(signal);
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const pump = (stream: NodeJS.ReadableStream, sink: NodeJS.WriteStream): void => {
      // a token a worker just learnt may be in the very line it prints
      const lines = lineRedactor(redactor, learnSecrets, (text) => sink.write(text));
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => lines.push(chunk));
      stream.on('end', () => lines.end());
    };
    pump(child.stdout, process.stdout);
    pump(child.stderr, process.stderr);
    const done = (code: number): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve({ code, interrupted });
    };
    child.on('error', (err) => {
      process.stderr.write(`could not start cucumber: ${err.message}\n`);
      done(2);
    });
    child.on('close', (code) => done(code ?? 2));
  });
}

/** cucumber-js's command line in a child process, for runs with workers (cucumber-process.ts). */
const CUCUMBER_PROCESS = fileURLToPath(new URL('./cucumber-process.ts', import.meta.url));

function rel(p: string): string {
  return relative(process.cwd(), p) || '.';
}
