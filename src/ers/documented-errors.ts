// The documented error responses of every e-RS operation, read from the e-RS API catalogue beside the repo
// (../shared/ers-api/catalogue.json and, for the proxy's diagnostics, catalogue.md section 10.3), and the judge
// that holds an answer to them: the status and error code pair as the catalogue pairs them, the issue type it
// gives, the OperationOutcome shape of the operation's FHIR version (section 6) and the diagnostics' gist.
// Nothing here is copied from the catalogue: without it, errorCatalogue() is undefined and callers say so.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { catalogueFile, readCatalogue } from '../evidence/requirement-sources.ts';
import { ERS_API_ERROR_CODE_SYSTEM, ERS_OPERATION_OUTCOME_PROFILE } from './operations.ts';
import { asArray, asObject, metaProfiles, outcomeIssues, resourceType } from './read.ts';

export const R4_OPERATION_OUTCOME_PROFILE = 'https://fhir.nhs.uk/StructureDefinition/NHSDigital-OperationOutcome';

export interface DocumentedStatus {
  status: number;
  /** e-RS / NHS error codes the catalogue gives for this status of the operation */
  codes: string[];
  /** FHIR issue types the catalogue gives for this status (empty when it gives none) */
  issueTypes: string[];
  /** the catalogue's body: 'OperationOutcome', 'OperationOutcome|none', 'none', a media type, or null (no body documented) */
  body: string | null;
  /** a section 6 platform status (its codes mean the status itself) */
  generic: boolean;
  when: string;
}

export interface OperationErrors {
  fhirVersion: 'STU3' | 'R4';
  statuses: DocumentedStatus[];
}

/** One cell of catalogue 10.3: what the proxy answers in one situation, with its diagnostics when quoted. */
export interface Gist {
  fhirVersion: 'STU3' | 'R4';
  status: number;
  issueType?: string;
  code: string;
  texts: string[];
  situation: string;
}

export interface ErrorCatalogue {
  source: string;
  operations: Map<string, OperationErrors>;
  /** R4 error code -> the code systems that define it (catalogue codeSystems) */
  r4SystemsOf: Map<string, string[]>;
  r4Systems: Set<string>;
  gists: Gist[];
  /** section 9: what each code means */
  meanings: Record<string, string>;
  /** catalogue.md, when it was there to read section 10.3 from */
  gistSource?: string;
}

// The FHIR IssueType value set (STU3 and R4 share it): tells an issue type apart from other backticked words.
const ISSUE_TYPES = new Set([
  'invalid', 'structure', 'required', 'value', 'invariant', 'security', 'login', 'unknown', 'expired', 'forbidden',
  'suppressed', 'processing', 'not-supported', 'duplicate', 'multiple-matches', 'not-found', 'deleted', 'too-long',
  'code-invalid', 'extension', 'too-costly', 'business-rule', 'conflict', 'incomplete', 'transient', 'lock-error',
  'no-store', 'exception', 'timeout', 'throttled', 'informational',
]);

interface RawCatalogue {
  endpoints?: { opKey?: string; fhirVersion?: string | null; responses?: { status: number; errorCodes?: string[]; issueCodes?: string[]; resourceType?: string | null; generic?: boolean; when?: string }[] }[];
  codeSystems?: { url?: string; fhirVersion?: string; codes?: string[] }[];
  errorCodeMeanings?: Record<string, string>;
}

const cache = new Map<string, ErrorCatalogue>();

/** The catalogue beside the repo, parsed once per process; undefined when ../shared is not there. */
export function errorCatalogue(file: string | undefined = catalogueFile()): ErrorCatalogue | undefined {
  if (!file) return undefined;
  let cat = cache.get(file);
  if (!cat) {
    let raw: RawCatalogue;
    try {
      raw = readCatalogue(file) as RawCatalogue;
    } catch (e) {
      throw new Error(`the e-RS API catalogue ${file} could not be read (${(e as Error).message}); restore it, or move ../shared away to run without the catalogue checks`);
    }
    cat = parseErrorCatalogue(raw, file, readMarkdown(file));
    cache.set(file, cat);
  }
  return cat;
}

