import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The YAML files the harness ships (simulator seed, validator policy and suppressions) are parsed at the start
// of every process that runs scenarios; the `yaml` parser spends about a quarter of a second of CPU on them
// before it is warm. Their parsed form is kept as JSON in node_modules/.cache, keyed by the file's content, so
// a process with a warm cache neither loads the parser nor parses. Only files inside the repository are cached
// (a user's file is parsed as it is, every time); a cache that cannot be read or written is simply not used.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'ers-conformance', 'yaml');
const require = createRequire(import.meta.url);

/** Parse a YAML file; one inside the repository comes from the cache when its content has been parsed before. */
export function readYamlFile(file: string | URL): unknown {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const text = readFileSync(path, 'utf8');
  const inRepo = relative(REPO_ROOT, path);
  if (!inRepo || inRepo.startsWith('..') || isAbsolute(inRepo) || inRepo.startsWith('node_modules')) return parseYaml(text);
  const cached = join(CACHE_DIR, `${createHash('sha256').update(text).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as unknown;
  } catch {
    // not cached yet (or unreadable): parse, then keep it for the next process
  }
  const value = parseYaml(text);
  const json = JSON.stringify(value);
  // Only values that survive JSON unchanged are cached (no NaN, Infinity or dates).
  if (json !== undefined && sameAfterJson(value, JSON.parse(json))) {
    keepInCache(cached, json); // a read-only checkout: parse every time
  }
  return value;
}

/**
 * Write a cache file whole or not at all (written aside, then renamed: processes starting together never read half
 * a file). A cache that cannot be written is not an error: the caller does the work again next time.
 */
export function keepInCache(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const scratch = `${file}.${process.pid}.tmp`;
    writeFileSync(scratch, text);
    renameSync(scratch, file);
  } catch {
    // read-only or full: not cached
  }
}

function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}

function sameAfterJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameAfterJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
