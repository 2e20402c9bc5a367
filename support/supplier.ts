import { After, Before, Status, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { AssertionError } from 'node:assert';
import type { Attestation } from '../src/supplier/drivers.ts';
import type { SupplierScenario } from '../src/supplier/scenario.ts';
import { attachment } from 'allure-js-commons';
import { requirementTags } from '../src/evidence/scenarios.ts';
import { sideNotApplicable } from '../src/supplier/outcomes.ts';
import { closeScenario, judge, openScenario } from '../src/supplier/scenario.ts';
import { witnessCsv, witnessText } from '../src/supplier/witness.ts';
import { judgeExchange } from '../src/proxy/judge.ts';
import { exchangeTitle } from '../src/evidence/exchange-text.ts';
import type { ErsWorld } from './world.ts';

// Supplier scenarios: one capture window each, opened before the first step and closed after the last;
// the witness record and every captured request and response (redacted) are attached to the scenario.

Before({ tags: '@supplier', name: 'Open the capture window for the system under test' }, async function (this: ErsWorld, { pickle }) {
  const run = this.run.supplier;
  if (!run) return this.notVerified('supplier scenarios drive a supplier system; run with --sut <driver> (docs/supplier-mode.md)');
  const tags = pickle.tags.map((t) => t.name);
  const notForThisSystem = sideNotApplicable(tags, run.system.actions);
  if (notForThisSystem) return this.notApplicable(notForThisSystem);
  const req = requirementTags(tags)[0] ?? 'SUP';
  this.supplierScenario = openScenario(run, { id: `${req}#${pickle.id}`, name: pickle.name, tags });
  if (run.proxied) run.proxied.current = pickle.name;
  // a witness session (--sut manual): the console introduces each scenario with its steps
  await run.driver.witness?.begin(pickle.name, pickle.steps.map((st) => st.text));
  return undefined;
});

After({ tags: '@supplier', name: 'Attach the witness record and the captured traffic' }, async function (this: ErsWorld, { result }) {
  const s = this.supplierScenario;
  if (!s) return undefined;
  closeScenario(s);
  const { redactor } = this.run;
  const attestation = result?.status === Status.SKIPPED ? undefined : await attestScenario(s, result);
  await attachment('Witness record (Step / Instructions / Evidence required / Expected / Actual)', redactor.redact(witnessText(s.meta.name, s.witness)), 'text/plain');
  await attachment('witness-record.csv', redactor.redact(witnessCsv(s.witness)), 'text/csv');
  for (const p of s.performed) {
    await attachment(`Driver ${p.action}: request`, redactor.redact(JSON.stringify(redactor.redactValue(p.request), null, 2)), 'application/json');
    await attachment(`Driver ${p.action}: answer (${p.answer.status}${p.answer.observations?.attested === true ? ', attested' : ''})`, redactor.redact(JSON.stringify(redactor.redactValue({ ...p.answer, artefacts: p.answer.artefacts?.map((a) => a.name) }), null, 2)), 'application/json');
    for (const a of p.answer.artefacts ?? []) {
      await attachment(`Driver artefact: ${a.name}`, a.encoding === 'base64' ? Buffer.from(a.content, 'base64') : redactor.redact(a.content), a.contentType);
    }
  }
  for (const c of s.window.all()) await this.attachExchange(c.exchange);
  const link = s.run.proxied;
  if (link) {
    // through the recording proxy every exchange is judged both ways: the supplier's request and behaviour, e-RS's answer
    const { validator, contract, contractSuppressions } = this.run;
    const all = s.window.all();
    const lines = all.map((c, i) => {
      const f = judgeExchange(all.slice(0, i + 1), c, { validator, ...(contract ? { contract } : {}), contractSuppressions });
      return [exchangeTitle(c.exchange, redactor), ...f.supplier.map((x) => `  SUPPLIER ${x}`), ...f.ers.map((x) => `  SUSPECTED e-RS DEFECT (not the supplier's) ${x}`), ...f.environment.map((x) => `  UPSTREAM ${x}`)].join('\n');
    });
    await attachment('Recording proxy: each exchange judged (supplier findings, suspected e-RS defects)', redactor.redact(lines.join('\n') || 'no exchange in this scenario'), 'text/plain');
    link.done.push(s.meta.name);
    link.current = undefined;
    link.session?.setScenarios(link.done, []);
  }
  if (!attestation) return undefined;
  await attachment(`Witness attestation: ${attestation.result} by ${attestation.tester}`, redactor.redact(JSON.stringify({ attested: true, ...attestation }, null, 2)), 'application/json');
  const by = `${attestation.tester} at ${attestation.at}${attestation.note ? `: ${attestation.note}` : ''}`;
  if (attestation.result === 'fail' && result?.status === Status.PASSED) throw new AssertionError({ message: `The witness attested that the system under test failed this scenario (attested by ${by})` });
  if (attestation.result === 'skip' || attestation.result === 'stop') {
    if (result?.status !== Status.PASSED) return undefined; // a failure the harness found stands
    return this.notVerified(`${attestation.result === 'stop' ? 'the witness stopped the session' : 'the witness skipped this scenario'} (attested by ${by})`);
  }
  return undefined;
});

/** The witness's attestation at the end of a scenario (manual driver only), written into the witness record. */
async function attestScenario(s: SupplierScenario, result: ITestCaseHookParameter['result'] | undefined): Promise<Attestation | undefined> {
  const witness = s.run.driver.witness;
  if (!witness) return undefined;
  const seen = s.window.all().map((c) => `#${c.seq} ${c.kind === 'token' ? 'token' : (c.operation?.id ?? '?')} ${c.exchange.request.method} ${new URL(c.exchange.request.url).pathname} → ${c.exchange.response?.status ?? c.exchange.error?.kind ?? '?'}`);
  const status = result?.status === Status.PASSED ? 'passed' : `${String(result?.status ?? 'unknown').toLowerCase()}${result?.message ? `: ${result.message.split('\n')[0]}` : ''}`;
  const attestation = await witness.attest({ name: s.meta.name, rows: s.witness.map((r) => ({ step: r.step, expected: r.expected, actual: r.actual })), seen, status });
  s.witness.push({
    step: 'Witness attestation',
    instructions: 'The witness compares what the system showed with what was expected, and attests the scenario',
    evidence: 'the witness\'s attestation (pass|fail|skip|stop), note and name',
    expected: 'pass',
    actual: attestation ? `${attestation.result} (attested by ${attestation.tester} at ${attestation.at}${attestation.note ? `; note: ${attestation.note}` : ''})` : 'no attestation given (the console closed)',
  });
  return attestation;
}

/** A supplier judgement as a step's check: its report attached (with the findings when it fails), redacted. */
export async function judged(world: ErsWorld, step: string, expected: string, j: Parameters<typeof judge>[3], needs?: Parameters<typeof judge>[4]): Promise<void> {
  let report: string;
  try {
    report = judge(world.sut, step, expected, j, needs);
  } catch (err) {
    await attachment(`Check: ${j.check} (failed)`, world.run.redactor.redact([`Check: ${j.check} · examined ${j.examined}`, ...j.findings.map((f) => `FINDING ${f}`), '', ...j.evidence].join('\n')), 'text/plain');
    throw err;
  }
  await attachment(`Check: ${j.check}`, world.run.redactor.redact(report), 'text/plain');
}
