// A044 Create advice and guidance request: POST /STU3/CommunicationRequest/$ers.createAdviceAndGuidance (RC, RCA; UR only)
// -> 200 (not 201, catalogue 16.13) Parameters: the new request (PROVIDER_RESPONSE_REQUIRED, version 1) and its first message.
// Shares A011's create table: patient, referring clinician, a shortlist of exactly one A&G service from an A&G search.
import { readAdviceAttachments } from '../domain/advice-attachments.ts';
import { createAdvice } from '../domain/advice-lifecycle.ts';
import { checkPatient, checkReferringClinician } from '../domain/criteria.ts';
import { searchServices } from '../domain/search.ts';
import { readShortlist } from '../domain/shortlist.ts';
import { unprocessable } from '../errors.ts';
import { ADVICE_PROFILE, ADVICE_SYSTEM, communication, communicationRequest } from '../fhir/advice.ts';
import { codeOf, readParameters, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { ID } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { StoredAdviceRequest } from '../store.ts';
import type { OperationImpl } from './types.ts';

export const MAX_ADVICE_TEXT = 8000;

const SPECS: ParamSpecs = {
  patient: { type: 'valueIdentifier', min: 1, identifierSystem: ID.nhsNumber },
  providerConversionAuthorisation: { type: 'valueCoding', min: 1, system: ADVICE_SYSTEM.conversion, codes: ['AUTHORISED_TO_CONVERT', 'NOT_AUTHORISED_TO_CONVERT'] },
  shortlist: { type: 'resource', min: 1 },
  request: { type: 'valueString', min: 1 },
  referringClinician: { type: 'valueIdentifier', min: 0, identifierSystem: ID.sdsUser },
  requestAttachmentFile: { type: 'resource', min: 0, repeats: true },
};

export const createAdviceAndGuidance: OperationImpl = {
  ids: ['A044'],
  requestResourceType: 'Parameters',
  handle({ body, store, caller, now, baseUrl }) {
    const params = readParameters(body, SPECS);
    const shortlistParam = params.get('shortlist') as ReadParam;
    const base = `${shortlistParam.path}.resource.`;
    const shortlist = readShortlist(shortlistParam.value, base, store, now);
    if (shortlist.services.length > 1) throw unprocessable('TOO_MANY_ITEMS', `${base}entry: ${shortlist.services.length} services shortlisted; an advice and guidance request goes to exactly one service`);
    const requester = checkReferringClinician(params.get('referringClinician'), caller, store, '');
    const patient = checkPatient(params.get('patient') as ReadParam, store);
    const { id, path } = shortlist.services[0]!;
    const service = store.services.get(id);
    if (!service) throw unprocessable('REFERENCE_NOT_FOUND', `${path}: service ${id} is not known`);
    if (!service.flows.includes('ADVICE_AND_GUIDANCE_REQUEST')) throw unprocessable('INAPPROPRIATE_VALUE', `${path}: service ${id} does not accept advice and guidance requests (flows: ${service.flows.join(', ')})`);
    const found = searchServices(store, { requestType: 'ADVICE_AND_GUIDANCE_REQUEST', sortBy: 'DISTANCE', criteria: shortlist.criteria, patient }).some((h) => h.service.id === id);
    if (!found) throw unprocessable('SHORTLISTED_SERVICE_NOT_IN_RESULTS', `${path}: service ${id} is not returned by an advice and guidance search with the shortlist's criteria`);
    const request = params.get('request') as ReadParam;
    const text = request.value as string;
    if (text.trim() === '') throw unprocessable('MISSING_VALUE', `${request.path}.valueString: the request text must not be empty`);
    if (text.length > MAX_ADVICE_TEXT) throw unprocessable('INVALID_VALUE', `${request.path}.valueString: ${text.length} characters, at most ${MAX_ADVICE_TEXT}`);
    const attachments = readAdviceAttachments(params.get('requestAttachmentFile'), { type: 'ADVICE_REQUEST', alreadyLinked: 'INAPPROPRIATE_VALUE', names: new Map() }, store, now);

    const a = createAdvice(store, {
      patient: patient.nhsNumber, requester, service: id,
      conversion: codeOf(params.get('providerConversionAuthorisation')) as StoredAdviceRequest['conversion'],
      priority: shortlist.criteria.priority, criteria: shortlist.criteriaParameters,
      specialty: shortlist.criteria.specialty ?? service.specialty, clinicType: shortlist.criteria.clinicType ?? service.clinicType,
      ...(requester !== caller.userId ? { enteredBy: caller.userId } : {}),
    }, { sentBy: 'REQUESTER', caller, text, attachments }, now);
    return fhirJson(200, {
      resourceType: 'Parameters',
      meta: { profile: [ADVICE_PROFILE.createResponse] },
      parameter: [
        { name: 'createdCommunicationRequest', resource: communicationRequest(a, store, baseUrl) },
        { name: 'createdCommunication', resource: communication(a, a.messages[0]!, store, { refs: 'contained' }) },
      ],
    });
  },
};
