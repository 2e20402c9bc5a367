// Platform behaviour from a file (serve --faults FILE): rate limit and fault rules, validated with errors that name the fix.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { validateFaultRule, type FaultRule } from './faults.ts';
import { validateRateLimit, type RateLimitConfig } from './rate-limit.ts';
import { loadDefaultSeed } from './seed/index.ts';
import type { SeedData } from './seed/types.ts';

export interface PlatformConfig {
  rateLimit?: RateLimitConfig;
  faults: FaultRule[];
}

/**
 * Reads a YAML (or JSON) file shaped like:
 *   rateLimit: { requestsPerSecond: 10, burst: 20 }
 *   faults:
 *     - { operation: A005, status: 503, retryAfterSeconds: 2, count: 3 }
 *     - { operation: '*', latencyMs: 250, always: true }
 */
export function loadPlatformConfig(file: string): PlatformConfig {
  const data = readMapping(file, 'fault/rate-limit file');
  const unknown = Object.keys(data).filter((k) => k !== 'rateLimit' && k !== 'faults');
  if (unknown.length) throw new Error(`${file}: unknown key(s) ${unknown.join(', ')}; the file holds rateLimit and faults`);
  const out: PlatformConfig = { faults: [] };
  if (data.rateLimit !== undefined && data.rateLimit !== null) {
    try {
      validateRateLimit(data.rateLimit as RateLimitConfig);
    } catch (err) {
      throw new Error(`${file}: rateLimit: ${(err as Error).message}`);
    }
    out.rateLimit = data.rateLimit as RateLimitConfig;
  }
  if (data.faults !== undefined && data.faults !== null) {
    if (!Array.isArray(data.faults)) throw new Error(`${file}: faults must be a list of rules ({operation, status|latencyMs|reset, ...})`);
    data.faults.forEach((rule, i) => {
      try {
        validateFaultRule(rule as FaultRule);
      } catch (err) {
        throw new Error(`${file}: faults[${i}]: ${(err as Error).message}`);
      }
      out.faults.push(rule as FaultRule);
    });
  }
  return out;
}

/** A seed file replaces whole sections of the built-in seed (e.g. only `patients` and `referrals`); the rest stay built in. */
export function loadSeedFile(file: string): SeedData {
  const data = readMapping(file, 'seed file');
  const seed = loadDefaultSeed();
  // Every section the built-in seed has (optional ones included), so new seed sections need no change here.
  const sections = [...new Set([...Object.keys(seed), 'documents'])];
  const unknown = Object.keys(data).filter((k) => !sections.includes(k));
  if (unknown.length) throw new Error(`${file}: unknown seed section(s) ${unknown.join(', ')}; sections: ${sections.join(', ')}`);
  for (const key of sections) {
    if (data[key] === undefined) continue;
    if (typeof data[key] !== 'object' || data[key] === null) {
      throw new Error(`${file}: ${key} must have the same shape as src/simulator/seed (a list or mapping)`);
    }
    (seed as unknown as Record<string, unknown>)[key] = data[key];
  }
  return seed;
}

function readMapping(file: string, what: string): Record<string, unknown> {
  if (!existsSync(file)) throw new Error(`${what} ${file} does not exist: check the path`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${what} ${file} is not valid YAML or JSON: ${(err as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${what} ${file} must hold a mapping at the top level`);
  return data as Record<string, unknown>;
}
