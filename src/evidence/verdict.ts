// The run's verdict: one exit code and one line a person reads first. It claims only what was proven:
// harness errors, an interrupted run and a run that verified nothing are exit 2 (no verdict on the target);
// product defects and profile violations are exit 1; environment faults are exit 1 unless a threshold allows
// some (nightly INT runs share a rate-limited platform); blocked scenarios and requirements left not verified
// keep the run from being PASSED (exit 1).
import type { Counts } from './manifest.ts';

export interface Thresholds {
  /** Environment faults tolerated before the run fails (0 = none). */
  environmentFaults: number;
  /** True when an empty selection is legitimate (a shard may receive no scenario). */
  emptyAllowed?: boolean;
  /** Supplier mode: a scenario left not verified (skipped) means the run proved less than it claims. */
  anyNotVerifiedFails?: boolean;
}

export interface Verdict {
  exitCode: 0 | 1 | 2;
  text: string;
}

export interface VerdictFacts {
  /** cucumber ran the suite (a summary exists) */
  ran: boolean;
  /** the run was stopped before it finished (SIGINT/SIGTERM), or its results have no complete manifest */
  interrupted?: boolean;
  /** requirements whose every selected scenario was not verified or blocked (none passed) */
  unverifiedRequirements?: readonly string[];
}

export function verdictOf(counts: Counts, thresholds: Thresholds, facts: VerdictFacts | boolean): Verdict {
  const f: VerdictFacts = typeof facts === 'boolean' ? { ran: facts } : facts;
  if (f.interrupted) return { exitCode: 2, text: `INCOMPLETE — the run was stopped before it finished (${counts.scenarios} scenario(s) recorded); these results prove nothing about the scenarios not run` };
  if (!f.ran) return { exitCode: 2, text: 'NOT RUN — cucumber did not run the suite (harness or configuration error)' };
  // Nothing selected is a mistake in the selection, not a pass (an empty shard of a small suite excepted).
  if (counts.scenarios === 0 && !thresholds.emptyAllowed) return { exitCode: 2, text: 'NOTHING RUN — no scenario matched the tag expression; check --tags / ERS_TAGS (the banner shows the expression run)' };
  const c = counts.byCategory;
  if (c['harness-error'] > 0) {
    return { exitCode: 2, text: `HARNESS ERROR — ${c['harness-error']} scenario(s) failed inside the harness; the run is no verdict on the target` };
  }
  const conformance = c['product-defect'] + c['profile-violation'];
  const env = c['environment-fault'];
  if (conformance > 0) {
    return { exitCode: 1, text: `FAILED — ${c['product-defect']} product defect(s), ${c['profile-violation']} profile violation(s)${env ? `, ${env} environment fault(s)` : ''}` };
  }
  if (env > thresholds.environmentFaults) {
    return { exitCode: 1, text: `FAILED — ${env} environment fault(s), more than the ${thresholds.environmentFaults} allowed (ERS_THRESHOLD_ENVIRONMENT_FAULTS)` };
  }
  const o = counts.byOutcome ?? {};
  if (counts.passed === 0 && counts.scenarios > 0) {
    const why = [o['not-applicable'] && `${o['not-applicable']} not applicable`, o['not-verified'] && `${o['not-verified']} not verified`, c.blocked && `${c.blocked} blocked`, env && `${env} environment fault(s)`].filter(Boolean).join(', ');
    return { exitCode: 2, text: `NOTHING VERIFIED — no scenario passed (${why || `${counts.skipped} skipped`}); this run is no evidence of conformance` };
  }
  // A supplier run with anything not verified is never PASSED (driver unsupported, witness skip, missing data).
  // "not applicable" (with its justification, e.g. fault injection on INT through the recording proxy) is not "not verified"
  const notVerified = counts.byOutcome ? counts.skipped - (o['not-applicable'] ?? 0) : counts.skipped;
  if (thresholds.anyNotVerifiedFails && notVerified > 0) {
    return { exitCode: 1, text: `NOT PASSED — ${notVerified} scenario(s) not verified, ${counts.passed} passed; the supplier's system is not shown conformant until every scenario is verified` };
  }
  const unverified = f.unverifiedRequirements ?? [];
  if (c.blocked > 0 || unverified.length > 0) {
    const parts = [c.blocked && `${c.blocked} scenario(s) blocked (their preparation failed)`, unverified.length && `${unverified.length} requirement(s) not verified (${unverified.slice(0, 5).join(', ')}${unverified.length > 5 ? ', …' : ''})`].filter(Boolean);
    return { exitCode: 1, text: `NOT PASSED — ${counts.passed} passed, but ${parts.join(' and ')}; see the skip reasons` };
  }
  if (env > 0) return { exitCode: 0, text: `PASSED with ${env} environment fault(s), within the ${thresholds.environmentFaults} allowed (ERS_THRESHOLD_ENVIRONMENT_FAULTS)` };
  const skipped = [o['not-applicable'] && `${o['not-applicable']} not applicable`, o['not-verified'] && `${o['not-verified']} not verified`].filter(Boolean).join(', ');
  return { exitCode: 0, text: `PASSED — ${counts.passed} scenario(s) passed${skipped ? `, ${skipped}` : counts.skipped ? `, ${counts.skipped} skipped` : ''}` };
}

/** Requirements (@req= tags) that some not-verified or blocked scenario covers and no passed scenario does. */
export function unverifiedRequirements(scenarios: readonly { outcome?: string; tags: readonly string[] }[]): string[] {
  const reqs = (tags: readonly string[]): string[] => tags.filter((t) => t.startsWith('@req=')).map((t) => t.slice(5));
  const passed = new Set(scenarios.filter((s) => s.outcome === 'passed').flatMap((s) => reqs(s.tags)));
  const open = new Set(scenarios.filter((s) => s.outcome === 'not-verified' || s.outcome === 'blocked').flatMap((s) => reqs(s.tags)));
  return [...open].filter((r) => !passed.has(r)).sort();
}
