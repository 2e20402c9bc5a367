// Reference-data lookups shared by operations: effective codes of the A004 code systems.
import type { Store } from '../store.ts';

/** Codes of a reference code system that are effective on the given day. */
export function effectiveCodes(store: Store, type: string, now: Date): string[] {
  const day = now.toISOString().slice(0, 10);
  return (store.codeSystems.get(type)?.concepts ?? [])
    .filter((c) => (!c.effectiveFrom || c.effectiveFrom <= day) && (!c.effectiveTo || c.effectiveTo > day))
    .map((c) => c.code);
}

export function displayOf(store: Store, type: string, code: string): string | undefined {
  return store.codeSystems.get(type)?.concepts.find((c) => c.code === code)?.display;
}

export const PRIORITIES = ['ROUTINE', 'URGENT', 'TWO_WEEK_WAIT'] as const;
export const PRIORITY_DISPLAY: Record<string, string> = { ROUTINE: 'Routine', URGENT: 'Urgent', TWO_WEEK_WAIT: 'Two Week Wait' };
