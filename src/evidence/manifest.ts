import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FailureCategory } from './errors.ts';

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
}

export interface Manifest {
  tool: 'ers-conformance';
  harnessVersion: string;
  gitRevision: string;
  node: string;
  target: string;
  baseUrl: string;
  tags: string;
  parallel: number;
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
