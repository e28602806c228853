/**
 * Figure 1, submit throughput: N submits through IProductionClient against the local endpoint enforcing the
 * service's QPS limit, beside the bare official client calling once per submit with the same concurrency.
 * Every submit carries a unique key (Name for IProduction, UserData for MediaProducing), so the endpoint's job
 * records can be matched one to one with what the caller believes happened (see stats.ts `account`).
 */
import { IProductionClient } from '../lib/runtime';
import type { LimiterState } from '../lib/runtime';
import { LimiterRegistry } from '../lib/runtime/limiter';
import { buildSubmitIProductionJob, buildSubmitMediaProducingJob } from '../lib/jobs';
import type { IProductionJobRequest, MediaProducingJobRequest } from '../lib/jobs';
import { startLocalIce } from '../test/endpoint';
import type { LocalIce, LocalJobRecord } from '../test/endpoint';
import { BareClient, isThrottlingError } from './bare';
import { account, achievedFraction, Accounting, FAULT_KINDS, SubmitRecord } from './stats';

export type SubmitAction = 'SubmitIProductionJob' | 'SubmitMediaProducingJob';

export interface SubmitConfig {
  readonly runs: number;
  /** Callers in flight at once, the same for ours and the bare baseline. */
  readonly concurrency: number;
  readonly iproduction: { readonly jobs: number; readonly qps: number };
  readonly mediaProducing: { readonly jobs: number; readonly qps: number };
  /**
   * One extra run per action and client with faults injected by the endpoint (its seeded PRNG makes a run
   * reproducible), the service limit still enforced.
   */
  readonly faults: FaultPlan;
}

/** Shares of submit requests hit by each fault (marginal probabilities), and the network jitter. */
export interface FaultPlan {
  readonly iproductionJobs: number;
  readonly mediaProducingJobs: number;
  /** Connection reset before the request is processed (the service counts nothing). */
  readonly resetBefore: number;
  /** Connection reset after the job was created (the answer is lost). */
  readonly resetAfter: number;
  /** ServiceUnavailable answers (refused before flow control). */
  readonly unavailable: number;
  /** Each request is held 0..jitterMs before the endpoint processes it. */
  readonly jitterMs: number;
}

/** One line describing a fault plan, for logs and reports. */
export function describeFaults(f: FaultPlan): string {
  const pct = (p: number): string => `${Math.round(p * 1000) / 10} %`;
  return `${pct(f.resetBefore)} resets before processing, ${pct(f.resetAfter)} resets after, ${pct(f.unavailable)} 503s, ${f.jitterMs} ms jitter`;
}

export interface SubmitRun {
  readonly side: 'ours' | 'bare';
  readonly action: SubmitAction;
  readonly run: number;
  /** Whether faults were injected (such runs are reported apart from the throughput figures). */
  readonly faulted: boolean;
  readonly limitQps: number;
  /** Our client's limiter at the end of the run (rate, margin, refunds, throttles seen, rate cuts); null for the bare client. */
  readonly limiter: LimiterState | null;
  readonly elapsedMs: number;
  /** Jobs the endpoint created (accepted submits). */
  readonly accepted: number;
  readonly achievedFraction: number;
  /** Throttling errors that reached the caller (ours: after its retries; bare: every one). */
  readonly throttlesSurfaced: number;
  /** Other errors that reached the caller, by code. */
  readonly otherErrors: Record<string, number>;
  /** Requests the endpoint throttled, including those our client retried without the caller seeing them. */
  readonly endpointThrottled: number;
  /** The endpoint's own duplicate count (identical parameters accepted twice). */
  readonly endpointDuplicates: number;
  readonly accounting: Accounting;
}

export interface SubmitFigures {
  readonly concurrency: number;
  readonly faults: FaultPlan;
  readonly runs: SubmitRun[];
}

