// Pre-flight: before any scenario, a real target is probed once. An unreachable target, one that does not
// answer like e-RS, or credentials that get no token stop the run with one clear error (exit 2) instead of
// hundreds of environment faults. The checks are a plain list: add one by appending to PREFLIGHT_CHECKS.
import { request } from 'undici';
import type { Config } from '../config/index.ts';
import type { Redactor } from '../evidence/redact.ts';
import { startTarget, type Actor } from './index.ts';
import { checkActorIdentities } from './identity-check.ts';
import { createErsClient } from '../http/client.ts';
import { skipKindOf } from '../evidence/outcome.ts';

export interface PreflightContext {
  config: Config;
  redactor: Redactor;
  /** Bound for each probe: short, so a dead target fails in seconds, not after the run's timeout × retries. */
  timeoutMs: number;
}

export interface PreflightResult { ok: boolean; detail: string }

export interface PreflightCheck {
  name: string;
  /** Checks that must have passed first (by name); a check whose needs failed is not run. */
  needs: string[];
  /** Whether the check means anything for this configuration. */
  applies(config: Config): boolean;
  run(ctx: PreflightContext): Promise<PreflightResult>;
}

const MAX_PROBE_BYTES = 64 * 1024;

async function probe(url: string, timeoutMs: number): Promise<{ status: number; contentType: string; body: string; wwwAuthenticate?: string; requestId?: string }> {
  // undici's request, not fetch: fetch refuses some ports outright ("bad port") and hides the socket error.
  const res = await request(url, { method: 'GET', headers: { accept: 'application/fhir+json' }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_PROBE_BYTES) {
      res.body.destroy();
      break;
    }
  }
  const ct = res.headers['content-type'];
  const h = (name: string): string | undefined => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return { status: res.statusCode, contentType: h('content-type') ?? '', body: Buffer.concat(chunks).toString('utf8'), wwwAuthenticate: h('www-authenticate'), requestId: h('x-request-id') };
}

function causeOf(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT') return 'no answer in time';
  const code = e.code ?? e.cause?.code;
  const message = e.message || e.cause?.message;
  return code ? `${code}${message && !message.includes(code) ? ` (${message})` : message ? ` (${message})` : ''}` : (message ?? String(err));
}

const realTarget = (c: Config): boolean => c.target !== 'simulator';
/** A read every e-RS answers as FHIR JSON: reference data (A004), or an OperationOutcome when refused. */
const probeUrl = (c: Config): string => `${c.baseUrl}/STU3/CodeSystem/SPECIALTY`;

