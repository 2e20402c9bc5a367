// The run's outcomes as the Allure results record them: the one source both the HTML report and the
// SCAL matrix are built from, so `report` on the same results (or merged shards) gives the same answer.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoriseResult, CATEGORY_TITLES, type FailureCategory } from './errors.ts';
import { requirementTags } from './scenarios.ts';
import type { ScenarioOutcome } from './summary.ts';
import { FAILURE_CATEGORIES } from './errors.ts';
import { OUTCOME_TITLES, OUTCOMES, type Outcome } from './outcome.ts';
import type { Counts } from './manifest.ts';

export type ResultStatus = 'passed' | 'failed' | 'broken' | 'skipped' | 'unknown';

export interface ScenarioResult {
  uuid: string;
  /** The id the Allure 3 report gives this result (md5 of the uuid): `allure-report/index.html#<reportId>`. */
  reportId: string;
  historyId: string;
  name: string;
  /** Feature file and scenario, e.g. features/referrals/A005-….feature#an unknown UBRN is not found. */
  fullName: string;
  feature: string;
  status: ResultStatus;
  category?: FailureCategory;
  /** What the scenario proved (the outcome label; from status when a result has none). */
  outcome: Outcome;
  /** Access modes whose credential its calls carried (the credential labels). */
  credentials: string[];
  message?: string;
  tags: string[];
  requirements: string[];
  start?: number;
  stop?: number;
}

interface RawResult {
  uuid: string;
  name?: string;
  fullName?: string;
  historyId?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels?: { name: string; value: string }[];
  parameters?: { name: string; value: string }[];
  start?: number;
  stop?: number;
}

/**
 * Make the Allure results say what the run said. allure-cucumberjs reports a scenario with an undefined step,
 * or one skipped from inside a step, as passed, and keeps only cucumber's diff of a failed assertion; the
 * progress formatter's outcomes (the ones the console, manifest, JUnit and exit code use) are authoritative.
 * Each scenario's last result gets its status, our message and a failure-category label. Idempotent.
 */
export function reconcileResults(resultsDir: string, outcomes: readonly ScenarioOutcome[]): { updated: number; unmatched: number } {
  const byKey = new Map<string, ScenarioOutcome>();
  for (const o of outcomes) byKey.set(outcomeKey(o.uri, o.name, o.examples ?? []), o);
  const latest = new Map<string, { file: string; raw: RawResult }>();
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('-result.json')).sort()) {
    const raw = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as RawResult;
    const key = outcomeKey((raw.fullName ?? '').replace(/^[^:]*:/, '').replace(/#.*$/, ''), raw.name ?? '', (raw.parameters ?? []).map((p) => p.value));
    const prev = latest.get(key);
    if (!prev || (raw.stop ?? 0) >= (prev.raw.stop ?? 0)) latest.set(key, { file, raw });
  }
  let updated = 0;
  let unmatched = 0;
  for (const [key, { file, raw }] of latest) {
    const o = byKey.get(key);
    if (!o) {
      unmatched += 1;
      continue;
    }
    const before = JSON.stringify(raw);
    const labels = (raw.labels ?? []).filter((l) => l.name !== 'failure-category' && l.name !== 'outcome' && l.name !== 'credential');
    for (const mode of o.credentials ?? []) labels.push({ name: 'credential', value: mode });
    const outcome: Outcome = o.outcome ?? (o.status === 'passed' ? 'passed' : o.status === 'skipped' ? 'not-verified' : (o.category ?? 'harness-error'));
    labels.push({ name: 'outcome', value: outcome });
    if (o.status === 'passed') raw.status = 'passed';
    else if (o.status === 'skipped') {
      raw.status = 'skipped';
      const why = o.reason ?? o.message;
      raw.statusDetails = { ...raw.statusDetails, message: `${OUTCOME_TITLES[outcome]}: ${why ?? 'no reason recorded'}` };
    } else {
      const category: FailureCategory = o.category ?? 'harness-error';
      raw.status = category === 'product-defect' || category === 'profile-violation' ? 'failed' : 'broken';
      const why = o.status === 'failed' ? (o.message ?? '').replace(/^(Environment fault|Profile violation): /, '') : `the scenario is ${o.status}: ${o.message ?? 'a step has no definition, or more than one'}`;
      const findings = o.findings?.length && category !== 'profile-violation' ? `\n\nProfile and contract findings (they did not decide this outcome):\n  ${o.findings.slice(0, 8).join('\n  ')}` : '';
      const message = `${CATEGORY_TITLES[category]}: ${why}${findings}`;
      const trace = raw.statusDetails?.trace ?? raw.statusDetails?.message;
      raw.statusDetails = { ...raw.statusDetails, message, ...(trace && trace !== message ? { trace } : {}) };
      labels.push({ name: 'failure-category', value: category });
    }
    raw.labels = labels;
    if (JSON.stringify(raw) !== before) {
      writeFileSync(join(resultsDir, file), JSON.stringify(raw));
      updated += 1;
    }
  }
  return { updated, unmatched };
}

function outcomeKey(uri: string, name: string, examples: readonly string[]): string {
  return [uri, name, ...examples].join('\u0000');
}

/** Every scenario result in the results folders; a retried scenario counts once, by its last attempt. */
export function readResults(dirs: string[]): ScenarioResult[] {
  const latest = new Map<string, ScenarioResult>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json')).sort()) {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawResult;
      const r = toScenarioResult(raw);
      const prev = latest.get(r.historyId);
      if (!prev || (r.stop ?? 0) > (prev.stop ?? 0)) latest.set(r.historyId, r);
    }
  }
  return [...latest.values()].sort((a, b) => a.fullName.localeCompare(b.fullName) || (a.start ?? 0) - (b.start ?? 0) || a.uuid.localeCompare(b.uuid));
}

