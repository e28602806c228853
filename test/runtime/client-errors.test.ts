import * as http from 'http';
import type { AddressInfo } from 'net';
import { IProductionClient } from '../../lib/runtime/client';
import { LimiterRegistry } from '../../lib/runtime/limiter';
import { FaultSpec, LocalIce, startLocalIce } from '../endpoint';
import { ErrorKind, IceApiError, IceNetworkError, UnknownOutcomeError } from '../../lib/runtime/errors';
import { classifyError } from '../../lib/runtime/retry';
import { coverRequest, instantSleep, localClient } from './client-fixtures';

/**
 * Every error here is produced by the real client (openapi-client over loopback) against the local endpoint, so the
 * classification is checked on what the SDK really throws, not on hand-made shapes.
 */
describe('errors of the real client, one attempt', () => {
  let ice: LocalIce;
  afterEach(async () => {
    await ice?.close();
  });

  async function firstErrorOfQuery(fault: FaultSpec | undefined, options: Parameters<typeof localClient>[1] = {}): Promise<unknown> {
    const client = localClient(ice, { retry: { retries: 0 }, ...options });
    const { JobId } = await localClient(ice).submitIProductionJob(coverRequest('seed'));
    if (fault) ice.setFault(fault);
    return client.queryIProductionJob(JobId).catch((e: unknown) => e);
  }

  it.each<[string, FaultSpec | undefined, object, ErrorKind, string]>([
    ['503 ServiceUnavailable', { kind: 'status-503', action: 'QueryIProductionJob' }, {}, 'transient', 'ServiceUnavailable'],
    ['reset before processing', { kind: 'reset-before', action: 'QueryIProductionJob' }, {}, 'unknown-outcome', 'ECONNRESET'],
    ['reset after processing', { kind: 'reset-after', action: 'QueryIProductionJob' }, {}, 'unknown-outcome', 'ECONNRESET'],
    ['answer later than the read timeout', { kind: 'latency', latencyMs: 400, action: 'QueryIProductionJob' }, { readTimeoutMs: 100, connectTimeoutMs: 1000 }, 'unknown-outcome', 'ReadTimeout'],
    // httpx's "ConnectTimeout" is an idle timer that also fires after the request went out: never proof of "not sent".
    ['answer later than a connect timeout shorter than the read timeout', { kind: 'latency', latencyMs: 400, action: 'QueryIProductionJob' }, { readTimeoutMs: 1000, connectTimeoutMs: 100 }, 'unknown-outcome', 'ConnectTimeout'],
  ])('%s → %s (%s)', async (_name, fault, options, kind, code) => {
    // GIVEN
    ice = await startLocalIce();
    // WHEN
    const err = await firstErrorOfQuery(fault, options);
    // THEN the thrown error and the raw SDK error beneath it agree
    expect(err).toMatchObject({ kind, code, attempts: 1, action: 'QueryIProductionJob' });
    const cause = (err as IceApiError | IceNetworkError).cause;
    expect(classifyError(cause, { connectTimeoutProvesNotSent: false })).toBe(kind);
    expect(ice.stats.actions.QueryIProductionJob.received).toBe(1);
  });

  it('reports an unknown job as a permanent 404', async () => {
    ice = await startLocalIce();
    const err = await localClient(ice, { retry: { retries: 0 } }).queryIProductionJob('0123456789abcdef').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IceApiError);
    expect(err).toMatchObject({ code: 'InvalidParameter.JobNotFound', statusCode: 404, kind: 'permanent' });
  });

  it('reports a refused connection as transient (nothing was sent)', async () => {
    // GIVEN a port nobody listens on any more
    ice = await startLocalIce();
    const client = localClient(ice, { retry: { retries: 0 } });
    await ice.close();
    // WHEN
    const err = await client.queryIProductionJob('abc').catch((e: unknown) => e);
    // THEN
    expect(err).toBeInstanceOf(IceNetworkError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', kind: 'transient', attempts: 1 });
  });

  it('reports the endpoint throttling as throttling', async () => {
    // GIVEN an endpoint that admits 2 submits per second and a client whose own limiter would allow far more
    ice = await startLocalIce({ qps: { SubmitIProductionJob: 2 } });
    const client = localClient(ice, { retry: { retries: 0 }, rateLimits: { SubmitIProductionJob: 10_000 } });
    // WHEN
    const outcomes = await Promise.all([1, 2, 3, 4].map((i) => client.submitIProductionJob(coverRequest(i)).catch((e: unknown) => e)));
    // THEN
    const throttled = outcomes.filter((o) => o instanceof IceApiError);
    expect(throttled.length).toBe(2);
    expect(throttled[0]).toMatchObject({ code: 'Throttling.User', statusCode: 400, kind: 'throttling' });
    expect(ice.stats.actions.SubmitIProductionJob.throttled).toBe(2);
  });
});

