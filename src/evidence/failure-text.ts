// Failure text a person can act on: the operation, what was expected and what came back, and for an e-RS
// error the error code and diagnostics from the body — never raw JSON cut mid-way, a diff or a file path.
import { outcomeIssues } from '../ers/read.ts';
import { OPERATIONS } from '../ers/operations.ts';
import type { Exchange } from '../http/exchange.ts';

const MAX_SNIPPET = 200;

/** "A005 Retrieve referral request (GET /STU3/ReferralRequest/1)" for an exchange. */
export function operationLabel(ex: Exchange): string {
  const op = ex.operation ? OPERATIONS.find((o) => o.id === ex.operation) : undefined;
  let path = ex.request.url;
  try {
    path = new URL(ex.request.url).pathname.replace(/^.*?(?=\/(?:STU3|R4)\/)/, ''); // the operation's path, not the base URL's
  } catch {
    // keep the URL as recorded
  }
  return `${op ? `${op.id} ${op.name} ` : ex.operation ? `${ex.operation} ` : ''}(${ex.request.method} ${path})`;
}

/** What the response body says, in one line: the e-RS error code and diagnostics, or the start of the text. */
export function bodySummary(status: number, body: { json?: unknown; text: string; bytes: number; contentType?: string }): string {
  const issues = outcomeIssues(body.json);
  if (issues.length) {
    return issues.slice(0, 3).map((i) => [i.errorCode ? `e-RS error ${i.errorCode}` : undefined, i.code ? `(issue ${i.code})` : undefined, i.diagnostics ? `“${oneLine(i.diagnostics, MAX_SNIPPET)}”` : undefined].filter(Boolean).join(' ')).join('; ');
  }
  if (!body.bytes) return 'an empty body';
  const rt = body.json && typeof body.json === 'object' ? (body.json as { resourceType?: unknown }).resourceType : undefined;
  if (typeof rt === 'string') return `a ${rt} resource`;
  return `${body.contentType ?? 'a body'}: “${oneLine(body.text, MAX_SNIPPET)}”`;
}

/** Headline for an unexpected status. */
export function statusMismatch(ex: Exchange, expected: number, explanation?: string): string {
  const r = ex.response!;
  return `${operationLabel(ex)}: expected HTTP ${expected}, got ${r.status} with ${bodySummary(r.status, r.body)}${explanation ? ` — ${explanation}` : ''}`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
