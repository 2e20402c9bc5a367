// JUnit XML with the same failure categories as the report: CI dashboards that read JUnit see
// "product-defect" or "environment-fault" as the failure type, and the suite carries per-category counts.
import { categorise, CATEGORY_TITLES, FAILURE_CATEGORIES, type FailureCategory } from './errors.ts';
import { OUTCOME_TITLES } from './outcome.ts';
import type { ScenarioOutcome } from './summary.ts';

const unescapeXml = (s: string): string => s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (m, name: string, dec?: string, hex?: string) =>
  dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name] ?? m);
const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');

/**
 * Rewrite cucumber's JUnit output: each <failure> gets our failure category as its type (the judge's, when the
 * run's outcomes are given), and each <skipped/> says why (not applicable / not verified, and the reason).
 */
export function categoriseJunit(xml: string, outcomes: readonly ScenarioOutcome[] = []): { xml: string; counts: Record<FailureCategory, number> } {
  const counts = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  const skips = outcomes.filter((o) => o.status === 'skipped');
  const failures = outcomes.filter((o) => o.status === 'failed' && o.category);
  const find = (list: readonly ScenarioOutcome[], testcaseName: string): ScenarioOutcome | undefined => {
    const name = unescapeXml(testcaseName);
    return list.find((o) => name === o.name || name.endsWith(`: ${o.name}`));
  };
  const withSkips = xml.replace(/(<testcase\b[^>]*\bname="([^"]*)"[^>]*>\s*)<skipped\s*\/>/g, (m, head: string, name: string) => {
    const o = find(skips, name);
    if (!o) return m;
    const kind = o.outcome === 'not-applicable' ? OUTCOME_TITLES['not-applicable'] : OUTCOME_TITLES['not-verified'];
    return `${head}<skipped message="${escapeAttr(`${kind}: ${o.reason ?? o.message ?? 'no reason recorded'}`)}"/>`;
  });
  const judged = withSkips.replace(/(<testcase\b[^>]*\bname="([^"]*)"[^>]*>\s*)<failure\b([^>]*?)(\/?)>/g, (m, head: string, name: string, attrs: string, selfClose: string) => {
    const o = find(failures, name);
    if (!o?.category || /\btype="(product-defect|profile-violation|environment-fault|harness-error|blocked)"/.test(attrs)) return m;
    const message = /\bmessage="([^"]*)"/.exec(attrs)?.[1];
    const text = message === undefined ? (o.message ?? '') : unescapeXml(message);
    return `${head}<failure type="${o.category}" message="${escapeAttr(`[${CATEGORY_TITLES[o.category]}] ${text}`)}"${selfClose}>`;
  });
  const out = judged.replace(/<failure\b([^>]*?)(\/?)>/g, (_m, attrs: string, selfClose: string) => {
    const type = /\btype="([^"]*)"/.exec(attrs)?.[1];
    const message = /\bmessage="([^"]*)"/.exec(attrs)?.[1];
    if (type && (FAILURE_CATEGORIES as readonly string[]).includes(type)) {
      counts[type as FailureCategory] += 1; // already categorised (report run twice on the same file)
      return `<failure${attrs}${selfClose}>`;
    }
    const text = message === undefined ? undefined : unescapeXml(message);
    // No exception type means an undefined, pending or ambiguous step: the suite is incomplete.
    const category: FailureCategory = type ? categorise(type, text) : 'harness-error';
    counts[category] += 1;
    const label = `[${CATEGORY_TITLES[category]}${type ? ` · ${type}` : ''}]`;
    return `<failure type="${category}" message="${escapeAttr(`${label} ${text ?? 'the scenario did not complete (undefined, pending or ambiguous step)'}`)}"${selfClose}>`;
  });
  const props = `\n  <properties>\n${FAILURE_CATEGORIES.map((c) => `    <property name="ers.failures.${c}" value="${counts[c]}"/>`).join('\n')}\n  </properties>`;
  const withProps = out.includes('<property name="ers.failures.') ? out : out.replace(/(<testsuite\b[^>]*>)/, `$1${props}`);
  return { xml: withProps, counts };
}

/** Several shards' JUnit files as one <testsuites> document (each shard keeps its own <testsuite>). */
export function mergeJunit(xmls: string[]): string {
  const suites: string[] = [];
  let tests = 0, failures = 0, skipped = 0, time = 0;
  for (const xml of xmls) {
    for (const m of xml.matchAll(/<testsuite\b[\s\S]*?<\/testsuite>|<testsuite\b[^>]*\/>/g)) {
      const suite = m[0];
      const head = /<testsuite\b[^>]*>/.exec(suite)?.[0] ?? '';
      const num = (name: string): number => Number(new RegExp(`\\b${name}="([\\d.]+)"`).exec(head)?.[1] ?? 0);
      tests += num('tests');
      failures += num('failures');
      skipped += num('skipped');
      time += num('time');
      suites.push(suite.replace(/^/gm, '  '));
    }
  }
  return `<?xml version="1.0"?>\n<testsuites name="ers-conformance" tests="${tests}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
