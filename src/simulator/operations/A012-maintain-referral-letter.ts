// A012 Maintain referral letter: POST /STU3/ReferralRequest/{ubrn}/$ers.maintainReferralLetter (RC, RCA; UR only;
// If-Match = referral version). The referralLetterFile DocumentReferences replace the referral's letters as a whole.
import { assertCurrentVersion, requireIfMatch, withReferralLock } from '../domain/concurrency.ts';
import { assertAllowed, replaceLetters } from '../domain/lifecycle.ts';
import { referralFor } from '../domain/referrals.ts';
import { storedBinaryOf } from '../domain/attachments.ts';
import { unprocessable } from '../errors.ts';
import { referralRequest } from '../fhir/referral-request.ts';
import { SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { Store, StoredLetter, StoredReferral } from '../store.ts';
import type { OperationImpl } from './types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_DESCRIPTION = 200;

export const maintainReferralLetter: OperationImpl = {
  ids: ['A012'],
  requestResourceType: 'Parameters',
  async handle({ params, body, store, caller, now, baseUrl, req }) {
    const ref = referralFor(store, params.ubrn as string, caller);
    const sent = requireIfMatch(req, `referral ${ref.ubrn}`);
    return withReferralLock(store, ref.ubrn, () => {
      assertCurrentVersion(sent, ref.version, `referral ${ref.ubrn}`);
      assertAllowed('MAINTAIN_REFERRAL_LETTER', ref, store, now);
      const letters = readLetters(body as Json, ref, store, now);
      const same = letters.length === ref.letters.length && letters.every((l, i) => l.binaryId === ref.letters[i]?.binaryId && l.description === ref.letters[i]?.description);
      if (same) throw unprocessable('NO_CHANGES_DETECTED', 'parameter: the referral already has exactly these letter files and descriptions');
      for (const old of ref.letters) store.binaries.get(old.binaryId)!.linked = undefined;
      for (const l of letters) store.binaries.get(l.binaryId)!.linked = { ubrn: ref.ubrn, type: 'REFERRER' };
      replaceLetters(ref, letters, now);
      return fhirJson(200, referralRequest(ref, store, baseUrl), { ETag: `W/"${ref.version}"` });
    });
  },
};

function readLetters(body: Json, ref: StoredReferral, store: Store, now: Date): StoredLetter[] {
  const list = body.parameter ?? [];
  if (!Array.isArray(list)) throw unprocessable('INVALID_FHIR_STRUCTURE', 'parameter: expected an array');
  if (list.length === 0) throw unprocessable('MISSING_VALUE', 'parameter: at least one referralLetterFile is required; a referral cannot lose all its letters');
  const names = new Map<string, number>();
  const letters: StoredLetter[] = [];
  list.forEach((p: unknown, i) => {
    const at = `parameter[${i}]`;
    if (!isObject(p) || typeof p.name !== 'string') throw unprocessable('INVALID_FHIR_STRUCTURE', `${at}.name: expected a parameter with a string name`);
    if (p.name !== 'referralLetterFile') throw unprocessable('UNEXPECTED_FIELD', `${at}: unknown parameter name '${p.name}'`);
    const doc = p.resource;
    if (!isObject(doc) || doc.resourceType !== 'DocumentReference') throw unprocessable('INVALID_FHIR_STRUCTURE', `${at}.resource: expected a DocumentReference resource`);
    const r = `${at}.resource`;
    const type = isObject(doc.type) && Array.isArray(doc.type.coding) && isObject(doc.type.coding[0]) ? doc.type.coding[0] : undefined;
    if (!type) throw unprocessable('MISSING_VALUE', `${r}.type: the attachment type (REFERRER) is required`);
    if (type.system !== SYSTEM.attachmentType || type.code !== 'REFERRER') throw unprocessable('INVALID_VALUE', `${r}.type.coding[0]: a referral letter has type ${SYSTEM.attachmentType}#REFERRER`);
    if (doc.status !== 'current') throw unprocessable('INVALID_VALUE', `${r}.status: must be 'current', got '${String(doc.status)}'`);
    if (doc.indexed === undefined) throw unprocessable('MISSING_VALUE', `${r}.indexed: required`);
    if (typeof doc.indexed !== 'string' || Number.isNaN(Date.parse(doc.indexed))) throw unprocessable('INVALID_VALUE', `${r}.indexed: not an instant`);
    const description = typeof doc.description === 'string' ? doc.description : '';
    if (description.length > MAX_DESCRIPTION) throw unprocessable('INVALID_VALUE', `${r}.description: ${description.length} characters, at most ${MAX_DESCRIPTION}`);
    const { id, file, attachment } = storedBinaryOf(doc, r, store);
    if (file.linked && !(file.linked.ubrn === ref.ubrn && file.linked.type === 'REFERRER')) {
      throw unprocessable('INVALID_STATE', `${r}.content[0].attachment.url: Binary/${id} is already linked as a ${file.linked.type} attachment of ${file.linked.ubrn}`);
    }
    if (!file.intendedUbrn) throw unprocessable('INAPPROPRIATE_VALUE', `${r}.content[0].attachment.url: Binary/${id} was uploaded without NHSD-eRS-Referral-ID`);
    if (file.intendedUbrn !== ref.ubrn) throw unprocessable('INAPPROPRIATE_VALUE', `${r}.content[0].attachment.url: Binary/${id} was uploaded for referral ${file.intendedUbrn}, not ${ref.ubrn}`);
    if (typeof attachment?.contentType === 'string' && attachment.contentType !== file.contentType) {
      throw unprocessable('CONFLICTING_VALUES', `${r}.content[0].attachment.contentType: '${attachment.contentType}' but the file was uploaded as ${file.contentType}`);
    }
    const clash = names.get(file.fileName.toLowerCase());
    if (clash !== undefined) throw unprocessable('DUPLICATE_FILENAME', `${r}: file name '${file.fileName}' is already used by parameter[${clash}]`);
    names.set(file.fileName.toLowerCase(), i);
    letters.push({ binaryId: id, description, indexed: now.toISOString() });
  });
  return letters;
}
