// Identity pre-flight for real targets: before any scenario, ask e-RS (A030, and A040 for an SPCA) what each
// configured user-restricted actor really holds, print it, and explain plainly when an actor cannot be what the run
// needs. The most common INT failure is a 403 nobody can explain: a role the user does not hold at that ODS code.
import { findOperation, expandPath } from '../ers/operations.ts';
import { heldRoles, practitionerSdsIds, type HeldRole } from '../ers/r4.ts';
import { outcomeIssues } from '../ers/read.ts';
import type { ErsRequest } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Actor } from './index.ts';

export interface IdentityCheckDeps {
  /** the run's e-RS client */
  send(req: ErsRequest): Promise<Exchange>;
  /** the bearer token the run would use for the actor */
  tokenFor(actor: Actor): Promise<string | undefined>;
}

export interface ActorIdentity {
  actor: string;
  userId: string;
  /** what e-RS says the user holds (A030); undefined when it could not be read */
  held?: HeldRole[];
  /** SPCA only: the clinicians e-RS lets it act for (A040) */
  actsFor?: string[];
  /** why the actor cannot be what the run needs; [] when it can */
  problems: string[];
  /** an actor the check does not apply to, with why */
  skipped?: string;
}

export interface IdentityCheckResult {
  ok: boolean;
  actors: ActorIdentity[];
  /** the report to print, one block per actor */
  text: string;
}

const SPCA = 'SERVICE_PROVIDER_CLINICIAN_ADMIN';

/** Checks every configured actor against A030 (and A040 for an SPCA); each user's roles are read once. */
export async function checkActorIdentities(actors: readonly Actor[], deps: IdentityCheckDeps): Promise<IdentityCheckResult> {
  const rolesByUser = new Map<string, Promise<{ held?: HeldRole[]; error?: string }>>();
  const results: ActorIdentity[] = [];
  for (const actor of actors) {
    if (actor.mode !== 'user-restricted') {
      results.push({ actor: actor.key, userId: actor.userId, problems: [], skipped: 'application-restricted: A030 answers user-restricted callers only; the app\'s ODS code and business function are Apigee app attributes' });
      continue;
    }
    if (!rolesByUser.has(actor.userId)) rolesByUser.set(actor.userId, readRoles(actor, deps));
    const { held, error } = await rolesByUser.get(actor.userId)!;
    const identity: ActorIdentity = { actor: actor.key, userId: actor.userId, held, problems: [] };
    if (error) identity.problems.push(error);
    else identity.problems.push(...roleProblems(actor, held ?? []));
    if (!error && identity.problems.length === 0 && actor.businessFunction === SPCA) {
      const obo = await readActsFor(actor, deps);
      if (obo.error) identity.problems.push(obo.error);
      else {
        identity.actsFor = obo.ids;
        if (!actor.onBehalfOf) identity.problems.push(`${actor.key} is a ${SPCA} but names no clinician to act for; set onBehalfOf to one of: ${obo.ids!.join(', ') || '(e-RS lists none)'}`);
        else if (!obo.ids!.includes(actor.onBehalfOf)) {
          identity.problems.push(`${actor.key} acts on behalf of ${actor.onBehalfOf}, but e-RS (A040) lets user ${actor.userId} at ${actor.ods} act for ${obo.ids!.length ? obo.ids!.join(', ') : 'no clinician'}; every call would be refused with 403. Set onBehalfOf to one of those, or ask the organisation to link them in e-RS`);
        }
      }
    }
    results.push(identity);
  }
  return { ok: results.every((r) => r.problems.length === 0), actors: results, text: results.map(describe).join('\n') };
}

function roleProblems(actor: Actor, held: HeldRole[]): string[] {
  const summary = held.length ? held.map((r) => `${r.ods}: ${r.businessFunctions.join(', ')}`).join('; ') : 'no business function at any organisation';
  if (!actor.ods || !actor.businessFunction) return [`${actor.key} has no ODS code or business function configured; e-RS says user ${actor.userId} holds ${summary}`];
  const at = held.find((r) => r.ods === actor.ods);
  if (!at) {
    return [`${actor.key} is configured for organisation ${actor.ods}, where user ${actor.userId} holds no e-RS role (e-RS says: ${summary}); every call would be refused with 403. Use one of those organisations for this actor, or ask the user's Registration Authority for the role at ${actor.ods}`];
  }
  if (!at.businessFunctions.includes(actor.businessFunction)) {
    return [`${actor.key} is configured as ${actor.businessFunction} at ${actor.ods}, but user ${actor.userId} holds ${at.businessFunctions.join(', ')} there (e-RS says: ${summary}); every call would be refused with 403. Configure a user who holds ${actor.businessFunction} at ${actor.ods}, or ask their Registration Authority to grant it`];
  }
  return [];
}

async function readRoles(actor: Actor, deps: IdentityCheckDeps): Promise<{ held?: HeldRole[]; error?: string }> {
  const op = findOperation('A030');
  // no role headers: A030 is how a caller learns them
  const ex = await deps.send({ operation: op.id, method: op.method, path: expandPath(op, {}), accessToken: await deps.tokenFor(actor), retryBudgetMs: 0 });
  if (ex.error) return { error: `could not ask e-RS who ${actor.key} (user ${actor.userId}) is: ${ex.error.message}` };
  const r = ex.response!;
  if (r.status !== 200) return { error: `e-RS refused A030 for ${actor.key} (user ${actor.userId}) with HTTP ${r.status}${why(r.status, r.body.json)}` };
  return { held: heldRoles(r.body.json) };
}

async function readActsFor(actor: Actor, deps: IdentityCheckDeps): Promise<{ ids?: string[]; error?: string }> {
  const op = findOperation('A040');
  const ex = await deps.send({
    operation: op.id, method: op.method, path: expandPath(op, {}), query: { _query: 'onBehalfOf' },
    accessToken: await deps.tokenFor(actor), businessFunction: actor.businessFunction, odsCode: actor.ods, retryBudgetMs: 0,
  });
  if (ex.error) return { error: `could not ask e-RS whom ${actor.key} may act for: ${ex.error.message}` };
  const r = ex.response!;
  if (r.status !== 200) return { error: `e-RS refused A040 for ${actor.key} with HTTP ${r.status}${why(r.status, r.body.json)}` };
  return { ids: practitionerSdsIds(r.body.json) };
}

function why(status: number, body: unknown): string {
  const diagnostics = outcomeIssues(body)[0]?.diagnostics;
  const hint = status === 401 ? ' — the access token was not accepted: check the CIS2 token (ERS_ACCESS_TOKEN) is current and at AAL2 or above' : status === 403 ? ' — the credentials are not allowed this call' : '';
  return `${diagnostics ? ` (${diagnostics})` : ''}${hint}`;
}

function describe(r: ActorIdentity): string {
  const head = `${r.problems.length ? '✘' : r.skipped ? '–' : '✔'} ${r.actor} (user ${r.userId})`;
  const lines = [head];
  if (r.skipped) lines.push(`    not checked: ${r.skipped}`);
  for (const role of r.held ?? []) lines.push(`    e-RS: ${role.ods}: ${role.businessFunctions.join(', ')}`);
  if (r.actsFor) lines.push(`    may act on behalf of: ${r.actsFor.join(', ') || '(none)'}`);
  for (const p of r.problems) lines.push(`    problem: ${p}`);
  return lines.join('\n');
}
