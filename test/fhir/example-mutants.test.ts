// Single-fault mutants of the e-RS examples (issue 13, "Checked by"): every mutant must get a new error at the element
// it changed; at least 99.5% overall, and every kind of fault represented.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../src/fhir/definitions.ts';
import { createValidator } from '../../src/fhir/index.ts';
import { atElement, mutantsOf, type MutantKind } from './example-mutants.ts';

const EXAMPLES = join(resolve(REPO_ROOT, '..', 'shared'), 'ers-api', 'examples');
const SKIP = existsSync(join(EXAMPLES, 'INDEX.json')) ? false : `${EXAMPLES}/INDEX.json is absent (the shared e-RS examples are not on this machine)`;

test('single-fault mutants of the e-RS examples: at least 99.5% caught, each at the mutated element', { skip: SKIP }, async () => {
  const v = await createValidator({ onlyPackagePaths: true, packagePaths: [] });
  const index = JSON.parse(readFileSync(join(EXAMPLES, 'INDEX.json'), 'utf8')) as { files: { file: string; fhirVersion: string | null }[] };
  const perKind = new Map<MutantKind, { caught: number; total: number }>();
  const missed: string[] = [];
  let total = 0;
  for (const f of index.files) {
    if (!f.file.endsWith('.json')) continue;
    const version = f.fhirVersion?.startsWith('3') ? 'STU3' : 'R4';
    const body = JSON.parse(readFileSync(join(EXAMPLES, f.file), 'utf8'));
    const key = (x: { rule: string; path: string; message: string }) => `${x.rule}|${x.path}|${x.message}`;
    const before = new Set(v.validate(body, { fhirVersion: version, claimedProfiles: false }).findings.filter((x) => x.severity === 'error').map(key));
    for (const m of mutantsOf(body, version, 2)) {
      total++;
      const r = v.validate(m.resource, { fhirVersion: version, claimedProfiles: false });
      const ok = r.findings.some((x) => x.severity === 'error' && !before.has(key(x)) && atElement(x.path, m.path));
      const s = perKind.get(m.kind) ?? { caught: 0, total: 0 };
      s.total++;
      if (ok) s.caught++;
      else missed.push(`${f.file}: ${m.kind} at ${m.path}`);
      perKind.set(m.kind, s);
    }
  }
  const kinds: MutantKind[] = ['missing required element', 'bad required code', 'unknown element', 'wrong JSON type', 'bad instant',
    'array given as single', 'single given as array', 'extension without url', 'narrative not XHTML', 'narrative without XHTML namespace',
    'narrative with a disallowed element', 'invalid id', 'empty string'];
  for (const k of kinds) assert.ok((perKind.get(k)?.total ?? 0) >= 20, `too few '${k}' mutants: ${perKind.get(k)?.total ?? 0}`);
  const caught = total - missed.length;
  assert.ok(total > 2000, `expected thousands of mutants, made ${total}`);
  assert.ok(caught / total >= 0.995, `caught ${caught}/${total}; missed:\n${missed.slice(0, 30).join('\n')}`);
});
