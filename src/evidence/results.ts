// The run's outcomes as the Allure results record them: the one source both the HTML report and the
// SCAL matrix are built from, so `report` on the same results (or merged shards) gives the same answer.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoriseResult, type FailureCategory } from './errors.ts';
import { requirementTags } from './scenarios.ts';

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
  statusDetails?: { message?: string };
  labels?: { name: string; value: string }[];
  start?: number;
  stop?: number;
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
    tags,
    requirements: requirementTags(tags),
  };
  if (message) r.message = message;
  if (raw.start !== undefined) r.start = raw.start;
  if (raw.stop !== undefined) r.stop = raw.stop;
  if (status === 'failed' || status === 'broken' || status === 'unknown') {
    r.category = categoriseResult(status, message, labels.find((l) => l.name === 'failure-category')?.value);
  }
  return r;
}
