import fc from 'fast-check';
import { SlidingWindowLimiter, THROTTLING_MESSAGE, manualClock, startLocalIce } from './index';
import { sdkCall, sdkClient, sdkError } from './sdk';

const submit = (i: number) => ({
  action: 'SubmitIProductionJob',
  query: {
    FunctionName: 'VideoH2V',
    Input: JSON.stringify({ Type: 'OSS', Media: `oss://bucket/in/${i}.mp4` }),
    Output: JSON.stringify({ Type: 'OSS', Media: `oss://bucket/out/${i}.mp4` }),
  },
});

describe('rate limits over the real SDK', () => {
  it('admits exactly 100 of 150 parallel SubmitIProductionJob calls within one second, then recovers', async () => {
    // GIVEN the default 100 QPS and a clock that stands still, so all 150 fall in one window
    const clock = manualClock(Date.now());
    const ice = await startLocalIce({ now: clock.now });
    try {
      const client = sdkClient(ice);
      // WHEN 150 calls go out at once
      const outcomes = await Promise.allSettled(Array.from({ length: 150 }, (_, i) => sdkCall(client, submit(i))));
      // THEN 100 succeed and 50 are throttled the way the service throttles
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(100);
      expect(rejected).toHaveLength(50);
      for (const err of rejected) {
        expect(err.code).toBe('Throttling.User');
        expect(err.statusCode).toBe(400);
        expect(err.data.Message).toBe(THROTTLING_MESSAGE);
      }
      expect(ice.stats.actions.SubmitIProductionJob).toMatchObject({ received: 150, accepted: 100, throttled: 50 });
      expect(ice.jobs).toHaveLength(100);
      // WHEN a second passes THEN calls are admitted again
      clock.advance(1000);
      expect((await sdkCall(client, submit(999))).statusCode).toBe(200);
    } finally {
      await ice.close();
    }
  });

  it('limits SubmitMediaProducingJob to 30 QPS and counts APIs apart', async () => {
    // GIVEN a frozen clock
    const clock = manualClock(Date.now());
    const ice = await startLocalIce({ now: clock.now, qps: { SubmitIProductionJob: 1 } });
    try {
      const client = sdkClient(ice);
      // WHEN 40 timeline jobs are sent
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          sdkCall(client, { action: 'SubmitMediaProducingJob', body: { Timeline: JSON.stringify({ VideoTracks: [], i }) } }),
        ),
      );
      // THEN 30 pass
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(30);
      // AND a 1-QPS ICE submit limit does not consume MPS's
      expect((await sdkCall(client, submit(1))).statusCode).toBe(200);
      const mts = { ...submit(2), version: '2014-06-18', query: { FunctionName: 'Cover', JobParams: '{}' } };
      expect((await sdkCall(client, mts)).statusCode).toBe(200);
      const err = await sdkError(sdkCall(client, submit(3)));
      expect(err.code).toBe('Throttling.User');
      expect(ice.stats.byApi.ice.SubmitIProductionJob.throttled).toBe(1);
      expect(ice.stats.byApi.mts.SubmitIProductionJob.accepted).toBe(1);
    } finally {
      await ice.close();
    }
  });
});

describe('SlidingWindowLimiter', () => {
  it('never admits more than qps within any 1000 ms and refuses only when the window is full (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 200 }), (qps, gaps) => {
        // GIVEN arrivals at increasing times
        const limiter = new SlidingWindowLimiter(qps);
        const admitted: number[] = [];
        let t = 0;
        for (const gap of gaps) {
          t += gap;
          const inWindow = admitted.filter((a) => a > t - 1000).length;
          // WHEN one arrives
          const wait = limiter.tryAcquire(t);
          // THEN it is admitted exactly when fewer than qps were admitted in the last second
          expect(wait === 0).toBe(inWindow < qps);
          if (wait === 0) {
            admitted.push(t);
          } else {
            // AND the wait is when the oldest admission leaves the window
            expect(wait).toBe(admitted.filter((a) => a > t - 1000)[0] + 1000 - t);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([0, -1, NaN])('refuses qps %p', (qps) => {
    expect(() => new SlidingWindowLimiter(qps)).toThrow(/qps must be > 0/);
  });
});
