import type { Finding, FhirVersion, Validator } from '../fhir/index.ts';
import { applySuppressions, loadSuppressions } from '../fhir/policy.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Contract, ContractFinding } from '../openapi/index.ts';
import type { AccessMode } from '../config/index.ts';
import { applyExchangeRules, type RuleFinding } from './rules/index.ts';

// Every exchange is checked the same way: the response (and request) body against the FHIR base
// spec, the profiles the body claims and the profiles policy.yaml gives the operation; the exchange
// rules (src/conformance/rules/: identifiers, media types, success status, error bodies, headers);
// and, when an OpenAPI document is configured, the whole exchange against its operation's contract.

export interface BodyCheck {
  direction: 'request' | 'response';
  resourceType: string | undefined;
  profiles: string[];
  findings: Finding[];
  errors: number;
  warnings: number;
  suppressed: number;
}

export interface ExchangeCheck {
  bodies: BodyCheck[];
  contract: ContractFinding[];
  /** Exchange-rule findings (ers:* rule ids), each on the request or the response. */
  rules: RuleFinding[];
}

export interface CheckContext {
  validator: Validator;
  contract?: Contract;
  /** Known OpenAPI-vs-FHIR disagreements (profiles/openapi-suppressions.yaml). */
  contractSuppressions?: ContractSuppressions;
  operation: string;
  fhirVersion: FhirVersion;
  accessMode: AccessMode;
}

/** Validate what was exchanged. Never throws, whatever the bodies hold: problems become findings. */
export function checkExchange(ex: Exchange, ctx: CheckContext): ExchangeCheck {
  const bodies: BodyCheck[] = [];
  const request = ex.request.body?.json;
  if (isResource(request)) bodies.push(checkBody(ctx, 'request', request, 0));
  const response = ex.response?.body.json;
  if (ex.response && isResource(response)) bodies.push(checkBody(ctx, 'response', response, ex.response.status));
  // Every contract finding, so suppressions apply before anything is summarised: a "… N more" line could
  // otherwise stand for findings that are all known disagreements and still fail the step.
  let contract: ContractFinding[] = [];
  if (ctx.contract && ex.response) {
    try {
      contract = ctx.contract.check(contractShape(ex, ctx.accessMode), { maxFindingsPerBody: Infinity });
    } catch (e) {
      // e.g. a body nested deeper than the schema validator's recursion allows: a finding, not a crash.
      contract = [{
        severity: 'error', rule: 'openapi:response-body', path: 'response.body',
        message: `the OpenAPI contract could not be checked (${(e as Error).message ?? String(e)})`,
      }];
    }
  }
  if (ctx.contractSuppressions) applySuppressions(contract as Finding[], ctx.contractSuppressions);
  const rules = applyExchangeRules(ex, { operation: ctx.operation, fhirVersion: ctx.fhirVersion, accessMode: ctx.accessMode });
  return { bodies, contract, rules };
}

export type ContractSuppressions = ReturnType<typeof loadSuppressions>;

/** Load the OpenAPI suppressions file (same format as profiles/suppressions.yaml). */
export function loadContractSuppressions(file: string): ContractSuppressions {
  return loadSuppressions(file);
}

function checkBody(ctx: CheckContext, direction: 'request' | 'response', resource: Record<string, unknown>, status: number): BodyCheck {
  // The validator takes the operation's profiles from policy.yaml and applies each to resources of its
  // type; passing them as `profiles` would claim them all for the top-level resource.
  let r: ReturnType<Validator['validate']>;
  try {
    r = ctx.validator.validate(resource, { fhirVersion: ctx.fhirVersion, operation: ctx.operation, direction, status });
  } catch (e) {
    // The validator turns its own failures into findings; this guards a Validator from elsewhere (tests, plugins).
    const f: Finding = { severity: 'error', rule: 'validator-failure', path: String(resource.resourceType), message: `the body could not be validated (${(e as Error).message ?? String(e)})` };
    return { direction, resourceType: String(resource.resourceType), profiles: [], findings: [f], errors: 1, warnings: 0, suppressed: 0 };
  }
  return { direction, resourceType: r.resourceType, profiles: r.profiles, findings: r.findings, errors: r.errors, warnings: r.warnings, suppressed: r.suppressed };
}

function isResource(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { resourceType?: unknown }).resourceType === 'string';
}

function contractShape(ex: Exchange, accessMode: AccessMode) {
  return {
    method: ex.request.method,
    url: ex.request.url,
    requestHeaders: ex.request.headers,
    requestBody: ex.request.body?.json,
    requestContentType: ex.request.headers['Content-Type'],
    status: ex.response!.status,
    responseHeaders: ex.response!.headers,
    responseBody: ex.response!.body.json,
    responseContentType: ex.response!.body.contentType,
    accessMode,
  };
}

/** A reviewer's rendering of the findings, one line each, suppressed ones last with their reason id. */
export function checkAsText(check: ExchangeCheck): string {
  const lines: string[] = [];
  for (const b of check.bodies) {
    lines.push(`${b.direction} ${b.resourceType ?? '?'} — ${b.errors} error(s), ${b.warnings} warning(s), ${b.suppressed} suppressed`);
    lines.push(`  profiles: ${b.profiles.length ? b.profiles.join(', ') : '(base specification only)'}`);
    const ordered = [...b.findings].sort((x, y) => Number(!!x.suppressedBy) - Number(!!y.suppressedBy));
    for (const f of ordered) {
      const tag = f.suppressedBy ? `suppressed by ${f.suppressedBy}` : f.severity;
      lines.push(`  [${tag}] ${f.rule} at ${f.path}: ${f.message}${f.profile ? ` (${f.profile})` : ''}`);
    }
  }
  if (check.contract.length) {
    lines.push(`OpenAPI contract — ${check.contract.length} finding(s)`);
    for (const f of check.contract) {
      const sup = (f as Finding).suppressedBy;
      lines.push(`  [${sup ? `suppressed by ${sup}` : f.severity}] ${f.rule} at ${f.path}: ${f.message}`);
    }
  }
  const rules = check.rules ?? [];
  if (rules.length) {
    lines.push(`Exchange rules — ${rules.length} finding(s)`);
    for (const f of rules) lines.push(`  [${f.suppressedBy ? `suppressed by ${f.suppressedBy}` : f.severity}] ${f.direction} ${f.rule} at ${f.path}: ${f.message}`);
  }
  return lines.join('\n');
}

/** Unsuppressed exchange-rule errors on the response: documented behaviour broken, a product defect of the target. */
export function responseRuleErrors(check: ExchangeCheck): string[] {
  return (check.rules ?? []).filter((f) => f.direction === 'response' && f.severity === 'error' && !f.suppressedBy).map((f) => `${f.rule} at ${f.path}: ${f.message}`);
}

/** Unsuppressed errors in the response body or the contract: these fail the step (as a profile violation). */
export function responseErrors(check: ExchangeCheck): string[] {
  const out: string[] = [];
  for (const b of check.bodies) {
    if (b.direction !== 'response') continue;
    for (const f of b.findings) if (f.severity === 'error' && !f.suppressedBy) out.push(`${f.rule} at ${f.path}: ${f.message}`);
  }
  // Request-side contract findings are often deliberate (negative scenarios); only the answer is judged.
  for (const f of check.contract) {
    if (f.severity === 'error' && !(f as Finding).suppressedBy && (f.rule === 'openapi:status' || f.path.startsWith('response'))) out.push(`${f.rule} at ${f.path}: ${f.message}`);
  }
  return out;
}
