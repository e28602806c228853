import * as fc from 'fast-check';
import { AbortError, JobFailedError, WaitTimeoutError } from '../../lib/runtime/errors';
import { DurationHistory, pollDelayMs, pollJob, resolveWaitOptions, WaitOptions } from '../../lib/runtime/wait';

interface FakeJob {
  Status: string;
}

/** A job that finishes at `finishAtMs` of virtual time, and a sleep that advances that time. */
function scenario(finishAtMs: number, finalStatus = 'Success') {
  const t = { ms: 0 };
  const queries: number[] = [];
  const sleeps: number[] = [];
  return {
    t,
    queries,
    sleeps,
    props: (options?: WaitOptions<FakeJob>) => ({
      jobId: 'job-1',
      query: async (): Promise<FakeJob> => {
        queries.push(t.ms);
        return { Status: t.ms >= finishAtMs ? finalStatus : t.ms > 0 ? 'Analyzing' : 'Queuing' };
      },
      outcome: (j: FakeJob) => (j.Status === 'Success' ? 'success' : j.Status === 'Fail' ? 'failure' : 'pending') as 'success' | 'failure' | 'pending',
      fail: (j: FakeJob) => new JobFailedError({ jobId: 'job-1', code: 'E', message: 'broken', status: j.Status }),
      statusOf: (j: FakeJob) => j.Status,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t.ms += ms;
      },
      now: () => t.ms,
      options,
    }),
  };
}

