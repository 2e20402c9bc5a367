// A proxy session on disk: every exchange as it passed (redacted by the one redactor before it is written),
// its findings, and the session's state — so a proxy stopped by Ctrl-C, SIGTERM or even SIGKILL leaves
// what it captured, and `ers-conformance report` can pack it later.
//
//   session.json     the session: upstream, proxy URLs, state (recording | complete | INCOMPLETE), counts
//   exchanges.jsonl  one JSON record per exchange (request, answer, timing, findings), appended as each ends
//   exchanges.txt    the same for a reader, one block per exchange
//   findings.txt     the summary: findings per exchange, then the session's protocol behaviour
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exchangeAsText, exchangeTitle } from '../evidence/exchange-text.ts';
import type { Redactor } from '../evidence/redact.ts';
import type { RecordedBody } from '../http/exchange.ts';
import type { Captured } from '../supplier/capture.ts';
import type { ConformanceContext } from '../supplier/checks.ts';
import { capturedFromProxy, judgeExchange, judgeSession, type ExchangeFindings } from './judge.ts';
import type { ProxiedExchange } from './server.ts';

export const SESSION_FILE = 'session.json';
export const SESSION_FILES = [SESSION_FILE, 'exchanges.jsonl', 'exchanges.txt', 'findings.txt'] as const;

export type SessionState = 'recording' | 'complete' | 'INCOMPLETE';

export interface SessionFile {
  tool: 'ers-conformance proxy';
  state: SessionState;
  /** why the session is INCOMPLETE, when it is */
  reason?: string;
  startedAt: string;
  finishedAt?: string;
  upstream: { baseUrl: string; tokenUrl: string };
  proxy: { baseUrl: string; tokenUrl: string };
  /** scenarios of a witness session: done and still to do (a standalone proxy has none) */
  scenarios?: { done: string[]; remaining: string[] };
  counts: { exchanges: number; recorded: number; notRecorded: number; supplierFindings: number; suspectedErsDefects: number; environment: number };
  limits: { maxRecordedExchanges: number; maxRecordedBodyBytes: number };
}

export interface SessionOptions {
  dir: string;
  redactor: Redactor;
  conformance: ConformanceContext;
  upstream: SessionFile['upstream'];
  proxy: SessionFile['proxy'] & { origin: string };
  /** exchanges written to disk; later ones still pass through and are counted */
  maxRecordedExchanges?: number;
  maxRecordedBodyBytes: number;
  /** exchanges kept in memory for the protocol checks (the oldest go first) */
  historyLimit?: number;
  /** one line per exchange for the console (already redacted) */
  log?: (line: string) => void;
}

export interface ProxySession {
  record(p: ProxiedExchange): { captured: Captured; findings: ExchangeFindings };
  setScenarios(done: string[], remaining: string[]): void;
  /** writes the summary and the final state: complete, or INCOMPLETE with the reason */
  finish(state: Exclude<SessionState, 'recording'>, reason?: string): SessionFile;
  readonly file: SessionFile;
}

export class SessionDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionDirError';
  }
}

const TOKEN_FIELDS = ['client_assertion', 'subject_token', 'assertion', 'refresh_token', 'client_secret'];

/** Every credential an exchange carries or is given, taught to the redactor before anything about it is written. */
export function learnSecrets(p: ProxiedExchange, redactor: Redactor): void {
  const bearer = /^\s*\S+\s+(\S+)/.exec(p.headers.authorization ?? '')?.[1];
  if (bearer) redactor.addSecret(bearer);
  for (const name of ['apikey', 'x-api-key', 'cookie']) if (p.headers[name]) redactor.addSecret(p.headers[name] as string);
  if (/x-www-form-urlencoded/i.test(p.headers['content-type'] ?? '') && p.body.length) {
    const form = new URLSearchParams(p.body.toString('utf8'));
    for (const f of TOKEN_FIELDS) for (const v of form.getAll(f)) redactor.addSecret(v);
  }
  const r = p.response;
  if (r && /json/i.test(r.headers['content-type'] ?? '') && r.body.length && r.complete) {
    try {
      const json = JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
      for (const f of ['access_token', 'refresh_token', 'id_token']) if (typeof json[f] === 'string') redactor.addSecret(json[f] as string);
    } catch {
      /* not JSON after all: the shapes the redactor knows still apply */
    }
  }
  for (const name of ['set-cookie']) if (r?.headers[name]) redactor.addSecret(r.headers[name] as string);
}

function bodyRecord(body: RecordedBody | undefined, redactor: Redactor): unknown {
  if (!body) return undefined;
  const text = body.binary ? body.text : body.json !== undefined ? JSON.stringify(redactor.redactValue(body.json)) : redactor.redact(body.text);
  return { contentType: body.contentType, bytes: body.bytes, truncated: body.truncated, ...(body.jsonError ? { jsonError: body.jsonError } : {}), text };
}

