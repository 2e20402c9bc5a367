import { header } from '../../http/exchange.ts';
import { factsFor } from './facts.ts';
import { responseFinding, type ExchangeRule, type RuleFinding } from './types.ts';

// The headers the catalogue documents on every answer (section 4): X-Request-ID (the e-RS transaction id; a proxy 401
// only reflects the caller's own, so 401 is exempt), the caller's X-Correlation-ID echoed unchanged (also on
// proxy-generated errors), and on a successful read or write of a versioned resource a weak ETag W/"n" equal to the
// returned resource's meta.versionId.

const WEAK_ETAG = /^W\/"(\d+)"$/;

export const responseHeadersRule: ExchangeRule = {
  name: 'response-headers',
  check(ex, ctx) {
    const r = ex.response;
    if (!r) return [];
    const out: RuleFinding[] = [];
    if (r.status !== 401 && !header(r.headers, 'x-request-id')?.trim()) out.push(responseFinding('ers:x-request-id', 'response.header.X-Request-ID', `a ${r.status} answer without X-Request-ID (the e-RS transaction id is on every answer)`));
    const sent = header(ex.request.headers, 'x-correlation-id');
    const echoed = header(r.headers, 'x-correlation-id');
    if (sent !== undefined && echoed !== sent) out.push(responseFinding('ers:x-correlation-id', 'response.header.X-Correlation-ID', echoed === undefined ? `the X-Correlation-ID sent (${sent}) is not echoed on the ${r.status} answer` : `X-Correlation-ID ${echoed} on the answer is not the one sent (${sent})`));
    const facts = factsFor(ctx.operation);
    if (facts?.etag && r.status === facts.success) {
      const etag = header(r.headers, 'etag');
      const m = etag === undefined ? undefined : WEAK_ETAG.exec(etag.trim());
      if (etag === undefined) out.push(responseFinding('ers:etag', 'response.header.ETag', `${ctx.operation} answered ${r.status} without the ETag the catalogue documents on it`));
      else if (!m) out.push(responseFinding('ers:etag', 'response.header.ETag', `ETag ${etag} is not a weak version tag W/"n"`));
      else {
        const version = (r.body.json as { meta?: { versionId?: unknown } } | undefined)?.meta?.versionId;
        if (version !== undefined && String(version) !== m[1]) out.push(responseFinding('ers:etag-version', 'response.header.ETag', `ETag ${etag} is not the returned resource's meta.versionId (${String(version)})`));
      }
    }
    return out;
  },
};
