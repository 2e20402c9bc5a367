// Provider review (catalogue 8.1, 8.4, 8.5): A013 accept, A014 reject, A022 cancel appointment action later, A028 triage
// outcome reached through the operations, A029 agreeing with them, attachments scanned on the simulator's clock
// (A006, A042 and its object store) and the CRI PDF (A007).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { antivirusTestSignature } from '../../src/simulator/domain/attachments.ts';
import { CS, FX, appHeaders, assertStu3Outcome, readJson, start, type Json } from './helpers.ts';
import { as, book, ifMatch, letterDoc, newReferral, rc, referral, send, stateOf, upload, versionOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const spc = (sim: Simulator, extra: Record<string, string> = {}) => as(sim, 'SERVICE_PROVIDER_CLINICIAN', extra);
const path = (ubrn: string, op: string) => `/STU3/ReferralRequest/${ubrn}/$ers.${op}`;
const ref = (sim: Simulator, code: string) => ({ system: `${sim.baseUrl}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code });
const reviewBody = (outcome: string, comments = 'see advice', priority?: string): Json => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'reviewOutcome', valueCoding: { system: `${CS}/eRS-ReviewOutcome-1`, code: outcome } },
    { name: 'reviewComments', valueString: comments },
    ...(priority ? [{ name: 'reviewPriority', valueCoding: { system: `${CS}/eRS-Priority-1`, code: priority } }] : []),
  ],
});

/** A referral with no letter to come, booked at the directly bookable service: pending the provider's review. */
async function bookedForReview(): Promise<string> {
  const { ubrn } = await newReferral(sim, [FX.services.directlyBookable], { intention: 'NOT_INTENDING_TO_ADD' });
  await book(sim, ubrn);
  return ubrn;
}

async function triaged(): Promise<string> {
  const { ubrn, version } = await newReferral(sim, [FX.services.triage], { intention: 'NOT_INTENDING_TO_ADD' });
  const res = await send(sim, 'POST', '/STU3/Appointment', rc(sim), {
    resourceType: 'Appointment', status: 'proposed', description: 'e-Referral Appointment',
    reason: [{ coding: [{ system: `${CS}/eRS-ReviewReason-1`, code: 'TRIAGE' }] }],
    incomingReferral: [{ reference: `ReferralRequest/${ubrn}/_history/${version}` }],
    participant: [{ actor: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: FX.services.triage } }, status: 'accepted' }, { actor: { identifier: { system: 'http://fhir.nhs.net/Id/nhs-number', value: FX.patients.referable } }, status: 'accepted' }],
  });
  assert.equal(res.status, 201, await res.text());
  return ubrn;
}

async function worklist(sim: Simulator, headers: Record<string, string>, listType: string): Promise<string[]> {
  const res = await send(sim, 'POST', '/STU3/ReferralRequest/$ers.fetchworklist', headers, {
    resourceType: 'Parameters', parameter: [{ name: 'listType', valueCodeableConcept: { coding: [{ system: `${CS}/eRS-ReferralListSelector-1`, code: listType }] } }],
  });
  assert.equal(res.status, 200);
  return ((await readJson(res)).entry ?? []).map((e: Json) => e.item.reference.split('/').pop());
}

async function actions(sim: Simulator, ubrn: string, headers: Record<string, string>): Promise<string[]> {
  const v = await versionOf(sim, ubrn);
  const res = await send(sim, 'GET', `/STU3/Task?focus=ReferralRequest/${ubrn}/_history/${v}&intent=proposal&status=ready`, headers);
  return ((await readJson(res)).entry ?? []).map((e: Json) => e.resource.code.coding[0].code);
}

describe('A013 accept referral', () => {
  it('accepts a booked referral once: BOOKED, version + 1, off REFERRALS_FOR_REVIEW; a second accept is INVALID_REQUEST_STATE', async () => {
    const ubrn = await bookedForReview();
    assert.ok((await worklist(sim, spc(sim), 'REFERRALS_FOR_REVIEW')).includes(ubrn));
    const v = await versionOf(sim, ubrn);
    const res = await send(sim, 'POST', path(ubrn, 'acceptReferral'), spc(sim, ifMatch(v)));
    const body = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(res.headers.get('etag'), `W/"${v + 1}"`);
    assert.equal(stateOf(body), 'BOOKED');
    assert.ok(!(await worklist(sim, spc(sim), 'REFERRALS_FOR_REVIEW')).includes(ubrn));
    await assertStu3Outcome(await send(sim, 'POST', path(ubrn, 'acceptReferral'), spc(sim, ifMatch(v + 1))), 422, 'INVALID_REQUEST_STATE', 'already reviewed');
  });

  it('two accepts from the same version: exactly one 200, the other 409 or 423', async () => {
    for (let round = 0; round < 5; round++) {
      const ubrn = await bookedForReview();
      const v = await versionOf(sim, ubrn);
      const statuses = (await Promise.all([0, 1].map(() => send(sim, 'POST', path(ubrn, 'acceptReferral'), spc(sim, ifMatch(v)))))).map((r) => r.status).sort();
      assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(', '));
      assert.ok([409, 423].includes(statuses[1] as number), statuses.join(', '));
    }
  });

  it('an accept racing a reject through a slow PAS: the reject holds the referral, the accept gets 423', async () => {
    const { ubrn } = await newReferral(sim, [FX.services.slowPas], { gastro: true, intention: 'NOT_INTENDING_TO_ADD' });
    await book(sim, ubrn, FX.services.slowPas);
    const v = await versionOf(sim, ubrn);
    const spca = as(sim, 'SERVICE_PROVIDER_CLINICIAN_ADMIN', ifMatch(v));
    const reject = send(sim, 'POST', path(ubrn, 'rejectReferral'), spca, { resourceType: 'Parameters', parameter: [{ name: 'rejectionReason', valueCoding: ref(sim, 'SERVICE_INAPPROPRIATE') }, { name: 'rejectionComments', valueString: 'wrong clinic' }] });
    await new Promise((r) => setTimeout(r, 100));
    await assertStu3Outcome(await send(sim, 'POST', path(ubrn, 'acceptReferral'), as(sim, 'SERVICE_PROVIDER_CLINICIAN_ADMIN', ifMatch(v))), 423, 'REFERRAL_LOCKED');
    assert.equal((await reject).status, 200);
    assert.equal(stateOf(await referral(sim, ubrn)), 'REJECTED');
  });

  it('the provider application accepts; a referral with a letter still to come cannot be accepted', async () => {
    const ubrn = await bookedForReview();
    assert.equal((await send(sim, 'POST', path(ubrn, 'acceptReferral'), appHeaders(sim, 'provider', ifMatch(await versionOf(sim, ubrn))))).status, 200);
    const { ubrn: pending } = await newReferral(sim);
    await book(sim, pending);
    await assertStu3Outcome(await send(sim, 'POST', path(pending, 'acceptReferral'), spc(sim, ifMatch(await versionOf(sim, pending)))), 422, 'INVALID_REQUEST_STATE', 'referral letter');
  });
});

describe('A014 reject referral', () => {
  it('rejects with a reason: REJECTED, appointment cancelled, on the referrer\'s REJECTED_TRIAGE_RESPONSE list', async () => {
    const ubrn = await bookedForReview();
    const res = await send(sim, 'POST', path(ubrn, 'rejectReferral'), spc(sim, ifMatch(await versionOf(sim, ubrn))), {
      resourceType: 'Parameters', parameter: [{ name: 'rejectionReason', valueCoding: ref(sim, 'FURTHER_INFORMATION_REQUIRED') }, { name: 'rejectionComments', valueString: 'please add the ECG' }],
    });
    const body = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(stateOf(body), 'REJECTED');
    assert.equal(body.contained.find((c: Json) => c.resourceType === 'Appointment').status, 'cancelled');
    assert.ok((await worklist(sim, rc(sim), 'REJECTED_TRIAGE_RESPONSE')).includes(ubrn));
  });

  it('documents the reason rules: comment required, PROVIDER_REJECT only, appointmentCancelledInPAS for IBS only', async () => {
    const ubrn = await bookedForReview();
    const v = await versionOf(sim, ubrn);
    const body = (code: string, extra: Json[] = []) => ({ resourceType: 'Parameters', parameter: [{ name: 'rejectionReason', valueCoding: ref(sim, code) }, ...extra] });
    await assertStu3Outcome(await send(sim, 'POST', path(ubrn, 'rejectReferral'), spc(sim, ifMatch(v)), body('FURTHER_INFORMATION_REQUIRED')), 422, 'VALUE_IS_REQUIRED');
    await assertStu3Outcome(await send(sim, 'POST', path(ubrn, 'rejectReferral'), spc(sim, ifMatch(v)), body('PATIENT_ILL')), 422, 'INAPPROPRIATE_VALUE');
    await assertStu3Outcome(await send(sim, 'POST', path(ubrn, 'rejectReferral'), spc(sim, ifMatch(v)), body('NOT_A_REASON')), 422, 'INVALID_CODE');
    await assertStu3Outcome(await send(sim, 'POST', path(ubrn, 'rejectReferral'), spc(sim, ifMatch(v)), body('SERVICE_INAPPROPRIATE', [{ name: 'rejectionComments', valueString: 'x' }, { name: 'appointmentCancelledInPAS', valueBoolean: true }])), 422, 'FIELD_NOT_PERMITTED');
    const ibs = FX.referrals.bookedIbs;
    await assertStu3Outcome(await send(sim, 'POST', path(ibs, 'rejectReferral'), spc(sim, ifMatch(await versionOf(sim, ibs))), body('SERVICE_INAPPROPRIATE', [{ name: 'rejectionComments', valueString: 'x' }])), 422, 'VALUE_IS_REQUIRED');
    assert.equal(await versionOf(sim, ubrn), v, 'no failed call changed the referral');
  });
});

describe('A022 cancel appointment, action later', () => {
  it('cancels the appointment and hands the referral to the provider: TRIAGED_PROVIDER_TO_ACTION with a proposed appointment and the new priority', async () => {
    const ubrn = await bookedForReview();
    const fileId = await upload(sim, ubrn, 'clinic-note.txt', 'text/plain', Buffer.from('rebook in the hand clinic'));
    const res = await send(sim, 'POST', path(ubrn, 'cancelAppointmentActionLater'), spc(sim, ifMatch(await versionOf(sim, ubrn))), {
      resourceType: 'Parameters',
      parameter: [
        { name: 'comments', valueString: 'Please rebook in the hand clinic' },
        { name: 'priority', valueCoding: { system: `${CS}/eRS-Priority-1`, code: 'URGENT' } },
        { name: 'providerAttachmentFile', resource: letterDoc(fileId, { type: 'PROVIDER', description: 'clinic note' }) },
      ],
    });
    const body = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(stateOf(body), 'TRIAGED_PROVIDER_TO_ACTION');
    const appt = body.contained.find((c: Json) => c.resourceType === 'Appointment');
    assert.equal(appt.status, 'proposed');
    assert.equal(appt.reason[0].coding[0].code, 'CANCEL_APPOINTMENT_ACTION_LATER');
    assert.ok(body.contained.some((c: Json) => c.resourceType === 'DocumentReference' && c.type.coding[0].code === 'PROVIDER'));
    assert.deepEqual(await actions(sim, ubrn, spc(sim)), ['CANCEL_REFERRAL'], 'a triaged referral offers no further review');
  });
});

describe('A028 record triage outcome', () => {
  it('returns a triage referral to the referrer with advice, or accepts it to book later; A029 agrees before and after', async () => {
    const back = await triaged();
    assert.deepEqual(await actions(sim, back, spc(sim)), ['RECORD_REVIEW_OUTCOME', 'CANCEL_REFERRAL']);
    let res = await send(sim, 'POST', path(back, 'recordReviewOutcome'), spc(sim, ifMatch(await versionOf(sim, back))), reviewBody('RETURN_TO_REFERRER_WITH_ADVICE', 'try physiotherapy first'));
    assert.equal(res.status, 200);
    assert.equal(stateOf(await readJson(res)), 'TRIAGE_RESPONSE');
    assert.deepEqual(await actions(sim, back, spc(sim)), ['CANCEL_REFERRAL']);
    assert.ok((await worklist(sim, rc(sim), 'REJECTED_TRIAGE_RESPONSE')).includes(back));

    const later = await triaged();
    await assertStu3Outcome(await send(sim, 'POST', path(later, 'recordReviewOutcome'), spc(sim, ifMatch(await versionOf(sim, later))), reviewBody('RETURN_TO_REFERRER_WITH_ADVICE', 'x', 'TWO_WEEK_WAIT')), 422, 'PRIORITY_NOT_CURRENT');
    await assertStu3Outcome(await send(sim, 'POST', path(later, 'recordReviewOutcome'), spc(sim, ifMatch(await versionOf(sim, later))), reviewBody('CANCEL_APPOINTMENT_ACTION_LATER')), 422, 'INVALID_VALUE');
    res = await send(sim, 'POST', path(later, 'recordReviewOutcome'), appHeaders(sim, 'provider', ifMatch(await versionOf(sim, later))), reviewBody('ACCEPT_REFER_BOOK_LATER', 'book within 2 weeks', 'TWO_WEEK_WAIT'));
    const body = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(stateOf(body), 'TRIAGED_PROVIDER_TO_ACTION');
    await assertStu3Outcome(await send(sim, 'POST', path(later, 'recordReviewOutcome'), spc(sim, ifMatch(await versionOf(sim, later))), reviewBody('ACCEPT_REFER_BOOK_LATER')), 422, 'INVALID_REQUEST_STATE');
  });
});

describe('attachments on the simulator\'s clock (A006, A042)', () => {
  it('an upload is PENDING until its scan completes, then A006 serves it and A042 redirects to a short-lived object-store link', async () => {
    const { ubrn } = await newReferral(sim);
    const id = await upload(sim, ubrn, 'letter.txt', 'text/plain', Buffer.from('Dear colleague'));
    await assertStu3Outcome(await send(sim, 'GET', `/STU3/Binary/${id}`, rc(sim)), 422, 'PENDING');
    let r4 = await send(sim, 'GET', `/R4/Binary/${id}`, rc(sim), undefined);
    assert.equal(r4.status, 422);
    assert.equal((await readJson(r4)).issue[0].details.coding[0].code, 'PENDING');
    sim.advanceClock(5 * 60);
    const stu3 = await send(sim, 'GET', `/STU3/Binary/${id}`, rc(sim, { Accept: 'text/plain' }));
    assert.equal(stu3.status, 200);
    assert.equal(await stu3.text(), 'Dear colleague');
    assert.equal((await send(sim, 'GET', `/STU3/Binary/${id}`, rc(sim, { Accept: 'application/pdf' }))).status, 406);
    r4 = await fetch(`${sim.baseUrl}/R4/Binary/${id}`, { headers: rc(sim), redirect: 'manual' });
    assert.equal(r4.status, 307);
    const location = r4.headers.get('location')!;
    assert.ok(location.startsWith(sim.origin), location);
    const file = await fetch(location);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-disposition') ?? '', /filename\*=UTF-8''letter\.txt/);
    assert.equal(await file.text(), 'Dear colleague');
    sim.advanceClock(61);
    assert.equal((await fetch(location)).status, 403, 'the link is short-lived');
  });

  it('the scan quarantines the anti-virus test file and fails a file whose content is not its type', async () => {
    const { ubrn } = await newReferral(sim);
    const virus = await upload(sim, ubrn, 'eicar.txt', 'text/plain', Buffer.from(antivirusTestSignature()));
    const fake = await upload(sim, ubrn, 'scan.pdf', 'application/pdf', Buffer.from('not a pdf'));
    sim.advanceClock(5 * 60);
    await assertStu3Outcome(await send(sim, 'GET', `/STU3/Binary/${virus}`, rc(sim)), 422, 'THREATS_FOUND');
    await assertStu3Outcome(await send(sim, 'GET', `/STU3/Binary/${fake}`, rc(sim)), 422, 'VALIDATION_FAILED');
  });
});

describe('A007 clinical referral information', () => {
  it('is a PDF named for the referral, listing the provider\'s review', async () => {
    const ubrn = await bookedForReview();
    await send(sim, 'POST', path(ubrn, 'rejectReferral'), spc(sim, ifMatch(await versionOf(sim, ubrn))), {
      resourceType: 'Parameters', parameter: [{ name: 'rejectionReason', valueCoding: ref(sim, 'FURTHER_INFORMATION_REQUIRED') }, { name: 'rejectionComments', valueString: 'please add the ECG' }],
    });
    const res = await send(sim, 'POST', `/STU3/ReferralRequest/${ubrn}/$ers.generateCRI`, spc(sim));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`${ubrn}_Clinical_Information_Summary_\\d{14}\\.pdf`));
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    await assertStu3Outcome(await send(sim, 'POST', `/STU3/ReferralRequest/${FX.referrals.adviceAndGuidance}/$ers.generateCRI`, spc(sim)), 422, 'INVALID_REQUEST_TYPE');
  });
});


describe('A029 and the review writes agree (one set of rules)', () => {
  it('for every seeded referral and provider caller, A029 offers RECORD_REVIEW_OUTCOME exactly when A028 is accepted', async () => {
    const callers: [string, (extra?: Record<string, string>) => Record<string, string>][] = [
      ['SERVICE_PROVIDER_CLINICIAN', (extra = {}) => spc(sim, extra)],
      ['SERVICE_PROVIDER_CLINICIAN_ADMIN', (extra = {}) => as(sim, 'SERVICE_PROVIDER_CLINICIAN_ADMIN', extra)],
      ['the provider application', (extra = {}) => appHeaders(sim, 'provider', extra)],
    ];
    let offered = 0;
    for (const ubrn of Object.values(FX.referrals) as string[]) {
      for (const [name, headers] of callers) {
        sim.reset();
        const read = await send(sim, 'GET', `/STU3/ReferralRequest/${ubrn}`, rc(sim));
        if (read.status !== 200) continue; // unknown, A&G or unreadable: A029 answers for referrals only
        const v = Number((await readJson(read)).meta.versionId);
        const task = await send(sim, 'GET', `/STU3/Task?focus=ReferralRequest/${ubrn}/_history/${v}&intent=proposal&status=ready`, headers());
        const codes = ((await readJson(task)).entry ?? []).map((e: Json) => e.resource.code.coding[0].code);
        const write = await send(sim, 'POST', path(ubrn, 'recordReviewOutcome'), headers(ifMatch(v)), reviewBody('ACCEPT_REFER_BOOK_LATER', 'book later'));
        const offers = codes.includes('RECORD_REVIEW_OUTCOME');
        if (offers) offered += 1;
        assert.equal(write.status === 200, offers, `${ubrn} as ${name}: A029 ${offers ? 'offers' : 'does not offer'} RECORD_REVIEW_OUTCOME but A028 answered ${write.status} ${write.status === 200 ? '' : (await readJson(write)).issue?.[0]?.details?.coding?.[0]?.code}`);
      }
    }
    assert.ok(offered > 0, 'at least one seeded referral is pending review');
    sim.reset();
  });
});

describe('the object store stays bounded', () => {
  it('keeps at most MAX_DOWNLOAD_LINKS links, dropping the oldest first', async () => {
    const { issueDownload, MAX_DOWNLOAD_LINKS } = await import('../../src/simulator/domain/attachments.ts');
    const { createStore } = await import('../../src/simulator/store.ts');
    const { loadDefaultSeed } = await import('../../src/simulator/seed/index.ts');
    const store = createStore(loadDefaultSeed(), 'http://127.0.0.1/referrals/FHIR');
    const file = store.binaries.get(FX.attachments.available)!;
    const now = new Date();
    const first = issueDownload(store, file, now);
    for (let i = 0; i < MAX_DOWNLOAD_LINKS + 5; i++) issueDownload(store, file, now);
    assert.equal(store.downloads.size, MAX_DOWNLOAD_LINKS);
    assert.equal(store.downloads.has(first), false, 'the oldest link went first');
  });
});
