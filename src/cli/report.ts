import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { configSecrets, loadConfig, type Config } from '../config/index.ts';
import { FAILURE_CATEGORIES, type FailureCategory } from '../evidence/errors.ts';
import { categoriseJunit, mergeJunit } from '../evidence/junit.ts';
import { gitRevision, harnessVersion, type Counts, type Manifest } from '../evidence/manifest.ts';
import { accessModesOf, fhirPackagesOf, matrixSummaryLine, writeEvidence } from '../evidence/outputs.ts';
import { writePack } from '../evidence/pack.ts';
import { createRedactor } from '../evidence/redact.ts';
import { readResults } from '../evidence/results.ts';
import { verdictOf } from '../evidence/verdict.ts';
import { badInputExit, isBadInput, parseArgs, UsageError } from './args.ts';

export const REPORT_USAGE = `Usage: ers-conformance report [--reports DIR] [--from SHARD_DIR]... [--pack]

Rebuilds the Allure HTML report and the SCAL matrix (scal-matrix.csv/.html) from DIR/allure-results; the same
results give the same outputs (the HTML report is kept when its results have not changed).
  --from SHARD_DIR  merge the reports folder of one sharded run (run --shard i/n: allure-results/, junit.xml,
                    manifest.json) into DIR first; repeat once per shard
  --pack            write DIR/evidence-<target>-<timestamp>.zip: the HTML report, the matrix, junit.xml,
                    manifest.json and SHA256SUMS of every file (all already redacted)
Exit code: the verdict of the results (0 passed, 1 failed, 2 harness error or no results).`;

export async function reportCommand(argv: string[]): Promise<number> {
  let config: Config;
  let from: string[] = [];
  let pack = false;
  try {
    const { flags, positionals } = parseArgs(argv, { value: ['--reports', '--from'], boolean: ['--pack', '--help'] });
    if (flags.has('--help')) {
      process.stdout.write(REPORT_USAGE + '\n');
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    from = (flags.get('--from') ?? []).map((d) => resolve(d));
    pack = flags.has('--pack');
    const reportsFlag = flags.get('--reports')?.at(-1);
    config = loadConfig({ flags: reportsFlag ? { ERS_REPORTS_DIR: reportsFlag } : {} });
    for (const d of from) if (!existsSync(join(d, 'allure-results'))) throw new UsageError(`${d} has no allure-results/ folder: give the reports folder of a sharded run`);
  } catch (err) {
    return badInputExit('report', err, REPORT_USAGE, isBadInput);
  }
  const redactor = createRedactor(configSecrets(config), config.redactPatterns);
  const reports = config.reportsDir;
  const resultsDir = join(reports, 'allure-results');
  mkdirSync(reports, { recursive: true });
  if (from.length) mergeShards(from, reports, config);

  const results = readResults([resultsDir]);
  if (!results.length) {
    process.stderr.write(`ers-conformance report: no results in ${rel(resultsDir)}; run "ers-conformance run" first (or pass --from for shard folders)\n`);
    return 2;
  }
  const manifestFile = join(reports, 'manifest.json');
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest) : undefined;
  const starts = results.map((r) => r.start).filter((n): n is number => n !== undefined);
  const stops = results.map((r) => r.stop).filter((n): n is number => n !== undefined);
  const facts = {
    target: manifest?.target ?? config.target,
    baseUrl: manifest?.baseUrl ?? config.baseUrl ?? 'embedded simulator (loopback, one per worker)',
    harnessVersion: manifest?.harnessVersion ?? harnessVersion(),
    gitRevision: manifest?.gitRevision ?? gitRevision(),
    startedAt: manifest?.startedAt ?? new Date(Math.min(...starts)).toISOString(),
    finishedAt: manifest?.finishedAt ?? new Date(Math.max(...stops)).toISOString(),
    accessModes: manifest?.accessModes ?? accessModesOf(config),
    fhirPackages: manifest?.fhirPackages ?? fhirPackagesOf(config.fhirPackagePath),
  };
  const evidence = await writeEvidence({ reportsDir: reports, resultsDir, facts, html: config.reportHtml, historyFile: config.historyFile, historyLimit: config.historyLimit, redactor });
  for (const w of evidence.warnings) process.stderr.write(`warning: ${w}\n`);
  const lines = [`Report · target ${facts.target} · ${results.length} scenario results · run ${facts.startedAt}`];
  for (const path of Object.values(evidence.written)) lines.push(`  wrote ${rel(join(reports, path))}`);
  if (evidence.matrix) lines.push(`  ${matrixSummaryLine(evidence.matrix)}`);
  if (pack) {
    const p = writePack(reports, facts.target, facts.startedAt);
    lines.push(`  evidence pack ${rel(p.file)} (${p.files.length} files incl. SHA256SUMS)${p.missing.length ? `; not found, so not packed: ${p.missing.join(', ')}` : ''}`);
  }
  const counts = manifest?.counts ?? countsOf(results);
  const verdict = verdictOf(counts, { environmentFaults: config.thresholdEnvironmentFaults }, true);
  lines.push(`Verdict: ${verdict.text} (exit ${verdict.exitCode})`);
  process.stdout.write(redactor.redact(lines.join('\n')) + '\n');
  return verdict.exitCode;
}

