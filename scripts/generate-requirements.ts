// Regenerate requirements/ers-requirements.csv from the e-RS API catalogue (../shared/ers-api/catalogue.json)
// and requirements/cross-cutting.yaml. Run after either changes; `ers-conformance coverage --check` fails
// while the committed file differs from what this writes.
// Usage: node --import tsx scripts/generate-requirements.ts [--catalogue FILE] [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { catalogueFile, loadCrossCuttingRules, readCatalogue, REQUIREMENTS_FILE, CROSS_CUTTING_FILE } from '../src/evidence/requirement-sources.ts';
import { generateRequirements, requirementsToCsv } from '../src/evidence/requirements.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--catalogue');
const source = at >= 0 ? args[at + 1] : catalogueFile();
if (!source) {
  console.error('generate-requirements: the e-RS API catalogue was not found; pass --catalogue path/to/catalogue.json or put ../shared beside the repo');
  process.exit(2);
}
const rows = generateRequirements(readCatalogue(source), loadCrossCuttingRules(CROSS_CUTTING_FILE));
const csv = requirementsToCsv(rows);
if (args.includes('--check')) {
  const same = readFileSync(REQUIREMENTS_FILE, 'utf8') === csv;
  console.log(same ? `${relative(process.cwd(), REQUIREMENTS_FILE)} is up to date (${rows.length} requirements)` : `${relative(process.cwd(), REQUIREMENTS_FILE)} is stale`);
  process.exit(same ? 0 : 1);
}
writeFileSync(REQUIREMENTS_FILE, csv);
const byKind = new Map<string, number>();
for (const r of rows) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
console.log(`wrote ${relative(process.cwd(), REQUIREMENTS_FILE)}: ${rows.length} requirements (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}) from ${source}`);