/** Runs `count` tasks with at most `concurrency` in flight; answers settle in index order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

function iproductionRequest(key: string, i: number): IProductionJobRequest {
  return {
    FunctionName: 'Cover',
    Name: key,
    Input: { Type: 'OSS', Media: `oss://bench-input/videos/clip-${i}.mp4` },
    Output: { Type: 'OSS', Media: `oss://bench-output/covers/${key}-{sequenceId}.jpg` },
  } as IProductionJobRequest;
}

function mediaProducingRequest(key: string, i: number): MediaProducingJobRequest {
  return {
    Timeline: {
      VideoTracks: [{ VideoTrackClips: [{ MediaURL: `https://bench-input.oss-cn-shanghai.aliyuncs.com/videos/clip-${i}.mp4` }] }],
    },
    OutputMediaConfig: { MediaURL: `https://bench-output.oss-cn-shanghai.aliyuncs.com/produced/${key}.mp4` },
    UserData: { bench: key },
  } as MediaProducingJobRequest;
}

/** The submit key a job was created for, read back from the endpoint's record of its parameters. */
function keyOfJob(params: Readonly<Record<string, string>>): string | undefined {
  if (params.Name) return params.Name;
  if (params.UserData) {
    try {
      const data = JSON.parse(params.UserData);
      if (typeof data?.bench === 'string') return data.bench;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.name === 'string') return e.name;
  return 'Unknown';
}

/** UnknownOutcomeError (ours) or a network failure after sending (bare): the caller cannot know if a job exists. */
function isUnknownOutcome(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; statusCode?: unknown };
  if (e?.name === 'UnknownOutcomeError') return true;
  return e?.statusCode === undefined && typeof e?.code === 'string' && /ECONNRESET|ReadTimeout|socket hang up|EPIPE/i.test(e.code);
}

async function oneRun(
  action: SubmitAction,
  side: 'ours' | 'bare',
  run: number,
  jobs: number,
  qps: number,
  concurrency: number,
  faults?: FaultPlan,
): Promise<SubmitRun> {
  // The endpoint enforces the service limit in every run, faults or not: the fraction of the limit is the figure.
  const ice = await startLocalIce({ qps: { [action]: qps }, ...(faults ? { jitterMs: faults.jitterMs } : {}) });
  try {
    if (faults) {
      // Rules are tried in order and the first that fires wins: scale each so its marginal share is the planned one.
      const before = faults.resetBefore;
      const after = faults.resetAfter / (1 - before);
      const unavailable = faults.unavailable / (1 - before - faults.resetAfter);
      ice.setFault({ action, kind: 'reset-before', probability: before });
      ice.setFault({ action, kind: 'reset-after', probability: after });
      ice.setFault({ action, kind: 'status-503', probability: unavailable });
    }
    const credential = { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret };
    const limiters = new LimiterRegistry();
    const ours = new IProductionClient({ region: 'cn-shanghai', endpoint: ice.endpoint, protocol: 'http', credential, limiterRegistry: limiters });
    const bare = new BareClient({ endpoint: ice.endpoint, ...credential });
    const outcomes: { outcome: SubmitRecord['outcome']; jobId?: string; code?: string }[] = [];
    const keys: string[] = [];
    const start = process.hrtime.bigint();
    await pool(jobs, concurrency, async (i) => {
      const key = `bench-${side}-r${run}${faults ? 'f' : ''}-${i}`;
      keys[i] = key;
      try {
        let jobId: string;
        if (action === 'SubmitIProductionJob') {
          const req = iproductionRequest(key, i);
          jobId = side === 'ours' ? (await ours.submitIProductionJob(req)).JobId : (await bare.call(buildSubmitIProductionJob(req))).JobId;
        } else {
          const req = mediaProducingRequest(key, i);
          jobId = side === 'ours' ? (await ours.submitMediaProducingJob(req)).JobId : (await bare.call(buildSubmitMediaProducingJob(req))).JobId;
        }
        outcomes[i] = { outcome: 'jobId', jobId };
      } catch (err) {
        outcomes[i] = { outcome: isUnknownOutcome(err) ? 'unknown' : 'error', code: isThrottlingError(err) ? 'Throttling' : errorCode(err) };
      }
    });
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;

    const byKey = new Map<string, string[]>();
    for (const job of endpointJobs(ice)) {
      const key = keyOfJob(job.params);
      if (key === undefined) continue;
      byKey.set(key, [...(byKey.get(key) ?? []), job.jobId]);
    }
    const records: SubmitRecord[] = outcomes.map((o, i) => {
      const ids = byKey.get(keys[i]) ?? [];
      return { outcome: o.outcome, jobId: o.jobId, endpointJobs: ids.length, jobIdKnownToEndpoint: o.jobId !== undefined && ids.includes(o.jobId) };
    });
    const accepted = [...byKey.values()].reduce((n, ids) => n + ids.length, 0);
    let throttlesSurfaced = 0;
    const otherErrors: Record<string, number> = {};
    for (const o of outcomes) {
      if (o.code === 'Throttling') throttlesSurfaced++;
      else if (o.code) otherErrors[o.code] = (otherErrors[o.code] ?? 0) + 1;
    }
    const stats = endpointStats(ice, action);
    return {
      side,
      action,
      run,
      faulted: faults !== undefined,
      limitQps: qps,
      limiter: side === 'ours' ? limiters.limiter(ice.endpoint, action, qps).state() : null,
      elapsedMs,
      accepted,
      achievedFraction: achievedFraction(accepted, elapsedMs, qps),
      throttlesSurfaced,
      otherErrors,
      endpointThrottled: stats.throttled,
      endpointDuplicates: stats.duplicates,
      accounting: account(records),
    };
  } finally {
    await ice.close();
  }
}

