// A042 Retrieve attachment (R4 Binary): GET /R4/Binary/{id} (RC, RCA, SPC, SPCA; provider apps). Answers 307 with a
// short-lived object-store Location (no 5 MB cap); errors are NHSDigital-OperationOutcomes.
import { ATTACHMENT_ID, availability, issueDownload, mayReadAttachment, unavailableBecause } from '../domain/attachments.ts';
import { ErsError, ERS_R4_ERROR_CODES } from '../errors.ts';
import { OBJECT_STORE_PREFIX } from '../object-store.ts';
import type { OperationImpl } from './types.ts';

export const retrieveAttachmentR4: OperationImpl = {
  ids: ['A042'],
  handle({ params, store, caller, now, baseUrl }) {
    const id = params.id as string;
    if (!ATTACHMENT_ID.test(id)) throw new ErsError(400, 'invalid', 'INVALID_VALUE', `id: '${id}' is not an attachment id (a UUID or att-{n}-{n} from DocumentReference.content.attachment.url)`);
    const file = store.binaries.get(id);
    if (!file) throw new ErsError(404, 'not-found', 'REFERENCE_NOT_FOUND', `Binary/${id}: no attachment with this id`);
    if (!mayReadAttachment(file, caller, store)) {
      throw new ErsError(403, 'forbidden', 'NO_RELATIONSHIP', `Binary/${id}: ${caller.onBehalfOf ?? caller.userId} at ${caller.ods} has no legitimate relationship with the request this file belongs to`);
    }
    const state = availability(file, now);
    if (state !== 'AVAILABLE') throw new ErsError(422, 'invalid', state, unavailableBecause(file, state), { r4: { system: ERS_R4_ERROR_CODES, code: state } });
    const token = issueDownload(store, file, now);
    const origin = new URL(baseUrl).origin;
    return { status: 307, headers: { Location: `${origin}${OBJECT_STORE_PREFIX}${token}`, 'Cache-Control': 'no-store' } };
  },
};
