// Prepared request bodies by intent (requests.<operation>.<name>): whole documented requests a target answers as is.
// The NHS sandbox only answers bodies deep-equal to its own examples, so its fixture names those example files;
// the simulator's fixture names equivalent bodies built from its seed. See docs/targets.md.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Fixtures } from './fixtures.ts';
import { TargetCannotRunError } from './index.ts';

/** Where the sandbox's example files are: a checkout of NHSDigital/e-referrals-service-api `sandbox/src/mocks`. */
export const SANDBOX_EXAMPLES_ENV = 'ERS_SANDBOX_EXAMPLES';

export interface PreparedRequest {
  body: unknown;
  /** where the body came from, for the report */
  source: string;
}

type Spec = { file?: string; example?: string; body?: unknown };

export function preparedRequest(fixtures: Fixtures, intent: string, env: NodeJS.ProcessEnv = process.env): PreparedRequest {
  const spec = fixtures.get<Spec>(intent);
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new Error(`intent "${intent}" in ${fixtures.file} must be {file: PATH}, {example: PATH} or {body: ...}`);
  }
  if (spec.body !== undefined) return { body: structuredClone(spec.body), source: `${fixtures.file} (${intent})` };
  if (spec.file) return readJson(isAbsolute(spec.file) ? spec.file : resolve(dirname(fixtures.file), spec.file), intent, fixtures.file);
  if (spec.example) {
    const dir = env[SANDBOX_EXAMPLES_ENV];
    if (!dir) {
      throw new TargetCannotRunError(
        `this scenario sends the NHS sandbox's documented example request ${spec.example}, which the harness does not ship: set ${SANDBOX_EXAMPLES_ENV} to a checkout of NHSDigital/e-referrals-service-api sandbox/src/mocks (docs/targets.md)`,
      );
    }
    return readJson(join(dir, spec.example), intent, fixtures.file);
  }
  throw new Error(`intent "${intent}" in ${fixtures.file} names no body: give file, example or body`);
}

function readJson(path: string, intent: string, fixtureFile: string): PreparedRequest {
  if (!existsSync(path)) throw new Error(`intent "${intent}" in ${fixtureFile} names ${path}, which does not exist: fix the path (or ${SANDBOX_EXAMPLES_ENV})`);
  try {
    return { body: JSON.parse(readFileSync(path, 'utf8')), source: path };
  } catch (err) {
    throw new Error(`${path} (intent "${intent}") is not JSON: ${(err as Error).message}`);
  }
}
