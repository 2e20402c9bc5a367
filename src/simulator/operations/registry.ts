// Data-driven operation registry: every catalogue operation is routed; unimplemented ones answer 501.
import { OPERATIONS, type OperationDef } from '../../ers/operations.ts';
import { notImplemented } from './not-implemented.ts';
import type { OperationImpl } from './types.ts';
import { retrieveReferenceData } from './A004-retrieve-reference-data.ts';
import { retrieveReferralRequest } from './A005-retrieve-referral-request.ts';
import { retrieveWorklist } from './A008-retrieve-worklist.ts';
import { patientServiceSearch } from './A010-patient-service-search.ts';
import { createReferral } from './A011-create-referral.ts';
import { maintainReferralLetter } from './A012-maintain-referral-letter.ts';
import { retrieveAppointmentSlots } from './A015-retrieve-appointment-slots.ts';
import { bookOrDeferAppointment } from './A016-book-or-defer-appointment.ts';
import { generatePatientLetter } from './A019-generate-patient-letter.ts';
import { uploadFile } from './A020-upload-file.ts';
import { createReferralAndSendForTriage } from './A021-create-referral-and-send-for-triage.ts';
import { availableActionsForUser } from './A029-available-actions.ts';
import { changeShortlist } from './A031-change-shortlist.ts';
import { changeShortlistAndSendForTriage } from './A032-change-shortlist-and-send-for-triage.ts';
import { cancelAppointmentOperation } from './A034-cancel-appointment.ts';
import { cancelReferralOperation } from './A036-cancel-referral.ts';
import { retrieveAppointment } from './A038-retrieve-appointment.ts';
import { retrieveAdviceAndGuidanceWorklist } from './A023-retrieve-advice-and-guidance-worklist.ts';
import { retrieveAdviceAndGuidanceRequest } from './A024-retrieve-advice-and-guidance-request.ts';
import { retrieveAdviceAndGuidanceConversation } from './A025-retrieve-advice-and-guidance-conversation.ts';
import { sendAdviceAndGuidanceResponse } from './A026-send-advice-and-guidance-response.ts';
import { convertAdviceAndGuidanceToReferral } from './A027-convert-advice-and-guidance-to-referral.ts';
import { retrieveAdviceAndGuidanceOverviewPdf } from './A043-retrieve-advice-and-guidance-overview-pdf.ts';
import { createAdviceAndGuidance } from './A044-create-advice-and-guidance.ts';
import { retrieveBusinessFunctions } from './A030-retrieve-business-functions.ts';
import { retrieveHealthcareService } from './A033-A037-healthcare-service.ts';
import { searchHealthcareServices } from './A035-search-healthcare-services.ts';
import { retrieveOnBehalfOfPractitioners } from './A040-retrieve-obo-practitioners.ts';
import { searchServiceRequests } from './A041-search-service-requests.ts';
import { retrieveAttachmentStu3 } from './A006-retrieve-attachment.ts';
import { retrieveClinicalInformation } from './A007-retrieve-clinical-information.ts';
import { acceptReferralOperation } from './A013-accept-referral.ts';
import { rejectReferralOperation } from './A014-reject-referral.ts';
import { cancelAppointmentActionLaterOperation } from './A022-cancel-appointment-action-later.ts';
import { recordReviewOutcomeOperation } from './A028-record-review-outcome.ts';
import { retrieveAttachmentR4 } from './A042-retrieve-attachment.ts';

const IMPLEMENTED: OperationImpl[] = [
  retrieveReferenceData, retrieveReferralRequest, retrieveWorklist, patientServiceSearch, createReferral,
  // referrer journey (issue 4)
  maintainReferralLetter, retrieveAppointmentSlots, bookOrDeferAppointment, generatePatientLetter, uploadFile, createReferralAndSendForTriage,
  availableActionsForUser, changeShortlist, changeShortlistAndSendForTriage, cancelAppointmentOperation, cancelReferralOperation, retrieveAppointment,
  // Advice & Guidance (issue 11)
  retrieveAdviceAndGuidanceWorklist, retrieveAdviceAndGuidanceRequest, retrieveAdviceAndGuidanceConversation, sendAdviceAndGuidanceResponse,
  convertAdviceAndGuidanceToReferral, retrieveAdviceAndGuidanceOverviewPdf, createAdviceAndGuidance,
  // R4 directory and identity (issue 12)
  retrieveBusinessFunctions, retrieveHealthcareService, searchHealthcareServices, retrieveOnBehalfOfPractitioners, searchServiceRequests,
  // provider review and attachments (issue 11)
  retrieveAttachmentStu3, retrieveClinicalInformation, acceptReferralOperation, rejectReferralOperation, cancelAppointmentActionLaterOperation,
  recordReviewOutcomeOperation, retrieveAttachmentR4,
];

// Operations answering with a file or redirect negotiate Accept themselves (A006 must match the attachment's MIME type).
const NON_FHIR_RESPONSES = new Set(['A006', 'A007', 'A019', 'A042', 'A043']);

export interface Registry {
  implementationFor(op: OperationDef): OperationImpl;
  negotiatesFhirJson(op: OperationDef): boolean;
  implementedIds(): string[];
}

export function createRegistry(extra: OperationImpl[] = []): Registry {
  const byId = new Map<string, OperationImpl>();
  for (const impl of [...IMPLEMENTED, ...extra]) for (const id of impl.ids) byId.set(id, impl);
  for (const op of OPERATIONS) if (!byId.has(op.id)) byId.set(op.id, notImplemented(op));
  return {
    implementationFor: (op) => byId.get(op.id) ?? notImplemented(op),
    negotiatesFhirJson: (op) => !NON_FHIR_RESPONSES.has(op.activity),
    implementedIds: () => [...IMPLEMENTED, ...extra].flatMap((i) => i.ids),
  };
}
