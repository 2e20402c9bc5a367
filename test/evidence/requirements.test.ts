import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCsv, toCsv } from '../../src/evidence/csv.ts';
import { computeCoverage, unknownRequirementTags, unknownScalReferences } from '../../src/evidence/coverage.ts';
import { CROSS_CUTTING_FILE, loadCrossCuttingRules, REQUIREMENTS_FILE } from '../../src/evidence/requirement-sources.ts';
import { generateRequirements, loadRequirements, parseRequirementsCsv, parseScalMap, requirementsToCsv, type Catalogue } from '../../src/evidence/requirements.ts';
import { scenariosOf } from '../../src/evidence/scenarios.ts';
import { compileTagExpression } from '../../src/evidence/tag-match.ts';

// A catalogue in miniature with the shapes that decide ids: a code under two statuses, code-less statuses,
// the STU3 empty-body 401/403 variants, and a platform endpoint that needs a person.
const CATALOGUE: Catalogue = {
  meta: { counts: { apiOperations: 1, errorResponseEntries: 6 } },
  errorCodeMeanings: { NO_ACCESS: 'the proxy refused the caller', REFERENCE_NOT_FOUND: 'a referenced thing cannot be resolved' },
  endpoints: [
    {
      id: 'A011', opKey: 'A011', name: 'Create referral', method: 'POST', path: '/STU3/ReferralRequest/$ers.createReferral',
      accessModes: ['user-restricted (CIS2)'], businessFunctions: ['REFERRING_CLINICIAN'],
      responses: [
        { status: 201, errorCodes: [], resourceType: 'ReferralRequest', when: 'Created.' },
        { status: 401, errorCodes: ['NO_ACCESS'], when: 'Missing token -> 401 with EMPTY body and WWW-Authenticate.', generic: true },
        { status: 403, errorCodes: ['FORBIDDEN', 'NO_ACCESS'], when: 'Not authorised. App-restricted call carrying x-ers-ods-code -> 403 empty body.', generic: true },
        { status: 406, errorCodes: [], resourceType: 'text/plain;charset=utf-8', when: 'Not acceptable.', generic: true },
        { status: 422, errorCodes: ['REFERENCE_NOT_FOUND'], when: 'Business errors.' },
        { status: 429, errorCodes: [], when: 'Rate limited.', generic: true },
      ],
    },
    {
      id: 'AUTH-AUTHORIZE', opKey: 'AUTH-AUTHORIZE', name: 'OAuth2 authorize', method: 'GET', path: 'https://x/oauth2/authorize',
      accessModes: ['user-restricted (CIS2)'],
      responses: [{ status: 302, errorCodes: [], when: 'Redirect.' }, { status: 400, errorCodes: [], when: 'invalid request' }],
    },
  ],
};

test('generated ids follow the convention the features already use', () => {
  const ids = generateRequirements(CATALOGUE, []).map((r) => r.id);
  assert.deepEqual(ids, [
    'A011-OP',
    'A011-ERR-HTTP401', // the empty-body variant of 401
    'A011-ERR-401-NO_ACCESS', // NO_ACCESS is under 401 and 403: the status goes in the id
    'A011-ERR-HTTP403',
    'A011-ERR-403-FORBIDDEN', // a sibling of a qualified code is qualified too
    'A011-ERR-403-NO_ACCESS',
    'A011-ERR-HTTP406',
    'A011-ERR-REFERENCE_NOT_FOUND',
    'A011-ERR-HTTP429',
    'AUTH-AUTHORIZE-OP',
    'AUTH-AUTHORIZE-ERR-HTTP400',
  ]);
});

test('rows say what is checked, where it comes from, and why a row cannot be tested', () => {
  const rows = generateRequirements(CATALOGUE, []);
  const nf = rows.find((r) => r.id === 'A011-ERR-REFERENCE_NOT_FOUND')!;
  assert.equal(nf.status, '422');
  assert.equal(nf.errorCode, 'REFERENCE_NOT_FOUND');
  assert.equal(nf.tags, '@req=A011-ERR-REFERENCE_NOT_FOUND');
  assert.match(nf.statement, /HTTP 422 with error code REFERENCE_NOT_FOUND when a referenced thing cannot be resolved/);
  assert.match(rows.find((r) => r.id === 'A011-ERR-HTTP406')!.statement, /plain-text body/);
  assert.equal(rows.find((r) => r.id === 'A011-ERR-HTTP406')!.section, '2 A011; 6');
  assert.match(rows.find((r) => r.id === 'AUTH-AUTHORIZE-ERR-HTTP400')!.notTestable, /interactive NHS CIS2 login/);
  assert.equal(rows.find((r) => r.id === 'A011-OP')!.notTestable, '');
});

test('a cross-cutting rule that collides with a generated id is refused', () => {
  assert.throws(() => generateRequirements(CATALOGUE, [{ id: 'A011-OP', section: '4', kind: 'header', statement: 'x' }]), /collides/);
  const [rule] = generateRequirements(CATALOGUE, [{ id: 'X-1', section: '4', kind: 'header', statement: 'x', covers: '@req=*-ERR-HTTP412 or @a' }]).slice(-1);
  assert.equal(rule!.tags, '@req=X-1 or (@req=*-ERR-HTTP412 or @a)');
});

