// docs/int.md's example INT fixture file must stay usable: it parses, names only intents the
// scenarios know (those of the simulator's fixture file), and holds no secrets.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadFixtures } from '../../src/targets/fixtures.ts';

const doc = readFileSync(new URL('../../docs/int.md', import.meta.url), 'utf8');
const example = /```yaml\n(# int-fixtures\.yaml[\s\S]*?)```/.exec(doc)?.[1];
const simulator = parse(readFileSync(new URL('../../src/targets/fixtures/simulator.yaml', import.meta.url), 'utf8'));

function paths(node: unknown, prefix = ''): string[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

test('docs/int.md has an example fixture file that loads as the int target\'s fixtures', () => {
  assert.ok(example, 'docs/int.md has a ```yaml block starting "# int-fixtures.yaml"');
  const file = join(mkdtempSync(join(tmpdir(), 'ers-int-')), 'int-fixtures.yaml');
  writeFileSync(file, example);
  const fx = loadFixtures('int', file);
  assert.equal(fx.get<{ businessFunction: string }>('actors.REFERRING_CLINICIAN').businessFunction, 'REFERRING_CLINICIAN');
  assert.ok(fx.has('applications.provider'));
});

test('every intent in the example is one the scenarios know', () => {
  const known = new Set(paths(simulator));
  const knownPrefixes = (p: string) => [...known].some((k) => k === p || k.startsWith(`${p}.`));
  for (const p of paths(parse(example!))) assert.ok(knownPrefixes(p), `docs/int.md names intent "${p}", which simulator.yaml does not have (misspelt?)`);
});

test('the example holds no API keys or other secrets', () => {
  assert.doesNotMatch(example!, /apiKey|api_key|BEGIN .*PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}/);
});
