// The SCAL matrix: per requirement, what the run shows — passed, failed (and why), not run, not testable —
// with the scenarios, when they ran, against what, and a link to each scenario's evidence in the report.
// Written as CSV (for the SCAL spreadsheet) and as one self-contained, printable HTML page.
import { toCsv } from './csv.ts';
import { CATEGORY_TITLES, type FailureCategory } from './errors.ts';
import type { Requirement, ScalMapping } from './requirements.ts';
import type { ScenarioResult } from './results.ts';
import { compileTagExpression } from './tag-match.ts';

export type MatrixStatus = 'passed' | 'failed' | 'not verified' | 'not applicable' | 'not run' | 'not testable';

export interface MatrixRow {
  id: string;
  source: 'e-RS' | 'SCAL';
  kind: string;
  operation: string;
  section: string;
  /** Error responses: the documented HTTP status (the catalogue's error-response entry is operation × status). */
  responseStatus: string;
  statement: string;
  status: MatrixStatus;
  categories: Partial<Record<FailureCategory, number>>;
  scenarios: ScenarioResult[];
  firstStarted?: string;
  lastFinished?: string;
  notTestable: string;
  /** SCAL rows: the requirement ids they map to. */
  mapsTo: string[];
}

export interface MatrixMeta {
  target: string;
  baseUrl: string;
  harnessVersion: string;
  gitRevision: string;
  startedAt: string;
  finishedAt: string;
  /** Where the Allure report's index.html is, relative to the matrix files. */
  reportHref: string;
  /** The tag expression actually run. */
  tags?: string;
  /** The run's verdict line (PASSED / FAILED / NOT PASSED / NOTHING VERIFIED / INCOMPLETE …). */
  verdict?: string;
}

export interface Matrix {
  meta: MatrixMeta;
  rows: MatrixRow[];
}

export function buildMatrix(requirements: readonly Requirement[], scal: readonly ScalMapping[], results: readonly ScenarioResult[], meta: MatrixMeta): Matrix {
  const tagSets = results.map((r) => new Set(r.tags));
  const select = (expression: string): ScenarioResult[] => {
    const match = compileTagExpression(expression);
    return results.filter((_, i) => match(tagSets[i]!));
  };
  const rows: MatrixRow[] = requirements.map((r) =>
    row({ id: r.id, source: 'e-RS', kind: r.kind, operation: r.operation, section: r.section, responseStatus: r.status, statement: r.statement, notTestable: r.notTestable, mapsTo: [] }, r.kind === 'access-mode' ? provingAccessMode(r.id, select(r.tags)) : select(r.tags)),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const scalRows = scal.map((m) => {
    const found = new Map<string, ScenarioResult>();
    for (const id of m.requirements) for (const s of byId.get(id)?.scenarios ?? []) found.set(s.uuid, s);
    if (m.tags) for (const s of select(m.tags)) found.set(s.uuid, s);
    const parts = m.requirements.map((id) => byId.get(id));
    const notTestable = !m.tags && parts.length > 0 && parts.every((p) => p?.status === 'not testable') ? parts.map((p) => `${p!.id}: ${p!.notTestable}`).join('; ') : '';
    return row({ id: m.id, source: 'SCAL', kind: 'scal', operation: '', section: '', responseStatus: '', statement: m.statement, notTestable, mapsTo: [...m.requirements, ...(m.tags ? [m.tags] : [])] }, [...found.values()]);
  });
  return { meta, rows: [...scalRows, ...rows] };
}

/**
 * An access-mode requirement is proven only by calls that carried that mode's credential: a scenario that
 * passed with no token (the sandbox, --auth none) or with the other mode's token counts as not verified.
 */
function provingAccessMode(id: string, scenarios: ScenarioResult[]): ScenarioResult[] {
  const mode = /-AR-|APPROVED-USE-CASE/.test(id) ? 'application-restricted' : /ROLE-PERMITTED|APP-ONLY-ROLE/.test(id) ? 'user-restricted' : undefined;
  return scenarios.map((s) => {
    if (s.status !== 'passed') return s;
    const carried = mode ? s.credentials.includes(mode) : s.credentials.length > 0;
    return carried ? s : { ...s, status: 'skipped', outcome: 'not-verified', message: `Not verified: passed without ${mode ? `an ${mode}` : 'any'} credential, so it proves nothing about access control` };
  });
}

function row(base: Omit<MatrixRow, 'status' | 'categories' | 'scenarios'>, scenarios: ScenarioResult[]): MatrixRow {
  const sorted = [...scenarios].sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || a.fullName.localeCompare(b.fullName));
  const categories: Partial<Record<FailureCategory, number>> = {};
  for (const s of sorted) if (s.category) categories[s.category] = (categories[s.category] ?? 0) + 1;
  const ran = sorted.filter((s) => s.status !== 'skipped');
  // Blocked scenarios (their preparation failed) and not-verified skips leave a requirement open, never failed.
  const judged = ran.filter((s) => s.outcome !== 'blocked');
  // (a not-verified skip beside passing scenarios hides nothing; a blocked one always leaves its row open — as the verdict counts them)
  const open = sorted.some((s) => s.outcome === 'blocked') || (!judged.some((s) => s.status === 'passed') && sorted.some((s) => s.outcome === 'not-verified'));
  const status: MatrixStatus = base.notTestable
    ? 'not testable'
    : judged.some((s) => s.status !== 'passed')
      ? 'failed'
      : open
        ? 'not verified'
        : judged.length
          ? 'passed'
          : sorted.length
            ? 'not applicable'
            : 'not run';
  const starts = ran.map((s) => s.start).filter((n): n is number => n !== undefined);
  const stops = ran.map((s) => s.stop).filter((n): n is number => n !== undefined);
  const r: MatrixRow = { ...base, status, categories, scenarios: sorted };
  if (starts.length) r.firstStarted = new Date(Math.min(...starts)).toISOString();
  if (stops.length) r.lastFinished = new Date(Math.max(...stops)).toISOString();
  return r;
}

