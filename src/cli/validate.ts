// `ers-conformance validate`: validates FHIR JSON files (or folders of them) and prints findings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createValidator, PolicyError, type Finding, type FhirVersion } from '../fhir/index.ts';

const USAGE = `Usage: ers-conformance validate [--fhir-version stu3|r4|auto] [--profile URL]... [--packages DIR]...
                                [--format text|json] PATH...
Validates FHIR JSON resources (files, or folders of .json files) against the core STU3/R4 definitions,
the profiles they claim in meta.profile and any --profile given.
Exit status: 0 no unsuppressed errors, 1 unsuppressed errors, 2 bad usage.`;

interface Args {
  version: FhirVersion | 'auto';
  profiles: string[];
  packages: string[];
  format: 'text' | 'json';
  paths: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { version: 'auto', profiles: [], packages: [], format: 'text', paths: [] };
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
      case '-h': case '--help': throw new UsageError('');
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
        if (statSync(child).isDirectory()) walk(child);
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
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`ers-conformance validate: ${e.message}\n`);
      process.stderr.write(`${USAGE}\n`);
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
  const reports: FileReport[] = [];
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  for (const file of files) {
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      const f: Finding = {
        severity: 'error', rule: 'json', path: '',
        message: `${file} is not JSON (${(e as Error).message}); validate only FHIR JSON files, or fix the syntax`,
      };
      reports.push({ file, profiles: [], findings: [f] });
      errors++;
      continue;
    }
    const r = validator.validate(body, { fhirVersion: args.version, profiles: args.profiles });
    const rep: FileReport = { file, fhirVersion: r.fhirVersion, profiles: r.profiles, findings: r.findings };
    if (r.resourceType) rep.resourceType = r.resourceType;
    reports.push(rep);
    errors += r.errors;
    warnings += r.warnings;
    suppressed += r.suppressed;
  }
  if (args.format === 'json') {
    out(JSON.stringify({ files: reports, summary: { files: reports.length, errors, warnings, suppressed } }, null, 2));
  } else {
    for (const r of reports) {
      const visible = r.findings.filter((f) => !f.suppressedBy);
      const head = `${r.file}: ${r.resourceType ?? '?'} (${r.fhirVersion ?? '?'})`;
      out(visible.length ? head : `${head} OK${r.findings.length ? ` (${r.findings.length} suppressed)` : ''}`);
      for (const f of visible) {
        out(`  ${f.severity.padEnd(11)} ${f.rule.padEnd(20)} ${f.path}  ${f.message}${f.profile ? `  [${f.profile}]` : ''}`);
      }
    }
    out(`${reports.length} file(s): ${errors} error(s), ${warnings} warning(s), ${suppressed} suppressed`);
  }
  return errors > 0 ? 1 : 0;
}
