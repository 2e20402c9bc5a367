// Where requirement data lives: the committed CSVs under requirements/, and (for regeneration only)
// the e-RS API catalogue in ../shared, which the product never needs at run time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from './manifest.ts';
import type { Catalogue, CrossCuttingRule, RequirementKind } from './requirements.ts';

export const REQUIREMENTS_DIR = join(REPO_ROOT, 'requirements');
export const REQUIREMENTS_FILE = join(REQUIREMENTS_DIR, 'ers-requirements.csv');
export const SCAL_MAP_FILE = join(REQUIREMENTS_DIR, 'scal-map.csv');
export const CROSS_CUTTING_FILE = join(REQUIREMENTS_DIR, 'cross-cutting.yaml');

/** The catalogue beside the repo (../shared/ers-api/catalogue.json), or undefined when it is not there. */
export function catalogueFile(): string | undefined {
  const candidate = join(REPO_ROOT, '..', 'shared', 'ers-api', 'catalogue.json');
  return existsSync(candidate) ? candidate : undefined;
}

export function readCatalogue(file: string): Catalogue {
  const c = JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
  if (!Array.isArray(c.endpoints) || !c.meta?.counts) throw new Error(`${file} is not the e-RS API catalogue (no endpoints[] or meta.counts)`);
  return c;
}

const KINDS: RequirementKind[] = ['header', 'access-mode', 'error-shape', 'versioning', 'authentication', 'lifecycle', 'environment', 'supplier'];

export function loadCrossCuttingRules(file: string): CrossCuttingRule[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(doc)) throw new Error(`${file} must be a YAML list of rules`);
  return doc.map((raw, i) => {
    const r = raw as Partial<CrossCuttingRule>;
    for (const key of ['id', 'section', 'kind', 'statement'] as const) {
      if (typeof r[key] !== 'string' || !r[key]) throw new Error(`${file}: rule ${i + 1}${r.id ? ` (${r.id})` : ''} has no ${key}`);
    }
    if (!KINDS.includes(r.kind!)) throw new Error(`${file}: ${r.id} has kind "${r.kind}"; use one of ${KINDS.join(', ')}`);
    return r as CrossCuttingRule;
  });
}
