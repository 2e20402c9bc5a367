import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { categoriseResult } from '../../src/evidence/errors.ts';
import { withoutAnalytics } from '../../src/evidence/html-report.ts';
import { categoriseJunit, mergeJunit } from '../../src/evidence/junit.ts';
import type { Counts } from '../../src/evidence/manifest.ts';
import { buildMatrix, matrixCsv, matrixHtml, type MatrixMeta } from '../../src/evidence/matrix.ts';
import { packTimestamp, writePack } from '../../src/evidence/pack.ts';
import type { Requirement } from '../../src/evidence/requirements.ts';
import { readResults, reconcileResults, toScenarioResult } from '../../src/evidence/results.ts';
import { verdictOf } from '../../src/evidence/verdict.ts';
import { zip } from '../../src/evidence/zip.ts';

const counts = (by: Partial<Counts['byCategory']>, extra: Partial<Counts> = {}): Counts => {
  const byCategory = { 'product-defect': 0, 'profile-violation': 0, 'environment-fault': 0, 'harness-error': 0, blocked: 0, ...by };
  const failed = Object.values(byCategory).reduce((a, b) => a + b, 0);
  return { scenarios: 10, passed: 10 - failed, failed, skipped: 0, other: 0, byCategory, ...extra };
};

test('verdict: harness errors exit 2, defects and violations exit 1, environment faults only beyond the threshold', () => {
  const none = { environmentFaults: 0 };
  assert.equal(verdictOf(counts({}), none, true).exitCode, 0);
  assert.equal(verdictOf(counts({}), none, false).exitCode, 2);
  assert.equal(verdictOf(counts({ 'harness-error': 1, 'product-defect': 3 }), none, true).exitCode, 2);
  assert.equal(verdictOf(counts({ 'profile-violation': 1 }), { environmentFaults: 99 }, true).exitCode, 1);
  assert.equal(verdictOf(counts({ 'environment-fault': 2 }), none, true).exitCode, 1);
  const tolerated = verdictOf(counts({ 'environment-fault': 2 }), { environmentFaults: 2 }, true);
  assert.equal(tolerated.exitCode, 0);
  assert.match(tolerated.text, /PASSED with 2 environment fault\(s\), within the 2 allowed/);
  assert.match(verdictOf(counts({ 'environment-fault': 3 }), { environmentFaults: 2 }, true).text, /more than the 2 allowed/);
});

test('verdict: a selection that ran no scenario is a configuration error, except for an empty shard', () => {
  const empty = counts({}, { scenarios: 0, passed: 0 });
  const v = verdictOf(empty, { environmentFaults: 0 }, true);
  assert.equal(v.exitCode, 2);
  assert.match(v.text, /no scenario matched the tag expression/);
  assert.equal(verdictOf(empty, { environmentFaults: 0, emptyAllowed: true }, true).exitCode, 0);
});

test('a result is categorised by its recorded label first, then by status and message', () => {
  assert.equal(categoriseResult('broken', 'boom', 'environment-fault'), 'environment-fault');
  assert.equal(categoriseResult('broken', 'Environment fault: 429 after retries'), 'environment-fault');
  assert.equal(categoriseResult('failed', 'Profile violation: the A005 response breaks its profiles'), 'profile-violation');
  assert.equal(categoriseResult('failed', 'Expected values to be strictly equal'), 'product-defect');
  assert.equal(categoriseResult('broken', 'TypeError: x is undefined'), 'harness-error');
  assert.equal(categoriseResult('broken', 'x', 'not-a-category'), 'harness-error');
  assert.equal(categoriseResult('broken', 'EnvironmentFault: Environment fault: timeout'), 'environment-fault', "cucumber's type prefix is looked past");
  assert.equal(categoriseResult('failed', 'AssertionError [ERR_ASSERTION]: Profile violation: x'), 'profile-violation');
});

