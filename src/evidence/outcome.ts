// What a scenario proved, in one word a reviewer can act on. A verdict claims only what was proven:
// - passed: its behaviour assertions held and its messages met their profiles;
// - product-defect / profile-violation / environment-fault / harness-error: failed, for that cause;
// - blocked: preparing the scenario failed (reading a referral before a refused write, finding a slot):
//   the requirement under test was not reached, so it is neither passed nor failed;
// - not-applicable: the target cannot do what the scenario needs (fault injection on INT) — nothing is owed;
// - not-verified: data, a driver or credentials were missing — the requirement stays open.
// Code in src/ raises NotApplicable / NotVerified; steps call world.notApplicable / notVerified / prepare.
import type { FailureCategory } from './errors.ts';

export type SkipKind = 'not-applicable' | 'not-verified';
export type Outcome = 'passed' | FailureCategory | SkipKind;

export const OUTCOMES: readonly Outcome[] = ['passed', 'product-defect', 'profile-violation', 'environment-fault', 'harness-error', 'blocked', 'not-applicable', 'not-verified'];

/** Media type of the record the judge attaches to every scenario; the formatter, JUnit, matrix and report read it. */
export const OUTCOME_MEDIA_TYPE = 'application/vnd.ers-conformance.outcome+json';

export interface OutcomeRecord {
  outcome: Outcome;
  /** One line: why (for skips) or what failed (for failures). */
  reason?: string;
  /** Profile and contract findings recorded during the scenario (listed with a product defect, or the cause of a profile violation). */
  findings?: string[];
  /** Access modes whose credential the scenario's calls really carried. */
  credentials?: string[];
}

export const OUTCOME_TITLES: Record<Outcome, string> = {
  passed: 'Passed',
  'product-defect': 'Product defect',
  'profile-violation': 'Profile violation',
  'environment-fault': 'Environment fault',
  'harness-error': 'Harness error',
  blocked: 'Blocked (preparation failed)',
  'not-applicable': 'Not applicable',
  'not-verified': 'Not verified',
};

/** The target cannot do what the scenario needs; the scenario is skipped and owes nothing. */
export class NotApplicable extends Error {
  readonly kind: SkipKind = 'not-applicable';
  constructor(message: string) {
    super(message);
    this.name = 'NotApplicable';
  }
}

/** Data, a driver or credentials are missing; the scenario is skipped and its requirement stays open. */
export class NotVerified extends Error {
  readonly kind: SkipKind = 'not-verified';
  constructor(message: string) {
    super(message);
    this.name = 'NotVerified';
  }
}

/** Preparing the scenario failed: the requirement under test was never reached. */
export class Blocked extends Error {
  constructor(message: string) {
    super(`Blocked: ${message}`);
    this.name = 'Blocked';
  }
}

/** Whether an error means "skip, with this kind and reason" rather than a failure. */
export function skipKindOf(err: unknown): SkipKind | undefined {
  if (err instanceof NotApplicable || err instanceof NotVerified) return err.kind;
  if (err instanceof Error && (err.name === 'NotApplicable' || err.name === 'MissingIntentError')) return err.name === 'NotApplicable' ? 'not-applicable' : 'not-verified';
  return undefined;
}

/** The outcome record from an attachment body; undefined when it is not one. */
export function parseOutcomeRecord(body: string): OutcomeRecord | undefined {
  try {
    const rec = JSON.parse(body) as OutcomeRecord;
    return rec && (OUTCOMES as readonly string[]).includes(rec.outcome) ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** Skip reasons grouped: reason → count, most frequent first (console, manifest). */
export function groupReasons(items: readonly { outcome: Outcome; reason?: string }[], kind: SkipKind): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const i of items) if (i.outcome === kind) counts.set(i.reason ?? '(no reason given)', (counts.get(i.reason ?? '(no reason given)') ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
