// The one redaction function. Everything that leaves the process — console, Allure results,
// JUnit, manifest, logs — passes through a Redactor built from the run's secrets.

export const REDACTED = '[REDACTED]';

/** Header names whose whole value is secret, whatever it looks like. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'apikey', 'x-api-key', 'cookie', 'set-cookie']);

/** Shapes that are secret wherever they appear, even when we were not told the value. */
const SECRET_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, // PEM private keys
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWTs (client assertions, id tokens)
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, // bearer tokens in free text
  /((?:access_token|refresh_token|id_token|client_assertion|client_secret|subject_token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
];

export interface Redactor {
  /** Replace every secret in a string. */
  redact(text: string): string;
  /** Redact a header map: secret headers lose their whole value, others are scanned. */
  redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string>;
  /** Deep-redact any JSON-like value (strings are scanned; structure is kept). */
  redactValue<T>(value: T): T;
  /** Add a secret learnt during the run (e.g. a token just issued). */
  addSecret(secret: string): void;
}

export function createRedactor(secrets: Iterable<string> = [], patterns: RegExp[] = []): Redactor {
  const known = new Set<string>();
  let ordered: string[] = [];
  const addSecret = (secret: string): void => {
    // Very short values would redact ordinary text; secrets this short are not secrets.
    if (!secret || secret.length < 6 || known.has(secret)) return;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) known.add(form);
    ordered = [...known].sort((a, b) => b.length - a.length); // longest first so overlaps go whole
  };
  for (const s of secrets) addSecret(s);

  const redact = (text: string): string => {
    if (!text) return text;
    let out = text;
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const shape of SECRET_SHAPES) {
      out = out.replace(shape, (match: string, prefix?: unknown) =>
        typeof prefix === 'string' && match.startsWith(prefix) ? prefix + REDACTED : REDACTED,
      );
    }
    for (const pattern of patterns) out = out.replace(pattern, REDACTED);
    return out;
  };

  const redactValue = <T>(value: T): T => {
    if (typeof value === 'string') return redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v);
      return out as T;
    }
    return value;
  };

  const redactHeaders = (headers: Record<string, string | string[] | undefined>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (SECRET_HEADERS.has(name.toLowerCase())) {
        const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
        out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
      } else {
        out[name] = redact(value);
      }
    }
    return out;
  };

  return { redact, redactHeaders, redactValue, addSecret };
}
