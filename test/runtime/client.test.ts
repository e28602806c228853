import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { JobValidationError } from '../../lib/jobs';
import { IProductionClient } from '../../lib/runtime/client';
import { AbortError, IceApiError, JobFailedError, RuntimeOptionsError, WaitTimeoutError } from '../../lib/runtime/errors';
import { LimiterRegistry } from '../../lib/runtime/limiter';
import { DEFAULT_STS_KEY, LocalIce, LocalIceOptions, RequestRecord, startLocalIce } from '../endpoint';
import { coverRequest, instantSleep, localClient, mtsCoverRequest, REGION, timelineRequest } from './client-fixtures';

/** The endpoint and the client share one virtual clock; the client's sleep advances it. Waits are exact and instant. */
async function virtualSetup(options: LocalIceOptions = {}): Promise<{ ice: LocalIce; t: { ms: number }; sleep: (ms: number) => Promise<void>; now: () => number }> {
  // Starts at the real time: the endpoint checks request timestamps against its clock (15 min skew).
  const base = Date.now();
  const t = { ms: 0 };
  const now = (): number => base + t.ms;
  const ice = await startLocalIce({ now, ...options });
  return {
    ice,
    t,
    now,
    sleep: async (ms: number) => {
      t.ms += ms;
    },
  };
}

describe('IProductionClient options', () => {
  it.each<[string, object, string]>([
    ['region missing', {}, `region must be a region id such as 'cn-shanghai', got undefined`],
    ['region malformed', { region: 'Shanghai' }, `region must be a region id such as 'cn-shanghai', got "Shanghai"`],
    ['endpoint with a scheme', { region: REGION, endpoint: 'https://ice.cn-shanghai.aliyuncs.com' }, 'endpoint must be a host name or host:port without a scheme or path, got "https://ice.cn-shanghai.aliyuncs.com"'],
    ['endpoint with a path', { region: REGION, endpoint: '127.0.0.1:80/x' }, 'endpoint must be a host name or host:port without a scheme or path, got "127.0.0.1:80/x"'],
    ['protocol', { region: REGION, protocol: 'ftp' }, `protocol must be 'https' or 'http', got "ftp"`],
    ['api', { region: REGION, api: 'vod' }, `api must be 'ice' or 'mts', got "vod"`],
    ['retries', { region: REGION, retry: { retries: -1 } }, 'retries must be an integer between 0 and 20, got -1'],
    ['readTimeoutMs', { region: REGION, readTimeoutMs: 0 }, 'readTimeoutMs must be an integer between 1 and 600000, got 0'],
    ['connectTimeoutMs', { region: REGION, connectTimeoutMs: 2.5 }, 'connectTimeoutMs must be an integer between 1 and 600000, got 2.5'],
    ['rateLimits key', { region: REGION, rateLimits: { ListJobs: 5 } }, 'rateLimits keys must be one of SubmitIProductionJob, QueryIProductionJob, SubmitMediaProducingJob, GetMediaProducingJob, GetEventCallback, SetEventCallback, got "ListJobs"'],
    ['rateLimits value', { region: REGION, rateLimits: { SubmitIProductionJob: 0 } }, 'rateLimits.SubmitIProductionJob must be a number greater than 0 and at most 100000, got 0'],
    ['borrowUpTo key', { region: REGION, borrowUpTo: { ListJobs: 5 } }, 'borrowUpTo keys must be one of SubmitIProductionJob, QueryIProductionJob, SubmitMediaProducingJob, GetMediaProducingJob, GetEventCallback, SetEventCallback, got "ListJobs"'],
    ['borrowUpTo below the share', { region: REGION, rateLimits: { SubmitIProductionJob: 25 }, borrowUpTo: { SubmitIProductionJob: 20 } }, 'borrowUpTo.SubmitIProductionJob must be a number from rateLimits.SubmitIProductionJob (25) to 100000, got 20'],
    ['credential without secret', { region: REGION, credential: { accessKeyId: 'AK' } }, 'credential.accessKeySecret must be a non-empty string, got undefined'],
    ['credential of the wrong type', { region: REGION, credential: 'AK:SECRET' }, 'credential must be a Credential instance or {accessKeyId, accessKeySecret, securityToken?}, got "AK:SECRET"'],
    ['random', { region: REGION, random: 0.5 }, 'random must be a function, got number'],
  ])('rejects %s', (_name, options, message) => {
    // WHEN / THEN
    expect(() => new IProductionClient(options as never)).toThrow(new RuntimeOptionsError(message));
  });

  it('never echoes a secret in an error', () => {
    expect(() => new IProductionClient({ region: REGION, credential: { accessKeyId: 'AK', accessKeySecret: 42 as never } })).toThrow(
      'credential.accessKeySecret must be a non-empty string, got a number',
    );
  });

  it.each<['ice' | 'mts', string, string]>([
    ['ice', 'cn-beijing', 'ice.cn-beijing.aliyuncs.com'],
    ['ice', 'ap-southeast-1', 'ice.ap-southeast-1.aliyuncs.com'],
    ['mts', 'cn-hangzhou', 'mts.cn-hangzhou.aliyuncs.com'],
  ])('defaults the %s endpoint of %s to %s (never the SDK endpoint map)', (api, region, endpoint) => {
    // WHEN no credential is given, nothing is looked up yet: the default chain is created at the first call
    const client = new IProductionClient({ region, api });
    // THEN
    expect(client.endpoint).toBe(endpoint);
    expect(client.protocol).toBe('https');
  });

  it('refuses MediaProducing calls on an mts client', async () => {
    const client = new IProductionClient({ region: REGION, api: 'mts' });
    await expect(client.submitMediaProducingJob(timelineRequest())).rejects.toThrow(
      "submitMediaProducingJob is only available with api 'ice' (MediaProducing jobs are an ICE API), got api 'mts'",
    );
  });
});