export interface MatrixTotals {
  byStatus: Record<MatrixStatus, number>;
  operations: { passed: number; total: number };
  errorEntries: { passed: number; total: number };
}

export function matrixTotals(m: Matrix): MatrixTotals {
  const ers = m.rows.filter((r) => r.source === 'e-RS');
  const byStatus: Record<MatrixStatus, number> = { passed: 0, failed: 0, 'not verified': 0, 'not applicable': 0, 'not run': 0, 'not testable': 0 };
  for (const r of ers) byStatus[r.status] += 1;
  const ops = ers.filter((r) => r.kind === 'operation');
  // An error-response entry (operation × status) passed when every testable row of it passed.
  const entries = new Map<string, MatrixRow[]>();
  for (const r of ers.filter((x) => x.kind === 'error-response')) {
    const key = `${r.operation} ${r.responseStatus}`;
    entries.set(key, [...(entries.get(key) ?? []), r]);
  }
  const passedEntries = [...entries.values()].filter((rows) => {
    const testable = rows.filter((r) => r.status !== 'not testable');
    return testable.length > 0 && testable.every((r) => r.status === 'passed');
  }).length;
  return {
    byStatus,
    operations: { passed: ops.filter((r) => r.status === 'passed').length, total: ops.length },
    errorEntries: { passed: passedEntries, total: entries.size },
  };
}

const CSV_COLUMNS = ['requirement_id', 'source', 'kind', 'operation', 'status', 'failure_categories', 'statement', 'scenario_count', 'scenarios', 'first_started', 'last_finished', 'target', 'base_url', 'evidence', 'maps_to', 'not_testable'] as const;

export function matrixCsv(m: Matrix): string {
  return toCsv(
    CSV_COLUMNS,
    m.rows.map((r) => ({
      requirement_id: r.id,
      source: r.source,
      kind: r.kind,
      operation: r.operation,
      status: r.status,
      failure_categories: categoryText(r.categories),
      statement: r.statement,
      scenario_count: r.scenarios.length,
      scenarios: r.scenarios.map((s) => `${s.name} [${s.status}]`).join(' | '),
      first_started: r.firstStarted,
      last_finished: r.lastFinished,
      target: m.meta.target,
      base_url: m.meta.baseUrl,
      evidence: r.scenarios.map((s) => `${m.meta.reportHref}#${s.reportId}`).join(' '),
      maps_to: r.mapsTo.join(' '),
      not_testable: r.notTestable,
    })),
  );
}

