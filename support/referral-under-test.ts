// The referral a scenario works on ("the referral under test") and the version its writes send: shared by the
// step files of the referral lifecycle, documents, appointments and the provider's review (steps never import
// each other).
import assert from 'node:assert/strict';
import type { ErsWorld } from './world.ts';

export function subject(world: ErsWorld): string {
  const ubrn = world.named.get('subject') as string | undefined;
  assert.ok(ubrn, 'internal: no referral under test; start with "the referral under test is ..." or "a new referral shortlisting ..."');
  return ubrn;
}

/** Reads the referral (A005) as the caller, as e-RS asks before every write; undefined when the caller cannot read it. */
export async function readReferral(world: ErsWorld, ubrn: string): Promise<Record<string, unknown> | undefined> {
  const ex = await world.call('A005', { params: { ubrn } });
  return ex.response?.status === 200 ? (ex.response.body.json as Record<string, unknown>) : undefined;
}

/** The version a write sends: the current one, unless the scenario asked for a stale or missing one. */
export async function versionToSend(world: ErsWorld, current: string | undefined): Promise<string | undefined> {
  const mode = world.named.get('versionMode') as string | undefined;
  const v = current ?? '1'; // a referral the caller cannot read: the referral checks fail before the version is looked at
  if (mode === 'absent') return undefined;
  if (mode === 'stale') return String(Number(v) > 1 ? Number(v) - 1 : Number(v) + 1);
  return v;
}

/** The If-Match header a write sends for a version (absent, malformed or stale when the scenario says so). */
export async function ifMatchFor(world: ErsWorld, current: string | undefined): Promise<string | undefined> {
  const mode = world.named.get('versionMode') as string | undefined;
  if (mode === 'malformed') return `"${current ?? '1'}"`;
  const v = await versionToSend(world, current);
  return v === undefined ? undefined : `W/"${v}"`;
}
