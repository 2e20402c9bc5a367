// A019 Generate patient letter: a real, structurally valid PDF per referral, and every documented error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { createPdfInspector } from '../../src/http/pdf.ts';
import { FX, assertStu3Outcome, start } from './helpers.ts';
import { as, book, newReferral, rc, send } from './referrer-helpers.ts';

let sim: Simulator;
const pdfs = createPdfInspector();
before(async () => { sim = await start(); });
after(async () => { await sim.close(); await pdfs.close(); });

const A019 = (ubrn: string) => `/STU3/ReferralRequest/${ubrn}/$ers.generatePatientLetter`;

/** Opens the PDF as a reader would (the harness's own PDF check) and returns its text; fails on any problem. */
export async function assertValidPdf(pdf: Buffer): Promise<string> {
  const report = await pdfs.inspect(pdf);
  assert.deepEqual(report.problems, [], 'a PDF reader opens it');
  return report.text;
}

describe('A019 generate patient letter', () => {
  it('200 application/pdf with Content-Disposition {ubrn}_Appointment_Confirmation_Summary_{ts}.pdf; shortlist letter', async () => {
    const res = await send(sim, 'POST', A019(FX.referrals.unbooked), rc(sim, { Accept: 'application/pdf' }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="${FX.referrals.unbooked}_Appointment_Confirmation_Summary_\\d{14}\\.pdf"$`));
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), pdf.length);
    const text = await assertValidPdf(pdf);
    assert.ok(text.includes(FX.referrals.unbooked) && text.includes('Northbrook Heart Failure Clinic'), 'the letter is about this referral');
  });

  it('a booked referral gets a booking confirmation; RCA may print; SPC may not', async () => {
    const { ubrn } = await newReferral(sim);
    await book(sim, ubrn);
    const text = await assertValidPdf(Buffer.from(await (await send(sim, 'POST', A019(ubrn), as(sim, 'REFERRING_CLINICIAN_ADMIN'))).arrayBuffer()));
    assert.ok(text.includes('Your appointment is booked'));
    await assertStu3Outcome(await send(sim, 'POST', A019(ubrn), as(sim, 'SERVICE_PROVIDER_CLINICIAN')), 403, 'FORBIDDEN');
  });

  const cases: [string, string, number, string][] = [
    ['unknown UBRN', FX.referrals.unknown, 404, 'REFERENCE_NOT_FOUND'],
    ['A&G UBRN', FX.referrals.adviceAndGuidance, 422, 'INVALID_REQUEST_TYPE'],
    ['cancelled referral', FX.referrals.cancelled, 422, 'INVALID_REQUEST_STATE'],
    ['patient without a portal access code', FX.referrals.noPortalAccessCode, 422, 'NO_ACCESS_CODE'],
    ['another practice\'s referral', FX.referrals.noProviderRelationship, 422, 'NO_RELATIONSHIP'],
  ];
  for (const [name, ubrn, status, code] of cases) it(`${name} -> ${status} ${code}`, async () => { await assertStu3Outcome(await send(sim, 'POST', A019(ubrn), rc(sim)), status, code); });
  it('Accept without application/pdf -> 406', async () => {
    assert.equal((await send(sim, 'POST', A019(FX.referrals.unbooked), rc(sim, { Accept: 'application/fhir+json' }))).status, 406);
  });
});
