import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, setParallelCanAssign, Status } from '@cucumber/cucumber';
import { epic, link, story } from 'allure-js-commons';
import { OPERATIONS } from '../src/ers/operations.ts';
import { closeRunContext, openRunContext, runContext } from './context.ts';
import type { ErsWorld } from './world.ts';

// Capability = the feature file's folder (referrals/, directory/, ...), as the report's epic.
const CAPABILITY: Record<string, string> = {
  referrals: 'Referrals',
  appointments: 'Appointments',
  review: 'Review and triage',
  'advice-and-guidance': 'Advice and guidance',
  directory: 'Directory and reference data',
  security: 'Security and access',
  journeys: 'Journeys',
  supplier: 'Supplier client mode',
};

// A step may wait for a slow target and for Retry-After retries: cucumber's own 5 s step limit would turn a
// slow but answering INT into a harness error. The HTTP client's timeout is what decides an environment fault.
const stepBudgetMs = (Number(process.env.ERS_TIMEOUT_MS) || 30_000) * 3 + (Number(process.env.ERS_RETRY_BUDGET_MS) || 30_000) + 10_000;
// Supplier mode: a step waits for the driver's action (a witness may take ERS_SUT_DEADLINE_MS); the driver's deadline decides, not cucumber.
const driverBudgetMs = process.env.ERS_SUT ? (Number(process.env.ERS_SUT_DEADLINE_MS) || 600_000) + 10_000 : 0;
setDefaultTimeout(Math.max(stepBudgetMs, driverBudgetMs));

// Scenarios that change the same shared entity (tagged @mutates=<intent>, e.g. @mutates=referrals.unbooked)
// never run at the same time; on a shared environment such as INT they would otherwise race.
setParallelCanAssign((candidate, running) => {
  const mutates = (tags: readonly { name: string }[]) => tags.map((t) => t.name).filter((n) => n.startsWith('@mutates='));
  const wanted = mutates(candidate.tags);
  return wanted.length === 0 || running.every((p) => !mutates(p.tags).some((t) => wanted.includes(t)));
});

BeforeAll({ timeout: 60_000, name: 'Start the target' }, async function () {
  await openRunContext();
});

AfterAll({ timeout: 30_000, name: 'Stop the target' }, async function () {
  await closeRunContext();
});

Before({ name: 'Label the scenario for the report' }, async function (this: ErsWorld, { pickle, gherkinDocument }) {
  const folder = /features\/([^/]+)\//.exec(gherkinDocument.uri ?? '')?.[1] ?? 'other';
  await epic(CAPABILITY[folder] ?? folder);
  const opTag = pickle.tags.map((t) => t.name.slice(1)).find((t) => /^A\d{3}$/.test(t));
  const op = opTag ? OPERATIONS.find((o) => o.activity === opTag) : undefined;
  await story(pickle.name);
  // The NHS API catalogue page for e-RS documents every operation by its activity id.
  if (op) await link('https://digital.nhs.uk/developer/api-catalogue/e-referral-service-fhir', `e-RS FHIR API documentation (${op.activity} ${op.name})`);
});

Before({ tags: '@fault-injection', name: 'Check the target can inject faults' }, async function (this: ErsWorld) {
  if (!this.run.target.capabilities.faultInjection) {
    return this.notApplicable(`the ${this.run.target.name} target cannot inject faults; this scenario runs against the simulator only`);
  }
  return undefined;
});

Before({ tags: '@stateful', name: 'Check the target keeps state' }, async function (this: ErsWorld) {
  if (!this.run.target.capabilities.stateful) {
    return this.notApplicable(`the ${this.run.target.name} target is stateless; this scenario needs state kept between calls`);
  }
  return undefined;
});

Before({ tags: '@authentication', name: 'Check the target checks tokens' }, async function (this: ErsWorld) {
  if (!this.run.target.capabilities.authenticates) {
    return this.notApplicable(`the ${this.run.target.name} target does not check access tokens`);
  }
  return undefined;
});

After({ name: 'Clear injected faults' }, async function (this: ErsWorld, { result }) {
  // Faults are per worker; never let one scenario's injected fault leak into the next.
  if (this.run.target.capabilities.faultInjection) await runContext().target.clearFaults();
  if (result?.status === Status.FAILED && this.exchanges.length === 0) {
    // Nothing was sent: make that visible so nobody reads a failure as a product defect.
    await this.attach('No request was sent before this scenario failed.', 'text/plain');
  }
});
