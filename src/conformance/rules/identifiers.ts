import { readYamlFile } from '../../config/cached-yaml.ts';
import { matchOperation } from '../../ers/operations.ts';
import type { Exchange } from '../../http/exchange.ts';
import type { ExchangeRule, RuleFinding } from './types.ts';

// Identifiers with a format (profiles/identifier-formats.yaml), wherever they appear in a message: every Identifier in
// the request and response bodies (its system says what it is), the request headers and path parameters that carry
// one, and system|value search tokens. Findings: `<rule>-format` (the shape) and `<rule>-check-digit`.

export interface IdentifierFormat {
  name: string;
  rule: string;
  systems: string[];
  headers: string[];
  pathParams: string[];
  pattern: RegExp;
  shape: string;
  check?: 'nhs-modulus-11';
}

export const IDENTIFIER_FORMATS_FILE = new URL('../../../profiles/identifier-formats.yaml', import.meta.url);
/** Bodies are walked this deep and no further (FHIR resources are far shallower; the validator reports deeper ones). */
const MAX_DEPTH = 256;

let formats: IdentifierFormat[] | undefined;

export function loadIdentifierFormats(file: URL | string = IDENTIFIER_FORMATS_FILE): IdentifierFormat[] {
  const doc = readYamlFile(file) as { formats?: Record<string, unknown>[] } | null;
  return (doc?.formats ?? []).map((f, i) => {
    const list = (k: string): string[] => (Array.isArray(f[k]) ? (f[k] as unknown[]).map(String) : []);
    if (typeof f.name !== 'string' || typeof f.rule !== 'string' || typeof f.pattern !== 'string') {
      throw new Error(`${String(file)}: formats[${i}] needs name, rule and pattern`);
    }
    if (f.check !== undefined && f.check !== 'nhs-modulus-11') throw new Error(`${String(file)}: formats[${i}].check '${String(f.check)}' is unknown (known: nhs-modulus-11)`);
    return { name: f.name, rule: f.rule, systems: list('systems'), headers: list('headers').map((h) => h.toLowerCase()), pathParams: list('pathParams'), pattern: new RegExp(f.pattern, 'u'), shape: String(f.shape ?? f.pattern), ...(f.check ? { check: 'nhs-modulus-11' as const } : {}) };
  });
}

/** The NHS number's check digit from its first nine digits (NHS Data Dictionary modulus 11); 10 means no valid number has them. */
export function nhsCheckDigit(firstNine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check;
}

/** What is wrong with the value as this kind of identifier: a finding's rule suffix and message, or undefined when it is well-formed. */
export function identifierProblem(format: IdentifierFormat, value: unknown): { rule: string; message: string } | undefined {
  if (typeof value !== 'string' || !format.pattern.test(value)) {
    const shown = typeof value === 'string' ? `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'` : `a ${value === null ? 'null' : typeof value}`;
    return { rule: `${format.rule}-format`, message: `${format.name} ${shown} is not ${format.shape}` };
  }
  if (format.check === 'nhs-modulus-11') {
    const expected = nhsCheckDigit(value);
    if (expected === 10) return { rule: `${format.rule}-check-digit`, message: `${format.name} ${value} fails the modulus-11 check: no valid NHS number starts ${value.slice(0, 9)} (its check digit would be 10)` };
    if (expected !== Number(value[9])) return { rule: `${format.rule}-check-digit`, message: `${format.name} ${value} fails the modulus-11 check: its check digit is ${value[9]}, the first nine digits give ${expected}` };
  }
  return undefined;
}

function formatsBySystem(): Map<string, IdentifierFormat> {
  formats ??= loadIdentifierFormats();
  return new Map(formats.flatMap((f) => f.systems.map((s) => [s, f] as const)));
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/** FHIRPath-like location of a frame (built only for findings: the walk keeps parent links, not strings). */
function locate(frame: Frame, root: string): string {
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) parts.push(typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`);
  return root + parts.reverse().join('');
}

/** Every Identifier (an object with a string system) in a JSON body whose system has a format. */
export function bodyIdentifierFindings(json: unknown, direction: 'request' | 'response', bySystem = formatsBySystem()): RuleFinding[] {
  if (!json || typeof json !== 'object') return [];
  const root = typeof (json as { resourceType?: unknown }).resourceType === 'string' ? String((json as { resourceType: string }).resourceType) : 'body';
  const out: RuleFinding[] = [];
  const stack: Frame[] = [{ value: json, depth: 0, parent: undefined, key: undefined }];
  while (stack.length) {
    const frame = stack.pop() as Frame;
    const v = frame.value;
    if (!v || typeof v !== 'object' || frame.depth > MAX_DEPTH) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: frame.depth + 1, parent: frame, key: i });
      continue;
    }
    const obj = v as Record<string, unknown>;
    const format = typeof obj.system === 'string' && obj.value !== undefined ? bySystem.get(obj.system) : undefined;
    if (format) {
      const problem = identifierProblem(format, obj.value);
      if (problem) out.push({ direction, severity: 'error', rule: problem.rule, path: `${locate(frame, root)}.value`, message: `${problem.message} (identifier system ${obj.system})` });
    }
    const keys = Object.keys(obj);
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: obj[keys[i] as string], depth: frame.depth + 1, parent: frame, key: keys[i] });
  }
  return out;
}

function requestLineFindings(ex: Exchange): RuleFinding[] {
  formats ??= loadIdentifierFormats();
  const out: RuleFinding[] = [];
  const add = (format: IdentifierFormat, value: string, path: string, where: string): void => {
    const problem = identifierProblem(format, value);
    if (problem) out.push({ direction: 'request', severity: 'error', rule: problem.rule, path, message: `${problem.message} (${where})` });
  };
  for (const [name, value] of Object.entries(ex.request.headers)) {
    const format = formats.find((f) => f.headers.includes(name.toLowerCase()));
    if (format) add(format, value, `request.header.${name}`, `request header ${name}`);
  }
  let url: URL;
  try {
    url = new URL(ex.request.url);
  } catch {
    return out;
  }
  const afterFhir = /\/FHIR(\/.*)$/.exec(url.pathname)?.[1];
  const params = afterFhir ? matchOperation(ex.request.method, afterFhir)?.params ?? {} : {};
  for (const [name, value] of Object.entries(params)) {
    const format = formats.find((f) => f.pathParams.includes(name));
    if (format) add(format, value, `request.path.${name}`, `path parameter {${name}}`);
  }
  const bySystem = formatsBySystem();
  for (const [name, value] of url.searchParams) {
    const bar = value.indexOf('|');
    const format = bar > 0 ? bySystem.get(value.slice(0, bar)) : undefined;
    if (format) add(format, value.slice(bar + 1), `request.query.${name}`, `search parameter ${name}=${value.slice(0, bar)}|…`);
  }
  return out;
}

export const identifierRule: ExchangeRule = {
  name: 'identifiers',
  check(ex) {
    return [
      ...requestLineFindings(ex),
      ...bodyIdentifierFindings(ex.request.body?.json, 'request'),
      ...(ex.response ? bodyIdentifierFindings(ex.response.body.json, 'response') : []),
    ];
  },
};
