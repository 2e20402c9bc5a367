// Policy as data: profiles/policy.yaml (severities, operation -> profiles) and profiles/suppressions.yaml
// (known disagreements between published profiles and real e-RS payloads, each with a reason and evidence).
import { existsSync, readFileSync } from 'node:fs';
import { readYamlFile } from '../config/cached-yaml.ts';
import type { Finding, Severity } from './types.ts';

export interface Suppression {
  id: string;
  profile?: string;
  rule?: string;
  /** Glob over the finding path: `*` within a segment, `**` across segments, `[*]` any index, `{a,b}` either. */
  path?: string;
  /** Regular expression over the message. */
  message?: string;
  /** Only when validating for one of these targets (e.g. `sandbox`); such an entry never applies without a target. */
  targets?: string[];
  reason: string;
  evidence: string;
}

export interface OperationProfiles {
  request?: string[];
  responses?: Record<string, string[]>;
}

export interface Policy {
  severity: { base: Severity | 'keep'; profile: Severity | 'keep' };
  operations: Record<string, OperationProfiles>;
}

interface CompiledSuppression extends Suppression {
  pathRe?: RegExp;
  messageRe?: RegExp;
}

export class PolicyError extends Error {}

function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '{') {
      re += '(?:';
      inBraces = true;
    } else if (ch === '}' && inBraces) {
      re += ')';
      inBraces = false;
    } else if (ch === ',' && inBraces) re += '|';
    else if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^.]*';
    else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function loadSuppressions(file: string | undefined): CompiledSuppression[] {
  if (!file || !existsSync(file)) return [];
  let doc: unknown;
  try {
    doc = readYamlFile(file);
  } catch (e) {
    throw new PolicyError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  const list = (doc as { suppressions?: unknown[] } | null)?.suppressions ?? [];
  if (!Array.isArray(list)) throw new PolicyError(`${file}: 'suppressions' must be a list`);
  return list.map((raw, i) => {
    const s = raw as Suppression;
    const where = `${file}: suppression #${i + 1}${s?.id ? ` (${s.id})` : ''}`;
    if (!s || typeof s.id !== 'string') throw new PolicyError(`${where} needs an 'id'`);
    if (typeof s.reason !== 'string' || !s.reason.trim()) throw new PolicyError(`${where} needs a 'reason'`);
    if (typeof s.evidence !== 'string' || !s.evidence.trim()) throw new PolicyError(`${where} needs an 'evidence' reference`);
    if (!s.rule && !s.path && !s.message) throw new PolicyError(`${where} must match on at least one of rule, path, message`);
    if (s.targets !== undefined && (!Array.isArray(s.targets) || !s.targets.every((t) => typeof t === 'string'))) {
      throw new PolicyError(`${where}: targets must be a list of target names (simulator, sandbox, int, url)`);
    }
    const c: CompiledSuppression = { ...s };
    if (s.path) c.pathRe = globToRegExp(s.path);
    if (s.message) {
      try {
        c.messageRe = new RegExp(s.message);
      } catch (e) {
        throw new PolicyError(`${where}: message is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    return c;
  });
}

export function applySuppressions(findings: Finding[], list: CompiledSuppression[], target?: string): void {
  if (!list.length) return;
  for (const f of findings) {
    for (const s of list) {
      if (s.targets && !(target !== undefined && s.targets.includes(target))) continue;
      if (s.rule && s.rule !== f.rule) continue;
      if (s.profile && s.profile !== f.profile) continue;
      if (s.pathRe && !s.pathRe.test(f.path)) continue;
      if (s.messageRe && !s.messageRe.test(f.message)) continue;
      f.suppressedBy = s.id;
      break;
    }
  }
}

const DEFAULT_POLICY: Policy = { severity: { base: 'keep', profile: 'keep' }, operations: {} };

export function loadPolicy(file: string | undefined): Policy {
  if (!file || !existsSync(file)) return DEFAULT_POLICY;
  let doc: any;
  try {
    doc = readYamlFile(file);
  } catch (e) {
    throw new PolicyError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  const sev = doc?.severity ?? {};
  const ok = (v: unknown): v is Severity | 'keep' => v === 'keep' || v === 'error' || v === 'warning' || v === 'information';
  if (sev.base !== undefined && !ok(sev.base)) throw new PolicyError(`${file}: severity.base must be keep|error|warning|information`);
  if (sev.profile !== undefined && !ok(sev.profile)) throw new PolicyError(`${file}: severity.profile must be keep|error|warning|information`);
  return {
    severity: { base: sev.base ?? 'keep', profile: sev.profile ?? 'keep' },
    operations: (doc?.operations ?? {}) as Record<string, OperationProfiles>,
  };
}

/** Profiles for an operation's request, or its response with the given status (exact, then `4xx`-style, then `default`). */
export function profilesFor(policy: Policy, operation: string, direction: 'request' | 'response', status: number): string[] {
  const op = policy.operations[operation];
  if (!op) return [];
  if (direction === 'request') return op.request ?? [];
  const r = op.responses ?? {};
  return r[String(status)] ?? r[`${String(status)[0]}xx`] ?? r.default ?? [];
}

/** Applies the policy's severity mapping: profile findings vs base findings (errors only are remapped). */
export function applySeverity(findings: Finding[], policy: Policy): void {
  for (const f of findings) {
    const target = f.profile ? policy.severity.profile : policy.severity.base;
    if (target !== 'keep' && f.severity === 'error') f.severity = target;
  }
}
