// Supplier mode's outcomes beyond pass/fail, kept in one place so they can move to the shared outcome
// model (issue 9) in one edit: NotVerified (the scenario proved nothing: driver unsupported, witness
// skip) and EnvironmentFault (the system under test's driver broke: not a product defect).
// Today NotVerified is reported as a skipped scenario with the reason (support/world.ts isSkipReason);
// EnvironmentFault is the harness's existing environment-fault category.
import { EnvironmentFault } from '../evidence/errors.ts';
import type { DriverAnswer } from './contract.ts';

export { EnvironmentFault };

/** The scenario could not be verified; never a pass. The reason is shown in every output. */
export class NotVerified extends Error {
  constructor(reason: string) {
    super(`Not verified: ${reason}`);
    this.name = 'NotVerified';
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
