import { account, achievedFraction, median, queryBound, summarize, SubmitRecord } from '../../bench/stats';

describe('bench stats helpers', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1, 10], 10],
  ])('median of %j is %d', (values, expected) => {
    // GIVEN a list of samples / WHEN the median is taken / THEN it is the middle value (mean of the two middles)
    expect(median(values)).toBe(expected);
  });

  it('summarize keeps the samples in order and reports the spread', () => {
    // GIVEN samples measured in this order
    const samples = [30, 10, 20];
    // WHEN summarized
    const s = summarize(samples);
    // THEN the median and the spread come out, and the input order is kept
    expect(s).toEqual({ median: 20, min: 10, max: 30, samples: [30, 10, 20] });
  });

  it.each([
    [[], /empty list/],
    [[1, Number.NaN], /finite numbers, got NaN/],
  ])('summarize rejects %j', (values, message) => {
    expect(() => summarize(values)).toThrow(message);
  });

  it.each([
    // T, first delay, bound = 1 + ceil(log2(T / first))
    [2_000, 1_000, 2],
    [10_000, 1_000, 5],
    [60_000, 1_000, 7],
    [8_000, 1_000, 4],
    [1_000, 1_000, 1],
    [500, 1_000, 1],
    [100, 50, 2],
  ])('queryBound(%d ms, first %d ms) is %d', (T, first, expected) => {
    expect(queryBound(T, first)).toBe(expected);
  });

  it.each([
    [1_000, 0, /firstDelayMs must be greater than 0, got 0/],
    [-1, 1_000, /durationMs must be at least 0, got -1/],
  ])('queryBound(%d, %d) rejects bad input', (T, first, message) => {
    expect(() => queryBound(T, first)).toThrow(message);
  });

  it('achievedFraction divides accepted per second by the limit', () => {
    // GIVEN 2,850 accepted submits over 30 s against a 100 QPS limit / THEN 0.95 of the limit
    expect(achievedFraction(2_850, 30_000, 100)).toBeCloseTo(0.95, 10);
    expect(() => achievedFraction(1, 0, 100)).toThrow(/elapsedMs must be greater than 0, got 0/);
  });

  it('account separates delivered, lost, orphaned, duplicated and phantom submits', () => {
    // GIVEN one submit of every kind
    const records: SubmitRecord[] = [
      { outcome: 'jobId', jobId: 'a', endpointJobs: 1, jobIdKnownToEndpoint: true }, // delivered
      { outcome: 'jobId', jobId: 'b', endpointJobs: 3, jobIdKnownToEndpoint: true }, // delivered, 2 duplicates
      { outcome: 'error', endpointJobs: 0 }, // lost (throttled, nothing created)
      { outcome: 'unknown', endpointJobs: 0 }, // lost (no answer, nothing created)
      { outcome: 'unknown', endpointJobs: 1 }, // orphaned (no answer, but the job exists)
      { outcome: 'jobId', jobId: 'z', endpointJobs: 0, jobIdKnownToEndpoint: false }, // phantom
    ];
    // WHEN accounted / THEN each lands in its own bucket
    expect(account(records)).toEqual({
      intended: 6,
      delivered: 2,
      lost: 2,
      lostWithUnknownOutcome: 1,
      orphaned: 1,
      duplicates: 2,
      phantom: 1,
    });
  });
});
