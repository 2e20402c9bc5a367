import assert from 'node:assert/strict';
import { attachment } from 'allure-js-commons';
import { errorCatalogue, errorResponseProblems, type ErrorExpectation } from '../src/ers/documented-errors.ts';
import type { Exchange } from '../src/http/exchange.ts';
import type { ErsWorld } from './world.ts';

// Every step that asserts an error answer also holds it to the row the e-RS API catalogue documents for it
// (src/ers/documented-errors.ts): what the scenario names, it asserts itself; the rest comes from here.

const NOTED = 'documented-errors: catalogue note attached';

/** Fails the step (a product failure) when the error answer disagrees with the catalogue; notes once when there is no catalogue. */
export async function assertAsDocumented(world: ErsWorld, exchange: Exchange, expect: Omit<ErrorExpectation, 'skipGist'> = {}): Promise<void> {
  const response = exchange.response;
  if (!response || response.status < 400) return;
  const catalogue = errorCatalogue();
  if (!catalogue) {
    if (!world.named.has(NOTED)) {
      world.named.set(NOTED, true);
      await attachment(
        'Error answers not checked against the e-RS API catalogue',
        'The e-RS API catalogue (../shared/ers-api/catalogue.json) is not beside the repository, so this scenario\'s error answers were checked only for what its steps name (status, and code where named): not for the documented status and code pairing, issue type, OperationOutcome shape or diagnostics.',
        'text/plain',
      );
    }
    return;
  }
  // the NHS sandbox answers fixed example files whose diagnostics are placeholders (catalogue 11)
  const problems = errorResponseProblems(
    catalogue,
    { operation: exchange.operation, method: exchange.request.method, status: response.status, json: response.body.json, text: response.body.text },
    { ...expect, skipGist: world.run.target.name === 'sandbox' },
  );
  if (problems.length) assert.fail(`the HTTP ${response.status} answer is not the one the e-RS API catalogue documents:\n  - ${problems.join('\n  - ')}`);
}
