import { setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { AllureCucumberWorld } from 'allure-cucumberjs';
import { AssertionError } from 'node:assert';
import { attachment } from 'allure-js-commons';
import { checkAsText, checkExchange, responseErrors, responseRuleErrors, type ExchangeCheck } from '../src/conformance/check-exchange.ts';
import { roleHeadersFor } from '../src/auth/headers.ts';
import { EnvironmentFault } from '../src/evidence/errors.ts';
import { Blocked, skipKindOf, type SkipKind } from '../src/evidence/outcome.ts';
import { exchangeAsText, exchangeTitle } from '../src/evidence/exchange-text.ts';
import { expandPath, findOperation } from '../src/ers/operations.ts';
import { createErsClient, type ErsRequest } from '../src/http/client.ts';
import type { Parameters, ParametersKind } from '../src/ers/parameters.ts';
import type { Exchange, ExchangeResponse } from '../src/http/exchange.ts';
import type { Actor } from '../src/targets/index.ts';
import type { SupplierScenario } from '../src/supplier/scenario.ts';
import type { PdfReport } from '../src/http/pdf.ts';
import { runContext, type RunContext } from './context.ts';

export type DraftName = 'search request' | 'search criteria' | 'worklist request' | 'referral request' | 'shortlist search criteria' | 'shortlist change' | 'referral letter request'
  | 'advice request' | 'advice worklist request' | 'guidance response' | 'conversion request';
export interface Draft { body: Parameters; kind: ParametersKind }

export interface CallOptions {
  params?: Record<string, string>;
  query?: ErsRequest['query'];
  body?: unknown;
  contentType?: string | null;
  ifMatch?: string;
}

/** One World per scenario: the actor, the exchanges made, and the entities named along the way. */
export class ErsWorld extends AllureCucumberWorld {
  actor: Actor | undefined;
  readonly exchanges: Exchange[] = [];
  /** Validation of each exchange, in the same order as exchanges. */
  readonly checks: ExchangeCheck[] = [];
  readonly named = new Map<string, unknown>();
  /** Request bodies being prepared, by name ("search request", "referral request", ...), with their parameter kind. */
  readonly drafts = new Map<DraftName, Draft>();
  /** Header changes applied to every later call in this scenario (null removes a header). */
  readonly headerOverrides: Record<string, string | null> = {};
  /** Set when a step deliberately sends no Authorization header or a bad token. */
  tokenOverride: string | null | undefined;
  /** False when a scenario needs to see a 429/503 itself rather than the harness retrying it. */
  retryReads = true;
  /** Set by a scenario that bounds the harness's retry wait itself (else ERS_RETRY_BUDGET_MS). */
  retryBudgetMs: number | undefined;
  /**
   * Finding rules (e.g. invariant:dom-4) the scenario says the NHS sandbox's own example answer breaks: on the sandbox
   * target they are reported in the evidence instead of failing the step; on every other target they still fail it.
   */
  readonly knownSandboxDefects: string[] = [];
  /** Set by a scenario that needs a shorter per-request timeout than ERS_TIMEOUT_MS (timeout scenarios). */
  requestTimeoutMs: number | undefined;
  /** Profile and contract errors in the target's responses, judged after the scenario's own assertions (support/evidence.ts). */
  readonly findings: string[] = [];
  /** Exchange-rule errors in the target's responses (ers:* rules): documented behaviour broken, judged after the scenario's own assertions as product defects. */
  readonly defects: string[] = [];
  /** Why the scenario was skipped, when it was (the judge files it as not applicable or not verified). */
  skip: { kind: SkipKind; reason: string } | undefined;
  /** What is being prepared while prepare() runs: its exchanges are set-up, not the test. */
  preparing: string | undefined;
  readonly preparation = new WeakSet<Exchange>();
  /** Access modes whose credential a call of this scenario really carried (an access-mode requirement needs one). */
  readonly credentials = new Set<Actor['mode']>();
  /** The request behind each exchange, so an unasked-for server error on a read can be sent again once. */
  private readonly requests = new WeakMap<Exchange, ErsRequest>();
  /** Supplier mode: this scenario's capture window, driver answers and witness record (support/supplier.ts). */
  supplierScenario: SupplierScenario | undefined;
  /** What the PDF check found in each PDF response, by exchange id. */
  readonly pdfReports = new Map<string, PdfReport>();

  constructor(options: IWorldOptions) {
    super(options);
  }

  /** This worker's run context (opened in BeforeAll; a dry run never needs it). */
  get run(): RunContext {
    return runContext();
  }

  /** Fixture value for an intent on the current target (skips the scenario if the target has none). */
  fixture<T = string>(intent: string): T {
    return this.run.target.fixtures.get<T>(intent);
  }

  get lastExchange(): Exchange {
    const ex = this.exchanges.at(-1);
    if (!ex) throw new Error('internal: a step checks the response before any request was sent');
    return ex;
  }

  /** The last response; a transport failure is an environment fault, not a product defect. */
  get response(): ExchangeResponse {
    const ex = this.lastExchange;
    if (ex.error) throw new EnvironmentFault(`${ex.request.method} ${ex.request.url} got no response (${ex.error.kind}): ${ex.error.message}`);
    return ex.response!;
  }

  /** The supplier scenario in progress (only @supplier scenarios have one). */
  get sut(): SupplierScenario {
    if (!this.supplierScenario) throw new Error('internal: a supplier-mode step runs in a scenario without the @supplier tag');
    return this.supplierScenario;
  }

  draft(name: DraftName): Draft {
    const d = this.drafts.get(name);
    if (!d) throw new Error(`internal: no ${name} is being prepared; an earlier step must start one`);
    return d;
  }

  useActor(actor: Actor): void {
    this.actor = actor;
  }

  /** Call an e-RS operation as the current actor and attach the exchange to the step. */
  async call(operationId: string, options: CallOptions = {}): Promise<Exchange> {
    const op = findOperation(operationId);
    const actor = this.actor;
    if (!actor) throw new Error(`internal: "${operationId}" called before the scenario chose an actor`);
    const token = this.tokenOverride !== undefined ? this.tokenOverride : await this.run.target.tokenFor(actor);
    // A token fetched (or refreshed) for this call is evidence too, redacted like every exchange.
    for (const tokenExchange of this.run.target.takeTokenExchanges()) await this.attachExchange(tokenExchange);
    const roles = roleHeadersFor(actor);
    const request: ErsRequest = {
      operation: op.id,
      method: op.method,
      path: expandPath(op, options.params ?? {}),
      query: options.query,
      accessToken: token ?? undefined,
      ...roles,
      ifMatch: options.ifMatch,
      body: options.body,
      contentType: options.contentType,
      headers: { ...this.headerOverrides },
      retryBudgetMs: this.retryReads ? (this.retryBudgetMs ?? this.run.config.retryBudgetMs) : 0,
    };
    const exchange = await this.send(request);
    this.exchanges.push(exchange);
    this.requests.set(exchange, request);
    if (token && this.tokenOverride === undefined && exchange.response) this.credentials.add(actor.mode);
    if (this.preparing !== undefined) this.preparation.add(exchange);
    await this.attachExchange(exchange);
    const check = await this.checkAndAttach(exchange, op.id, op.fhirVersion, actor.mode);
    // Recorded, not thrown: the scenario's behaviour assertions decide first, then the judge weighs these.
    // On the NHS sandbox, the documented defects of its own example answers are reported, not held against it.
    await this.record(op.id, check);
    await this.checkPdf(exchange);
    return exchange;
  }

  /**
   * Send the last read again, once, after a server error nobody asked for: a 5xx that does not reproduce is
   * weather (an environment fault); one that does is a product defect. Writes are never re-sent (undefined).
   */
  async retryServerErrorOnce(): Promise<Exchange | undefined> {
    const first = this.lastExchange;
    const request = this.requests.get(first);
    if (!request || !first.response || first.response.status < 500 || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
    const again = await this.send(request);
    again.attempts = first.attempts + 1;
    again.priorAttempts = [...(first.priorAttempts ?? []), { ...first, priorAttempts: undefined }];
    this.exchanges[this.exchanges.length - 1] = again;
    this.requests.set(again, request);
    if (this.preparation.has(first)) this.preparation.add(again);
    await attachment(`${exchangeTitle(again, this.run.redactor)} · re-sent once after an unasked-for HTTP ${first.response.status}`, exchangeAsText(again, this.run.redactor), 'text/plain');
    const op = findOperation(request.operation ?? first.operation ?? '');
    const check = await this.checkAndAttach(again, op.id, op.fhirVersion, this.actor?.mode ?? 'user-restricted');
    await this.record(op.id, check);
    return again;
  }

  /**
   * Keep what the checks found in the answer: profile and contract errors as findings, exchange-rule errors as defects.
   * On the NHS sandbox, the documented defects of its own example answers are reported, not held against it.
   */
  private async record(operation: string, check: ExchangeCheck): Promise<void> {
    const isKnown = (e: string): boolean => this.run.target.name === 'sandbox' && this.knownSandboxDefects.some((rule) => e.startsWith(`${rule} at `));
    const profile = responseErrors(check);
    const rules = responseRuleErrors(check);
    const known = [...profile, ...rules].filter(isKnown);
    if (known.length) await attachment('Known defects of the NHS sandbox example answer (reported, not failed)', known.join('\n'), 'text/plain');
    for (const e of profile.filter((x) => !isKnown(x))) this.findings.push(`${operation}: ${e}`);
    for (const e of rules.filter((x) => !isKnown(x))) this.defects.push(`${operation}: ${e}`);
  }

  /**
   * Run set-up that is not the test (reading a referral before a refused write, finding a slot). If it fails,
   * the scenario is blocked — not a failure of the requirement under test. Skips inside it stay skips.
   */
  async prepare<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
    const outer = this.preparing;
    this.preparing = what;
    try {
      return await fn();
    } catch (err) {
      if (skipKindOf(err) || err instanceof Blocked) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new Blocked(`preparing "${what}" failed, so the requirement under test was not reached: ${message}`);
    } finally {
      this.preparing = outer;
    }
  }

  /** Every PDF received is opened with a real PDF parser; one a reader cannot open is recorded like a profile violation. */
  private async checkPdf(exchange: Exchange): Promise<void> {
    const body = exchange.response?.body;
    if (!body || !/^application\/pdf\b/i.test(body.contentType ?? '') || exchange.response!.status >= 300) return;
    const report = body.truncated || !body.raw
      ? { ok: false, problems: [`the PDF body (${body.bytes} bytes) was cut at the recording limit (ERS_MAX_BODY_BYTES), so it cannot be checked`], warnings: [], text: '' }
      : await this.run.pdfs.inspect(body.raw);
    this.pdfReports.set(exchange.id, report);
    const lines = [`PDF check (pdfjs-dist): ${report.ok ? 'a reader opens it' : 'a reader cannot open it'}`, ...(report.version ? [`  version ${report.version}`] : []), ...(report.pages !== undefined ? [`  ${report.pages} page(s)`] : []),
      ...report.problems.map((p) => `  problem: ${p}`), ...report.warnings.map((w) => `  repaired: ${w}`)];
    await attachment('PDF check', lines.join('\n'), 'text/plain');
    if (!report.ok) this.findings.push(`${exchange.operation ?? ''}: the response is not a PDF a reader can open: ${report.problems.join('; ')}`);
  }

  /** The PDF check's report on the last response (which must be a PDF). */
  get lastPdf(): PdfReport {
    const report = this.pdfReports.get(this.lastExchange.id);
    if (!report) throw new AssertionError({ message: `the last response is not a PDF (Content-Type ${this.response.body.contentType ?? 'none'}, status ${this.response.status})` });
    return report;
  }

  /**
   * Follows a redirect to a download URL outside e-RS (A042's object store): a plain GET with no access token or role
   * headers, since the link itself is the permission. Recorded and attached like every exchange; not FHIR, so not validated.
   */
  async download(url: string): Promise<Exchange> {
    const exchange = await this.send({ method: 'GET', path: url, accept: '*/*', headers: {} });
    this.exchanges.push(exchange);
    await this.attachExchange(exchange);
    return exchange;
  }

  /** Validate the exchange (FHIR base + profiles, the exchange rules, OpenAPI when configured) and attach the findings. */
  async checkAndAttach(exchange: Exchange, operation: string, fhirVersion: 'STU3' | 'R4', mode: Actor['mode']): Promise<ExchangeCheck> {
    const { validator, contract, contractSuppressions, redactor } = this.run;
    const check = checkExchange(exchange, { validator, contract, contractSuppressions, operation, fhirVersion, accessMode: mode });
    this.checks.push(check);
    if (check.bodies.length || check.contract.length || check.rules.length) {
      const errors = check.bodies.reduce((n, b) => n + b.errors, 0) + check.contract.filter((f) => f.severity === 'error' && !('suppressedBy' in f && f.suppressedBy)).length
        + check.rules.filter((f) => f.severity === 'error' && !f.suppressedBy).length;
      const warnings = check.bodies.reduce((n, b) => n + b.warnings, 0);
      await attachment(`Validation: ${errors} error(s), ${warnings} warning(s)`, redactor.redact(checkAsText(check)), 'text/plain');
    }
    return check;
  }

  /** The run's client, or a one-off client when the scenario shortened the timeout. */
  private async send(request: ErsRequest): Promise<Exchange> {
    if (this.requestTimeoutMs === undefined) return this.run.client.send(request);
    const client = createErsClient({ baseUrl: this.run.target.baseUrl, timeoutMs: this.requestTimeoutMs, maxBodyBytes: this.run.config.maxBodyBytes, pacer: this.run.pacer });
    try {
      return await client.send(request);
    } finally {
      await client.close();
    }
  }

  async attachExchange(exchange: Exchange): Promise<void> {
    const { redactor } = this.run;
    for (const earlier of exchange.priorAttempts ?? []) {
      await attachment(`${exchangeTitle(earlier, redactor)} · attempt ${earlier.attempts}, retried`, exchangeAsText(earlier, redactor), 'text/plain');
    }
    const prefix = this.preparation.has(exchange) ? `Preparation (${this.preparing ?? 'set-up'}) · ` : '';
    await attachment(prefix + exchangeTitle(exchange, redactor), exchangeAsText(exchange, redactor), 'text/plain');
    const raw = exchange.response?.body.raw;
    if (raw && exchange.response?.body.contentType?.startsWith('application/pdf')) {
      await attachment('response body (PDF)', raw, 'application/pdf');
    }
  }

  /** Skip: the target cannot do what this scenario needs (nothing is owed). */
  notApplicable(reason: string): Promise<'skipped'> {
    return this.skipAs('not-applicable', reason);
  }

  /** Skip: data, a driver or credentials are missing (the requirement stays open and the run is not PASSED). */
  notVerified(reason: string): Promise<'skipped'> {
    return this.skipAs('not-verified', reason);
  }

  private async skipAs(kind: SkipKind, reason: string): Promise<'skipped'> {
    this.skip ??= { kind, reason };
    await attachment(kind === 'not-applicable' ? 'Not applicable: why this scenario was skipped' : 'Not verified: why this scenario was skipped', this.run.redactor.redact(reason), 'text/plain');
    return 'skipped';
  }
}

/** A skip raised by src/ (NotApplicable, NotVerified, a missing intent) → the World's skip of that kind. */
export function skipFor(world: ErsWorld, err: unknown): Promise<'skipped'> | undefined {
  const kind = skipKindOf(err);
  if (!kind) return undefined;
  const reason = (err as Error).message;
  return kind === 'not-applicable' ? world.notApplicable(reason) : world.notVerified(reason);
}

setWorldConstructor(ErsWorld);

/** Table/step values: "<intent.path>" is resolved from the target's fixtures, "(absent)" means remove. */
export function resolveValue(world: ErsWorld, text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '(absent)') return undefined;
  const intent = /^<([\w.-]+)>$/.exec(trimmed)?.[1];
  if (!intent) return trimmed;
  const value = world.fixture<unknown>(intent);
  if (typeof value === 'object') throw new Error(`intent "${intent}" holds an object, not a single value; name one of its fields`);
  return String(value);
}
