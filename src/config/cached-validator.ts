import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv as AjvClass, type Options, type ValidateFunction } from 'ajv';
import { keepInCache } from './cached-yaml.ts';

type Ajv = AjvClass;

// Compiling a JSON Schema with ajv costs about a quarter of a second of CPU for the fixture schema, at the start of
// every run. ajv can write a compiled validator out as a JavaScript module ("standalone code"); the module is kept in
// node_modules/.cache, keyed by the schema, the ajv options and ajv's version, so a process with a warm cache loads
// the validator instead of compiling it. A cache that cannot be read or written is simply not used.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'ers-conformance', 'ajv');
const require = createRequire(import.meta.url);

/**
 * The validator of `schema` compiled by an ajv made with `options` (and `plugins`, named by `pluginsTag` for the
 * cache key, e.g. "ajv-formats"), from the cache when the same schema, options and ajv were compiled before.
 */
export function cachedValidator(schema: object, options: Options, plugins: (ajv: Ajv) => Ajv = (ajv) => ajv, pluginsTag = ''): ValidateFunction {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([ajvVersion, pluginsTag, options, schema])).digest('hex');
  const file = join(CACHE_DIR, `${key}.cjs`);
  try {
    return require(file) as ValidateFunction;
  } catch {
    // not cached yet (or unreadable): compile, then keep it for the next process
  }
  const ajv = plugins(new AjvClass({ ...options, code: { ...options.code, source: true } }));
  const validate = ajv.compile(schema);
  try {
    // ajv's standalone module is CommonJS with its function as the default export
    const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: Ajv, validate: ValidateFunction) => string }).default;
    keepInCache(file, standaloneCode(ajv, validate));
  } catch {
    // a schema standalone code cannot express: compile every time
  }
  return validate;
}
