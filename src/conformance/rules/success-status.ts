import { header } from '../../http/exchange.ts';
import { factsFor } from './facts.ts';
import { responseFinding, type ExchangeRule } from './types.ts';

// Success is answered with exactly the documented status (catalogue section 2, each operation's table): 201 for the
// operations that create (A011, A016, A020, A021, A027), 307 for A042's redirect, 200 for every other read and
// operation; and with a Location header where the catalogue documents one (A020's Binary/{id}, A042's download URL).

export const successStatusRule: ExchangeRule = {
  name: 'success-status',
  check(ex, ctx) {
    const r = ex.response;
    const facts = factsFor(ctx.operation);
    if (!r || !facts || r.status < 200 || r.status >= 400) return [];
    if (r.status !== facts.success) {
      return [responseFinding('ers:success-status', 'response.status', `${ctx.operation} answered ${r.status}; the catalogue documents ${facts.success} for its success`)];
    }
    if (facts.location && !header(r.headers, 'location')?.trim()) {
      return [responseFinding('ers:success-location', 'response.header.Location', `${ctx.operation} answered ${r.status} without the Location header the catalogue documents on it`)];
    }
    return [];
  },
};
