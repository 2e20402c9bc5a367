// Shared test helpers: a simulator per test file, intent fixtures, request builders and outcome assertions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createSimulator, type Simulator, type SimulatorInternals, type SimulatorOptions } from '../../src/simulator/index.ts';
import { ERS_API_ERROR_CODE_SYSTEM, ERS_OPERATION_OUTCOME_PROFILE } from '../../src/ers/operations.ts';

export interface Actor { userId: string; ods: string; businessFunction: string; onBehalfOf?: string }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FX: any = parse(readFileSync(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url), 'utf8'));

export const CS = 'https://fhir.nhs.uk/STU3/CodeSystem';
export const NHS = 'http://fhir.nhs.net/Id/nhs-number';
export const SDS = 'http://fhir.nhs.net/Id/sds-user-id';
export const SERVICE = 'http://fhir.nhs.net/Id/ers-service';

export async function start(opts: SimulatorOptions = {}, internals: SimulatorInternals = {}): Promise<Simulator> {
  return createSimulator(opts, internals);
}

export function actor(name: string): Actor {
  const a = FX.actors[name] as Actor | undefined;
  if (!a) throw new Error(`no actor ${name} in the simulator fixture file`);
  return a;
}

/** Request headers for a user-restricted actor, with a fresh token. */
export function userHeaders(sim: Simulator, a: Actor, extra: Record<string, string> = {}): Record<string, string> {
  const token = sim.issueToken({ mode: 'user-restricted', userId: a.userId, ial: 3, aal: 'AAL3' });
  return {
    Authorization: `Bearer ${token}`,
    'NHSD-End-User-Organisation-ODS': a.ods,
    'NHSD-eRS-Business-Function': a.businessFunction,
    ...(a.onBehalfOf ? { 'NHSD-eRS-On-Behalf-Of-User-ID': a.onBehalfOf } : {}),
    ...extra,
  };
}

export function appHeaders(sim: Simulator, kind: 'provider' | 'referrer', extra: Record<string, string> = {}): Record<string, string> {
  const app = FX.applications[kind] as Actor;
  const token = sim.issueToken({ mode: 'application-restricted', userId: app.userId, ods: app.ods, businessFunction: app.businessFunction, asid: '200000000001' });
  return { Authorization: `Bearer ${token}`, ...extra };
}

export async function get(sim: Simulator, path: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${sim.baseUrl}${path}`, { headers });
}

export async function post(sim: Simulator, path: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(`${sim.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/fhir+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Asserts an STU3 eRS-OperationOutcome-1 with exactly one issue carrying this eRS code; returns the issue. */
export async function assertStu3Outcome(res: Response, status: number, code: string, diagnosticsIncludes?: string): Promise<Json> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+json/);
  const body = JSON.parse(text);
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.deepEqual(body.meta.profile, [ERS_OPERATION_OUTCOME_PROFILE]);
  assert.ok(!Number.isNaN(Date.parse(body.meta.lastUpdated)), 'meta.lastUpdated is a timestamp');
  assert.equal(body.issue.length, 1);
  const issue = body.issue[0];
  assert.equal(issue.severity, 'error');
  assert.equal(issue.details.coding[0].system, ERS_API_ERROR_CODE_SYSTEM);
  assert.equal(issue.details.coding[0].code, code, `eRS code (diagnostics: ${issue.diagnostics})`);
  assert.equal(typeof issue.details.coding[0].display, 'string');
  if (diagnosticsIncludes) assert.ok(String(issue.diagnostics).includes(diagnosticsIncludes), `diagnostics '${issue.diagnostics}' should mention '${diagnosticsIncludes}'`);
  return issue;
}

export const coding = (system: string, code: string) => ({ system, code });

export function criteriaParameters(sim: Simulator, c: Record<string, unknown>, extra: Json[] = []): Json[] {
  const p: Json[] = [];
  if (c.priority) p.push({ name: 'priority', valueCoding: coding(`${CS}/eRS-Priority-1`, c.priority as string) });
  if (c.specialty) p.push({ name: 'specialty', valueCoding: coding(`${sim.baseUrl}/STU3/CodeSystem/SPECIALTY`, c.specialty as string) });
  if (c.clinicType) p.push({ name: 'clinicType', valueCoding: coding(`${CS}/eRS-ClinicType-1`, c.clinicType as string) });
  p.push(...extra);
  p.push({ name: 'ageAndGenderAppropriate', valueBoolean: true });
  return p;
}

/** An A010 request; `criteria` replaces the contained criteria parameters, `extra` adds top-level parameters. */
export function searchRequest(sim: Simulator, opts: { requestType?: string; patient?: string; criteria?: Json[]; extra?: Json[]; sortBy?: string } = {}): Json {
  return {
    resourceType: 'Parameters',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-PatientServiceSearch-Parameters-1'] },
    parameter: [
      { name: 'requestType', valueCoding: coding(`${CS}/eRS-RequestType-1`, opts.requestType ?? 'APPOINTMENT_REQUEST') },
      { name: 'sortBy', valueCoding: coding(`${CS}/eRS-SortBy-1`, opts.sortBy ?? 'DISTANCE') },
      { name: 'patient', valueIdentifier: { system: NHS, value: opts.patient ?? FX.patients.referable } },
      { name: 'searchCriteria', resource: { resourceType: 'Parameters', id: 'criteria', parameter: opts.criteria ?? criteriaParameters(sim, FX.search.criteria) } },
      ...(opts.extra ?? []),
    ],
  };
}

/** An A011 request shortlisting `services` found with `criteria`. */
export function createRequest(sim: Simulator, opts: { services?: string[]; criteria?: Json[]; patient?: string; intention?: string; reminderDays?: number; extra?: Json[]; listEntries?: Json[] } = {}): Json {
  const services = opts.services ?? [FX.services.directlyBookable, FX.services.indirectlyBookable];
  return {
    resourceType: 'Parameters',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateReferral-Parameters-1'] },
    parameter: [
      { name: 'patient', valueIdentifier: { system: NHS, value: opts.patient ?? FX.patients.referable } },
      { name: 'intentionToAddReferralLetter', valueCoding: coding(`${CS}/eRS-ReferralLetterIntention-1`, opts.intention ?? 'NEED_TO_ADD_LATER') },
      { name: 'firstReminderLetterFollowUpDays', valueUnsignedInt: opts.reminderDays ?? 7 },
      {
        name: 'shortlist',
        resource: {
          resourceType: 'List',
          meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Shortlist-List-1'] },
          status: 'current',
          mode: 'snapshot',
          contained: [{ resourceType: 'Parameters', id: 'criteria-1', parameter: opts.criteria ?? criteriaParameters(sim, FX.search.criteria) }],
          extension: [{ url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Shortlist-SearchCriteria-1', valueReference: { reference: '#criteria-1' } }],
          entry: opts.listEntries ?? services.map((id) => ({ item: { identifier: { system: SERVICE, value: id } } })),
        },
      },
      ...(opts.extra ?? []),
    ],
  };
}

export const A005 = (ubrn: string) => `/STU3/ReferralRequest/${ubrn}`;
export const A008_PATH = '/STU3/ReferralRequest/$ers.fetchworklist';
export const A010_PATH = '/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient';
export const A011_PATH = '/STU3/ReferralRequest/$ers.createReferral';

export async function readJson(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}
