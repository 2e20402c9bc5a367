// A043 Retrieve advice and guidance overview PDF: POST /STU3/CommunicationRequest/{ubrn}/$ers.generateCRI (RC, RCA, SPC,
// SPCA; provider apps; no body). The request and its whole conversation as a PDF named
// {ubrn}_Advice_And_Guidance_{yyyyMMddHHmmss}.pdf; a referral's UBRN is INVALID_REQUEST_TYPE (that is A007).
import { adviceFor } from '../domain/advice-lifecycle.ts';
import { overviewLines } from '../fhir/advice.ts';
import { checkAcceptsPdf, fileStamp, minimalPdf, pdfAttachment } from '../pdf.ts';
import type { OperationImpl } from './types.ts';

export const retrieveAdviceAndGuidanceOverviewPdf: OperationImpl = {
  ids: ['A043'],
  handle({ params, store, caller, now, req }) {
    checkAcceptsPdf(req, 'the advice and guidance overview');
    const a = adviceFor(store, params.ubrn as string, caller);
    const pdf = minimalPdf('NHS e-Referral Service: Advice and Guidance overview', overviewLines(a, store), now);
    return pdfAttachment(pdf, `${a.ubrn}_Advice_And_Guidance_${fileStamp(now)}.pdf`);
  },
};
