import { USER_CONTEXT_HEADERS } from './headers-list.ts';
import { header } from '../../http/exchange.ts';
import { factsFor } from './facts.ts';
import { responseFinding, type ExchangeRule } from './types.ts';

// An error the catalogue documents with an OperationOutcome body (section 2's tables, section 6) carries one, on every
// error path, whether or not the scenario reads the body: an empty body, plain text or another resource in its place is
// a finding. The one documented exception: the proxy's 403 to an application-restricted call that sent user-context
// headers has an empty body, on STU3 and R4 alike (sections 6 and 10.3). HEAD answers never have a body.

export const errorBodyRule: ExchangeRule = {
  name: 'error-body',
  check(ex, ctx) {
    const r = ex.response;
    const facts = factsFor(ctx.operation);
    if (!r || !facts || r.status < 400 || ex.request.method === 'HEAD' || !facts.outcome.includes(r.status)) return [];
    if (r.status === 403 && ctx.accessMode === 'application-restricted' && USER_CONTEXT_HEADERS.some((h) => header(ex.request.headers, h) !== undefined)) return [];
    const json = r.body.json as { resourceType?: unknown } | undefined;
    if (json && typeof json === 'object' && json.resourceType === 'OperationOutcome') return [];
    const what = r.body.bytes === 0 ? 'an empty body' : json && typeof json === 'object' && typeof json.resourceType === 'string' ? `a ${json.resourceType}` : r.body.truncated ? 'a body cut at the recording limit' : `a body that is not an OperationOutcome (${r.body.contentType ?? 'no Content-Type'}: ${JSON.stringify(r.body.text.slice(0, 60))})`;
    return [responseFinding('ers:error-outcome', 'response.body', `${ctx.operation} answered ${r.status} with ${what}; the catalogue documents an OperationOutcome for ${r.status}`)];
  },
};
