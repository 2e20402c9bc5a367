import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface HtmlReportOptions {
  reportName: string;
  /** Shown at the top of the report: target, base URL, access modes, harness version, FHIR packages, git revision. */
  variables?: Record<string, string>;
  /** JSON-lines history file kept across runs (trend charts); undefined = no history. */
  historyFile?: string;
  /** Most runs kept in the history file (older ones are dropped when this run is appended). */
  historyLimit?: number;
}

export type HtmlReportOutcome = { ok: true; reused: boolean; warning?: string } | { ok: false; message: string };

/** A history file larger than this is not read (a run's line is a few MB; the limit keeps files far smaller). */
export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

/**
 * Allure categories: the After hook's failure-category label first, then the same rules from status and message.
 * Allure 3 compiles messageRegex as a JavaScript RegExp: no inline flags such as (?s), which made the awesome
 * plugin fail, and write no page, for any failure without a category label.
 */
export const ALLURE_CATEGORIES = [
  { id: 'product-defect', name: 'Product defects', matchers: { labels: { 'failure-category': 'product-defect' } } },
  { id: 'profile-violation', name: 'Profile violations', matchers: { labels: { 'failure-category': 'profile-violation' } } },
  { id: 'environment-fault', name: 'Environment faults (429, 5xx, timeouts, connection errors)', matchers: { labels: { 'failure-category': 'environment-fault' } } },
  { id: 'harness-error', name: 'Harness errors', matchers: { labels: { 'failure-category': 'harness-error' } } },
  { id: 'blocked', name: 'Blocked (preparation failed; not a verdict on the requirement)', matchers: { labels: { 'failure-category': 'blocked' } } },
  { id: 'not-verified', name: 'Not verified (data, driver or credentials missing; the requirement stays open)', matchers: { labels: { outcome: 'not-verified' } } },
  { id: 'not-applicable', name: 'Not applicable to this target', matchers: { labels: { outcome: 'not-applicable' } } },
  { id: 'environment-fault-by-message', name: 'Environment faults (429, 5xx, timeouts, connection errors)', matchedStatuses: ['broken', 'failed'], messageRegex: '^Environment fault:[\\s\\S]*' },
  { id: 'profile-violation-by-message', name: 'Profile violations', matchedStatuses: ['failed'], messageRegex: '^Profile violation:[\\s\\S]*' },
  { id: 'blocked-by-message', name: 'Blocked (preparation failed; not a verdict on the requirement)', matchedStatuses: ['broken'], messageRegex: '^Blocked[\\s\\S]*' },
  { id: 'product-defect-by-status', name: 'Product defects', matchedStatuses: ['failed'] },
  { id: 'harness-error-by-status', name: 'Harness errors', matchedStatuses: ['broken'] },
];

const FINGERPRINT_FILE = '.ers-results-sha256';

/**
 * Generate the Allure 3 HTML report (single file, so it opens from disk and travels in an evidence pack).
 * The same results give the same report: when the report in `outputDir` was made from identical results and
 * options it is kept as it is (and the history is not appended twice).
 */
export async function generateHtmlReport(resultsDir: string, outputDir: string, options: HtmlReportOptions | string): Promise<HtmlReportOutcome> {
  const opts: HtmlReportOptions = typeof options === 'string' ? { reportName: options } : options;
  const fingerprint = fingerprintOf(resultsDir, opts);
  const index = join(outputDir, 'index.html');
  if (existsSync(index) && existsSync(join(outputDir, FINGERPRINT_FILE)) && readFileSync(join(outputDir, FINGERPRINT_FILE), 'utf8').trim() === fingerprint) {
    return { ok: true, reused: true };
  }
  const cli = allureCli();
  const scratch = mkdtempSync(join(tmpdir(), 'ers-allure-'));
  const configFile = join(scratch, 'allurerc.json');
  const config: Record<string, unknown> = {
    name: opts.reportName,
    output: resolve(outputDir),
    variables: opts.variables ?? {},
    categories: { rules: ALLURE_CATEGORIES },
    plugins: {
      awesome: { options: { reportName: opts.reportName, singleFile: true, groupBy: ['epic', 'feature', 'story'] } },
    },
  };
  const historyWarning = opts.historyFile ? unusableHistory(opts.historyFile) : undefined;
  if (opts.historyFile && !historyWarning) {
    mkdirSync(dirname(resolve(opts.historyFile)), { recursive: true });
    config.historyPath = resolve(opts.historyFile);
    config.appendHistory = true;
    // Allure drops the oldest runs itself when it appends this one, reading the file from its end.
    if (opts.historyLimit) config.historyLimit = opts.historyLimit;
  }
  writeFileSync(configFile, JSON.stringify(config));
  rmSync(outputDir, { recursive: true, force: true });
  try {
    const { code, output } = await run(process.execPath, [cli, 'generate', resolve(resultsDir), '--output', resolve(outputDir), '--config', configFile], scratch);
    if (code !== 0) return { ok: false, message: `allure generate exited ${code}: ${output.slice(-2000)}` };
    // Allure exits 0 even when a plugin fails (e.g. on a category rule it cannot compile): no page, no report.
    if (!existsSync(index)) return { ok: false, message: `allure generate wrote no index.html: ${output.slice(-2000) || 'no output'}` };
    writeFileSync(index, withoutAnalytics(readFileSync(index, 'utf8')));
    writeFileSync(join(outputDir, FINGERPRINT_FILE), fingerprint + '\n');
    return { ok: true, reused: false, ...(historyWarning ? { warning: historyWarning } : {}) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Why the history file cannot be used this time, if it cannot: Allure reads a history line whole, so a
 * file grown without bound (or not a history file at all) would exhaust memory. It is left as it is.
 */
function unusableHistory(file: string): string | undefined {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return `the history file ${file} is not a regular file; the report has no trend this time (point ERS_HISTORY_FILE at a file, or set it to none)`;
    size = st.size;
  } catch {
    return undefined; // not there yet: this run starts it
  }
  if (size > MAX_HISTORY_BYTES) {
    return `the history file ${file} is ${(size / 1024 / 1024).toFixed(0)} MB, more than the ${MAX_HISTORY_BYTES / 1024 / 1024} MB a history is read up to; the report has no trend this time and the file is left untouched (delete or move it; ERS_HISTORY_LIMIT keeps a new one small)`;
  }
  return undefined;
}

/** The Allure page loads a third-party analytics script; evidence opened by a reviewer must not call out. */
export function withoutAnalytics(html: string): string {
  return html
    .replace(/\s*<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js[^"]*"><\/script>/g, '')
    .replace(/\s*<script>\s*window\.dataLayer = window\.dataLayer \|\| \[\];[\s\S]*?<\/script>/g, '');
}

function fingerprintOf(resultsDir: string, opts: HtmlReportOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ name: opts.reportName, variables: opts.variables ?? {}, categories: ALLURE_CATEGORIES, history: !!opts.historyFile }));
  if (existsSync(resultsDir)) {
    for (const f of readdirSync(resultsDir).sort()) {
      hash.update(`\0${f}\0`);
      hash.update(readFileSync(join(resultsDir, f)));
    }
  }
  return hash.digest('hex');
}

/** The allure CLI script; the package exports no subpaths, so look for it along the module paths. */
function allureCli(): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths('allure') ?? []) {
    const candidate = join(dir, 'allure', 'cli.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('the allure package is not installed: run npm ci');
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ALLURE_NO_ANALYTICS: 'true' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolvePromise({ code: -1, output: e.message }));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output }));
  });
}