function readMarkdown(jsonFile: string): { file: string; text: string } | undefined {
  const md = join(dirname(jsonFile), 'catalogue.md');
  return existsSync(md) ? { file: md, text: readFileSync(md, 'utf8') } : undefined;
}

export function parseErrorCatalogue(raw: RawCatalogue, source: string, markdown?: { file: string; text: string }): ErrorCatalogue {
  if (!Array.isArray(raw.endpoints)) throw new Error(`${source} is not the e-RS API catalogue (no endpoints[])`);
  const operations = new Map<string, OperationErrors>();
  for (const ep of raw.endpoints) {
    if (!ep.opKey || (ep.fhirVersion !== 'STU3' && ep.fhirVersion !== 'R4')) continue; // platform endpoints answer OAuth JSON, not FHIR
    operations.set(ep.opKey, {
      fhirVersion: ep.fhirVersion,
      statuses: (ep.responses ?? []).filter((r) => r.status >= 400).map((r) => ({
        status: r.status, codes: r.errorCodes ?? [], issueTypes: r.issueCodes ?? [], body: r.resourceType ?? null, generic: !!r.generic, when: r.when ?? '',
      })),
    });
  }
  const r4SystemsOf = new Map<string, string[]>();
  const r4Systems = new Set<string>();
  for (const cs of raw.codeSystems ?? []) {
    if (!cs.url || !/\/CodeSystem\/(http-error-codes|NHSD-API-ErrorOrWarningCode|ers-error-codes)$/.test(cs.url)) continue;
    r4Systems.add(cs.url);
    for (const code of cs.codes ?? []) {
      const c = code.split(' ')[0]!; // 'SANDBOX_ERROR (sandbox only)'
      r4SystemsOf.set(c, [...(r4SystemsOf.get(c) ?? []), cs.url]);
    }
  }
  return { source, operations, r4SystemsOf, r4Systems, gists: markdown ? parseGists(markdown.text) : [], meanings: raw.errorCodeMeanings ?? {}, gistSource: markdown?.file };
}

/** Catalogue section 10.3, one Gist per STU3 or R4 cell that names an error code. */
export function parseGists(markdown: string): Gist[] {
  const start = markdown.search(/^###\s*10\.3\b/m);
  if (start < 0) return [];
  const lines = markdown.slice(start).split('\n').slice(1);
  const rows: string[] = [];
  for (const line of lines) {
    if (/^#/.test(line)) break;
    if (line.startsWith('|')) rows.push(line);
  }
  const out: Gist[] = [];
  for (const row of rows.slice(2)) { // header and separator
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 3) continue;
    const [situation, stu3, r4] = cells as [string, string, string];
    const stu3Texts = quoted(stu3);
    for (const [fhirVersion, cell] of [['STU3', stu3], ['R4', r4]] as const) {
      const status = /^(\d{3})\b/.exec(cell)?.[1];
      if (!status) continue;
      const ticks = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const codes = ticks.map((t) => t.split('#').at(-1)!).filter((t) => /^[A-Z][A-Z0-9_]+$/.test(t));
      if (codes.length !== 1) continue; // "403 `FORBIDDEN` or 422 `NO_RELATIONSHIP`" says nothing about one answer
      const issueType = ticks.find((t) => ISSUE_TYPES.has(t));
      const texts = fhirVersion === 'R4' && /\bsame (diagnostics|text)\b/i.test(cell) ? stu3Texts : quoted(cell);
      out.push({ fhirVersion, status: Number(status), issueType, code: codes[0]!, texts, situation });
    }
  }
  return out;
}

function quoted(cell: string): string[] {
  // quoted diagnostics, not the WWW-Authenticate text the 401 rows also quote
  return [...cell.matchAll(/"([^"]+)"/g)].filter((m) => !/WWW-Authenticate[^"]*$/i.test(cell.slice(0, m.index))).map((m) => m[1]!);
}

