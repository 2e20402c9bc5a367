import type { FailureCategory } from './errors.ts';

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
  durationMs: number;
}

export interface RunSummary {
  startedAt: string;
  finishedAt: string;
  success: boolean;
  scenarios: ScenarioOutcome[];
}
