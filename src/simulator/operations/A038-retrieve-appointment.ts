// A038 Retrieve appointment, current and _history/{version} reads (RC, RCA, SPC, SPCA; UR only). ETag = the version A034 needs.
import { referralFor } from '../domain/referrals.ts';
import { ErsError } from '../errors.ts';
import { appointmentResource } from '../fhir/appointment.ts';
import { fhirJson, type Caller } from '../http-types.ts';
import type { Store, StoredAppointment } from '../store.ts';
import type { OperationImpl } from './types.ts';

export const retrieveAppointment: OperationImpl = {
  ids: ['A038', 'A038-versioned'],
  handle({ params, store, caller, baseUrl, op }) {
    const appt = currentAppointmentFor(store, params.id as string, caller);
    if (op.id === 'A038-versioned' && params.version !== String(appt.version)) {
      throw new ErsError(404, 'not-found', 'HISTORY_NOT_SUPPORTED', `version: only the current version (${appt.version}) of appointment ${appt.id} can be read, not ${String(params.version)}`);
    }
    return fhirJson(200, appointmentResource(appt, store, baseUrl), { ETag: `W/"${appt.version}"` });
  },
};

/** The appointment by id if it is its referral's current one (404 otherwise); PATIENT_ERROR and NO_RELATIONSHIP as for the referral. */
export function currentAppointmentFor(store: Store, id: string, caller: Caller): StoredAppointment {
  const appt = store.appointments.get(id);
  const ref = appt ? store.referrals.get(appt.ubrn) : undefined;
  // only the current appointment of a referral is retrievable (catalogue A038)
  if (!appt || !ref || ref.appointmentId !== appt.id) throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `id: no current appointment with id ${id}`);
  referralFor(store, ref.ubrn, caller);
  return appt;
}