function categoryText(c: Partial<Record<FailureCategory, number>>): string {
  return Object.entries(c).map(([k, n]) => `${k} ×${n}`).join('; ');
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function matrixHtml(m: Matrix): string {
  const t = matrixTotals(m);
  const meta = m.meta;
  const scal = m.rows.filter((r) => r.source === 'SCAL');
  const ers = m.rows.filter((r) => r.source === 'e-RS');
  const failed = m.rows.filter((r) => r.status === 'failed');
  const table = (rows: MatrixRow[], caption: string, anchors = true): string => `
<table>
  <caption>${esc(caption)}</caption>
  <thead><tr><th>Requirement</th><th>Status</th><th>Statement</th><th>Scenarios and evidence</th><th>When</th></tr></thead>
  <tbody>
${rows.map((r) => rowHtml(r, meta, anchors)).join('\n')}
  </tbody>
</table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SCAL requirement matrix · ${esc(meta.target)} · ${esc(meta.startedAt)}</title>
<style>
  body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 24px; color: #1d1d1f; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
  .meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
  .meta dt { color: #555; } .meta dd { margin: 0; font-family: ui-monospace, Menlo, monospace; }
  .totals { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
  .totals div { border: 1px solid #ccc; border-radius: 6px; padding: 6px 10px; }
  .totals b { font-size: 16px; display: block; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 16px; }
  caption { text-align: left; font-weight: 600; padding: 6px 0; }
  th, td { border: 1px solid #d0d0d0; padding: 4px 6px; vertical-align: top; text-align: left; }
  th { background: #f2f2f2; }
  td.id { font-family: ui-monospace, Menlo, monospace; white-space: nowrap; }
  td.when { white-space: nowrap; font-size: 11px; color: #444; }
  .st { display: inline-block; padding: 1px 6px; border-radius: 4px; font-weight: 600; white-space: nowrap; }
  .passed { background: #d7f3dc; color: #145a24; } .failed { background: #fbd5d5; color: #8a1111; }
  .not-run { background: #eee; color: #555; } .not-testable { background: #e6e1f5; color: #3c2a7a; }
  .not-verified, .blocked { background: #fdecc8; color: #7a4b00; } .not-applicable { background: #e8eef7; color: #2a4a7a; }
  .cat { display: block; font-size: 11px; color: #8a1111; margin-top: 2px; }
  ul { margin: 0; padding-left: 16px; } .why { color: #555; font-style: italic; }
  .msg { font-family: ui-monospace, Menlo, monospace; font-size: 11px; white-space: pre-wrap; color: #8a1111; }
  .filters { margin: 8px 0; } .filters label { margin-right: 12px; }
  @media print {
    body { margin: 8mm; font-size: 10px; } .filters { display: none; }
    thead { display: table-header-group; } tr { break-inside: avoid; }
    a { color: inherit; text-decoration: none; }
  }
</style>
</head>
<body>
<h1>SCAL requirement matrix — NHS e-Referral Service conformance</h1>
<dl class="meta">
  <dt>Target</dt><dd>${esc(meta.target)}</dd>
  <dt>Base URL</dt><dd>${esc(meta.baseUrl)}</dd>
  <dt>Run</dt><dd>${esc(meta.startedAt)} → ${esc(meta.finishedAt)}</dd>
  <dt>Harness</dt><dd>ers-conformance ${esc(meta.harnessVersion)} · git ${esc(meta.gitRevision)}</dd>
  ${meta.tags ? `<dt>Tags run</dt><dd>${esc(meta.tags)}</dd>` : ''}
  ${meta.verdict ? `<dt>Verdict</dt><dd><b>${esc(meta.verdict)}</b></dd>` : ''}
  <dt>Evidence</dt><dd><a href="${esc(meta.reportHref)}">${esc(meta.reportHref)}</a> (Allure report; each scenario below links to its own page)</dd>
</dl>
<div class="totals">
  <div><b>${t.byStatus.passed}</b>requirements passed</div>
  <div><b>${t.byStatus.failed}</b>failed</div>
  <div><b>${t.byStatus['not verified']}</b>not verified</div>
  <div><b>${t.byStatus['not applicable']}</b>not applicable to this target</div>
  <div><b>${t.byStatus['not run']}</b>not run</div>
  <div><b>${t.byStatus['not testable']}</b>not testable</div>
  <div><b>${t.operations.passed} / ${t.operations.total}</b>operations passed</div>
  <div><b>${t.errorEntries.passed} / ${t.errorEntries.total}</b>documented error responses passed</div>
</div>
<div class="filters">Show:
  <label><input type="checkbox" data-status="passed" checked> passed</label>
  <label><input type="checkbox" data-status="failed" checked> failed</label>
  <label><input type="checkbox" data-status="not-verified" checked> not verified</label>
  <label><input type="checkbox" data-status="not-applicable" checked> not applicable</label>
  <label><input type="checkbox" data-status="not-run" checked> not run</label>
  <label><input type="checkbox" data-status="not-testable" checked> not testable</label>
</div>
${failed.length ? table(failed, `Failed requirements (${failed.length}; each also in its place below)`, false) : '<p>No requirement failed.</p>'}
${scal.length ? table(scal, `SCAL requirements (${scal.length}, from requirements/scal-map.csv)`) : ''}
${table(ers, `e-RS requirements (${ers.length}, from requirements/ers-requirements.csv)`)}
<script>
  for (const box of document.querySelectorAll('.filters input')) box.addEventListener('change', () => {
    const hidden = new Set([...document.querySelectorAll('.filters input')].filter((b) => !b.checked).map((b) => b.dataset.status));
    for (const tr of document.querySelectorAll('tbody tr')) tr.style.display = hidden.has(tr.dataset.status) ? 'none' : '';
  });
</script>
</body>
</html>
`;
}

function rowHtml(r: MatrixRow, meta: MatrixMeta, anchor: boolean): string {
  const cls = r.status.replace(/ /g, '-');
  const cats = Object.entries(r.categories).map(([k, n]) => `<span class="cat">${esc(CATEGORY_TITLES[k as FailureCategory])} ×${n}</span>`).join('');
  const scenarios = r.scenarios.length
    ? `<ul>${r.scenarios
        .map((s) => {
          // Skips say why (not applicable / not verified and the reason); failures say what failed.
          const msg = s.status !== 'passed' && s.message ? `<div class="${s.status === 'skipped' ? 'why' : 'msg'}">${esc(firstLines(s.message, 3))}</div>` : '';
          const cat = s.category && s.outcome !== 'blocked' ? ` · ${esc(CATEGORY_TITLES[s.category])}` : '';
          const label = s.status === 'passed' ? 'passed' : s.status === 'skipped' || s.outcome === 'blocked' ? s.outcome.replace(/-/g, ' ') : s.status;
          const stCls = s.status === 'passed' ? 'passed' : s.status === 'skipped' || s.outcome === 'blocked' ? s.outcome : 'failed';
          return `<li><a href="${esc(meta.reportHref)}#${s.reportId}">${esc(s.name)}</a> <span class="st ${stCls}">${esc(label)}</span>${cat}${msg}</li>`;
        })
        .join('')}</ul>`
    : r.notTestable
      ? `<span class="why">${esc(r.notTestable)}</span>`
      : '<span class="why">no scenario ran</span>';
  const maps = r.mapsTo.length ? `<div class="why">maps to ${r.mapsTo.map((id) => (/^[\w-]+$/.test(id) ? `<a href="#req-${esc(id)}">${esc(id)}</a>` : esc(id))).join(', ')}</div>` : '';
  const when = r.firstStarted ? `${esc(r.firstStarted.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}<br>${esc((r.lastFinished ?? '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}` : '';
  const idCell = anchor ? esc(r.id) : `<a href="#req-${esc(r.id)}">${esc(r.id)}</a>`;
  return `    <tr${anchor ? ` id="req-${esc(r.id)}"` : ''} data-status="${cls}"><td class="id">${idCell}${r.operation ? `<br><small>${esc(r.kind)} · §${esc(r.section)}</small>` : r.section ? `<br><small>${esc(r.kind)} · §${esc(r.section)}</small>` : ''}</td><td><span class="st ${cls}">${esc(r.status)}</span>${cats}</td><td>${esc(r.statement)}${maps}</td><td>${scenarios}</td><td class="when">${when}</td></tr>`;
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.slice(0, n).join('\n') + (lines.length > n ? ' …' : '');
}
