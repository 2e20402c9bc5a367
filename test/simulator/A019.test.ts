// A019 Generate patient letter: a real, structurally valid PDF per referral, and every documented error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { minimalPdf } from '../../src/simulator/pdf.ts';
import { FX, assertStu3Outcome, start } from './helpers.ts';
import { as, book, newReferral, rc, send } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const A019 = (ubrn: string) => `/STU3/ReferralRequest/${ubrn}/$ers.generatePatientLetter`;

/** What a PDF reader checks first: header, objects where the xref says, stream lengths, trailer, startxref, EOF. */
export function assertValidPdf(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.'), 'PDF header');
  assert.ok(text.trimEnd().endsWith('%%EOF'), 'ends with %%EOF');
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
  assert.equal(text.slice(startxref, startxref + 4), 'xref', 'startxref points at the xref table');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
  assert.equal(first, '0');
  const entries = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
  entries.forEach((e, i) => {
    assert.equal(`${e}\n`.length, 20, `xref entry ${i} is 20 bytes`);
    if (i === 0) return assert.match(e, /^0000000000 65535 f $/);
    const offset = Number(e.slice(0, 10));
    assert.ok(text.startsWith(`${i} 0 obj`, offset), `xref entry ${i} points at object ${i}`);
  });
  for (const m of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const from = (m.index ?? 0) + m[0].length;
    assert.equal(text.slice(from + Number(m[1]), from + Number(m[1]) + 10), '\nendstream', 'stream /Length is exact');
  }
  assert.match(text, /trailer\n<< \/Size (\d+) \/Root 1 0 R/);
  return text;
}

describe('A019 generate patient letter', () => {
  it('200 application/pdf with Content-Disposition {ubrn}_Appointment_Confirmation_Summary_{ts}.pdf; shortlist letter', async () => {
    const res = await send(sim, 'POST', A019(FX.referrals.unbooked), rc(sim, { Accept: 'application/pdf' }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="${FX.referrals.unbooked}_Appointment_Confirmation_Summary_\\d{14}\\.pdf"$`));
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), pdf.length);
    const text = assertValidPdf(pdf);
    assert.ok(text.includes(FX.referrals.unbooked) && text.includes('Northbrook Heart Failure Clinic'), 'the letter is about this referral');
  });

  it('a booked referral gets a booking confirmation; RCA may print; SPC may not', async () => {
    const { ubrn } = await newReferral(sim);
    await book(sim, ubrn);
    const text = assertValidPdf(Buffer.from(await (await send(sim, 'POST', A019(ubrn), as(sim, 'REFERRING_CLINICIAN_ADMIN'))).arrayBuffer()));
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
  it('minimalPdf escapes PDF string delimiters and non-ASCII text', () => {
    const text = assertValidPdf(minimalPdf('T (1)', ['back\\slash', 'Zoë'], new Date(0)));
    assert.ok(text.includes('(T \\(1\\)) Tj') && text.includes('(back\\\\slash)') && text.includes('(Zo?)'));
  });
});
