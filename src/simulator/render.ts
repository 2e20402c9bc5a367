// Turns an ErsError into the STU3 or R4 wire shape.
import { ErsError, r4Outcome, stu3Outcome, type BodyKind } from './errors.ts';
import type { SimResponse } from './http-types.ts';

export function renderError(err: ErsError, fhirVersion: 'STU3' | 'R4', now: Date): SimResponse {
  const kind: BodyKind = (fhirVersion === 'R4' ? err.options.r4Body : err.options.stu3Body) ?? 'outcome';
  const headers: Record<string, string> = { ...(err.options.headers ?? {}) };
  if (kind === 'empty') return { status: err.status, headers };
  if (kind === 'text') {
    return { status: err.status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: err.diagnostics };
  }
  const body = fhirVersion === 'R4' ? r4Outcome(err, now) : stu3Outcome(err.issueType, err.code, err.diagnostics, now);
  return { status: err.status, headers: { ...headers, 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(body) };
}
