// Files an A&G write links (catalogue 8.4): requestAttachmentFile (A044, ADVICE_REQUEST), guidanceAttachmentFile (A026/A027,
// GUIDANCE_RESPONSE) and reviewAttachmentFile (A027, PROVIDER), each a DocumentReference naming a Binary uploaded by A020.
import { unprocessable } from '../errors.ts';
import { storedBinaryOf } from './attachments.ts';
import type { ReadParam } from '../fhir/parameters.ts';
import { SYSTEM } from '../fhir/systems.ts';
import type { AttachmentType } from '../seed/types.ts';
import type { Store, StoredAdviceAttachment } from '../store.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_DESCRIPTION = 200;

export interface AttachmentRules {
  type: AttachmentType;
  /** the A&G UBRN the files must have been uploaded for (NHSD-eRS-Referral-ID); undefined on create (A044) */
  ubrn?: string;
  /** code for a file already linked elsewhere: INVALID_STATE where documented (A026/A027), else INAPPROPRIATE_VALUE (A044) */
  alreadyLinked: 'INVALID_STATE' | 'INAPPROPRIATE_VALUE';
  /** file names already used by the same request (DUPLICATE_FILENAME), shared across its attachment parameters */
  names: Map<string, string>;
}

/** Every occurrence of the parameter, checked and turned into the attachments the write will link. */
export function readAdviceAttachments(param: ReadParam | undefined, rules: AttachmentRules, store: Store, now: Date): StoredAdviceAttachment[] {
  return (param?.all ?? (param ? [param] : [])).map((p) => readOne(p, rules, store, now));
}

function readOne(p: ReadParam, rules: AttachmentRules, store: Store, now: Date): StoredAdviceAttachment {
  const doc = p.value as Json;
  const r = `${p.path}.resource`;
  if (doc.resourceType !== 'DocumentReference') throw unprocessable('INVALID_FHIR_STRUCTURE', `${r}: expected a DocumentReference resource`);
  const type = isObject(doc.type) && Array.isArray(doc.type.coding) && isObject(doc.type.coding[0]) ? doc.type.coding[0] : undefined;
  if (!type) throw unprocessable('MISSING_VALUE', `${r}.type: the attachment type (${rules.type}) is required`);
  if (type.system !== SYSTEM.attachmentType || type.code !== rules.type) {
    throw unprocessable('INAPPROPRIATE_VALUE', `${r}.type.coding[0]: a ${p.name} has type ${SYSTEM.attachmentType}#${rules.type}, not ${String(type.system)}#${String(type.code)}`);
  }
  if (doc.status !== 'current') throw unprocessable('INAPPROPRIATE_VALUE', `${r}.status: must be 'current', got '${String(doc.status)}'`);
  const description = typeof doc.description === 'string' ? doc.description : '';
  if (description.length > MAX_DESCRIPTION) throw unprocessable('INVALID_VALUE', `${r}.description: ${description.length} characters, at most ${MAX_DESCRIPTION}`);
  const at = `${r}.content[0].attachment.url`;
  const { id, file, attachment } = storedBinaryOf(doc, r, store);
  if (file.linked) throw unprocessable(rules.alreadyLinked, `${at}: Binary/${id} is already linked as a ${file.linked.type} attachment of ${file.linked.ubrn}`);
  if (rules.ubrn !== undefined) {
    if (!file.intendedUbrn) throw unprocessable('INAPPROPRIATE_VALUE', `${at}: Binary/${id} was uploaded without NHSD-eRS-Referral-ID`);
    if (file.intendedUbrn !== rules.ubrn) throw unprocessable('INAPPROPRIATE_VALUE', `${at}: Binary/${id} was uploaded for ${file.intendedUbrn}, not ${rules.ubrn}`);
  }
  if (typeof attachment?.contentType === 'string' && attachment.contentType !== file.contentType) {
    throw unprocessable('CONFLICTING_VALUES', `${r}.content[0].attachment.contentType: '${attachment.contentType}' but the file was uploaded as ${file.contentType}`);
  }
  const key = file.fileName.toLowerCase();
  const clash = rules.names.get(key);
  if (clash !== undefined) throw unprocessable('DUPLICATE_FILENAME', `${r}: file name '${file.fileName}' is already used by ${clash}`);
  rules.names.set(key, p.path);
  return { binaryId: id, type: rules.type, description: description || file.fileName, indexed: now.toISOString() };
}
