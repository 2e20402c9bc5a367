// Attachments in the document store (catalogue 8.4): the malware scan that moves a file from PENDING to AVAILABLE,
// THREATS_FOUND or VALIDATION_FAILED on the simulator's clock, who may read a file, and A042's object-store links.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../http-types.ts';
import { unprocessable } from '../errors.ts';
import type { Store, StoredBinary } from '../store.ts';
import { hasRelationship, isReferrerSide, providerMayAct } from './relationship.ts';

export type Availability = 'AVAILABLE' | 'PENDING' | 'THREATS_FOUND' | 'VALIDATION_FAILED';

/** How long the document store's malware scan takes after an upload (live e-RS: "wait at least 5 minutes"). */
export const SCAN_DURATION_MS = 5 * 60_000;
/** A006 serves files up to 5 MB; larger ones only through A042. */
export const A006_MAX_BYTES = 5 * 1024 * 1024;
/** How long an A042 object-store link stays valid. */
export const DOWNLOAD_LINK_MS = 60_000;
/** Links held at once; beyond it the oldest go first, so a flood of A042 calls cannot grow the store without bound. */
export const MAX_DOWNLOAD_LINKS = 10_000;

/** Attachment ids e-RS hands out: an RFC 4122 UUID or the legacy att-{n}-{n}. */
export const ATTACHMENT_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|att-\d+-\d+)$/i;

/**
 * The industry-standard anti-virus test file (EICAR): harmless, but every scanner flags it. Assembled at run time so
 * no source file of this repository carries the signature (and trips a developer's own scanner).
 */
export function antivirusTestSignature(): string {
  return ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS', '-TEST-FILE!$H+H*'].join('');
}

// First bytes each stored MIME type must start with (text types: no NUL bytes instead).
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/tiff': (b) => ['II*\0', 'MM\0*'].includes(b.subarray(0, 4).toString('latin1')),
  'application/msword': (b) => b.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (b) => b.subarray(0, 4).toString('latin1') === 'PK\x03\x04',
  'application/dicom': (b) => b.subarray(128, 132).toString('latin1') === 'DICM',
  'audio/basic': (b) => b.subarray(0, 4).toString('latin1') === '.snd',
  'audio/mpeg': (b) => b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  'video/mpeg': (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && (b[3] === 0xba || b[3] === 0xb3),
  'text/rtf': (b) => b.subarray(0, 5).toString('latin1') === '{\\rtf',
  'text/xml': (b) => b.toString('utf8', 0, 64).replace(/^\uFEFF/, '').trimStart().startsWith('<'),
};

/** Does the file's content match the MIME type it was uploaded as? (VALIDATION_FAILED otherwise) */
export function contentMatchesType(bytes: Buffer, contentType: string): boolean {
  const check = MAGIC[contentType];
  if (check) return check(bytes);
  return !bytes.includes(0);
}

/** The file's availability now: PENDING while the scan runs, then what the scan found. */
export function availability(file: StoredBinary, now: Date): Availability {
  if (file.scanCompletes && Date.parse(file.scanCompletes) > now.getTime()) return 'PENDING';
  if (file.bytes.includes(antivirusTestSignature())) return 'THREATS_FOUND';
  if (!contentMatchesType(file.bytes, file.contentType)) return 'VALIDATION_FAILED';
  return 'AVAILABLE';
}

/** Diagnostics for a file that cannot be downloaded, as e-RS words them. */
export function unavailableBecause(file: StoredBinary, state: Exclude<Availability, 'AVAILABLE'>): string {
  switch (state) {
    case 'PENDING':
      return `Binary/${file.id} (${file.fileName}) is still being scanned for malware; try again in at least 5 minutes (scan completes ${file.scanCompletes})`;
    case 'THREATS_FOUND':
      return `Binary/${file.id} (${file.fileName}) was quarantined: the malware scan found a threat`;
    case 'VALIDATION_FAILED':
      return `Binary/${file.id} (${file.fileName}) failed validation: its content is not ${file.contentType}`;
  }
}

/**
 * May the caller read the file? Through the referral or A&G request it is linked to (or was uploaded for): the same
 * legitimate relationship as reading that request; a file linked to nothing only by whoever uploaded it.
 */
export function mayReadAttachment(file: StoredBinary, caller: Caller, store: Store): boolean {
  const ubrn = file.linked?.ubrn ?? file.intendedUbrn;
  if (!ubrn) return file.uploadedBy === caller.effectiveUserId;
  const ref = store.referrals.get(ubrn);
  if (ref) return hasRelationship(caller, ref, store);
  const advice = store.adviceRequests.get(ubrn);
  if (advice) {
    if (isReferrerSide(caller)) return advice.requesterOds === caller.ods;
    const service = store.services.get(advice.service);
    return service !== undefined && providerMayAct(caller, service);
  }
  return file.uploadedBy === caller.effectiveUserId;
}

/** A042: a fresh, short-lived object-store link for the file (a new one for every download). */
export function issueDownload(store: Store, file: StoredBinary, now: Date): string {
  for (const [token, d] of store.downloads) if (Date.parse(d.expires) <= now.getTime()) store.downloads.delete(token);
  // Map order is insertion order: the first key is the oldest link
  while (store.downloads.size >= MAX_DOWNLOAD_LINKS) store.downloads.delete(store.downloads.keys().next().value as string);
  const token = randomUUID();
  store.downloads.set(token, { binaryId: file.id, expires: new Date(now.getTime() + DOWNLOAD_LINK_MS).toISOString() });
  return token;
}

/** Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 file name, as the object store sends it. */
export function rfc5987Disposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The uploaded file a DocumentReference names in content[0].attachment.url (the Binary/{id} A020 answered), or the
 * documented 422: the url missing, not Binary/{id}, or naming no stored file. `r` is the resource's path, for messages.
 * A012 letters, provider review attachments and A&G attachments all link uploads this way.
 */
export function storedBinaryOf(doc: Record<string, unknown>, r: string, store: Store): { id: string; file: StoredBinary; attachment: Record<string, unknown> } {
  const content = Array.isArray(doc.content) ? (doc.content[0] as Record<string, unknown> | undefined) : undefined;
  const attachment = content !== null && typeof content === 'object' && content.attachment !== null && typeof content.attachment === 'object' ? (content.attachment as Record<string, unknown>) : undefined;
  const at = `${r}.content[0].attachment.url`;
  const url = attachment?.url;
  if (typeof url !== 'string' || url === '') throw unprocessable('MISSING_VALUE', `${at}: the Binary/{id} from A020 is required`);
  const id = /^Binary\/([^/]+)$/.exec(url)?.[1];
  if (!id) throw unprocessable('INVALID_VALUE', `${at}: '${url}' is not Binary/{id}`);
  const file = store.binaries.get(id);
  if (!file) throw unprocessable('REFERENCE_NOT_FOUND', `${at}: Binary/${id} is not in the document store`);
  return { id, file, attachment: attachment! };
}
