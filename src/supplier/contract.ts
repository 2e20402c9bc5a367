// The driver contract ers-conformance-driver/1: what the harness asks a supplier system's driver to do,
// and what the driver answers. The JSON Schema next to this file is the contract; both sides check it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

export const PROTOCOL = 'ers-conformance-driver/1';
export const SCHEMA_FILE = fileURLToPath(new URL('./driver-contract.schema.json', import.meta.url));

export type ActionSide = 'system' | 'referrer' | 'provider' | 'observe';

export interface ActionDef {
  name: string;
  side: ActionSide;
  /** what the user does in their own system, as a witness reads it */
  instructions: string;
  /** e-RS operations the action is expected to send (the manual driver advances when they arrive) */
  expects: string[];
  /** supporting calls the action may also make (reads before a write, reference data) */
  may: string[];
}

/** The closed action catalogue of version 1. A new action is a new protocol version. */
export const ACTIONS: readonly ActionDef[] = Object.freeze([
  { name: 'system.describe', side: 'system', instructions: 'Report the system\'s registration: its JWKS (or JWKS URL), API key and the actions it supports.', expects: [], may: [] },
  { name: 'referrer.searchServices', side: 'referrer', instructions: 'Search for services for the patient with the given criteria and show the results.', expects: ['A010'], may: ['A004'] },
  { name: 'referrer.createReferral', side: 'referrer', instructions: 'Create a referral for the patient, shortlisting the given services.', expects: ['A011'], may: ['A004'] },
  { name: 'referrer.uploadLetter', side: 'referrer', instructions: 'Attach the given letter to the referral (upload it, then link it as a referral letter).', expects: ['A020', 'A012'], may: ['A005', 'A005-versioned'] },
  { name: 'referrer.bookAppointment', side: 'referrer', instructions: 'Book the first free slot at the given service for the referral.', expects: ['A015', 'A016'], may: ['A005', 'A005-versioned', 'A029'] },
  { name: 'referrer.deferToProvider', side: 'referrer', instructions: 'Defer booking of the referral to the provider with the given reason.', expects: ['A016'], may: ['A005', 'A005-versioned', 'A015', 'A029'] },
  { name: 'referrer.cancelReferral', side: 'referrer', instructions: 'Cancel the referral with the given reason.', expects: ['A036'], may: ['A005', 'A005-versioned', 'A029'] },
  { name: 'provider.importWorklist', side: 'provider', instructions: 'Import the referrals worklist for the given service into the PAS.', expects: ['A008'], may: ['A005'] },
  { name: 'provider.openReferral', side: 'provider', instructions: 'Open the referral in the PAS.', expects: ['A005'], may: ['A029', 'A042'] },
  { name: 'provider.downloadAttachments', side: 'provider', instructions: 'Download the referral\'s attachments into the PAS.', expects: ['A042'], may: ['A005', 'A006'] },
  { name: 'provider.acceptReferral', side: 'provider', instructions: 'Accept the referral.', expects: ['A013'], may: ['A005', 'A029'] },
  { name: 'provider.rejectReferral', side: 'provider', instructions: 'Reject the referral with the given reason.', expects: ['A014'], may: ['A005', 'A029', 'A004'] },
  { name: 'provider.recordTriageOutcome', side: 'provider', instructions: 'Record the given triage outcome for the referral.', expects: ['A028'], may: ['A005', 'A029', 'A004'] },
  { name: 'observe.userMessage', side: 'observe', instructions: 'Report the last message the system showed the user.', expects: [], may: [] },
  { name: 'observe.auditLog', side: 'observe', instructions: 'Report the system\'s audit records for this scenario.', expects: [], may: [] },
] as const satisfies readonly ActionDef[]);

export type ActionName = (typeof ACTIONS)[number]['name'];

export function findAction(name: string): ActionDef {
  const action = ACTIONS.find((a) => a.name === name);
  if (!action) throw new Error(`"${name}" is not an action of ${PROTOCOL}; known: ${ACTIONS.map((a) => a.name).join(', ')}`);
  return action;
}

export interface DriverRequest {
  protocol: typeof PROTOCOL;
  action: ActionName;
  scenario: { id: string; name: string; tags: string[] };
  inputs: Record<string, unknown>;
  ers: { fhirBaseUrl: string; tokenUrl: string };
  deadlineMs: number;
}

export type DriverStatus = 'done' | 'failed' | 'unsupported';

export interface DriverArtefact { name: string; contentType: string; content: string; encoding?: 'utf8' | 'base64' }

export interface DriverAnswer {
  protocol?: typeof PROTOCOL;
  status: DriverStatus;
  observations?: Record<string, unknown>;
  artefacts?: DriverArtefact[];
  log?: string[];
  reason?: string;
}

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
// ajv-formats is CommonJS; under NodeNext its default import is the plugin function at run time (as in src/openapi).
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin = ((ajvFormats as unknown as { default: { default?: FormatsPlugin } }).default.default ?? (ajvFormats as unknown as { default: FormatsPlugin }).default);
// Compiled on first use: only supplier runs talk to a driver, and compiling costs a tenth of a second.
let validators: { request: ValidateFunction; answer: ValidateFunction } | undefined;
function contractValidators(): { request: ValidateFunction; answer: ValidateFunction } {
  if (!validators) {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
    ajv.addSchema(schema, 'driver');
    validators = { request: ajv.getSchema('driver#/definitions/request') as ValidateFunction, answer: ajv.getSchema('driver#/definitions/answer') as ValidateFunction };
  }
  return validators;
}

/** Problems with a message against its half of the contract, one line each; [] when it conforms. */
export function contractProblems(kind: 'request' | 'answer', message: unknown): string[] {
  const validate = contractValidators()[kind];
  if (validate(message)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is not valid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
}

export class DriverContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverContractError';
  }
}

/** The driver's answer, checked: a malformed answer is the driver's fault, named with the problems. */
export function parseDriverAnswer(raw: string, from: string): DriverAnswer {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new DriverContractError(`${from} did not answer JSON (${(err as Error).message}); a driver answers one ${PROTOCOL} answer object, e.g. {"status":"done","observations":{}}. It said: ${raw.slice(0, 300)}`);
  }
  const problems = contractProblems('answer', value);
  if (problems.length) throw new DriverContractError(`${from} answered outside ${PROTOCOL}: ${problems.join('; ')}`);
  return value as DriverAnswer;
}

/** A request the harness is about to send, checked against the contract (a failure is a harness bug). */
export function checkedRequest(request: DriverRequest): DriverRequest {
  const problems = contractProblems('request', request);
  if (problems.length) throw new Error(`internal: the harness built a driver request outside ${PROTOCOL}: ${problems.join('; ')}`);
  return request;
}