describe('retry decisions of the real client', () => {
  let ice: LocalIce;
  afterEach(async () => {
    await ice?.close();
  });

  it.each<[string, FaultSpec]>([
    ['503 twice', { kind: 'status-503', count: 2 }],
    ['reset before processing twice', { kind: 'reset-before', count: 2 }],
    ['reset after processing twice', { kind: 'reset-after', count: 2 }],
    ['two answers past the read timeout', { kind: 'latency', latencyMs: 2500, count: 2 }],
  ])('retries a query through %s', async (_name, fault) => {
    // GIVEN
    ice = await startLocalIce();
    const { JobId } = await localClient(ice).submitIProductionJob(coverRequest());
    const pauses = instantSleep();
    // A read timeout roomy enough that only the injected latency trips it, even on a loaded machine.
    const client = localClient(ice, { sleep: pauses.sleep, random: () => 0.5, readTimeoutMs: 1000, connectTimeoutMs: 3000, retry: { retries: 3, baseMs: 10, capMs: 1000 } });
    ice.setFault({ ...fault, action: 'QueryIProductionJob' });
    // WHEN
    const job = await client.queryIProductionJob(JobId);
    // THEN two pauses of the capped full-jitter backoff (random 0.5)
    expect(job.JobId).toBe(JobId);
    expect(pauses.pauses).toEqual([5, 10]);
    expect(ice.stats.actions.QueryIProductionJob).toMatchObject({ received: 3, faulted: 2, accepted: fault.kind === 'reset-after' || fault.kind === 'latency' ? 3 : 1 });
  });

  it('retries a submit through 503s and creates one job', async () => {
    ice = await startLocalIce();
    ice.setFault({ kind: 'status-503', action: 'SubmitIProductionJob', count: 2 });
    const pauses = instantSleep();
    const client = localClient(ice, { sleep: pauses.sleep });
    const { JobId } = await client.submitIProductionJob(coverRequest());
    expect(ice.jobs.map((j) => j.jobId)).toEqual([JobId]);
    expect(pauses.pauses).toHaveLength(2);
    expect(ice.stats.actions.SubmitIProductionJob).toMatchObject({ received: 3, faulted: 2, accepted: 1 });
  });

  it('retries a throttled submit until the service admits it, and creates one job', async () => {
    // GIVEN an endpoint admitting 1 submit per second on a virtual clock the client's pauses advance
    const t = { ms: Date.now() };
    ice = await startLocalIce({ qps: { SubmitIProductionJob: 1 }, now: () => t.ms });
    const pauses: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      pauses.push(ms);
      t.ms += ms;
    };
    const client = localClient(ice, { sleep, random: () => 0.5, rateLimits: { SubmitIProductionJob: 10_000 } });
    // another client takes this second's only slot
    await localClient(ice).submitIProductionJob(coverRequest('other'));
    // WHEN
    const { JobId } = await client.submitIProductionJob(coverRequest('mine'));
    // THEN pauses of 50, 100, 200, 400, 800 ms: admitted once a second has passed
    expect(pauses).toEqual([50, 100, 200, 400, 800]);
    expect(ice.stats.actions.SubmitIProductionJob).toMatchObject({ received: 7, throttled: 5, accepted: 2 });
    expect(ice.jobs.filter((j) => j.jobId === JobId)).toHaveLength(1);
    expect(ice.stats.duplicates).toBe(0);
  });

  it('never resends a submit whose outcome is unknown', async () => {
    // GIVEN the endpoint creates the job and then drops the connection
    ice = await startLocalIce();
    ice.setFault({ kind: 'reset-after', action: 'SubmitIProductionJob', count: 1 });
    const pauses = instantSleep();
    const client = localClient(ice, { sleep: pauses.sleep });
    const request = coverRequest('lost-answer');
    // WHEN
    const err = await client.submitIProductionJob(request).catch((e: unknown) => e);
    // THEN
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(err).toMatchObject({ action: 'SubmitIProductionJob', request, attempts: 1, clientToken: undefined });
    expect((err as UnknownOutcomeError).cause).toMatchObject({ code: 'ECONNRESET' });
    expect(ice.stats.actions.SubmitIProductionJob.received).toBe(1);
    expect(ice.stats.jobsCreated).toBe(1);
    expect(pauses.pauses).toEqual([]);
  });

  it('gives up on a transient failure after the configured retries', async () => {
    ice = await startLocalIce();
    ice.setFault({ kind: 'status-503', action: 'SubmitIProductionJob' });
    const pauses = instantSleep();
    const client = localClient(ice, { sleep: pauses.sleep, random: () => 1 - Number.EPSILON, retry: { retries: 4, baseMs: 100, capMs: 300 } });
    const err = await client.submitIProductionJob(coverRequest()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'IceApiError', code: 'ServiceUnavailable', kind: 'transient', attempts: 5 });
    expect(pauses.pauses.map(Math.round)).toEqual([100, 200, 300, 300]);
    expect(ice.stats.actions.SubmitIProductionJob.received).toBe(5);
    expect(ice.stats.jobsCreated).toBe(0);
  });

  it('does not retry a permanent error', async () => {
    ice = await startLocalIce();
    const pauses = instantSleep();
    const client = localClient(ice, { sleep: pauses.sleep });
    const err = await client.getMediaProducingJob('does-not-exist').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'IceApiError', kind: 'permanent', attempts: 1 });
    expect(pauses.pauses).toEqual([]);
    expect(ice.stats.actions.GetMediaProducingJob.received).toBe(1);
  });
});