describe('IProductionClient against the local endpoint', () => {
  let ice: LocalIce;
  afterEach(async () => {
    await ice?.close();
  });

  it.each<[string, (c: IProductionClient) => Promise<unknown>, RegExp]>([
    ['submitIProductionJob without Output', (c) => c.submitIProductionJob({ ...coverRequest(), Output: undefined } as never), /Output/],
    ['submitIProductionJob with a bad Priority', (c) => c.submitIProductionJob({ ...coverRequest(), ScheduleConfig: { Priority: 0 } } as never), /Priority/],
    ['submitIProductionJob with an unknown function', (c) => c.submitIProductionJob({ ...coverRequest(), FunctionName: 'Nope' } as never), /FunctionName/],
    ['submitMediaProducingJob with no source', (c) => c.submitMediaProducingJob({ OutputMediaConfig: { MediaURL: 'https://b.oss-cn-shanghai.aliyuncs.com/o.mp4' } }), /Timeline|ProjectId|TemplateId/],
    ['submitMediaProducingJob with a 65-character ClientToken', (c) => c.submitMediaProducingJob({ ...timelineRequest(), ClientToken: 'x'.repeat(65) }), /ClientToken/],
    ['queryIProductionJob with an empty id', (c) => c.queryIProductionJob(''), /JobId must be 1 to 128 printable ASCII characters, got ""/],
    ['getMediaProducingJob with a non-string id', (c) => c.getMediaProducingJob(42 as never), /JobId must be 1 to 128 printable ASCII characters, got 42/],
    ['waitForIProductionJob with bad options', (c) => c.waitForIProductionJob('abc', { factor: 0 }), /factor must be a number between 1 and 10, got 0/],
  ])('%s throws before any request reaches the endpoint', async (_name, call, message) => {
    // GIVEN
    ice = await startLocalIce();
    const client = localClient(ice);
    // WHEN
    const err = await call(client).catch((e: unknown) => e);
    // THEN
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(message);
    if (!(err instanceof RuntimeOptionsError)) expect(err).toBeInstanceOf(JobValidationError);
    expect(ice.stats.totals.received).toBe(0);
    expect(ice.stats.unknownActions).toBe(0);
  });

  it('submits an ICE job, reads it and waits for it with exponential pauses', async () => {
    // GIVEN a job that is queued 50 ms and runs 150 ms
    const v = await virtualSetup({ timing: { queuingMs: 50, runningMs: 150 } });
    ice = v.ice;
    const client = localClient(ice, { sleep: v.sleep, now: v.now });
    // WHEN
    const submitted = await client.submitIProductionJob(coverRequest('wait'));
    // ICE answers JobId and RequestId only (seed 001 lines 488-491)
    expect(Object.keys(submitted).sort()).toEqual(['JobId', 'RequestId']);
    const first = await client.queryIProductionJob(submitted.JobId);
    const seen: string[] = [];
    const done = await client.waitForIProductionJob(submitted.JobId, { initialDelayMs: 40, onProgress: (j) => seen.push(j.Status) });
    // THEN queries at 40, 80, 160, 320 ms (a first pause, then doubling): 1 + ceil(log2(200/40)) = 4
    expect(submitted.JobId).toMatch(/^[0-9a-f]{32}$/);
    expect(submitted.RequestId).not.toBe('');
    expect(first).toMatchObject({ JobId: submitted.JobId, Status: 'Queuing', FunctionName: 'Cover' });
    expect(seen).toEqual(['Queuing', 'Analyzing', 'Analyzing', 'Success']);
    expect(done).toMatchObject({ JobId: submitted.JobId, Status: 'Success', UserData: '{"tag":"wait"}' });
    expect(Array.isArray(done.Result)).toBe(true);
    expect(v.t.ms).toBe(320);
    expect(ice.jobs[0].queryCount).toBe(5);
  });

  it('speaks the MPS flavour (flat request, British Analysing normalized)', async () => {
    const v = await virtualSetup({ timing: { queuingMs: 10, runningMs: 100 } });
    ice = v.ice;
    const client = localClient(ice, { api: 'mts', sleep: v.sleep, now: v.now });
    const submitted = await client.submitIProductionJob(mtsCoverRequest());
    // MPS answers the job's state in a typed Result (seed 002 lines 142-166): it reaches the caller
    expect(submitted.Result).toEqual({ Code: 'Success', Details: [], FunctionName: 'Cover', JobId: submitted.JobId, Message: 'success', State: 'Queuing', Type: 'IProduction' });
    const raw: string[] = [];
    const done = await client.waitForIProductionJob(submitted.JobId, {
      firstQueryDelayMs: 0,
      initialDelayMs: 50,
      onProgress: (j) => raw.push(`${j.Status}/${j.RawStatus}`),
    });
    expect(raw).toEqual(['Queuing/Queuing', 'Analyzing/Analysing', 'Success/Success']);
    expect(done.Status).toBe('Success');
    expect(ice.jobs[0].api).toBe('mts');
  });

  it('sends a QueryIProductionJob ClientToken on ICE (seed 004 line 22), and only when one is given', async () => {
    // GIVEN an endpoint that records what each request carried
    const records: RequestRecord[] = [];
    ice = await startLocalIce({ onRequest: (r) => records.push(r) });
    const client = localClient(ice);
    const { JobId } = await client.submitIProductionJob(coverRequest('token'));
    // WHEN the job is queried with a token, then without one
    const job = await client.queryIProductionJob(JobId, { clientToken: 'query-token-1' });
    await client.queryIProductionJob(JobId);
    // THEN the first query carried it, the second none
    expect(job.JobId).toBe(JobId);
    const queries = records.filter((r) => r.action === 'QueryIProductionJob');
    expect(queries.map((r) => r.clientToken)).toEqual(['query-token-1', undefined]);
  });

  it.each([
    ['on MPS, whose query takes none', 'mts', 'query-token-1'],
    ['that is not a string', 'ice', 42],
  ] as const)('refuses a query ClientToken %s before any call', async (_, api, token) => {
    ice = await startLocalIce();
    const client = localClient(ice, { api });
    const err = await client.queryIProductionJob('j-1', { clientToken: token as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobValidationError);
    expect((err as JobValidationError).issues).toEqual([expect.objectContaining({ field: 'ClientToken', severity: 'error' })]);
    expect(ice.stats.totals.received).toBe(0);
  });

  it('throws JobFailedError with the code and message of a failed job', async () => {
    const v = await virtualSetup({ failWhen: () => ({ Code: 'InvalidMedia', Message: 'the input has no video stream' }) });
    ice = v.ice;
    const client = localClient(ice, { sleep: v.sleep, now: v.now });
    const { JobId } = await client.submitIProductionJob(coverRequest());
    const err = await client.waitForIProductionJob(JobId, { initialDelayMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err).toMatchObject({ jobId: JobId, code: 'InvalidMedia', status: 'Fail' });
    expect((err as Error).message).toContain('the input has no video stream');
  });

  it('throws WaitTimeoutError with the last status at the deadline', async () => {
    const v = await virtualSetup({ timing: { queuingMs: 0, runningMs: 3_600_000 } });
    ice = v.ice;
    const client = localClient(ice, { sleep: v.sleep, now: v.now });
    const { JobId } = await client.submitIProductionJob(coverRequest());
    const err = await client.waitForIProductionJob(JobId, { timeoutMs: 10_000, initialDelayMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err).toMatchObject({ jobId: JobId, lastStatus: 'Analyzing', timeoutMs: 10_000 });
    // 0, 1, 3, 7, then the deadline itself
    expect(ice.jobs[0].queryCount).toBe(5);
    expect(v.t.ms).toBe(10_000);
  });

  it('waits for a MediaProducing job and fails on Failed', async () => {
    const v = await virtualSetup({ failWhen: (job) => (job.params.OutputMediaConfig?.includes('bad') ? { Code: 'ProduceFailed', Message: 'boom' } : undefined) });
    ice = v.ice;
    const client = localClient(ice, { sleep: v.sleep, now: v.now });
    const good = await client.submitMediaProducingJob(timelineRequest('good'));
    const bad = await client.submitMediaProducingJob(timelineRequest('bad'));
    const progress: string[] = [];
    await expect(client.waitForMediaProducingJob(good.JobId, { initialDelayMs: 100, onProgress: (j) => progress.push(j.Status) })).resolves.toMatchObject({
      JobId: good.JobId,
      Status: 'Success',
      MediaId: good.MediaId,
    });
    expect(progress[progress.length - 1]).toBe('Success');
    await expect(client.waitForMediaProducingJob(bad.JobId, { initialDelayMs: 100 })).rejects.toMatchObject({
      name: 'JobFailedError',
      jobId: bad.JobId,
      code: 'ProduceFailed',
      status: 'Failed',
    });
  });

  it('rejects promptly with AbortError when aborted in the middle of a (real) pause', async () => {
    // GIVEN a job that never ends and a first pause of 30 s
    ice = await startLocalIce({ timing: { queuingMs: 3_600_000 } });
    const client = localClient(ice);
    const { JobId } = await client.submitIProductionJob(coverRequest());
    const controller = new AbortController();
    // WHEN the caller aborts right after the first answer
    const pending = client.waitForIProductionJob(JobId, {
      firstQueryDelayMs: 0,
      initialDelayMs: 30_000,
      signal: controller.signal,
      onProgress: () => setImmediate(() => controller.abort()),
    });
    // THEN (a broken abort would hold the test for 30 s and fail it on jest's timeout)
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(err).toMatchObject({ name: 'AbortError', jobId: JobId, lastStatus: 'Queuing' });
    expect(ice.jobs[0].queryCount).toBe(1);
  }, 20_000);

  it('returns the same job for a resubmitted ClientToken and generates a UUID token when none is given', async () => {
    ice = await startLocalIce();
    const client = localClient(ice);
    const generated = await client.submitMediaProducingJob(timelineRequest('a'));
    const first = await client.submitMediaProducingJob({ ...timelineRequest('b'), ClientToken: 'my-token-1' });
    const again = await client.submitMediaProducingJob({ ...timelineRequest('b'), ClientToken: 'my-token-1' });
    expect(generated.ClientToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.ClientToken).toBe('my-token-1');
    expect(again.JobId).toBe(first.JobId);
    expect(ice.stats.jobsCreated).toBe(2);
    expect(ice.stats.idempotentReplays).toBe(1);
    expect(ice.jobs.map((j) => j.clientToken)).toEqual([generated.ClientToken, 'my-token-1']);
  });

  it('answers wrong credentials with a permanent SignatureDoesNotMatch, sent once', async () => {
    // GIVEN the right AccessKeyId with a wrong secret
    ice = await startLocalIce();
    const pauses = instantSleep();
    const client = localClient(ice, { credential: { accessKeyId: ice.accessKeyId, accessKeySecret: 'wrong-secret' }, sleep: pauses.sleep });
    // WHEN
    const err = await client.submitIProductionJob(coverRequest()).catch((e: unknown) => e);
    // THEN
    expect(err).toBeInstanceOf(IceApiError);
    expect(err).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 403, kind: 'permanent', attempts: 1, action: 'SubmitIProductionJob' });
    expect((err as IceApiError).requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(ice.stats.actions.SubmitIProductionJob).toMatchObject({ received: 1, rejected: 1, accepted: 0 });
    expect(pauses.pauses).toEqual([]);
  });

  it.each<[string, (ice: LocalIce) => unknown]>([
    ['STS keys', () => ({ ...DEFAULT_STS_KEY })],
    ['a @alicloud/credentials instance', (i) => new Credential(new CredentialConfig({ type: 'access_key', accessKeyId: i.accessKeyId, accessKeySecret: i.accessKeySecret }))],
  ])('signs with %s', async (_name, credential) => {
    ice = await startLocalIce();
    const client = localClient(ice, { credential: credential(ice) as never });
    const { JobId } = await client.submitIProductionJob(coverRequest());
    expect(ice.jobs.map((j) => j.jobId)).toEqual([JobId]);
  });

  it('uses the official default chain when no credential is given (environment variables first)', async () => {
    // GIVEN keys in the environment, which the chain reads before any file or metadata service
    ice = await startLocalIce();
    const saved = { id: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, secret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = ice.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = ice.accessKeySecret;
    try {
      const client = new IProductionClient({ region: REGION, endpoint: ice.endpoint, protocol: 'http', limiterRegistry: new LimiterRegistry() });
      // WHEN
      const { JobId } = await client.submitIProductionJob(coverRequest());
      // THEN
      expect(ice.jobs.map((j) => j.jobId)).toEqual([JobId]);
    } finally {
      restoreEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', saved.id);
      restoreEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', saved.secret);
    }
  });

  it('shares one limiter between clients of the same endpoint', async () => {
    ice = await startLocalIce();
    const registry = new LimiterRegistry();
    const a = localClient(ice, { limiterRegistry: registry });
    const b = localClient(ice, { limiterRegistry: registry, rateLimits: { SubmitIProductionJob: 40 } });
    await a.submitIProductionJob(coverRequest('a'));
    await b.submitIProductionJob(coverRequest('b'));
    expect(registry.size).toBe(1);
    expect(registry.limiter(ice.endpoint, 'SubmitIProductionJob').qps).toBe(40);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
