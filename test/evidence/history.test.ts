import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateHtmlReport, MAX_HISTORY_BYTES } from '../../src/evidence/html-report.ts';

// Every other run's result here fails without a failure-category label: Allure must still write the page
// (a category rule it could not compile once made it write none, and say nothing).
// The report's history (trend charts) is bounded: ERS_HISTORY_LIMIT runs are kept, older ones dropped, so
// neither the history file nor the single-file HTML report grows without end from run to run.

function result(dir: string, run: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // results differ between runs, so no run reuses the last report
  const uuid = `00000000-0000-4000-8000-00000000000${run}`;
  const r = { uuid, historyId: 'h-1', name: 'reads a referral', fullName: 'features/x.feature#reads a referral', status: run % 2 ? 'passed' : 'failed', stage: 'finished', start: 1_700_000_000_000 + run * 10_000, stop: 1_700_000_001_000 + run * 10_000, labels: [], steps: [], attachments: [], parameters: [], links: [] };
  writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(r));
}

test('the history keeps the last ERS_HISTORY_LIMIT runs, dropping the oldest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-history-'));
  try {
    const history = join(dir, 'history.jsonl');
    for (let run = 1; run <= 4; run++) {
      result(join(dir, 'results'), run);
      const out = await generateHtmlReport(join(dir, 'results'), join(dir, 'report'), { reportName: 'history test', historyFile: history, historyLimit: 2 });
      assert.equal(out.ok, true, JSON.stringify(out));
      assert.ok(statSync(join(dir, 'report', 'index.html')).size > 0, `run ${run} has its page`);
      const lines = readFileSync(history, 'utf8').split('\n').filter(Boolean);
      assert.equal(lines.length, Math.min(run, 2), `after run ${run} the history holds ${lines.length} run(s)`);
    }
    const kept = readFileSync(history, 'utf8');
    assert.ok(!kept.includes('"start":1700000010000') && !kept.includes('"start":1700000020000'), 'runs 1 and 2 were dropped');
    assert.ok(kept.includes('"start":1700000040000'), 'the last run is kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a history file too large to read is left untouched and the report is made without it, with a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ers-history-'));
  try {
    const history = join(dir, 'history.jsonl');
    const fd = openSync(history, 'w');
    ftruncateSync(fd, MAX_HISTORY_BYTES + 1); // sparse: no disk used
    closeSync(fd);
    result(join(dir, 'results'), 1);
    const out = await generateHtmlReport(join(dir, 'results'), join(dir, 'report'), { reportName: 'history test', historyFile: history, historyLimit: 2 });
    assert.equal(out.ok, true);
    assert.match((out as { warning?: string }).warning ?? '', /is 256 MB, more than the 256 MB a history is read up to; .*left untouched/);
    assert.equal(statSync(history).size, MAX_HISTORY_BYTES + 1, 'the file is not changed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
