import { Given as CGiven, Then as CThen, When as CWhen } from '@cucumber/cucumber';
import type { ErsWorld } from './world.ts';
import { skipFor } from './world.ts';

// Step definitions register through these so that a target without the data or ability a step needs
// skips the scenario with the reason in the report, instead of failing it as a harness error.
type StepBody = (this: ErsWorld, ...args: any[]) => unknown;

function skippable(body: StepBody): StepBody {
  const wrapped = async function (this: ErsWorld, ...args: unknown[]): Promise<unknown> {
    try {
      return await body.apply(this, args);
    } catch (err) {
      const skipped = skipFor(this, err);
      if (skipped) return skipped;
      throw err;
    }
  };
  // Cucumber checks the declared parameter count against the step text; keep it.
  Object.defineProperty(wrapped, 'length', { value: body.length });
  return wrapped;
}

export const Given = (pattern: string | RegExp, body: StepBody): void => CGiven<ErsWorld>(pattern, skippable(body) as never);
export const When = (pattern: string | RegExp, body: StepBody): void => CWhen<ErsWorld>(pattern, skippable(body) as never);
export const Then = (pattern: string | RegExp, body: StepBody): void => CThen<ErsWorld>(pattern, skippable(body) as never);
