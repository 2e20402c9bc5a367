import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCapture, type Captured } from '../../src/supplier/capture.ts';
import { attachmentsRequestedWhenAvailable, parametersCarried } from '../../src/supplier/checks.ts';
import type { AttachmentFacts } from '../../src/supplier/ers-state.ts';
import { sideNotApplicable } from '../../src/supplier/outcomes.ts';
import { filedAttachments, offeredActions, worklistShown } from '../../src/supplier/provider-facts.ts';
import type { Performed } from '../../src/supplier/scenario.ts';
import type { ObservedExchange } from '../../src/simulator/index.ts';

// The provider-side judgements on hand-made traffic: what a PAS asked for, sent and reported.
interface Req { method?: string; path: string; status?: number; body?: unknown; responseBody?: unknown }

function captured(reqs: Req[]): Captured[] {
  const capture = createCapture(() => 'http://127.0.0.1:8710');
  const w = capture.open('test');
  reqs.forEach((r, i) => {
    const record: ObservedExchange = {
      method: r.method ?? 'GET',
      path: r.path,
      query: '',
      headers: { authorization: 'Bearer user-token', 'x-correlation-id': `c-${i}`, ...(r.body ? { 'content-type': 'application/fhir+json' } : {}) },
      body: Buffer.from(r.body ? JSON.stringify(r.body) : ''),
      status: r.status ?? 200,
      responseHeaders: r.responseBody ? { 'Content-Type': 'application/fhir+json' } : {},
      responseBody: r.responseBody ? JSON.stringify(r.responseBody) : '',
      operationId: undefined,
      receivedAt: new Date(Date.parse('2026-01-01T09:00:00Z') + i * 10).toISOString(),
      durationMs: 5,
      reset: false,
    };
    capture.observe(record);
  });
  return w.ers();
}

