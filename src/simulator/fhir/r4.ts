// R4 payloads of the directory and identity operations (A030, A033, A035, A040, A041), catalogue sections 2 and 13.
import { randomUUID } from 'node:crypto';
import type { Service, User } from '../seed/types.ts';
import type { Store, StoredAdviceRequest, StoredReferral } from '../store.ts';

export const R4_ID = {
  sdsUser: 'https://fhir.nhs.uk/Id/sds-user-id',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  odsSite: 'https://fhir.nhs.uk/Id/ods-site-code',
  ubrn: 'https://fhir.nhs.uk/Id/UBRN',
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
} as const;

export const R4_SYSTEM = {
  businessFunction: 'https://fhir.nhs.uk/CodeSystem/eRS-BusinessFunction-1',
  appointmentType: 'https://fhir.nhs.uk/CodeSystem/eRS-AppointmentType',
  requestFlowType: 'https://fhir.nhs.uk/CodeSystem/eRS-RequestFlowType',
  bookableType: 'https://fhir.nhs.uk/CodeSystem/eRS-BookableType',
  purpose: 'https://fhir.nhs.uk/CodeSystem/eRS-Purpose',
  contactEntityType: 'http://terminology.hl7.org/CodeSystem/contactentity-type',
  serviceRequestCategory: 'https://fhir.nhs.uk/CodeSystem/message-category-servicerequest',
  serviceRequestCode: 'https://fhir.nhs.uk/CodeSystem/servicerequest-code',
} as const;

export const R4_PROFILE = {
  healthcareService: 'https://fhir.nhs.uk/StructureDefinition/eRS-HealthcareService',
} as const;

const R4_EXT = {
  hoursOfOperation: 'https://fhir.nhs.uk/StructureDefinition/Extension-eRS-HoursOfOperation',
  instructions: 'https://fhir.nhs.uk/StructureDefinition/Extension-eRS-ServiceInstructions',
  contact: 'https://fhir.nhs.uk/StructureDefinition/Extension-eRS-HealthcareService-Contact',
} as const;

type Json = Record<string, unknown>;

const APPOINTMENT_TYPE_DISPLAY: Record<string, string> = {
  DAY_CASE: 'Day Case', FIRST_OUTPATIENT: 'First Outpatient', ASSESSMENT_SERVICE: 'Assessment Service', GPSI: 'GPSI',
  AHP_CLINIC: 'AHP Clinic', DIAGNOSTIC: 'Diagnostic', NURSE_CLINIC: 'Nurse Clinic', OPHTHALMOLOGIST: 'Ophthalmologist',
  // the e-RS OpenAPI enumerates these displays; the R4 CodeSystem's own display for this one is 'Telephone/Video'
  TELEPHONE_ASSESSMENT: 'Telephone Assessment',
};

// The STU3 request flows (eRS-RequestFlowType-1) as the R4 code system names them.
const R4_FLOW: Record<string, { code: string; display: string }> = {
  APPOINTMENT_REQUEST: { code: 'BOOKABLE', display: 'A service which supports a patient appointment' },
  TRIAGE_REQUEST: { code: 'REVIEW', display: 'A service that reviews referrals, without the support or need for any appointment with the patient to be made' },
  ADVICE_AND_GUIDANCE_REQUEST: { code: 'ADVICE_AND_GUIDANCE', display: 'A service which can discuss the patient and receive guidance rather than a patient attending an appointment' },
};

const BOOKABLE_DISPLAY: Record<string, string> = { DIRECTLY_BOOKABLE: 'Directly Bookable', INDIRECTLY_BOOKABLE: 'Indirectly Bookable' };

const CONTACT_DISPLAY: Record<string, string> = {
  BILL: 'Billing', ADMIN: 'Administrative', HR: 'Human Resource', PAYOR: 'Payor', PATINF: 'Patient', PRESS: 'Press',
  HEALTHCARE_PROFESSIONALS: 'Healthcare Professionals',
};

/** The version of a service's directory record: meta.versionId of A033 and the ETag of A033/A037. */
export function serviceVersion(service: Service): number {
  return service.version ?? 1;
}

