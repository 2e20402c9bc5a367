import type { Exchange } from '../../http/exchange.ts';
import { errorBodyRule } from './error-body.ts';
import { identifierRule } from './identifiers.ts';
import { mediaTypeRule } from './media-type.ts';
import { responseHeadersRule } from './response-headers.ts';
import { successStatusRule } from './success-status.ts';
import type { ExchangeRule, RuleContext, RuleFinding } from './types.ts';

export type { ExchangeRule, RuleContext, RuleFinding } from './types.ts';

/** Every e-RS exchange is held to each of these (README "Rules every exchange is held to"); one job each. */
export const EXCHANGE_RULES: readonly ExchangeRule[] = [successStatusRule, errorBodyRule, mediaTypeRule, responseHeadersRule, identifierRule];

/** Apply the rules; a rule that throws becomes a finding naming it (a harness fault, never a crash). */
export function applyExchangeRules(ex: Exchange, ctx: RuleContext, rules: readonly ExchangeRule[] = EXCHANGE_RULES): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const rule of rules) {
    try {
      out.push(...rule.check(ex, ctx));
    } catch (e) {
      out.push({ direction: 'response', severity: 'error', rule: 'rule-failure', path: rule.name, message: `the ${rule.name} rule could not be applied (${(e as Error).message ?? String(e)})` });
    }
  }
  return out;
}
