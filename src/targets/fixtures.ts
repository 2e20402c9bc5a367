import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { TargetName } from '../config/index.ts';
import { NotVerified } from '../evidence/outcome.ts';
import { cachedValidator } from '../config/cached-validator.ts';

/** Raised when the target's fixture file has no data for an intent: the scenario is not verified, with this reason. */
export class MissingIntentError extends NotVerified {
  constructor(readonly intent: string, readonly target: string, readonly file: string) {
    super(`the ${target} target has no data for intent "${intent}" (add it to ${file} to run this scenario)`);
    this.name = 'MissingIntentError';
  }
}

/** One problem in a fixture file: where it is, what is wrong, how to fix it. */
export interface FixtureProblem { key: string; line: number | undefined; problem: string; fix: string }

/** The fixture file cannot be used: every problem, each with key, line and fix. */
export class FixtureFileError extends Error {
  constructor(readonly file: string, readonly problems: FixtureProblem[]) {
    super(`fixture file ${file} is not valid:\n` + problems.map((p) => `  - ${p.key}${p.line ? ` (line ${p.line})` : ''}: ${p.problem}\n    fix: ${p.fix}`).join('\n'));
    this.name = 'FixtureFileError';
  }
}

export interface Fixtures {
  readonly file: string;
  /** The value for a dotted intent key, e.g. "referrals.unbooked"; throws MissingIntentError. */
  get<T = unknown>(intent: string): T;
  has(intent: string): boolean;
}

const BUILT_IN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** The schema of intents every fixture file is checked against (add new intents there). */
export const FIXTURES_SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures.schema.json');
/** A fixture file is a page of identifiers; anything this large is a mistake (or an attack on the parser). */
const MAX_FIXTURE_BYTES = 2 * 1024 * 1024;

/** The built-in fixture file for the simulator and the NHS sandbox; the user's file for int/url. */
export function fixtureFileFor(target: TargetName, configured: string | undefined): string {
  if (configured) return configured;
  if (target === 'simulator' || target === 'sandbox') return join(BUILT_IN_DIR, `${target}.yaml`);
  throw new Error(`the ${target} target needs ERS_FIXTURES (your test data by intent; see README)`);
}

let compiled: ReturnType<Ajv['compile']> | undefined;
function schemaValidator(): ReturnType<Ajv['compile']> {
  if (!compiled) {
    // compiled once per schema and kept in node_modules/.cache (src/config/cached-validator.ts)
    compiled = cachedValidator(JSON.parse(readFileSync(FIXTURES_SCHEMA_FILE, 'utf8')) as object, { allErrors: true, strict: false });
  }
  return compiled;
}

/** Parse and check a fixture file against the schema of intents; throws FixtureFileError naming every problem. */
export function readFixtureFile(file: string): Record<string, unknown> {
  const whole: FixtureProblem = { key: '(file)', line: undefined, problem: '', fix: '' };
  if (!existsSync(file)) throw new FixtureFileError(file, [{ ...whole, problem: 'the file does not exist', fix: 'create it or point ERS_FIXTURES / --fixtures at your fixture YAML' }]);
  if (statSync(file).size > MAX_FIXTURE_BYTES) throw new FixtureFileError(file, [{ ...whole, problem: `the file is larger than ${MAX_FIXTURE_BYTES} bytes`, fix: 'a fixture file names identifiers by intent; check you pointed at the right file' }]);
  const text = readFileSync(file, 'utf8');
  if (!text.trim()) throw new FixtureFileError(file, [{ ...whole, problem: 'the file is empty', fix: 'write a YAML mapping of intents (see src/targets/fixtures/simulator.yaml or docs/int.md)' }]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new FixtureFileError(file, doc.errors.slice(0, 10).map((e) => ({
      key: '(YAML syntax)',
      line: e.linePos?.[0]?.line ?? (e.pos?.[0] !== undefined ? lines.linePos(e.pos[0]).line : undefined),
      problem: e.message.split('\n')[0]!,
      fix: 'correct the YAML syntax at that line (indentation, a missing colon or an unclosed quote)',
    })));
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'a YAML list' : data === null ? 'empty' : `a single ${typeof data}`;
    throw new FixtureFileError(file, [{ key: '(document)', line: 1, problem: `the document is ${what}, not a mapping of intents`, fix: 'write sections such as "referrals:" with "unbooked: \'…\'" under them, not "- item" lines (see docs/int.md)' }]);
  }
  const validate = schemaValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).filter((e) => !(e.keyword === 'propertyNames')).map((e) => problemOf(e, doc.contents as YamlNode | null, lines));
    const seen = new Set<string>();
    throw new FixtureFileError(file, problems.filter((p) => (seen.has(p.key + p.problem) ? false : seen.add(p.key + p.problem))).slice(0, 20));
  }
  return data as Record<string, unknown>;
}