/** eRS-HealthcareService for one e-RS service. */
export function healthcareService(service: Service): Json {
  const extension: Json[] = [];
  if (service.hoursOfOperation) extension.push({ url: R4_EXT.hoursOfOperation, valueString: service.hoursOfOperation });
  if (service.instructions) extension.push({ url: R4_EXT.instructions, valueString: service.instructions });
  for (const c of service.contacts ?? []) {
    const system = c.purpose === 'HEALTHCARE_PROFESSIONALS' ? R4_SYSTEM.purpose : R4_SYSTEM.contactEntityType;
    extension.push({
      url: R4_EXT.contact,
      extension: [
        { url: 'purpose', valueCodeableConcept: { coding: [{ system, code: c.purpose, display: CONTACT_DISPLAY[c.purpose] }] } },
        { url: 'telecom', valueContactPoint: { system: c.system, value: c.value } },
      ],
    });
  }
  const characteristic: Json[] = service.flows.map((f) => R4_FLOW[f]).filter((f) => f !== undefined).map((f) => ({ coding: [{ system: R4_SYSTEM.requestFlowType, ...f }] }));
  if (BOOKABLE_DISPLAY[service.bookableType]) {
    characteristic.push({ coding: [{ system: R4_SYSTEM.bookableType, code: service.bookableType, display: BOOKABLE_DISPLAY[service.bookableType] }] });
  }
  return {
    resourceType: 'HealthcareService',
    id: service.id,
    meta: { versionId: String(serviceVersion(service)) },
    language: 'en',
    ...(extension.length ? { extension } : {}),
    active: service.active,
    location: [{ identifier: { system: R4_ID.odsSite, value: service.location } }],
    name: service.name,
    type: [{ coding: [{ system: R4_SYSTEM.appointmentType, code: service.appointmentType, display: APPOINTMENT_TYPE_DISPLAY[service.appointmentType] ?? service.appointmentType }] }],
    ...(characteristic.length ? { characteristic } : {}),
  };
}

/** One PractitionerRole per organisation where the user holds business functions (A030). */
export function practitionerRoles(user: User, now: Date): Json[] {
  const byOrg = new Map<string, string[]>();
  for (const r of user.roles) byOrg.set(r.ods, [...(byOrg.get(r.ods) ?? []), r.businessFunction]);
  return [...byOrg].map(([ods, functions]) => ({
    resourceType: 'PractitionerRole',
    id: `PractitionerRole-${ods}-${user.id}`,
    meta: { lastUpdated: now.toISOString() },
    practitioner: { identifier: { system: R4_ID.sdsUser, value: user.id } },
    organization: { identifier: { system: R4_ID.odsOrganisation, value: ods } },
    code: functions.map((code) => ({ coding: [{ system: R4_SYSTEM.businessFunction, code }] })),
  }));
}

/** A practitioner an SPCA may act on behalf of (A040). */
export function practitioner(sdsUserId: string, now: Date): Json {
  return {
    resourceType: 'Practitioner',
    id: sdsUserId,
    meta: { lastUpdated: now.toISOString() },
    identifier: [{ system: R4_ID.sdsUser, value: sdsUserId }],
  };
}

const SERVICE_REQUEST_STATUS: Record<string, string> = { active: 'active', completed: 'completed', cancelled: 'revoked' };

/** The R4 ServiceRequest face of a referral (r.{uuid}) or an advice and guidance request (a.{uuid}) (A041). */
export function serviceRequest(record: { kind: 'referral'; referral: StoredReferral } | { kind: 'advice'; advice: StoredAdviceRequest }): Json {
  const isReferral = record.kind === 'referral';
  const r = isReferral ? record.referral : record.advice;
  return {
    resourceType: 'ServiceRequest',
    id: r.requestId,
    meta: { versionId: String(r.version) },
    identifier: [{ system: R4_ID.ubrn, value: r.ubrn }],
    status: SERVICE_REQUEST_STATUS[r.status] ?? 'active',
    intent: 'order',
    category: [{ coding: [{ system: R4_SYSTEM.serviceRequestCategory, code: isReferral ? 'referral' : 'request' }] }],
    ...(isReferral ? {} : { code: { coding: [{ system: R4_SYSTEM.serviceRequestCode, code: 'advice-and-guidance' }] } }),
    subject: { identifier: { system: R4_ID.nhsNumber, value: r.patient } },
  };
}

/** A searchset Bundle: id, meta.lastUpdated, timestamp, total, self link, match entries with their full URLs. */
export function searchset(resources: Json[], selfUrl: string, fullUrlBase: string, now: Date): Json {
  const stamp = now.toISOString();
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: stamp },
    type: 'searchset',
    total: resources.length,
    timestamp: stamp,
    link: [{ relation: 'self', url: selfUrl }],
    // FHIR JSON has no empty arrays: an empty searchset has no entry element at all
    ...(resources.length ? { entry: resources.map((resource) => ({ fullUrl: `${fullUrlBase}/${String(resource.resourceType)}/${String(resource.id)}`, resource, search: { mode: 'match' } })) } : {}),
  };
}

/** Resolves every record carrying this UBRN: a referral, an A&G request, or both (a converted A&G request). */
export function recordsForUbrn(store: Store, ubrn: string): ({ kind: 'referral'; referral: StoredReferral } | { kind: 'advice'; advice: StoredAdviceRequest })[] {
  const out: ({ kind: 'referral'; referral: StoredReferral } | { kind: 'advice'; advice: StoredAdviceRequest })[] = [];
  const referral = store.referrals.get(ubrn);
  if (referral) out.push({ kind: 'referral', referral });
  const advice = store.adviceRequests.get(ubrn);
  if (advice) out.push({ kind: 'advice', advice });
  return out;
}
