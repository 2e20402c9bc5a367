// A request budget for one process: requests leave at most `maxRps` per second, evenly spaced, so that
// n processes (cucumber workers, CI shards) sharing one developer-portal app stay under its rate limit
// together instead of multiplying each other's 429s.

export interface Pacer {
  /** Resolves when the caller may send its next request. */
  take(): Promise<void>;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A pacer spacing requests 1000/maxRps ms apart; no pacer (undefined) when maxRps is 0 or unset. */
export function createPacer(maxRps: number | undefined, clock: PacerClock = realClock): Pacer | undefined {
  if (!maxRps || maxRps <= 0) return undefined;
  const gapMs = 1000 / maxRps;
  let nextSlot = -Infinity;
  return {
    async take() {
      // Reserve a slot synchronously, so concurrent callers queue in call order without a lock.
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + gapMs;
      if (slot > now) await clock.sleep(slot - now);
    },
  };
}