function problemOf(e: ErrorObject, root: YamlNode | null, lines: LineCounter): FixtureProblem {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
  const keyPath = extra !== undefined ? [...path, extra] : path;
  const key = keyPath.join('.') || '(document)';
  const line = lineOf(root, keyPath, lines);
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys(schemaAt(path)?.properties ?? {});
      const near = closest(extra!, known);
      return { key, line, problem: `"${extra}" is not an intent the scenarios know${path.length ? ` under ${path.join('.')}` : ''}`, fix: near ? `did you mean "${near}"? (known: ${known.join(', ')})` : `use one of: ${known.join(', ') || '(none)'}; a new intent is added in src/targets/fixtures.schema.json` };
    }
    case 'type':
      return { key, line, problem: `must be ${(e.params as { type: string }).type}`, fix: (e.params as { type: string }).type === 'string' ? 'quote the value (\'000000070000\'), so YAML keeps it as text and leading zeros survive' : `write ${key} as ${(e.params as { type: string }).type === 'object' ? 'a mapping (key: value lines)' : (e.params as { type: string }).type === 'array' ? 'a list' : (e.params as { type: string }).type}` };
    case 'required':
      return { key, line, problem: `is missing "${(e.params as { missingProperty: string }).missingProperty}"`, fix: `add ${(e.params as { missingProperty: string }).missingProperty}: under ${key}` };
    case 'minLength':
      return { key, line, problem: 'is empty', fix: 'give a value, or remove the key so scenarios needing it are reported as not verified' };
    default:
      return { key, line, problem: e.message ?? e.keyword, fix: `see src/targets/fixtures.schema.json for what ${key} may hold` };
  }
}

function schemaAt(path: string[]): { properties?: Record<string, unknown> } | undefined {
  let node = JSON.parse(readFileSync(FIXTURES_SCHEMA_FILE, 'utf8')) as { properties?: Record<string, unknown> };
  for (const p of path) {
    const next = node.properties?.[p] as typeof node | undefined;
    if (!next) return undefined;
    node = next;
  }
  return node;
}

function lineOf(root: YamlNode | null, path: string[], lines: LineCounter): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === part);
      if (!pair) break;
      const k = pair.key as YamlNode;
      if (k.range) line = lines.linePos(k.range[0]).line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)] as YamlNode | undefined;
      if (!item) break;
      if (item.range) line = lines.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  if (line === undefined && root && (root as YamlNode).range) line = lines.linePos((root as YamlNode).range![0]).line;
  return line;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function loadFixtures(target: TargetName, file: string): Fixtures {
  const data = readFixtureFile(file);
  const lookup = (intent: string): unknown =>
    intent.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), data);
  return {
    file,
    has: (intent) => lookup(intent) !== undefined && lookup(intent) !== null,
    get<T>(intent: string): T {
      const value = lookup(intent);
      if (value === undefined || value === null) throw new MissingIntentError(intent, target, file);
      return value as T;
    },
  };
}
