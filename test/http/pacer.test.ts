import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPacer, type PacerClock } from '../../src/http/pacer.ts';

/** A clock that only moves when the pacer sleeps, recording each sleep: no real waiting, no timings. */
function fakeClock(): PacerClock & { sleeps: number[]; at: number } {
  const clock = {
    at: 1_000,
    sleeps: [] as number[],
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.at += ms;
    },
  };
  return clock;
}

test('no budget (unset or 0) means no pacer at all', () => {
  assert.equal(createPacer(undefined), undefined);
  assert.equal(createPacer(0), undefined);
});

test('requests are spaced 1000/rps ms apart: the first goes at once, later ones wait their turn', async () => {
  const clock = fakeClock();
  const pacer = createPacer(4, clock)!;
  const sent: number[] = [];
  for (let i = 0; i < 5; i++) {
    await pacer.take();
    sent.push(clock.at);
  }
  assert.deepEqual(sent, [1000, 1250, 1500, 1750, 2000]);
});

test('concurrent callers queue in call order, each in its own slot (five at once at 2 rps take 2 s)', async () => {
  // Time stands still while they queue: every wait is measured from the same "now".
  const sleeps: number[] = [];
  const pacer = createPacer(2, { now: () => 1_000, sleep: async (ms) => void sleeps.push(ms) })!;
  await Promise.all([0, 1, 2, 3, 4].map(() => pacer.take()));
  assert.deepEqual(sleeps, [500, 1000, 1500, 2000]);
});

test('a quiet spell is not saved up as a burst: after idling, requests are still spaced', async () => {
  const clock = fakeClock();
  const pacer = createPacer(1, clock)!;
  await pacer.take();
  clock.at += 10_000;
  await pacer.take();
  await pacer.take();
  assert.deepEqual(clock.sleeps, [1000]);
});

test('fractional budgets (one request every 2 s) are honoured', async () => {
  const clock = fakeClock();
  const pacer = createPacer(0.5, clock)!;
  await pacer.take();
  await pacer.take();
  assert.deepEqual(clock.sleeps, [2000]);
});