test('the CSV round-trips, including commas, quotes and newlines', () => {
  const rows = generateRequirements(CATALOGUE, [{ id: 'X-Q', section: '4', kind: 'header', statement: 'says "W/\\"n\\"", then, more' }]);
  const back = parseRequirementsCsv(requirementsToCsv(rows));
  assert.deepEqual(back, rows);
  assert.deepEqual(parseCsv(toCsv(['a', 'b'], [{ a: 'x,"y"\nz', b: '#not a comment' }])), [{ a: 'x,"y"\nz', b: '#not a comment' }]);
});

test('the committed requirements hold 40 operations and 387 documented error responses', () => {
  const rows = loadRequirements(REQUIREMENTS_FILE);
  assert.equal(rows.filter((r) => r.kind === 'operation').length, 40);
  const entries = new Set(rows.filter((r) => r.kind === 'error-response').map((r) => `${r.operation} ${r.status}`));
  assert.equal(entries.size, 387);
  assert.ok(rows.some((r) => r.id === 'A011-ERR-REFERENCE_NOT_FOUND'));
  assert.ok(loadCrossCuttingRules(CROSS_CUTTING_FILE).length > 20);
  assert.ok(readFileSync(REQUIREMENTS_FILE, 'utf8').startsWith('# '));
});

test('tag expressions: and/or/not/parentheses, and * inside a tag', () => {
  const m = (e: string, tags: string[]) => compileTagExpression(e)(tags);
  assert.equal(m('@a and not @b', ['@a']), true);
  assert.equal(m('@a and not @b', ['@a', '@b']), false);
  assert.equal(m('(@a or @b) and @c', ['@b', '@c']), true);
  assert.equal(m('@req=*-ERR-HTTP412', ['@req=A012-ERR-HTTP412']), true);
  assert.equal(m('@req=*-ERR-HTTP412', ['@req=A012-ERR-HTTP4121']), false);
  assert.equal(m('@req=A0.5-OP', ['@req=A005-OP']), false); // '.' is literal
  assert.throws(() => compileTagExpression('@a and'), /ends where a tag was expected/);
  assert.throws(() => compileTagExpression('(@a'), /not closed/);
  assert.throws(() => compileTagExpression('a'), /not a tag/);
});

const FEATURE = `@A011 @stu3
Feature: A011
  @req=A011-OP
  Scenario: creates
    Given x

  Rule: errors
    @negative
    Scenario Outline: refused <why>
      Given x
      @req=A011-ERR-REFERENCE_NOT_FOUND
      Examples: unknown things
        | why     |
        | patient |
      @req=A011-ERR-NOPE
      Examples: a typo
        | why |
        | y   |
`;

test('coverage reads Examples-block tags and reports unknown ids with a near match', () => {
  const scenarios = scenariosOf(FEATURE, 'features/x.feature');
  assert.deepEqual(scenarios.map((s) => [s.line, s.name]), [[4, 'creates'], [14, 'refused patient'], [18, 'refused y']]);
  const reqs = generateRequirements(CATALOGUE, []);
  const c = computeCoverage(reqs, scenarios);
  assert.deepEqual(c.rows.find((r) => r.requirement.id === 'A011-ERR-REFERENCE_NOT_FOUND')!.scenarios.map((s) => s.line), [14]);
  assert.deepEqual(c.totals.operations, { covered: 1, total: 1 });
  // A011 has 5 error entries (401, 403, 406, 422, 429); only 422 is covered; AUTH-AUTHORIZE 400 is not testable.
  assert.deepEqual(c.totals.errorResponses, { covered: 1, partly: 0, notTestable: 1, total: 6 });
  assert.equal(c.totals.notTestable.length, 2);
  const unknown = unknownRequirementTags(scenarios, reqs, []);
  assert.equal(unknown.length, 1);
  assert.match(unknown[0]!, /features\/x\.feature:18 "refused y" names unknown requirement @req=A011-ERR-NOPE/);
});

test('SCAL ids map to requirement ids or tag expressions; unknown references are named', () => {
  const scal = parseScalMap('scal_id,statement,requirements,tags\nA011-02,creates,A011-OP,\nA011-03,errors,,@negative\nA011-04,typo,A011-ERR-HTTP999,\n');
  const reqs = generateRequirements(CATALOGUE, []);
  const c = computeCoverage(reqs, scenariosOf(FEATURE, 'features/x.feature'), scal);
  assert.deepEqual(c.scal.map((s) => [s.mapping.id, s.state, s.scenarios.length]), [['A011-02', 'covered', 1], ['A011-03', 'covered', 2], ['A011-04', 'not covered', 0]]);
  assert.deepEqual(unknownScalReferences(scal, reqs), ['scal-map.csv: A011-04 maps to unknown requirement A011-ERR-HTTP999']);
  assert.throws(() => parseScalMap('scal_id,statement,requirements,tags\nX,,,\n'), /maps to no requirement/);
});
