import { asArray, asObject } from './read.ts';
import { referenceDataSystem, type Parameters } from './parameters.ts';

// Request bodies and response readers for the provider's review (catalogue 8.1): A014 reject, A022 cancel appointment
// action later, A028 record triage outcome, their PROVIDER attachments (8.4), and the attachments a referral lists.
// Steps pass intent-resolved values; nothing here knows a target.

type Json = Record<string, unknown>;

const CS = 'https://fhir.nhs.uk/STU3/CodeSystem/';
const SD = 'https://fhir.nhs.uk/STU3/StructureDefinition/';
export const REVIEW_OUTCOME_SYSTEM = `${CS}eRS-ReviewOutcome-1`;
export const PRIORITY_SYSTEM = `${CS}eRS-Priority-1`;

export interface ProviderFile { binaryId: string; description?: string; type?: string; status?: string }

/** A PROVIDER DocumentReference naming a file in the document store (A022 providerAttachmentFile, A028 reviewAttachmentFile). */
export function providerAttachment(f: ProviderFile, indexed: string): Json {
  return {
    resourceType: 'DocumentReference',
    meta: { profile: [`${SD}eRS-DocumentReference-1`] },
    type: { coding: [{ system: `${CS}eRS-AttachmentType-1`, code: f.type ?? 'PROVIDER' }] },
    status: f.status ?? 'current',
    indexed,
    description: f.description ?? 'Provider attachment',
    content: [{ attachment: { url: `Binary/${f.binaryId}` } }],
  };
}

export interface Rejection { reason: string; comments?: string; appointmentCancelledInPas?: boolean }

/** A014 body. */
export function buildRejectReferral(fhirBase: string, r: Rejection): Parameters {
  return {
    resourceType: 'Parameters',
    meta: { profile: [`${SD}eRS-RejectReferral-Parameters-1`] },
    parameter: [
      { name: 'rejectionReason', valueCoding: { system: referenceDataSystem('APPOINTMENT-CANCELLATION-REASON', fhirBase), code: r.reason } },
      ...(r.comments !== undefined ? [{ name: 'rejectionComments', valueString: r.comments }] : []),
      ...(r.appointmentCancelledInPas !== undefined ? [{ name: 'appointmentCancelledInPAS', valueBoolean: r.appointmentCancelledInPas }] : []),
    ],
  };
}

export interface ActionLater { comments?: string; priority?: string; appointmentCancelledInPas?: boolean; files?: ProviderFile[] }

/** A022 body. */
export function buildCancelAppointmentActionLater(a: ActionLater, indexed: string): Parameters {
  return {
    resourceType: 'Parameters',
    meta: { profile: [`${SD}eRS-cancelAppointmentActionLater-Parameters-1`] },
    parameter: [
      ...(a.comments !== undefined ? [{ name: 'comments', valueString: a.comments }] : []),
      ...(a.priority ? [{ name: 'priority', valueCoding: { system: PRIORITY_SYSTEM, code: a.priority } }] : []),
      ...(a.appointmentCancelledInPas !== undefined ? [{ name: 'appointmentCancelledInPAS', valueBoolean: a.appointmentCancelledInPas }] : []),
      ...(a.files ?? []).map((f) => ({ name: 'providerAttachmentFile', resource: providerAttachment(f, indexed) })),
    ],
  };
}

export interface ReviewOutcome { outcome: string; comments?: string; priority?: string; files?: ProviderFile[] }

/** A028 body. */
export function buildReviewOutcome(o: ReviewOutcome, indexed: string): Parameters {
  return {
    resourceType: 'Parameters',
    meta: { profile: [`${SD}eRS-RecordReviewOutcome-Parameters-1`] },
    parameter: [
      { name: 'reviewOutcome', valueCoding: { system: REVIEW_OUTCOME_SYSTEM, code: o.outcome } },
      ...(o.comments !== undefined ? [{ name: 'reviewComments', valueString: o.comments }] : []),
      ...(o.priority ? [{ name: 'reviewPriority', valueCoding: { system: PRIORITY_SYSTEM, code: o.priority } }] : []),
      ...(o.files ?? []).map((f) => ({ name: 'reviewAttachmentFile', resource: providerAttachment(f, indexed) })),
    ],
  };
}

export interface ListedAttachment { id: string; type: string; contentType?: string; title?: string; availability?: string }

/** The attachments a ReferralRequest lists (contained DocumentReferences): Binary id, type, MIME type, availability. */
export function referralAttachments(referral: unknown): ListedAttachment[] {
  return asArray(asObject(referral)?.contained)
    .map(asObject)
    .filter((c): c is Json => c?.resourceType === 'DocumentReference')
    .map((d) => {
      const attachment = asObject(asObject(asArray(d.content)[0])?.attachment) ?? {};
      const availability = asArray(attachment.extension).map(asObject).find((e) => String(e?.url).endsWith('Extension-eRS-AvailabilityStatus-1'));
      return {
        id: String(attachment.url ?? '').replace(/^Binary\//, ''),
        type: String(asObject(asArray(asObject(d.type)?.coding)[0])?.code ?? ''),
        ...(typeof attachment.contentType === 'string' ? { contentType: attachment.contentType } : {}),
        ...(typeof attachment.title === 'string' ? { title: attachment.title } : {}),
        ...(asObject(availability?.valueCoding)?.code ? { availability: String(asObject(availability?.valueCoding)?.code) } : {}),
      };
    });
}

/** The state reason code of a ReferralRequest (Extension-eRS-ReferralState-1 reason), if any. */
export function referralStateReason(referral: unknown): string | undefined {
  const state = asArray(asObject(referral)?.extension).map(asObject).find((e) => String(e?.url).endsWith('Extension-eRS-ReferralState-1'));
  const reason = asArray(state?.extension).map(asObject).find((e) => e?.url === 'reason');
  return asObject(reason?.valueCoding)?.code as string | undefined;
}

/** The file name of a Content-Disposition header: the RFC 5987 filename* when given, else the plain filename. */
export function dispositionFileName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(value)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      return undefined;
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(value)?.[1]?.trim();
}
