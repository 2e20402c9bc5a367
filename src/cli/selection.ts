import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator, type GherkinDocument } from '@cucumber/messages';
import { OPERATIONS } from '../ers/operations.ts';
import { REPO_ROOT } from '../evidence/manifest.ts';
import { UsageError } from './args.ts';

// Which scenarios a run selects, beyond the tag expression: feature paths with lines
// (`features/…:LINE`), the failures of the last run (`--rerun`, cucumber's own rerun file), names
// (`--name REGEX`) and operations (`--operation A016`). Everything is checked before cucumber starts,
// because cucumber itself answers a mistyped line or path with a silent "0 scenarios".

export interface SelectionInput {
  positionals: string[];
  names: string[];
  operations: string[];
  rerun: boolean;
  failFast: boolean;
  tags: string;
  reportsDir: string;
  /** Where the user typed the command: paths are relative to it. */
  cwd: string;
}

export interface Selection {
  /** Feature paths for cucumber (relative to the repository when inside it); empty: the whole suite. */
  paths: string[];
  /** The tag expression with the --operation shorthand folded in. */
  tags: string;
  /** Further cucumber options (--name, --fail-fast). */
  cucumberArgs: string[];
  /** What the selection is, for the run's header line; undefined when only tags select. */
  description: string | undefined;
  /** --rerun with nothing recorded as failed: there is nothing to run. */
  nothingToRerun?: string;
}

/** The file cucumber's rerun formatter writes after every run: the scenarios that did not pass. */
export const RERUN_FILE = 'rerun.txt';

const MAX_NAME_PATTERN = 500;
const MAX_RERUN_BYTES = 1024 * 1024;

export function resolveSelection(input: SelectionInput): Selection {
  const cucumberArgs: string[] = [];
  const described: string[] = [];
  let paths: string[] = [];
  if (input.rerun && input.positionals.length) {
    throw new UsageError('--rerun runs the failures of the last run; it cannot be combined with feature paths');
  }
  if (input.rerun) {
    const rerun = readRerunFile(input.reportsDir);
    if (rerun.length === 0) {
      return { paths: [], tags: input.tags, cucumberArgs, description: undefined, nothingToRerun: `nothing to rerun: every scenario of the last run in ${shownPath(input.reportsDir, input.cwd)} passed or was skipped` };
    }
    paths = rerun;
    described.push(`rerun of ${rerun.length} location(s) that did not pass, from ${shownPath(join(input.reportsDir, RERUN_FILE), input.cwd)}`);
  }
  for (const arg of input.positionals) paths.push(featurePath(arg, input.cwd));
  if (input.positionals.length) described.push(paths.join(' '));

  for (const name of input.names) {
    if (name.length > MAX_NAME_PATTERN) throw new UsageError(`--name pattern is ${name.length} characters long; the limit is ${MAX_NAME_PATTERN}`);
    try {
      new RegExp(name);
    } catch (err) {
      throw new UsageError(`--name "${name}" is not a regular expression (${(err as Error).message}); e.g. --name "reads the .* reference set"`);
    }
    cucumberArgs.push('--name', name);
    described.push(`name ~ /${name}/`);
  }

  let tags = input.tags;
  const operations = input.operations.flatMap((o) => o.split(',')).map((o) => o.trim().toUpperCase()).filter(Boolean);
  if (operations.length) {
    const known = new Set(OPERATIONS.map((o) => o.activity));
    const unknown = operations.filter((o) => !known.has(o));
    if (unknown.length) {
      throw new UsageError(`--operation ${unknown.join(', ')}: not an e-RS operation id; known: ${[...known].sort().join(' ')}`);
    }
    const expr = operations.map((o) => `@${o}`).join(' or ');
    tags = `(${tags}) and (${expr})`;
    described.push(`operation ${operations.join(', ')}`);
  }
  if (input.failFast) {
    cucumberArgs.push('--fail-fast');
    described.push('stop at the first failure');
  }
  return { paths, tags, cucumberArgs, description: described.length ? described.join(' · ') : undefined };
}