describe('answers the local endpoint does not give', () => {
  /** A bare loopback server answering every request with `answer` (no signature checks: only the body shape matters). */
  async function rawServer(answer: { status: number; contentType: string; body: string }): Promise<{ endpoint: string; hits: () => number; close: () => Promise<void> }> {
    let hits = 0;
    const server = http.createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': answer.contentType });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`,
      hits: () => hits,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  function clientOf(endpoint: string, pauses: { sleep: (ms: number) => Promise<void> }): IProductionClient {
    return new IProductionClient({
      region: 'cn-shanghai',
      endpoint,
      protocol: 'http',
      credential: { accessKeyId: 'AK', accessKeySecret: 'SK' },
      limiterRegistry: new LimiterRegistry(),
      sleep: pauses.sleep,
      retry: { retries: 2 },
    });
  }

  it('treats an HTML 503 page (a bare SyntaxError from the SDK) as the answer it is: not processed, so retried', async () => {
    const server = await rawServer({ status: 503, contentType: 'text/html', body: '<html>busy</html>' });
    try {
      const pauses = instantSleep();
      const client = clientOf(server.endpoint, pauses);
      const submit = await client.submitIProductionJob(coverRequest()).catch((e: unknown) => e);
      expect(submit).toMatchObject({ name: 'IceApiError', code: 'ServiceUnavailable', statusCode: 503, kind: 'transient', attempts: 3 });
      expect(server.hits()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('reports an empty HTTP 431 as the answer it is, never as an unknown outcome', async () => {
    // GIVEN a front end that refuses the request with a bare status line, as Node's own HTTP server does
    const server = await rawServer({ status: 431, contentType: 'text/plain', body: '' });
    try {
      const pauses = instantSleep();
      // WHEN a submit and a query meet it
      const submit = await clientOf(server.endpoint, pauses).submitIProductionJob(coverRequest()).catch((e: unknown) => e);
      const query = await clientOf(server.endpoint, pauses).queryIProductionJob('abc').catch((e: unknown) => e);
      // THEN both are permanent API errors naming the status, sent once each
      for (const err of [submit, query]) {
        expect(err).toBeInstanceOf(IceApiError);
        expect(err).toMatchObject({ code: 'RequestHeaderFieldsTooLarge', statusCode: 431, kind: 'permanent', attempts: 1 });
        expect((err as Error).message).toContain('HTTP 431 (Request Header Fields Too Large)');
      }
      expect(server.hits()).toBe(2);
      expect(pauses.pauses).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('keeps a truncated 200 (the job may exist, its JobId unread) an unknown outcome', async () => {
    const server = await rawServer({ status: 200, contentType: 'application/json', body: '{"RequestId":"R","JobId":"ab' });
    try {
      const pauses = instantSleep();
      const client = clientOf(server.endpoint, pauses);
      const submit = await client.submitIProductionJob(coverRequest()).catch((e: unknown) => e);
      expect(submit).toBeInstanceOf(UnknownOutcomeError);
      expect((submit as UnknownOutcomeError).cause).toBeInstanceOf(SyntaxError);
      expect(server.hits()).toBe(1);
      const query = await client.queryIProductionJob('abc').catch((e: unknown) => e);
      expect(query).toMatchObject({ name: 'IceNetworkError', code: 'InvalidResponseBody', kind: 'unknown-outcome', attempts: 3 });
      expect(server.hits()).toBe(4);
    } finally {
      await server.close();
    }
  });

  it('treats a success answer without JobId as an unknown outcome', async () => {
    const server = await rawServer({ status: 200, contentType: 'application/json', body: '{"RequestId":"R"}' });
    try {
      const err = await clientOf(server.endpoint, instantSleep()).submitIProductionJob(coverRequest()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownOutcomeError);
      expect((err as Error).message).toContain('the answer has no JobId');
      expect(server.hits()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('honours a RetryAfter hint in a throttling body', async () => {
    const server = await rawServer({ status: 400, contentType: 'application/json', body: '{"Code":"Throttling.User","Message":"slow down","RequestId":"R","RetryAfter":1500}' });
    try {
      const pauses = instantSleep();
      const err = await clientOf(server.endpoint, pauses).queryIProductionJob('abc').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'IceApiError', kind: 'throttling', attempts: 3, requestId: 'R' });
      expect(pauses.pauses).toEqual([1500, 1500]);
    } finally {
      await server.close();
    }
  });
});