const JUNIT = `<?xml version="1.0"?>
<testsuite name="ers-conformance (simulator)" time="1.5" tests="4" skipped="0" failures="3" errors="0">
  <testcase classname="A005" name="defect" time="0.1">
    <failure type="AssertionError" message="Expected 200, got 404"><![CDATA[stack]]></failure>
  </testcase>
  <testcase classname="A005" name="env" time="0.1">
    <failure type="EnvironmentFault" message="Environment fault: GET x got no response (timeout)"/>
  </testcase>
  <testcase classname="A005" name="undefined step" time="0.1">
    <failure/>
  </testcase>
  <testcase classname="A005" name="ok" time="0.1"/>
</testsuite>`;

test('JUnit failures carry our category as their type, and the suite carries per-category counts', () => {
  const { xml, counts: c } = categoriseJunit(JUNIT);
  assert.deepEqual(c, { 'product-defect': 1, 'profile-violation': 0, 'environment-fault': 1, 'harness-error': 1, blocked: 0 });
  assert.match(xml, /<failure type="product-defect" message="\[Product defect · AssertionError\] Expected 200, got 404">/);
  assert.match(xml, /<failure type="environment-fault" message="\[Environment fault · EnvironmentFault\] Environment fault: GET x/);
  assert.match(xml, /<failure type="harness-error" message="\[Harness error\] the scenario did not complete/);
  assert.match(xml, /<property name="ers\.failures\.product-defect" value="1"\/>/);
  assert.equal(categoriseJunit(xml).xml, xml, 'categorising twice changes nothing');
  const merged = mergeJunit([xml, xml]);
  assert.match(merged, /<testsuites name="ers-conformance" tests="8" failures="6" skipped="0" time="3.000">/);
  assert.equal(merged.match(/<testsuite /g)?.length, 2);
});

const REQS: Requirement[] = [
  { id: 'A005-OP', section: '2 A005', kind: 'operation', operation: 'A005', status: '', errorCode: '', statement: 'reads a referral', tags: '@req=A005-OP', notTestable: '' },
  { id: 'A005-ERR-HTTP404', section: '2 A005', kind: 'error-response', operation: 'A005', status: '404', errorCode: '', statement: 'unknown UBRN', tags: '@req=A005-ERR-HTTP404', notTestable: '' },
  { id: 'A005-ERR-HTTP500', section: '2 A005', kind: 'error-response', operation: 'A005', status: '500', errorCode: '', statement: '500', tags: '@req=A005-ERR-HTTP500', notTestable: '' },
  { id: 'X-ENV', section: '3', kind: 'environment', operation: '', status: '', errorCode: '', statement: 'production only', tags: '@req=X-ENV', notTestable: 'never drives production' },
];

const raw = (uuid: string, name: string, status: string, tags: string[], extra: Record<string, unknown> = {}) => ({
  uuid, name, status, historyId: `h-${uuid}`, fullName: `ers-conformance:features/referrals/A005.feature#${name}`, start: 1_700_000_000_000, stop: 1_700_000_001_000,
  labels: [{ name: 'feature', value: 'A005 Retrieve referral request' }, ...tags.map((value) => ({ name: 'tag', value }))], ...extra,
});

const META: MatrixMeta = { target: 'simulator', baseUrl: 'embedded', harnessVersion: '0.1.0', gitRevision: 'abc', startedAt: '2023-11-14T22:13:20.000Z', finishedAt: '2023-11-14T22:13:21.000Z', reportHref: 'allure-report/index.html' };

test('the matrix gives each requirement passed, failed (with category), not run or not testable, with evidence links', () => {
  const results = [
    toScenarioResult(raw('u1', 'reads', 'passed', ['@A005', '@req=A005-OP'])),
    toScenarioResult(raw('u2', 'unknown <b>UBRN</b>', 'failed', ['@req=A005-ERR-HTTP404'], { statusDetails: { message: 'Expected 404, got 200' } })),
    toScenarioResult(raw('u3', 'reads again', 'broken', ['@req=A005-OP'], { statusDetails: { message: 'Environment fault: timeout' } })),
  ];
  const m = buildMatrix(REQS, [{ id: 'SCAL-1', statement: 'reads', requirements: ['A005-OP'], tags: '' }], results, META);
  const by = new Map(m.rows.map((r) => [r.id, r]));
  assert.equal(by.get('A005-OP')!.status, 'failed');
  assert.deepEqual(by.get('A005-OP')!.categories, { 'environment-fault': 1 });
  assert.equal(by.get('A005-ERR-HTTP404')!.status, 'failed');
  assert.deepEqual(by.get('A005-ERR-HTTP404')!.categories, { 'product-defect': 1 });
  assert.equal(by.get('A005-ERR-HTTP500')!.status, 'not run');
  assert.equal(by.get('X-ENV')!.status, 'not testable');
  assert.equal(by.get('SCAL-1')!.status, 'failed');
  assert.equal(m.rows[0]!.id, 'SCAL-1', 'SCAL rows come first');
  const csv = matrixCsv(m);
  assert.match(csv, new RegExp(`allure-report/index.html#${results[0]!.reportId}`));
  assert.match(csv, /^requirement_id,source,kind,operation,status,failure_categories/);
  const html = matrixHtml(m);
  assert.match(html, /<tr id="req-A005-ERR-HTTP404" data-status="failed">/);
  assert.equal(html.match(/id="req-A005-ERR-HTTP404"/g)?.length, 1, 'a failed requirement listed twice keeps one anchor');
  assert.match(html, /<a href="#req-A005-ERR-HTTP404">A005-ERR-HTTP404<\/a>/);
  assert.match(html, /unknown &lt;b&gt;UBRN&lt;\/b&gt;/, 'scenario names are escaped');
  assert.match(html, /Product defect ×1/);
  assert.match(html, /never drives production/);
  assert.match(results[0]!.reportId, /^[0-9a-f]{32}$/);
});

test('a retried scenario counts once, by its last attempt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-results-'));
  writeFileSync(join(dir, 'a-result.json'), JSON.stringify({ ...raw('a', 'flaky', 'broken', ['@req=A005-OP']), historyId: 'same', stop: 1 }));
  writeFileSync(join(dir, 'b-result.json'), JSON.stringify({ ...raw('b', 'flaky', 'passed', ['@req=A005-OP']), historyId: 'same', stop: 2 }));
  const results = readResults([dir]);
  assert.equal(results.length, 1);
  assert.equal(results[0]!.status, 'passed');
});