function shownPath(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/** The rerun file's locations, each checked to exist (a feature changed since the run is named). */
function readRerunFile(reportsDir: string): string[] {
  const file = join(reportsDir, RERUN_FILE);
  if (!existsSync(file)) {
    throw new UsageError(`--rerun: ${file} does not exist; run the suite first (every run records its failures there), or check --reports`);
  }
  const size = statSync(file).size;
  if (size > MAX_RERUN_BYTES) throw new UsageError(`--rerun: ${file} is ${size} bytes, more than a rerun file can be (${MAX_RERUN_BYTES}); delete it and run the suite again`);
  // cucumber writes "features/a.feature:12:30" locations separated by newlines (or spaces).
  const locations = readFileSync(file, 'utf8').split(/\s+/).filter(Boolean);
  return locations.map((loc) => {
    try {
      return featurePath(loc, REPO_ROOT);
    } catch (err) {
      throw new UsageError(`--rerun: ${file} names ${loc}, which no longer matches the features (${(err as Error).message}); run the suite again`);
    }
  });
}

/**
 * `features/x.feature`, `features/x.feature:12:30` or a folder, resolved against the user's cwd and
 * checked: the file exists, is a feature, and every line is where a scenario, an outline or an
 * Examples row starts (cucumber silently selects nothing for any other line).
 */
export function featurePath(arg: string, cwd: string): string {
  const m = /^(.*?)((?::\d+)*)$/.exec(arg)!;
  const file = m[1]!;
  const lines = m[2] ? m[2].slice(1).split(':').map(Number) : [];
  const absolute = resolve(cwd, file);
  if (!existsSync(absolute)) throw new UsageError(`${file}: no such feature file or folder (paths are relative to ${cwd}); e.g. features/referrals/A005-retrieve-referral-request.feature:12`);
  const inRepo = relative(REPO_ROOT, absolute);
  const shown = inRepo && !inRepo.startsWith('..') && !isAbsolute(inRepo) ? inRepo : absolute;
  if (statSync(absolute).isDirectory()) {
    if (lines.length) throw new UsageError(`${arg}: a line number needs a feature file, not a folder`);
    return shown;
  }
  if (!absolute.endsWith('.feature')) throw new UsageError(`${file} is not a .feature file`);
  if (lines.length) {
    const starts = scenarioLines(readFileSync(absolute, 'utf8'), file);
    const wrong = lines.filter((l) => !starts.has(l));
    if (wrong.length) {
      const near = [...starts].sort((a, b) => a - b);
      throw new UsageError(`${file}: line ${wrong.join(', ')} does not start a scenario or an Examples row; lines that do: ${near.slice(0, 40).join(', ')}${near.length > 40 ? ' …' : ''}`);
    }
  }
  return shown + (lines.length ? `:${lines.join(':')}` : '');
}

/** The lines cucumber selects by in `file:LINE`: a scenario's or outline's first line, or an Examples row. */
export function scenarioLines(text: string, name: string): Set<number> {
  let doc: GherkinDocument;
  try {
    doc = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher()).parse(text);
  } catch (err) {
    throw new UsageError(`${name} is not valid Gherkin: ${(err as Error).message.split('\n')[0]}`);
  }
  const lines = new Set<number>();
  const feature = doc.feature;
  if (!feature) return lines;
  const visit = (children: NonNullable<GherkinDocument['feature']>['children']): void => {
    for (const child of children) {
      if (child.rule) visit(child.rule.children);
      const sc = child.scenario;
      if (!sc) continue;
      lines.add(sc.location.line);
      for (const ex of sc.examples) for (const row of ex.tableBody) lines.add(row.location.line);
    }
  };
  visit(feature.children);
  return lines;
}
