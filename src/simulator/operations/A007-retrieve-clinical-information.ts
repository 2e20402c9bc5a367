// A007 Retrieve clinical information: POST /STU3/ReferralRequest/{ubrn}/$ers.generateCRI (RC, RCA, SPC, SPCA; provider
// apps) -> the Clinical Referral Information summary as a real PDF: the referral's clinical details, the provider's
// review activity and the attachments' names (never the attachments themselves).
import { availability } from '../domain/attachments.ts';
import { currentAppointment } from '../domain/lifecycle.ts';
import { referralFor } from '../domain/referrals.ts';
import { minimalPdf } from '../pdf.ts';
import type { Store, StoredReferral } from '../store.ts';
import { checkAcceptsPdf } from '../pdf.ts';
import type { OperationImpl } from './types.ts';

export const retrieveClinicalInformation: OperationImpl = {
  ids: ['A007'],
  handle({ params, store, caller, now, req }) {
    checkAcceptsPdf(req, 'the clinical information summary');
    const ref = referralFor(store, params.ubrn as string, caller);
    const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const pdf = minimalPdf(`Clinical Referral Information: ${ref.ubrn}`, criLines(ref, store, now), now);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${ref.ubrn}_Clinical_Information_Summary_${stamp}.pdf"` },
      body: pdf,
    };
  },
};

function criLines(ref: StoredReferral, store: Store, now: Date): string[] {
  const patient = store.patients.get(ref.patient);
  const referrer = store.users.get(ref.referrer);
  const lines = [
    `Patient: ${patient?.name ?? ''} (NHS number ${ref.patient})`,
    `UBRN: ${ref.ubrn}    Priority: ${ref.priority}    Specialty: ${ref.specialty ?? '-'}    Clinic type: ${ref.clinicType ?? '-'}`,
    `Referred by: ${referrer?.name ?? ref.referrer} (${ref.referringOds}) on ${ref.created.slice(0, 10)}`,
    `Referral state: ${ref.state}${ref.stateReason ? ` (${ref.stateReason.code})` : ''}    Status: ${ref.status}`,
  ];
  const appt = currentAppointment(ref, store);
  if (appt) lines.push(`Appointment: ${appt.status} at ${store.services.get(appt.service)?.name ?? appt.service}${appt.start ? ` on ${appt.start}` : ''}`);
  lines.push('', 'Attachments (retrieve each with A042):');
  const files = [...ref.letters.map((l) => ({ id: l.binaryId, type: 'REFERRER' })), ...(ref.providerAttachments ?? []).map((a) => ({ id: a.binaryId, type: 'PROVIDER' }))];
  if (files.length === 0) lines.push('  none');
  for (const f of files) {
    const file = store.binaries.get(f.id);
    lines.push(`  ${f.type}: ${file?.fileName ?? f.id} (${file ? availability(file, now) : 'missing'})`);
  }
  lines.push('', 'Provider activity:');
  if (!ref.providerActivity?.length) lines.push('  none yet');
  for (const a of ref.providerActivity ?? []) {
    lines.push(`  ${a.at.slice(0, 16).replace('T', ' ')} ${a.activity}: ${a.outcome} by ${store.users.get(a.by)?.name ?? a.by}`);
    if (a.comments) lines.push(`    "${a.comments.slice(0, 160)}"`);
  }
  return lines;
}
