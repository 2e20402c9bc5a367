// The three interchangeable forms of a supplier system's driver behind one interface, chosen with
// `run --sut <driver>` / ERS_SUT: http:URL (the supplier's test hook), command:TEMPLATE (JSON on stdin,
// JSON on stdout) and manual (a witness at the keyboard). Every answer is checked against the contract.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { request } from 'undici';
import { findAction, parseDriverAnswer, PROTOCOL, DriverContractError, type DriverAnswer, type DriverRequest } from './contract.ts';
import type { SutSpec } from './sut-spec.ts';

export { parseSutSpec, SutSpecError, type SutSpec } from './sut-spec.ts';

/** What a driver may use while an action runs. */
export interface PerformContext {
  /** resolves true once the e-RS operations named have all arrived in the scenario's capture window */
  waitForOperations(operations: string[], timeoutMs: number): Promise<boolean>;
}

export interface Driver {
  /** e.g. "command: node examples/reference-supplier/driver.js" (no secrets) */
  readonly description: string;
  readonly kind: SutSpec['kind'];
  perform(req: DriverRequest, ctx: PerformContext): Promise<DriverAnswer>;
  close(): Promise<void>;
  /** the manual driver's witness session: each scenario introduced, then attested by the witness */
  readonly witness?: WitnessSession;
}

/** What the witness is shown at the end of a scenario before attesting it. */
export interface ScenarioSummary {
  name: string;
  /** the checks' rows: what was expected, and what the harness saw */
  rows: { step: string; expected: string; actual: string }[];
  /** the requests the system sent, one line each */
  seen: string[];
  /** the harness's verdict so far (passed, failed: …, skipped) */
  status: string;
}

export interface Attestation {
  result: Verdict;
  note: string;
  tester: string;
  /** ISO time the witness attested */
  at: string;
}

export interface WitnessSession {
  /** shows the scenario and its steps (the instructions) before it starts */
  begin(name: string, steps: string[]): Promise<void>;
  /** shows what was expected and seen, and asks pass|fail|skip|stop, a note and the tester's name; undefined when the console closed */
  attest(summary: ScenarioSummary): Promise<Attestation | undefined>;
}

export interface DriverOptions {
  /** HMAC-SHA256 key for the http form's signature header (ERS_SUT_SECRET) */
  secret?: string;
  /** the manual form's console (default: /dev/tty) */
  console?: { input: Readable; output: Writable };
  /** the largest answer a driver may give, in bytes */
  maxAnswerBytes?: number;
}

export const SIGNATURE_HEADER = 'X-Ers-Conformance-Signature';
export const TIMESTAMP_HEADER = 'X-Ers-Conformance-Timestamp';
const DEFAULT_MAX_ANSWER = 4 * 1024 * 1024;

export function createDriver(spec: SutSpec, options: DriverOptions = {}): Driver {
  const max = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER;
  if (spec.kind === 'http') return httpDriver(spec.url, options.secret, max);
  if (spec.kind === 'command') return commandDriver(spec.template, max);
  return manualDriver(options.console);
}

/** The signature a supplier's hook checks: HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed "sha256=". */
export function signatureFor(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function failed(reason: string): DriverAnswer {
  return { protocol: PROTOCOL, status: 'failed', reason };
}

function httpDriver(url: string, secret: string | undefined, max: number): Driver {
  return {
    description: `http: ${new URL(url).origin}${new URL(url).pathname}`,
    kind: 'http',
    async perform(req) {
      const body = JSON.stringify(req);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'x-ers-conformance-protocol': PROTOCOL };
      if (secret) {
        headers[TIMESTAMP_HEADER.toLowerCase()] = timestamp;
        headers[SIGNATURE_HEADER.toLowerCase()] = signatureFor(secret, timestamp, body);
      }
      let status: number;
      let text: string;
      try {
        const res = await request(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(req.deadlineMs), headersTimeout: req.deadlineMs, bodyTimeout: req.deadlineMs });
        status = res.statusCode;
        text = await readCapped(res.body, max);
      } catch (err) {
        const e = err as Error;
        return failed(e.name === 'TimeoutError' || e.name === 'AbortError' ? `the test hook did not answer ${req.action} within ${req.deadlineMs} ms` : `the test hook could not be reached: ${e.message}`);
      }
      if (status < 200 || status > 299) return failed(`the test hook answered HTTP ${status} to ${req.action}: ${text.slice(0, 300)}`);
      return parseOrFail(text, `the test hook (${new URL(url).origin})`);
    },
    close: async () => {},
  };
}