function endpointJobs(ice: LocalIce): readonly LocalJobRecord[] {
  return ice.jobs;
}

function endpointStats(ice: LocalIce, action: SubmitAction): { throttled: number; duplicates: number } {
  const stats = ice.stats;
  const duplicates = action === 'SubmitIProductionJob' ? stats.duplicates : stats.mediaProducingDuplicates;
  return { throttled: stats.actions[action].throttled, duplicates };
}

export async function measureSubmit(config: SubmitConfig, log: (m: string) => void): Promise<SubmitFigures> {
  const runs: SubmitRun[] = [];
  const plan: [SubmitAction, { jobs: number; qps: number }][] = [
    ['SubmitIProductionJob', config.iproduction],
    ['SubmitMediaProducingJob', config.mediaProducing],
  ];
  for (const [action, { jobs, qps }] of plan) {
    for (let run = 1; run <= config.runs; run++) {
      for (const side of ['ours', 'bare'] as const) {
        const r = await oneRun(action, side, run, jobs, qps, config.concurrency);
        log(
          `submit ${action} ${side} run ${run}: ${r.accepted}/${jobs} accepted in ${(r.elapsedMs / 1000).toFixed(1)} s ` +
            `(${r.achievedFraction.toFixed(3)} of ${qps} QPS), throttles surfaced ${r.throttlesSurfaced}, ` +
            `lost ${r.accounting.lost}, duplicates ${r.accounting.duplicates}` +
            (r.limiter ? `, limiter ${JSON.stringify(r.limiter)}` : ''),
        );
        runs.push(r);
      }
    }
  }
  const faultPlan: [SubmitAction, number, number][] = [
    ['SubmitIProductionJob', config.faults.iproductionJobs, config.iproduction.qps],
    ['SubmitMediaProducingJob', config.faults.mediaProducingJobs, config.mediaProducing.qps],
  ];
  for (const [action, jobs, qps] of faultPlan) {
    for (const side of ['ours', 'bare'] as const) {
      const r = await oneRun(action, side, 1, jobs, qps, config.concurrency, config.faults);
      const a = r.accounting;
      log(
        `submit ${action} ${side} under faults: ${r.accepted} jobs in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.achievedFraction.toFixed(3)} of ${qps} QPS), ` +
          `delivered ${a.delivered}/${jobs}, lost ${a.lost}, orphaned ${a.orphaned}, duplicates ${a.duplicates}, ` +
          `throttles surfaced ${r.throttlesSurfaced}, endpoint throttled ${r.endpointThrottled}, other errors ${JSON.stringify(r.otherErrors)}` +
          (r.limiter ? `, limiter ${JSON.stringify(r.limiter)}` : ''),
      );
      runs.push(r);
    }
  }
  return { concurrency: config.concurrency, faults: config.faults, runs };
}
