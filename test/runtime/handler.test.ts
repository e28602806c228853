import * as fc from 'fast-check';
import { createHandler, type FcContext, type Handler } from '../../lib/runtime/handler';
import { ClientCache, instanceShare, MAX_CACHED_CLIENTS } from '../../lib/runtime/handler-clients';
import { sweepReserve } from '../../lib/runtime/loop';
import { DEFAULT_RATE_LIMITS, defaultLimiterRegistry } from '../../lib/runtime/limiter';
import { DEFAULT_ACCESS_KEY, DEFAULT_STS_KEY, startLocalIce, type LocalIce } from '../endpoint';

const REGION = 'cn-shanghai';
const COVER = {
  Name: 'cover-of-talk',
  FunctionName: 'Cover',
  Input: { Type: 'OSS', Media: 'oss://media-in/clips/talk.mp4' },
  Output: { Type: 'OSS', Media: 'oss://media-out/cover/{source}-{sequenceId}.jpg' },
  JobParams: { Model: 'gif' },
};
const MTS_COVER = {
  FunctionName: 'Cover',
  Input: 'oss://media-in.oss-cn-shanghai.aliyuncs.com/clips/talk.mp4',
  Output: 'oss://media-out.oss-cn-shanghai.aliyuncs.com/cover/{source}-{sequenceId}.jpg',
  JobParams: '{}',
};
const TIMELINE = {
  Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/clips/a.mp4' }] }] },
  OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/edits/out.mp4' },
};

const buf = (o: unknown) => Buffer.from(JSON.stringify(o));

/**
 * One virtual clock for the endpoint and the handler's clients: a poll's pause advances it instead of sleeping, so
 * waits are exact and instant. It starts at the real time because the endpoint checks request timestamps (15 min).
 */
const virtual = (() => {
  const base = Date.now();
  let elapsedMs = 0;
  return { now: () => base + elapsedMs, sleep: async (ms: number) => { elapsedMs += ms; } };
})();

