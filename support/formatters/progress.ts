import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import { categorise } from '../../src/evidence/errors.ts';
import { OUTCOME_MEDIA_TYPE, parseOutcomeRecord, type Outcome, type OutcomeRecord } from '../../src/evidence/outcome.ts';
import type { RunSummary, ScenarioOutcome } from '../../src/evidence/summary.ts';
import { painterFromEnv } from '../../src/cli/colour.ts';

// The CLI decides colour (it owns the terminal); this process writes to its pipe.
const paint = painterFromEnv();

// Console progress (one line per scenario as it finishes) and a machine-readable summary the CLI
// turns into the final one-screen summary, manifest counts and the exit code.

const MARK: Record<ScenarioOutcome['status'], string> = {
  passed: '✔', failed: '✘', skipped: '↷', pending: '?', undefined: '?', ambiguous: '?', unknown: '?',
};

export default class ProgressFormatter extends Formatter {
  static override readonly documentation = 'ers-conformance progress lines and run summary (summary file via formatOptions.summaryFile)';
  private readonly outcomes: ScenarioOutcome[] = [];
  private startedAt = new Date().toISOString();
  private total = 0;
  /** The judge's outcome record per test case attempt (support/evidence.ts). */
  private readonly records = new Map<string, OutcomeRecord>();

  constructor(options: IFormatterOptions) {
    super(options);
    const summaryFile = (options.parsedArgvOptions as { summaryFile?: string }).summaryFile;
    options.eventBroadcaster.on('envelope', (envelope: messages.Envelope) => {
      if (envelope.testRunStarted) this.startedAt = new Date().toISOString();
      if (envelope.testCase) this.total += 1;
      const a = envelope.attachment;
      if (a?.mediaType === OUTCOME_MEDIA_TYPE && a.testCaseStartedId) {
        const rec = parseOutcomeRecord(a.contentEncoding === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body);
        if (rec) this.records.set(a.testCaseStartedId, rec);
      }
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) this.onFinished(envelope.testCaseFinished);
      if (envelope.testRunFinished) this.onRunFinished(envelope.testRunFinished, summaryFile);
    });
  }

  private onFinished(finished: messages.TestCaseFinished): void {
    const attempt = this.eventDataCollector.getTestCaseAttempt(finished.testCaseStartedId);
    const worst = attempt.worstTestStepResult;
    const status = worst.status.toLowerCase() as ScenarioOutcome['status'];
    let durationMs = 0;
    for (const r of Object.values(attempt.stepResults)) durationMs += (r.duration.seconds * 1e9 + r.duration.nanos) / 1e6;
    const outcome: ScenarioOutcome = {
      name: attempt.pickle.name,
      uri: attempt.pickle.uri,
      line: attempt.gherkinDocument.feature ? lineOf(attempt) : undefined,
      examples: exampleValuesOf(attempt),
      tags: attempt.pickle.tags.map((t) => t.name),
      status,
      durationMs: Math.round(durationMs),
    };
    const record = this.records.get(finished.testCaseStartedId);
    this.records.delete(finished.testCaseStartedId);
    if (status === 'failed') {
      outcome.category = record && record.outcome !== 'passed' && record.outcome !== 'not-applicable' && record.outcome !== 'not-verified' ? record.outcome : categorise(worst.exception?.type, worst.exception?.message ?? worst.message);
      outcome.message = firstLines(worst.exception?.message ?? worst.message ?? '', 6);
    }
    if (status === 'skipped' || status === 'undefined' || status === 'pending' || status === 'ambiguous') {
      outcome.message = record?.reason ?? (worst.message ? firstLines(worst.message, 3) : undefined);
    }
    outcome.outcome = record?.outcome ?? outcomeOf(outcome);
    if (record?.reason) outcome.reason = record.reason;
    if (record?.findings?.length) outcome.findings = record.findings;
    if (record?.credentials?.length) outcome.credentials = record.credentials;
    this.outcomes.push(outcome);
    const n = this.outcomes.length;
    const op = outcome.tags.find((t) => /^@A\d{3}$/.test(t))?.slice(1) ?? '';
    const tail = outcome.outcome !== 'passed' ? `  [${outcome.outcome}]` : '';
    const tone = status === 'passed' ? 'pass' : status === 'skipped' ? 'skip' : 'fail';
    this.log(`${paint(tone, MARK[status])} ${String(n).padStart(4)}/${this.total} ${op.padEnd(5)}${outcome.name} ${paint('dim', `(${outcome.durationMs} ms)`)}${paint(tone, tail)}\n`);
    if (outcome.message && status === 'failed') this.log(indent(outcome.message) + '\n');
    else if (status === 'skipped' && outcome.reason) this.log(paint('dim', indent(outcome.reason)) + '\n');
  }

  private onRunFinished(finished: messages.TestRunFinished, summaryFile: string | undefined): void {
    if (!summaryFile) return;
    const summary: RunSummary = {
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      success: finished.success,
      scenarios: this.outcomes,
    };
    mkdirSync(dirname(summaryFile), { recursive: true });
    writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  }
}

/** Without a judge's record (e.g. the run broke in a hook): the outcome from cucumber's own status. */
function outcomeOf(o: ScenarioOutcome): Outcome {
  if (o.status === 'passed') return 'passed';
  if (o.status === 'skipped') return 'not-verified';
  if (o.status === 'failed') return o.category ?? 'harness-error';
  return 'harness-error';
}

function lineOf(attempt: { pickle: messages.Pickle; gherkinDocument: messages.GherkinDocument }): number | undefined {
  const astId = attempt.pickle.astNodeIds.at(-1);
  const feature = attempt.gherkinDocument.feature;
  for (const child of feature?.children ?? []) {
    const scenarios = child.scenario ? [child.scenario] : (child.rule?.children ?? []).flatMap((c) => (c.scenario ? [c.scenario] : []));
    for (const sc of scenarios) {
      if (sc.id === astId) return sc.location.line;
      for (const ex of sc.examples) for (const row of ex.tableBody) if (row.id === astId) return row.location.line;
    }
  }
  return undefined;
}

/** The Examples row values of an outline's pickle (how the Allure reporter tells the rows of one outline apart). */
function exampleValuesOf(attempt: { pickle: messages.Pickle; gherkinDocument: messages.GherkinDocument }): string[] | undefined {
  const rowId = attempt.pickle.astNodeIds[1];
  if (!rowId) return undefined;
  for (const child of attempt.gherkinDocument.feature?.children ?? []) {
    const scenarios = child.scenario ? [child.scenario] : (child.rule?.children ?? []).flatMap((c) => (c.scenario ? [c.scenario] : []));
    for (const sc of scenarios) for (const ex of sc.examples) for (const row of ex.tableBody) if (row.id === rowId) return row.cells.map((c) => c.value);
  }
  return undefined;
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.slice(0, n).join('\n') + (lines.length > n ? `\n… (${lines.length - n} more lines in the report)` : '');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `          ${l}`).join('\n');
}
