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

export type FailureCategory = 'product-defect' | 'profile-violation' | 'environment-fault' | 'harness-error' | 'blocked';

/** Category of a failed step from its exception type and message (as carried in Cucumber messages). */
export function categorise(type: string | undefined, message: string | undefined): FailureCategory {
  if (type === 'EnvironmentFault' || message?.startsWith('Environment fault:')) return 'environment-fault';
  if (type === 'Blocked' || message?.startsWith('Blocked:')) return 'blocked';
  if (type === 'AssertionError' || type === 'AssertionError [ERR_ASSERTION]') {
    return message?.startsWith('Profile violation:') ? 'profile-violation' : 'product-defect';
  }
  return 'harness-error';
}

export const FAILURE_CATEGORIES: readonly FailureCategory[] = ['product-defect', 'profile-violation', 'environment-fault', 'harness-error', 'blocked'];

/** How each category is titled in the report, the JUnit file and the SCAL matrix. */
export const CATEGORY_TITLES: Record<FailureCategory, string> = {
  'product-defect': 'Product defect',
  'profile-violation': 'Profile violation',
  'environment-fault': 'Environment fault',
  'harness-error': 'Harness error',
  blocked: 'Blocked (preparation failed)',
};

/**
 * Category of an Allure result that did not pass: the label the After hook recorded, or else the same
 * rules from status and message (allure marks assertion errors "failed" and every other error "broken").
 */
export function categoriseResult(status: string, rawMessage: string | undefined, labelled?: string): FailureCategory {
  if (labelled && (FAILURE_CATEGORIES as readonly string[]).includes(labelled)) return labelled as FailureCategory;
  // Allure keeps cucumber's rendering, which may start with the error type: "EnvironmentFault: Environment fault: …".
  const message = rawMessage?.replace(/^[A-Za-z]*(Error|Fault)( \[[A-Z_]+\])?: /, '');
  if (message?.startsWith('Environment fault:')) return 'environment-fault';
  if (message?.startsWith('Blocked')) return 'blocked';
  if (status === 'failed') return message?.startsWith('Profile violation:') ? 'profile-violation' : 'product-defect';
  return 'harness-error';
}
