// The NHS sandbox's example files against the identifier rules: exactly the known defects of those payloads are found,
// and nothing else. They are reported (README, "Rules every exchange is held to"), not suppressed: a scenario that
// meets one on the sandbox names it as a known sandbox defect, and the same finding fails on every other target.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { bodyIdentifierFindings } from '../../src/conformance/rules/identifiers.ts';
import { EXAMPLES_DIR } from '../sandbox/fake-sandbox.ts';

const KNOWN: string[] = [
  "stu3/maintainReferralLetter/responses/ReferralRequestWithMultipleDocumentReferences.json ers:nhs-number-format at ReferralRequest.subject.identifier.value: NHS number '99120038881' is not 10 digits",
  "stu3/maintainReferralLetter/responses/ReferralRequestWithUpdatedDocumentReferences.json ers:nhs-number-format at ReferralRequest.subject.identifier.value: NHS number '99120038881' is not 10 digits",
  "stu3/patientServiceSearch/responses/TriageAndAppointmentRequestType.json ers:ods-code-format at List.entry[0].item.extension[0].extension[6].valueReference.identifier.value: ODS code 'NacCode' is not 3 to 10 upper-case letters and digits (e.g. RCD, D82106, R6901)",
  "stu3/patientServiceSearch/responses/WithIndicativeAppointmentWaitTime.json ers:ods-code-format at List.entry[0].item.extension[0].extension[6].valueReference.identifier.value: ODS code 'NacCode' is not 3 to 10 upper-case letters and digits (e.g. RCD, D82106, R6901)",
  'stu3/retrieveWorklist/responses/LettersOutstanding.json ers:nhs-number-check-digit at List.entry[1].extension[0].extension[0].valueReference.identifier.value: NHS number 9312201101 fails the modulus-11 check: its check digit is 1, the first nine digits give 7',
];

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json') && e.name !== 'INDEX.json' ? [join(dir, e.name)] : []));
}

test('the NHS sandbox example files break the identifier rules in exactly the known places', { skip: existsSync(EXAMPLES_DIR) ? false : `the NHS sandbox examples are not beside the repository (${EXAMPLES_DIR})` }, () => {
  const found: string[] = [];
  for (const file of jsonFiles(EXAMPLES_DIR).sort()) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    for (const f of bodyIdentifierFindings(json, 'response')) found.push(`${relative(EXAMPLES_DIR, file)} ${f.rule} at ${f.path}: ${f.message.replace(/ \(identifier system .*\)$/, '')}`);
  }
  assert.deepEqual(found, KNOWN);
});
