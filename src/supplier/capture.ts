// The capture window: every request the system under test sends to the harness's e-RS while a supplier
// scenario runs, in arrival order, as the harness's own Exchange records (so the validator, the
// evidence renderer and the redactor treat them like any other exchange).
import { matchOperation, type OperationDef } from '../ers/operations.ts';
import { recordBody } from '../http/client.ts';
import { header, type Exchange } from '../http/exchange.ts';
import type { ObservedExchange } from '../simulator/index.ts';

export type CapturedKind = 'ers' | 'token' | 'control' | 'other';

export interface Captured {
  /** 1-based arrival order within the window */
  seq: number;
  kind: CapturedKind;
  exchange: Exchange;
  operation: OperationDef | undefined;
  /** the bearer token the request carried */
  bearer: string | undefined;
  /** the access token a token-endpoint answer issued */
  issuedToken: string | undefined;
}

export interface CaptureWindow {
  readonly label: string;
  readonly openedAt: Date;
  /** everything captured so far */
  all(): Captured[];
  /** e-RS API requests only (no token endpoint or control traffic) */
  ers(): Captured[];
  /** resolves true once the predicate holds for the captured list, false when timeoutMs passes first */
  waitFor(predicate: (captured: Captured[]) => boolean, timeoutMs: number): Promise<boolean>;
  /** runs effect once, when the first request matching predicate has been answered (before the answer leaves) */
  whenAnswered(predicate: (captured: Captured) => boolean, effect: (captured: Captured) => void): void;
  close(): void;
}

export interface Capture {
  /** hand this to createSimulator({ observe }) */
  observe(record: ObservedExchange): void;
  /** an exchange captured elsewhere (the recording proxy): make builds it with its arrival number in the window */
  observeCaptured(make: (seq: number) => Captured): void;
  /** opens a window (closing any open one): scenarios run one at a time */
  open(label: string): CaptureWindow;
  /** requests that arrived while no window was open (background traffic between scenarios) */
  outside(): Captured[];
}

const MAX_RECORDED_BODY = 2 * 1024 * 1024;
const MAX_CAPTURED = 2000;

/** origin: the harness's e-RS origin (a function, as a port-0 server learns it only once listening). */
export function createCapture(origin: () => string): Capture {
  let current: { window: CaptureWindow; items: Captured[]; waiters: Set<() => void>; triggers: { predicate: (c: Captured) => boolean; effect: (c: Captured) => void }[] } | undefined;
  const outside: Captured[] = [];

  const capture: Capture = {
    observe(record) {
      capture.observeCaptured((seq) => toCaptured(record, origin(), seq));
    },
    observeCaptured(make) {
      const target = current?.items ?? outside;
      if (target.length >= MAX_CAPTURED) target.shift(); // a runaway client never exhausts the harness
      const captured = make((current?.items.length ?? outside.length) + 1);
      target.push(captured);
      if (current) {
        const fired = current.triggers.findIndex((t) => t.predicate(captured));
        if (fired >= 0) current.triggers.splice(fired, 1)[0]?.effect(captured);
      }
      for (const wake of current?.waiters ?? []) wake();
    },
    open(label) {
      current?.window.close();
      const items: Captured[] = [];
      const waiters = new Set<() => void>();
      const triggers: { predicate: (c: Captured) => boolean; effect: (c: Captured) => void }[] = [];
      const window: CaptureWindow = {
        label,
        openedAt: new Date(),
        all: () => [...items],
        ers: () => items.filter((c) => c.kind === 'ers'),
        waitFor(predicate, timeoutMs) {
          if (predicate([...items])) return Promise.resolve(true);
          return new Promise((resolve) => {
            const timer = setTimeout(() => done(false), timeoutMs);
            const check = (): void => {
              if (predicate([...items])) done(true);
            };
            const done = (value: boolean): void => {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(value);
            };
            waiters.add(check);
          });
        },
        whenAnswered(predicate, effect) {
          triggers.push({ predicate, effect });
        },
        close() {
          if (current?.window === window) current = undefined;
          for (const wake of waiters) wake();
        },
      };
      current = { window, items, waiters, triggers };
      return window;
    },
    outside: () => [...outside],
  };
  return capture;
}

function toCaptured(r: ObservedExchange, origin: string, seq: number): Captured {
  const kind: CapturedKind = r.path.startsWith('/referrals/FHIR/') ? 'ers' : r.path === '/oauth2/token' ? 'token' : r.path.startsWith('/_simulator/') ? 'control' : 'other';
  const url = `${origin}${r.path}${r.query ? `?${r.query}` : ''}`;
  const requestType = r.headers['content-type'];
  const body = r.body.length ? recordBody(r.body.subarray(0, MAX_RECORDED_BODY), requestType, r.body.length > MAX_RECORDED_BODY, MAX_RECORDED_BODY, r.body.length) : undefined;
  const responseType = header(r.responseHeaders, 'content-type');
  const responseBody = recordBody(Buffer.from(r.responseBody, 'utf8'), responseType, false, MAX_RECORDED_BODY);
  const operation = kind === 'ers' ? matchOperation(r.method, r.path.slice('/referrals/FHIR'.length))?.op : undefined;
  const exchange: Exchange = {
    id: `captured-${seq}`,
    operation: operation?.id ?? r.operationId,
    correlationId: r.headers['x-correlation-id'],
    request: { method: r.method, url, headers: r.headers, ...(body ? { body } : {}) },
    ...(r.reset ? { error: { kind: 'connection-reset' as const, message: 'the harness dropped the connection (injected fault)' } } : { response: { status: r.status, headers: r.responseHeaders, body: responseBody } }),
    startedAt: r.receivedAt,
    durationMs: r.durationMs,
    attempts: 1,
  };
  const bearer = /^Bearer\s+(\S+)$/i.exec(r.headers.authorization ?? '')?.[1];
  const issued = kind === 'token' && r.status === 200 ? (responseBody.json as { access_token?: unknown } | undefined)?.access_token : undefined;
  return { seq, kind, exchange, operation, bearer, issuedToken: typeof issued === 'string' ? issued : undefined };
}
