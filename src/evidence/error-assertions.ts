// A lint of the feature files: every scenario that asserts a documented error status names the answer it
// expects (its e-RS error code, or the code-less body), and names codes the catalogue pairs with that status.
// Which statuses have codes comes from requirements/ers-requirements.csv (generated from the catalogue), so that
// part needs no ../shared; whether a named code pairs with its status is judged as the steps judge it
// (src/ers/documented-errors.ts), and only when the catalogue is there.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import { codePairingProblem, type ErrorCatalogue } from '../ers/documented-errors.ts';
import type { Requirement } from './requirements.ts';
import { featureFiles, FeatureParseError, requirementTags } from './scenarios.ts';

const STATUS_STEP = /^the response status is (\d{3})$/;
/** Steps that assert a status and name its code in one. */
const STATUS_AND_CODE = [/^the response status is (\d{3}) with e-RS error code ([A-Z][A-Z0-9_]+)$/, /^the write made meanwhile got (\d{3}) with e-RS error code ([A-Z][A-Z0-9_]+)$/];
/** Steps that name the code of the answer whose status an earlier step asserted. */
const CODE_STEPS = [/^the response is an OperationOutcome with (?:issue type \S+ and )?e-RS error code ([A-Z][A-Z0-9_]+)$/, /^the response is an R4 OperationOutcome with issue type \S+ and code ([A-Z][A-Z0-9_]+)$/];
/** Steps that name the code-less answer (an empty or plain-text body, or a status the catalogue gives no code). */
const CODELESS_STEPS = [/^the response body is empty$/, /^the response Content-Type is "/, /^the response status is (\d{3}) with no documented error code$/];

interface Documented {
  /** `${operation} ${status}` -> the error codes documented for it */
  codes: Map<string, Set<string>>;
  /** `${operation} ${code}` -> the statuses it is documented under */
  statuses: Map<string, Set<number>>;
  /** requirement id -> (operation, status) */
  byId: Map<string, { operation: string; status: number }>;
}

function documented(requirements: readonly Requirement[]): Documented {
  const d: Documented = { codes: new Map(), statuses: new Map(), byId: new Map() };
  for (const r of requirements) {
    if (r.kind !== 'error-response' || !r.operation || !r.status) continue;
    const status = Number(r.status);
    d.byId.set(r.id, { operation: r.operation, status });
    const key = `${r.operation} ${status}`;
    if (!d.codes.has(key)) d.codes.set(key, new Set());
    if (!r.errorCode) continue;
    d.codes.get(key)!.add(r.errorCode);
    const byCode = `${r.operation} ${r.errorCode}`;
    d.statuses.set(byCode, (d.statuses.get(byCode) ?? new Set()).add(status));
  }
  return d;
}

/** Every problem in the feature files under `featuresDir`, as `path:line message` (paths relative to `root`). */
export function errorAssertionProblems(featuresDir: string, root: string, requirements: readonly Requirement[], catalogue?: ErrorCatalogue): string[] {
  const d = documented(requirements);
  return featureFiles(featuresDir).flatMap((file) => problemsOf(readFileSync(file, 'utf8'), relative(root, file), d, catalogue));
}

/** The problems of one feature file's text. */
export function featureErrorAssertionProblems(text: string, uri: string, requirements: readonly Requirement[], catalogue?: ErrorCatalogue): string[] {
  return problemsOf(text, uri, documented(requirements), catalogue);
}

function problemsOf(text: string, uri: string, d: Documented, catalogue: ErrorCatalogue | undefined): string[] {
  const lines = new Map<string, number>();
  const problems: string[] = [];
  for (const env of generateMessages(text, uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, { includePickles: true, includeGherkinDocument: true, includeSource: false, newId: IdGenerator.incrementing() })) {
    if (env.parseError) throw new FeatureParseError(`${uri}: ${env.parseError.message}`);
    const feature = env.gherkinDocument?.feature;
    if (feature) {
      const scenarios = [...feature.children.flatMap((c) => (c.rule ? c.rule.children : [c]))].flatMap((c) => [c.scenario, c.background]).filter((x) => !!x);
      for (const sc of scenarios) {
        for (const step of sc.steps) lines.set(step.id, step.location.line);
        for (const ex of 'examples' in sc ? sc.examples : []) for (const row of ex.tableBody) lines.set(row.id, row.location.line);
      }
    }
    const pickle = env.pickle;
    if (!pickle) continue;
    const tags = pickle.tags.map((t) => t.name);
    const steps = pickle.steps;
    const where = (i: number): string => {
      const ids = steps[i]!.astNodeIds;
      const row = ids.length > 1 ? lines.get(ids.at(-1)!) : undefined;
      return `${uri}:${lines.get(ids[0]!) ?? 0}${row ? ` (Examples row at line ${row})` : ''}`;
    };
    steps.forEach((step, i) => {
      let status: number | undefined;
      let named: string | undefined;
      let codeless = false;
      const both = STATUS_AND_CODE.map((re) => re.exec(step.text)).find(Boolean);
      if (both) [status, named] = [Number(both[1]), both[2]];
      else {
        const m = STATUS_STEP.exec(step.text) ?? /^the response status is (\d{3}) with no documented error code$/.exec(step.text);
        if (!m) return;
        status = Number(m[1]);
        codeless = /no documented error code$/.test(step.text);
        for (let j = i + 1; j < steps.length && steps[j]!.type !== 'Action' && !STATUS_STEP.test(steps[j]!.text); j++) {
          const code = CODE_STEPS.map((re) => re.exec(steps[j]!.text)?.[1]).find(Boolean);
          if (code) named ??= code;
          if (CODELESS_STEPS.some((re) => re.test(steps[j]!.text))) codeless = true;
        }
      }
      if (status < 400) return;
      const ops = operationsFor(tags, status, d);
      const documentedHere = ops.map((op) => ({ op, codes: d.codes.get(`${op} ${status}`) ?? new Set<string>() }));
      if (named) {
        if (!catalogue) return;
        const pairing = ops.map((op) => codePairingProblem(catalogue, op, status!, named!));
        if (pairing.length && pairing.every(Boolean)) problems.push(`${where(i)} "${pickle.name}" expects HTTP ${status} with ${named}: ${pairing.join('; ')}`);
        return;
      }
      if (codeless) {
        if (/no documented error code$/.test(step.text)) {
          const coded = documentedHere.filter((x) => x.codes.size);
          if (coded.length) problems.push(`${where(i)} "${pickle.name}" says HTTP ${status} has no documented error code, but the catalogue documents ${coded.map((x) => `${[...x.codes].join(', ')} for ${x.op}`).join('; ')}`);
        }
        return;
      }
      const coded = documentedHere.filter((x) => x.codes.size);
      if (coded.length) {
        problems.push(`${where(i)} "${pickle.name}" asserts HTTP ${status} without naming the answer; the catalogue documents ${coded.map((x) => `${[...x.codes].join(', ')} for ${x.op}`).join('; ')}: add "And the response is an OperationOutcome with e-RS error code …" (or "And the response body is empty" for a code-less answer)`);
      }
    });
  }
  return problems;
}

/** The operations a scenario's error status belongs to: its error-response @req tags of that status, else its @Axxx tags. */
function operationsFor(tags: readonly string[], status: number, d: Documented): string[] {
  const fromReq = [...new Set(requirementTags(tags).map((id) => d.byId.get(id)).filter((r) => r?.status === status).map((r) => r!.operation))];
  if (fromReq.length) return fromReq;
  return tags.map((t) => t.slice(1)).filter((t) => /^A\d{3}$/.test(t));
}
