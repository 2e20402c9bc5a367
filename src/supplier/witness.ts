// The witness pack's table for one supplier scenario: Step / Instructions / Evidence required /
// Expected / Actual, as an NHS witness test script lays it out. Attested rows say so.
import { toCsv } from '../evidence/csv.ts';

export interface WitnessRow {
  step: string;
  instructions: string;
  evidence: string;
  expected: string;
  actual: string;
}

export const WITNESS_COLUMNS = ['Step', 'Instructions', 'Evidence required', 'Expected', 'Actual'] as const;

export function witnessCsv(rows: WitnessRow[]): string {
  return toCsv(WITNESS_COLUMNS, rows.map((r) => ({ Step: r.step, Instructions: r.instructions, 'Evidence required': r.evidence, Expected: r.expected, Actual: r.actual })));
}

/** The same table for a reader: one block per step. */
export function witnessText(title: string, rows: WitnessRow[]): string {
  const out = [`Witness record · ${title}`, ''];
  rows.forEach((r, i) => {
    out.push(`${i + 1}. ${r.step}`);
    out.push(`   Instructions:      ${r.instructions}`);
    out.push(`   Evidence required: ${r.evidence}`);
    out.push(`   Expected:          ${r.expected}`);
    out.push(`   Actual:            ${r.actual}`);
    out.push('');
  });
  return out.join('\n');
}
