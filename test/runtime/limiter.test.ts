import * as fc from 'fast-check';
import { CUBIC_BETA, defaultLimiterRegistry, LimiterRegistry, MARGIN_STEP_MS, MAX_MARGIN_MS, MIN_MARGIN_MS, PermitOutcome, RateLimiter, sharedLimiter, WINDOW_MS } from '../../lib/runtime/limiter';

/** A manual clock and a sleep that advances it: the limiter runs at full speed with exact times. */
function virtualTime(): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[]; t: { ms: number } } {
  const t = { ms: 0 };
  const sleeps: number[] = [];
  return {
    t,
    sleeps,
    now: () => t.ms,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t.ms += ms;
    },
  };
}

/** Grants in any window (t - 1000, t], at most. */
function maxPerWindow(grants: readonly number[]): number {
  let lo = 0;
  let most = 0;
  for (let hi = 0; hi < grants.length; hi++) {
    while (grants[lo] <= grants[hi] - WINDOW_MS) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

/** Runs `callers` acquisitions on virtual time; `outcome(i)` says what the service made of grant i. */
async function drive(
  limiter: RateLimiter,
  time: ReturnType<typeof virtualTime>,
  callers: number,
  outcome: (i: number) => PermitOutcome = () => 'counted',
): Promise<{ all: number[]; counted: number[] }> {
  const all: number[] = [];
  const counted: number[] = [];
  for (let i = 0; i < callers; i++) {
    const permit = await limiter.acquire();
    all.push(time.now());
    const o = outcome(i);
    if (o === 'counted') counted.push(time.now());
    permit.settle(o);
  }
  return { all, counted };
}

describe('RateLimiter (sliding window + GCRA, adaptive)', () => {
  it('serves callers in arrival order, sleeping only until each grant is due', async () => {
    // GIVEN a 10 QPS limiter on virtual time
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 10, now: time.now, sleep: time.sleep });
    const order: Array<[number, number]> = [];
    // WHEN eight callers arrive at once
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => limiter.acquire().then(() => order.push([i, time.now()]))));
    // THEN they pass in order: the GCRA tolerance lets the first five through, then one every 100 ms
    expect(order.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(order.map(([, at]) => at)).toEqual([0, 0, 0, 0, 0, 100, 200, 300]);
    expect(limiter.queued).toBe(0);
  });

  it('uses the whole limit: n grants per window plus the margin, over a long run', async () => {
    // GIVEN a 100 QPS limiter and 3,000 callers
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 100, now: time.now, sleep: time.sleep });
    // WHEN every grant is counted by the service
    const { all } = await drive(limiter, time, 3000);
    // THEN the run takes 30 windows of 1000 + 3 ms minus the first one's head start: ≥ 0.99 of the limit
    const fraction = all.length / ((all[all.length - 1] - all[0]) / 1000 + 0.01) / 100;
    expect(fraction).toBeGreaterThanOrEqual(0.99);
    expect(maxPerWindow(all)).toBe(100);
  });

  it('does not lose a late timer: a grant that fires late delays only itself', async () => {
    // GIVEN a sleep whose timer fires 7 ms late, every time
    const t = { ms: 0 };
    const late = { now: () => t.ms, sleep: async (ms: number) => void (t.ms += ms + 7) };
    const limiter = new RateLimiter({ qps: 50, now: late.now, sleep: late.sleep });
    const grants: number[] = [];
    for (let i = 0; i < 500; i++) {
      await limiter.acquire();
      grants.push(t.ms);
    }
    // THEN the window stays full: a one-token bucket would have lost 7 ms on every grant (0.74 of the limit)
    const perSecond = grants.length / ((grants[grants.length - 1] - grants[0]) / 1000);
    expect(perSecond / 50).toBeGreaterThan(0.97);
    expect(maxPerWindow(grants)).toBeLessThanOrEqual(50);
  });

  it('never grants more than qps in any one-second window, whatever the outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.constantFrom<PermitOutcome>('counted', 'counted', 'counted', 'not-counted', 'throttled'), { minLength: 1, maxLength: 400 }),
        async (qps, outcomes) => {
          const time = virtualTime();
          const limiter = new RateLimiter({ qps, now: time.now, sleep: time.sleep });
          const { counted } = await drive(limiter, time, outcomes.length, (i) => outcomes[i]);
          // Counted grants are what the service sees: never more than qps in a window.
          return maxPerWindow(counted) <= qps;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the slot of a request the service did not count back at once', async () => {
    // GIVEN a 10 QPS limiter whose first window is spent, with one grant refused (ServiceUnavailable)
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 10, now: time.now, sleep: time.sleep });
    const { all } = await drive(limiter, time, 11, (i) => (i === 3 ? 'not-counted' : 'counted'));
    // THEN the 11th grant goes within the first window instead of waiting for the next one
    expect(all[10]).toBeLessThan(WINDOW_MS);
    expect(limiter.state()).toMatchObject({ granted: 11, refunded: 1, throttles: 0 });
  });

  it('widens the margin on a throttle, then narrows it again while nothing is throttled', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 20, now: time.now, sleep: time.sleep });
    expect(limiter.state().marginMs).toBe(MIN_MARGIN_MS);
    // WHEN one request is throttled
    await drive(limiter, time, 30, (i) => (i === 25 ? 'throttled' : 'counted'));
    // THEN the margin widens (3 → 6 ms) and the rate holds: jitter, not a shared budget
    expect(limiter.state()).toMatchObject({ marginMs: MIN_MARGIN_MS + MARGIN_STEP_MS, rate: 20, throttles: 1, rateCuts: 0 });
    // AND two quiet seconds later it is back to the minimum
    time.t.ms += 2_000;
    expect(limiter.state().marginMs).toBe(MIN_MARGIN_MS);
  });

  it('cuts the rate CUBIC-style once the margin is at its widest, and grows it back to the limit, never above', async () => {
    // GIVEN a limiter whose margin is already at its widest
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 100, now: time.now, sleep: time.sleep, minMarginMs: MAX_MARGIN_MS });
    // WHEN a request is throttled (the budget is shared with someone else)
    await drive(limiter, time, 41, (i) => (i === 40 ? 'throttled' : 'counted'));
    // THEN the rate drops to 0.7 of what it was
    expect(limiter.state().rate).toBeCloseTo(100 * CUBIC_BETA, 6);
    expect(limiter.state().rateCuts).toBe(1);
    // AND it climbs back along the cubic: K = cbrt(100 * 0.3 / 0.4) ≈ 4.2 s to reach the old maximum
    time.t.ms += 2_000;
    const midway = limiter.state().rate;
    expect(midway).toBeGreaterThan(70);
    expect(midway).toBeLessThan(100);
    time.t.ms += 10_000;
    expect(limiter.state().rate).toBe(100);
  });

  it('ignores throttles of requests sent before the last adjustment', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 10, now: time.now, sleep: time.sleep });
    const early = await limiter.acquire();
    const later = await limiter.acquire();
    time.t.ms += 1;
    later.settle('throttled');
    const afterFirst = limiter.state().marginMs;
    early.settle('throttled');
    expect(limiter.state().marginMs).toBe(afterFirst);
    expect(limiter.state().throttles).toBe(2);
  });

  it('borrows above its share while callers wait and nothing is throttled, up to borrowUpTo, never more', async () => {
    // GIVEN one of four instances: a share of 25 of a limit of 100
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 25, borrowUpTo: 100, now: time.now, sleep: time.sleep });
    // WHEN its callers queue for several seconds and the service takes every request (the others are idle)
    const { all } = await drive(limiter, time, 700);
    // THEN it grows past its share by half of it per second (two to three seconds in: about 56 grants, not 25) and
    // ends at the whole limit, never above it in a window
    const third = all.filter((t) => t >= 2_000 && t < 3_000).length;
    expect(third).toBeGreaterThan(45);
    expect(third).toBeLessThan(70);
    expect(limiter.state()).toMatchObject({ rate: 100, borrowed: 75, perWindow: 100 });
    expect(maxPerWindow(all)).toBeLessThanOrEqual(100);
  });

  it('gives half the borrowed rate back on a throttle, keeps its own share, and borrows nothing after a lull', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 25, borrowUpTo: 100, now: time.now, sleep: time.sleep });
    await drive(limiter, time, 150);
    const before = limiter.state();
    expect(before.borrowed).toBeGreaterThan(20);
    // WHEN a request is throttled (another instance came back)
    await drive(limiter, time, 1, () => 'throttled');
    // THEN half the borrowed part is given back; the margin and the share are untouched
    const after = limiter.state();
    expect(after.borrowed).toBeCloseTo(before.borrowed / 2, 0);
    expect(after).toMatchObject({ givenBack: 1, rateCuts: 0, marginMs: MIN_MARGIN_MS });
    // AND for a second it does not grow again, however long its queue
    await drive(limiter, time, 20);
    expect(limiter.state().borrowed).toBeCloseTo(after.borrowed, 6);
    // AND repeated throttles bring it down to its share, not below
    for (let i = 0; i < 12; i++) {
      time.t.ms += 1;
      await drive(limiter, time, 1, () => 'throttled');
    }
    expect(limiter.state().rate).toBe(25);
    // AND once the hold is over (16 s after that many give-backs) it borrows again; after a second without callers
    // it starts again from its share
    await drive(limiter, time, 500);
    expect(limiter.state().borrowed).toBeGreaterThan(0);
    time.t.ms += 2_000;
    await drive(limiter, time, 1);
    expect(limiter.state()).toMatchObject({ borrowed: 0, rate: 25 });
  });

  it('holds longer after each give-back that follows the last hold closely, and starts from a second again after a quiet spell', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 25, borrowUpTo: 100, now: time.now, sleep: time.sleep });
    // the borrowed rate after `ms` more of queued callers
    const queueFor = async (ms: number) => {
      const until = time.now() + ms;
      while (time.now() < until) (await limiter.acquire()).settle('counted');
      return limiter.state().borrowed;
    };
    const throttle = async () => (await limiter.acquire()).settle('throttled');
    await queueFor(3_000);
    const holds: number[] = [];
    for (let i = 0; i < 6; i++) {
      await throttle();
      const at = time.now();
      const held = limiter.state().borrowed;
      // measured: how long the borrowed rate stays put
      while (limiter.state().borrowed === held && time.now() - at < 60_000) await queueFor(100);
      holds.push(Math.round((time.now() - at) / 1000));
    }
    expect(holds).toEqual([1, 2, 4, 8, 16, 16]);
    // AND after 5 s of growth without a throttle, the next hold is a second again
    await queueFor(5_000);
    await throttle();
    const at = time.now();
    const held = limiter.state().borrowed;
    while (limiter.state().borrowed === held) await queueFor(100);
    expect(Math.round((time.now() - at) / 1000)).toBe(1);
  });

  it('never borrows while callers arrive no faster than its share', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 25, borrowUpTo: 100, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 100; i++) {
      (await limiter.acquire()).settle('counted');
      time.t.ms += 50; // 20 per second
    }
    expect(limiter.state().borrowed).toBe(0);
  });

  it('serves urgent callers before queued ones, within the same schedule', async () => {
    // GIVEN a 10 QPS limiter with its burst spent and six routine callers queued
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 10, now: time.now, sleep: time.sleep });
    await drive(limiter, time, 5);
    const order: string[] = [];
    const routine = [1, 2, 3, 4, 5, 6].map((i) => limiter.acquire().then((p) => (order.push(`r${i}`), p)));
    // WHEN an urgent caller arrives behind them
    const urgent = limiter.acquire({ urgent: true }).then((p) => (order.push('urgent'), p));
    const permits = await Promise.all([...routine, urgent]);
    // THEN it takes the next grant, ahead of all six, and the grants keep the schedule: one every 100 ms, then the
    // window's limit (the 11th grant waits for the first to leave the window)
    expect(order).toEqual(['urgent', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    const times = permits.map((p) => p.grantedAtMs).sort((a, b) => a - b);
    expect(times).toEqual([100, 200, 300, 400, 500, 1_000 + MIN_MARGIN_MS, 1_000 + MIN_MARGIN_MS]);
    expect(limiter.state().urgent).toBe(1);
  });

  it('rejects a bad limit naming the option', () => {
    expect(() => new RateLimiter({ qps: -1 })).toThrow('qps must be a number greater than 0 and at most 100000, got -1');
    expect(() => new RateLimiter({ qps: 1, minMarginMs: 10, maxMarginMs: 5 })).toThrow('margins must satisfy 0 <= minMarginMs <= maxMarginMs <= 1000, got 10 and 5');
    expect(() => new RateLimiter({ qps: 25, borrowUpTo: 20 })).toThrow('borrowUpTo must be at least qps (25), got 20');
  });
});

