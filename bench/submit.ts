/**
 * Figure 1, submit throughput: N submits through IProductionClient against the local endpoint enforcing the
 * service's QPS limit, beside the bare official client calling once per submit with the same concurrency.
 * Every submit carries a unique key (Name for IProduction, UserData for MediaProducing), so the endpoint's job
 * records can be matched one to one with what the caller believes happened (see stats.ts `account`).
 */
import { bucketShapeFor, IProductionClient } from '../lib/runtime';
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
   * One extra run per action and client with connection faults injected by the endpoint (its seeded PRNG makes a
   * run reproducible): each submit request has `probability` chance of each fault kind.
   */
  readonly faults: { readonly iproductionJobs: number; readonly mediaProducingJobs: number; readonly probability: number };
}

export interface SubmitRun {
  readonly side: 'ours' | 'bare';
  readonly action: SubmitAction;
  readonly run: number;
  /** Whether faults were injected (such runs are reported apart from the throughput figures). */
  readonly faulted: boolean;
  readonly limitQps: number;
  /** What our client's limiter plans for this limit (steady rate and burst); null for the bare client. */
  readonly clientPlan: { ratePerSecond: number; burst: number } | null;
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
  readonly faultProbability: number;
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
  faultProbability = 0,
): Promise<SubmitRun> {
  // Under faults the endpoint's limit is lifted so that only the injected faults act on the bare client too;
  // our client still paces itself for `qps`.
  const ice = await startLocalIce({ qps: { [action]: faultProbability > 0 ? Infinity : qps } });
  try {
    if (faultProbability > 0) {
      for (const kind of FAULT_KINDS) ice.setFault({ action, kind, probability: faultProbability });
    }
    const credential = { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret };
    const ours = new IProductionClient({ region: 'cn-shanghai', endpoint: ice.endpoint, protocol: 'http', credential });
    const bare = new BareClient({ endpoint: ice.endpoint, ...credential });
    const outcomes: { outcome: SubmitRecord['outcome']; jobId?: string; code?: string }[] = [];
    const keys: string[] = [];
    const start = process.hrtime.bigint();
    await pool(jobs, concurrency, async (i) => {
      const key = `bench-${side}-r${run}${faultProbability > 0 ? 'f' : ''}-${i}`;
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
      faulted: faultProbability > 0,
      limitQps: qps,
      clientPlan: side === 'ours' ? bucketShapeFor(qps) : null,
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
            `lost ${r.accounting.lost}, duplicates ${r.accounting.duplicates}`,
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
      const r = await oneRun(action, side, 1, jobs, qps, config.concurrency, config.faults.probability);
      const a = r.accounting;
      log(
        `submit ${action} ${side} under faults: delivered ${a.delivered}/${jobs}, lost ${a.lost}, orphaned ${a.orphaned}, ` +
          `duplicates ${a.duplicates}, throttles surfaced ${r.throttlesSurfaced}, other errors ${JSON.stringify(r.otherErrors)}`,
      );
      runs.push(r);
    }
  }
  return { concurrency: config.concurrency, faultProbability: config.faults.probability, runs };
}