const UBRN = '300000100002';
const referral = (files: Record<string, string>): Req => ({
  path: `/referrals/FHIR/STU3/ReferralRequest/${UBRN}`,
  responseBody: {
    resourceType: 'ReferralRequest',
    contained: Object.entries(files).map(([id, availability]) => ({
      resourceType: 'DocumentReference',
      content: [{ attachment: { url: `Binary/${id}`, extension: [{ url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-AvailabilityStatus-1', valueCoding: { code: availability } }] } }],
    })),
  },
});
const download = (id: string, status = 307): Req => ({ path: `/referrals/FHIR/R4/Binary/${id}`, status });

test('attachments: asked for only when the last referral read reported them AVAILABLE', () => {
  const good = attachmentsRequestedWhenAvailable(captured([referral({ a: 'AVAILABLE', p: 'PENDING' }), download('a')]));
  assert.equal(good.examined, 1);
  assert.deepEqual(good.findings, []);
  const polled = attachmentsRequestedWhenAvailable(captured([referral({ p: 'PENDING' }), download('p', 422), download('p', 422)]));
  assert.equal(polled.findings.length, 2);
  assert.match(polled.findings[0] as string, /asks for attachment p, which e-RS last reported PENDING.*asked for again only once its scan has finished/);
  assert.match(attachmentsRequestedWhenAvailable(captured([referral({ t: 'THREATS_FOUND' }), download('t', 422)])).findings.join(), /last reported THREATS_FOUND/);
  // released since: a new read reporting it AVAILABLE makes the request proper
  assert.deepEqual(attachmentsRequestedWhenAvailable(captured([referral({ p: 'PENDING' }), referral({ p: 'AVAILABLE' }), download('p')])).findings, []);
  assert.match(attachmentsRequestedWhenAvailable(captured([download('x', 404)])).findings.join(), /no referral the system read in this scenario listed/);
});

test('parametersCarried: the reason and comment the user gave, or a finding naming what was sent', () => {
  const body = (comment?: string) => ({ resourceType: 'Parameters', parameter: [{ name: 'rejectionReason', valueCoding: { code: 'SERVICE_INAPPROPRIATE' } }, ...(comment ? [{ name: 'rejectionComments', valueString: comment }] : [])] });
  const reject = (comment?: string): Req => ({ method: 'POST', path: `/referrals/FHIR/STU3/ReferralRequest/${UBRN}/$ers.rejectReferral`, body: body(comment) });
  const want = { rejectionReason: 'SERVICE_INAPPROPRIATE', rejectionComments: 'not for this clinic' };
  assert.deepEqual(parametersCarried(captured([reject('not for this clinic')]), 'A014', want).findings, []);
  assert.match(parametersCarried(captured([reject()]), 'A014', want).findings.join(), /rejectionComments is absent, but the user gave "not for this clinic"/);
  assert.equal(parametersCarried(captured([]), 'A014', want).examined, 0);
});

const performed = (observations: Record<string, unknown>, reqs: Req[] = []): Performed => ({ action: 'provider.downloadAttachments', request: {} as Performed['request'], answer: { status: 'done', observations }, captured: captured(reqs) });
const held: AttachmentFacts[] = [
  { id: 'a', fileName: 'letter.txt', availability: 'AVAILABLE', sha256: 'f'.repeat(64), size: 10 },
  { id: 't', fileName: 'infected.txt', availability: 'THREATS_FOUND', sha256: 'e'.repeat(64), size: 5 },
];

test('filed attachments: the released ones byte for byte, the others shown with their availability', () => {
  assert.deepEqual(filedAttachments(performed({ attachments: [{ id: 'a', status: 'stored', sha256: 'f'.repeat(64), size: 10 }, { id: 't', status: 'THREATS_FOUND' }] }), held).findings, []);
  assert.match(filedAttachments(performed({ attachments: [{ id: 'a', status: 'stored', sha256: 'f'.repeat(64) }, { id: 't', status: 'stored', sha256: '0'.repeat(64) }] }), held).findings.join(), /infected.txt \(t\) is THREATS_FOUND in e-RS but the system filed it as received/);
  assert.match(filedAttachments(performed({ attachments: [{ id: 'a', status: 'stored', sha256: '0'.repeat(64) }, { id: 't', status: 'THREATS_FOUND' }] }), held).findings.join(), /filed different bytes/);
  assert.match(filedAttachments(performed({ attachments: [{ id: 't', status: 'PENDING' }] }), held).findings.join(), /letter.txt \(a\) is not in the system's report.*shows it as PENDING/);
  assert.match(filedAttachments(performed({}), []).findings.join(), /holds no attachment/);
  // a witness's attestation decides in place of the observations
  assert.deepEqual(filedAttachments(performed({ attested: true, result: 'pass' }), held).findings, []);
  assert.equal(filedAttachments(performed({ attested: true, result: 'fail' }), held).findings.length, 1);
});

test('worklist and actions: what e-RS answered against what the PAS reported', () => {
  const list: Req = { method: 'POST', path: '/referrals/FHIR/STU3/ReferralRequest/$ers.fetchworklist', body: { resourceType: 'Parameters' }, responseBody: { resourceType: 'List', entry: [{ item: { reference: 'ReferralRequest/300000100002' } }, { item: { reference: 'ReferralRequest/300000100005' } }] } };
  assert.deepEqual(worklistShown(performed({ referrals: ['300000100002'] }, [list])), { answered: true, listed: ['300000100002', '300000100005'], shown: ['300000100002'] });
  assert.equal(worklistShown(performed({ referrals: [] })).answered, false);
  const tasks: Req = { path: '/referrals/FHIR/STU3/Task', responseBody: { resourceType: 'Bundle', entry: [{ resource: { code: { coding: [{ code: 'RECORD_REVIEW_OUTCOME' }] } } }] } };
  assert.deepEqual(offeredActions(performed({ actions: ['RECORD_REVIEW_OUTCOME'] }, [tasks])), { answered: true, available: ['RECORD_REVIEW_OUTCOME'], offered: ['RECORD_REVIEW_OUTCOME'] });
});

test('a side the system declares no action of is not applicable; undeclared actions decide nothing', () => {
  const pas = ['system.describe', 'provider.importWorklist', 'provider.acceptReferral', 'observe.auditLog'];
  assert.match(sideNotApplicable(['@supplier', '@referrer', '@A011'], pas) ?? '', /declares no referrer action .*judge a GP \(referrer\) system/);
  assert.equal(sideNotApplicable(['@supplier', '@provider', '@A013'], pas), undefined);
  assert.match(sideNotApplicable(['@supplier', '@provider'], ['referrer.createReferral']) ?? '', /declares no provider action .*judge a PAS/);
  assert.equal(sideNotApplicable(['@supplier', '@provider'], undefined), undefined);
  assert.equal(sideNotApplicable(['@supplier'], []), undefined);
});
