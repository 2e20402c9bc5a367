// Supplier mode's outcomes beyond pass/fail, on the shared outcome model (src/evidence/outcome.ts):
// NotVerified (the scenario proved nothing: driver unsupported, witness skip), judged not verified and
// shown with its reason everywhere, and EnvironmentFault (the system under test's driver broke: not a
// product defect).
import { EnvironmentFault } from '../evidence/errors.ts';
import { NotVerified as OutcomeNotVerified } from '../evidence/outcome.ts';
import type { DriverAnswer } from './contract.ts';

export { EnvironmentFault };

/** The scenario could not be verified; never a pass. The reason is shown in every output. */
export class NotVerified extends OutcomeNotVerified {
  constructor(reason: string) {
    super(`Not verified: ${reason}`);
  }
}

/** The driver of the system under test failed to carry out an action: an environment fault, not a product defect. */
export function driverFault(reason: string): EnvironmentFault {
  return new EnvironmentFault(`the system under test's driver failed: ${reason}`);
}

/** Ends the scenario unless the driver did the action: unsupported → not verified, failed → environment fault. */
export function requireDone(answer: DriverAnswer, action: string): void {
  if (answer.status === 'done') return;
  const why = answer.reason ? `: ${answer.reason}` : '';
  if (answer.status === 'unsupported') throw new NotVerified(`the driver does not support ${action}${why}`);
  throw driverFault(`${action} failed${why}`);
}

export function isNotVerified(err: unknown): err is NotVerified {
  return err instanceof Error && err.name === 'NotVerified';
}

/**
 * Why a scenario does not apply to the system under test, when it does not: a @referrer or @provider scenario for a
 * system whose driver declared its actions (system.describe) and none of that side's — a PAS is not judged as a GP
 * system, nor a GP system as a PAS. Undeclared actions decide nothing (the scenario runs; unsupported is not verified).
 */
export function sideNotApplicable(tags: string[], declared: string[] | undefined): string | undefined {
  const side = tags.includes('@provider') ? 'provider' : tags.includes('@referrer') ? 'referrer' : undefined;
  if (!side || !declared || declared.some((a) => a.startsWith(`${side}.`))) return undefined;
  return `the system under test declares no ${side} action (system.describe actions: ${declared.join(', ') || 'none'}): the ${side} scenarios judge ${side === 'provider' ? 'a PAS' : 'a GP (referrer) system'}`;
}
