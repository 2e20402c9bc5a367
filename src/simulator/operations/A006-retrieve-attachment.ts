// A006 Retrieve attachment (deprecated; use A042): GET /STU3/Binary/{attachmentLogicalID} (RC, RCA, SPC, SPCA; apps).
// Answers the file's bytes when its scan found it clean (AVAILABLE) and it is at most 5 MB; the Accept header, when
// sent, must admit the file's MIME type (SCAL A006-03).
import { A006_MAX_BYTES, ATTACHMENT_ID, availability, mayReadAttachment, unavailableBecause } from '../domain/attachments.ts';
import { ErsError, unprocessable } from '../errors.ts';
import { header, type SimRequest } from '../http-types.ts';
import type { StoredBinary } from '../store.ts';
import type { OperationImpl } from './types.ts';

export const retrieveAttachmentStu3: OperationImpl = {
  ids: ['A006'],
  handle({ params, store, caller, now, req }) {
    const id = params.attachmentLogicalID as string;
    const file = ATTACHMENT_ID.test(id) ? store.binaries.get(id) : undefined;
    if (!file) throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `Binary/${id}: no attachment with this id${ATTACHMENT_ID.test(id) ? '' : ' (ids are UUIDs or att-{n}-{n})'}`);
    if (!mayReadAttachment(file, caller, store)) {
      throw new ErsError(403, 'forbidden', 'FORBIDDEN', `Binary/${id}: ${caller.onBehalfOf ?? caller.userId} at ${caller.ods} has no legitimate relationship with the request this file belongs to`);
    }
    const state = availability(file, now);
    if (state !== 'AVAILABLE') throw unprocessable(state, unavailableBecause(file, state));
    if (file.bytes.length > A006_MAX_BYTES) {
      throw unprocessable('FILE_SIZE_ERROR', `Binary/${id} is ${file.bytes.length} bytes, more than the ${A006_MAX_BYTES} bytes (5 MB) A006 serves; retrieve it with A042 (R4 Binary)`);
    }
    // only a file that would be served is negotiated: refusals are OperationOutcomes whatever was accepted
    checkAcceptsFile(req, file);
    const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return { status: 200, headers: { 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${ascii}"` }, body: file.bytes };
  },
};

/** 406 unless Accept is absent or admits the file's type (exactly, as type/*, or as any type) with q > 0. */
function checkAcceptsFile(req: SimRequest, file: StoredBinary): void {
  const accept = header(req, 'accept');
  if (!accept?.trim()) return;
  const [major] = file.contentType.split('/');
  const ok = accept.split(',').some((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = rest.find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    return weight > 0 && (type === file.contentType || type === `${major}/*` || type === '*/*');
  });
  if (!ok) throw new ErsError(406, 'not-supported', 'INVALID_VALUE', `Not Acceptable: Binary/${file.id} is ${file.contentType}, the Accept header asked for '${accept}'`, { stu3Body: 'text' });
}
