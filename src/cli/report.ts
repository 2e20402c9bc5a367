import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { configSecrets, loadConfig, type Config } from '../config/index.ts';
import { FAILURE_CATEGORIES, type FailureCategory } from '../evidence/errors.ts';
import { categoriseJunit, mergeJunit } from '../evidence/junit.ts';
import { gitRevision, harnessVersion, type Counts, type Manifest } from '../evidence/manifest.ts';
import { accessModesOf, fhirPackagesOf, matrixSummaryLine, writeEvidence } from '../evidence/outputs.ts';
import { PACK_CONTENTS, writePack } from '../evidence/pack.ts';
import { readSession, SESSION_FILES, type SessionFile } from '../proxy/session.ts';
import { createRedactor } from '../evidence/redact.ts';
import { countsFromResults, readResults } from '../evidence/results.ts';
import { checkShards, ShardError, type CheckedShard } from '../evidence/shards.ts';
import { stageOutputs } from '../evidence/staging.ts';
import { OUTCOMES, type Outcome } from '../evidence/outcome.ts';
import { unverifiedRequirements, verdictOf } from '../evidence/verdict.ts';
import { badInputExit, isBadInput, parseArgs, UsageError } from './args.ts';

export const REPORT_USAGE = `Usage: ers-conformance report [--reports DIR] [--from SHARD_DIR]... [--pack]

Rebuilds the Allure HTML report and the SCAL matrix (scal-matrix.csv/.html) from DIR/allure-results; the same
results give the same outputs (the HTML report is kept when its results have not changed).
  --from SHARD_DIR  merge the reports folder of one sharded run (run --shard i/n: allure-results/, junit.xml,
                    manifest.json) into DIR first; repeat once per shard
  --pack            write DIR/evidence-<target>-<timestamp>.zip: the HTML report, the matrix, junit.xml,
                    manifest.json and SHA256SUMS of every file (all already redacted)
Shard folders are checked before anything is changed: each a finished run with --shard i/n, every i of n
present once, one target and harness version, no result in two shards, no symbolic links (never followed).
Results without a complete manifest (an interrupted run) are INCOMPLETE: reported, never packed, exit 2; except a
supplier session (--sut) stopped part-way, whose pack is written named …-INCOMPLETE.zip.
A folder written by "ers-conformance proxy" (session.json, no allure-results) is reported as that session; --pack
writes evidence-proxy-<timestamp>.zip of its files (…-INCOMPLETE.zip when it was stopped or killed mid-session).
Exit code: the verdict of the results (0 passed, 1 failed or not passed, 2 harness error, INCOMPLETE,
NOTHING VERIFIED, bad shards or no results).`;

