// The three ways a scenario can go wrong, kept apart all the way to the report and exit code:
// - AssertionError (node:assert): the product did not do what the e-RS documentation says → product defect;
// - EnvironmentFault: the target could not be tested (429, 5xx not asked for, timeouts, connection errors);
// - anything else: a harness error (our bug or bad configuration).

export class EnvironmentFault extends Error {
  constructor(message: string) {
    super(`Environment fault: ${message}`);
    this.name = 'EnvironmentFault';
  }
}

export type FailureCategory = 'product-defect' | 'profile-violation' | 'environment-fault' | 'harness-error';

/** Category of a failed step from its exception type and message (as carried in Cucumber messages). */
export function categorise(type: string | undefined, message: string | undefined): FailureCategory {
  if (type === 'EnvironmentFault' || message?.startsWith('Environment fault:')) return 'environment-fault';
  if (type === 'AssertionError' || type === 'AssertionError [ERR_ASSERTION]') {
    return message?.startsWith('Profile violation:') ? 'profile-violation' : 'product-defect';
  }
  return 'harness-error';
}
