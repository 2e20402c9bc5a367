// Request builders for the referrer-journey tests (A012-A038): fresh referrals, slots, bookings, letters, cancellations.
import assert from 'node:assert/strict';
import type { Simulator } from '../../src/simulator/index.ts';
import { A005, A011_PATH, CS, FX, NHS, SDS, SERVICE, actor, coding, createRequest, criteriaParameters, get, readJson, userHeaders, type Json } from './helpers.ts';

export const REVIEW_REASON = `${CS}/eRS-ReviewReason-1`;
export const rc = (sim: Simulator, extra: Record<string, string> = {}) => userHeaders(sim, actor('REFERRING_CLINICIAN'), extra);
export const as = (sim: Simulator, role: string, extra: Record<string, string> = {}) => userHeaders(sim, actor(role), extra);
export const ifMatch = (v: number | string) => ({ 'If-Match': `W/"${v}"` });

export async function send(sim: Simulator, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
  return fetch(`${sim.baseUrl}${path}`, {
    method,
    headers: body === undefined || Buffer.isBuffer(body) ? headers : { 'Content-Type': 'application/fhir+json', ...headers },
    ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
}

/** A fresh referral (A011) shortlisting services found with the cardiology or gastroenterology criteria. */
export async function newReferral(sim: Simulator, services: string[] = [FX.services.directlyBookable], opts: { gastro?: boolean; intention?: string } = {}): Promise<{ ubrn: string; version: number }> {
  const criteria = criteriaParameters(sim, opts.gastro ? FX.search.gastroCriteria : FX.search.criteria);
  const res = await send(sim, 'POST', A011_PATH, rc(sim), createRequest(sim, { services, criteria, ...(opts.intention ? { intention: opts.intention } : {}) }));
  const body = await readJson(res);
  assert.equal(res.status, 201, JSON.stringify(body));
  return { ubrn: body.id, version: Number(body.meta.versionId) };
}

export async function referral(sim: Simulator, ubrn: string): Promise<Json> {
  const res = await get(sim, A005(ubrn), rc(sim));
  assert.equal(res.status, 200);
  return readJson(res);
}

export const stateOf = (r: Json): string => r.extension.find((e: Json) => e.url.endsWith('Extension-eRS-ReferralState-1')).extension[0].valueCoding.code;
export const versionOf = async (sim: Simulator, ubrn: string): Promise<number> => Number((await referral(sim, ubrn)).meta.versionId);

export const slotQuery = (service: string, extra: Record<string, string> = {}) =>
  `/STU3/Slot?${new URLSearchParams({ 'schedule.actor:HealthcareService': service, appointmentType: 'ROUTINE', status: 'free', _count: '20', page: '1', ...extra }).toString()}`;
export const slotHeaders = (sim: Simulator, extra: Record<string, string> = {}) => rc(sim, { 'NHSD-eRS-Comm-Rule-Org': FX.slots.commRuleOrg, ...extra });

/** Free slots of a service (A015), as {id, start, end, clinician?}. */
export async function freeSlots(sim: Simulator, service: string, extra: Record<string, string> = {}): Promise<{ id: string; start: string; end: string; clinician?: string }[]> {
  const res = await get(sim, slotQuery(service, { _count: '100', ...extra }), slotHeaders(sim));
  const bundle = await readJson(res);
  assert.equal(res.status, 200, JSON.stringify(bundle));
  const schedules = new Map<string, Json>((bundle.entry ?? []).filter((e: Json) => e.resource.resourceType === 'Schedule').map((e: Json) => [`Schedule/${e.resource.id}`, e.resource]));
  return (bundle.entry ?? []).filter((e: Json) => e.resource.resourceType === 'Slot').map((e: Json) => {
    const clinician = schedules.get(e.resource.schedule.reference)?.actor.find((a: Json) => a.identifier.system === SDS)?.identifier.value;
    return { id: e.resource.id, start: e.resource.start, end: e.resource.end, ...(clinician ? { clinician } : {}) };
  });
}

export function appointmentBody(ubrn: string, version: number | string | undefined, service: string, opts: { status?: string; slot?: string; start?: string; end?: string; clinician?: string; reason?: string; comment?: string; patient?: string; description?: string } = {}): Json {
  const participant: Json[] = [
    { actor: { identifier: { system: SERVICE, value: service } }, status: 'accepted' },
    { actor: { identifier: { system: NHS, value: opts.patient ?? FX.patients.referable } }, status: 'accepted' },
  ];
  if (opts.clinician) participant.push({ type: [{ coding: [coding('http://hl7.org/fhir/ValueSet/encounter-participant-type', 'CON')] }], actor: { identifier: { system: SDS, value: opts.clinician } }, status: 'accepted' });
  return {
    resourceType: 'Appointment',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1'] },
    status: opts.status ?? (opts.reason ? 'proposed' : 'booked'),
    ...(opts.reason ? { reason: [{ coding: [coding(REVIEW_REASON, opts.reason)] }] } : {}),
    description: opts.description ?? 'e-Referral Appointment',
    ...(opts.start ? { start: opts.start, end: opts.end } : {}),
    ...(opts.slot ? { slot: [{ reference: `Slot/${opts.slot}` }] } : {}),
    ...(opts.comment ? { comment: opts.comment } : {}),
    incomingReferral: [{ reference: version === undefined ? `ReferralRequest/${ubrn}` : `ReferralRequest/${ubrn}/_history/${version}` }],
    participant,
  };
}

/** Books the first free slot of the service for the referral; returns the created appointment. */
export async function book(sim: Simulator, ubrn: string, service = FX.services.directlyBookable as string): Promise<Json> {
  const slot = (await freeSlots(sim, service)).find((s) => !s.clinician)!;
  const res = await send(sim, 'POST', '/STU3/Appointment', rc(sim), appointmentBody(ubrn, await versionOf(sim, ubrn), service, { slot: slot.id }));
  const body = await readJson(res);
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

export async function upload(sim: Simulator, ubrn: string | undefined, fileName = 'letter.txt', contentType = 'text/plain', bytes: Buffer = Buffer.from('Dear colleague')): Promise<string> {
  const res = await send(sim, 'POST', '/STU3/Binary', rc(sim, { 'Content-Type': contentType, 'NHSD-eRS-File-Name': fileName, ...(ubrn ? { 'NHSD-eRS-Referral-ID': ubrn } : {}) }), bytes);
  assert.equal(res.status, 201, await res.text());
  return (res.headers.get('location') as string).replace(/^Binary\//, '');
}

export function letterDoc(binaryId: string, opts: { description?: string; type?: string; status?: string; contentType?: string; url?: string } = {}): Json {
  return {
    resourceType: 'DocumentReference',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-DocumentReference-1'] },
    type: { coding: [coding(`${CS}/eRS-AttachmentType-1`, opts.type ?? 'REFERRER')] },
    status: opts.status ?? 'current',
    indexed: new Date().toISOString(),
    description: opts.description ?? 'Referral letter',
    content: [{ attachment: { ...(opts.contentType ? { contentType: opts.contentType } : {}), url: opts.url ?? `Binary/${binaryId}` } }],
  };
}
export const letters = (...docs: Json[]) => ({ resourceType: 'Parameters', parameter: docs.map((d) => ({ name: 'referralLetterFile', resource: d })) });

export function cancelReferralBody(sim: Simulator, code: string, comment?: string): Json {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'cancellationReason', valueCoding: coding(`${sim.baseUrl}/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON`, code) },
      ...(comment !== undefined ? [{ name: 'cancellationComments', valueString: comment }] : []),
    ],
  };
}

export function changeShortlistBody(sim: Simulator, services: string[], opts: { gastro?: boolean; intention?: string; days?: number } = {}): Json {
  const body = createRequest(sim, { services, criteria: criteriaParameters(sim, opts.gastro ? FX.search.gastroCriteria : FX.search.criteria), ...(opts.intention ? { intention: opts.intention } : {}), ...(opts.days !== undefined ? { reminderDays: opts.days } : {}) });
  body.parameter = body.parameter.filter((p: Json) => p.name !== 'patient');
  return body;
}

export const changePath = (ubrn: string, op = 'changeShortlist') => `/STU3/ReferralRequest/${ubrn}/$ers.${op}`;