/** The proxy's own answers (10.3) for a status on this FHIR version's paths: they apply to every operation behind it. */
function proxyCodes(cat: ErrorCatalogue, fhirVersion: 'STU3' | 'R4', status: number): string[] {
  return cat.gists.filter((g) => g.fhirVersion === fhirVersion && g.status === status).map((g) => g.code);
}

/** The answers the catalogue documents for one status of an operation: its codes, and whether a code-less answer is one. */
export function documentedVariants(cat: ErrorCatalogue, operation: string, status: number): { codes: string[]; uncoded: boolean; documented: boolean } {
  const op = cat.operations.get(operation);
  const rows = op?.statuses.filter((s) => s.status === status) ?? [];
  const codes = [...new Set([...rows.flatMap((r) => r.codes), ...(rows.length && op ? proxyCodes(cat, op.fhirVersion, status) : [])])];
  const uncoded = rows.length === 0 || rows.some((r) => r.codes.length === 0 || r.body !== 'OperationOutcome' || /empty body/i.test(r.when));
  return { codes, uncoded, documented: rows.length > 0 };
}

/**
 * Why this code is not the catalogue's answer for this status of the operation, or undefined when it may be.
 * Where the catalogue documents an OperationOutcome with codes, only those (and the proxy's own, 10.3) are right;
 * where it documents no body or an optional one, a code is wrong only when it is another platform status's answer
 * (section 6: FORBIDDEN is 403, SYSTEM_UNAVAILABLE is 503, ...).
 */
export function codePairingProblem(cat: ErrorCatalogue, operation: string, status: number, code: string): string | undefined {
  const op = cat.operations.get(operation);
  if (!op) return undefined;
  const rows = op.statuses.filter((s) => s.status === status);
  const { codes } = documentedVariants(cat, operation, status);
  if (codes.includes(code)) return undefined;
  const strict = rows.length > 0 && rows.every((r) => r.body === 'OperationOutcome') && codes.length > 0;
  if (strict) return `HTTP ${status} from ${operation} names ${code}; the catalogue documents HTTP ${status} of ${operation} with ${codes.join(', ')}${elsewhere(op, status, code)}`;
  // 400 is the generic bad request: its code (MISSING_HEADER) may say what a more specific 4xx (412: If-Match missing) lacked
  const platform = [...new Set(op.statuses.filter((s) => s.generic && s.status !== status && s.codes.includes(code) && !(s.status === 400 && status < 500)).map((s) => s.status))];
  if (platform.length) return `HTTP ${status} from ${operation} names ${code}, which the catalogue gives as the HTTP ${platform.join('/')} answer of ${operation} (sections 6 and 9), not HTTP ${status}`;
  return undefined;
}

/** The issue types the catalogue gives for this status and code of an operation; [] when it gives none. */
export function documentedIssueTypes(cat: ErrorCatalogue, operation: string, status: number, code: string): string[] {
  const op = cat.operations.get(operation);
  if (!op) return [];
  const rows = op.statuses.filter((s) => s.status === status && s.codes.includes(code));
  const listed = [...new Set(rows.flatMap((r) => r.issueTypes))];
  if (listed.length) return listed;
  const proxy = [...new Set(cat.gists.filter((g) => g.fhirVersion === op.fhirVersion && g.status === status && g.code === code && g.issueType).map((g) => g.issueType!))];
  if (proxy.length) return proxy;
  // a one-code row may say it in words: "-> 400, issue.code=required, code MISSING_HEADER", "(issue.code invalid)"
  const said = rows.filter((r) => r.codes.length === 1).flatMap((r) => [...r.when.matchAll(/issue\.code\s*[= ]\s*([a-z][a-z-]*)/g)]
    .filter((m) => !/sandbox[^;.]*$/i.test(r.when.slice(0, m.index)))
    .map((m) => m[1]!)
    .filter((t) => ISSUE_TYPES.has(t)));
  return [...new Set(said)];
}