/** Shard folders → one reports folder: results copied together, JUnit merged, manifests summed. */
function mergeShards(shards: string[], reports: string, config: Config): void {
  const resultsDir = join(reports, 'allure-results');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  for (const shard of shards) {
    const src = join(shard, 'allure-results');
    for (const f of readdirSync(src)) {
      if (f === 'environment.properties' || f === 'categories.json') {
        if (!existsSync(join(resultsDir, f))) copyFileSync(join(src, f), join(resultsDir, f));
        continue;
      }
      copyFileSync(join(src, f), join(resultsDir, f)); // result and attachment files are uuid-named: no clashes
    }
  }
  const junits = shards.map((s) => join(s, 'junit.xml')).filter(existsSync).map((f) => categoriseJunit(readFileSync(f, 'utf8')).xml);
  if (junits.length) writeFileSync(join(reports, 'junit.xml'), mergeJunit(junits));
  const manifests = shards.map((s) => join(s, 'manifest.json')).filter(existsSync).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Manifest);
  if (!manifests.length) return;
  const counts = sumCounts(manifests.map((m) => m.counts));
  const first = manifests[0]!;
  const verdict = verdictOf(counts, { environmentFaults: config.thresholdEnvironmentFaults }, true);
  const merged: Manifest & { shards: number } = {
    ...first,
    startedAt: manifests.map((m) => m.startedAt).sort()[0]!,
    finishedAt: manifests.map((m) => m.finishedAt).sort().at(-1)!,
    durationMs: Math.max(...manifests.map((m) => m.durationMs)),
    counts,
    verdict: verdict.text,
    exitCode: Math.max(verdict.exitCode, ...manifests.map((m) => (m.exitCode === 2 ? 2 : 0))),
    outputs: { allureResults: 'allure-results', junit: 'junit.xml', manifest: 'manifest.json' },
    shards: manifests.length,
  };
  writeFileSync(join(reports, 'manifest.json'), JSON.stringify(merged, null, 2) + '\n');
}

function sumCounts(list: Counts[]): Counts {
  const byCategory = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  const out: Counts = { scenarios: 0, passed: 0, failed: 0, skipped: 0, other: 0, byCategory };
  for (const c of list) {
    out.scenarios += c.scenarios;
    out.passed += c.passed;
    out.failed += c.failed;
    out.skipped += c.skipped;
    out.other += c.other;
    for (const k of FAILURE_CATEGORIES) byCategory[k] += c.byCategory[k] ?? 0;
  }
  return out;
}

/** Counts from the Allure results alone (no manifest: e.g. results copied from elsewhere). */
function countsOf(results: ReturnType<typeof readResults>): Counts {
  const byCategory = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  const c: Counts = { scenarios: results.length, passed: 0, failed: 0, skipped: 0, other: 0, byCategory };
  for (const r of results) {
    if (r.status === 'passed') c.passed += 1;
    else if (r.status === 'skipped') c.skipped += 1;
    else {
      c.failed += 1;
      byCategory[r.category ?? 'harness-error'] += 1;
    }
  }
  return c;
}

function rel(p: string): string {
  return relative(process.cwd(), p) || '.';
}
