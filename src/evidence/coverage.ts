// Traceability: which scenarios cover which requirement, and the totals a reviewer asks for first.
import { toCsv } from './csv.ts';
import { errorEntryKey, type Requirement, type ScalMapping } from './requirements.ts';
import { requirementTags, type ScenarioRef } from './scenarios.ts';
import { compileTagExpression } from './tag-match.ts';

export type CoverageState = 'covered' | 'not covered' | 'not testable';

export interface RequirementCoverage {
  requirement: Requirement;
  state: CoverageState;
  scenarios: ScenarioRef[];
}

export interface ScalCoverage {
  mapping: ScalMapping;
  state: CoverageState;
  scenarios: ScenarioRef[];
}

export interface Fraction { covered: number; total: number }

export interface CoverageTotals {
  requirements: Fraction;
  operations: Fraction;
  /** Catalogue error-response entries (operation × status); covered when every testable row of the entry is. */
  errorResponses: Fraction & { partly: number; notTestable: number };
  /** The individual error rows (a code, or a code-less status, of one operation). */
  errorRows: Fraction;
  crossCutting: Fraction;
  platform: Fraction;
  notTestable: { id: string; reason: string }[];
  scenarios: number;
  scenariosTracing: number;
}

export interface Coverage {
  rows: RequirementCoverage[];
  scal: ScalCoverage[];
  totals: CoverageTotals;
}

/** Scenarios run by default (not @wip) count as coverage; `scenarios` should already be that selection. */
export function computeCoverage(requirements: readonly Requirement[], scenarios: readonly ScenarioRef[], scal: readonly ScalMapping[] = []): Coverage {
  const tagSets = scenarios.map((s) => new Set(s.tags));
  const select = (expression: string): ScenarioRef[] => {
    const match = compileTagExpression(expression);
    return scenarios.filter((_, i) => match(tagSets[i]!));
  };
  const rows: RequirementCoverage[] = requirements.map((requirement) => {
    const covering = select(requirement.tags);
    const state: CoverageState = requirement.notTestable ? 'not testable' : covering.length ? 'covered' : 'not covered';
    return { requirement, state, scenarios: covering };
  });
  const byId = new Map(rows.map((r) => [r.requirement.id, r]));
  const scalRows: ScalCoverage[] = scal.map((mapping) => {
    const found = new Map<string, ScenarioRef>();
    for (const id of mapping.requirements) for (const s of byId.get(id)?.scenarios ?? []) found.set(`${s.uri}:${s.line}`, s);
    if (mapping.tags) for (const s of select(mapping.tags)) found.set(`${s.uri}:${s.line}`, s);
    const parts = mapping.requirements.map((id) => byId.get(id));
    const allNotTestable = parts.length > 0 && !mapping.tags && parts.every((p) => p?.state === 'not testable');
    return { mapping, state: allNotTestable ? 'not testable' : found.size ? 'covered' : 'not covered', scenarios: [...found.values()] };
  });
  return { rows, scal: scalRows, totals: totalsOf(rows, scenarios) };
}

function totalsOf(rows: RequirementCoverage[], scenarios: readonly ScenarioRef[]): CoverageTotals {
  const frac = (list: RequirementCoverage[]): Fraction => ({ covered: list.filter((r) => r.state === 'covered').length, total: list.length });
  const kind = (...kinds: string[]): RequirementCoverage[] => rows.filter((r) => kinds.includes(r.requirement.kind));
  const entries = new Map<string, RequirementCoverage[]>();
  for (const r of kind('error-response')) {
    const key = errorEntryKey(r.requirement);
    entries.set(key, [...(entries.get(key) ?? []), r]);
  }
  const errorResponses = { covered: 0, partly: 0, notTestable: 0, total: entries.size };
  for (const list of entries.values()) {
    const testable = list.filter((r) => r.state !== 'not testable');
    if (!testable.length) errorResponses.notTestable += 1;
    else if (testable.every((r) => r.state === 'covered')) errorResponses.covered += 1;
    else if (testable.some((r) => r.state === 'covered')) errorResponses.partly += 1;
  }
  return {
    requirements: frac(rows),
    operations: frac(kind('operation')),
    errorResponses,
    errorRows: frac(kind('error-response')),
    crossCutting: frac(kind('header', 'access-mode', 'error-shape', 'versioning', 'authentication', 'lifecycle', 'environment')),
    platform: frac(kind('platform')),
    notTestable: rows.filter((r) => r.state === 'not testable').map((r) => ({ id: r.requirement.id, reason: r.requirement.notTestable })),
    scenarios: scenarios.length,
    scenariosTracing: scenarios.filter((s) => requirementTags(s.tags).length > 0).length,
  };
}

/** Scenario tags naming a requirement that exists neither in the requirements CSV nor in the SCAL map. */
export function unknownRequirementTags(scenarios: readonly ScenarioRef[], requirements: readonly Requirement[], scal: readonly ScalMapping[]): string[] {
  const known = new Set([...requirements.map((r) => r.id), ...scal.map((s) => s.id)]);
  const problems: string[] = [];
  for (const s of scenarios) {
    for (const id of requirementTags(s.tags)) {
      if (!known.has(id)) problems.push(`${s.uri}:${s.line} "${s.name}" names unknown requirement @req=${id}${nearest(id, known)}`);
    }
  }
  return [...new Set(problems)];
}

