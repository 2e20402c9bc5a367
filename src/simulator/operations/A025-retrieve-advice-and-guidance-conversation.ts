// A025 Retrieve advice and guidance conversation: GET /STU3/Communication?based-on=CommunicationRequest/{ubrn}/_history/{v}
// (RC, RCA, SPC, SPCA; provider apps). A searchset Bundle of the messages; errors are 400 (not 422); a based-on
// naming a version that is not current is 404 HISTORY_NOT_SUPPORTED (catalogue 7).
import { parseVersionedReference } from '../domain/concurrency.ts';
import { adviceFor } from '../domain/advice-lifecycle.ts';
import { ErsError } from '../errors.ts';
import { conversationBundle, type ConversationInclude } from '../fhir/advice.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

// the documented _include values, the sender one with the specification's own spelling (catalogue 16.24) and the right one
const INCLUDES: Record<string, ConversationInclude> = {
  'Communication:requester-practitionerrole:PractitionerRole': 'requester',
  'Communication:sender-practitionerrole:PractionerRole': 'sender',
  'Communication:sender-practitionerrole:PractitionerRole': 'sender',
  'Communication:content-reference:DocumentReference': 'documents',
};
const KNOWN = new Set(['based-on', '_include']);

export const retrieveAdviceAndGuidanceConversation: OperationImpl = {
  ids: ['A025'],
  handle({ query, store, caller, baseUrl, now }) {
    const unknown = [...query.keys()].find((k) => !KNOWN.has(k));
    if (unknown) throw new ErsError(400, 'invalid', 'INVALID_PARAMETER', `${unknown}: not a search parameter of Communication; use based-on and _include`);
    const basedOn = query.getAll('based-on');
    if (basedOn.length !== 1) throw new ErsError(400, 'required', 'MISSING_VALUE', `based-on: exactly one CommunicationRequest/{ubrn}/_history/{version} is required (got ${basedOn.length})`);
    const ref = parseVersionedReference(basedOn[0] as string, 'CommunicationRequest');
    if (!ref || ref.version === undefined) throw new ErsError(400, 'value', 'INVALID_VALUE', `based-on: '${basedOn[0]}' is not CommunicationRequest/{ubrn}/_history/{version}`);
    const include = new Set<ConversationInclude>();
    for (const value of query.getAll('_include')) {
      const kind = INCLUDES[value];
      if (!kind) throw new ErsError(400, 'value', 'INVALID_VALUE', `_include: '${value}' is not one of ${Object.keys(INCLUDES).join(', ')}`);
      include.add(kind);
    }
    const a = adviceFor(store, ref.id, caller, 400);
    if (ref.version !== a.version) {
      throw new ErsError(404, 'not-found', 'HISTORY_NOT_SUPPORTED', `based-on: advice and guidance request ${a.ubrn} is at version ${a.version}, not ${ref.version}; read it (A024) and ask again`);
    }
    const self = `${baseUrl}/STU3/Communication?${query.toString()}`;
    return fhirJson(200, conversationBundle(a, store, baseUrl, self, include, now));
  },
};
