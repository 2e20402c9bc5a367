// The run's verdict: one exit code and one line a person reads first. Harness errors always fail the run
// (exit 2: the evidence cannot be trusted); product defects and profile violations always fail it (exit 1);
// environment faults fail it unless a threshold allows some (nightly INT runs share a rate-limited platform).
import type { Counts } from './manifest.ts';

export interface Thresholds {
  /** Environment faults tolerated before the run fails (0 = none). */
  environmentFaults: number;
  /** True when an empty selection is legitimate (a shard may receive no scenario). */
  emptyAllowed?: boolean;
  /** Supplier mode: a scenario left not verified (skipped) means the run proved less than it claims. */
  notVerifiedIsIncomplete?: boolean;
}

export interface Verdict {
  exitCode: 0 | 1 | 2;
  text: string;
}

export function verdictOf(counts: Counts, thresholds: Thresholds, ran: boolean): Verdict {
  if (!ran) return { exitCode: 2, text: 'NOT RUN — cucumber did not run the suite (harness or configuration error)' };
  // Nothing selected is a mistake in the selection, not a pass (an empty shard of a small suite excepted).
  if (counts.scenarios === 0 && !thresholds.emptyAllowed) return { exitCode: 2, text: 'NOTHING RUN — no scenario matched the tag expression; check ERS_TAGS / --tags' };
  const c = counts.byCategory;
  if (c['harness-error'] > 0) {
    return { exitCode: 2, text: `HARNESS ERROR — ${c['harness-error']} scenario(s) failed inside the harness; the run is no verdict on the target` };
  }
  const conformance = c['product-defect'] + c['profile-violation'];
  if (conformance > 0) {
    return { exitCode: 1, text: `FAILED — ${c['product-defect']} product defect(s), ${c['profile-violation']} profile violation(s)${c['environment-fault'] ? `, ${c['environment-fault']} environment fault(s)` : ''}` };
  }
  const env = c['environment-fault'];
  if (env > thresholds.environmentFaults) {
    return { exitCode: 1, text: `FAILED — ${env} environment fault(s), more than the ${thresholds.environmentFaults} allowed (ERS_THRESHOLD_ENVIRONMENT_FAULTS)` };
  }
  // A supplier run with anything not verified is never PASSED (driver unsupported, witness skip, missing data).
  if (thresholds.notVerifiedIsIncomplete && counts.skipped > 0) {
    return { exitCode: 1, text: `INCOMPLETE — ${counts.skipped} scenario(s) not verified, ${counts.passed} passed; the supplier's system is not shown conformant until every scenario is verified` };
  }
  if (env > 0) return { exitCode: 0, text: `PASSED with ${env} environment fault(s), within the ${thresholds.environmentFaults} allowed (ERS_THRESHOLD_ENVIRONMENT_FAULTS)` };
  return { exitCode: 0, text: `PASSED — ${counts.passed} scenario(s) passed${counts.skipped ? `, ${counts.skipped} skipped` : ''}` };
}
