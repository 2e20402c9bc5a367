// The simulator's error model: every non-2xx answer is an ErsError rendered once, in the STU3 or R4 shape.
import { ERS_API_ERROR_CODE_SYSTEM, ERS_OPERATION_OUTCOME_PROFILE } from '../ers/operations.ts';

export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'code-invalid' | 'business-rule' | 'forbidden' | 'login'
  | 'not-found' | 'not-supported' | 'transient' | 'exception' | 'throttled' | 'timeout' | 'too-long' | 'processing'
  | 'conflict' | 'lock-error';

export type BodyKind = 'outcome' | 'empty' | 'text';

export interface ErsErrorOptions {
  headers?: Record<string, string>;
  /** how the STU3 shape carries this error (default outcome) */
  stu3Body?: BodyKind;
  /** how the R4 shape carries this error (default outcome) */
  r4Body?: BodyKind;
  /** explicit R4 coding when the generic mapping does not fit */
  r4?: { system: string; code: string };
  /** R4 meta.profile override (the proxy's 401 uses the base OperationOutcome page) */
  r4Profile?: string;
}

export class ErsError extends Error {
  constructor(
    readonly status: number,
    readonly issueType: IssueType,
    /** eRS-APIErrorCode-1 code (STU3 shape) */
    readonly code: string,
    readonly diagnostics: string,
    readonly options: ErsErrorOptions = {},
  ) {
    super(`${status} ${code}: ${diagnostics}`);
  }
}

// Issue type per eRS business code when raised as a 422 (FHIR issue-type value set).
const ISSUE_TYPE_422: Record<string, IssueType> = {
  INVALID_FHIR_STRUCTURE: 'structure',
  UNEXPECTED_FIELD: 'structure',
  MISSING_VALUE: 'required',
  VALUE_IS_REQUIRED: 'required',
  INVALID_VALUE: 'value',
  INVALID_CODE: 'code-invalid',
  REFERENCE_NOT_FOUND: 'not-found',
  SNOMED_NOT_FOUND: 'not-found',
  NO_RELATIONSHIP: 'forbidden',
  TOO_MANY_ITEMS: 'business-rule',
};

/** 422 business-validation failure with the documented eRS code; diagnostics must name the offending field. */
export function unprocessable(code: string, diagnostics: string): ErsError {
  return new ErsError(422, ISSUE_TYPE_422[code] ?? 'business-rule', code, diagnostics);
}

export const R4_PROFILE = 'https://fhir.nhs.uk/StructureDefinition/NHSDigital-OperationOutcome';
export const R4_BASE_OO_PAGE = 'https://www.hl7.org/fhir/R4/operationoutcome.html';
export const HTTP_ERROR_CODES = 'https://fhir.nhs.uk/CodeSystem/http-error-codes';
export const APIM_ERROR_CODES = 'https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode';
export const ERS_R4_ERROR_CODES = 'https://fhir.nhs.uk/CodeSystem/ers-error-codes';

const R4_BY_STATUS: Record<number, string> = {
  400: 'REC_BAD_REQUEST', 403: 'REC_FORBIDDEN', 404: 'REC_NOT_FOUND', 405: 'REC_BAD_REQUEST', 406: 'REC_NOT_ACCEPTABLE',
  413: 'REC_BAD_REQUEST', 415: 'REC_UNSUPPORTED_MEDIA_TYPE', 422: 'REC_BAD_REQUEST', 500: 'REC_SERVER_ERROR',
  501: 'REC_SERVER_ERROR', 502: 'REC_SERVER_ERROR', 503: 'REC_UNAVAILABLE', 504: 'REC_UNAVAILABLE',
};

function r4Coding(err: ErsError): { system: string; code: string } {
  if (err.options.r4) return err.options.r4;
  if (err.code === 'NO_ACCESS') return { system: APIM_ERROR_CODES, code: 'ACCESS_DENIED' };
  if (err.code === 'MISSING_HEADER') return { system: APIM_ERROR_CODES, code: 'MISSING_HEADER' };
  if (['NO_RELATIONSHIP', 'PENDING', 'THREATS_FOUND', 'VALIDATION_FAILED'].includes(err.code)) return { system: ERS_R4_ERROR_CODES, code: err.code };
  return { system: HTTP_ERROR_CODES, code: R4_BY_STATUS[err.status] ?? 'REC_SERVER_ERROR' };
}

/** Human display for a code: MISSING_HEADER -> "Missing header". */
export function displayFor(code: string): string {
  const words = code.replace(/^REC_/, '').toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function stu3Outcome(issueType: IssueType, code: string, diagnostics: string, now: Date): Record<string, unknown> {
  return {
    resourceType: 'OperationOutcome',
    meta: { profile: [ERS_OPERATION_OUTCOME_PROFILE], lastUpdated: now.toISOString() },
    issue: [
      {
        severity: 'error',
        code: issueType,
        details: { coding: [{ system: ERS_API_ERROR_CODE_SYSTEM, code, display: displayFor(code) }] },
        diagnostics,
      },
    ],
  };
}

export function r4Outcome(err: ErsError, now: Date): Record<string, unknown> {
  const coding = r4Coding(err);
  return {
    resourceType: 'OperationOutcome',
    meta: { profile: [err.options.r4Profile ?? R4_PROFILE], lastUpdated: now.toISOString() },
    issue: [
      {
        severity: 'error',
        code: err.issueType,
        details: { coding: [{ system: coding.system, code: coding.code, display: displayFor(coding.code) }] },
        diagnostics: err.diagnostics,
      },
    ],
  };
}
