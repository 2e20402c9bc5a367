import type { AccessMode } from '../../config/index.ts';
import type { Finding, FhirVersion } from '../../fhir/index.ts';
import type { Exchange } from '../../http/exchange.ts';

/** A finding of an exchange rule, on the request (what was sent) or the response (what e-RS answered). */
export interface RuleFinding extends Finding {
  direction: 'request' | 'response';
}

export interface RuleContext {
  /** the e-RS operation id (catalogue opKey), e.g. 'A011', 'A005-versioned' */
  operation: string;
  fhirVersion: FhirVersion;
  accessMode: AccessMode;
}

/** One job, applied to every e-RS exchange; it never throws on what the exchange holds. */
export interface ExchangeRule {
  /** module name, shown when a rule itself fails */
  name: string;
  check(ex: Exchange, ctx: RuleContext): RuleFinding[];
}

export const requestFinding = (rule: string, path: string, message: string): RuleFinding => ({ direction: 'request', severity: 'error', rule, path, message });
export const responseFinding = (rule: string, path: string, message: string): RuleFinding => ({ direction: 'response', severity: 'error', rule, path, message });
