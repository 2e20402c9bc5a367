// A020 Upload file to document store and A012 Maintain referral letter: stored bytes, linking/replacing, every documented error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, readJson, start, type Json } from './helpers.ts';
import { as, ifMatch, letterDoc, letters, newReferral, rc, referral, send, upload, versionOf } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const uploadRaw = (headers: Record<string, string>, bytes: Buffer) => send(sim, 'POST', '/STU3/Binary', rc(sim, headers), bytes);
const A012 = (ubrn: string) => `/STU3/ReferralRequest/${ubrn}/$ers.maintainReferralLetter`;
const maintain = (ubrn: string, headers: Record<string, string>, body: Json) => send(sim, 'POST', A012(ubrn), rc(sim, headers), body);
const docs = (r: Json) => r.contained.filter((c: Json) => c.resourceType === 'DocumentReference');

describe('A020 upload file', () => {
  it('201, empty body, Location Binary/{uuid}; every allowed MIME type; SPC and SPCA may upload', async () => {
    const res = await uploadRaw({ 'Content-Type': 'application/pdf', 'NHSD-eRS-File-Name': 'letter.pdf', 'NHSD-eRS-Referral-ID': FX.referrals.unbooked }, Buffer.from('%PDF-1.4'));
    assert.equal(res.status, 201);
    assert.match(res.headers.get('location') ?? '', /^Binary\/[0-9a-f-]{36}$/);
    assert.equal(await res.text(), '');
    for (const [type, name] of [['text/rtf', 'a.rtx'], ['image/jpeg', 'a.JPE'], ['application/dicom', 'scan.dcm'], ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'x, y.docx']]) {
      assert.equal((await uploadRaw({ 'Content-Type': type as string, 'NHSD-eRS-File-Name': name as string }, Buffer.from('x'))).status, 201, type);
    }
    for (const role of ['SERVICE_PROVIDER_CLINICIAN', 'SERVICE_PROVIDER_CLINICIAN_ADMIN']) {
      const r = await send(sim, 'POST', '/STU3/Binary', as(sim, role, { 'Content-Type': 'text/plain', 'NHSD-eRS-File-Name': 'n.txt' }), Buffer.from('x'));
      assert.equal(r.status, 201, role);
    }
  });
  const base = { 'Content-Type': 'text/plain', 'NHSD-eRS-File-Name': 'note.txt' };
  const cases: [string, Record<string, string>, Buffer, number, string][] = [
    ['no file name', { 'Content-Type': 'text/plain' }, Buffer.from('x'), 422, 'MISSING_VALUE'],
    ['file name over 255 characters', { ...base, 'NHSD-eRS-File-Name': `${'a'.repeat(252)}.txt` }, Buffer.from('x'), 422, 'INVALID_VALUE'],
    ['unsupported MIME type', { ...base, 'Content-Type': 'application/zip', 'NHSD-eRS-File-Name': 'a.zip' }, Buffer.from('x'), 422, 'INAPPROPRIATE_VALUE'],
    ['extension not matching the MIME type', { ...base, 'NHSD-eRS-File-Name': 'note.pdf' }, Buffer.from('x'), 422, 'CONFLICTING_VALUES'],
    ['no extension', { ...base, 'NHSD-eRS-File-Name': 'note' }, Buffer.from('x'), 422, 'CONFLICTING_VALUES'],
    ['empty file', base, Buffer.alloc(0), 422, 'FILE_SIZE_ERROR'],
    ['over 5 MB', base, Buffer.alloc(5 * 1024 * 1024 + 1, 97), 422, 'FILE_SIZE_ERROR'],
    ['referral id not a UBRN', { ...base, 'NHSD-eRS-Referral-ID': 'abc' }, Buffer.from('x'), 422, 'INVALID_VALUE'],
  ];
  for (const [name, headers, bytes, status, code] of cases) it(`${name} -> ${status} ${code}`, async () => { await assertStu3Outcome(await uploadRaw(headers, bytes), status, code); });
  it('not a media type -> 415; no Content-Type -> 422 MISSING_VALUE; referring admin -> 403', async () => {
    assert.equal((await uploadRaw({ ...base, 'Content-Type': 'nonsense' }, Buffer.from('x'))).status, 415);
    const res = await fetch(`${sim.baseUrl}/STU3/Binary`, { method: 'POST', headers: rc(sim, { 'NHSD-eRS-File-Name': 'a.txt' }), body: new Uint8Array([1]) });
    // fetch adds no Content-Type for a Uint8Array body
    await assertStu3Outcome(res, 422, 'MISSING_VALUE');
    await assertStu3Outcome(await send(sim, 'POST', '/STU3/Binary', as(sim, 'REFERRING_ADMIN', base), Buffer.from('x')), 403, 'FORBIDDEN');
  });
});

