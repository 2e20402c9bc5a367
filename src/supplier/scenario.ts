// One supplier scenario: its capture window, the user logged in to the system under test (a CIS2 login
// issued for this scenario only), the actions asked of the driver and their answers, and the witness
// record. Steps call these functions; the judgements live in checks.ts.
import { AssertionError } from 'node:assert';
import type { Redactor } from '../evidence/redact.ts';
import type { Actor } from '../targets/index.ts';
import type { CaptureWindow, Captured } from './capture.ts';
import { checkedRequest, findAction, PROTOCOL, type ActionName, type DriverAnswer, type DriverRequest } from './contract.ts';
import type { Judgement } from './checks.ts';
import { requireDone } from './outcomes.ts';
import type { SupplierRun } from './run.ts';
import type { WitnessRow } from './witness.ts';

export interface Performed {
  action: ActionName;
  request: DriverRequest;
  answer: DriverAnswer;
  /** the captured requests that arrived while the action ran */
  captured: Captured[];
}

export interface SupplierScenario {
  run: SupplierRun;
  meta: { id: string; name: string; tags: string[] };
  window: CaptureWindow;
  /** e-RS time when the window opened */
  startedAt: Date;
  /** the user at the keyboard, when the scenario logged one in */
  user: (Actor & { idToken: string }) | undefined;
  performed: Performed[];
  witness: WitnessRow[];
  /** e-RS-side facts the scenario prepared (UBRNs by name), for later steps */
  named: Map<string, string>;
}

export function openScenario(run: SupplierRun, meta: SupplierScenario['meta']): SupplierScenario {
  // every supplier scenario starts from the seed, so what one scenario changed never decides the next
  // (through the recording proxy e-RS is the real one: its data is what the witness prepared)
  if (!run.proxied) {
    run.simulator.reset();
    run.simulator.clearFaults();
  }
  const startedAt = run.proxied ? new Date() : run.simulator.now();
  const window = run.capture.open(meta.id);
  return { run, meta, window, startedAt, user: undefined, performed: [], witness: [], named: new Map() };
}

export function closeScenario(s: SupplierScenario): void {
  s.window.close();
  if (s.run.proxied) return;
  // faults and clock changes are addressed to this scenario's window only
  s.run.simulator.clearFaults();
  s.run.simulator.setRateLimit(undefined);
}

/** Logs the user in for this scenario: a fresh CIS2 id_token the system exchanges at the token URL. */
export async function logIn(s: SupplierScenario, actor: Actor, redactor: Redactor): Promise<void> {
  // through the proxy the login is the real CIS2's: the run's ERS_ID_TOKEN when it has one, else the user's own smartcard
  const idToken = s.run.proxied ? (s.run.proxied.idToken ?? '') : await s.run.simulator.cis2IdToken({ userId: actor.userId, ...(actor.login ?? {}) });
  if (idToken) redactor.addSecret(idToken);
  s.user = { ...actor, idToken };
  s.witness.push({
    step: `Log in to the system as ${actor.businessFunction ?? actor.key}`,
    instructions: `Log in as user ${actor.userId} at ${actor.ods ?? '?'} in the role ${actor.businessFunction ?? '?'} (smartcard / CIS2)`,
    evidence: idToken ? 'none (the login is issued by the harness for this scenario)' : 'the token exchange the system sends',
    expected: 'the system exchanges this login for an e-RS access token',
    actual: s.run.proxied ? (idToken ? 'the run\'s CIS2 login (ERS_ID_TOKEN) handed to the system' : 'the user logs in with their own smartcard') : 'login issued',
  });
}

