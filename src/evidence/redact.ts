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
  /** Deep-redact any JSON-like value (strings are scanned, values of secret-named keys removed; structure is kept). */
  redactValue<T>(value: T): T;
  /** Add a secret learnt during the run (e.g. a token just issued). */
  addSecret(secret: string): void;
}

export interface RedactorOptions {
  /** Told of every secret learnt after creation (a worker shares them with the process writing the outputs). */
  onLearn?: (secret: string) => void;
}

/** JSON keys whose values are secret whatever they look like (token_type, expires_in and *Url are not). */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  if (/(type|url|uri|in|at|endpoint|expiry|expires)$/.test(k)) return false;
  return /(token|secret|password|passwd|apikey|assertion|privatekey|authorization|cookie|credential)/.test(k);
}

const SECRET_JSON_KEY = /("([\w-]*)"\s*:\s*")((?:[^"\\]|\\.)*)"/g;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every form a secret may travel in: as is, URL-encoded, base64 and base64url, hex, JSON-escaped and
 * HTML/XML-escaped (so escaping before redaction cannot hide it), and the lines of a copy wrapped at 64
 * or 76 characters (PEM, MIME). Case is ignored when matching (a target may echo a value upper-cased).
 */
function formsOf(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  const forms = [
    secret,
    encodeURIComponent(secret),
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
  ];
  for (const width of [64, 76]) {
    if (secret.length <= width) continue;
    for (let i = 0; i < secret.length; i += width) forms.push(secret.slice(i, i + width));
  }
  for (const line of secret.split(/\r?\n/)) if (line !== secret) forms.push(line.trim());
  return forms.filter((f) => f.length >= 12 || (f === secret && f.length >= MIN_SECRET));
}

const MIN_SECRET = 6;

export function createRedactor(secrets: Iterable<string> = [], patterns: RegExp[] = [], options: RedactorOptions = {}): Redactor {
  const known = new Set<string>();
  const originals = new Set<string>();
  let matcher: RegExp | undefined;
  const learn = (secret: string): boolean => {
    // Very short values would redact ordinary text; secrets this short are not secrets.
    if (!secret || secret.length < MIN_SECRET || originals.has(secret)) return false;
    originals.add(secret);
    for (const form of formsOf(secret)) if (!/^-----(BEGIN|END) /.test(form)) known.add(form);
    // Longest first, so overlapping forms go whole.
    matcher = new RegExp([...known].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gi');
    return true;
  };
  for (const s of secrets) learn(s);
  const addSecret = (secret: string): void => {
    if (learn(secret)) options.onLearn?.(secret);
  };

  const redact = (text: string): string => {
    if (!text) return text;
    let out = matcher ? text.replace(matcher, REDACTED) : text;
    for (const shape of SECRET_SHAPES) {
      out = out.replace(shape, (match: string, prefix?: unknown) =>
        typeof prefix === 'string' && match.startsWith(prefix) ? prefix + REDACTED : REDACTED,
      );
    }
    out = out.replace(SECRET_JSON_KEY, (match: string, head: string, key: string, value: string) => (value && value !== REDACTED && isSecretKey(key) ? `${head}${REDACTED}"` : match));
    for (const pattern of patterns) out = out.replace(pattern, REDACTED);
    return out;
  };

  const redactValue = <T>(value: T): T => {
    if (typeof value === 'string') return redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = typeof v === 'string' && v && isSecretKey(k) ? REDACTED : redactValue(v);
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
