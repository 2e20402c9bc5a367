import { After, Before, Status, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { AssertionError } from 'node:assert';
import { attachment, label, link } from 'allure-js-commons';
import { categorise } from '../src/evidence/errors.ts';
import { OUTCOME_MEDIA_TYPE, OUTCOME_TITLES, type Outcome, type OutcomeRecord } from '../src/evidence/outcome.ts';
import { requirementTags } from '../src/evidence/scenarios.ts';
import type { ErsWorld } from './world.ts';

// Traceability and cause in the report: each @req=ID becomes a label and a link to that requirement's row
// in the SCAL matrix (written next to the report). The judge (the last After hook: cucumber runs After
// hooks in reverse order of definition, and this file loads before every other hook and step file)
// decides each scenario's outcome and attaches it as a record the formatter, JUnit, matrix and report read.

After({ name: 'Judge the scenario' }, async function (this: ErsWorld, { result, error }) {
  const record = judge(this, result, error);
  const redact = (t: string): string => this.run.redactor.redact(t);
  const safe: OutcomeRecord = {
    outcome: record.outcome,
    ...(record.reason ? { reason: redact(record.reason) } : {}),
    ...(record.findings?.length ? { findings: record.findings.map(redact) } : {}),
    ...(this.credentials.size ? { credentials: [...this.credentials].sort() } : {}),
  };
  this.attach(JSON.stringify(safe), OUTCOME_MEDIA_TYPE);
  const defects = this.defects.map(redact);
  if (record.outcome !== 'passed') {
    const lines = [`${OUTCOME_TITLES[record.outcome]} (${record.outcome})`, '', EXPLANATIONS[record.outcome]];
    if (safe.reason) lines.push('', safe.reason);
    if (defects.length) lines.push('', 'Exchange rules the target\'s answers break (README, "Rules every exchange is held to"):', ...defects.map((f) => `  ${f}`));
    if (safe.findings?.length) lines.push('', record.outcome === 'profile-violation' ? 'Profile and contract findings:' : 'Profile and contract findings (listed with the defect; they did not decide it):', ...safe.findings.map((f) => `  ${f}`));
    await attachment('Outcome', lines.join('\n'), 'text/plain');
  }
  // The scenario's assertions held, but an answer breaks a documented exchange rule: a product defect of the target.
  if (record.outcome === 'product-defect' && result?.status === Status.PASSED) {
    throw new AssertionError({ message: `Product defect: the scenario's own assertions held, but the target's answers break documented rules:\n  ${defects.slice(0, 8).join('\n  ')}${defects.length > 8 ? `\n  … ${defects.length - 8} more in the report` : ''}` });
  }
  // Behaviour passed but the messages break their profiles: the scenario fails, as a profile violation.
  if (record.outcome === 'profile-violation' && result?.status === Status.PASSED) {
    const f = safe.findings ?? [];
    throw new AssertionError({ message: `Profile violation: the behaviour checked out, but the target's messages break their profiles or contract:\n  ${f.slice(0, 8).join('\n  ')}${f.length > 8 ? `\n  … ${f.length - 8} more in the report` : ''}` });
  }
});

function judge(world: ErsWorld, result: ITestCaseHookParameter['result'] | undefined, error: unknown): OutcomeRecord {
  const findings = [...world.findings];
  const status = result?.status ?? Status.UNKNOWN;
  if (status === Status.PASSED && world.defects.length) return { outcome: 'product-defect', reason: world.defects[0], ...(findings.length ? { findings } : {}) };
  if (status === Status.PASSED) return findings.length ? { outcome: 'profile-violation', reason: findings[0], findings } : { outcome: 'passed' };
  if (status === Status.SKIPPED) {
    return world.skip ? { outcome: world.skip.kind, reason: world.skip.reason } : { outcome: 'not-verified', reason: result?.message || 'skipped without a reason (a step returned "skipped")' };
  }
  if (status === Status.FAILED) {
    const type = result?.exception?.type ?? (error instanceof Error ? error.name : undefined);
    const message = result?.exception?.message ?? result?.message ?? (error instanceof Error ? error.message : undefined);
    const outcome: Outcome = categorise(type, message);
    return { outcome, reason: firstLine(message), ...(findings.length ? { findings } : {}) };
  }
  return { outcome: 'harness-error', reason: `the scenario is ${String(status).toLowerCase()}: a step has no definition, more than one, or is pending` };
}

function firstLine(text: string | undefined): string | undefined {
  return text?.replace(/^(Environment fault|Profile violation|Product defect|Blocked): /, '').split('\n')[0]?.slice(0, 500);
}

Before({ name: 'Trace the scenario to its requirements' }, async function ({ pickle }) {
  for (const id of requirementTags(pickle.tags.map((t) => t.name))) {
    await label('requirement', id);
    await link(`../scal-matrix.html#req-${encodeURIComponent(id)}`, `Requirement ${id}`, 'requirement');
  }
});

const EXPLANATIONS: Record<Outcome, string> = {
  passed: 'Every assertion held and every message met its profiles.',
  'product-defect': 'The target answered, and the answer is not what the e-RS documentation says (a behaviour assertion failed, or an answer broke a documented exchange rule).',
  'profile-violation': 'The behaviour was right, but the target\'s messages break a FHIR profile or the e-RS contract (see the findings).',
  'environment-fault': 'The target could not be tested: rate limited (429), a 5xx that did not reproduce, a timeout or a connection error. Not a verdict on conformance.',
  'harness-error': 'The harness itself failed (a bug, bad configuration or an incomplete step). Not a verdict on the target.',
  blocked: 'Preparing the scenario failed, so the requirement under test was never reached: it is not verified, not failed.',
  'not-applicable': 'The target cannot do what this scenario needs; nothing is owed for it on this target.',
  'not-verified': 'Data, a driver or credentials this scenario needs were missing: its requirement stays open.',
};