test('the zip is deterministic, readable by unzip, and the pack lists a SHA256 of every file', () => {
  const a = zip([{ name: 'x.txt', data: Buffer.from('hello hello hello hello') }, { name: 'd/y.bin', data: Buffer.from([1, 2, 3]) }], new Date('2026-01-02T03:04:06Z'));
  const b = zip([{ name: 'x.txt', data: Buffer.from('hello hello hello hello') }, { name: 'd/y.bin', data: Buffer.from([1, 2, 3]) }], new Date('2026-01-02T03:04:06Z'));
  assert.ok(a.equals(b));
  // First entry: read its local header and inflate it back.
  assert.equal(a.readUInt32LE(0), 0x04034b50);
  const method = a.readUInt16LE(8), size = a.readUInt32LE(18), nameLen = a.readUInt16LE(26);
  const body = a.subarray(30 + nameLen, 30 + nameLen + size);
  assert.equal((method === 8 ? inflateRawSync(body) : body).toString(), 'hello hello hello hello');

  const reports = mkdtempSync(join(tmpdir(), 'ers-pack-'));
  mkdirSync(join(reports, 'allure-report'));
  writeFileSync(join(reports, 'allure-report', 'index.html'), '<html>report</html>');
  writeFileSync(join(reports, 'allure-report', '.ers-results-sha256'), 'x'); // dot-files stay out
  writeFileSync(join(reports, 'scal-matrix.html'), '<html>matrix</html>');
  writeFileSync(join(reports, 'manifest.json'), '{}');
  const first = writePack(reports, 'int', '2026-11-22T03:49:50.534Z');
  const bytes = readFileSync(first.file);
  const again = writePack(reports, 'int', '2026-11-22T03:49:50.534Z');
  assert.ok(readFileSync(again.file).equals(bytes), 'the same inputs give the same archive');
  assert.match(first.file, /evidence-int-20261122T034950Z\.zip$/);
  assert.deepEqual(first.files, ['allure-report/index.html', 'manifest.json', 'scal-matrix.html', 'SHA256SUMS']);
  assert.deepEqual(first.missing, ['scal-matrix.csv', 'junit.xml']);
  const listing = execFileSync('unzip', ['-l', first.file]).toString();
  assert.match(listing, /allure-report\/index\.html/);
  const sums = execFileSync('unzip', ['-p', first.file, 'SHA256SUMS']).toString();
  assert.match(sums, /^[0-9a-f]{64} {2}allure-report\/index\.html$/m);
  assert.equal(sums.trim().split('\n').length, 3);
  assert.equal(packTimestamp('2026-01-02T03:04:05.678Z'), '20260102T030405Z');
});

