import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FailureCategory } from './errors.ts';
import type { Outcome } from './outcome.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The git revision of the harness itself, with "-dirty" when it has uncommitted changes. */
export function gitRevision(cwd = REPO_ROOT): string {
  try {
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty ? `${rev}-dirty` : rev;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export interface Counts {
  scenarios: number;
  passed: number;
  failed: number;
  skipped: number;
  other: number;
  byCategory: Record<FailureCategory, number>;
  /** Every scenario by what it proved (passed, each failure cause, blocked, not applicable, not verified). */
  byOutcome?: Partial<Record<Outcome, number>>;
}

export interface Manifest {
  tool: 'ers-conformance';
  harnessVersion: string;
  gitRevision: string;
  node: string;
  target: string;
  baseUrl: string;
  /** The tag expression the user gave. */
  tags: string;
  /** The tag expression actually run (the sandbox target adds @sandbox). */
  effectiveTags?: string;
  parallel: number;
  /** This runner's shard, "i/n", when sharded. */
  shard?: string;
  /** False when the run was stopped before it finished: its results are INCOMPLETE. */
  complete?: boolean;
  /** Skip reasons grouped, most frequent first. */
  skipReasons?: { notApplicable: { reason: string; count: number }[]; notVerified: { reason: string; count: number }[] };
  /** Requirements left open: covered only by not-verified or blocked scenarios. */
  unverifiedRequirements?: string[];
  /** Checks made before any scenario (target reachable, speaks e-RS, credentials get a token). */
  preflight?: { name: string; ok: boolean; detail: string }[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Access modes the run could use and FHIR packages the validator had (environment of the evidence). */
  accessModes?: string;
  fhirPackages?: string;
  counts: Counts;
  thresholds?: { environmentFaults: number };
  /** One line: PASSED / FAILED / HARNESS ERROR and why. */
  verdict?: string;
  exitCode: number;
  outputs: Record<string, string>;
}