export const PREFLIGHT_CHECKS: PreflightCheck[] = [
  {
    name: 'reachable',
    needs: [],
    applies: realTarget,
    async run({ config, timeoutMs }) {
      try {
        const r = await probe(probeUrl(config), timeoutMs);
        return { ok: true, detail: `${config.baseUrl} answered HTTP ${r.status}` };
      } catch (err) {
        return { ok: false, detail: `${config.baseUrl} cannot be reached: ${causeOf(err)}. Check --base-url / ERS_BASE_URL, the network and any proxy` };
      }
    },
  },
  {
    name: 'speaks e-RS',
    needs: ['reachable'],
    applies: realTarget,
    async run({ config, timeoutMs }) {
      try {
        const r = await probe(probeUrl(config), timeoutMs);
        let resourceType: unknown;
        try {
          resourceType = (JSON.parse(r.body) as { resourceType?: unknown }).resourceType;
        } catch {
          resourceType = undefined;
        }
        if (r.status === 404) return { ok: false, detail: `GET ${probeUrl(config)} answered 404: no e-RS FHIR API at this base URL (it must end in /referrals/FHIR, e.g. https://int.api.service.nhs.uk/referrals/FHIR)` };
        if (typeof resourceType === 'string') return { ok: true, detail: `GET …/STU3/CodeSystem/SPECIALTY answered ${r.status} with a FHIR ${resourceType}` };
        // e-RS's platform refuses an unauthenticated STU3 call with an empty 401 carrying a Bearer challenge.
        if ((r.status === 401 || r.status === 403) && !r.body.trim() && (/^Bearer\b/i.test(r.wwwAuthenticate ?? '') || r.requestId)) {
          return { ok: true, detail: `GET …/STU3/CodeSystem/SPECIALTY without a token was refused with ${r.status} (${r.wwwAuthenticate ? 'with a WWW-Authenticate header' : 'with an X-Request-ID'}), as e-RS does` };
        }
        return { ok: false, detail: `GET ${probeUrl(config)} answered ${r.status} ${r.contentType || '(no content type)'} that is not FHIR JSON: this is not an e-RS FHIR API. The base URL must end in /referrals/FHIR` };
      } catch (err) {
        return { ok: false, detail: `${config.baseUrl} stopped answering: ${causeOf(err)}` };
      }
    },
  },
  {
    name: 'credentials get a token',
    needs: ['reachable'],
    applies: (c) => realTarget(c) && c.target !== 'sandbox' && c.auth !== 'none',
    async run({ config, redactor }) {
      const target = await startTarget(config, redactor);
      try {
        const actors: Actor[] = [];
        const wants = (mode: string): boolean => config.auth === mode || config.auth === 'both' || (config.auth as string) === 'auto';
        if (wants('user') && target.fixtures.has('actors')) {
          const [key, a] = Object.entries(target.fixtures.get<Record<string, Omit<Actor, 'key' | 'mode'>>>('actors'))[0] ?? [];
          if (key && a) actors.push({ ...a, key, mode: 'user-restricted' });
        }
        if (wants('app') && target.fixtures.has('applications')) {
          const [key, a] = Object.entries(target.fixtures.get<Record<string, Omit<Actor, 'key' | 'mode'>>>('applications'))[0] ?? [];
          if (key && a) actors.push({ ...a, key: `application:${key}`, mode: 'application-restricted' });
        }
        const got: string[] = [];
        for (const actor of actors) {
          try {
            if (await target.tokenFor(actor)) got.push(actor.mode);
          } catch (err) {
            if (skipKindOf(err)) continue; // that mode is not configured: its scenarios are reported as not verified
            return { ok: false, detail: `no ${actor.mode} token for ${actor.key}: ${redactor.redact((err as Error).message)}. Check ERS_API_KEY, ERS_KID, the private key and the token URL` };
          }
        }
        return { ok: true, detail: got.length ? `got a token for ${[...new Set(got)].join(' and ')} access` : 'no token endpoint configured (ready-made tokens, or none)' };
      } finally {
        for (const ex of target.takeTokenExchanges()) void ex;
        await target.stop();
      }
    },
  },
  {
    // Issue 12: what e-RS says each configured user holds (A030; A040 for an SPCA), printed per actor, and a
    // plain explanation when an actor cannot be what its scenarios need, instead of hundreds of 403s.
    name: 'identity',
    needs: ['credentials get a token'],
    applies: (c) => realTarget(c) && c.target !== 'sandbox' && (c.auth === 'user' || c.auth === 'both' || (c.auth as string) === 'auto'),
    async run({ config, redactor, timeoutMs }) {
      const target = await startTarget(config, redactor);
      const client = createErsClient({ baseUrl: target.baseUrl, timeoutMs, maxBodyBytes: config.maxBodyBytes });
      try {
        if (!target.fixtures.has('actors')) return { ok: true, detail: `${target.fixtures.file} names no user-restricted actors: nothing to check` };
        const configured: Actor[] = Object.entries(target.fixtures.get<Record<string, Omit<Actor, 'key' | 'mode'>>>('actors')).map(([key, a]) => ({ ...a, key, mode: 'user-restricted' }));
        // Only actors the run holds a credential for are asked about; the others' scenarios are not verified anyway.
        const tokens = new Map<string, string | undefined>();
        const withoutCredential: string[] = [];
        for (const actor of configured) {
          try {
            tokens.set(actor.key, await target.tokenFor(actor));
          } catch (err) {
            if (!skipKindOf(err)) throw err;
            withoutCredential.push(actor.key);
          }
        }
        const actors = configured.filter((a) => tokens.has(a.key));
        const result = await checkActorIdentities(actors, { send: (req) => client.send(req), tokenFor: async (actor) => tokens.get(actor.key) });
        const unchecked = withoutCredential.length ? `\nnot checked (no credential in this run; their scenarios are not verified): ${withoutCredential.join(', ')}` : '';
        return { ok: result.ok, detail: `e-RS says, per actor:\n${redactor.redact(result.text)}${unchecked}` };
      } finally {
        for (const ex of target.takeTokenExchanges()) void ex;
        await client.close();
        await target.stop();
      }
    },
  },
];

/** Run every applicable check in order; the first failure stops the list (later checks depend on it). */
export async function preflight(ctx: PreflightContext, checks: readonly PreflightCheck[] = PREFLIGHT_CHECKS): Promise<{ ok: boolean; results: { name: string; ok: boolean; detail: string }[] }> {
  const results: { name: string; ok: boolean; detail: string }[] = [];
  const passed = new Set<string>();
  for (const check of checks) {
    if (!check.applies(ctx.config)) continue;
    if (!check.needs.every((n) => passed.has(n) || !results.some((r) => r.name === n))) continue;
    let r: PreflightResult;
    try {
      r = await check.run(ctx);
    } catch (err) {
      r = { ok: false, detail: `the check itself failed: ${(err as Error).message}` };
    }
    results.push({ name: check.name, ok: r.ok, detail: ctx.redactor.redact(r.detail) });
    if (!r.ok) return { ok: false, results };
    passed.add(check.name);
  }
  return { ok: true, results };
}
