// The one redactor, applied to every string that leaves a process: the outputs folder is swept after the run
// (Allure results, attachments, messages written by reporters that never saw our redactor), and secrets a
// worker learns (tokens issued during the run) are shared with the process that writes the outputs, so
// `report` run later without any secret in its environment cannot print one (results were redacted when written).
import { appendFileSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Redactor } from './redact.ts';

/** Environment variable naming the file (mode 0600, in the run's private scratch folder) workers append learnt secrets to. */
export const SECRETS_SHARE_ENV = 'ERS_SECRETS_SHARE';

/** Worker side: record a learnt secret for the parent (base64, one a line). */
export function shareSecret(file: string, secret: string): void {
  appendFileSync(file, Buffer.from(secret).toString('base64') + '\n', { mode: 0o600 });
}

/** Parent side: a function that teaches the redactor every secret shared since it last ran (cheap when nothing changed). */
export function secretsFrom(file: string, redactor: Redactor): () => void {
  let offset = 0;
  return () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size <= offset) return;
    const buf = Buffer.alloc(size - offset);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    const text = buf.toString('utf8');
    const complete = text.lastIndexOf('\n') + 1;
    offset += Buffer.byteLength(text.slice(0, complete));
    for (const line of text.slice(0, complete).split('\n')) if (line) redactor.addSecret(Buffer.from(line, 'base64').toString('utf8'));
  };
}

/** Files that hold text (everything a reporter writes except binary attachments). */
const BINARY = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.zip', '.gz', '.woff', '.woff2', '.ico']);

/** Redact every text file under a folder in place (symbolic links are not followed). Returns how many changed. */
export function redactTree(dir: string, redactor: Redactor): number {
  if (!existsSync(dir)) return 0;
  let changed = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) changed += redactTree(path, redactor);
    else if (e.isFile() && !BINARY.has(extname(e.name).toLowerCase()) && lstatSync(path).isFile()) {
      const before = readFileSync(path, 'utf8');
      const after = redactor.redact(before);
      if (after !== before) {
        writeFileSync(path, after);
        changed += 1;
      }
    }
  }
  return changed;
}

/** Text kept back when a line grows this long without a newline: it is written redacted, less its tail. */
const MAX_PENDING_LINE = 64 * 1024;
/** A secret longer than this could be cut by that early write (tokens and keys are far shorter). */
const KEPT_TAIL = 8 * 1024;

/**
 * A text stream redacted a line at a time (a secret is never split across two writes) before it reaches `sink`.
 * `learn` runs before each write, so a secret a worker learnt a moment ago is already known.
 */
export function lineRedactor(redactor: Redactor, learn: () => void, sink: (text: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        learn();
        sink(redactor.redact(pending.slice(0, cut + 1)));
        pending = pending.slice(cut + 1);
      } else if (pending.length > MAX_PENDING_LINE) {
        learn();
        const text = redactor.redact(pending);
        sink(text.slice(0, -KEPT_TAIL));
        pending = text.slice(-KEPT_TAIL);
      }
    },
    end() {
      learn();
      if (pending) sink(redactor.redact(pending));
      pending = '';
    },
  };
}

/**
 * Redact everything this process writes to the given streams (cucumber running in the CLI's own process: its
 * formatters, and whatever support code prints) until the returned function restores them.
 */
export function redactStreams(streams: NodeJS.WriteStream[], redactor: Redactor, learn: () => void): () => void {
  const restores = streams.map((stream) => {
    const original = stream.write;
    const lines = lineRedactor(redactor, learn, (text) => original.call(stream, text));
    stream.write = function (chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), callback?: (err?: Error | null) => void): boolean {
      const cb = typeof encoding === 'function' ? encoding : callback;
      const enc = typeof encoding === 'string' ? encoding : 'utf8';
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(enc));
      if (cb) process.nextTick(cb);
      return true;
    } as typeof stream.write;
    return () => {
      stream.write = original;
      lines.end();
    };
  });
  return () => {
    for (const restore of restores) restore();
  };
}
