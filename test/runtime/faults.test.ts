import { UnknownOutcomeError } from '../../lib/runtime/errors';
import { FaultKind, LocalIce, startLocalIce } from '../endpoint';
import { coverRequest, localClient, timelineRequest, virtualTime } from './client-fixtures';

/**
 * End-to-end properties of submitting under load and faults, counted by the endpoint: no job is ever duplicated and
 * every request is accounted for (a JobId, or an UnknownOutcomeError naming the request). The client's limiters and
 * backoff, and the endpoint's rate window, run on virtual time (`virtualTime`); only the sockets are real, so the
 * latency faults still wait for the SDK's real read timer.
 */
describe('submits under load and faults', () => {
  let ice: LocalIce;
  afterEach(async () => {
    await ice?.close();
  });

  it('pushes a burst of 500 submits through one client at the 100 QPS limit with none throttled back to the caller', async () => {
    // GIVEN the endpoint's strict sliding-window limit of 100 SubmitIProductionJob per second, on the client's clock
    const time = virtualTime();
    ice = await startLocalIce({ qps: { SubmitIProductionJob: 100 }, now: time.clock.now });
    const client = localClient(ice, time.client(ice));
    // WHEN
    const started = time.clock.now();
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => client.submitIProductionJob(coverRequest(`burst-${i}`))));
    const elapsedMs = time.clock.now() - started;
    // THEN
    const ids = new Set(results.map((r) => r.JobId));
    expect(ids.size).toBe(500);
    expect(ice.stats.jobsCreated).toBe(500);
    expect(ice.stats.duplicates).toBe(0);
    expect(ice.jobs.every((j) => ids.has(j.jobId))).toBe(true);
    const stats = ice.stats.actions.SubmitIProductionJob;
    expect(stats.accepted).toBe(500);
    // AND at the limit: no window of the endpoint holds more than 100, so the last request goes at least four windows
    // after the first; the limiter spreads them one per 10 ms after a small burst, so not much later than 5 s either
    // (on virtual time nothing arrives late, so the endpoint throttles nothing)
    expect(elapsedMs).toBeGreaterThanOrEqual(4000);
    expect(elapsedMs).toBeLessThanOrEqual(5100);
    expect(stats.throttled).toBe(0);
  });

  it.each<[FaultKind, number]>([
    ['reset-before', 0.15],
    ['reset-after', 0.15],
    ['status-503', 0.2],
    ['latency', 0.15],
  ])('duplicates no job and accounts for every request under %s faults (p=%s)', async (kind, probability) => {
    // GIVEN
    const time = virtualTime();
    ice = await startLocalIce({ seed: 7, now: time.clock.now });
    // The held answer outlasts the read timeout; both are real timers (the SDK's socket cannot run on virtual time).
    ice.setFault({ kind, action: 'SubmitIProductionJob', probability, ...(kind === 'latency' ? { latencyMs: 1000 } : {}) });
    // Generous read timeouts: on a loaded machine a tight one times out healthy answers too, blurring what is counted.
    const client = localClient(ice, { ...time.client(ice), readTimeoutMs: kind === 'latency' ? 800 : 5000, connectTimeoutMs: 6000, retry: { retries: 6, baseMs: 1, capMs: 5 } });
    // WHEN
    const requests = Array.from({ length: 60 }, (_, i) => coverRequest(`${kind}-${i}`));
    const outcomes = await Promise.all(requests.map((r) => client.submitIProductionJob(r).then((ok) => ok, (e: unknown) => e)));
    // THEN every outcome is a JobId or an UnknownOutcomeError carrying its request
    const ok = outcomes.filter((o): o is { JobId: string; RequestId: string } => typeof (o as { JobId?: unknown }).JobId === 'string');
    const unknown = outcomes.filter((o): o is UnknownOutcomeError => o instanceof UnknownOutcomeError);
    expect(ok.length + unknown.length).toBe(requests.length);
    expect(ice.stats.duplicates).toBe(0);
    // every job the endpoint holds is either a JobId we returned or belongs to a request reported as unknown
    const returned = new Set(ok.map((o) => o.JobId));
    const unknownNames = new Set(unknown.map((u) => (u.request as { Name: string }).Name));
    for (const job of ice.jobs) {
      expect(returned.has(job.jobId) || unknownNames.has(job.params.Name)).toBe(true);
    }
    expect(returned.size).toBe(ok.length);
    expect(ice.stats.jobsCreated).toBeGreaterThanOrEqual(ok.length);
    expect(ice.stats.jobsCreated).toBeLessThanOrEqual(ok.length + unknown.length);
    // 503 proves nothing was done, so it is always retried; resets and timeouts are never resent
    const faulted = ice.stats.actions.SubmitIProductionJob?.faulted ?? 0;
    if (kind === 'status-503') expect(unknown).toHaveLength(0);
    else if (kind === 'latency') {
      // A held answer becomes unknown only if httpx's read timer fires, and httpx can clear that timer on a reused
      // keep-alive socket (docs/runtime-client.md, "Known limit"): how many of the held answers time out depends on
      // socket timing, so the test asserts the bound that always holds: faults were injected, and no request that
      // was answered in time is reported unknown (each unknown is one of the held answers).
      expect(faulted).toBeGreaterThan(0);
      expect(unknown.length).toBeLessThanOrEqual(faulted);
    } else expect(unknown.length).toBeGreaterThan(0);
    if (kind === 'reset-after' || kind === 'latency') expect(ice.stats.jobsCreated).toBe(requests.length);
    if (kind === 'reset-before') expect(ice.stats.jobsCreated).toBe(ok.length);
  }, 30_000);

  it('retries a MediaProducing submit with the same ClientToken after a lost answer: exactly one job', async () => {
    // GIVEN the endpoint creates the job, then drops the connection, once
    const time = virtualTime();
    ice = await startLocalIce({ now: time.clock.now });
    ice.setFault({ kind: 'reset-after', action: 'SubmitMediaProducingJob', count: 1 });
    const client = localClient(ice, { ...time.client(ice), retry: { baseMs: 1, capMs: 5 } });
    // WHEN
    const result = await client.submitMediaProducingJob(timelineRequest('once'));
    // THEN
    expect(ice.stats.actions.SubmitMediaProducingJob).toMatchObject({ received: 2, faulted: 1 });
    expect(ice.stats.jobsCreated).toBe(1);
    expect(ice.stats.idempotentReplays).toBe(1);
    expect(ice.jobs[0]).toMatchObject({ jobId: result.JobId, clientToken: result.ClientToken });
  });

  it.each<FaultKind>(['reset-before', 'reset-after', 'status-503', 'latency'])(
    'creates exactly one MediaProducing job per submit under %s faults',
    async (kind) => {
      const time = virtualTime();
      ice = await startLocalIce({ seed: 11, now: time.clock.now });
      ice.setFault({ kind, action: 'SubmitMediaProducingJob', probability: 0.3, ...(kind === 'latency' ? { latencyMs: 1000 } : {}) });
      // A healthy answer timed out here is resent with its ClientToken, so a tighter read timeout cannot blur the count.
      const client = localClient(ice, { ...time.client(ice), readTimeoutMs: kind === 'latency' ? 400 : 5000, connectTimeoutMs: 6000, retry: { retries: 10, baseMs: 1, capMs: 5 } });
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => client.submitMediaProducingJob(timelineRequest(`${kind}-${i}`))));
      expect(new Set(results.map((r) => r.JobId)).size).toBe(30);
      expect(ice.stats.jobsCreated).toBe(30);
      expect(ice.stats.mediaProducingDuplicates).toBe(0);
      expect(ice.jobs.map((j) => j.clientToken).sort()).toEqual(results.map((r) => r.ClientToken).sort());
    },
    30_000,
  );
});
