import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workersFor } from '../../src/cli/cucumber-process.ts';

// A worker process loads all the support code again (TypeScript, steps, a key pair, a simulator): a run never
// starts more workers than it has scenarios, and one scenario or --parallel 1 runs in cucumber's own process.
test('workers: none for one scenario or one worker, otherwise no more than the scenarios', () => {
  assert.equal(workersFor(2, 1), 0);
  assert.equal(workersFor(2, 0), 0);
  assert.equal(workersFor(1, 500), 0);
  assert.equal(workersFor(4, 3), 3);
  assert.equal(workersFor(2, 700), 2);
});
