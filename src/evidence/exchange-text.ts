import type { Exchange, RecordedBody } from '../http/exchange.ts';
import type { Redactor } from './redact.ts';

/** A redacted, human-readable rendering of one exchange: what a reviewer reads in the report. */
export function exchangeAsText(ex: Exchange, redactor: Redactor): string {
  const lines: string[] = [];
  const url = new URL(ex.request.url);
  lines.push(`${ex.request.method} ${redactor.redact(url.pathname + url.search)}`);
  lines.push(`Host: ${url.host}`);
  for (const [k, v] of Object.entries(redactor.redactHeaders(ex.request.headers))) lines.push(`${k}: ${v}`);
  if (ex.request.body) lines.push('', bodyText(ex.request.body, redactor));
  lines.push('', `--- ${ex.operation ?? 'request'} · started ${ex.startedAt} · ${ex.durationMs} ms${ex.attempts > 1 ? ` · ${ex.attempts} attempts` : ''} ---`, '');
  if (ex.error) {
    lines.push(`NO RESPONSE (${ex.error.kind}): ${redactor.redact(ex.error.message)}`);
    return lines.join('\n');
  }
  const r = ex.response!;
  lines.push(`HTTP ${r.status}`);
  for (const [k, v] of Object.entries(redactor.redactHeaders(r.headers))) lines.push(`${k}: ${v}`);
  lines.push('', r.body.bytes === 0 ? '(empty body)' : bodyText(r.body, redactor));
  return lines.join('\n');
}

function bodyText(body: RecordedBody, redactor: Redactor): string {
  const notes: string[] = [];
  if (body.truncated) notes.push(`[body truncated: ${body.bytes} bytes received, first part shown]`);
  if (body.jsonError) notes.push(`[${body.jsonError}]`);
  const text = body.binary ? body.text : body.json !== undefined ? JSON.stringify(redactor.redactValue(body.json), null, 2) : redactor.redact(body.text);
  return [...notes, text].join('\n');
}

/** A short title for the attachment, e.g. "A005 GET /STU3/ReferralRequest/… → 200 (12 ms)". */
export function exchangeTitle(ex: Exchange, redactor: Redactor): string {
  const path = redactor.redact(new URL(ex.request.url).pathname.replace(/^.*\/FHIR/, ''));
  const outcome = ex.error ? ex.error.kind : String(ex.response!.status);
  return `${ex.operation ? `${ex.operation} ` : ''}${ex.request.method} ${path} → ${outcome} (${ex.durationMs} ms)`;
}
