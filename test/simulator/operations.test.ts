// The shared operation catalogue (src/ers/operations.ts): counts, matching precedence, path expansion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATIONS, expandPath, findOperation, matchOperation, matchPath } from '../../src/ers/operations.ts';

describe('operation catalogue', () => {
  it('holds the 40 API operations, 33 STU3 + 7 R4, with unique ids', () => {
    assert.equal(OPERATIONS.length, 40);
    assert.equal(OPERATIONS.filter((o) => o.fhirVersion === 'R4').length, 7);
    assert.equal(new Set(OPERATIONS.map((o) => o.id)).size, 40);
  });

  it('a literal segment beats a parameter: $ers.fetchworklist is A008, not a UBRN', () => {
    assert.equal(matchOperation('POST', '/STU3/ReferralRequest/$ers.fetchworklist')?.op.id, 'A008');
    assert.equal(matchOperation('GET', '/STU3/ReferralRequest/$ers.fetchworklist'), undefined);
    assert.deepEqual(matchOperation('GET', '/STU3/ReferralRequest/300000100001/_history/3')?.params, { ubrn: '300000100001', version: '3' });
    assert.equal(matchOperation('HEAD', '/R4/HealthcareService/40101')?.op.id, 'A037');
    assert.deepEqual(matchPath('/R4/HealthcareService/40101').map((m) => m.op.id).sort(), ['A033', 'A037']);
  });

  it('expandPath encodes parameters and names a missing one', () => {
    assert.equal(expandPath(findOperation('A005-versioned'), { ubrn: 'a b', version: '2' }), '/STU3/ReferralRequest/a%20b/_history/2');
    assert.throws(() => expandPath(findOperation('A005'), {}), /A005.*'ubrn'/);
  });

  it('findOperation names the bad id and lists valid ones', () => {
    assert.throws(() => findOperation('A999'), /Unknown e-RS operation id 'A999'.*A005-versioned/);
  });

  it('access data: A030 any role, A010 UR only, A033 referrer apps, If-Match writes', () => {
    assert.deepEqual(findOperation('A030').businessFunctions, []);
    assert.deepEqual(findOperation('A010').accessModes, ['user-restricted']);
    assert.deepEqual(findOperation('A033').appRestrictedContext, ['referrer']);
    assert.deepEqual(OPERATIONS.filter((o) => o.requiresIfMatch).map((o) => o.activity).sort(), ['A012', 'A013', 'A014', 'A022', 'A026', 'A028', 'A031', 'A032', 'A034', 'A036']);
  });
});
