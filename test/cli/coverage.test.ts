import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

// CI runs `coverage --check` through npm test: the committed traceability must be sound.
const cli = (args: string[]) => spawnSync(process.execPath, ['bin/ers-conformance.js', ...args], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });

test('coverage --check passes on the committed features and requirements, and prints the totals', () => {
  const r = cli(['coverage', '--check']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /operations covered\s+\d+ \/ 40/);
  assert.match(r.stdout, /documented error responses covered\s+\d+ \/ 387/);
  assert.match(r.stdout, /requirements not testable\s+\d+:/);
  assert.match(r.stdout, /✔ every @req tag names a known requirement/);
});

test('coverage lists the scenarios of a requirement in text, and every requirement in json and csv', () => {
  const text = cli(['coverage']);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /✔ A005-ERR-HTTP404 {2}1 scenario\(s\)\n {4}features\/referrals\/A005-retrieve-referral-request\.feature:\d+ {2}an unknown UBRN is not found/);
  const json = JSON.parse(cli(['coverage', '--format', 'json']).stdout) as { totals: { operations: { total: number } }; requirements: { id: string; state: string }[] };
  assert.equal(json.totals.operations.total, 40);
  assert.equal(json.requirements.find((r) => r.id === 'AUTH-AUTHORIZE-OP')?.state, 'not testable');
  const csv = cli(['coverage', '--format', 'csv']).stdout;
  assert.match(csv, /^id,kind,operation,status,error_code,state,scenario_count,scenarios,not_testable\n/);
  assert.equal(cli(['coverage', '--format', 'xml']).status, 2);
});
