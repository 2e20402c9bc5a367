// The reference PAS (a hospital's patient administration system, the provider side of e-RS): what a provider
// clinician or admin does in it, and what it sends to e-RS for each. Like the GP system it keeps an audit record
// of every e-RS call (with its X-Correlation-ID), tells the user what happened in plain words, reads the referral
// before every write and sends the version read as If-Match, and reads again after a 409 or 412 before writing
// again. Attachments are fetched only when e-RS reports them AVAILABLE; the others are shown with their state.
import { createHash } from 'node:crypto';
import { connectToErs, ErsCallError, writeWithVersion } from './ers-connection.js';

const STU3 = 'https://fhir.nhs.uk/STU3';
const SD = `${STU3}/StructureDefinition`;
const CS = `${STU3}/CodeSystem`;
const ERS_SERVICE = 'http://fhir.nhs.net/Id/ers-service';
const AVAILABILITY = `${SD}/Extension-eRS-AvailabilityStatus-1`;

/**
 * @param ctx { ers, login, key, apiKey, setup, records } — records is this scenario's file of
 *   { audit, lastMessage, referrals, worklist, documents } (store.js)
 */
export function createPasSystem(ctx) {
  const { records, setup } = ctx;
  records.documents ??= {};
  const ers = connectToErs({ ...ctx, audit: (entry) => records.audit.push(entry) });
  const tell = (message) => (records.lastMessage = message);
  // With a user at the keyboard the PAS acts as that user; the scheduled import (no login) as the trust's application.
  const as = ctx.login ? 'user' : 'application';

  /** Reads the referral: its version (from the ETag), state and attachments with their availability. */
  async function readReferral(ubrn) {
    const { body, etag } = await ers.call('A005', { as, method: 'GET', path: `STU3/ReferralRequest/${ubrn}` });
    const version = /W\/"(\d+)"/.exec(etag ?? '')?.[1] ?? body.meta?.versionId;
    const attachments = (body.contained ?? [])
      .filter((c) => c.resourceType === 'DocumentReference')
      .flatMap((d) => (d.content ?? []).map((c) => c.attachment))
      .filter((a) => typeof a?.url === 'string')
      .map((a) => ({
        id: a.url.replace(/^.*Binary\//, ''),
        title: a.title,
        contentType: a.contentType,
        availability: a.extension?.find((e) => e.url === AVAILABILITY)?.valueCoding?.code ?? 'AVAILABLE',
      }));
    const known = { ubrn, etag: etag ?? `W/"${version}"`, version, patient: body.subject?.identifier?.value, status: body.status, attachments };
    records.referrals[ubrn] = { ...records.referrals[ubrn], ...known };
    return known;
  }

  /** A versioned write: read, write with If-Match; after 409 (stale version) or 412 (precondition) read again, write once more. */
  const writeVersioned = (ubrn, write) => writeWithVersion(() => readReferral(ubrn), write, { retryOn: [409, 412], reread: setup.policy.rereadAfterConflict });

  const outcomeParameters = (name, entries) => ({ resourceType: 'Parameters', meta: { profile: [`${SD}/${name}`] }, parameter: entries });

  return {
    async importWorklist({ service, listType }) {
      const body = outcomeParameters('eRS-FetchWorklist-Parameters-1', [
        { name: 'listType', valueCodeableConcept: { coding: [{ system: `${CS}/eRS-ReferralListSelector-1`, code: listType ?? 'REFERRALS_FOR_REVIEW' }] } },
        ...(service ? [{ name: 'service', valueIdentifier: { system: ERS_SERVICE, value: service } }] : []),
      ]);
      const { body: list } = await ers.call('A008', { as, method: 'POST', path: 'STU3/ReferralRequest/$ers.fetchworklist', body });
      const referrals = (list.entry ?? []).map((e) => /ReferralRequest\/(\d{12})/.exec(e.item?.reference ?? '')?.[1]).filter(Boolean);
      records.worklist = { listType, service, referrals, importedAt: new Date().toISOString() };
      tell(`${referrals.length} referral(s) imported from the ${listType ?? 'REFERRALS_FOR_REVIEW'} worklist`);
      return { referrals, userMessage: records.lastMessage };
    },

    async openReferral({ ubrn }) {
      const referral = await readReferral(ubrn);
      const query = { focus: `ReferralRequest/${ubrn}/_history/${referral.version}`, intent: 'proposal', status: 'ready' };
      const { body: bundle } = await ers.call('A029', { as, method: 'GET', path: 'STU3/Task', query });
      const actions = (bundle.entry ?? []).map((e) => e.resource?.code?.coding?.[0]?.code).filter(Boolean);
      records.referrals[ubrn].actions = actions;
      tell(`Referral ${ubrn} opened; available: ${actions.join(', ') || 'no actions'}`);
      return { ubrn, actions, attachments: referral.attachments.map(({ id, title, availability }) => ({ id, title, availability })), userMessage: records.lastMessage };
    },

    async downloadAttachments({ ubrn }) {
      const referral = await readReferral(ubrn);
      const results = [];
      for (const a of referral.attachments) {
        const have = records.documents[a.id];
        if (have?.status === 'stored') {
          results.push(have);
          continue;
        }
        // e-RS releases a file only once its malware scan has passed: ask for nothing else (catalogue 8.4)
        let entry;
        if (a.availability === 'AVAILABLE' || setup.policy.requestUnreleasedAttachments) {
          try {
            const { bytes, contentType } = await ers.download('A042', { as, path: `R4/Binary/${a.id}` });
            entry = { id: a.id, title: a.title, status: 'stored', contentType, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
          } catch (err) {
            if (!(err instanceof ErsCallError) || ![422].includes(err.status)) throw err;
            entry = { id: a.id, title: a.title, status: err.outcome?.code ?? 'UNAVAILABLE' };
          }
        } else entry = { id: a.id, title: a.title, status: a.availability };
        if (entry.status !== 'stored' && setup.policy.fileUnavailableAttachments) {
          entry = { id: a.id, title: a.title, status: 'stored', contentType: a.contentType, size: 0, sha256: createHash('sha256').update('').digest('hex') };
        }
        records.documents[a.id] = entry;
        results.push(entry);
      }
      const notYet = results.filter((r) => r.status !== 'stored');
      tell(`${results.length - notYet.length} of ${results.length} attachment(s) of referral ${ubrn} filed${notYet.length ? `; not downloaded: ${notYet.map((r) => `${r.title} (${describe(r.status)})`).join(', ')}` : ''}`);
      return { ubrn, attachments: results, userMessage: records.lastMessage };
    },

    async acceptReferral({ ubrn }) {
      await writeVersioned(ubrn, (current) => ers.call('A013', { as, method: 'POST', path: `STU3/ReferralRequest/${ubrn}/$ers.acceptReferral`, ifMatch: current.etag }));
      tell(`Referral ${ubrn} accepted`);
      return { ubrn, userMessage: records.lastMessage };
    },

    async rejectReferral({ ubrn, reason, comment }) {
      await writeVersioned(ubrn, (current) => {
        const body = outcomeParameters('eRS-RejectReferral-Parameters-1', [
          { name: 'rejectionReason', valueCoding: { system: `${ctx.ers.fhirBaseUrl}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code: reason } },
          ...(comment ? [{ name: 'rejectionComments', valueString: comment }] : []),
        ]);
        return ers.call('A014', { as, method: 'POST', path: `STU3/ReferralRequest/${ubrn}/$ers.rejectReferral`, body, ifMatch: current.etag });
      });
      tell(`Referral ${ubrn} returned to the referrer (${reason})`);
      return { ubrn, userMessage: records.lastMessage };
    },

    async recordTriageOutcome({ ubrn, outcome, comment }) {
      await writeVersioned(ubrn, (current) => {
        const body = outcomeParameters('eRS-RecordReviewOutcome-Parameters-1', [
          { name: 'reviewOutcome', valueCoding: { system: `${CS}/eRS-ReviewOutcome-1`, code: outcome } },
          { name: 'reviewComments', valueString: comment },
        ]);
        return ers.call('A028', { as, method: 'POST', path: `STU3/ReferralRequest/${ubrn}/$ers.recordReviewOutcome`, body, ifMatch: current.etag });
      });
      tell(`Triage outcome ${outcome} recorded for referral ${ubrn}`);
      return { ubrn, userMessage: records.lastMessage };
    },

    /** What the user is told when e-RS refuses or fails; the message names what to do next. */
    explain(err) {
      if (!(err instanceof ErsCallError)) throw err;
      const code = err.outcome?.code ? ` (${err.outcome.code})` : '';
      const messages = {
        0: 'e-RS did not answer; open the referral again to see whether the change was made',
        403: `You are not allowed to do this in e-RS${code}`,
        409: `The referral was changed by someone else; open it again${code}`,
        412: `The referral could not be updated${code}; open it again`,
        422: `e-RS could not accept this${code}: ${err.outcome?.diagnostics ?? err.outcome?.display ?? ''}`.trim(),
        423: `The referral is being updated by someone else; try again in a moment${code}`,
        429: `e-RS is busy; try again in a few minutes${code}`,
        503: `e-RS is unavailable; try again later${code}`,
      };
      tell(messages[err.status] ?? `e-RS answered ${err.status}${code}`);
      return { userMessage: records.lastMessage, ersStatus: err.status, ersCode: err.outcome?.code };
    },
  };
}

function describe(status) {
  return { PENDING: 'still being scanned for malware; try again in at least 5 minutes', THREATS_FOUND: 'quarantined by e-RS: a threat was found', VALIDATION_FAILED: 'e-RS could not validate the file' }[status] ?? status;
}
