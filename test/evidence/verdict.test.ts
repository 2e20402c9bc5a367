// Issue 9: a verdict a reviewer can trust. Each test here failed on the code before it: nothing verified
// was PASSED, skips had no kind or reason, shard folders were trusted, outputs were replaced before the run.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Counts } from '../../src/evidence/manifest.ts';
import { categoriseJunit } from '../../src/evidence/junit.ts';
import { groupReasons, skipKindOf, NotApplicable, NotVerified } from '../../src/evidence/outcome.ts';
import { checkShards, ShardError } from '../../src/evidence/shards.ts';
import { stageOutputs } from '../../src/evidence/staging.ts';
import { unverifiedRequirements, verdictOf } from '../../src/evidence/verdict.ts';
import { packTimestamp } from '../../src/evidence/pack.ts';
import { MissingIntentError } from '../../src/targets/fixtures.ts';
import { TargetCannotRunError } from '../../src/targets/index.ts';

const counts = (c: Partial<Counts> & { by?: Partial<Counts['byCategory']> }): Counts => ({
  scenarios: 0, passed: 0, failed: 0, skipped: 0, other: 0,
  ...c,
  byCategory: { 'product-defect': 0, 'profile-violation': 0, 'environment-fault': 0, 'harness-error': 0, blocked: 0, ...c.by },
});
const none = { environmentFaults: 0 };

test('a run in which no scenario passed is NOTHING VERIFIED, exit 2 — never PASSED', () => {
  const allSkipped = verdictOf(counts({ scenarios: 717, skipped: 717, byOutcome: { 'not-applicable': 700, 'not-verified': 17 } }), none, { ran: true });
  assert.equal(allSkipped.exitCode, 2);
  assert.match(allSkipped.text, /^NOTHING VERIFIED — no scenario passed \(700 not applicable, 17 not verified\)/);
  const faultsOnly = verdictOf(counts({ scenarios: 3, failed: 3, by: { 'environment-fault': 3 } }), { environmentFaults: 5 }, { ran: true });
  assert.match(faultsOnly.text, /^NOTHING VERIFIED/);
  assert.equal(faultsOnly.exitCode, 2);
  // A product defect is still named as such when nothing passed.
  assert.equal(verdictOf(counts({ scenarios: 1, failed: 1, by: { 'product-defect': 1 } }), none, { ran: true }).exitCode, 1);
});

test('blocked scenarios and requirements left not verified keep a run from being PASSED (exit 1)', () => {
  const blocked = verdictOf(counts({ scenarios: 5, passed: 4, failed: 1, by: { blocked: 1 } }), none, { ran: true });
  assert.equal(blocked.exitCode, 1);
  assert.match(blocked.text, /^NOT PASSED — 4 passed, but 1 scenario\(s\) blocked/);
  const open = verdictOf(counts({ scenarios: 5, passed: 4, skipped: 1 }), none, { ran: true, unverifiedRequirements: ['A008-OP'] });
  assert.equal(open.exitCode, 1);
  assert.match(open.text, /1 requirement\(s\) not verified \(A008-OP\)/);
  // Not applicable owes nothing: still PASSED, and says how many.
  const na = verdictOf(counts({ scenarios: 5, passed: 4, skipped: 1, byOutcome: { passed: 4, 'not-applicable': 1 } }), none, { ran: true });
  assert.equal(na.exitCode, 0);
  assert.match(na.text, /^PASSED — 4 scenario\(s\) passed, 1 not applicable/);
});

test('an interrupted run is INCOMPLETE (exit 2), whatever passed before the stop', () => {
  const v = verdictOf(counts({ scenarios: 27, passed: 27 }), none, { ran: false, interrupted: true });
  assert.equal(v.exitCode, 2);
  assert.match(v.text, /^INCOMPLETE/);
});

