// eRS-Appointment-1 / CareConnect-Appointment-1 rendering of a stored appointment (A016, A034, A038, contained in A005).
import { displayOf } from '../domain/reference.ts';
import type { Store, StoredAppointment } from '../store.ts';
import { ID, PROFILE, SYSTEM, referenceSystem } from './systems.ts';

/** The Appointment resource; `contained` drops id/meta.versionId as dom-4 requires of contained resources. */
export function appointmentResource(appt: StoredAppointment, store: Store, baseUrl: string, contained = false): Record<string, unknown> {
  const ref = store.referrals.get(appt.ubrn);
  const service = store.services.get(appt.service);
  const participant: Record<string, unknown>[] = [
    { actor: { identifier: { system: ID.ersService, value: appt.service }, display: service?.name ?? appt.service }, status: 'accepted' },
    { actor: { identifier: { system: ID.nhsNumber, value: ref?.patient ?? '' } }, status: 'accepted' },
  ];
  if (appt.clinician) {
    // e-RS emits participant.type as a single object (known issue); the simulator emits the valid array form
    participant.push({ type: [{ coding: [{ system: SYSTEM.participantType, code: 'CON' }] }], actor: { identifier: { system: ID.sdsUser, value: appt.clinician } }, status: 'accepted' });
  }
  const reason = appt.reason
    ? [{ coding: [{ system: appt.reason.system ?? referenceSystem(baseUrl, appt.reason.codeSystemType ?? ''), code: appt.reason.code, ...reasonDisplay(store, appt) }] }]
    : undefined;
  return {
    resourceType: 'Appointment',
    id: contained ? 'appointment' : appt.id,
    meta: contained
      ? { profile: [PROFILE.appointment, PROFILE.careConnectAppointment] }
      : { versionId: String(appt.version), lastUpdated: appt.lastUpdated, profile: [PROFILE.appointment, PROFILE.careConnectAppointment] },
    language: 'en',
    status: appt.status,
    ...(reason ? { reason } : {}),
    description: 'e-Referral Appointment',
    ...(appt.start && appt.end ? { start: appt.start, end: appt.end } : {}),
    ...(appt.slot ? { slot: [{ reference: `Slot/${appt.slot}` }] } : {}),
    created: appt.created,
    ...(appt.comment ? { comment: appt.comment } : {}),
    incomingReferral: [{ reference: `ReferralRequest/${appt.ubrn}/_history/${ref?.version ?? 1}` }],
    participant,
  };
}

function reasonDisplay(store: Store, appt: StoredAppointment): { display?: string } {
  const type = appt.reason?.codeSystemType;
  const display = type ? displayOf(store, type, appt.reason?.code ?? '') : undefined;
  return display ? { display } : {};
}
