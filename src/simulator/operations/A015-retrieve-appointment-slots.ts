// A015 Retrieve appointment slots: GET /STU3/Slot (RC, RCA; UR only) -> searchset Bundle of free Slots + their Schedules.
import { freeSlots } from '../domain/slots.ts';
import { PRIORITIES } from '../domain/reference.ts';
import { ErsError } from '../errors.ts';
import { stableUuid } from '../fhir/referral-request.ts';
import { ID, PROFILE } from '../fhir/systems.ts';
import { fhirJson, header } from '../http-types.ts';
import type { StoredSlot } from '../store.ts';
import type { OperationImpl } from './types.ts';

const SLOT_STATUSES = ['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error'];
const REQUIRED = ['schedule.actor:HealthcareService', 'appointmentType', 'status', '_count', 'page'];
const KNOWN = new Set([...REQUIRED, 'schedule.actor:Practitioner', '_include']);
const CARECONNECT_SLOT = 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Slot-1';
const CARECONNECT_SCHEDULE = 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Schedule-1';

// A015 answers search validation failures with 400, not 422 (catalogue section 6).
const bad = (code: string, diagnostics: string, issue: 'value' | 'required' | 'code-invalid' | 'not-found' | 'business-rule' = 'value') => new ErsError(400, issue, code, diagnostics);

export const retrieveAppointmentSlots: OperationImpl = {
  ids: ['A015'],
  handle({ query, req, store, baseUrl, now }) {
    const commRuleOrg = header(req, 'nhsd-ers-comm-rule-org')?.trim();
    if (!commRuleOrg) throw bad('MISSING_HEADER', 'NHSD-eRS-Comm-Rule-Org: the referral\'s commissioning rule organisation is required', 'required');
    for (const name of REQUIRED) if (!query.get(name)) throw bad('MISSING_PARAMETER', `${name}: mandatory search parameter is missing`, 'required');
    for (const name of query.keys()) if (!KNOWN.has(name)) throw bad('INVALID_VALUE', `${name}: unknown search parameter`);
    const status = query.get('status') as string;
    if (!SLOT_STATUSES.includes(status)) throw bad('INVALID_CODE', `status: '${status}' is not a slot status`, 'code-invalid');
    if (status !== 'free') throw bad('INVALID_VALUE', `status: only 'free' slots can be searched, got '${status}'`);
    const priority = query.get('appointmentType') as string;
    if (!(PRIORITIES as readonly string[]).includes(priority)) throw bad('INVALID_CODE', `appointmentType: '${priority}' is not an eRS-Priority-1 code`, 'code-invalid');
    const count = wholeNumber(query.get('_count') as string);
    if (count === undefined || count < 1 || count > 100) throw bad('INVALID_VALUE', `_count: '${query.get('_count')}' must be a whole number from 1 to 100`);
    const page = wholeNumber(query.get('page') as string);
    if (page === undefined || page < 1) throw bad('INVALID_VALUE', `'Page Number' (${query.get('page')}) is invalid.`);
    const include = query.get('_include');
    if (include !== null && include !== 'Slot:schedule') throw bad('INVALID_VALUE', `_include: only Slot:schedule is supported, got '${include}'`);
    const org = store.organisations.get(commRuleOrg);
    if (!org || org.status !== 'ACTIVE') throw bad('INVALID_VALUE', `NHSD-eRS-Comm-Rule-Org: ${commRuleOrg} is not an active commissioning organisation`);

    const serviceId = query.get('schedule.actor:HealthcareService') as string;
    const service = store.services.get(serviceId);
    if (!service) throw bad('REFERENCE_NOT_FOUND', `schedule.actor:HealthcareService: service ${serviceId} does not exist`, 'not-found');
    if (!service.active) throw bad('SERVICE_UNAVAILABLE', `schedule.actor:HealthcareService: service ${serviceId} is not active, published and in date`, 'business-rule');
    if (service.bookableType !== 'DIRECTLY_BOOKABLE' || !service.flows.includes('APPOINTMENT_REQUEST')) {
      throw bad('INVALID_STATE', `schedule.actor:HealthcareService: service ${serviceId} is not directly bookable (unbookable service)`, 'business-rule');
    }
    const practitioner = query.get('schedule.actor:Practitioner') ?? undefined;
    if (practitioner !== undefined && !service.clinicians.includes(practitioner)) {
      throw bad('INVALID_VALUE', `schedule.actor:Practitioner: ${practitioner} is not a named clinician of service ${serviceId}`);
    }
    const all = service.priorities.includes(priority) ? freeSlots(store.slots, serviceId, practitioner) : [];
    const pages = Math.max(1, Math.ceil(all.length / count));
    // page 1 of an empty result is not an error (catalogue A015)
    if (page > pages) throw bad('INVALID_VALUE', `'Page Number' (${page}) is invalid.`);
    const onPage = all.slice((page - 1) * count, page * count);
    const selfUrl = (p: number) => {
      const q = new URLSearchParams(query);
      q.set('page', String(p));
      return `${baseUrl}/STU3/Slot?${q.toString()}`;
    };
    const schedules = new Map<string, Record<string, unknown>>();
    for (const s of onPage) if (!schedules.has(scheduleId(s))) schedules.set(scheduleId(s), schedule(s, service.name));
    // e-RS identifies the Bundle and claims the Bundle profile (OAS requires id and meta.profile; examples stu3/retrieveAppointmentSlots)
    const bundle = {
      resourceType: 'Bundle',
      id: stableUuid(`${selfUrl(page)}@${now.toISOString()}`),
      meta: { lastUpdated: now.toISOString(), profile: [PROFILE.bundle] },
      type: 'searchset',
      total: all.length,
      link: [
        { relation: 'self', url: selfUrl(page) },
        ...(page > 1 ? [{ relation: 'previous', url: selfUrl(page - 1) }] : []),
        ...(page < pages ? [{ relation: 'next', url: selfUrl(page + 1) }] : []),
      ],
      // FHIR forbids empty arrays: an empty page has no entry element
      ...(onPage.length > 0 ? { entry: [
        ...onPage.map((s) => ({ fullUrl: `${baseUrl}/STU3/Slot/${s.id}`, resource: slot(s, priority), search: { mode: 'match' } })),
        ...[...schedules.values()].map((r) => ({ fullUrl: `${baseUrl}/STU3/Schedule/${String(r.id)}`, resource: r, search: { mode: 'include' } })),
      ] } : {}),
    };
    return fhirJson(200, bundle);
  },
};

function wholeNumber(v: string): number | undefined {
  return /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

/** Schedule per service, and per service + clinician for clinician-specific slots. */
function scheduleId(s: StoredSlot): string {
  return s.clinician ? `${s.service}-${s.clinician}` : s.service;
}

function schedule(s: StoredSlot, serviceName: string): Record<string, unknown> {
  return {
    resourceType: 'Schedule',
    id: scheduleId(s),
    meta: { profile: [CARECONNECT_SCHEDULE] },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/ers-schedule', value: scheduleId(s) }],
    actor: [
      { identifier: { system: ID.ersService, value: s.service }, display: serviceName },
      ...(s.clinician ? [{ identifier: { system: ID.sdsUser, value: s.clinician } }] : []),
    ],
  };
}

function slot(s: StoredSlot, priority: string): Record<string, unknown> {
  return {
    resourceType: 'Slot',
    id: s.id,
    meta: { profile: [CARECONNECT_SLOT] },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/alternative-slot', value: s.id }],
    appointmentType: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1', code: priority }] },
    schedule: { reference: `Schedule/${scheduleId(s)}` },
    status: 'free',
    start: s.start,
    end: s.end,
  };
}