test('a requirement is not verified only when no passing scenario covers it', () => {
  assert.deepEqual(unverifiedRequirements([
    { outcome: 'passed', tags: ['@req=A005-OP'] },
    { outcome: 'not-verified', tags: ['@req=A005-OP'] },
    { outcome: 'not-verified', tags: ['@req=A008-OP'] },
    { outcome: 'blocked', tags: ['@req=A016-OP'] },
    { outcome: 'not-applicable', tags: ['@req=A005-ERR-500'] },
  ]), ['A008-OP', 'A016-OP']);
});

test('skips raised in src/ carry their kind: capability → not applicable; data or credentials → not verified', () => {
  assert.equal(skipKindOf(new NotApplicable('the int target cannot inject faults')), 'not-applicable');
  assert.equal(skipKindOf(new NotVerified('no driver')), 'not-verified');
  assert.equal(skipKindOf(new TargetCannotRunError('set ERS_API_KEY')), 'not-verified');
  assert.equal(skipKindOf(new MissingIntentError('referrals.unbooked', 'int', 'int.yaml')), 'not-verified');
  assert.equal(skipKindOf(new Error('boom')), undefined);
  assert.deepEqual(groupReasons([{ outcome: 'not-verified', reason: 'a' }, { outcome: 'not-verified', reason: 'b' }, { outcome: 'not-verified', reason: 'b' }, { outcome: 'not-applicable', reason: 'c' }], 'not-verified'), [{ reason: 'b', count: 2 }, { reason: 'a', count: 1 }]);
});

test('JUnit <skipped> says whether the skip is not applicable or not verified, and why', () => {
  const xml = '<testsuite name="s" tests="2"><testcase classname="A" name="x - #1.1: a read"><skipped/></testcase><testcase classname="A" name="other"><skipped/></testcase></testsuite>';
  const out = categoriseJunit(xml, [
    { name: 'a read', uri: 'f', line: 1, tags: [], status: 'skipped', outcome: 'not-applicable', reason: 'the int target cannot inject faults', durationMs: 0 },
    { name: 'other', uri: 'f', line: 2, tags: [], status: 'skipped', outcome: 'not-verified', reason: 'no data for "referrals.unbooked"', durationMs: 0 },
  ]).xml;
  assert.match(out, /<skipped message="Not applicable: the int target cannot inject faults"\/>/);
  assert.match(out, /<skipped message="Not verified: no data for &quot;referrals.unbooked&quot;"\/>/);
});

test('staged outputs: discarding keeps the last evidence; committing swaps it in whole', () => {
  const reports = mkdtempSync(join(tmpdir(), 'ers-stage-'));
  writeFileSync(join(reports, 'junit.xml'), 'old');
  mkdirSync(join(reports, 'allure-report'));
  writeFileSync(join(reports, 'allure-report', 'index.html'), 'old report');
  writeFileSync(join(reports, 'history.jsonl'), 'kept');
  const failed = stageOutputs(reports);
  writeFileSync(join(failed.dir, 'junit.xml'), '');
  failed.discard();
  assert.equal(readFileSync(join(reports, 'junit.xml'), 'utf8'), 'old');
  assert.equal(readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8'), 'old report');
  const ok = stageOutputs(reports);
  writeFileSync(join(ok.dir, 'junit.xml'), 'new');
  ok.commit();
  assert.equal(readFileSync(join(reports, 'junit.xml'), 'utf8'), 'new');
  assert.ok(!existsSync(join(reports, 'allure-report')), 'the old report does not stay beside new results');
  assert.equal(readFileSync(join(reports, 'history.jsonl'), 'utf8'), 'kept');
});

function shard(root: string, name: string, manifest: Record<string, unknown>, results: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'allure-results'), { recursive: true });
  const m = { tool: 'ers-conformance', harnessVersion: '0.1.0', gitRevision: 'abc', target: 'simulator', baseUrl: 'sim', tags: 'not @wip', startedAt: '2026-12-07T10:00:00.000Z', finishedAt: '2026-12-07T10:01:00.000Z', complete: true, counts: { scenarios: 1, passed: 1, failed: 0, skipped: 0, other: 0, byCategory: {} }, ...manifest };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  for (const [f, body] of Object.entries(results)) writeFileSync(join(dir, 'allure-results', f), body);
  return dir;
}

