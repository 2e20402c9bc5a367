// A036 Cancel referral: POST /STU3/ReferralRequest/{ubrn}/$ers.cancelReferral (RC, RCA, SPC, SPCA; provider apps;
// If-Match = referral version). TERMINAL: status cancelled, state CANCELLED_REFERRAL; a current booked appointment is
// cancelled in the same call (through the PAS). 200 Parameters, no ETag (none declared).
import { assertCurrentVersion, requireIfMatch, withReferralLock } from '../domain/concurrency.ts';
import { assertAllowed, cancelAppointment, cancelReferral, currentAppointment } from '../domain/lifecycle.ts';
import { callPas } from '../domain/pas.ts';
import { referralFor } from '../domain/referrals.ts';
import { isReferrerSide } from '../domain/relationship.ts';
import { unprocessable } from '../errors.ts';
import { appointmentResource } from '../fhir/appointment.ts';
import { readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { isReferenceSystem } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { StoredAppointment } from '../store.ts';
import type { OperationImpl } from './types.ts';

const TYPE = 'REFERRAL-CANCELLATION-REASON';
const MAX_COMMENT = 2000;
const SPECS: ParamSpecs = {
  cancellationReason: { type: 'valueCoding', min: 1 },
  cancellationComments: { type: 'valueString', min: 0 },
};
const RESPONSE_PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CancelReferral-Response-Parameters-1';

export const cancelReferralOperation: OperationImpl = {
  ids: ['A036'],
  requestResourceType: 'Parameters',
  async handle({ params, body, store, caller, now, baseUrl, req }) {
    const ref = referralFor(store, params.ubrn as string, caller);
    const sent = requireIfMatch(req, `referral ${ref.ubrn}`);
    return withReferralLock(store, ref.ubrn, async () => {
      assertCurrentVersion(sent, ref.version, `referral ${ref.ubrn}`);
      assertAllowed('CANCEL_REFERRAL', ref, store, now);
      const parsed = readParameters(body, SPECS);
      const reasonParam = parsed.get('cancellationReason') as ReadParam;
      const coding = reasonParam.value as { system?: string; code: string };
      const at = `${reasonParam.path}.valueCoding`;
      const day = now.toISOString().slice(0, 10);
      const concept = isReferenceSystem(coding.system, TYPE)
        ? store.codeSystems.get(TYPE)?.concepts.find((c) => c.code === coding.code && (!c.effectiveFrom || c.effectiveFrom <= day) && (!c.effectiveTo || c.effectiveTo > day))
        : undefined;
      if (!concept) throw unprocessable('INAPPROPRIATE_VALUE', `${at}: '${String(coding.system)}#${coding.code}' is not a current ${TYPE} code`);
      const roles = (concept.businessFunction as string[] | undefined) ?? [];
      if (!roles.includes(caller.businessFunction)) throw unprocessable('INAPPROPRIATE_VALUE', `${at}.code: ${concept.code} cannot be used by ${caller.businessFunction}`);
      if (!((concept.referrerUsage as string[] | undefined) ?? []).includes('CANCEL_REFERRAL')) throw unprocessable('INAPPROPRIATE_VALUE', `${at}.code: ${concept.code} is not a reason for cancelling a referral`);
      const type = concept.appointmentRequestCancellationReasonType as string | undefined;
      if (!isReferrerSide(caller)) {
        // providers: PROVIDER_TRIAGE reasons exactly when the referral is TRIAGED_PROVIDER_TO_ACTION, else PROVIDER or PATIENT
        const triaged = ref.state === 'TRIAGED_PROVIDER_TO_ACTION';
        const allowed = triaged ? ['PROVIDER_TRIAGE'] : ['PROVIDER', 'PATIENT'];
        if (!allowed.includes(type ?? '')) throw unprocessable('INAPPROPRIATE_VALUE', `${at}.code: ${concept.code} (${type}) cannot cancel a ${ref.state} referral; use a ${allowed.join(' or ')} reason`);
      }
      const comment = parsed.get('cancellationComments')?.value as string | undefined;
      if (concept.commentIsMandatory === true && !comment?.trim()) throw unprocessable('MISSING_VALUE', `parameter: cancellationComments is required with reason ${concept.code}`);
      if (comment !== undefined && comment.length > MAX_COMMENT) throw unprocessable('INAPPROPRIATE_VALUE', `${parsed.get('cancellationComments')!.path}.valueString: ${comment.length} characters, at most ${MAX_COMMENT}`);
      const appt = currentAppointment(ref, store);
      let cancelled: StoredAppointment | undefined;
      if (appt?.status === 'booked') {
        if (concept.canCancelAppointment !== true) throw unprocessable('INAPPROPRIATE_VALUE', `${at}.code: ${concept.code} cannot cancel the current appointment ${appt.id}; choose a reason that can`);
        await callPas(store.services.get(appt.service)!, 'cancel');
        cancelAppointment(store, appt, { codeSystemType: TYPE, code: concept.code }, comment, now);
        cancelled = appt;
      }
      cancelReferral(ref, { codeSystemType: TYPE, code: concept.code }, now);
      return fhirJson(200, {
        resourceType: 'Parameters',
        meta: { profile: [RESPONSE_PROFILE] },
        parameter: [
          { name: 'updatedReferralRequest', resource: referralRequest(ref, store, baseUrl) },
          ...(cancelled ? [{ name: 'updatedAppointment', resource: appointmentResource(cancelled, store, baseUrl) }] : []),
        ],
      });
    });
  },
};
