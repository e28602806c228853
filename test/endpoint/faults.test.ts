import { FaultSpec, LocalIce, RequestRecord, startLocalIce } from './index';
import { sdkCall, sdkClient, sdkError } from './sdk';

const submit = (n: number) => ({
  action: 'SubmitIProductionJob',
  query: {
    FunctionName: 'SpeechDenoise',
    Input: JSON.stringify({ Type: 'OSS', Media: `oss://bucket/in/${n}.wav` }),
    Output: JSON.stringify({ Type: 'OSS', Media: `oss://bucket/out/${n}.wav` }),
  },
});

describe('fault injection', () => {
  let ice: LocalIce;
  beforeEach(async () => {
    ice = await startLocalIce();
  });
  afterEach(async () => {
    await ice.close();
  });

  it('reset-before drops the connection before acting: the SDK sees a reset and no job exists', async () => {
    // GIVEN one reset-before on submits
    ice.setFault({ action: 'SubmitIProductionJob', kind: 'reset-before', count: 1 });
    const client = sdkClient(ice);
    // WHEN a submit is made
    const err = await sdkError(sdkCall(client, submit(1)));
    // THEN the client gets a transport error, not a service code, and nothing was created
    expect(err.code).toBe('ECONNRESET');
    expect(err.statusCode).toBeUndefined();
    expect(ice.jobs).toHaveLength(0);
    expect(ice.stats.actions.SubmitIProductionJob).toMatchObject({ received: 1, faulted: 1, accepted: 0 });
    // AND the fault is used up: the next call goes through
    expect((await sdkCall(client, submit(1))).statusCode).toBe(200);
  });

  it('reset-after creates the job, then drops the connection without answering', async () => {
    ice.setFault({ kind: 'reset-after', count: 1 });
    const client = sdkClient(ice);
    const err = await sdkError(sdkCall(client, submit(2)));
    expect(err.code).toBe('ECONNRESET');
    // THEN the job exists although the client never learned its id
    expect(ice.jobs).toHaveLength(1);
    expect(ice.stats.actions.SubmitIProductionJob).toMatchObject({ accepted: 1, faulted: 1 });
    // AND a retry of the same request is a duplicate the stats can see
    await sdkCall(client, submit(2));
    expect(ice.stats.duplicates).toBe(1);
  });

  it('status-503 answers ServiceUnavailable and creates nothing', async () => {
    ice.setFault({ action: 'SubmitIProductionJob', kind: 'status-503', count: 2 });
    const client = sdkClient(ice);
    for (let i = 0; i < 2; i++) {
      const err = await sdkError(sdkCall(client, submit(3)));
      expect(err.code).toBe('ServiceUnavailable');
      expect(err.statusCode).toBe(503);
    }
    expect(ice.jobs).toHaveLength(0);
    expect((await sdkCall(client, submit(3))).statusCode).toBe(200);
  });

  it('latency holds the answer past the client read timeout after the job was created', async () => {
    // GIVEN answers held 400 ms and a client that waits 100 ms
    ice.setFault({ kind: 'latency', latencyMs: 400, count: 1 });
    const client = sdkClient(ice, { readTimeout: 100 });
    // WHEN it submits
    const err = await sdkError(sdkCall(client, submit(4)));
    // THEN the SDK reports a read timeout, while the job exists (an unknown outcome for the caller)
    expect(err.message).toMatch(/ReadTimeout\(100\)/);
    expect(ice.jobs).toHaveLength(1);
  });

  it('latency below the read timeout only delays', async () => {
    ice.setFault({ kind: 'latency', latencyMs: 20, count: 1 });
    const { statusCode } = await sdkCall(sdkClient(ice), submit(5));
    expect(statusCode).toBe(200);
    expect(ice.stats.totals.faulted).toBe(1);
  });

  it('filters by action and api, and the returned function removes the fault', async () => {
    const remove = ice.setFault({ action: 'QueryIProductionJob', api: 'mts', kind: 'status-503' });
    const client = sdkClient(ice);
    const { body } = await sdkCall(client, submit(6));
    // ICE query is not matched
    expect((await sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: body.JobId } })).statusCode).toBe(200);
    // MPS query is, every time, until removed
    for (let i = 0; i < 3; i++) {
      const err = await sdkError(sdkCall(client, { action: 'QueryIProductionJob', version: '2014-06-18', query: { JobId: 'x' } }));
      expect(err.code).toBe('ServiceUnavailable');
    }
    remove();
    const err = await sdkError(sdkCall(client, { action: 'QueryIProductionJob', version: '2014-06-18', query: { JobId: 'x' } }));
    expect(err.code).toBe('InvalidParameter.JobNotFound');
  });

  it('fires probabilistic faults from the seeded PRNG: same seed, same pattern', async () => {
    // GIVEN two servers with the same seed and a 30 % 503 fault
    const runPattern = async (server: LocalIce) => {
      server.setFault({ kind: 'status-503', probability: 0.3 });
      const client = sdkClient(server);
      const pattern: string[] = [];
      for (let i = 0; i < 40; i++) {
        pattern.push(await sdkCall(client, submit(100 + i)).then(() => 'ok', (e) => e.code));
      }
      return pattern;
    };
    const other = await startLocalIce({ seed: 1 });
    try {
      const a = await runPattern(ice);
      const b = await runPattern(other);
      // THEN the patterns match and contain both outcomes
      expect(a).toEqual(b);
      const failures = a.filter((x) => x === 'ServiceUnavailable').length;
      expect(failures).toBeGreaterThan(0);
      expect(failures).toBeLessThan(40);
      expect(ice.stats.totals.faulted).toBe(failures);
    } finally {
      await other.close();
    }
  });

  it('reports every request to onRequest, resets included, with the job it concerns', async () => {
    // GIVEN a server that records requests and resets the first submit after creating its job
    const records: RequestRecord[] = [];
    const server = await startLocalIce({ onRequest: (r) => records.push(r) });
    try {
      server.setFault({ kind: 'reset-after', action: 'SubmitIProductionJob', count: 1 });
      const client = sdkClient(server);
      // WHEN a submit is reset, retried, and queried
      await sdkError(sdkCall(client, submit(7)));
      const { body } = await sdkCall(client, submit(7));
      await sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: body.JobId } });
      // THEN the log tells the whole story
      const [lost] = server.jobs;
      expect(records.map(({ statusCode, action, code, fault, jobId }) => ({ statusCode, action, code, fault, jobId }))).toEqual([
        { statusCode: 0, action: 'SubmitIProductionJob', code: undefined, fault: 'reset-after', jobId: lost.jobId },
        { statusCode: 200, action: 'SubmitIProductionJob', code: undefined, fault: undefined, jobId: body.JobId },
        { statusCode: 200, action: 'QueryIProductionJob', code: undefined, fault: undefined, jobId: body.JobId },
      ]);
      expect(new Set(records.map((r) => r.requestId)).size).toBe(3);
    } finally {
      await server.close();
    }
  });

  it.each<[string, FaultSpec, RegExp]>([
    ['an unknown kind', { kind: 'explode' as never }, /fault kind must be one of reset-before, reset-after, status-503, latency, got "explode"/],
    ['count 0', { kind: 'status-503', count: 0 }, /fault count must be an integer > 0, got 0/],
    ['probability 2', { kind: 'status-503', probability: 2 }, /fault probability must be between 0 and 1, got 2/],
    ['latency without latencyMs', { kind: 'latency' }, /fault latencyMs must be a finite number >= 0 for kind latency, got undefined/],
    ['an unknown action', { kind: 'status-503', action: 'Nope' as never }, /fault action must be one of .*got "Nope"/],
  ])('refuses a fault with %s', (_name, spec, message) => {
    expect(() => ice.setFault(spec)).toThrow(message);
  });
});

describe('server options', () => {
  it.each([
    [{ port: -1 }, /port must be an integer between 0 and 65535, got -1/],
    [{ qps: { SubmitIProductionJob: 0 } }, /qps.SubmitIProductionJob must be > 0 \(Infinity for no limit\), got 0/],
    [{ qps: { Other: 1 } as never }, /qps keys must be one of .*got Other/],
    [{ timing: { runningMs: -5 } }, /timing.runningMs must be a finite number >= 0, got -5/],
    [{ accessKeys: [] }, /accessKeys must hold at least one key, got \[\]/],
    [{ clockSkewMs: -1 }, /clockSkewMs must be >= 0, got -1/],
  ])('refuses %j', async (options, message) => {
    await expect(startLocalIce(options)).rejects.toThrow(message);
  });

  it('close() is prompt with a request still held by latency, and idempotent', async () => {
    // GIVEN a request held for a minute
    const ice = await startLocalIce();
    ice.setFault({ kind: 'latency', latencyMs: 60_000 });
    const pending = sdkError(sdkCall(sdkClient(ice, { readTimeout: 120_000 }), submit(9)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // WHEN the server closes
    await ice.close();
    await ice.close();
    // THEN the client sees the connection go instead of waiting out the minute
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/);
  });
});