describe('A012 maintain referral letter', () => {
  it('links an uploaded letter (200, version+1, ETag), then replaces the set; letters keep their bytes and type', async () => {
    const { ubrn, version } = await newReferral(sim);
    const a = await upload(sim, ubrn, 'first.txt');
    const res = await maintain(ubrn, ifMatch(version), letters(letterDoc(a, { contentType: 'text/plain' })));
    const r = await readJson(res);
    assert.equal(res.status, 200, JSON.stringify(r));
    assert.equal(r.meta.versionId, String(version + 1));
    assert.equal(res.headers.get('etag'), `W/"${version + 1}"`);
    assert.equal(docs(r).length, 1);
    assert.equal(docs(r)[0].content[0].attachment.url, `Binary/${a}`);
    assert.equal(docs(r)[0].content[0].attachment.size, 'Dear colleague'.length);
    const b = await upload(sim, ubrn, 'second.txt');
    const c = await upload(sim, ubrn, 'third.pdf', 'application/pdf', Buffer.from('%PDF-1.4 x'));
    const res2 = await maintain(ubrn, ifMatch(version + 1), letters(letterDoc(b), letterDoc(c, { description: 'scan' })));
    assert.equal(res2.status, 200);
    const r2 = await referral(sim, ubrn);
    assert.deepEqual(docs(r2).map((d: Json) => d.content[0].attachment.url), [`Binary/${b}`, `Binary/${c}`]);
    // the replaced letter is free to be linked again
    assert.equal((await maintain(ubrn, ifMatch(version + 2), letters(letterDoc(a)))).status, 200);
  });

  it('errors (404, 412, 409, 403 and every documented 422)', async () => {
    const { ubrn, version } = await newReferral(sim);
    const mine = await upload(sim, ubrn, 'mine.txt');
    const same = await upload(sim, ubrn, 'mine.txt');
    const other = await upload(sim, FX.referrals.unbooked, 'other.txt');
    const ok = letters(letterDoc(mine));
    const v = ifMatch(version);
    await assertStu3Outcome(await maintain(FX.referrals.unknown, v, ok), 404, 'REFERENCE_NOT_FOUND');
    await assertStu3Outcome(await maintain(ubrn, {}, ok), 412, 'MISSING_HEADER');
    await assertStu3Outcome(await maintain(ubrn, ifMatch(version + 5), ok), 409, 'VERSION_CONFLICT');
    await assertStu3Outcome(await send(sim, 'POST', A012(ubrn), as(sim, 'SERVICE_PROVIDER_CLINICIAN', v), ok), 403, 'FORBIDDEN');
    const cases: [string, string, Json, string][] = [
      ['A&G UBRN', FX.referrals.adviceAndGuidance, ok, 'INVALID_REQUEST_TYPE'],
      ['sensitive patient', FX.referrals.sensitivePatient, ok, 'PATIENT_ERROR'],
      ['another practice', FX.referrals.noProviderRelationship, ok, 'NO_RELATIONSHIP'],
      ['cancelled referral', FX.referrals.cancelled, ok, 'INVALID_REQUEST_STATE'],
      ['appointment in the past', FX.referrals.bookedInThePast, ok, 'INVALID_REQUEST_STATE'],
      ['no files', ubrn, letters(), 'MISSING_VALUE'],
      ['no attachment url', ubrn, letters(letterDoc(mine, { url: '' })), 'MISSING_VALUE'],
      ['unknown parameter', ubrn, { resourceType: 'Parameters', parameter: [{ name: 'coverLetter', valueString: 'x' }] }, 'UNEXPECTED_FIELD'],
      ['not a DocumentReference', ubrn, { resourceType: 'Parameters', parameter: [{ name: 'referralLetterFile', valueString: 'x' }] }, 'INVALID_FHIR_STRUCTURE'],
      ['not a REFERRER attachment', ubrn, letters(letterDoc(mine, { type: 'PROVIDER' })), 'INVALID_VALUE'],
      ['description over 200 characters', ubrn, letters(letterDoc(mine, { description: 'd'.repeat(201) })), 'INVALID_VALUE'],
      ['unknown Binary', ubrn, letters(letterDoc(FX.documents.unknown)), 'REFERENCE_NOT_FOUND'],
      ['uploaded for another referral', ubrn, letters(letterDoc(other)), 'INAPPROPRIATE_VALUE'],
      ['uploaded without NHSD-eRS-Referral-ID', ubrn, letters(letterDoc(FX.documents.withoutReferralId)), 'INAPPROPRIATE_VALUE'],
      ['linked already as a provider attachment', FX.referrals.unbooked, letters(letterDoc(FX.documents.providerAttachment)), 'INVALID_STATE'],
      ['contentType not the uploaded one', ubrn, letters(letterDoc(mine, { contentType: 'application/pdf' })), 'CONFLICTING_VALUES'],
      ['two files with one name', ubrn, letters(letterDoc(mine), letterDoc(same)), 'DUPLICATE_FILENAME'],
    ];
    for (const [name, target, body, code] of cases) {
      // referral checks come before If-Match, so unreadable referrals get any version
      const readable = ![FX.referrals.adviceAndGuidance, FX.referrals.sensitivePatient, FX.referrals.noProviderRelationship].includes(target);
      const res = await maintain(target, ifMatch(readable ? await versionOf(sim, target) : 1), body);
      assert.equal(res.status, 422, `${name}: ${res.status}`);
      await assertStu3Outcome(res, 422, code);
    }
    const linked = await maintain(ubrn, v, ok);
    assert.equal(linked.status, 200, await linked.text());
    await assertStu3Outcome(await maintain(ubrn, ifMatch(version + 1), ok), 422, 'NO_CHANGES_DETECTED');
  });
});
