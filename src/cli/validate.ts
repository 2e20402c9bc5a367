// `ers-conformance validate`: validates FHIR JSON files (or folders of them) and prints findings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createValidator, PolicyError, type Finding, type FhirVersion, type ValidationResult } from '../fhir/index.ts';

const USAGE = `Usage: ers-conformance validate [--fhir-version stu3|r4|auto] [--profile URL]... [--packages DIR]...
                                [--format text|json] [--min-severity error|warning|information] PATH...
Validates FHIR JSON resources (files, or folders of .json files) against the core STU3/R4 definitions,
the profiles they claim in meta.profile and any --profile given. Results are printed file by file as
they are validated. JSON that is not a FHIR resource (no resourceType) is reported as such (a warning).
  --min-severity LEVEL   show only findings at LEVEL or above (default information: everything);
                         the exit status and the closing counts still cover every finding
Exit status: 0 no unsuppressed errors, 1 unsuppressed errors, 2 bad usage.`;

type MinSeverity = 'error' | 'warning' | 'information';
const RANK: Record<string, number> = { information: 0, warning: 1, error: 2 };

interface Args {
  version: FhirVersion | 'auto';
  profiles: string[];
  packages: string[];
  format: 'text' | 'json';
  minSeverity: MinSeverity;
  paths: string[];
}

class UsageError extends Error {}
class HelpRequested extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { version: 'auto', profiles: [], packages: [], format: 'text', minSeverity: 'information', paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--fhir-version': {
        const v = value().toLowerCase();
        if (v === 'stu3') a.version = 'STU3';
        else if (v === 'r4') a.version = 'R4';
        else if (v === 'auto') a.version = 'auto';
        else throw new UsageError(`--fhir-version must be stu3, r4 or auto (got '${v}')`);
        break;
      }
      case '--profile': a.profiles.push(value()); break;
      case '--packages': a.packages.push(value()); break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json (got '${v}')`);
        a.format = v;
        break;
      }
      case '--min-severity': {
        const v = value().toLowerCase();
        if (v !== 'error' && v !== 'warning' && v !== 'information') throw new UsageError(`--min-severity must be error, warning or information (got '${v}')`);
        a.minSeverity = v;
        break;
      }
      case '-h': case '--help': throw new HelpRequested();
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        a.paths.push(arg);
    }
  }
  if (!a.paths.length) throw new UsageError('give at least one file or folder to validate');
  return a;
}

function collectFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const child = join(p, name);
        let dir = false;
        try {
          dir = statSync(child).isDirectory();
        } catch {
          // a dangling link: listed, so the report says it cannot be read
        }
        if (dir) walk(child);
        else if (name.endsWith('.json')) files.push(child);
      }
    } else files.push(p);
  };
  for (const p of paths) {
    if (!existsSync(p)) missing.push(p);
    else walk(p);
  }
  return { files, missing };
}

interface FileReport {
  file: string;
  resourceType?: string;
  fhirVersion?: FhirVersion;
  profiles: string[];
  findings: Finding[];
}

export async function validateCommand(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof HelpRequested) {
      out(USAGE);
      return 0;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ers-conformance validate: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const { files, missing } = collectFiles(args.paths);
  if (missing.length) {
    for (const m of missing) process.stderr.write(`ers-conformance validate: ${resolve(m)} does not exist; check the path (files or folders of .json)\n`);
    return 2;
  }
  for (const p of args.packages) {
    if (!existsSync(p)) {
      process.stderr.write(`ers-conformance validate: --packages ${p} does not exist; give a folder holding <name>#<version>/package/ or .tgz packages\n`);
      return 2;
    }
  }
  let validator;
  try {
    validator = await createValidator({ packagePaths: args.packages });
  } catch (e) {
    if (e instanceof PolicyError) {
      process.stderr.write(`ers-conformance validate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const min = RANK[args.minSeverity]!;
  const shown = (f: Finding) => RANK[f.severity]! >= min;
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  let hidden = 0;
  let n = 0;
  if (args.format === 'json') out('{\n  "files": [');
  // One file at a time: read, validate, print, forget (a folder of large files never sits in memory at once).
  for (const file of files) {
    const rep = validateFile(file, (body) => validator.validate(body, { fhirVersion: args.version, profiles: args.profiles }));
    for (const f of rep.findings) {
      if (f.suppressedBy) suppressed++;
      else if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
    const visible = rep.findings.filter(shown);
    hidden += rep.findings.length - visible.length;
    if (args.format === 'json') {
      const text = JSON.stringify({ ...rep, findings: visible }, null, 2).replace(/\n/g, '\n    ');
      out(`${n ? ',' : ''}    ${text}`);
    } else {
      const unsuppressed = visible.filter((f) => !f.suppressedBy);
      const nSuppressed = rep.findings.filter((f) => f.suppressedBy).length;
      const head = `${rep.file}: ${rep.resourceType ?? '?'} (${rep.fhirVersion ?? '?'})`;
      out(unsuppressed.length ? head : `${head} OK${nSuppressed ? ` (${nSuppressed} suppressed)` : ''}`);
      for (const f of unsuppressed) {
        out(`  ${f.severity.padEnd(11)} ${f.rule.padEnd(20)} ${f.path}  ${f.message}${f.profile ? `  [${f.profile}]` : ''}`);
      }
    }
    n++;
  }
  const note = hidden ? `, ${hidden} below --min-severity ${args.minSeverity} not shown` : '';
  if (args.format === 'json') {
    const summary = { files: n, errors, warnings, suppressed, minSeverity: args.minSeverity, notShown: hidden };
    out(`  ],\n  "summary": ${JSON.stringify(summary)}\n}`);
  } else {
    out(`${n} file(s): ${errors} error(s), ${warnings} warning(s), ${suppressed} suppressed${note}`);
  }
  return errors > 0 ? 1 : 0;
}

/** Reads and validates one file; every problem with the file becomes a finding of that file, never an exception. */
function validateFile(file: string, validate: (body: unknown) => ValidationResult): FileReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const f: Finding = { severity: 'error', rule: 'file', path: '', message: `${file} cannot be read (${(e as Error).message}); check the file and its permissions` };
    return { file, profiles: [], findings: [f] };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    const f: Finding = {
      severity: 'error', rule: 'json', path: '',
      message: `${file} is not JSON (${(e as Error).message}); validate only FHIR JSON files, or fix the syntax`,
    };
    return { file, profiles: [], findings: [f] };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
    const what = Array.isArray(body) ? 'a JSON array' : typeof body !== 'object' || body === null ? `a JSON ${body === null ? 'null' : typeof body}` : 'a JSON object without a resourceType';
    const f: Finding = {
      severity: 'warning', rule: 'not-a-resource', path: '',
      message: `${file} is not a FHIR resource (${what}); it was not validated (leave such files out, or give the folder of resources only)`,
    };
    return { file, profiles: [], findings: [f] };
  }
  let r: ValidationResult;
  try {
    r = validate(body);
  } catch (e) {
    const f: Finding = { severity: 'error', rule: 'validator-failure', path: '', message: `${file} could not be validated: ${(e as Error).message ?? String(e)}` };
    return { file, profiles: [], findings: [f] };
  }
  const rep: FileReport = { file, fhirVersion: r.fhirVersion, profiles: r.profiles, findings: r.findings };
  if (r.resourceType) rep.resourceType = r.resourceType;
  return rep;
}
