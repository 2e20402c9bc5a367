// Every representative request is well-formed: sent as it is by a caller the operation allows, the simulator
// answers exactly the documented success status (A042: its 307), and request and answer meet every exchange rule. The platform-error scenarios rely on this, so that their one deliberate defect is the only one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applyExchangeRules } from '../../src/conformance/rules/index.ts';
import { factsFor } from '../../src/conformance/rules/facts.ts';
import { expandPath, findOperation, type AccessMode } from '../../src/ers/operations.ts';
import { fhirBaseOf } from '../../src/ers/requests.ts';
import { SAMPLE_OPERATIONS, sampleRequest, type SampleContext } from '../../src/ers/sample-requests.ts';
import { createErsClient, type ErsClient } from '../../src/http/client.ts';
import { loadFixtures } from '../../src/targets/fixtures.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';

const fixtures = loadFixtures('simulator', fileURLToPath(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url)));
interface Who { mode: AccessMode; userId: string; ods?: string; businessFunction: string; onBehalfOf?: string }
const user = (key: string): Who => ({ mode: 'user-restricted', ...fixtures.get<Omit<Who, 'mode'>>(`actors.${key}`) });
const app = (key: string): Who => ({ mode: 'application-restricted', ...fixtures.get<Omit<Who, 'mode'>>(`applications.${key}`) });

let sim: Simulator;
let client: ErsClient;
before(async () => {
  sim = await createSimulator();
  client = createErsClient({ baseUrl: sim.baseUrl, timeoutMs: 10_000, maxBodyBytes: 10 * 1024 * 1024 });
});
after(async () => {
  await client.close();
  await sim.close();
});

function send(who: Who, operation: string, r: { params?: Record<string, string>; query?: Record<string, string | string[]>; body?: unknown; contentType?: string; ifMatch?: string; headers?: Record<string, string> }) {
  const op = findOperation(operation);
  const token = sim.issueToken(who.mode === 'user-restricted'
    ? { mode: who.mode, userId: who.userId, ial: 3, aal: 'AAL3' }
    : { mode: who.mode, userId: who.userId, ods: who.ods, businessFunction: who.businessFunction, asid: '200000000001' });
  return client.send({
    operation, method: op.method, path: expandPath(op, r.params ?? {}), query: r.query, accessToken: token,
    ...(who.mode === 'user-restricted' ? { businessFunction: who.businessFunction, odsCode: who.ods, onBehalfOf: operation === 'A040' ? undefined : who.onBehalfOf } : {}),
    ifMatch: r.ifMatch, body: r.body, contentType: r.contentType, headers: r.headers,
  });
}

function context(who: Who): SampleContext {
  return {
    fixtures,
    fhirBase: fhirBaseOf(sim.baseUrl),
    caller: { mode: who.mode, businessFunction: who.businessFunction },
    async read(operation, params) {
      const ex = await send(user('REFERRING_CLINICIAN'), operation, { params });
      assert.equal(ex.response?.status, 200, `reading ${JSON.stringify(params)} first failed: ${ex.response?.body.text.slice(0, 300)}`);
      return ex.response!.body.json as Record<string, unknown>;
    },
  };
}

const CALLERS: [string, Who][] = [
  ['REFERRING_CLINICIAN', user('REFERRING_CLINICIAN')],
  ['REFERRING_CLINICIAN_ADMIN', user('REFERRING_CLINICIAN_ADMIN')],
  ['SERVICE_PROVIDER_CLINICIAN', user('SERVICE_PROVIDER_CLINICIAN')],
  ['SERVICE_PROVIDER_CLINICIAN_ADMIN', user('SERVICE_PROVIDER_CLINICIAN_ADMIN')],
  ['the provider application', app('provider')],
  ['the referrer application', app('referrer')],
];

const CONTEXT: Record<string, 'provider' | 'referrer'> = { PROVIDER_AUTHORISED_APPLICATION: 'provider', REFERRER_AUTHORISED_APPLICATION: 'referrer' };
const mayCall = (op: ReturnType<typeof findOperation>, who: Who): boolean =>
  who.mode === 'application-restricted' ? op.appRestrictedContext.includes(CONTEXT[who.businessFunction]!) : op.businessFunctions.includes(who.businessFunction);

describe('representative requests are well-formed', () => {
  for (const operation of SAMPLE_OPERATIONS) {
    const op = findOperation(operation);
    for (const [name, who] of CALLERS) {
      if (!mayCall(op, who)) continue;
      it(`${operation} as ${name} succeeds`, async () => {
        sim.reset(); // writes change the seeded referrals; each request starts from the seed
        const r = await sampleRequest(operation, context(who));
        assert.equal(r.operation, operation);
        const ex = await send(who, operation, r);
        const status = ex.response?.status ?? 0;
        // A042 answers success as a 307 redirect to the download
        assert.equal(status, factsFor(operation)?.success, `${operation} (${r.source}) as ${name} got ${status}, not its documented success status: ${ex.response?.body.text.slice(0, 400)}`);
        // the request and the answer both meet every exchange rule (identifiers, media types, status, headers)
        const rules = applyExchangeRules(ex, { operation, fhirVersion: op.fhirVersion, accessMode: who.mode });
        assert.deepEqual(rules.map((f) => `${f.direction} ${f.rule} at ${f.path}: ${f.message}`), []);
      });
    }
  }

  it('names the operations it has no request for', async () => {
    await assert.rejects(sampleRequest('A999', context(user('REFERRING_CLINICIAN'))), /no representative request for A999; .* has one for A004, /);
  });
});
