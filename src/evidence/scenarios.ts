// The scenarios the suite holds, read from the feature files the way cucumber reads them (one pickle per
// scenario or Examples row, with the tags of feature, rule, scenario and Examples block).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';

export interface ScenarioRef {
  /** Feature file path relative to the repo, e.g. features/referrals/A005-retrieve-referral-request.feature. */
  uri: string;
  /** Line of the scenario, or of the Examples row for an outline. */
  line: number;
  name: string;
  tags: string[];
}

export class FeatureParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureParseError';
  }
}

export function featureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? featureFiles(join(dir, e.name)) : e.name.endsWith('.feature') ? [join(dir, e.name)] : []))
    .sort();
}

/** Every scenario in the feature files under `featuresDir` (paths reported relative to `root`). */
export function readScenarios(featuresDir: string, root: string): ScenarioRef[] {
  const out: ScenarioRef[] = [];
  for (const file of featureFiles(featuresDir)) out.push(...scenariosOf(readFileSync(file, 'utf8'), relative(root, file)));
  return out;
}

export function scenariosOf(text: string, uri: string): ScenarioRef[] {
  const envelopes = generateMessages(text, uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includePickles: true,
    includeGherkinDocument: true,
    newId: IdGenerator.incrementing(),
  });
  const lines = new Map<string, number>();
  const out: ScenarioRef[] = [];
  for (const env of envelopes) {
    if (env.parseError) throw new FeatureParseError(`${uri}: ${env.parseError.message}`);
    const feature = env.gherkinDocument?.feature;
    if (feature) {
      const scenarios = feature.children.flatMap((c) => (c.scenario ? [c.scenario] : (c.rule?.children ?? []).flatMap((rc) => (rc.scenario ? [rc.scenario] : []))));
      for (const sc of scenarios) {
        lines.set(sc.id, sc.location.line);
        for (const ex of sc.examples) for (const row of ex.tableBody) lines.set(row.id, row.location.line);
      }
    }
    const p = env.pickle;
    if (p) out.push({ uri, line: lines.get(p.astNodeIds.at(-1) ?? '') ?? lines.get(p.astNodeIds[0] ?? '') ?? 0, name: p.name, tags: p.tags.map((t) => t.name) });
  }
  return out;
}

/** The @req=ID tags of a scenario, in order. */
export function requirementTags(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith('@req=')).map((t) => t.slice('@req='.length));
}