function commandDriver(template: string, max: number): Driver {
  return {
    description: `command: ${template}`,
    kind: 'command',
    perform(req) {
      // {action} in the template stands for the action name (letters and dots only, safe in a shell).
      const command = template.replaceAll('{action}', req.action);
      return new Promise<DriverAnswer>((resolve) => {
        const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let outBytes = 0;
        let errBytes = 0;
        let settled = false;
        const finish = (answer: DriverAnswer): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(answer);
        };
        const kill = (): void => {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL'); // the whole group: the shell and what it started
          } catch {
            /* already gone */
          }
        };
        const timer = setTimeout(() => {
          kill();
          finish(failed(`the command did not answer ${req.action} within ${req.deadlineMs} ms (deadlineMs); it was stopped`));
        }, req.deadlineMs);
        child.stdout.on('data', (chunk: Buffer) => {
          outBytes += chunk.length;
          if (outBytes > max) {
            kill();
            finish(failed(`the command printed more than ${max} bytes for ${req.action}; a driver prints one JSON answer`));
          } else out.push(chunk);
        });
        child.stderr.on('data', (chunk: Buffer) => {
          errBytes += chunk.length;
          if (errBytes <= 64 * 1024) err.push(chunk);
        });
        child.on('error', (e) => finish(failed(`the command could not be started: ${e.message}`)));
        child.on('close', (code, signal) => {
          const stdout = Buffer.concat(out).toString('utf8').trim();
          const stderr = Buffer.concat(err).toString('utf8').trim();
          if (!stdout) {
            finish(failed(`the command exited ${signal ?? code} without an answer for ${req.action}${stderr ? `; stderr: ${stderr.slice(-500)}` : ''}`));
            return;
          }
          const answer = parseOrFail(stdout, 'the command');
          if (stderr) answer.log = [...(answer.log ?? []), ...stderr.split('\n').slice(-50).map((l) => `stderr: ${l}`)];
          finish(answer);
        });
        child.stdin.on('error', () => {}); // a command that never reads stdin still gets to answer
        child.stdin.end(JSON.stringify(req));
      });
    },
    close: async () => {},
  };
}

/** A malformed answer is the driver's failure (an environment fault of the system under test's driver). */
function parseOrFail(text: string, from: string): DriverAnswer {
  try {
    return parseDriverAnswer(text, from);
  } catch (err) {
    if (err instanceof DriverContractError) return failed(err.message);
    throw err;
  }
}

