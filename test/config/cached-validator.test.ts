import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { cachedValidator } from '../../src/config/cached-validator.ts';

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/ers-conformance/ajv/', import.meta.url));

test('a compiled schema is kept as standalone code and, loaded back, reports exactly what ajv reports', (t) => {
  const schema = { $comment: randomUUID(), type: 'object', additionalProperties: false, properties: { a: { type: 'string', minLength: 2 } }, required: ['a'] };
  const before = new Set(existsSync(CACHE) ? readdirSync(CACHE) : []);
  const first = cachedValidator(schema, { allErrors: true, strict: false });
  const written = readdirSync(CACHE).filter((f) => !before.has(f));
  assert.equal(written.length, 1, 'the compiled validator was written to the cache');
  t.after(() => rmSync(join(CACHE, written[0]!), { force: true }));
  const second = cachedValidator(schema, { allErrors: true, strict: false });
  const plain = new Ajv({ allErrors: true, strict: false }).compile(schema);
  for (const value of [{ a: 'ok' }, { a: 'x', b: 1 }, {}, [], { a: 3 }]) {
    const expected = [plain(value), plain.errors];
    assert.deepEqual([first(value), first.errors], expected, JSON.stringify(value));
    assert.deepEqual([second(value), second.errors], expected, `${JSON.stringify(value)} (from the cache)`);
  }
});

test('a damaged cache file is compiled afresh and replaced', (t) => {
  const schema = { $comment: randomUUID(), type: 'integer' };
  const listing = (): string[] => (existsSync(CACHE) ? readdirSync(CACHE) : []);
  const before = new Set(listing());
  cachedValidator(schema, {});
  const file = listing().find((f) => !before.has(f));
  assert.ok(file, 'the validator was cached');
  t.after(() => rmSync(join(CACHE, file), { force: true }));
  writeFileSync(join(CACHE, file), 'this is not JavaScript {');
  const validate = cachedValidator(schema, {});
  assert.equal(validate(3), true);
  assert.equal(validate('3'), false);
  assert.match(readFileSync(join(CACHE, file), 'utf8'), /validate/, 'the damaged file was written again');
});