export interface ErrorAnswer {
  operation: string | undefined;
  /** HEAD answers carry no body (RFC 9110), so only their status is judged */
  method?: string;
  status: number;
  json: unknown;
  text: string;
}

export interface ErrorExpectation {
  /** the e-RS error code the scenario names, if it names one */
  code?: string;
  /** the issue type the scenario names, if it names one */
  issueType?: string;
  /** skip the diagnostics gist (the NHS sandbox answers fixed example files with placeholder diagnostics) */
  skipGist?: boolean;
}

/**
 * Everything about an error answer that disagrees with the catalogue, one sentence each; [] when it agrees or
 * when the catalogue says nothing about the operation. The scenario's own expectation (status, code, issue
 * type) is the caller's to assert; this judges what the scenario did not say.
 */
export function errorResponseProblems(cat: ErrorCatalogue, answer: ErrorAnswer, expect: ErrorExpectation = {}): string[] {
  const op = answer.operation ? cat.operations.get(answer.operation) : undefined;
  if (!op || answer.status < 400 || answer.method === 'HEAD') return [];
  const name = answer.operation!;
  const { status } = answer;
  const variants = documentedVariants(cat, name, status);
  const problems: string[] = [];
  if (resourceType(answer.json) !== 'OperationOutcome') {
    const only = !variants.uncoded && variants.codes.length === 1 ? variants.codes[0] : expect.code;
    if (only) problems.push(`HTTP ${status} from ${name} is documented as an OperationOutcome naming ${only}, but the body is ${answer.text.trim() ? `not one: "${answer.text.slice(0, 120)}"` : 'empty'}`);
    return problems;
  }
  problems.push(...shapeProblems(cat, op.fhirVersion, answer.json));
  const issues = outcomeIssues(answer.json);
  const issue = expect.code ? issues.find((i) => i.errorCode === expect.code) : issues[0];
  if (!issue) return problems;
  const code = issue.errorCode;
  if (!code) {
    problems.push(`the OperationOutcome's issue has no details.coding code: the catalogue documents ${variants.codes.length ? variants.codes.join(', ') : 'an error code'} for HTTP ${status} of ${name}`);
    return problems;
  }
  if (!variants.uncoded && variants.codes.length === 1 && code !== variants.codes[0]) {
    problems.push(`HTTP ${status} from ${name} names ${code}; the catalogue documents only ${variants.codes[0]} for it`);
  } else {
    const pairing = codePairingProblem(cat, name, status, code);
    if (pairing) problems.push(pairing);
  }
  const types = documentedIssueTypes(cat, name, status, code);
  if (types.length && !types.includes(issue.code ?? '')) {
    problems.push(`${code} at HTTP ${status} from ${name} has issue type "${issue.code ?? '(none)'}"; the catalogue gives ${types.map((t) => `"${t}"`).join(' or ')}`);
  }
  if (!expect.skipGist) {
    const gist = gistProblem(cat, op.fhirVersion, status, issue.code, code, issue.diagnostics);
    if (gist) problems.push(gist);
  }
  return problems;
}

/**
 * The diagnostics against 10.3. A code only the proxy raises (section 9 says so) has every situation in 10.3, so its
 * diagnostics must carry one of their texts; any other code's must not carry the text of a different situation.
 */
