// A019 Generate patient letter: POST /STU3/ReferralRequest/{ubrn}/$ers.generatePatientLetter (RC, RCA; UR only) -> a real
// PDF generated for the referral (shortlist and booking instructions, or the booking/deferral confirmation).
import { assertAllowed, currentAppointment } from '../domain/lifecycle.ts';
import { referralFor } from '../domain/referrals.ts';
import { ErsError, unprocessable } from '../errors.ts';
import { header, type SimRequest } from '../http-types.ts';
import { minimalPdf } from '../pdf.ts';
import type { Store, StoredReferral } from '../store.ts';
import type { OperationImpl } from './types.ts';

const ACCEPTS_PDF = new Set(['application/pdf', 'application/*', '*/*']);

export const generatePatientLetter: OperationImpl = {
  ids: ['A019'],
  handle({ params, store, caller, now, req }) {
    checkAcceptsPdf(req);
    // A019 documents no PATIENT_ERROR: the letter is for the patient themself
    const ref = referralFor(store, params.ubrn as string, caller, { patientError: false });
    assertAllowed('GENERATE_PATIENT_LETTER', ref, store, now);
    const patient = store.patients.get(ref.patient);
    if (patient?.portalAccessCode === false) throw unprocessable('NO_ACCESS_CODE', `subject: patient ${ref.patient} has no access code for the patient portal, so no patient letter can be printed`);
    const pdf = minimalPdf('NHS e-Referral Service: your referral', letterLines(ref, store), now);
    const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${ref.ubrn}_Appointment_Confirmation_Summary_${stamp}.pdf"` },
      body: pdf,
    };
  },
};

export function checkAcceptsPdf(req: SimRequest, what = 'the patient letter'): void {
  const accept = header(req, 'accept');
  if (!accept?.trim()) return;
  const ok = accept.split(',').some((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = rest.find((p) => p.startsWith('q='));
    return ACCEPTS_PDF.has(type) && (q ? Number(q.slice(2)) > 0 : true);
  });
  if (!ok) throw new ErsError(406, 'not-supported', 'INVALID_VALUE', `Not Acceptable: ${what} is application/pdf, the Accept header asked for '${accept}'`, { stu3Body: 'text' });
}

function letterLines(ref: StoredReferral, store: Store): string[] {
  const patient = store.patients.get(ref.patient);
  const lines = [
    `Patient: ${patient?.name ?? ''} (NHS number ${ref.patient})`,
    `Booking reference number (UBRN): ${ref.ubrn}`,
    `Referral state: ${ref.state}`,
    '',
  ];
  const appt = currentAppointment(ref, store);
  const service = appt ? store.services.get(appt.service) : undefined;
  if (appt?.status === 'booked') {
    lines.push('Your appointment is booked:', `  ${service?.name ?? appt.service}`, `  ${appt.start} to ${appt.end}`);
  } else if (appt?.status === 'proposed') {
    lines.push(`Your referral has been sent to ${service?.name ?? appt.service}.`, 'The service will contact you to arrange your appointment.');
  } else {
    lines.push('Book your appointment at one of these services:');
    for (const id of ref.shortlist) lines.push(`  - ${store.services.get(id)?.name ?? id}`);
    lines.push('', 'Book online at https://www.nhs.uk/nhs-app or call the booking line,', `quoting your booking reference number ${ref.ubrn}.`);
  }
  return lines;
}