/** Asks the driver to do one action; the answer is returned whatever its status (see requireDone). */
export async function perform(s: SupplierScenario, action: ActionName, inputs: Record<string, unknown>): Promise<Performed> {
  const def = findAction(action);
  const login = s.user ? { login: { userId: s.user.userId, businessFunction: s.user.businessFunction, ods: s.user.ods, ...(s.user.onBehalfOf ? { onBehalfOf: s.user.onBehalfOf } : {}), ...(s.user.idToken ? { idToken: s.user.idToken } : {}) } } : {};
  const request = checkedRequest({ protocol: PROTOCOL, action, scenario: s.meta, inputs: { ...inputs, ...login }, ers: s.run.ers, deadlineMs: s.run.sut.deadlineMs });
  const before = s.window.all().length;
  const answer = await s.run.driver.perform(request, {
    waitForOperations: (ops, timeoutMs) => s.window.waitFor((all) => ops.every((op) => all.slice(before).some((c) => c.operation?.id === op)), timeoutMs),
  });
  const captured = s.window.all().slice(before);
  const performed: Performed = { action, request, answer, captured };
  s.performed.push(performed);
  const attested = answer.observations?.attested === true;
  s.witness.push({
    step: def.instructions,
    instructions: `${action} ${JSON.stringify(inputs)}`,
    evidence: def.expects.length ? `the ${def.expects.join(' + ')} request(s) the system sends` : 'what the system shows or records',
    expected: def.expects.length ? `the system sends ${def.expects.join(' then ')}` : 'the system reports it',
    actual: `${answer.status}${attested ? ' (attested)' : ''}${answer.reason ? `: ${answer.reason}` : ''}; captured ${captured.filter((c) => c.kind === 'ers').map((c) => `${c.operation?.id ?? '?'}→${c.exchange.response?.status ?? c.exchange.error?.kind}`).join(', ') || 'nothing'}`,
  });
  return performed;
}

/** Does the action, and ends the scenario unless it was done (unsupported: not verified; failed: driver fault). */
export async function performOrEnd(s: SupplierScenario, action: ActionName, inputs: Record<string, unknown>): Promise<Performed> {
  const p = await perform(s, action, inputs);
  requireDone(p.answer, action);
  return p;
}

/** The last answer to an action, or to any action. */
export function lastPerformed(s: SupplierScenario, action?: ActionName): Performed {
  const p = [...s.performed].reverse().find((x) => !action || x.action === action);
  if (!p) throw new Error(`internal: a step reads the answer to ${action ?? 'an action'} before the scenario asked for one`);
  return p;
}

/** Records the judgement in the witness record and fails the step on findings (or on having examined nothing it needed). */
export function judge(s: SupplierScenario, step: string, expected: string, j: Judgement, needs: { examined?: boolean } = { examined: true }): string {
  const ok = j.findings.length === 0 && (!needs.examined || j.examined > 0);
  const actual = ok ? `as expected (${j.examined} examined)` : j.findings.length ? j.findings.join('; ') : `nothing to examine: the system sent no request this check applies to`;
  s.witness.push({ step, instructions: '—', evidence: `${j.check}: the captured requests`, expected, actual });
  const report = [`Check: ${j.check} · examined ${j.examined} · ${j.findings.length} finding(s)`, '', ...j.findings.map((f) => `FINDING ${f}`), ...(j.findings.length ? [''] : []), ...j.evidence].join('\n');
  if (!ok) throw new AssertionError({ message: `The system under test ${j.findings.length ? `breaks "${j.check}":\n  ${j.findings.slice(0, 8).join('\n  ')}${j.findings.length > 8 ? `\n  … ${j.findings.length - 8} more in the report` : ''}` : `sent nothing "${j.check}" could examine (expected: ${expected})`}` });
  return report;
}

/** A system-side fact (observation or attestation) checked and written into the witness record. */
export function judgeObservation(s: SupplierScenario, step: string, expected: string, actual: string, ok: boolean, attested: boolean): void {
  s.witness.push({ step, instructions: '—', evidence: attested ? 'the witness\'s attestation' : 'the driver\'s observations', expected, actual: `${actual}${attested ? ' (attested)' : ''}` });
  if (!ok) throw new AssertionError({ message: `The system under test did not do what is expected: ${expected}; actual: ${actual}${attested ? ' (attested)' : ''}` });
}
