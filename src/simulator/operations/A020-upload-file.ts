// A020 Upload file to document store: POST /STU3/Binary (RC, RCA, SPC, SPCA; UR only). Raw bytes in, 201 with
// Location: Binary/{uuid}; the file is only stored — A012 (and other linking operations) attach it. It can be
// downloaded (A006/A042) once its malware scan has finished.
import { randomUUID } from 'node:crypto';
import { SCAN_DURATION_MS } from '../domain/attachments.ts';
import { ErsError, unprocessable } from '../errors.ts';
import { header } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_FILE_NAME = 255;

/** The 14 MIME types e-RS stores, with the file extensions each may carry (catalogue A020). */
export const FILE_TYPES: Record<string, string[]> = {
  'text/plain': ['txt'],
  'application/pdf': ['pdf'],
  'text/xml': ['xml'],
  'text/rtf': ['rtf', 'rtx'],
  'audio/basic': ['au'],
  'audio/mpeg': ['mp3'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/jpeg': ['jpg', 'jpe', 'jpeg'],
  'image/tiff': ['tif', 'tiff'],
  'video/mpeg': ['mpg', 'mpeg', 'mpe'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/dicom': ['dcm'],
};

export const uploadFile: OperationImpl = {
  ids: ['A020'],
  handle({ req, store, caller, now }) {
    const fileName = header(req, 'nhsd-ers-file-name')?.trim();
    if (!fileName) throw unprocessable('MISSING_VALUE', 'NHSD-eRS-File-Name: the file name (with extension) is required');
    if (fileName.length > MAX_FILE_NAME) throw unprocessable('INVALID_VALUE', `NHSD-eRS-File-Name: ${fileName.length} characters, at most ${MAX_FILE_NAME}`);
    const contentType = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!contentType) throw unprocessable('MISSING_VALUE', 'Content-Type: the file\'s MIME type is required');
    // not a media type at all: the platform refuses it before e-RS sees it
    if (!/^[a-z0-9][\w.+-]*\/[a-z0-9][\w.+-]*$/.test(contentType)) {
      throw new ErsError(415, 'not-supported', 'INVALID_VALUE', `Unsupported Media Type: '${contentType}' is not a MIME type`, { stu3Body: 'text' });
    }
    const extensions = FILE_TYPES[contentType];
    if (!extensions) throw unprocessable('INAPPROPRIATE_VALUE', `Content-Type: ${contentType} is not a file type e-RS stores; allowed: ${Object.keys(FILE_TYPES).join(', ')}`);
    if (req.body.length === 0) throw unprocessable('FILE_SIZE_ERROR', 'body: the file is empty');
    if (req.body.length > MAX_FILE_BYTES) throw unprocessable('FILE_SIZE_ERROR', `body: ${req.body.length} bytes is more than the ${MAX_FILE_BYTES} bytes (5 MB) allowed`);
    const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
    if (!extension || !extensions.includes(extension)) {
      throw unprocessable('CONFLICTING_VALUES', `NHSD-eRS-File-Name: the extension of '${fileName}' does not match Content-Type ${contentType} (expected .${extensions.join(' / .')})`);
    }
    const intendedUbrn = header(req, 'nhsd-ers-referral-id')?.trim() || undefined;
    if (intendedUbrn !== undefined && !/^\d{12}$/.test(intendedUbrn)) throw unprocessable('INVALID_VALUE', `NHSD-eRS-Referral-ID: '${intendedUbrn}' is not a 12-digit UBRN`);
    const id = randomUUID();
    store.binaries.set(id, {
      id, fileName, contentType, bytes: Buffer.from(req.body), uploadedBy: caller.effectiveUserId, uploaded: now.toISOString(),
      // the malware scan runs on the simulator's clock: PENDING until it completes (catalogue 8.4)
      scanCompletes: new Date(now.getTime() + SCAN_DURATION_MS).toISOString(),
      ...(intendedUbrn ? { intendedUbrn } : {}),
    });
    return { status: 201, headers: { Location: `Binary/${id}` } };
  },
};
