import { readYamlFile } from '../../config/cached-yaml.ts';

// What the catalogue documents about each operation's answers (profiles/exchange-facts.yaml), read once per process.

export interface OperationFacts {
  success: number;
  body: 'fhir' | 'pdf' | 'file' | 'none';
  etag: boolean;
  location: boolean;
  /** error statuses whose documented body is an OperationOutcome */
  outcome: number[];
}

export const EXCHANGE_FACTS_FILE = new URL('../../../profiles/exchange-facts.yaml', import.meta.url);

let facts: Map<string, OperationFacts> | undefined;

/** The documented facts for an operation id, or undefined for an operation the file does not list. */
export function factsFor(operation: string): OperationFacts | undefined {
  facts ??= loadFacts();
  return facts.get(operation);
}

export function loadFacts(file: URL | string = EXCHANGE_FACTS_FILE): Map<string, OperationFacts> {
  const doc = readYamlFile(file) as { operations?: Record<string, Partial<OperationFacts>> } | null;
  const out = new Map<string, OperationFacts>();
  for (const [id, f] of Object.entries(doc?.operations ?? {})) {
    if (typeof f?.success !== 'number' || !['fhir', 'pdf', 'file', 'none'].includes(String(f.body)) || !Array.isArray(f.outcome)) {
      throw new Error(`${String(file)}: operation ${id} needs success (a status), body (fhir|pdf|file|none) and outcome (a list of statuses)`);
    }
    out.set(id, { success: f.success, body: f.body as OperationFacts['body'], etag: f.etag === true, location: f.location === true, outcome: f.outcome.map(Number) });
  }
  return out;
}
