// The reference GP (referrer) system: what a clinician does in it, and what it sends to e-RS for each.
// It keeps an audit record of every e-RS call (with the call's X-Correlation-ID) and tells the user
// what happened in plain words. It reads the referral before every write and sends the version read
// as If-Match; after a version conflict it reads again before writing again.
import { connectToErs, ErsCallError, writeWithVersion } from './ers-connection.js';

const STU3 = 'https://fhir.nhs.uk/STU3';
const SD = `${STU3}/StructureDefinition`;
const CS = `${STU3}/CodeSystem`;
const NHS_NUMBER = 'http://fhir.nhs.net/Id/nhs-number';
const ERS_SERVICE = 'http://fhir.nhs.net/Id/ers-service';
const SDS_USER = 'http://fhir.nhs.net/Id/sds-user-id';

/**
 * @param ctx { ers, login, key, apiKey, setup, records } — records is this scenario's file of
 *   { audit, lastMessage, referrals } (store.js)
 */
export function createGpSystem(ctx) {
  const { records, setup } = ctx;
  const ers = connectToErs({ ...ctx, audit: (entry) => records.audit.push(entry) });
  const tell = (message) => (records.lastMessage = message);

  /** Reads the referral: its version (from the ETag), letters, patient and commissioning rule org. */
  async function readReferral(ubrn) {
    const { body, etag } = await ers.call('A005', { method: 'GET', path: `STU3/ReferralRequest/${ubrn}` });
    const known = {
      ubrn,
      etag: etag ?? `W/"${body.meta?.versionId}"`,
      version: /W\/"(\d+)"/.exec(etag ?? '')?.[1] ?? body.meta?.versionId,
      patient: body.subject?.identifier?.value,
      commissioningRuleOrg: body.extension?.find((e) => e.url === `${SD}/Extension-eRS-Commissioning-Rule-Org-1`)?.valueIdentifier?.value,
      letters: (body.contained ?? []).filter((c) => c.resourceType === 'DocumentReference'),
    };
    records.referrals[ubrn] = { ...records.referrals[ubrn], ...known };
    return known;
  }

  /** A write that needs the current version: read, write with If-Match, and after 409 read again once. */
  const writeVersioned = (ubrn, write) => writeWithVersion(() => readReferral(ubrn), write, { retryOn: [409], reread: setup.policy.rereadAfterConflict });

  async function referenceData(type) {
    // Reference data is the practice's, not the user's: read with the system's application token.
    const { body } = await ers.call('A004', { as: 'application', method: 'GET', path: `STU3/CodeSystem/${type}` });
    return (body.concept ?? []).map((c) => c.code);
  }

  function criteriaParameters(criteria, fhirBaseUrl) {
    const parameter = [{ name: 'ageAndGenderAppropriate', valueBoolean: true }];
    if (criteria.priority) parameter.push({ name: 'priority', valueCoding: { system: `${CS}/eRS-Priority-1`, code: criteria.priority } });
    if (criteria.specialty) parameter.push({ name: 'specialty', valueCoding: { system: `${fhirBaseUrl}/STU3/CodeSystem/SPECIALTY`, code: criteria.specialty } });
    if (criteria.clinicType) parameter.push({ name: 'clinicType', valueCoding: { system: `${CS}/eRS-ClinicType-1`, code: criteria.clinicType } });
    return { resourceType: 'Parameters', id: 'serviceSearchCriteria', meta: { profile: [`${SD}/eRS-ServiceSearchCriteria-Parameters-1`] }, parameter };
  }

  return {
    async searchServices({ patient, criteria }) {
      const specialties = await referenceData('SPECIALTY');
      if (criteria.specialty && !specialties.includes(criteria.specialty)) {
        tell(`${criteria.specialty} is not a specialty e-RS knows`);
        return { services: [], userMessage: records.lastMessage };
      }
      const body = {
        resourceType: 'Parameters',
        meta: { profile: [`${SD}/eRS-PatientServiceSearch-Parameters-1`] },
        parameter: [
          { name: 'requestType', valueCoding: { system: `${CS}/eRS-RequestType-1`, code: 'APPOINTMENT_REQUEST' } },
          { name: 'sortBy', valueCoding: { system: `${CS}/eRS-SortBy-1`, code: 'DISTANCE' } },
          { name: 'patient', valueIdentifier: { system: NHS_NUMBER, value: patient } },
          { name: 'searchCriteria', resource: criteriaParameters(criteria, ctx.ers.fhirBaseUrl) },
        ],
      };
      const { body: list } = await ers.call('A010', { method: 'POST', path: 'STU3/HealthcareService/$ers.searchHealthcareServicesForPatient', body });
      const services = (list.entry ?? []).map((e) => e.item?.identifier?.value ?? e.resource?.id).filter(Boolean);
      tell(`${services.length} service(s) found for the patient`);
      return { services, userMessage: records.lastMessage };
    },

    async createReferral({ patient, services, criteria }) {
      const searchCriteria = criteriaParameters(criteria, ctx.ers.fhirBaseUrl);
      const body = {
        resourceType: 'Parameters',
        meta: { profile: [`${SD}/eRS-CreateReferral-Parameters-1`] },
        parameter: [
          { name: 'patient', valueIdentifier: { system: NHS_NUMBER, value: patient } },
          { name: 'intentionToAddReferralLetter', valueCoding: { system: `${CS}/eRS-ReferralLetterIntention-1`, code: 'NEED_TO_ADD_LATER' } },
          { name: 'firstReminderLetterFollowUpDays', valueUnsignedInt: 0 },
          {
            name: 'shortlist',
            resource: {
              resourceType: 'List',
              meta: { profile: [`${SD}/eRS-Shortlist-List-1`] },
              extension: [{ url: `${SD}/Extension-eRS-Shortlist-SearchCriteria-1`, valueReference: { reference: '#serviceSearchCriteria' } }],
              contained: [searchCriteria],
              status: 'current',
              mode: 'snapshot',
              entry: services.map((id) => ({ item: { identifier: { system: ERS_SERVICE, value: id } } })),
            },
          },
        ],
      };
      const create = () => ers.call('A011', { method: 'POST', path: 'STU3/ReferralRequest/$ers.createReferral', body });
      let created;
      try {
        created = await create();
      } catch (err) {
        // The answer was lost: e-RS may have created the referral. Sending it again could make a second one.
        if (!(err instanceof ErsCallError && err.lost && setup.policy.resendCreateAfterLostAnswer)) throw err;
        created = await create();
      }
      const ubrn = created.body.id;
      records.referrals[ubrn] = { ubrn, etag: created.etag, letters: [] };
      tell(`Referral ${ubrn} created`);
      return { ubrn, userMessage: records.lastMessage };
    },

    async uploadLetter({ ubrn, fileName, content, contentType }) {
      const upload = await ers.call('A020', {
        method: 'POST',
        path: 'STU3/Binary',
        body: content,
        contentType: contentType ?? 'text/plain',
        headers: { 'NHSD-eRS-File-Name': fileName, 'NHSD-eRS-Referral-ID': ubrn },
      });
      const binary = upload.location;
      if (!binary) throw new Error('e-RS did not say where the file was stored (no Location)');
      const letter = {
        resourceType: 'DocumentReference',
        meta: { profile: [`${SD}/eRS-DocumentReference-1`] },
        type: { coding: [{ system: `${CS}/eRS-AttachmentType-1`, code: 'REFERRER' }] },
        status: 'current',
        indexed: new Date().toISOString(),
        description: fileName,
        content: [{ attachment: { contentType: contentType ?? 'text/plain', url: binary } }],
      };
      await writeVersioned(ubrn, (current) => {
        // A012 replaces the referral's whole set of letters: send the ones already attached with the new one.
        const kept = setup.policy.sendWholeLetterSet ? current.letters.map(asLetterParameter) : [];
        const body = { resourceType: 'Parameters', meta: { profile: [`${SD}/eRS-MaintainReferralLetter-Parameters-1`] }, parameter: [...kept, { name: 'referralLetterFile', resource: letter }] };
        return ers.call('A012', { method: 'POST', path: `STU3/ReferralRequest/${ubrn}/$ers.maintainReferralLetter`, body, ifMatch: current.etag });
      });
      tell(`Letter ${fileName} attached to referral ${ubrn}`);
      return { ubrn, userMessage: records.lastMessage };
    },

    async bookAppointment({ ubrn, service }) {
      const referral = await readReferral(ubrn);
      const query = { 'schedule.actor:HealthcareService': service, appointmentType: 'ROUTINE', status: 'free', _include: 'Slot:schedule', _count: '20', page: '1' };
      const { body: bundle } = await ers.call('A015', { method: 'GET', path: 'STU3/Slot', query, headers: { 'NHSD-eRS-Comm-Rule-Org': referral.commissioningRuleOrg ?? '' } });
      const resources = (bundle.entry ?? []).map((e) => e.resource);
      const slot = resources.find((r) => r?.resourceType === 'Slot');
      if (!slot) {
        tell(`No free slots at service ${service}; defer the booking to the provider`);
        return { ubrn, booked: false, userMessage: records.lastMessage };
      }
      // A slot in a named clinician's schedule is booked with that clinician as a participant.
      const schedule = resources.find((r) => r?.resourceType === 'Schedule' && `Schedule/${r.id}` === slot.schedule?.reference);
      const clinician = schedule?.actor?.find((a) => a.identifier?.system === SDS_USER)?.identifier?.value;
      const { body: appointment } = await ers.call('A016', { method: 'POST', path: 'STU3/Appointment', body: appointmentFor(referral, service, { slot, clinician }) });
      tell(`Referral ${ubrn} booked for ${slot.start}`);
      return { ubrn, booked: true, appointment: appointment.id, start: slot.start, userMessage: records.lastMessage };
    },

    async deferToProvider({ ubrn, service, reason, comment }) {
      const referral = await readReferral(ubrn);
      await ers.call('A016', { method: 'POST', path: 'STU3/Appointment', body: appointmentFor(referral, service, { reason, comment }) });
      tell(`Booking of referral ${ubrn} deferred to the provider`);
      return { ubrn, userMessage: records.lastMessage };
    },

    async cancelReferral({ ubrn, reason, comment }) {
      await writeVersioned(ubrn, (current) => {
        const body = {
          resourceType: 'Parameters',
          meta: { profile: [`${SD}/eRS-CancelReferral-Request-Parameters-1`] },
          parameter: [
            { name: 'cancellationReason', valueCoding: { system: `${ctx.ers.fhirBaseUrl}/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON`, code: reason } },
            ...(comment ? [{ name: 'cancellationComments', valueString: comment }] : []),
          ],
        };
        return ers.call('A036', { method: 'POST', path: `STU3/ReferralRequest/${ubrn}/$ers.cancelReferral`, body, ifMatch: current.etag });
      });
      tell(`Referral ${ubrn} cancelled`);
      return { ubrn, userMessage: records.lastMessage };
    },

    /** What the user is told when e-RS refuses or fails; the message names what to do next. */
    explain(err) {
      if (!(err instanceof ErsCallError)) throw err;
      const code = err.outcome?.code ? ` (${err.outcome.code})` : '';
      const messages = {
        0: err.operation === 'A011' ? 'e-RS did not confirm the referral; it may have been created: check the worklist before creating it again' : 'e-RS did not answer; try again',
        403: `You are not allowed to do this in e-RS${code}`,
        409: `The referral was changed by someone else; open it again${code}`,
        412: `The referral could not be updated${code}; open it again`,
        422: `e-RS could not accept this${code}: ${err.outcome?.diagnostics ?? err.outcome?.display ?? ''}`.trim(),
        423: `The referral is being updated by someone else; try again in a moment${code}`,
        429: `e-RS is busy; try again in a few minutes${code}`,
        503: `e-RS is unavailable; try again later${code}`,
        504: `The provider's booking system is not responding${code}; try booking again later or defer to the provider`,
      };
      tell(messages[err.status] ?? `e-RS answered ${err.status}${code}`);
      return { userMessage: records.lastMessage, ersStatus: err.status, ersCode: err.outcome?.code };
    },
  };
}

