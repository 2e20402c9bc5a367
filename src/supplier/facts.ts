// Small readings of a supplier scenario the steps need: which referral a name means, the order of
// operations, and what the system reported against what e-RS answered.
import { AssertionError } from 'node:assert';
import type { Captured } from './capture.ts';
import type { Judgement } from './checks.ts';
import type { Performed, SupplierScenario } from './scenario.ts';

/** "new": the referral the system created in this scenario; anything else: the fixture intent referrals.<name>. */
export function referralNamed(s: SupplierScenario, name: string, fixture: (intent: string) => string): string {
  if (name !== 'new') return fixture(`referrals.${name}`);
  const created = [...s.performed].reverse().find((p) => p.action === 'referrer.createReferral');
  const fromAnswer = created?.answer.observations?.ubrn;
  const fromEers = created?.captured.find((c) => c.operation?.id === 'A011' && c.exchange.response?.status === 201);
  const ubrn = (fromEers?.exchange.response?.body.json as { id?: string } | undefined)?.id ?? (typeof fromAnswer === 'string' ? fromAnswer : undefined);
  // the user asked the system to create it: a system that did not is the product's failure, not the harness's
  if (!ubrn) throw new AssertionError({ message: 'The system under test created no referral when the user asked it to (no A011 answered 201), so the steps about "the new referral" cannot go on' });
  return ubrn;
}

/** The operations arrive in this order (as a subsequence); exactlyOnce: and the first of them only once. */
export function operationOrder(ers: Captured[], wanted: string[], opts: { exactlyOnce?: boolean } = {}): Judgement {
  const ops = ers.map((c) => c.operation?.id ?? '?');
  let at = 0;
  for (const op of ops) if (op === wanted[at]) at += 1;
  const findings: string[] = [];
  if (at < wanted.length) findings.push(`expected ${wanted.join(' then ')}; the system sent ${ops.join(', ') || 'nothing'}`);
  if (opts.exactlyOnce) {
    const n = ops.filter((o) => o === wanted[0]).length;
    if (n !== 1) findings.push(`${wanted[0]} was sent ${n} times`);
  }
  return { check: 'order of operations', examined: ers.length, findings, evidence: [`arrived: ${ops.join(', ') || 'nothing'}`] };
}

/** The services A010 returned, and the ones the system reported showing. */
export function shownServices(p: Performed): { found: string[]; shown: string[] } {
  const search = p.captured.find((c) => c.operation?.id === 'A010' && c.exchange.response?.status === 200);
  const entries = ((search?.exchange.response?.body.json as { entry?: { item?: { identifier?: { value?: string } }; resource?: { id?: string } }[] } | undefined)?.entry ?? []);
  const found = entries.map((e) => e.item?.identifier?.value ?? e.resource?.id).filter((v): v is string => typeof v === 'string');
  const shown = Array.isArray(p.answer.observations?.services) ? (p.answer.observations.services as unknown[]).map(String) : [];
  return { found, shown };
}