export function toScenarioResult(raw: RawResult): ScenarioResult {
  const labels = raw.labels ?? [];
  const tags = labels.filter((l) => l.name === 'tag').map((l) => l.value);
  const status = (['passed', 'failed', 'broken', 'skipped'].includes(raw.status ?? '') ? raw.status : 'unknown') as ResultStatus;
  const message = raw.statusDetails?.message;
  const r: ScenarioResult = {
    uuid: raw.uuid,
    reportId: createHash('md5').update(raw.uuid).digest('hex'),
    historyId: raw.historyId ?? raw.uuid,
    name: raw.name ?? '(unnamed)',
    fullName: (raw.fullName ?? raw.name ?? '').replace(/^[^:]*:/, ''),
    feature: labels.find((l) => l.name === 'feature')?.value ?? '',
    status,
    outcome: 'passed',
    credentials: labels.filter((l) => l.name === 'credential').map((l) => l.value),
    tags,
    requirements: requirementTags(tags),
  };
  if (message) r.message = message;
  if (raw.start !== undefined) r.start = raw.start;
  if (raw.stop !== undefined) r.stop = raw.stop;
  if (status === 'failed' || status === 'broken' || status === 'unknown') {
    r.category = categoriseResult(status, message, labels.find((l) => l.name === 'failure-category')?.value);
  }
  const labelled = labels.find((l) => l.name === 'outcome')?.value;
  r.outcome = labelled && (OUTCOMES as readonly string[]).includes(labelled) ? (labelled as Outcome)
    : status === 'passed' ? 'passed'
      : status === 'skipped' ? (message?.startsWith(OUTCOME_TITLES['not-applicable']) ? 'not-applicable' : 'not-verified')
        : (r.category ?? 'harness-error');
  return r;
}

/** Counts from the Allure results alone (no manifest, or an interrupted run). */
export function countsFromResults(results: readonly ScenarioResult[]): Counts {
  const byCategory = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  const byOutcome: Partial<Record<Outcome, number>> = {};
  const c: Counts = { scenarios: results.length, passed: 0, failed: 0, skipped: 0, other: 0, byCategory, byOutcome };
  for (const r of results) {
    byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
    if (r.status === 'passed') c.passed += 1;
    else if (r.status === 'skipped') c.skipped += 1;
    else {
      c.failed += 1;
      byCategory[r.category ?? 'harness-error'] += 1;
    }
  }
  return c;
}
