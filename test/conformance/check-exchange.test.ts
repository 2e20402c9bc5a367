import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { checkAsText, checkExchange, loadContractSuppressions, responseErrors } from '../../src/conformance/check-exchange.ts';
import { createValidator, type Validator } from '../../src/fhir/index.ts';
import type { Exchange } from '../../src/http/exchange.ts';
import type { Contract, ContractFinding } from '../../src/openapi/index.ts';

let validator: Validator;
before(async () => {
  validator = await createValidator({ packagePaths: [], onlyPackagePaths: true });
});

function exchange(requestBody: unknown, status: number, responseBody: unknown): Exchange {
  const body = (json: unknown) => ({ text: JSON.stringify(json), bytes: 10, contentType: 'application/fhir+json', truncated: false, binary: false, json });
  return {
    id: 'x', operation: 'A011', correlationId: 'c', startedAt: new Date().toISOString(), durationMs: 1, attempts: 1,
    request: { method: 'POST', url: 'http://h/referrals/FHIR/STU3/ReferralRequest/$ers.createReferral', headers: {}, ...(requestBody ? { body: body(requestBody) } : {}) },
    response: { status, headers: {}, body: body(responseBody) },
  };
}

const fakeContract = (findings: ContractFinding[]): Contract => ({ operationFor: () => undefined, operations: () => [], check: () => findings.map((f) => ({ ...f })) });

test('a response breaking the base specification is an error that fails the step; request findings never do', () => {
  const badRequest = { resourceType: 'Parameters', parameter: [] }; // empty array: a base-FHIR error in our own (negative) request
  const badResponse = { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal-ish', code: 'invalid' }] };
  const check = checkExchange(exchange(badRequest, 422, badResponse), { validator, operation: 'A011', fhirVersion: 'STU3', accessMode: 'user-restricted' });
  assert.equal(check.bodies.length, 2);
  assert.ok(check.bodies[0]!.errors > 0, 'request findings are recorded');
  const errors = responseErrors(check);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /^binding at OperationOutcome\.issue\[0\]\.severity/);
  assert.match(checkAsText(check), /request Parameters — \d+ error/);
});

test('contract findings: response ones fail unless suppressed with a reason; request ones are evidence only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-sup-'));
  const file = join(dir, 'sup.yaml');
  writeFileSync(file, 'suppressions:\n  - id: known-gap\n    rule: openapi:response-body\n    path: response.body/supportingInfo\n    reason: e-RS sends an empty array\n    evidence: example X\n');
  const contract = fakeContract([
    { severity: 'error', rule: 'openapi:response-body', path: 'response.body/supportingInfo', message: "missing required property 'supportingInfo'" },
    { severity: 'error', rule: 'openapi:response-body', path: 'response.body/status', message: 'must be one of "active"' },
    { severity: 'error', rule: 'openapi:request-header', path: 'request.header.If-Match', message: 'required header missing' },
  ]);
  const ok = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] };
  const check = checkExchange(exchange(undefined, 200, ok), { validator, contract, contractSuppressions: loadContractSuppressions(file), operation: 'A011', fhirVersion: 'STU3', accessMode: 'user-restricted' });
  assert.deepEqual(responseErrors(check), ['openapi:response-body at response.body/status: must be one of "active"']);
  assert.match(checkAsText(check), /\[suppressed by known-gap\] openapi:response-body at response.body\/supportingInfo/);
});

test('the committed OpenAPI suppressions file loads and every entry has a reason and evidence', () => {
  const list = loadContractSuppressions(new URL('../../profiles/openapi-suppressions.yaml', import.meta.url).pathname);
  assert.ok(list.length >= 3);
  for (const s of list) assert.ok(s.reason.length > 30 && s.evidence.length > 10, s.id);
});

test('suppressions apply to every contract finding before any summary, so a capped tail cannot fail the step', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-sup-'));
  const file = join(dir, 'sup.yaml');
  writeFileSync(file, 'suppressions:\n  - id: known-shape\n    rule: openapi:response-body\n    path: response.body/entry/*\n    reason: a known disagreement with its evidence\n    evidence: example Y\n');
  const all: ContractFinding[] = Array.from({ length: 25 }, (_, i) => ({ severity: 'error', rule: 'openapi:response-body', path: `response.body/entry/${i}`, message: 'known' }));
  // Behaves like the real checker: summarises past the limit unless told not to.
  const capping: Contract = {
    operationFor: () => undefined,
    operations: () => [],
    check: (_ex, options) => {
      const limit = options?.maxFindingsPerBody ?? 20;
      const out = all.map((f) => ({ ...f }));
      return out.length > limit ? [...out.slice(0, limit), { severity: 'error', rule: 'openapi:response-body', path: 'response.body', message: `… ${out.length - limit} more` }] : out;
    },
  };
  const ok = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] };
  const check = checkExchange(exchange(undefined, 200, ok), { validator, contract: capping, contractSuppressions: loadContractSuppressions(file), operation: 'A008', fhirVersion: 'STU3', accessMode: 'user-restricted' });
  assert.equal(check.contract.length, 25);
  assert.deepEqual(responseErrors(check), []);
});

test('checkExchange never throws: a 100,000-level nested body is a finding of that body', () => {
  const n = 100_000;
  const deep = JSON.parse(`{"resourceType":"Parameters","parameter":[{"name":"x","part":${'[{"name":"y","part":'.repeat(n)}[]${'}]'.repeat(n)}}]}`) as unknown;
  const throwing: Contract = { operationFor: () => undefined, operations: () => [], check: () => { throw new RangeError('Maximum call stack size exceeded'); } };
  const ex = exchange({ resourceType: 'Parameters' }, 200, { resourceType: 'Parameters' });
  ex.request.body!.json = deep;
  ex.response!.body.json = deep;
  const check = checkExchange(ex, { validator, contract: throwing, operation: 'A011', fhirVersion: 'STU3', accessMode: 'user-restricted' });
  assert.equal(check.bodies.length, 2);
  for (const b of check.bodies) assert.deepEqual(b.findings.filter((f) => f.severity === 'error').map((f) => f.rule), ['structure']);
  assert.match(check.contract[0]!.message, /could not be checked \(Maximum call stack/);
  assert.ok(responseErrors(check).length >= 1);
});