async function readCapped(stream: AsyncIterable<Buffer>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > max) throw new Error(`the answer is larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type Verdict = 'pass' | 'fail' | 'skip' | 'stop';
const VERDICTS: Verdict[] = ['pass', 'fail', 'skip', 'stop'];

/**
 * A witness at the keyboard. Actions: the console shows what to do, its inputs and the e-RS URLs, and
 * moves on by itself once the expected requests have arrived (or when the witness answers). Observations:
 * the witness answers pass|fail|skip|stop, a note and their name; the answer is labelled attested.
 */
function manualDriver(consoleStreams: DriverOptions['console']): Driver {
  let stopped: string | undefined;
  let scenarios = 0;
  let io: { output: Writable; nextLine(): Promise<string | undefined>; close(): void } | undefined;
  const openConsole = async (): Promise<NonNullable<typeof io>> => {
    if (io) return io;
    let streams = consoleStreams;
    let owned = false;
    if (!streams) {
      const { createReadStream, createWriteStream, fstatSync } = await import('node:fs');
      try {
        const input = createReadStream('/dev/tty');
        await new Promise<void>((resolve, reject) => {
          input.once('open', () => resolve());
          input.once('error', reject);
        });
        streams = { input, output: createWriteStream('/dev/tty') };
        owned = true;
      } catch (err) {
        // no terminal, but answers piped in (a scripted witness session): stdin, and the run's redacted console
        let piped = false;
        try {
          const st = fstatSync(0);
          piped = st.isFIFO() || st.isSocket() || st.isFile();
        } catch {
          piped = false;
        }
        if (!piped) throw err;
        streams = { input: process.stdin, output: process.stdout };
      }
    }
    // One line reader for the whole run: a line typed while nobody asks is kept for the next question.
    const rl = createInterface({ input: streams.input, terminal: false });
    const lines = rl[Symbol.asyncIterator]();
    let pending: Promise<string | undefined> | undefined;
    const output = streams.output;
    io = {
      output,
      nextLine() {
        pending ??= lines.next().then((r) => (r.done ? undefined : String(r.value)));
        const line = pending;
        return line.then((value) => {
          if (pending === line) pending = undefined;
          return value;
        });
      },
      close() {
        rl.close();
        if (owned) {
          streams!.input.destroy();
          (output as Writable & { destroy(): void }).destroy();
        }
      },
    };
    return io;
  };
  return {
    description: 'manual (a witness at the keyboard)',
    kind: 'manual',
    async perform(req, ctx) {
      if (stopped) return { protocol: PROTOCOL, status: 'unsupported', reason: `the witness stopped the run earlier: ${stopped}` };
      let con: NonNullable<typeof io>;
      try {
        con = await openConsole();
      } catch (err) {
        return failed(`the manual driver needs a terminal for the witness (${(err as Error).message}); run without CI or use an http: or command: driver`);
      }
      const say = (line: string): void => void con.output.write(`${line}\n`);
      const ask = async (q: string): Promise<string> => {
        con.output.write(q);
        return (await con.nextLine()) ?? '';
      };
      const action = findAction(req.action);
      say('');
      say(`── ${req.scenario.name} · ${req.action}`);
      say(`   ${action.instructions}`);
      for (const [k, v] of Object.entries(req.inputs)) if (k !== 'login') say(`   ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
      say(`   e-RS FHIR base: ${req.ers.fhirBaseUrl}   token URL: ${req.ers.tokenUrl}`);
      const stop = (why: string): void => void (stopped = why);
      if (action.expects.length) {
        say(`   Waiting for ${action.expects.join(' + ')} to arrive (or type pass|fail|skip|stop and Enter)…`);
        const arrived = ctx.waitForOperations(action.expects, req.deadlineMs).then((ok) => (ok ? '(arrived)' : '(timeout)'));
        const typed = con.nextLine().then((t) => (t ?? '').trim().toLowerCase());
        const first = await Promise.race([arrived, typed]);
        if (first === '(arrived)') {
          say('   The expected requests arrived; moving on.');
          return { protocol: PROTOCOL, status: 'done', observations: { attested: false }, log: ['advanced when the expected requests arrived'] };
        }
        if (first === '(timeout)') return failed(`the expected ${action.expects.join(' + ')} did not arrive within ${req.deadlineMs} ms`);
        return attested(first, ask, stop);
      }
      const verdict = (await ask('   Result (pass|fail|skip|stop): ')).trim().toLowerCase();
      const message = await ask('   What did the system show? ');
      return attested(verdict, ask, stop, { message });
    },
    async close() {
      io?.close();
    },
    witness: {
      async begin(name, steps) {
        let con: NonNullable<typeof io>;
        try {
          con = await openConsole();
        } catch {
          return; // no console: the actions report it as the driver's failure
        }
        scenarios += 1;
        con.output.write(`\n══ Scenario ${scenarios}: ${name}${stopped ? ' (the witness stopped the session: not verified)' : ''}\n`);
        for (const step of steps) con.output.write(`   ${step}\n`);
      },
      async attest(summary) {
        if (stopped) return undefined;
        let con: NonNullable<typeof io>;
        try {
          con = await openConsole();
        } catch {
          return undefined;
        }
        const say = (line: string): void => void con.output.write(`${line}\n`);
        say(`── Attest: ${summary.name}`);
        say(`   Harness verdict so far: ${summary.status}`);
        say('   Expected / seen by the harness:');
        for (const r of summary.rows) say(`     • ${r.step}: expected ${r.expected}; actual ${r.actual}`);
        say(`   Requests seen (${summary.seen.length}):`);
        for (const line of summary.seen) say(`     ${line}`);
        let verdict: Verdict | undefined;
        for (let tries = 0; tries < 3 && !verdict; tries += 1) {
          con.output.write('   Your attestation (pass|fail|skip|stop): ');
          const line = await con.nextLine();
          if (line === undefined) return undefined;
          const text = line.trim().toLowerCase();
          if ((VERDICTS as string[]).includes(text)) verdict = text as Verdict;
          else say(`   "${text}" is not one of pass, fail, skip, stop`);
        }
        if (!verdict) return undefined;
        con.output.write('   Note: ');
        const note = ((await con.nextLine()) ?? '').trim();
        let tester = '';
        for (let tries = 0; tries < 3 && !tester; tries += 1) {
          con.output.write('   Tester name: ');
          const line = await con.nextLine();
          if (line === undefined) return undefined;
          tester = line.trim();
        }
        if (!tester) return undefined;
        if (verdict === 'stop') stopped = `${tester}${note ? `: ${note}` : ''}`;
        return { result: verdict, note, tester, at: new Date().toISOString() };
      },
    },
  };
}

async function attested(
  verdictText: string,
  ask: (q: string) => Promise<string>,
  stop: (why: string) => void,
  extra: Record<string, string> = {},
): Promise<DriverAnswer> {
  const verdict = (VERDICTS as string[]).includes(verdictText) ? (verdictText as Verdict) : undefined;
  if (!verdict) return failed(`the witness answered "${verdictText}"; the answers are pass, fail, skip or stop`);
  const note = (await ask('   Note: ')).trim();
  const tester = (await ask('   Tester name: ')).trim();
  if (!tester) return failed('an attestation needs the tester\'s name');
  const attestation = { attested: true, result: verdict, note, tester, at: new Date().toISOString(), ...extra };
  if (verdict === 'skip') return { protocol: PROTOCOL, status: 'unsupported', reason: `skipped by the witness ${tester}${note ? `: ${note}` : ''}`, observations: attestation };
  if (verdict === 'stop') {
    stop(`${tester}${note ? `: ${note}` : ''}`);
    return { protocol: PROTOCOL, status: 'unsupported', reason: `the witness ${tester} stopped the run${note ? `: ${note}` : ''}`, observations: attestation };
  }
  return { protocol: PROTOCOL, status: 'done', observations: attestation };
}
