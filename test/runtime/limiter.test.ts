import * as fc from 'fast-check';
import { bucketShapeFor, defaultLimiterRegistry, LimiterRegistry, RateLimiter, sharedLimiter, TokenBucket } from '../../lib/runtime/limiter';

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

describe('TokenBucket', () => {
  it('starts full, then refills at exactly the rate', () => {
    // GIVEN a bucket of 10 tokens/s with a burst of 3
    const t = { ms: 0 };
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, now: () => t.ms });
    // WHEN the burst is spent
    const first = [bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()];
    // THEN three are granted and the fourth must wait one token interval
    expect(first).toEqual([0, 0, 0, 100]);
    t.ms = 40;
    expect(bucket.tryTake()).toBeCloseTo(60, 9);
    t.ms = 100;
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.available()).toBeCloseTo(0, 9);
  });

  it('never holds more than its burst', () => {
    const t = { ms: 0 };
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 5, now: () => t.ms });
    t.ms = 1_000_000;
    expect(bucket.available()).toBe(5);
  });

  it('ignores a clock that steps back', () => {
    const t = { ms: 1000 };
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, now: () => t.ms });
    expect(bucket.tryTake()).toBe(0);
    t.ms = 0;
    expect(bucket.tryTake()).toBe(1000);
    t.ms = 1000;
    expect(bucket.tryTake()).toBe(1000);
    t.ms = 2000;
    expect(bucket.tryTake()).toBe(0);
  });

  it('grants at most burst + rate * t tokens in any interval of t seconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        (rate, burst, steps) => {
          const t = { ms: 0 };
          const bucket = new TokenBucket({ ratePerSecond: rate, burst, now: () => t.ms });
          let granted = 0;
          for (const step of steps) {
            t.ms += step;
            if (bucket.tryTake() === 0) granted++;
          }
          return granted <= burst + (rate * t.ms) / 1000 + 1e-6;
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each<[object, string]>([
    [{ ratePerSecond: 0 }, 'ratePerSecond must be a positive finite number, got 0'],
    [{ ratePerSecond: Infinity }, 'ratePerSecond must be a positive finite number, got Infinity'],
    [{ ratePerSecond: 5, burst: 0 }, 'burst must be an integer of at least 1, got 0'],
    [{ ratePerSecond: 5, burst: 1.5 }, 'burst must be an integer of at least 1, got 1.5'],
  ])('rejects %j', (options, message) => {
    expect(() => new TokenBucket(options as never)).toThrow(message);
  });
});

describe('bucketShapeFor', () => {
  it.each<[number, number, number]>([
    [100, 97, 3],
    [30, 29, 1],
    [5, 4, 1],
    [1, 0.5, 1],
  ])('a %d QPS service limit → %d tokens/s, burst %d', (qps, rate, burst) => {
    const shape = bucketShapeFor(qps);
    expect(shape.ratePerSecond).toBeCloseTo(rate, 9);
    expect(shape.burst).toBe(burst);
  });

  it('keeps any one-second window within the service limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (qps) => {
        const { ratePerSecond, burst } = bucketShapeFor(qps);
        return Math.floor(burst + ratePerSecond) <= qps && ratePerSecond > 0;
      }),
      { numRuns: 300 },
    );
  });
});

describe('RateLimiter', () => {
  it('serves callers in arrival order at the bucket rate, sleeping only until each token is due', async () => {
    // GIVEN a 10 QPS limiter (9 tokens/s, burst 1) on virtual time
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 10, now: time.now, sleep: time.sleep });
    const order: Array<[number, number]> = [];
    // WHEN five callers arrive at once
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire().then(() => order.push([i, time.now()]))));
    // THEN they pass in order, one token interval (1000/9 ms, rounded up per sleep) apart
    expect(order.map(([i]) => i)).toEqual([0, 1, 2, 3, 4]);
    expect(order.map(([, at]) => at)).toEqual([0, 112, 224, 336, 448]);
    expect(time.sleeps).toEqual([112, 112, 112, 112]);
    expect(limiter.queued).toBe(0);
  });

  it('never grants more than qps in any one-second window (the service counts a sliding window)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 400 }), async (qps, callers) => {
        // GIVEN
        const time = virtualTime();
        const limiter = new RateLimiter({ qps, now: time.now, sleep: time.sleep });
        const grants: number[] = [];
        // WHEN
        await Promise.all(Array.from({ length: callers }, () => limiter.acquire().then(() => grants.push(time.now()))));
        // THEN for every grant, the grants in (t - 1000, t] are at most qps
        let lo = 0;
        for (let hi = 0; hi < grants.length; hi++) {
          while (grants[lo] <= grants[hi] - 1000) lo++;
          if (hi - lo + 1 > qps) return false;
        }
        return grants.length === callers;
      }),
      { numRuns: 200 },
    );
  });

  it('lets a caller through at once when a token is available', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ qps: 100, now: time.now, sleep: time.sleep });
    await limiter.acquire();
    expect(time.sleeps).toEqual([]);
  });

  it('rejects a bad limit naming the option', () => {
    expect(() => new RateLimiter({ qps: -1 })).toThrow('qps must be a number greater than 0 and at most 100000, got -1');
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