test('report --from: every i/n once, one target and version, no duplicates, no links followed, nothing malformed', () => {
  const root = mkdtempSync(join(tmpdir(), 'ers-shards-'));
  const a = shard(root, 'a', { shard: '1/2' }, { 'u1-result.json': '{"uuid":"u1"}' });
  const b = shard(root, 'b', { shard: '2/2' }, { 'u2-result.json': '{"uuid":"u2"}' });
  assert.equal(checkShards([a, b]).length, 2);
  const problems = (dirs: string[]): string => {
    try {
      checkShards(dirs);
    } catch (err) {
      assert.ok(err instanceof ShardError);
      return err.message;
    }
    assert.fail('the shards were accepted');
  };
  assert.match(problems([a]), /shard 2\/2 missing/);
  assert.match(problems([a, a, b]), /shard 1\/2 is given twice/);
  const other = shard(root, 'c', { shard: '2/2', target: 'int', baseUrl: 'https://int' }, { 'u3-result.json': '{"uuid":"u3"}' });
  assert.match(problems([a, other]), /ran against int/);
  const newer = shard(root, 'd', { shard: '2/2', harnessVersion: '0.2.0' }, { 'u4-result.json': '{"uuid":"u4"}' });
  assert.match(problems([a, newer]), /made by harness 0\.2\.0/);
  const dup = shard(root, 'e', { shard: '2/2' }, { 'u1-result.json': '{"uuid":"u1"}' });
  assert.match(problems([a, dup]), /u1-result\.json is in both/);
  const key = join(root, 'private.pem');
  writeFileSync(key, `-----BEGIN ${'PRIVATE'} KEY-----`); // assembled: the repository holds no key block
  const linked = shard(root, 'f', { shard: '2/2' });
  symlinkSync(key, join(linked, 'allure-results', 'x-attachment.txt'));
  assert.match(problems([a, linked]), /x-attachment\.txt is a symbolic link \(not followed\)/);
  const crafted = shard(root, 'g', { shard: '2/2', startedAt: '../../../../etc/evil' });
  assert.match(problems([a, crafted]), /no valid startedAt/);
  const broken = shard(root, 'h', { shard: '2/2' }, { 'bad-result.json': '{not json' });
  assert.match(problems([a, broken]), /bad-result\.json is not JSON/);
  const stopped = shard(root, 'i', { shard: '2/2', complete: false });
  assert.match(problems([a, stopped]), /INCOMPLETE/);
  assert.throws(() => packTimestamp('../../evil'), /not a date/);
  assert.equal(packTimestamp('2026-11-22T03:49:50.534Z'), '20261122T034950Z');
});

test('the SCAL matrix claims an access-mode requirement only from calls that carried that mode\'s credential', async () => {
  const { buildMatrix } = await import('../../src/evidence/matrix.ts');
  const { toScenarioResult } = await import('../../src/evidence/results.ts');
  const result = (uuid: string, credentials: string[]) => toScenarioResult({
    uuid, name: uuid, status: 'passed', historyId: uuid, fullName: `x:f#${uuid}`,
    labels: [{ name: 'tag', value: '@req=X-AM-AR-HAPPY-PATH' }, ...credentials.map((value) => ({ name: 'credential', value }))],
  });
  const reqs = [{ id: 'X-AM-AR-HAPPY-PATH', section: '10.1', kind: 'access-mode', operation: '', status: '', errorCode: '', statement: 'app-restricted happy path', tags: '@req=X-AM-AR-HAPPY-PATH', notTestable: '' }];
  const meta = { target: 'sandbox', baseUrl: 'x', harnessVersion: '0', gitRevision: 'x', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', reportHref: 'r' };
  const status = (creds: string[]) => buildMatrix(reqs as never, [], [result('s', creds)], meta).rows[0]!.status;
  assert.equal(status([]), 'not verified', 'passed on the sandbox without any token proves nothing about access control');
  assert.equal(status(['user-restricted']), 'not verified', 'another mode\'s credential does not count');
  assert.equal(status(['application-restricted']), 'passed');
});