describe('pollJob', () => {
  it('queries with capped exponential pauses until the job succeeds, reporting each status', async () => {
    // GIVEN a job that finishes after 5 s
    const s = scenario(5000);
    const seen: string[] = [];
    // WHEN
    const job = await pollJob(
      s.props({ firstQueryDelayMs: 0, initialDelayMs: 500, maxDelayMs: 2000, factor: 2, onProgress: (j) => seen.push(j.Status) }),
    );
    // THEN
    expect(job.Status).toBe('Success');
    expect(s.sleeps).toEqual([500, 1000, 2000, 2000]);
    expect(s.queries).toEqual([0, 500, 1500, 3500, 5500]);
    expect(seen).toEqual(['Queuing', 'Analyzing', 'Analyzing', 'Analyzing', 'Success']);
  });

  it('by default pauses once before the first query, so queries land at d, 2d, 4d, ...', async () => {
    // GIVEN a job that finishes after 5 s, watched from the moment it was submitted
    const s = scenario(5000);
    // WHEN waiting with the defaults but a 500 ms first pause
    const job = await pollJob(s.props({ initialDelayMs: 500, maxDelayMs: 2000, factor: 2 }));
    // THEN no query is spent at t=0 on a job that cannot be done yet
    expect(job.Status).toBe('Success');
    expect(s.sleeps).toEqual([500, 500, 1000, 2000, 2000]);
    expect(s.queries).toEqual([500, 1000, 2000, 4000, 6000]);
  });

  it('makes at most 1 + ceil(log2(T / first delay)) queries while pauses grow (the default first pause)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 100, max: 5000 }), async (finishAt, first) => {
        const s = scenario(finishAt);
        await pollJob(s.props({ initialDelayMs: first, maxDelayMs: 604_800_000, factor: 2 }));
        return s.queries.length === 1 + Math.max(0, Math.ceil(Math.log2(finishAt / first)));
      }),
      { numRuns: 300 },
    );
  });

  it('makes about 1 + ceil(log2(T / first delay + 1)) queries when the first query is immediate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 100, max: 5000 }), async (finishAt, first) => {
        const s = scenario(finishAt);
        await pollJob(s.props({ firstQueryDelayMs: 0, initialDelayMs: first, maxDelayMs: 604_800_000, factor: 2 }));
        return s.queries.length === 1 + Math.ceil(Math.log2(finishAt / first + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('throws JobFailedError with the job facts on a failed terminal state', async () => {
    const s = scenario(1000, 'Fail');
    const err = await pollJob(s.props({ initialDelayMs: 1000 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err).toMatchObject({ jobId: 'job-1', code: 'E', status: 'Fail', message: 'job job-1 ended with status Fail (E): broken' });
  });

  it('throws WaitTimeoutError at the deadline after a last query there', async () => {
    // GIVEN a job that never finishes within the 3.5 s deadline
    const s = scenario(Number.MAX_SAFE_INTEGER);
    // WHEN
    const err = await pollJob(s.props({ timeoutMs: 3500, firstQueryDelayMs: 0, initialDelayMs: 1000 })).catch((e: unknown) => e);
    // THEN the last pause is shortened to end at the deadline
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err).toMatchObject({ jobId: 'job-1', lastStatus: 'Analyzing', timeoutMs: 3500 });
    expect(s.queries).toEqual([0, 1000, 3000, 3500]);
  });

  it('rejects with AbortError when aborted during a pause, even if the sleep ignores the signal', async () => {
    // GIVEN a sleep that never ends by itself
    const controller = new AbortController();
    const s = scenario(Number.MAX_SAFE_INTEGER);
    const props = { ...s.props({ signal: controller.signal, firstQueryDelayMs: 0 }), sleep: () => new Promise<void>(() => undefined) };
    const pending = pollJob(props);
    // WHEN
    await new Promise((r) => setImmediate(r));
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    // THEN
    expect(err).toBeInstanceOf(AbortError);
    expect(err).toMatchObject({ name: 'AbortError', jobId: 'job-1', lastStatus: 'Queuing' });
    expect(s.queries).toHaveLength(1);
  });

  it('rejects with AbortError when aborted during a query', async () => {
    const controller = new AbortController();
    const s = scenario(0);
    const props = { ...s.props({ signal: controller.signal }), query: () => new Promise<FakeJob>(() => undefined) };
    const pending = pollJob(props);
    controller.abort('user gave up');
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', cause: 'user gave up' });
  });

  it('does not query at all when the signal is already aborted', async () => {
    const s = scenario(0);
    await expect(pollJob(s.props({ signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(AbortError);
    expect(s.queries).toEqual([]);
  });
});

describe('pollDelayMs', () => {
  it.each<[number, number]>([
    [0, 1000],
    [1, 2000],
    [4, 16000],
    [5, 30000],
    [50, 30000],
  ])('pause %d is %d ms with the defaults', (n, ms) => {
    expect(pollDelayMs(n, resolveWaitOptions())).toBe(ms);
  });
});

describe('resolveWaitOptions', () => {
  it.each<[object, string]>([
    [{ timeoutMs: -1 }, 'timeoutMs must be an integer between 0 and 604800000, got -1'],
    [{ initialDelayMs: 0 }, 'initialDelayMs must be an integer between 1 and 604800000, got 0'],
    [{ firstQueryDelayMs: -1 }, 'firstQueryDelayMs must be an integer between 0 and 604800000, got -1'],
    [{ initialDelayMs: 5000, maxDelayMs: 1000 }, 'maxDelayMs must be at least initialDelayMs (5000), got 1000'],
    [{ factor: 0.5 }, 'factor must be a number between 1 and 10, got 0.5'],
    [{ onProgress: 'log' }, 'onProgress must be a function, got string'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveWaitOptions(options as never)).toThrow(message);
  });
});

describe('pollJob learning durations', () => {
  const budget = (T: number, d = 1000): number => (T <= d ? 1 : 1 + Math.ceil(Number(Math.log2(T / d).toFixed(9))));

  async function waitFor(T: number, history: DurationHistory, key = 'f'): Promise<{ queries: number; delay: number }> {
    const s = scenario(T);
    await pollJob({ ...s.props(), history, historyKey: key });
    return { queries: s.queries.length, delay: s.queries[s.queries.length - 1] - T };
  }

  it.each([2_000, 10_000, 60_000])('a %d ms job: after three waits the next is seen within 25%% of its time, within the query budget', async (T) => {
    // GIVEN a history shared by successive waits on jobs of the same function
    const history = new DurationHistory();
    const runs: Array<{ queries: number; delay: number }> = [];
    // WHEN six jobs of the same duration are waited for one after the other
    for (let i = 0; i < 6; i++) runs.push(await waitFor(T, history));
    // THEN every wait keeps the budget, and from the fourth on the delay is under a quarter of T
    for (const r of runs) expect(r.queries).toBeLessThanOrEqual(budget(T));
    for (const r of runs.slice(3)) expect(r.delay).toBeLessThan(T * 0.25);
    // AND where the plain schedule (the first wait, nothing learned) missed the goal, learning is what met it
    if (runs[0].delay >= T * 0.25) expect(runs[5].delay).toBeLessThan(runs[0].delay);
  });

  it('keeps the query budget whatever the history says', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ lo: fc.integer({ min: 0, max: 100_000 }), width: fc.integer({ min: 1, max: 100_000 }) }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 200_000 }),
        async (brackets, T) => {
          const history = new DurationHistory();
          for (const b of brackets) history.record('f', { lo: b.lo, hi: b.lo + b.width });
          const { queries } = await waitFor(T, history);
          // Past the doubling phase (pauses capped at 30 s) the plain schedule itself adds a query per 30 s.
          return T > 30_000 || queries <= budget(T);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('learns per key: another function starts from the plain schedule', async () => {
    const history = new DurationHistory();
    for (let i = 0; i < 3; i++) await waitFor(10_000, history, 'slow');
    expect(history.estimate('slow')!.hi).toBeLessThan(12_500);
    expect(history.estimate('fast')).toBeUndefined();
    const fast = await waitFor(1_500, history, 'fast');
    expect(fast.queries).toBe(2);
  });

  it('estimates from brackets: their common part, or their spread when they disagree', () => {
    const h = new DurationHistory();
    h.record('k', { lo: 8_000, hi: 16_000 });
    h.record('k', { lo: 0, hi: 11_000 });
    expect(h.estimate('k')).toEqual({ lo: 8_000, hi: 11_000 });
    // A job that ran 12-13 s contradicts "done by 11 s": median lo, third quartile of hi.
    h.record('k', { lo: 12_000, hi: 13_000 });
    expect(h.estimate('k')).toEqual({ lo: 8_000, hi: 16_000 });
    // A bracket that makes no sense is ignored.
    h.record('k', { lo: 5, hi: 5 });
    expect(h.brackets('k')).toHaveLength(3);
  });
});
