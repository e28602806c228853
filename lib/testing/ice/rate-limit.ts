const WINDOW_MS = 1000;

/**
 * Sliding one-second window: a request is admitted when fewer than `qps` requests were admitted in the last
 * 1000 ms. Unlike a token bucket it never lets a burst of 2×qps through at a window edge, which is the strictest
 * reading of "N QPS per user" and so the one a client must survive.
 */
export class SlidingWindowLimiter {
  private readonly admitted: number[] = [];

  constructor(private readonly qps: number) {
    if (!(qps > 0)) {
      throw new Error(`qps must be > 0 (use Infinity for no limit), got ${qps}`);
    }
  }

  /** Returns 0 when admitted, else the ms until a slot frees up. */
  tryAcquire(nowMs: number): number {
    if (this.qps === Infinity) {
      return 0;
    }
    while (this.admitted.length > 0 && this.admitted[0] <= nowMs - WINDOW_MS) {
      this.admitted.shift();
    }
    if (this.admitted.length < this.qps) {
      this.admitted.push(nowMs);
      return 0;
    }
    return Math.max(1, this.admitted[0] + WINDOW_MS - nowMs);
  }
}
