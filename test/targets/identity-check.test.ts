// The identity pre-flight against the simulator: what e-RS says each actor holds, and plain reasons when it cannot act.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createErsClient, type ErsClient } from '../../src/http/client.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { loadFixtures } from '../../src/targets/fixtures.ts';
import { checkActorIdentities, type IdentityCheckDeps } from '../../src/targets/identity-check.ts';
import type { Actor } from '../../src/targets/index.ts';

const fixtures = loadFixtures('simulator', fileURLToPath(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url)));
const actor = (key: string, change: Partial<Actor> = {}): Actor => ({ key, mode: 'user-restricted', ...fixtures.get<Omit<Actor, 'key' | 'mode'>>(`actors.${key}`), ...change });

let sim: Simulator;
let client: ErsClient;
let deps: IdentityCheckDeps;
before(async () => {
  sim = await createSimulator();
  client = createErsClient({ baseUrl: sim.baseUrl, timeoutMs: 10_000, maxBodyBytes: 1024 * 1024 });
  deps = { send: (r) => client.send(r), tokenFor: async (a) => (a.mode === 'user-restricted' ? sim.issueToken({ mode: 'user-restricted', userId: a.userId, ial: 3, aal: 'AAL3' }) : undefined) };
});
after(async () => {
  await client.close();
  await sim.close();
});

describe('identity pre-flight (A030, A040)', () => {
  it('every fixture actor is what e-RS says it is; applications are listed as not checked', async () => {
    const r = await checkActorIdentities([actor('REFERRING_CLINICIAN'), actor('SERVICE_PROVIDER_CLINICIAN_ADMIN'), { key: 'application:provider', mode: 'application-restricted', userId: '910000000901' }], deps);
    assert.equal(r.ok, true, r.text);
    assert.match(r.text, /✔ REFERRING_CLINICIAN \(user 910000000101\)\n {4}e-RS: Y90001: REFERRING_CLINICIAN/);
    assert.match(r.text, /may act on behalf of: 910000000202/);
    assert.match(r.text, /– application:provider .*\n {4}not checked: application-restricted/);
  });

  const bad: [string, Actor, RegExp][] = [
    ['a role the user does not hold there', actor('REFERRING_CLINICIAN', { businessFunction: 'REFERRING_CLINICIAN_ADMIN' }), /configured as REFERRING_CLINICIAN_ADMIN at Y90001, but user 910000000101 holds REFERRING_CLINICIAN there/],
    ['an organisation where the user holds nothing', actor('REFERRING_CLINICIAN', { ods: 'RX1' }), /configured for organisation RX1, where user 910000000101 holds no e-RS role \(e-RS says: Y90001: REFERRING_CLINICIAN\)/],
    ['a clinician the SPCA may not act for', actor('SERVICE_PROVIDER_CLINICIAN_ADMIN', { onBehalfOf: '910000000201' }), /acts on behalf of 910000000201, but e-RS \(A040\) lets user 910000000203 at RX1 act for 910000000202/],
    ['an SPCA that names nobody', actor('SERVICE_PROVIDER_CLINICIAN_ADMIN', { onBehalfOf: undefined }), /names no clinician to act for; set onBehalfOf to one of: 910000000202/],
  ];
  for (const [why, who, expected] of bad) {
    it(`explains ${why}`, async () => {
      const r = await checkActorIdentities([who], deps);
      assert.equal(r.ok, false);
      assert.match(r.actors[0]!.problems.join('\n'), expected);
      assert.match(r.text, /✘ .*\n(.*\n)* {4}problem: /);
    });
  }

  it('a token e-RS does not accept is explained, not thrown', async () => {
    const r = await checkActorIdentities([actor('REFERRING_CLINICIAN')], { ...deps, tokenFor: async () => 'not-a-token' });
    assert.equal(r.ok, false);
    assert.match(r.actors[0]!.problems[0]!, /refused A030 .* HTTP 401 \(Invalid access token\) — the access token was not accepted/);
  });

  it('reads each user\'s roles once', async () => {
    let a030 = 0;
    const counting: IdentityCheckDeps = { ...deps, send: (req) => { if (req.operation === 'A030') a030 += 1; return deps.send(req); } };
    await checkActorIdentities([actor('REFERRING_CLINICIAN'), actor('REFERRING_CLINICIAN', { key: 'again' })], counting);
    assert.equal(a030, 1);
  });
});
