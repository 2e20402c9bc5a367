import { setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { AllureCucumberWorld } from 'allure-cucumberjs';
import { attachment } from 'allure-js-commons';
import { AssertionError } from 'node:assert';
import { checkAsText, checkExchange, responseErrors, type ExchangeCheck } from '../src/conformance/check-exchange.ts';
import { roleHeadersFor } from '../src/auth/headers.ts';
import { EnvironmentFault } from '../src/evidence/errors.ts';
import { exchangeAsText, exchangeTitle } from '../src/evidence/exchange-text.ts';
import { expandPath, findOperation } from '../src/ers/operations.ts';
import { createErsClient, type ErsRequest } from '../src/http/client.ts';
import type { Parameters, ParametersKind } from '../src/ers/parameters.ts';
import type { Exchange, ExchangeResponse } from '../src/http/exchange.ts';
import { TargetCannotRunError, type Actor } from '../src/targets/index.ts';
import { runContext, type RunContext } from './context.ts';

export type DraftName = 'search request' | 'search criteria' | 'worklist request' | 'referral request' | 'shortlist search criteria' | 'shortlist change' | 'referral letter request';
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
    await this.attachExchange(exchange);
    const check = await this.checkAndAttach(exchange, op.id, op.fhirVersion, actor.mode);
    const all = responseErrors(check);
    const known = this.run.target.name === 'sandbox' ? all.filter((e) => this.knownSandboxDefects.some((rule) => e.startsWith(`${rule} at `))) : [];
    if (known.length) await attachment('Known defects of the NHS sandbox example answer (reported, not failed)', known.join('\n'), 'text/plain');
    const errors = all.filter((e) => !known.includes(e));
    if (errors.length) {
      throw new AssertionError({ message: `Profile violation: the ${op.id} response breaks its profiles or contract:\n  ${errors.slice(0, 8).join('\n  ')}${errors.length > 8 ? `\n  … ${errors.length - 8} more in the report` : ''}` });
    }
    return exchange;
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

  /** Validate the exchange (FHIR base + profiles, OpenAPI when configured) and attach the findings. */
  async checkAndAttach(exchange: Exchange, operation: string, fhirVersion: 'STU3' | 'R4', mode: Actor['mode']): Promise<ExchangeCheck> {
    const { validator, contract, contractSuppressions, redactor } = this.run;
    const check = checkExchange(exchange, { validator, contract, contractSuppressions, operation, fhirVersion, accessMode: mode });
    this.checks.push(check);
    if (check.bodies.length || check.contract.length) {
      const errors = check.bodies.reduce((n, b) => n + b.errors, 0) + check.contract.filter((f) => f.severity === 'error' && !('suppressedBy' in f && f.suppressedBy)).length;
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
    await attachment(exchangeTitle(exchange, redactor), exchangeAsText(exchange, redactor), 'text/plain');
    const raw = exchange.response?.body.raw;
    if (raw && exchange.response?.body.contentType?.startsWith('application/pdf')) {
      await attachment('response body (PDF)', raw, 'application/pdf');
    }
  }

  /** Note shown in the report when a scenario is skipped, then the skip itself. */
  async skipBecause(reason: string): Promise<'skipped'> {
    await attachment('Why this scenario was skipped', reason, 'text/plain');
    return 'skipped';
  }
}

export function isSkipReason(err: unknown): err is Error {
  return err instanceof TargetCannotRunError || (err instanceof Error && err.name === 'MissingIntentError');
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