/** SCAL map rows naming requirement ids that do not exist. */
export function unknownScalReferences(scal: readonly ScalMapping[], requirements: readonly Requirement[]): string[] {
  const known = new Set(requirements.map((r) => r.id));
  return scal.flatMap((m) => m.requirements.filter((id) => !known.has(id)).map((id) => `scal-map.csv: ${m.id} maps to unknown requirement ${id}${nearest(id, known)}`));
}

function nearest(id: string, known: Set<string>): string {
  const op = id.split('-ERR-')[0];
  const code = id.split('-').at(-1);
  const candidates = [...known].filter((k) => k.startsWith(`${op}-`) && code && k.endsWith(code));
  return candidates.length ? ` (did you mean ${candidates.slice(0, 3).join(' or ')}?)` : '';
}

// ---------------------------------------------------------------------------------------------
// Output formats

const pct = (f: Fraction): string => `${f.covered} / ${f.total}`;

export function totalsText(t: CoverageTotals): string[] {
  const nt = t.notTestable;
  return [
    `  operations covered                 ${pct(t.operations)}`,
    `  documented error responses covered ${pct(t.errorResponses)}  (operation × status; ${t.errorResponses.partly} partly covered${t.errorResponses.notTestable ? `, ${t.errorResponses.notTestable} not testable` : ''})`,
    `  error codes and statuses covered   ${pct(t.errorRows)}`,
    `  cross-cutting rules covered        ${pct(t.crossCutting)}`,
    `  platform endpoints covered         ${pct(t.platform)}`,
    `  all requirements covered           ${pct(t.requirements)}`,
    `  requirements not testable          ${nt.length}${nt.length ? ':' : ''}`,
    ...nt.map((n) => `    ${n.id}: ${n.reason}`),
    `  scenarios                          ${t.scenarios} (${t.scenariosTracing} name a requirement)`,
  ];
}

export function coverageText(c: Coverage, opts: { all?: boolean } = {}): string {
  const out: string[] = [];
  for (const r of c.rows) {
    if (!opts.all && r.state === 'not covered') continue;
    const mark = r.state === 'covered' ? '✔' : r.state === 'not testable' ? '–' : '·';
    out.push(`${mark} ${r.requirement.id}  ${r.state === 'covered' ? `${r.scenarios.length} scenario(s)` : r.state}${r.state === 'not testable' ? `: ${r.requirement.notTestable}` : ''}`);
    for (const s of r.scenarios) out.push(`    ${s.uri}:${s.line}  ${s.name}`);
  }
  if (!opts.all) out.push(`(${c.rows.filter((r) => r.state === 'not covered').length} requirements not covered are not listed; --all lists them)`);
  if (c.scal.length) {
    out.push('', 'SCAL requirements (requirements/scal-map.csv)');
    for (const s of c.scal) {
      out.push(`${s.state === 'covered' ? '✔' : s.state === 'not testable' ? '–' : '·'} ${s.mapping.id}  ${s.state === 'covered' ? `${s.scenarios.length} scenario(s)` : s.state}  → ${[...s.mapping.requirements, s.mapping.tags].filter(Boolean).join(', ')}`);
    }
  }
  out.push('', 'Totals', ...totalsText(c.totals));
  return out.join('\n') + '\n';
}

export function coverageJson(c: Coverage): string {
  return JSON.stringify(
    {
      totals: c.totals,
      requirements: c.rows.map((r) => ({
        id: r.requirement.id, kind: r.requirement.kind, operation: r.requirement.operation || undefined,
        status: r.requirement.status || undefined, errorCode: r.requirement.errorCode || undefined,
        state: r.state, notTestable: r.requirement.notTestable || undefined,
        scenarios: r.scenarios.map((s) => ({ uri: s.uri, line: s.line, name: s.name })),
      })),
      scal: c.scal.map((s) => ({ id: s.mapping.id, state: s.state, requirements: s.mapping.requirements, tags: s.mapping.tags || undefined, scenarios: s.scenarios.map((x) => ({ uri: x.uri, line: x.line, name: x.name })) })),
    },
    null,
    2,
  ) + '\n';
}

export function coverageCsv(c: Coverage): string {
  const rows = [
    ...c.rows.map((r) => ({ id: r.requirement.id, kind: r.requirement.kind, operation: r.requirement.operation, status: r.requirement.status, error_code: r.requirement.errorCode, state: r.state, scenario_count: r.scenarios.length, scenarios: r.scenarios.map((s) => `${s.uri}:${s.line} ${s.name}`).join(' | '), not_testable: r.requirement.notTestable })),
    ...c.scal.map((s) => ({ id: s.mapping.id, kind: 'scal', operation: '', status: '', error_code: '', state: s.state, scenario_count: s.scenarios.length, scenarios: s.scenarios.map((x) => `${x.uri}:${x.line} ${x.name}`).join(' | '), not_testable: '' })),
  ];
  return toCsv(['id', 'kind', 'operation', 'status', 'error_code', 'state', 'scenario_count', 'scenarios', 'not_testable'], rows);
}