function asLetterParameter(documentReference) {
  const { id: _id, ...letter } = documentReference;
  return { name: 'referralLetterFile', resource: letter };
}

function appointmentFor(referral, service, { slot, clinician, reason, comment }) {
  return {
    resourceType: 'Appointment',
    meta: { profile: [`${SD}/eRS-Appointment-1`] },
    status: slot ? 'booked' : 'proposed',
    ...(reason ? { reason: [{ coding: [{ system: `${CS}/eRS-ReviewReason-1`, code: reason }] }] } : {}),
    description: 'e-Referral Appointment',
    ...(slot ? { start: slot.start, end: slot.end, slot: [{ reference: `Slot/${slot.id}` }] } : {}),
    ...(comment ? { comment } : {}),
    incomingReferral: [{ reference: `ReferralRequest/${referral.ubrn}/_history/${referral.version}` }],
    participant: [
      { actor: { identifier: { system: ERS_SERVICE, value: service } }, status: 'accepted' },
      { actor: { identifier: { system: NHS_NUMBER, value: referral.patient } }, status: 'accepted' },
      ...(clinician ? [{ type: [{ coding: [{ system: 'http://hl7.org/fhir/ValueSet/encounter-participant-type', code: 'CON' }] }], actor: { identifier: { system: SDS_USER, value: clinician } }, status: 'accepted' }] : []),
    ],
  };
}
