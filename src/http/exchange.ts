// One Exchange per request/response: what was sent, what came back, how long it took, and
// whatever went wrong on the way. Bodies are kept as text (or a note for binary) so evidence
// never depends on the response being well-formed.

export type TransportErrorKind = 'timeout' | 'connection-refused' | 'connection-reset' | 'dns' | 'tls' | 'aborted' | 'other';

export interface RecordedBody {
  /** Body as text when it is textual; a short description when binary. */
  text: string;
  bytes: number;
  contentType: string | undefined;
  /** True when the body exceeded the recording limit and was cut. */
  truncated: boolean;
  binary: boolean;
  /** Parsed JSON when the text parsed; undefined otherwise. */
  json?: unknown;
  /** Why the body is not usable JSON, when it was expected to be. */
  jsonError?: string;
  /** Raw bytes for binary bodies (PDFs etc.), up to the recording limit. */
  raw?: Buffer;
}

export interface ExchangeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: RecordedBody;
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string>;
  body: RecordedBody;
}

export interface Exchange {
  id: string;
  operation: string | undefined;
  correlationId: string | undefined;
  request: ExchangeRequest;
  response?: ExchangeResponse;
  error?: { kind: TransportErrorKind; message: string };
  startedAt: string;
  durationMs: number;
  /** Attempts made for this logical request (retries follow 429/503 with Retry-After on idempotent reads). */
  attempts: number;
  /** The earlier attempts' exchanges, kept as evidence when a retry followed them. */
  priorAttempts?: Exchange[];
}

/** The header value, case-insensitively. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** A one-line description for progress output and failure messages. */
export function describeExchange(ex: Exchange): string {
  const target = `${ex.request.method} ${new URL(ex.request.url).pathname}`;
  if (ex.error) return `${target} -> ${ex.error.kind}: ${ex.error.message}`;
  const r = ex.response!;
  const note = r.body.truncated ? ` (body truncated at ${r.body.bytes} bytes)` : r.body.jsonError ? ` (${r.body.jsonError})` : '';
  return `${target} -> ${r.status} in ${ex.durationMs} ms${note}`;
}
