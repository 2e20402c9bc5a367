import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { errorCatalogue } from '../ers/documented-errors.ts';
import { errorAssertionProblems } from '../evidence/error-assertions.ts';
import { computeCoverage, coverageCsv, coverageJson, coverageText, totalsText, unknownRequirementTags, unknownScalReferences } from '../evidence/coverage.ts';
import { REPO_ROOT } from '../evidence/manifest.ts';
import { catalogueFile, CROSS_CUTTING_FILE, loadCrossCuttingRules, readCatalogue, REQUIREMENTS_FILE, SCAL_MAP_FILE } from '../evidence/requirement-sources.ts';
import { generateRequirements, loadRequirements, loadScalMap, requirementsToCsv } from '../evidence/requirements.ts';
import { readScenarios } from '../evidence/scenarios.ts';
import { badInputExit, parseArgs, UsageError } from './args.ts';

export const COVERAGE_USAGE = `Usage: ers-conformance coverage [--format text|json|csv] [--all] [--check]

Prints, per requirement in requirements/ers-requirements.csv (and each SCAL id in requirements/scal-map.csv),
the scenarios whose tags cover it, then totals: operations covered / 40, documented error responses covered,
requirements not testable and why. --all also lists requirements nothing covers.
--check fails (exit 1) when a scenario names an unknown requirement (@req=ID), the SCAL map names an unknown id,
the committed requirements CSV is stale against the e-RS API catalogue (checked when ../shared is present), or a
scenario asserts an error status without naming the answer the catalogue documents for it (its e-RS error code),
or names a code the catalogue does not pair with that status (checked when ../shared is present).`;

export async function coverageCommand(argv: string[]): Promise<number> {
  let format = 'text';
  let check = false;
  let all = false;
  try {
    const { flags, positionals } = parseArgs(argv, { value: ['--format'], boolean: ['--check', '--all', '--help'] });
    if (flags.has('--help')) {
      process.stdout.write(COVERAGE_USAGE + '\n');
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    format = flags.get('--format')?.at(-1) ?? 'text';
    if (!['text', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be text, json or csv, not "${format}"`);
    check = flags.has('--check');
    all = flags.has('--all');
  } catch (err) {
    return badInputExit('coverage', err, COVERAGE_USAGE);
  }

  const requirements = loadRequirements(REQUIREMENTS_FILE);
  const scal = loadScalMap(SCAL_MAP_FILE);
  const everything = readScenarios(join(REPO_ROOT, 'features'), REPO_ROOT);
  const selected = everything.filter((s) => !s.tags.includes('@wip'));
  const coverage = computeCoverage(requirements, selected, scal);

  if (format === 'json') process.stdout.write(coverageJson(coverage));
  else if (format === 'csv') process.stdout.write(coverageCsv(coverage));
  else if (!check) process.stdout.write(coverageText(coverage, { all }));
  if (!check) return 0;

  // --check: the traceability must be sound before anyone reads the totals.
  const problems = [...unknownRequirementTags(everything, requirements, scal), ...unknownScalReferences(scal, requirements)];
  const notes: string[] = [];
  const source = catalogueFile();
  problems.push(...errorAssertionProblems(join(REPO_ROOT, 'features'), REPO_ROOT, requirements, source ? errorCatalogue(source) : undefined));
  const csvName = relative(process.cwd(), REQUIREMENTS_FILE);
  if (source) {
    const fresh = requirementsToCsv(generateRequirements(readCatalogue(source), loadCrossCuttingRules(CROSS_CUTTING_FILE)));
    if (fresh !== readFileSync(REQUIREMENTS_FILE, 'utf8')) {
      problems.push(`${csvName} is stale against ${source}: run "node --import tsx scripts/generate-requirements.ts" and commit the result`);
    } else notes.push(`${csvName} matches the e-RS API catalogue (${source})`);
  } else {
    notes.push(`the e-RS API catalogue (../shared/ers-api/catalogue.json) is not here: scenario tags were checked against the committed ${csvName} only, and the error codes scenarios name were not checked against the statuses the catalogue pairs them with`);
  }
  if (!existsSync(SCAL_MAP_FILE)) notes.push(`no ${relative(process.cwd(), SCAL_MAP_FILE)}: no SCAL ids to check`);

  const out = format === 'text' ? process.stdout : process.stderr; // keep json/csv output machine-readable
  out.write(`Coverage check · ${requirements.length} requirements · ${selected.length} scenarios (${everything.length - selected.length} @wip not counted)\n`);
  for (const n of notes) out.write(`  note: ${n}\n`);
  out.write(totalsText(coverage.totals).join('\n') + '\n');
  if (problems.length) {
    out.write(`\n✘ ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  out.write('✔ every @req tag names a known requirement, the requirements are current, and every error status a scenario asserts names its documented answer\n');
  return 0;
}
