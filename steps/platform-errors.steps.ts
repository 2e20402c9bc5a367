import assert from 'node:assert/strict';
import { attachment } from 'allure-js-commons';
import { findOperation } from '../src/ers/operations.ts';
import { asArray, asObject } from '../src/ers/read.ts';
import { fhirBaseOf } from '../src/ers/requests.ts';
import { sampleRequest } from '../src/ers/sample-requests.ts';
import type { Actor } from '../src/targets/index.ts';
import { Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// Platform and proxy errors of every operation (catalogue 6 and 10.3): the scenario gives the caller one defect
// (no token, a weak CIS2 login, a role header on an application call, ...) and sends the operation's
// representative request (src/ers/sample-requests.ts), which is otherwise well-formed.

const APP_CONTEXT: Record<string, 'provider' | 'referrer'> = { PROVIDER_AUTHORISED_APPLICATION: 'provider', REFERRER_AUTHORISED_APPLICATION: 'referrer' };

/** May this actor call the operation at all, by the catalogue (access mode, role, application context)? */
function mayCall(actor: Actor, operation: string): boolean {
  const op = findOperation(operation);
  if (actor.mode === 'application-restricted') return op.appRestrictedContext.includes(APP_CONTEXT[actor.businessFunction ?? '']!);
  return op.businessFunctions.includes(actor.businessFunction ?? '');
}

function referringClinician(world: ErsWorld): Actor {
  const a = world.fixture<{ userId: string; ods?: string; businessFunction?: string }>('actors.REFERRING_CLINICIAN');
  return { key: 'REFERRING_CLINICIAN', mode: 'user-restricted', userId: a.userId, ods: a.ods, businessFunction: a.businessFunction ?? 'REFERRING_CLINICIAN' };
}

/**
 * Reads what a representative request needs (a current version, an appointment to cancel) without the scenario's
 * deliberate defect: no token or header overrides, a normal CIS2 login, retries allowed. It reads as the caller
 * when the caller may read it, else as the referring clinician of the fixtures (the seeded referrals' referrer).
 */
async function readWellFormed(world: ErsWorld, operation: 'A005' | 'A038' | 'A024', params: Record<string, string>): Promise<Record<string, unknown>> {
  const saved = { actor: world.actor!, token: world.tokenOverride, headers: { ...world.headerOverrides }, retry: world.retryReads };
  for (const k of Object.keys(world.headerOverrides)) delete world.headerOverrides[k];
  world.tokenOverride = undefined;
  world.retryReads = true;
  try {
    const caller: Actor = { ...saved.actor, login: undefined };
    const readers = mayCall(caller, operation) ? [caller, referringClinician(world)] : [referringClinician(world)];
    let last = '';
    for (const reader of readers) {
      world.useActor(reader);
      const ex = await world.call(operation, { params });
      if (ex.response?.status === 200) return ex.response.body.json as Record<string, unknown>;
      last = `${reader.key} got ${ex.response?.status ?? ex.error?.kind}`;
    }
    assert.fail(`the representative request needs ${operation} ${JSON.stringify(params)} read first, and it could not be read (${last})`);
  } finally {
    world.useActor(saved.actor);
    world.tokenOverride = saved.token;
    Object.assign(world.headerOverrides, saved.headers);
    world.retryReads = saved.retry;
  }
}

When('the caller sends a representative {operation} request', async function (this: ErsWorld, operation: string) {
  const actor = this.actor;
  assert.ok(actor, 'internal: choose the caller before sending a representative request');
  const r = await sampleRequest(operation, {
    fixtures: this.run.target.fixtures,
    fhirBase: fhirBaseOf(this.run.target.baseUrl),
    caller: { mode: actor.mode, businessFunction: actor.businessFunction },
    read: (op, params) => readWellFormed(this, op, params),
  });
  await attachment(`Representative ${operation} request`, r.source, 'text/plain');
  // the operation's own headers, unless the scenario set (or removed) that header itself: that is its defect
  const own = (name: string) => Object.keys(this.headerOverrides).some((h) => h.toLowerCase() === name.toLowerCase());
  const added = Object.keys(r.headers ?? {}).filter((name) => !own(name));
  for (const name of added) this.headerOverrides[name] = r.headers![name]!;
  try {
    await this.call(operation, { params: r.params, query: r.query, body: r.body, contentType: r.contentType, ifMatch: r.ifMatch });
  } finally {
    for (const name of added) delete this.headerOverrides[name];
  }
});

When('the caller retrieves the {string} referral by its _history URL at its recorded version', async function (this: ErsWorld, which: string) {
  // the caller cannot read this referral, so the current version comes from the fixtures (versions.referrals)
  await this.call('A005-versioned', { params: { ubrn: this.fixture<string>(`referrals.${which}`), version: String(this.fixture(`versions.referrals.${which}`)) } });
});

When('the caller retrieves the {string} appointment by its _history URL at its recorded version', async function (this: ErsWorld, which: string) {
  await this.call('A038-versioned', { params: { id: this.fixture<string>(`appointments.${which}`), version: String(this.fixture(`versions.appointments.${which}`)) } });
});

Then('the OperationOutcome is the proxy\'s own: meta.lastUpdated, one error issue, one coding with system and code, and diagnostics', function (this: ErsWorld) {
  // catalogue 10.3, last paragraph (X-ERR-PROXY-OUTCOME). It also says the coding has no display, but the e-RS
  // OpenAPI document requires one on every OperationOutcome coding; the contract check keeps that question open.
  const body = asObject(this.response.body.json);
  const lastUpdated = asObject(body?.meta)?.lastUpdated;
  assert.ok(typeof lastUpdated === 'string' && !Number.isNaN(Date.parse(lastUpdated)), `meta.lastUpdated is ${JSON.stringify(lastUpdated)}, expected an ISO timestamp`);
  const issues = asArray(body?.issue).map(asObject);
  assert.equal(issues.length, 1, 'proxy-generated OperationOutcomes carry exactly one issue');
  assert.equal(issues[0]?.severity, 'error');
  const codings = asArray(asObject(issues[0]?.details)?.coding).map(asObject);
  assert.equal(codings.length, 1, 'exactly one details.coding');
  assert.ok(codings[0]?.system && codings[0]?.code, `the coding has system and code: ${JSON.stringify(codings[0])}`);
  assert.ok(typeof issues[0]?.diagnostics === 'string' && issues[0].diagnostics !== '', 'the issue has diagnostics');
});