test('the report page loses its third-party analytics script', () => {
  const html = `<body><div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('config', 'G-X', {});
    </script>
    <script>window.allure = 1;</script></body>`;
  const out = withoutAnalytics(html);
  assert.ok(!out.includes('googletagmanager'));
  assert.ok(!out.includes('dataLayer'));
  assert.ok(out.includes('window.allure = 1'));
});

test('Allure results are reconciled with the run: undefined steps are harness errors, skips are skips, messages are ours', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-reconcile-'));
  const uri = 'features/referrals/A005.feature';
  const write = (uuid: string, name: string, status: string, parameters: { name: string; value: string }[] = [], message?: string) =>
    writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify({ ...raw(uuid, name, status, ['@req=A005-OP']), fullName: `ers-conformance:${uri}#${name}`, parameters, statusDetails: message ? { message } : {} }));
  write('u1', 'undefined step', 'passed'); // allure-cucumberjs calls an undefined step "passed"
  write('u2', 'skipped inside a step', 'passed');
  write('u3', 'HTTP 429 from e-RS', 'failed', [{ name: 'status', value: '429' }], 'AssertionError [ERR_ASSERTION]\n + expected - actual');
  write('u4', 'HTTP 429 from e-RS', 'passed', [{ name: 'status', value: '500' }]);
  const outcome = (name: string, status: 'passed' | 'failed' | 'skipped' | 'undefined', extra: object = {}) => ({ name, uri, line: 1, tags: [], status, durationMs: 1, ...extra });
  const r = reconcileResults(dir, [
    outcome('undefined step', 'undefined'),
    outcome('skipped inside a step', 'skipped', { message: 'the sandbox target cannot inject faults' }),
    outcome('HTTP 429 from e-RS', 'failed', { examples: ['429'], category: 'product-defect', message: 'expected HTTP 429, got 200' }),
    outcome('HTTP 429 from e-RS', 'passed', { examples: ['500'] }),
  ]);
  assert.deepEqual(r, { updated: 4, unmatched: 0 }, 'every result gets its outcome label, passed ones too');
  const by = new Map(readResults([dir]).map((x) => [x.uuid, x]));
  assert.equal(by.get('u1')!.status, 'broken');
  assert.equal(by.get('u1')!.category, 'harness-error');
  assert.match(by.get('u1')!.message!, /^Harness error: the scenario is undefined/);
  assert.equal(by.get('u2')!.status, 'skipped');
  assert.equal(by.get('u2')!.outcome, 'not-verified');
  assert.equal(by.get('u2')!.message, 'Not verified: the sandbox target cannot inject faults', 'a skip says its kind and why');
  assert.equal(by.get('u3')!.status, 'failed');
  assert.equal(by.get('u3')!.category, 'product-defect');
  assert.equal(by.get('u3')!.message, 'Product defect: expected HTTP 429, got 200');
  assert.equal(by.get('u4')!.status, 'passed');
  assert.deepEqual(reconcileResults(dir, []), { updated: 0, unmatched: 4 }, 'nothing changes without outcomes');
});