export function openProxySession(options: SessionOptions): ProxySession {
  const { dir, redactor } = options;
  const maxRecorded = options.maxRecordedExchanges ?? 10_000;
  const historyLimit = options.historyLimit ?? 2000;
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, SESSION_FILE))) {
    throw new SessionDirError(`${dir} already holds a proxy session (${SESSION_FILE}); give a new --reports folder, or move that session away first`);
  }
  const history: Captured[] = [];
  const perExchange: { title: string; findings: ExchangeFindings }[] = [];
  const file: SessionFile = {
    tool: 'ers-conformance proxy',
    state: 'recording',
    startedAt: new Date().toISOString(),
    upstream: options.upstream,
    proxy: { baseUrl: options.proxy.baseUrl, tokenUrl: options.proxy.tokenUrl },
    counts: { exchanges: 0, recorded: 0, notRecorded: 0, supplierFindings: 0, suspectedErsDefects: 0, environment: 0 },
    limits: { maxRecordedExchanges: maxRecorded, maxRecordedBodyBytes: options.maxRecordedBodyBytes },
  };
  const writeState = (): void => {
    // written whole then renamed: a stop at any moment leaves the last good state
    const tmp = join(dir, `.${SESSION_FILE}.tmp`);
    writeFileSync(tmp, redactor.redact(JSON.stringify(file, null, 2)) + '\n');
    renameSync(tmp, join(dir, SESSION_FILE));
  };
  for (const f of ['exchanges.jsonl', 'exchanges.txt']) writeFileSync(join(dir, f), '');
  writeState();

  return {
    file,
    record(p) {
      learnSecrets(p, redactor);
      const captured = capturedFromProxy(p, options.proxy.origin, p.seq, options.maxRecordedBodyBytes);
      if (history.length >= historyLimit) history.shift();
      history.push(captured);
      const findings = judgeExchange(history, captured, options.conformance);
      file.counts.exchanges += 1;
      file.counts.supplierFindings += findings.supplier.length;
      file.counts.suspectedErsDefects += findings.ers.length;
      file.counts.environment += findings.environment.length;
      const ex = captured.exchange;
      const title = `#${p.seq} ${exchangeTitle(ex, redactor)}`;
      if (file.counts.recorded < maxRecorded) {
        file.counts.recorded += 1;
        perExchange.push({ title, findings });
        const record = {
          seq: p.seq,
          receivedAt: p.receivedAt,
          durationMs: p.durationMs,
          kind: captured.kind,
          operation: captured.operation?.id,
          request: { method: ex.request.method, url: ex.request.url, upstreamUrl: p.upstreamUrl, headers: redactor.redactHeaders(ex.request.headers), body: bodyRecord(ex.request.body, redactor) },
          ...(ex.response ? { response: { status: ex.response.status, headers: redactor.redactHeaders(ex.response.headers), body: bodyRecord(ex.response.body, redactor), complete: p.response?.complete } } : {}),
          ...(p.error ? { error: p.error } : {}),
          findings,
        };
        appendFileSync(join(dir, 'exchanges.jsonl'), redactor.redact(JSON.stringify(record)) + '\n');
        const lines = [`==== ${title}`, exchangeAsText(ex, redactor), '', ...findingLines(findings), ''];
        appendFileSync(join(dir, 'exchanges.txt'), redactor.redact(lines.join('\n')) + '\n');
        if (file.counts.recorded % 50 === 0) writeState();
      } else {
        file.counts.notRecorded += 1;
      }
      const n = findings.supplier.length;
      const e = findings.ers.length;
      options.log?.(redactor.redact(`${title}${n ? ` · ${n} supplier finding(s)` : ''}${e ? ` · ${e} suspected e-RS defect(s)` : ''}${findings.environment.length ? ` · ${findings.environment[0]}` : ''}`));
      return { captured, findings };
    },
    setScenarios(done, remaining) {
      file.scenarios = { done: [...done], remaining: [...remaining] };
      writeState();
    },
    finish(state, reason) {
      file.state = state;
      if (reason) file.reason = reason;
      file.finishedAt = new Date().toISOString();
      const summary = [
        `Proxy session ${file.startedAt} → ${file.finishedAt} · ${state}${reason ? ` (${reason})` : ''}`,
        `upstream ${file.upstream.baseUrl} · token URL ${file.upstream.tokenUrl}`,
        `${file.counts.exchanges} exchange(s), ${file.counts.recorded} recorded${file.counts.notRecorded ? `, ${file.counts.notRecorded} past the recording limit (forwarded, not recorded)` : ''}`,
        `${file.counts.supplierFindings} supplier finding(s) · ${file.counts.suspectedErsDefects} suspected e-RS defect(s) · ${file.counts.environment} upstream/transport event(s)`,
        '',
        '== Per exchange',
        ...perExchange.filter((x) => x.findings.supplier.length + x.findings.ers.length + x.findings.environment.length > 0).flatMap((x) => [x.title, ...findingLines(x.findings).map((l) => `  ${l}`)]),
        '',
        `== Protocol behaviour over the session (the last ${history.length} exchange(s))`,
        ...judgeSession(history).flatMap((j) => [`${j.check}: examined ${j.examined}, ${j.findings.length} finding(s)`, ...j.findings.map((f) => `  SUPPLIER ${f}`)]),
      ];
      writeFileSync(join(dir, 'findings.txt'), redactor.redact(summary.join('\n')) + '\n');
      writeState();
      return file;
    },
  };
}

function findingLines(f: ExchangeFindings): string[] {
  return [...f.supplier.map((s) => `SUPPLIER ${s}`), ...f.ers.map((s) => `SUSPECTED e-RS DEFECT (not the supplier's) ${s}`), ...f.environment.map((s) => `UPSTREAM ${s}`)];
}

/** Reads a session folder's state (for `report`); undefined when the folder holds no session. */
export function readSession(dir: string): SessionFile | undefined {
  const path = join(dir, SESSION_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SessionFile;
  } catch {
    return undefined;
  }
}
