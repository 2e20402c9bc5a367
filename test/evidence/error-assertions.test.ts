// The feature lint: a scenario that asserts a documented error status names the answer (its e-RS error code), and
// names codes the catalogue pairs with that status. The suite's own features must pass it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { errorCatalogue } from '../../src/ers/documented-errors.ts';
import { errorAssertionProblems, featureErrorAssertionProblems } from '../../src/evidence/error-assertions.ts';
import { REPO_ROOT } from '../../src/evidence/manifest.ts';
import { REQUIREMENTS_FILE } from '../../src/evidence/requirement-sources.ts';
import { loadRequirements } from '../../src/evidence/requirements.ts';

const requirements = loadRequirements(REQUIREMENTS_FILE);
const catalogue = errorCatalogue();
const noCatalogue = catalogue ? false : 'the e-RS API catalogue (../shared/ers-api/catalogue.json) is not beside the repository';

const feature = (scenario: string): string => `Feature: A005 Retrieve referral request\n\n  @A005\n${scenario}\n`;
/** withCatalogue false: as on a machine without ../shared */
const lint = (scenario: string, withCatalogue = true) => featureErrorAssertionProblems(feature(scenario), 'features/x.feature', requirements, withCatalogue ? catalogue : undefined);

describe('every error status a feature asserts names its answer', () => {
  it('the suite\'s own features (against the catalogue when it is here, else the requirements CSV)', () => {
    assert.deepEqual(errorAssertionProblems(join(REPO_ROOT, 'features'), REPO_ROOT, requirements, catalogue), []);
  });

  it('a status alone, where the catalogue documents codes for it, is a problem naming them', () => {
    const problems = lint(`  Scenario: refused\n    When the caller reads it\n    Then the response status is 403\n`);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^features\/x\.feature:6 "refused" asserts HTTP 403 without naming the answer; the catalogue documents FORBIDDEN, NO_ACCESS for A005/);
  });

  it('the same status with its code, or with its empty body, is not', () => {
    assert.deepEqual(lint(`  Scenario: refused\n    When the caller reads it\n    Then the response status is 403\n    And the response is an OperationOutcome with e-RS error code FORBIDDEN\n`), []);
    assert.deepEqual(lint(`  Scenario: refused\n    When the caller reads it\n    Then the response status is 403\n    And the response body is empty\n`), []);
    assert.deepEqual(lint(`  Scenario: refused\n    When the caller reads it\n    Then the response status is 403 with e-RS error code FORBIDDEN\n`), []);
  });

  it('a status the catalogue documents no code for may stand alone', () => {
    assert.deepEqual(lint(`  Scenario: unknown\n    When the caller reads it\n    Then the response status is 404\n`), []);
  });

  it('the code a later When is answered with does not name an earlier status', () => {
    const problems = lint(`  Scenario: twice\n    When the caller reads it\n    Then the response status is 403\n    When the caller reads it again\n    Then the response is an OperationOutcome with e-RS error code FORBIDDEN\n`);
    assert.equal(problems.length, 1);
  });

  it('each Examples row of an outline is judged with its own status and tags', () => {
    const problems = lint([
      '  Scenario Outline: <why>',
      '    When the caller reads it',
      '    Then the response status is <status>',
      '',
      '    @req=A005-ERR-403-FORBIDDEN',
      '    Examples:',
      '      | why     | status |',
      '      | refused | 403    |',
      '      | missing | 404    |',
    ].join('\n'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /\(Examples row at line 11\) "refused" asserts HTTP 403/);
  });

  it('without the catalogue, codes are not judged against statuses but a missing one still is', () => {
    assert.deepEqual(lint(`  Scenario: wrong\n    When the caller reads it\n    Then the response status is 404\n    And the response is an OperationOutcome with e-RS error code FORBIDDEN\n`, false), []);
    assert.equal(lint(`  Scenario: refused\n    When the caller reads it\n    Then the response status is 403\n`, false).length, 1);
  });

  it('a code the catalogue pairs with another status is a problem', { skip: noCatalogue }, () => {
    const problems = lint(`  Scenario: wrong\n    When the caller reads it\n    Then the response status is 404\n    And the response is an OperationOutcome with e-RS error code FORBIDDEN\n`);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /expects HTTP 404 with FORBIDDEN: HTTP 404 from A005 names FORBIDDEN, which the catalogue gives as the HTTP 403 answer of A005/);
    const listed = lint(`  Scenario: wrong\n    When the caller reads it\n    Then the response status is 422 with e-RS error code SLOT_NOT_AVAILABLE\n`);
    assert.match(listed[0]!, /the catalogue documents HTTP 422 of A005 with PATIENT_ERROR, INVALID_REQUEST_TYPE, NO_RELATIONSHIP/);
  });

  it('"with no documented error code" where the catalogue documents one is a problem', () => {
    const problems = lint(`  Scenario: refused\n    When the caller reads it\n    Then the response status is 403 with no documented error code\n`);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /says HTTP 403 has no documented error code, but the catalogue documents FORBIDDEN, NO_ACCESS for A005/);
  });
});
