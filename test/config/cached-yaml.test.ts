import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readYamlFile } from '../../src/config/cached-yaml.ts';
import { REPO_ROOT } from '../../src/evidence/manifest.ts';

// The shipped YAML (seed, validator policy) comes from a JSON cache keyed by content: the cached value must be
// exactly what parsing gives, a changed file must never get the old value, and a user's file is never cached.
const CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'ers-conformance', 'yaml');
const cacheFile = (text: string) => join(CACHE, `${createHash('sha256').update(text).digest('hex')}.json`);
const shipped = [
  ...readdirSync(join(REPO_ROOT, 'src/simulator/seed')).filter((f) => f.endsWith('.yaml')).map((f) => join(REPO_ROOT, 'src/simulator/seed', f)),
  ...readdirSync(join(REPO_ROOT, 'profiles')).filter((f) => f.endsWith('.yaml')).map((f) => join(REPO_ROOT, 'profiles', f)),
];

test('every shipped YAML file reads the same from the cache as from the parser', () => {
  for (const file of shipped) {
    const text = readFileSync(file, 'utf8');
    const first = readYamlFile(file);
    assert.deepEqual(first, parse(text), file);
    assert.ok(existsSync(cacheFile(text)), `${file} is cached`);
    assert.deepEqual(readYamlFile(file), parse(text), `${file} from the cache`);
  }
});

test('the cache is keyed by content, skips values JSON would change, and a broken entry is parsed again', () => {
  const dir = mkdtempSync(join(REPO_ROOT, '.ers-yaml-test-')); // inside the repository, outside node_modules: cached
  try {
    const file = join(dir, 'x.yaml');
    writeFileSync(file, 'a: 1\n');
    assert.deepEqual(readYamlFile(file), { a: 1 });
    assert.ok(existsSync(cacheFile('a: 1\n')), 'a file in the repository is cached');
    writeFileSync(file, 'a: 2\n');
    assert.deepEqual(readYamlFile(file), { a: 2 }, 'an edited file is parsed again');
    writeFileSync(file, 'a: .nan\n');
    assert.ok(Number.isNaN((readYamlFile(file) as { a: number }).a));
    assert.ok(!existsSync(cacheFile('a: .nan\n')), 'NaN would come back as null: not cached');
    writeFileSync(cacheFile('a: 2\n'), '{"a": 2'); // a half-written entry
    writeFileSync(file, 'a: 2\n');
    assert.deepEqual(readYamlFile(file), { a: 2 });
    assert.equal(readFileSync(cacheFile('a: 2\n'), 'utf8'), '{"a":2}', 'and written again whole');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file outside the repository (a user's) is parsed every time and never cached", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-yaml-'));
  try {
    const text = `user: ${Date.now()}\n`;
    writeFileSync(join(dir, 'u.yaml'), text);
    assert.deepEqual(readYamlFile(join(dir, 'u.yaml')), parse(text));
    assert.ok(!existsSync(cacheFile(text)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
