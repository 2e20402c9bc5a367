// Readings of a provider (PAS) action: what e-RS answered in the captured traffic against what the PAS reported
// showing or filing (its driver's observations). A witness's attestation stands for the observations: its result
// (pass / fail) decides, and it is labelled "attested" wherever it is shown.
import type { AttachmentFacts } from './ers-state.ts';
import type { Performed } from './scenario.ts';

const attestedPass = (p: Performed): boolean | undefined => (p.answer.observations?.attested === true ? p.answer.observations.result === 'pass' : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The referrals A008 listed (the last 200 answer of the action) and the ones the PAS reported importing. */
export function worklistShown(p: Performed): { answered: boolean; listed: string[]; shown: string[] } {
  const list = [...p.captured].reverse().find((c) => c.operation?.id === 'A008' && c.exchange.response?.status === 200);
  const entries = (list?.exchange.response?.body.json as { entry?: { item?: { reference?: string } }[] } | undefined)?.entry ?? [];
  const listed = entries.map((e) => /ReferralRequest\/(\d{12})/.exec(e.item?.reference ?? '')?.[1]).filter((u): u is string => !!u);
  const pass = attestedPass(p);
  const shown = pass === undefined ? strings(p.answer.observations?.referrals) : pass ? listed : [];
  return { answered: !!list, listed, shown };
}

/** The actions A029 answered (the last 200 answer of the action) and the ones the PAS reported offering. */
export function offeredActions(p: Performed): { answered: boolean; available: string[]; offered: string[] } {
  const tasks = [...p.captured].reverse().find((c) => c.operation?.id === 'A029' && c.exchange.response?.status === 200);
  const entries = (tasks?.exchange.response?.body.json as { entry?: { resource?: { code?: { coding?: { code?: string }[] } } }[] } | undefined)?.entry ?? [];
  const available = entries.map((e) => e.resource?.code?.coding?.[0]?.code).filter((c): c is string => !!c);
  const pass = attestedPass(p);
  const offered = pass === undefined ? strings(p.answer.observations?.actions) : pass ? available : [];
  return { answered: !!tasks, available, offered };
}

interface Reported { id?: unknown; status?: unknown; sha256?: unknown; size?: unknown }

/**
 * The attachments e-RS holds for the referral against what the PAS reported: each AVAILABLE one filed with exactly
 * e-RS's bytes (sha256), each other one not filed and shown with its availability, nothing filed that e-RS does not hold.
 */
export function filedAttachments(p: Performed, held: AttachmentFacts[]): { expected: string; actual: string; findings: string[] } {
  const expected = held.length
    ? held.map((a) => `${a.fileName} (${a.id}): ${a.availability === 'AVAILABLE' ? `filed, ${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…` : `not filed, shown as ${a.availability}`}`).join('; ')
    : 'e-RS holds no attachment for the referral';
  const pass = attestedPass(p);
  if (pass !== undefined) return { expected, actual: `witness: ${pass ? 'pass' : 'fail'}`, findings: pass ? [] : ['the witness did not see the attachments filed as expected'] };
  const reported = (Array.isArray(p.answer.observations?.attachments) ? p.answer.observations.attachments : []) as Reported[];
  const byId = new Map(reported.map((r) => [String(r.id), r]));
  const findings: string[] = [];
  if (held.length === 0) findings.push('e-RS holds no attachment for the referral, so nothing can be judged');
  for (const a of held) {
    const r = byId.get(a.id);
    if (!r) findings.push(`${a.fileName} (${a.id}) is not in the system's report`);
    else if (a.availability === 'AVAILABLE' && (r.status !== 'stored' || r.sha256 !== a.sha256)) findings.push(`${a.fileName} (${a.id}) was released but the system ${r.status === 'stored' ? `filed different bytes (sha256 ${String(r.sha256).slice(0, 12)}…)` : `reports it ${String(r.status)}`}`);
    else if (a.availability !== 'AVAILABLE' && r.status === 'stored') findings.push(`${a.fileName} (${a.id}) is ${a.availability} in e-RS but the system filed it as received`);
    else if (a.availability !== 'AVAILABLE' && r.status !== a.availability) findings.push(`${a.fileName} (${a.id}) is ${a.availability} in e-RS but the system shows it as ${String(r.status)}`);
  }
  for (const r of reported) if (r.status === 'stored' && !held.some((a) => a.id === String(r.id))) findings.push(`the system filed ${String(r.id)}, which e-RS does not hold for the referral`);
  const actual = reported.map((r) => `${String(r.id)}: ${String(r.status)}${r.status === 'stored' ? `, ${String(r.size)} bytes, sha256 ${String(r.sha256).slice(0, 12)}…` : ''}`).join('; ') || '(nothing reported)';
  return { expected, actual: findings.length ? `${actual} — ${findings.join('; ')}` : actual, findings };
}
