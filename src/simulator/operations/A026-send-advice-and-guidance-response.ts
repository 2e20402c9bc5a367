// A026 Send advice and guidance response: POST /STU3/CommunicationRequest/{ubrn}/$ers.sendCommunicationToRequester (SPC,
// SPCA; UR only; If-Match = CommunicationRequest version). REQUIRE_FURTHER_INFORMATION -> REFERRER_TO_SUBMIT_FURTHER_INFORMATION,
// RETURN_TO_REFERRER_WITH_ADVICE -> REFERRER_TO_REVIEW_RESPONSE (catalogue 8.3); 200 Parameters, no ETag (none declared).
import { readAdviceAttachments } from '../domain/advice-attachments.ts';
import { adviceFor, adviceProcessing, assertAdviceAllowed, recordResponse, RESPONSE_OUTCOMES } from '../domain/advice-lifecycle.ts';
import { assertCurrentVersion, requireIfMatch, withReferralLock } from '../domain/concurrency.ts';
import { unprocessable } from '../errors.ts';
import { ADVICE_PROFILE, ADVICE_SYSTEM, communication, communicationRequest } from '../fhir/advice.ts';
import { codeOf, readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { Store, StoredAdviceRequest } from '../store.ts';
import { MAX_ADVICE_TEXT } from './A044-create-advice-and-guidance.ts';
import type { OperationImpl } from './types.ts';

const SPECS: ParamSpecs = {
  guidanceOutcome: { type: 'valueCoding', min: 1, system: ADVICE_SYSTEM.outcome, codes: Object.keys(RESPONSE_OUTCOMES) },
  guidanceIntendedRecommendation: { type: 'valueCoding', min: 0, system: ADVICE_SYSTEM.recommendation, codes: ['ADVICE_ONLY_NO_REFERRAL_RECOMMENDED', 'ADVICE_FOLLOWED_BY_REFERRAL_IF_REQUIRED', 'REFERRAL_RECOMMENDED', 'OTHER'] },
  guidance: { type: 'valueString', min: 1 },
  updatedPriority: { type: 'valueCoding', min: 1, system: SYSTEM.priority },
  guidanceAttachmentFile: { type: 'resource', min: 0, repeats: true },
};

export const sendAdviceAndGuidanceResponse: OperationImpl = {
  ids: ['A026'],
  requestResourceType: 'Parameters',
  async handle({ params, body, store, caller, now, baseUrl, req }) {
    const a = adviceFor(store, params.ubrn as string, caller);
    const sent = requireIfMatch(req, `advice and guidance request ${a.ubrn}`);
    return withReferralLock(store, a.ubrn, async () => {
      assertCurrentVersion(sent, a.version, `advice and guidance request ${a.ubrn}`);
      assertAdviceAllowed('RESPOND', a);
      const parsed = readParameters(body, SPECS);
      const outcomeParam = parsed.get('guidanceOutcome') as ReadParam;
      const outcome = RESPONSE_OUTCOMES[codeOf(outcomeParam) as string];
      if (!outcome) throw unprocessable('INAPPROPRIATE_VALUE', `${valuePath(outcomeParam)}: PROVIDER_CONVERTED is not a response; convert the request with $ers.createFromCommunicationRequestActionLater (A027)`);
      const recommendation = parsed.get('guidanceIntendedRecommendation');
      const withAdvice = codeOf(outcomeParam) === 'RETURN_TO_REFERRER_WITH_ADVICE';
      if (withAdvice && !recommendation) throw unprocessable('VALUE_IS_REQUIRED', 'parameter: guidanceIntendedRecommendation is required with RETURN_TO_REFERRER_WITH_ADVICE');
      if (!withAdvice && recommendation) throw unprocessable('INAPPROPRIATE_VALUE', `${recommendation.path}: guidanceIntendedRecommendation is only allowed with RETURN_TO_REFERRER_WITH_ADVICE`);
      const text = guidanceText(parsed.get('guidance') as ReadParam);
      const priority = checkPriority(parsed.get('updatedPriority') as ReadParam, a, store);
      const attachments = readAdviceAttachments(parsed.get('guidanceAttachmentFile'), { type: 'GUIDANCE_RESPONSE', ubrn: a.ubrn, alreadyLinked: 'INVALID_STATE', names: new Map() }, store, now);
      await adviceProcessing(store, a);
      const message = recordResponse(store, a, outcome, priority, { sentBy: 'RESPONDER', caller, text, attachments }, now);
      return fhirJson(200, {
        resourceType: 'Parameters',
        meta: { profile: [ADVICE_PROFILE.sendResponse] },
        parameter: [
          { name: 'updatedCommunicationRequest', resource: communicationRequest(a, store, baseUrl) },
          { name: 'createdCommunication', resource: communication(a, message, store, { refs: 'contained' }) },
        ],
      });
    });
  },
};

/** guidance: 1..8000 characters. */
export function guidanceText(p: ReadParam): string {
  const text = p.value as string;
  if (text.trim() === '') throw unprocessable('MISSING_VALUE', `${p.path}.valueString: the guidance must not be empty`);
  if (text.length > MAX_ADVICE_TEXT) throw unprocessable('INVALID_VALUE', `${p.path}.valueString: ${text.length} characters, at most ${MAX_ADVICE_TEXT}`);
  return text;
}

/** A priority code of PRIORITY that the request's service offers (UNSUPPORTED_PRIORITY otherwise). */
export function checkPriority(p: ReadParam, a: StoredAdviceRequest, store: Store): string {
  const code = codeOf(p) as string;
  if (!store.codeSystems.get('PRIORITY')?.concepts.some((c) => c.code === code)) throw unprocessable('INVALID_CODE', `${valuePath(p)}: '${code}' is not an eRS-Priority-1 code`);
  const service = store.services.get(a.service);
  if (!service?.priorities.includes(code)) throw unprocessable('UNSUPPORTED_PRIORITY', `${valuePath(p)}: service ${a.service} does not take ${code} requests (it takes ${service?.priorities.join(', ') ?? 'none'})`);
  return code;
}