function gistProblem(cat: ErrorCatalogue, fhirVersion: 'STU3' | 'R4', status: number, issueType: string | undefined, code: string, diagnostics: string | undefined): string | undefined {
  const ofVersion = cat.gists.filter((g) => g.fhirVersion === fhirVersion);
  const own = ofVersion.filter((g) => g.status === status && g.code === code && (!g.issueType || g.issueType === issueType));
  const texts = [...new Set(own.flatMap((g) => g.texts))];
  if (texts.some((t) => sameGist(diagnostics, t))) return undefined;
  const proxyOnly = /\b(proxy|APIM)\b/.test(cat.meanings[code] ?? '');
  if (proxyOnly && own.length && own.every((g) => g.texts.length)) {
    return `the diagnostics of ${code} at HTTP ${status} read ${diagnostics === undefined ? '(none)' : `"${diagnostics}"`}; the catalogue (10.3) gives ${texts.map((t) => `"${t}"`).join(' or ')}`;
  }
  const other = ofVersion.find((g) => !own.includes(g) && g.texts.some((t) => sameGist(diagnostics, t)));
  if (other) return `the diagnostics of ${code} at HTTP ${status} read "${diagnostics}", which the catalogue (10.3) gives for another answer: HTTP ${other.status} ${other.issueType ?? ''} ${other.code} (${other.situation})`.replace(/\s+/g, ' ');
  return undefined;
}

function elsewhere(op: OperationErrors, status: number, code: string): string {
  const at = op.statuses.filter((s) => s.status !== status && s.codes.includes(code)).map((s) => s.status);
  return at.length ? ` (it documents ${code} under HTTP ${[...new Set(at)].join('/')})` : ` (it does not document ${code} for this operation at all)`;
}

/** Section 6: the OperationOutcome shape of the FHIR version the path names. */
function shapeProblems(cat: ErrorCatalogue, version: 'STU3' | 'R4', body: unknown): string[] {
  const problems: string[] = [];
  const profiles = metaProfiles(body);
  const issues = asArray(asObject(body)?.issue).map(asObject);
  if (!issues.length) problems.push('the OperationOutcome has no issue');
  if (version === 'STU3') {
    if (!profiles.includes(ERS_OPERATION_OUTCOME_PROFILE)) problems.push(`an STU3 OperationOutcome claims meta.profile ${ERS_OPERATION_OUTCOME_PROFILE} (section 6); it claims [${profiles.join(', ')}]`);
  } else {
    if (profiles.includes(ERS_OPERATION_OUTCOME_PROFILE)) problems.push(`an R4 endpoint answered the STU3 OperationOutcome profile ${ERS_OPERATION_OUTCOME_PROFILE}; R4 answers are NHSDigital-OperationOutcome (section 6)`);
    const lastUpdated = asObject(asObject(body)?.meta)?.lastUpdated;
    if (typeof lastUpdated !== 'string' || Number.isNaN(Date.parse(lastUpdated))) problems.push(`an R4 OperationOutcome carries meta.lastUpdated (section 6); it has ${JSON.stringify(lastUpdated) ?? 'none'}`);
  }
  issues.forEach((issue, i) => {
    if (issue?.severity !== 'error') problems.push(`issue[${i}].severity is ${JSON.stringify(issue?.severity)}, expected "error"`);
    for (const coding of asArray(asObject(issue?.details)?.coding).map(asObject)) {
      const system = coding?.system as string | undefined;
      const code = coding?.code as string | undefined;
      if (version === 'STU3' && system !== ERS_API_ERROR_CODE_SYSTEM) {
        problems.push(`issue[${i}] coding ${code} uses system ${system ?? '(none)'}; STU3 error codes use ${ERS_API_ERROR_CODE_SYSTEM} (section 6)`);
      } else if (version === 'R4') {
        const defining = code ? cat.r4SystemsOf.get(code) : undefined;
        if (!system || !cat.r4Systems.has(system)) problems.push(`issue[${i}] coding ${code} uses system ${system ?? '(none)'}; R4 error codes use ${[...cat.r4Systems].join(', ')} (section 6)`);
        else if (defining && !defining.includes(system)) problems.push(`issue[${i}] coding ${code} uses system ${system}; the catalogue defines ${code} in ${defining.join(', ')}`);
      }
    }
  });
  return problems;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[‘’`]/g, "'").replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
}

/** Same gist: the answer's diagnostics carry the documented text's first sentence. */
function sameGist(diagnostics: string | undefined, documented: string): boolean {
  if (!diagnostics) return false;
  const first = norm(documented.split(/\.\s/)[0] ?? documented);
  return norm(diagnostics).includes(first);
}
