import type { FailureCategory } from './errors.ts';
import type { Outcome } from './outcome.ts';

/** One scenario's outcome as the progress formatter records it for the CLI. */
export interface ScenarioOutcome {
  name: string;
  uri: string;
  line: number | undefined;
  tags: string[];
  /** For a Scenario Outline row: the row's cell values, in order. */
  examples?: string[];
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'undefined' | 'ambiguous' | 'unknown';
  category?: FailureCategory;
  message?: string;
  /** What the scenario proved (the judge's record); always set by the progress formatter. */
  outcome?: Outcome;
  /** Why it was skipped, or what failed, in one line. */
  reason?: string;
  /** Profile and contract findings recorded during the scenario. */
  findings?: string[];
  /** Access modes whose credential the scenario's calls really carried. */
  credentials?: string[];
  durationMs: number;
}

export interface RunSummary {
  startedAt: string;
  finishedAt: string;
  success: boolean;
  /** Set when the run was stopped (SIGINT/SIGTERM) before cucumber finished. */
  interrupted?: boolean;
  scenarios: ScenarioOutcome[];
}
