import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { TargetName } from '../config/index.ts';

/** Raised when the target's fixture file has no data for an intent: the scenario is skipped, with this reason. */
export class MissingIntentError extends Error {
  constructor(readonly intent: string, readonly target: string, readonly file: string) {
    super(`the ${target} target has no data for intent "${intent}" (add it to ${file} to run this scenario)`);
    this.name = 'MissingIntentError';
  }
}

export interface Fixtures {
  readonly file: string;
  /** The value for a dotted intent key, e.g. "referrals.unbooked"; throws MissingIntentError. */
  get<T = unknown>(intent: string): T;
  has(intent: string): boolean;
}

const BUILT_IN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The built-in fixture file for the simulator and the NHS sandbox; the user's file for int/url. */
export function fixtureFileFor(target: TargetName, configured: string | undefined): string {
  if (configured) return configured;
  if (target === 'simulator' || target === 'sandbox') return join(BUILT_IN_DIR, `${target}.yaml`);
  throw new Error(`the ${target} target needs ERS_FIXTURES (your test data by intent; see README)`);
}

export function loadFixtures(target: TargetName, file: string): Fixtures {
  if (!existsSync(file)) throw new Error(`fixture file ${file} does not exist: create it or fix ERS_FIXTURES`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`fixture file ${file} is not valid YAML: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object') throw new Error(`fixture file ${file} must hold a YAML mapping of intents`);
  const lookup = (intent: string): unknown =>
    intent.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
  return {
    file,
    has: (intent) => lookup(intent) !== undefined && lookup(intent) !== null,
    get<T>(intent: string): T {
      const value = lookup(intent);
      if (value === undefined || value === null) throw new MissingIntentError(intent, target, file);
      return value as T;
    },
  };
}
