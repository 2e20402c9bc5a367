import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colourWanted, painter, painterFromEnv } from '../../src/cli/colour.ts';

// Colour follows the conventions users expect: a terminal with colours gets them, NO_COLOR always wins,
// FORCE_COLOR turns them on for a pipe (CI logs that render ANSI) or off; no escapes otherwise.
const tty = { isTTY: true, hasColors: () => true } as unknown as NodeJS.WriteStream;
const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;

test('colour: terminal yes, pipe no, NO_COLOR wins, FORCE_COLOR forces either way', () => {
  assert.equal(colourWanted(tty, {}), true);
  assert.equal(colourWanted(pipe, {}), false);
  assert.equal(colourWanted(tty, { NO_COLOR: '1' }), false);
  assert.equal(colourWanted(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
  assert.equal(colourWanted(pipe, { FORCE_COLOR: '1' }), true);
  assert.equal(colourWanted(tty, { FORCE_COLOR: '0' }), false);
  assert.equal(colourWanted({ isTTY: true, hasColors: () => false } as unknown as NodeJS.WriteStream, {}), false, 'a dumb terminal');
});

test('paint adds SGR codes only when colour is on, and the decision crosses to cucumber\'s process', () => {
  assert.equal(painter(false)('fail', '✘'), '✘');
  assert.equal(painter(true)('fail', '✘'), '\x1b[31m✘\x1b[39m');
  assert.equal(painterFromEnv({ ERS_COLOUR: '1' })('pass', 'ok'), '\x1b[32mok\x1b[39m');
  assert.equal(painterFromEnv({}).enabled, false);
});