describe('LimiterRegistry', () => {
  it('shares one limiter per endpoint and action', () => {
    const registry = new LimiterRegistry();
    const a = registry.limiter('ice.cn-shanghai.aliyuncs.com', 'SubmitIProductionJob');
    const b = registry.limiter('ice.cn-shanghai.aliyuncs.com', 'SubmitIProductionJob');
    const c = registry.limiter('ice.cn-beijing.aliyuncs.com', 'SubmitIProductionJob');
    const d = registry.limiter('ice.cn-shanghai.aliyuncs.com', 'QueryIProductionJob');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).not.toBe(d);
    expect(registry.size).toBe(3);
  });

  it.each<[string, number]>([
    ['SubmitIProductionJob', 100],
    ['SubmitMediaProducingJob', 30],
    ['QueryIProductionJob', 50],
    ['GetMediaProducingJob', 50],
    ['SomethingElse', 20],
  ])('defaults %s to %d QPS', (action, qps) => {
    expect(new LimiterRegistry().limiter('e', action).qps).toBe(qps);
  });

  it('keeps the strictest limit asked for', () => {
    const registry = new LimiterRegistry();
    expect(registry.limiter('e', 'SubmitIProductionJob', 50).qps).toBe(50);
    expect(registry.limiter('e', 'SubmitIProductionJob', 80).qps).toBe(50);
    expect(registry.limiter('e', 'SubmitIProductionJob', 10).qps).toBe(10);
    // the same share, borrowing up to less: the lower ceiling wins; a higher one does not replace it
    expect(registry.limiter('e', 'SubmitIProductionJob', 10, 100).borrowUpTo).toBe(10);
    expect(registry.limiter('q', 'QueryIProductionJob', 25, 50).borrowUpTo).toBe(50);
    expect(registry.limiter('q', 'QueryIProductionJob', 25, 40).borrowUpTo).toBe(40);
    expect(registry.limiter('q', 'QueryIProductionJob', 25, 50).borrowUpTo).toBe(40);
  });

  it('names the action in a bad limit', () => {
    expect(() => new LimiterRegistry().limiter('e', 'SubmitMediaProducingJob', 0)).toThrow(
      'rateLimits.SubmitMediaProducingJob must be a number greater than 0 and at most 100000, got 0',
    );
  });

  it('backs sharedLimiter with the process-wide registry', () => {
    const a = sharedLimiter('SubmitIProductionJob', 'limiter-test.example:1');
    expect(sharedLimiter('SubmitIProductionJob', 'limiter-test.example:1')).toBe(a);
    expect(defaultLimiterRegistry.limiter('limiter-test.example:1', 'SubmitIProductionJob')).toBe(a);
    expect(a.qps).toBe(100);
  });
});
