/** A clock a test moves by hand; pass `clock.now` as `startLocalIce({ now })`. */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/**
 * @param startMs where the clock starts. Signatures are checked against this clock (±15 min), and the SDK stamps
 * requests with the real time, so start near `Date.now()` when a real client talks to the server.
 */
export function manualClock(startMs: number): ManualClock {
  if (!Number.isFinite(startMs)) {
    throw new Error(`startMs must be a finite number, got ${startMs}`);
  }
  let current = startMs;
  return {
    now: () => current,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new Error(`ms must be a finite number >= 0, got ${ms}`);
      }
      current += ms;
    },
    set: (ms: number) => {
      if (!Number.isFinite(ms)) {
        throw new Error(`ms must be a finite number, got ${ms}`);
      }
      current = ms;
    },
  };
}
