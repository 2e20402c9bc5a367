import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { SETTINGS } from '../../src/config/settings.ts';

// The nightly CI templates in examples/ci. The GitHub Actions workflow is checked against the workflow
// schema by @action-validator/cli (npm); the Azure pipeline, which has no offline schema validator, by
// structure. Both by what only this project knows: pinned actions/tasks, secrets only from the CI store,
// settings and CLI commands that exist, shards that add up, one data file per shard and a request budget
// (INT is shared and rate-limited per app), history kept, pack published.

type Y = Record<string, any>;
const load = (name: string): Y => {
  const doc = parseDocument(readFileSync(new URL(`../../examples/ci/${name}`, import.meta.url), 'utf8'), { uniqueKeys: true, prettyErrors: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${name} is not valid YAML`);
  return doc.toJS() as Y;
};
const SETTING_KEYS = new Set(SETTINGS.map((s) => s.key));
const SECRET_KEYS = new Set(SETTINGS.filter((s) => s.secret).map((s) => s.key).concat(['ERS_API_KEY', 'ERS_KID', 'ERS_PRIVATE_KEY']));
const CRON = /^(\*|[\d,\-/*]+) (\*|[\d,\-/*]+) (\*|[\d,\-/*]+) (\*|[\d,\-/*]+) (\*|[\d,\-/*]+)$/;
const COMMANDS: Record<string, string[]> = {
  run: ['--target', '--base-url', '--tags', '--parallel', '--fixtures', '--reports', '--timeout', '--auth', '--shard'],
  report: ['--reports', '--from', '--pack'],
  coverage: ['--format', '--check', '--all'],
};

/** Every `node bin/ers-conformance.js <command> …` in a script names a real command and real options. */
function checkCliCalls(script: string, where: string): string[] {
  const calls = [...script.matchAll(/node bin\/ers-conformance\.js (\w+)([^\n|]*)/g)];
  for (const [, command, rest] of calls) {
    assert.ok(COMMANDS[command!], `${where}: unknown command ${command}`);
    for (const flag of rest!.match(/--[a-z-]+/g) ?? []) assert.ok(COMMANDS[command!]!.includes(flag), `${where}: ${command} has no option ${flag}`);
  }
  return calls.map((c) => c[1]!);
}

function checkEnv(env: Y | undefined, where: string, secretRef: RegExp): void {
  for (const [key, value] of Object.entries(env ?? {})) {
    if (key.startsWith('ERS_')) assert.ok(SETTING_KEYS.has(key), `${where}: ${key} is not an ers-conformance setting`);
    if (SECRET_KEYS.has(key)) assert.match(String(value), secretRef, `${where}: secret ${key} must come from the CI secret store, not a literal`);
  }
}

const CLI = join(dirname(createRequire(import.meta.url).resolve('@action-validator/cli/package.json')), 'cli.mjs');

/** Runs @action-validator/cli on a workflow file: its exit code and what it printed. */
function actionValidator(file: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [CLI, file], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('the GitHub Actions workflow satisfies the workflow schema (@action-validator/cli)', () => {
  const file = fileURLToPath(new URL('../../examples/ci/github-actions-nightly.yml', import.meta.url));
  const good = actionValidator(file);
  assert.equal(good.status, 0, good.output);
  // The lint can fail: the same workflow with a misspelt job key and a step that both uses and runs.
  const broken = readFileSync(file, 'utf8').replace('runs-on:', 'runs_on:').replace('      - uses: actions/checkout@v4', '      - uses: actions/checkout@v4\n        run: echo twice');
  const copy = join(mkdtempSync(join(tmpdir(), 'ers-ci-')), 'broken.yml');
  writeFileSync(copy, broken);
  const bad = actionValidator(copy);
  assert.equal(bad.status, 1, 'a broken workflow is rejected');
  assert.match(bad.output, /runs_on|OneOf/);
});

// A secret from the store, or from a per-shard secret falling back to the shared one (one app per shard).
const GH_SECRET = /^\$\{\{ (secrets\[format\('\w+_\{0\}', matrix\.shard\)\] \|\| )?secrets\.\w+ \}\}$/;

test('GitHub Actions nightly workflow: schedule, shards, merge, history, published evidence', () => {
  const wf = load('github-actions-nightly.yml');
  const on = wf.on as Y;
  assert.ok(Array.isArray(on.schedule) && on.schedule.every((s: Y) => CRON.test(s.cron)), 'a valid cron schedule');
  checkEnv(wf.env, 'workflow env', GH_SECRET);
  const jobs = wf.jobs as Record<string, Y>;
  const commands: string[] = [];
  for (const [id, job] of Object.entries(jobs)) {
    for (const [i, step] of (job.steps as Y[]).entries()) {
      const where = `${id} step ${i + 1}${step.name ? ` (${step.name})` : ''}`;
      if (step.uses) assert.match(step.uses, /^[\w.-]+\/[\w./-]+@v\d+$/, `${where}: action pinned to a major version`);
      checkEnv(step.env, where, GH_SECRET);
      if (step.run) commands.push(...checkCliCalls(step.run, where));
    }
  }
  assert.deepEqual(commands.sort(), ['report', 'run']);
  const shards = jobs.suite!.strategy.matrix.shard as number[];
  const runStep = (jobs.suite!.steps as Y[]).find((s) => /ers-conformance\.js run/.test(s.run ?? ''))!;
  assert.match(runStep.run, new RegExp(`--shard \\$\\{\\{ matrix\\.shard \\}\\}/${shards.length}\\b`), 'the shard count matches the matrix');
  assert.ok(!wf.env.ERS_FIXTURES, 'no data file shared by every shard');
  assert.match(runStep.env.ERS_FIXTURES, /\$\{\{ matrix\.shard \}\}/, 'each shard reads its own INT data file');
  assert.ok(Number(wf.env.ERS_MAX_RPS) > 0, 'each shard sends within its share of the app rate limit');
  assert.deepEqual(shards, Array.from({ length: shards.length }, (_, i) => i + 1));
  assert.equal(jobs.report!.if, 'always()', 'the report job runs even when a shard failed');
  const reportRun = (jobs.report!.steps as Y[]).map((s) => s.run ?? '').join('\n');
  assert.match(reportRun, /--from/);
  assert.match(reportRun, /--pack/);
  const uses = (jobs.report!.steps as Y[]).map((s) => s.uses).filter(Boolean);
  assert.ok(uses.includes('actions/cache/restore@v4') && uses.includes('actions/cache/save@v4'), 'history restored and saved');
  const history = (jobs.report!.steps as Y[]).find((s) => s.env?.ERS_HISTORY_FILE)!.env.ERS_HISTORY_FILE as string;
  const cached = (jobs.report!.steps as Y[]).find((s) => s.uses === 'actions/cache/save@v4')!.with.path as string;
  assert.ok(history.startsWith(`${cached}/`), 'the history file lives in the cached folder');
  const published = (jobs.report!.steps as Y[]).find((s) => s.uses === 'actions/upload-artifact@v4')!.with.path as string;
  for (const p of ['allure-report', 'scal-matrix.html', 'junit.xml', 'evidence-*.zip']) assert.ok(published.includes(p), `publishes ${p}`);
});

test('Azure Pipelines nightly pipeline: schedule, shards, merge, history, published evidence', () => {
  const p = load('azure-pipelines-nightly.yml');
  assert.ok(p.schedules.every((s: Y) => CRON.test(s.cron)), 'a valid cron schedule');
  assert.equal(p.trigger, 'none');
  assert.ok(p.variables.some((v: Y) => v.group), 'secrets come from a variable group');
  for (const v of p.variables as Y[]) if (v.name?.startsWith('ERS_')) assert.ok(SETTING_KEYS.has(v.name), `variable ${v.name} is a setting`);
  const stages = p.stages as Y[];
  const names = stages.map((s) => s.stage);
  const commands: string[] = [];
  for (const stage of stages) {
    for (const dep of [stage.dependsOn ?? []].flat()) assert.ok(names.includes(dep), `${stage.stage}: dependsOn unknown stage ${dep}`);
    for (const job of stage.jobs as Y[]) {
      assert.ok(job.job && job.pool?.vmImage, `${stage.stage}: job and pool`);
      for (const [i, step] of (job.steps as Y[]).entries()) {
        const where = `${stage.stage}/${job.job} step ${i + 1}${step.displayName ? ` (${step.displayName})` : ''}`;
        const kinds = ['script', 'task', 'publish', 'download', 'checkout', 'bash'].filter((k) => k in step);
        assert.equal(kinds.length, 1, `${where}: exactly one step kind`);
        if (step.task) assert.match(step.task, /^\w+@\d+$/, `${where}: task pinned to a major version`);
        checkEnv(step.env, where, /^\$\([A-Z_]+\)$/);
        if (step.script) commands.push(...checkCliCalls(step.script, where));
      }
    }
  }
  assert.deepEqual(commands.sort(), ['report', 'run']);
  const shard = (stages[0]!.jobs as Y[])[0]!;
  const runScript = (shard.steps as Y[]).find((s) => /ers-conformance\.js run/.test(s.script ?? ''))!.script as string;
  assert.match(runScript, new RegExp(`--shard \\$\\(System\\.JobPositionInPhase\\)/${shard.strategy.parallel}\\b`), 'the shard count matches strategy.parallel');
  const runEnv = (shard.steps as Y[]).find((s) => /ers-conformance\.js run/.test(s.script ?? ''))!.env as Y;
  assert.ok(!p.variables.some((v: Y) => v.name === 'ERS_FIXTURES'), 'no data file shared by every shard');
  assert.match(runEnv.ERS_FIXTURES, /\$\(System\.JobPositionInPhase\)/, 'each shard reads its own INT data file');
  assert.ok(Number(p.variables.find((v: Y) => v.name === 'ERS_MAX_RPS')?.value) > 0, 'each shard sends within its share of the app rate limit');
  const report = stages.find((s) => s.stage === 'Report')!;
  assert.equal(report.condition, 'always()');
  const steps = (report.jobs as Y[])[0]!.steps as Y[];
  assert.ok(steps.some((s) => s.task === 'Cache@2' && s.inputs.path === 'history'), 'history kept in the pipeline cache');
  assert.ok(steps.some((s) => s.task === 'PublishTestResults@2' && /junit\.xml$/.test(s.inputs.testResultsFiles)), 'JUnit published');
  assert.ok(steps.some((s) => s.publish === 'reports'), 'report, matrix and pack published');
  const merge = steps.find((s) => /--pack/.test(s.script ?? ''))!;
  assert.match(merge.script, /--from/);
  assert.match(merge.env.ERS_HISTORY_FILE, /^history\//);
});