export async function reportCommand(argv: string[]): Promise<number> {
  let config: Config;
  let from: string[] = [];
  let pack = false;
  let shards: CheckedShard[] = [];
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
    // Every shard is checked before anything in the reports folder is touched.
    if (from.length) shards = checkShards(from);
  } catch (err) {
    return badInputExit('report', err, REPORT_USAGE, (e) => isBadInput(e) || e instanceof ShardError);
  }
  const redactor = createRedactor(configSecrets(config), config.redactPatterns);
  const reports = config.reportsDir;
  const resultsDir = join(reports, 'allure-results');
  // A folder written by `ers-conformance proxy` (no scenario results): its session is reported and packed as it is.
  const session = !from.length && !existsSync(resultsDir) ? readSession(reports) : undefined;
  if (session) return reportProxySession(reports, session, pack, redactor);
  mkdirSync(reports, { recursive: true });
  if (shards.length) mergeShards(shards, reports, config);

  const results = readResults([resultsDir]);
  const manifestFile = join(reports, 'manifest.json');
  let manifest: Manifest | undefined;
  try {
    manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest) : undefined;
  } catch {
    manifest = undefined;
  }
  // Results without a finished run's manifest (interrupted, killed, copied from elsewhere) prove nothing whole.
  const incomplete = !manifest || manifest.complete === false || !!manifest.verdict?.startsWith('INCOMPLETE');
  // a supplier session through the recording proxy stopped before any scenario finished: what the proxy captured is the evidence
  if (!results.length && pack && manifest && incomplete && manifest.effectiveTags?.startsWith('@supplier') && existsSync(join(reports, 'proxy-session'))) {
    const p = writePack(reports, manifest.target ?? config.target, manifest.startedAt, PACK_CONTENTS, '-INCOMPLETE');
    process.stdout.write(redactor.redact(`Report · the supplier session in ${rel(reports)} was stopped before any scenario finished\n  evidence pack ${rel(p.file)} (${p.files.length} files incl. SHA256SUMS: the proxy's captured exchanges and the manifest), marked INCOMPLETE\nVerdict: INCOMPLETE (exit 2)\n`));
    return 2;
  }
  if (!results.length) {
    const why = manifest && incomplete ? `the run in ${rel(reports)} is INCOMPLETE (stopped before any result was written)` : `no results in ${rel(resultsDir)}; run "ers-conformance run" first (or pass --from for shard folders)`;
    process.stderr.write(`ers-conformance report: ${why}\n`);
    if (manifest && incomplete) process.stdout.write(`Verdict: INCOMPLETE — nothing to report or pack (exit 2)\n`);
    return 2;
  }
  const starts = results.map((r) => r.start).filter((n): n is number => n !== undefined);
  const stops = results.map((r) => r.stop).filter((n): n is number => n !== undefined);
  const validTime = (t: unknown): t is string => typeof t === 'string' && Number.isFinite(Date.parse(t));
  const facts = {
    target: manifest?.target ?? config.target,
    baseUrl: manifest?.baseUrl ?? config.baseUrl ?? 'embedded simulator (loopback, one per worker)',
    tags: manifest?.effectiveTags ?? manifest?.tags,
    harnessVersion: manifest?.harnessVersion ?? harnessVersion(),
    gitRevision: manifest?.gitRevision ?? gitRevision(),
    startedAt: validTime(manifest?.startedAt) ? manifest.startedAt : new Date(starts.length ? Math.min(...starts) : Date.now()).toISOString(),
    finishedAt: validTime(manifest?.finishedAt) ? manifest.finishedAt : new Date(stops.length ? Math.max(...stops) : Date.now()).toISOString(),
    accessModes: manifest?.accessModes ?? accessModesOf(config),
    fhirPackages: manifest?.fhirPackages ?? fhirPackagesOf(config.fhirPackagePath),
  };
  const counts = manifest?.counts && !incomplete ? manifest.counts : countsFromResults(results);
  const unverified = unverifiedRequirements(results.map((r) => ({ outcome: r.outcome, tags: r.tags })));
  const verdict = verdictOf(counts, { environmentFaults: config.thresholdEnvironmentFaults, emptyAllowed: true }, { ran: true, interrupted: incomplete, unverifiedRequirements: unverified });
  const evidence = await writeEvidence({ reportsDir: reports, resultsDir, facts: { ...facts, verdict: verdict.text }, html: config.reportHtml, historyFile: config.historyFile, historyLimit: config.historyLimit, redactor });
  for (const w of evidence.warnings) process.stderr.write(`warning: ${w}\n`);
  const lines = [`Report · target ${facts.target} · ${results.length} scenario results · run ${facts.startedAt}${facts.tags ? ` · tags "${facts.tags}"` : ''}`];
  for (const path of Object.values(evidence.written)) lines.push(`  wrote ${rel(join(reports, path))}`);
  if (evidence.matrix) lines.push(`  ${matrixSummaryLine(evidence.matrix)}`);
  // a supplier session stopped part-way (a witness at INT pressing Ctrl-C) is still the evidence of what was witnessed: packed, named INCOMPLETE
  const supplierSession = !!manifest?.effectiveTags?.startsWith('@supplier');
  if (incomplete && supplierSession && pack) {
    const p = writePack(reports, facts.target, facts.startedAt, PACK_CONTENTS, '-INCOMPLETE');
    lines.push(`  INCOMPLETE: the supplier session was stopped before it finished; evidence pack ${rel(p.file)} (${p.files.length} files incl. SHA256SUMS), marked INCOMPLETE`);
  } else if (incomplete) {
    lines.push(`  INCOMPLETE: ${manifest ? 'the manifest says the run was stopped before it finished' : `no manifest.json in ${rel(reports)}`}; these results cannot stand for a run${pack ? ', so no evidence pack was written' : ''}`);
  } else if (pack) {
    const p = writePack(reports, facts.target, facts.startedAt);
    lines.push(`  evidence pack ${rel(p.file)} (${p.files.length} files incl. SHA256SUMS)${p.missing.length ? `; not found, so not packed: ${p.missing.join(', ')}` : ''}`);
  }
  lines.push(`Verdict: ${verdict.text} (exit ${verdict.exitCode})`);
  process.stdout.write(redactor.redact(lines.join('\n')) + '\n');
  return verdict.exitCode;
}