describe('FC handler against the local endpoint', () => {
  let ice: LocalIce;
  let logs: string[];
  let handler: Handler;
  let context: FcContext;

  beforeAll(async () => {
    ice = await startLocalIce({
      now: virtual.now,
      // Jobs named "doomed" fail; jobs named "slow" outlive any wait in these tests.
      failWhen: (job) => (job.params.Name === 'doomed' ? { Code: 'InvalidInput', Message: 'the input has no video stream' } : undefined),
      timingFor: (job) => (job.params.Name === 'slow' ? { runningMs: 3_600_000 } : undefined),
    });
  });
  afterAll(async () => {
    await ice.close();
  });
  beforeEach(() => {
    logs = [];
    handler = createHandler({
      ...virtual,
      env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION },
      log: (line) => logs.push(line),
    });
    context = { requestId: 'req-1', credentials: { ...DEFAULT_STS_KEY }, function: { timeout: 30 } };
  });

  it.each([
    ['iProduction on ICE', { request: COVER }, 'Success'],
    ['iProduction on MPS', { api: 'mts', request: MTS_COVER }, 'Success'],
    ['mediaProducing', { kind: 'mediaProducing', request: TIMELINE }, 'Success'],
  ])('GIVEN a %s job WHEN submitted, queried and waited for THEN it ends in Success', async (_name, submitFields, finalStatus) => {
    const { request, ...rest } = submitFields as { request: unknown; kind?: string; api?: string };
    // WHEN
    const submitted = await handler(buf({ action: 'submit', ...rest, request }), context);
    // THEN
    expect(submitted).toMatchObject({ JobId: expect.stringMatching(/^\w+$/), RequestId: expect.any(String) });
    expect(submitted).not.toHaveProperty("error");
    const jobId = submitted.JobId as string;
    const queried = await handler(buf({ action: 'query', ...rest, jobId }), context);
    expect(queried).toMatchObject({ Status: expect.stringMatching(/^(Init|Queuing|Analyzing|Analysing|Processing|Success)$/) });
    const waited = await handler(buf({ action: 'wait', ...rest, jobId, timeoutSeconds: 20 }), context);
    expect(waited).toMatchObject({ Status: finalStatus });
    expect(logs.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ requestId: 'req-1', event: 'invoke', action: 'submit', jobId, outcome: 'ok', ms: expect.any(Number) }),
      expect.objectContaining({ event: 'invoke', action: 'query', jobId, outcome: 'ok' }),
      expect.objectContaining({ event: 'invoke', action: 'wait', jobId, outcome: 'ok', status: finalStatus }),
    ]);
  });

  it('GIVEN an injected sleep THEN the clients pause through it, never on a real timer', async () => {
    // GIVEN
    const pauses: number[] = [];
    const recording = createHandler({
      now: virtual.now,
      sleep: async (ms) => { pauses.push(ms); await virtual.sleep(ms); },
      env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION },
      log: () => undefined,
    });
    const { JobId } = await recording(buf({ action: 'submit', request: COVER }), context);
    // WHEN
    const job = await recording(buf({ action: 'wait', jobId: JobId, timeoutSeconds: 20 }), context);
    // THEN
    expect(job).toMatchObject({ JobId, Status: 'Success' });
    expect(pauses.length).toBeGreaterThan(0);
  });

  it('GIVEN an MPS deployment THEN media producing events still go to ICE', async () => {
    // GIVEN
    const mpsDeployment = createHandler({
      ...virtual,
      env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION, IPROD_API: 'mts' },
      log: () => undefined,
    });
    // WHEN
    const { JobId } = await mpsDeployment(buf({ action: 'submit', kind: 'mediaProducing', request: TIMELINE }), context);
    const job = await mpsDeployment(buf({ action: 'wait', kind: 'mediaProducing', jobId: JobId }), context);
    const iproduction = await mpsDeployment(buf({ action: 'submit', request: MTS_COVER }), context);
    // THEN
    expect(job).toMatchObject({ JobId, Status: 'Success' });
    expect(ice.jobs.find((j) => j.jobId === JobId)).toMatchObject({ kind: 'mediaProducing', api: 'ice' });
    expect(ice.jobs.find((j) => j.jobId === iproduction.JobId)).toMatchObject({ kind: 'iproduction', api: 'mts' });
  });

  it('GIVEN a successful Cover job THEN query answers the typed result', async () => {
    // GIVEN
    const { JobId } = await handler(buf({ action: 'submit', request: COVER }), context);
    // WHEN
    const job = await handler({ action: 'wait', jobId: JobId }, context);
    // THEN the Result is the parsed cover list (seed 004), not the wire string
    expect(job).toMatchObject({ JobId, FunctionName: 'Cover', Status: 'Success', OutputFiles: expect.any(Array) });
    expect(job.Result).toEqual(expect.arrayContaining([{ Score: expect.any(Number), Time: expect.any(String), Url: expect.any(String) }]));
  });

  it('GIVEN a job that fails THEN wait answers the terminal job with Status Fail', async () => {
    // GIVEN
    const { JobId } = await handler(buf({ action: 'submit', request: { ...COVER, Name: 'doomed' } }), context);
    // WHEN
    const job = await handler(buf({ action: 'wait', jobId: JobId, timeoutSeconds: 20 }), context);
    // THEN
    expect(job).toMatchObject({ JobId, Status: 'Fail' });
    expect(JSON.parse(logs[1])).toMatchObject({ action: 'wait', outcome: 'ok', status: 'Fail' });
  });

  it('GIVEN an invalid request THEN it answers the validation issues and makes no call', async () => {
    // GIVEN
    const before = ice.stats.totals.received;
    // WHEN
    const answer = await handler(buf({ action: 'submit', request: { ...COVER, ScheduleConfig: { Priority: 0 } } }), context);
    // THEN
    expect(answer).toEqual({
      error: {
        code: 'InvalidRequest',
        message: expect.stringMatching(/Priority/),
        issues: expect.arrayContaining([expect.objectContaining({ field: 'Priority', severity: 'error' })]),
      },
    });
    expect(ice.stats.totals.received).toBe(before);
    expect(JSON.parse(logs[0])).toMatchObject({ event: 'invoke', action: 'submit', outcome: 'error:InvalidRequest' });
  });

  it('GIVEN a deployment pipeline THEN a submitted request is scheduled on it', async () => {
    // GIVEN
    const deployed = createHandler({
      ...virtual,
      env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION, IPROD_PIPELINE_ID: 'a54fdc9c9aab413caef0d1150f565e86' },
      log: () => undefined,
    });
    // WHEN
    const { JobId } = await deployed(buf({ action: 'submit', request: COVER }), context);
    // THEN the server received the pipeline in ScheduleConfig
    const job = ice.jobs.find((j) => j.jobId === JobId);
    expect(JSON.parse(job!.params.ScheduleConfig)).toEqual({ PipelineId: 'a54fdc9c9aab413caef0d1150f565e86' });
  });

  it('GIVEN a deployment capped at 4 instances THEN this instance plans a quarter of the QPS limit, so all 4 stay within it', async () => {
    // GIVEN an endpoint of its own, so that no other test's limiter is involved
    const own = await startLocalIce();
    try {
      const capped = createHandler({
        env: { ICE_ENDPOINT: own.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION, IPROD_MAX_INSTANCES: '4' },
        log: () => undefined,
      });
      // WHEN
      const answer = await capped(buf({ action: 'submit', request: COVER }), context);
      // THEN
      expect(answer.JobId).toEqual(expect.any(String));
      expect(defaultLimiterRegistry.limiter(own.endpoint, 'SubmitIProductionJob').qps).toBe(DEFAULT_RATE_LIMITS.SubmitIProductionJob / 4);
    } finally {
      await own.close();
    }
  });

  it('GIVEN the stack\'s scope in the environment THEN an out-of-scope request is refused without a call, naming the rule and value', async () => {
    // GIVEN
    const scoped = createHandler({
      env: {
        ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION,
        IPROD_FUNCTIONS: '["Cover"]', IPROD_INPUT_LOCATIONS: '["media-in/clips/"]', IPROD_OUTPUT_LOCATIONS: '["media-out/cover/"]',
      },
      log: (line) => logs.push(line),
    });
    const before = ice.jobs.length;
    // WHEN
    const inScope = await scoped(buf({ action: 'submit', request: COVER }), context);
    const outOfScope = await scoped(buf({ action: 'submit', request: { ...COVER, Output: { Type: 'OSS', Media: 'oss://media-out/elsewhere/{source}.jpg' } } }), context);
    // THEN
    expect(inScope.JobId).toEqual(expect.any(String));
    expect(outOfScope).toEqual({
      error: expect.objectContaining({ code: 'RequestRefused', rule: 'outputs', field: 'Output.Media', value: 'oss://media-out/elsewhere/{source}.jpg' }),
    });
    expect(ice.jobs).toHaveLength(before + 1);
    expect(JSON.parse(logs[logs.length - 1])).toMatchObject({ outcome: 'error:RequestRefused', refused: { rule: 'outputs', field: 'Output.Media' } });
  });

  it('GIVEN a job that outlives the wait THEN it answers WaitTimeout with the last status', async () => {
    // GIVEN
    const { JobId } = await handler(buf({ action: 'submit', request: { ...COVER, Name: 'slow' } }), context);
    // WHEN
    const answer = await handler(buf({ action: 'wait', jobId: JobId, timeoutSeconds: 0.05 }), context);
    // THEN
    expect(answer).toEqual({
      error: expect.objectContaining({ code: 'WaitTimeout', jobId: JobId, lastStatus: expect.stringMatching(/Queuing|Analyzing/) }),
    });
  });

  it.each([
    // margin = clamp(10% of the timeout, 1 s, 5 s): 1 s leaves nothing, 2 s leaves 1 s.
    [1, 'InsufficientTime'],
    [2, 'WaitTimeout'],
  ])('GIVEN a function timeout of %i s and a long wait THEN the wait never outlives the function (%s)', async (timeout, code) => {
    // GIVEN the virtual clock, which moves only when the client pauses, so the remaining time is exactly timeout - margin
    const frozen = createHandler({
      ...virtual,
      env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION },
      log: () => undefined,
    });
    const { JobId } = await frozen(buf({ action: 'submit', request: { ...COVER, Name: 'slow' } }), context);
    // WHEN
    const answer = await frozen(buf({ action: 'wait', jobId: JobId, timeoutSeconds: 3600 }), { ...context, function: { timeout } });
    // THEN
    expect(answer).toEqual({ error: expect.objectContaining({ code, jobId: JobId }) });
    if (code === 'WaitTimeout') expect(answer.error).toMatchObject({ message: expect.stringMatching(/within 1000 ms/) });
  });

  it('GIVEN a query that hangs past the function time THEN the wait is abandoned and answers WaitTimeout', async () => {
    // GIVEN a 2 s function (margin 1 s: the wait's deadline is 1 s, the hard stop 1.5 s) and a query held for 4 s
    // (Real time on purpose: what is under test is the hard stop's timer against a query held in flight.)
    const frozen = createHandler({
      env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION },
      now: () => 1_000_000,
      log: () => undefined,
    });
    const { JobId } = await frozen(buf({ action: 'submit', request: { ...COVER, Name: 'slow' } }), context);
    const remove = ice.setFault({ action: 'QueryIProductionJob', kind: 'latency', latencyMs: 4_000, count: 1 });
    try {
      // WHEN
      const answer = await frozen(buf({ action: 'wait', jobId: JobId }), { ...context, function: { timeout: 2 } });
      // THEN the answer comes from the hard stop, not from the query
      expect(answer).toEqual({ error: expect.objectContaining({ code: 'WaitTimeout', jobId: JobId, message: expect.stringMatching(/aborted/) }) });
    } finally {
      remove();
    }
  });

  it('GIVEN an MNS topic notification about a finished job THEN it answers the job with its final result', async () => {
    // GIVEN
    const { JobId } = await handler(buf({ action: 'submit', request: COVER }), context);
    await handler(buf({ action: 'wait', jobId: JobId }), context);
    const message = { jobId: JobId, requestId: 'R', type: 'IProduction', state: 'Success', code: '', msg: '' };
    const event = {
      TopicOwner: '1234', TopicName: 'iprod-done', Subscriber: '1234', SubscriptionName: 'fc', MessageId: 'M-1',
      Message: JSON.stringify(message), MessageMD5: 'x', PublishTime: 1,
    };
    // WHEN
    const answer = await handler(buf(event), context);
    // THEN
    expect(answer).toEqual({
      notification: expect.objectContaining({ source: 'mns-topic', format: 'mps', jobId: JobId, reportedState: 'Success', messageId: 'M-1' }),
      job: expect.objectContaining({ JobId, Status: 'Success' }),
    });
    expect(JSON.parse(logs[2])).toMatchObject({ event: 'notification', jobId: JobId, outcome: 'ok', status: 'Success' });
  });

  it('GIVEN a STREAM ICE callback for a media producing job THEN it queries GetMediaProducingJob', async () => {
    // GIVEN
    const { JobId } = await handler(buf({ action: 'submit', kind: 'mediaProducing', request: TIMELINE }), context);
    const callback = { EventType: 'ProduceMediaComplete', UserId: 1, EventTime: 'T', MessageBody: { JobId, Status: 'Success' } };
    // WHEN
    const answer = await handler(buf(callback), context);
    // THEN
    expect(answer).toEqual({
      notification: expect.objectContaining({ source: 'stream', format: 'ice', kind: 'mediaProducing', jobId: JobId }),
      job: expect.objectContaining({ JobId }),
    });
  });

  it('GIVEN an MPS message about a transcoding job THEN it is skipped without a call', async () => {
    // GIVEN
    const before = ice.stats.totals.received;
    // WHEN
    const answer = await handler(buf({ JobId: 'abc', Type: 'Transcode', State: 'Success' }), context);
    // THEN
    expect(answer).toMatchObject({ skipped: expect.stringMatching(/"Transcode" is not an intelligent production job/) });
    expect(ice.stats.totals.received).toBe(before);
  });

  it('GIVEN a timer listing a known and an unknown job THEN it reports each', async () => {
    // GIVEN
    const { JobId } = await handler(buf({ action: 'submit', request: COVER }), context);
    await handler(buf({ action: 'wait', jobId: JobId }), context);
    const event = { triggerTime: '2026-11-21T13:00:00Z', triggerName: 'sweep', payload: JSON.stringify({ jobIds: [JobId, 'ffffffffffffffffffffffffffffffff'] }) };
    // WHEN
    const answer = await handler(buf(event), context);
    // THEN
    expect(answer).toEqual({
      timer: { triggerName: 'sweep', triggerTime: '2026-11-21T13:00:00Z', kind: 'iProduction' },
      summary: { Success: 1, Error: 1 },
      jobs: [
        { jobId: JobId, job: expect.objectContaining({ Status: 'Success' }) },
        { jobId: 'ffffffffffffffffffffffffffffffff', error: expect.objectContaining({ code: 'InvalidParameter.JobNotFound', statusCode: 404 }) },
      ],
    });
    expect(JSON.parse(logs[2])).toMatchObject({ event: 'timer', jobs: 2, outcome: 'ok' });
  });

  it('GIVEN an unknown job THEN query answers the service error code', async () => {
    // WHEN
    const answer = await handler(buf({ action: 'query', jobId: 'ffffffffffffffffffffffffffffffff' }), context);
    // THEN
    expect(answer).toEqual({
      error: expect.objectContaining({ code: 'InvalidParameter.JobNotFound', statusCode: 404, action: 'QueryIProductionJob', requestId: expect.any(String) }),
    });
  });

  it('GIVEN wrong credentials THEN it answers the signature error', async () => {
    // WHEN
    const answer = await handler(buf({ action: 'query', jobId: 'abc' }), {
      ...context,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId, accessKeySecret: 'wrong-secret' },
    });
    // THEN
    expect(answer).toEqual({ error: expect.objectContaining({ code: 'SignatureDoesNotMatch' }) });
  });

  it('GIVEN the connection breaks after a submit is sent THEN it answers UnknownOutcome carrying the request', async () => {
    // GIVEN
    const remove = ice.setFault({ action: 'SubmitIProductionJob', kind: 'reset-after', count: 1 });
    try {
      // WHEN
      const answer = await handler(buf({ action: 'submit', request: COVER }), context);
      // THEN
      expect(answer).toEqual({
        error: expect.objectContaining({ code: 'UnknownOutcome', action: 'SubmitIProductionJob', request: expect.objectContaining({ Name: 'cover-of-talk' }) }),
      });
    } finally {
      remove();
    }
  });

  it('GIVEN an ICE_ENDPOINT the client refuses THEN it answers InvalidConfiguration naming it', async () => {
    // GIVEN
    const misconfigured = createHandler({ ...virtual, env: { ICE_ENDPOINT: 'http://127.0.0.1:1', IPROD_REGION: REGION }, log: () => undefined });
    // WHEN
    const answer = await misconfigured(buf({ action: 'query', jobId: 'abc' }), context);
    // THEN
    expect(answer).toEqual({ error: { code: 'InvalidConfiguration', message: expect.stringMatching(/endpoint must be .*got "http:\/\/127\.0\.0\.1:1"/) } });
  });

  it('GIVEN no region anywhere THEN it answers MissingRegion without a call', async () => {
    // GIVEN
    const bare = createHandler({ ...virtual, env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http' }, log: () => undefined });
    // WHEN
    const answer = await bare(buf({ action: 'query', jobId: 'abc' }), context);
    // THEN
    expect(answer).toEqual({ error: expect.objectContaining({ code: 'MissingRegion' }) });
  });

  it('GIVEN arbitrary events THEN the handler never rejects and always answers an object', async () => {
    const arbitrary = fc.oneof(
      fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.record({
        action: fc.constantFrom('submit', 'query', 'wait', 'nope'),
        jobId: fc.oneof(fc.string({ maxLength: 8 }), fc.constant('ffffffffffffffffffffffffffffffff')),
        request: fc.oneof(fc.jsonValue(), fc.constant(COVER).map((c) => ({ ...c, ScheduleConfig: { Priority: 99 } }))),
      }, { requiredKeys: ['action'] }).map(buf),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (event) => {
        const answer = await handler(event, { ...context, function: { timeout: 2 } });
        expect(typeof answer).toBe('object');
        expect(answer).not.toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});

describe('ClientCache', () => {
  const settings = { region: REGION, api: 'ice' as const, endpoint: '127.0.0.1:1', protocol: 'http' as const };

  it('GIVEN the same credentials and endpoint THEN warm invocations reuse one client', () => {
    // GIVEN
    const cache = new ClientCache();
    // WHEN
    const a = cache.get({ ...settings, credential: { accessKeyId: 'A', accessKeySecret: 'S' } }, undefined);
    const b = cache.get({ ...settings, credential: { accessKeyId: 'A', accessKeySecret: 'S' } }, 'ice');
    // THEN
    expect(b).toBe(a);
    expect(cache.size).toBe(1);
  });

  it.each([
    ['rotated STS token', { credential: { accessKeyId: 'A', accessKeySecret: 'S', securityToken: 'T2' } }, undefined],
    ['other endpoint', { endpoint: '127.0.0.1:2' }, undefined],
    ['other API', {}, 'mts'],
  ])('GIVEN a %s THEN a new client is made', (_name, change, api) => {
    // GIVEN
    const cache = new ClientCache();
    const base = { ...settings, credential: { accessKeyId: 'A', accessKeySecret: 'S', securityToken: 'T1' } };
    const a = cache.get(base, undefined);
    // WHEN
    const b = cache.get({ ...base, ...change }, api as 'mts' | undefined);
    // THEN
    expect(b).not.toBe(a);
    expect(cache.size).toBe(2);
  });

  it('GIVEN an instance cap THEN every action\'s limit is divided by it', () => {
    // WHEN
    const share = instanceShare(10);
    // THEN
    expect(share).toMatchObject({ SubmitIProductionJob: 10, QueryIProductionJob: 5, SubmitMediaProducingJob: 3, GetMediaProducingJob: 5 });
    expect(Object.keys(share).sort()).toEqual(Object.keys(DEFAULT_RATE_LIMITS).sort());
    const cache = new ClientCache();
    expect(cache.get({ ...settings, maxInstances: 10 }, undefined)).not.toBe(cache.get(settings, undefined));
  });

  it("GIVEN the loop's sweep budget THEN the instances divide the rest, and the sweep's own client plans the budget apart from the shared limiters", () => {
    // GIVEN half the query limit set aside for the sweep
    const reserved = sweepReserve();
    expect(reserved).toEqual({ QueryIProductionJob: DEFAULT_RATE_LIMITS.QueryIProductionJob / 2 });
    // WHEN
    const share = instanceShare(10, reserved);
    // THEN the instances together and the sweep stay within the limit
    expect(share.QueryIProductionJob! * 10 + reserved.QueryIProductionJob!).toBe(DEFAULT_RATE_LIMITS.QueryIProductionJob);
    expect(share.SubmitIProductionJob).toBe(DEFAULT_RATE_LIMITS.SubmitIProductionJob / 10);
    const cache = new ClientCache();
    const instance = cache.get({ ...settings, maxInstances: 10 }, undefined, reserved);
    const sweep = cache.get({ ...settings, maxInstances: 10 }, undefined, reserved, true);
    expect(sweep).not.toBe(instance);
    expect(cache.get({ ...settings, maxInstances: 10 }, undefined, reserved, true)).toBe(sweep);
    // AND each instance may borrow up to the whole limit what the others leave unused (its share is its floor)
    const alone = cache.get({ ...settings, endpoint: 'borrow.example:1', maxInstances: 10 }, undefined, reserved);
    alone.wouldWait('SubmitIProductionJob');
    const limiter = defaultLimiterRegistry.limiter('borrow.example:1', 'SubmitIProductionJob', share.SubmitIProductionJob, DEFAULT_RATE_LIMITS.SubmitIProductionJob);
    expect([limiter.qps, limiter.borrowUpTo]).toEqual([10, DEFAULT_RATE_LIMITS.SubmitIProductionJob]);
  });

  it('GIVEN more credentials than the bound THEN the least recently used client is dropped', () => {
    // GIVEN
    const cache = new ClientCache();
    const first = cache.get({ ...settings, credential: { accessKeyId: 'K0', accessKeySecret: 'S' } }, undefined);
    // WHEN
    for (let i = 1; i <= MAX_CACHED_CLIENTS; i++) cache.get({ ...settings, credential: { accessKeyId: `K${i}`, accessKeySecret: 'S' } }, undefined);
    // THEN
    expect(cache.size).toBe(MAX_CACHED_CLIENTS);
    expect(cache.get({ ...settings, credential: { accessKeyId: 'K0', accessKeySecret: 'S' } }, undefined)).not.toBe(first);
  });
});

describe('FC handler answers stay small and say what to do', () => {
  let ice: LocalIce;
  beforeAll(async () => {
    ice = await startLocalIce();
  });
  afterAll(async () => {
    await ice.close();
  });

  it('GIVEN a non-string context.region THEN it answers a configuration error, not a crash', async () => {
    const handler = createHandler({ ...virtual, env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http' }, log: () => undefined });
    const answer = await handler(buf({ action: 'query', jobId: 'abc' }), { region: 7 as never, credentials: { ...DEFAULT_ACCESS_KEY } });
    expect(answer).toEqual({ error: { code: 'InvalidConfiguration', message: expect.stringContaining('context.region must be a region id string') } });
  });

  it('GIVEN no credentials anywhere THEN it answers MissingCredentials at once, saying what to set, without retrying', async () => {
    // GIVEN an environment with no keys and a HOME with no credentials file
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('ALIBABA_CLOUD_') || k.startsWith('ALICLOUD_')) delete process.env[k];
    process.env.HOME = '/nonexistent-iprod-home';
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
    try {
      const handler = createHandler({ ...virtual, env: { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http', IPROD_REGION: REGION }, log: () => undefined });
      const before = ice.stats.totals.received;
      // WHEN
      const answer = await handler(buf({ action: 'query', jobId: 'abc' }), {});
      // THEN
      expect(answer).toEqual({ error: { code: 'MissingCredentials', message: expect.stringContaining('set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET') } });
      expect((answer as { error: { message: string } }).error.message).toContain('context.credentials');
      expect(ice.stats.totals.received).toBe(before);
    } finally {
      process.env = saved;
    }
  });
});