/** Checked shard folders → one reports folder: results copied together, JUnit merged, manifests summed; swapped in whole. */
function mergeShards(shards: readonly CheckedShard[], reports: string, config: Config): void {
  const staging = stageOutputs(reports);
  try {
    const resultsDir = join(staging.dir, 'allure-results');
    mkdirSync(resultsDir, { recursive: true });
    for (const shard of shards) {
      const src = join(shard.dir, 'allure-results');
      for (const f of shard.files) {
        if ((f === 'environment.properties' || f === 'categories.json') && existsSync(join(resultsDir, f))) continue;
        copyFileSync(join(src, f), join(resultsDir, f), constants.COPYFILE_EXCL);
      }
    }
    const junits = shards.filter((s) => s.junit).map((s) => categoriseJunit(readFileSync(join(s.dir, 'junit.xml'), 'utf8')).xml);
    if (junits.length) writeFileSync(join(staging.dir, 'junit.xml'), mergeJunit(junits));
    const manifests = shards.map((s) => s.manifest);
    const counts = sumCounts(manifests.map((m) => m.counts));
    const first = manifests[0]!;
    const unverified = [...new Set(manifests.flatMap((m) => (Array.isArray(m.unverifiedRequirements) ? m.unverifiedRequirements : [])))];
    const verdict = verdictOf(counts, { environmentFaults: config.thresholdEnvironmentFaults }, { ran: true, unverifiedRequirements: unverified });
    const merged: Manifest & { shards: number } = {
      ...first,
      shard: undefined,
      complete: true,
      startedAt: manifests.map((m) => m.startedAt).sort()[0]!,
      finishedAt: manifests.map((m) => m.finishedAt).sort().at(-1)!,
      durationMs: Math.max(...manifests.map((m) => Number(m.durationMs) || 0)),
      counts,
      verdict: verdict.text,
      exitCode: Math.max(verdict.exitCode, ...manifests.map((m) => (m.exitCode === 2 ? 2 : 0))),
      outputs: { allureResults: 'allure-results', junit: 'junit.xml', manifest: 'manifest.json' },
      shards: manifests.length,
    };
    writeFileSync(join(staging.dir, 'manifest.json'), JSON.stringify(merged, null, 2) + '\n');
    staging.commit();
  } finally {
    staging.discard();
  }
}

function sumCounts(list: Counts[]): Counts {
  const byCategory = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  const byOutcome: Partial<Record<Outcome, number>> = {};
  const out: Counts = { scenarios: 0, passed: 0, failed: 0, skipped: 0, other: 0, byCategory, byOutcome };
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  for (const c of list) {
    out.scenarios += n(c.scenarios);
    out.passed += n(c.passed);
    out.failed += n(c.failed);
    out.skipped += n(c.skipped);
    out.other += n(c.other);
    for (const k of FAILURE_CATEGORIES) byCategory[k] += n(c.byCategory?.[k]);
    for (const k of OUTCOMES) if (c.byOutcome?.[k] !== undefined) byOutcome[k] = (byOutcome[k] ?? 0) + n(c.byOutcome[k]);
  }
  return out;
}

/** A proxy session: complete, or INCOMPLETE (stopped while scenarios remained, or killed while recording); packed either way, named for what it is. */
function reportProxySession(dir: string, session: SessionFile, pack: boolean, redactor: ReturnType<typeof createRedactor>): number {
  const state = session.state === 'complete' ? 'complete' : 'INCOMPLETE';
  const why = session.state === 'recording' ? 'the proxy was killed while recording (the exchanges written until then are kept)' : session.reason;
  const c = session.counts;
  const lines = [
    `Proxy session ${session.startedAt}${session.finishedAt ? ` → ${session.finishedAt}` : ''} · upstream ${session.upstream?.baseUrl ?? '?'}`,
    `  ${c?.exchanges ?? 0} exchange(s) · ${c?.supplierFindings ?? 0} supplier finding(s) · ${c?.suspectedErsDefects ?? 0} suspected e-RS defect(s) · ${c?.environment ?? 0} upstream event(s)`,
    ...(session.scenarios?.remaining.length ? [`  scenarios not reached: ${session.scenarios.remaining.join(', ')}`] : []),
    `  state: ${state}${why ? ` (${why})` : ''}`,
  ];
  if (pack) {
    const p = writePack(dir, 'proxy', session.startedAt, SESSION_FILES, state === 'complete' ? '' : '-INCOMPLETE');
    lines.push(`  evidence pack ${rel(p.file)} (${p.files.length} files incl. SHA256SUMS)${state === 'complete' ? '' : ', marked INCOMPLETE'}`);
  }
  const findings = (c?.supplierFindings ?? 0) > 0;
  const verdict = state !== 'complete' ? { text: 'INCOMPLETE', exitCode: 2 } : findings ? { text: 'FAILED (supplier findings; see findings.txt)', exitCode: 1 } : { text: 'PASSED (no supplier finding)', exitCode: 0 };
  lines.push(`Verdict: ${verdict.text} (exit ${verdict.exitCode})`);
  process.stdout.write(redactor.redact(lines.join('\n')) + '\n');
  return verdict.exitCode;
}

function rel(p: string): string {
  return relative(process.cwd(), p) || '.';
}
