/**
 * Figure 2, the cost of waiting: jobs lasting T (2 s, 10 s, 60 s, time scaled), detected by
 *  - ours: IProductionClient.waitForIProductionJob (capped exponential backoff, default first delay and cap, scaled),
 *  - baseline: a fixed poll every 1 s (scaled the same) through the same client's queryIProductionJob,
 *  - notification: the deployed handler (dist/bundle/runtime.zip, loaded as FC would) receiving the completion
 *    message over an MNS topic trigger at the moment the job finishes, and querying it once.
 * Queries per job are counted by the endpoint (per job), detection delay = when the waiter holds the final job
 * minus when the endpoint finished it (both on the real clock).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DurationHistory, IProductionClient } from '../lib/runtime';
import { DEFAULT_INITIAL_DELAY_MS, DEFAULT_MAX_DELAY_MS } from '../lib/runtime/wait';
import type { IProductionJobRequest } from '../lib/jobs';
import { startLocalIce } from '../test/endpoint';
import type { LocalJobRecord } from '../test/endpoint';
import { unzipBundle, ZIP_PATH } from './bundle';
import { queryBound, summarize, Summary } from './stats';

/**
 * - `oursFirst`: the first wait on a function (nothing learned yet: the plain doubling schedule);
 * - `ours`: waits after `warmupJobs` earlier jobs of the same function finished (the learned schedule);
 * - `fixedPoll`, `notification`: the baselines.
 */
export type WaitMethod = 'ours' | 'oursFirst' | 'fixedPoll' | 'notification';

/** One intelligent production function per duration: jobs of one function take alike long, which is what a wait learns. */
export const FUNCTION_FOR_DURATION: Readonly<Record<number, { fn: string; ext: string }>> = {
  2_000: { fn: 'Cover', ext: '{sequenceId}.jpg' },
  10_000: { fn: 'VideoClip', ext: 'mp4' },
  60_000: { fn: 'VideoDelogo', ext: 'mp4' },
};

/** The goal for detection delay: under this share of the job's own time (median). */
export const DETECTION_DELAY_GOAL_SHARE = 0.25;

export interface WaitConfig {
  /** Real-world job durations, in ms, before scaling. */
  readonly durationsMs: readonly number[];
  /** Multiplies every duration, delay and poll interval (and divides rate limits). */
  readonly timeScale: number;
  readonly jobsPerDuration: number;
  /** The baseline's fixed poll interval, before scaling. */
  readonly fixedPollMs: number;
  /** Jobs per function waited for one after the other before the measured ones, so that the client has learned. */
  readonly warmupJobs: number;
}

export interface WaitCase {
  readonly method: WaitMethod;
  /** Real-world duration (unscaled). */
  readonly durationMs: number;
  readonly queries: Summary;
  /** Detection delay in real-world ms (measured delay divided by the time scale). */
  readonly detectionDelayMs: Summary;
  /** 1 + ceil(log2(T / first delay)) with our first delay. */
  readonly bound: number;
  readonly withinBound: boolean;
}

export interface WaitFigures {
  readonly timeScale: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly fixedPollMs: number;
  readonly jobsPerDuration: number;
  readonly warmupJobs: number;
  readonly cases: WaitCase[];
  readonly notes: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Handler = (event: unknown, context: unknown) => Promise<any>;

/** Loads the FC bundle in this process, configured the way the ProductionRuntime construct configures it. */
function loadBundledHandler(endpoint: string, dir: string): Handler {
  const index = unzipBundle(ZIP_PATH, dir);
  process.env.ICE_ENDPOINT = endpoint;
  process.env.ICE_PROTOCOL = 'http';
  process.env.IPROD_REGION = 'cn-shanghai';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(index);
  if (typeof mod.handler !== 'function') throw new Error(`${index} exports no handler`);
  return mod.handler as Handler;
}

/** The message ICE publishes when an intelligent production job ends (GUESS shape, as lib/runtime/events.ts reads it), wrapped as the MNS topic trigger delivers it. */
function completionEvent(jobId: string, status: string): Buffer {
  const message = { EventType: 'IProductionJobComplete', UserId: 1, EventTime: new Date().toISOString(), MessageBody: { JobId: jobId, Status: status } };
  return Buffer.from(
    JSON.stringify({
      TopicOwner: '1',
      TopicName: 'iprod-bench-completions',
      Subscriber: '1',
      SubscriptionName: 'iprod-bench',
      MessageId: `m-${jobId}`,
      Message: JSON.stringify(message),
      MessageMD5: '',
      PublishTime: Date.now(),
    }),
  );
}

export async function measureWait(config: WaitConfig, log: (m: string) => void): Promise<WaitFigures> {
  const scale = config.timeScale;
  const firstDelayMs = DEFAULT_INITIAL_DELAY_MS;
  const notes: string[] = [];
  // Each job's duration is read back from its Name, so one endpoint serves every case.
  const durationOf = (params: Readonly<Record<string, string>>): number => {
    const m = /-T(\d+)-/.exec(params.Name ?? '');
    return m ? Number(m[1]) : 0;
  };
  const ice = await startLocalIce({
    timingFor: (job) => {
      const t = Math.round(durationOf(job.params) * scale);
      return { queuingMs: Math.round(t * 0.1), runningMs: t - Math.round(t * 0.1) };
    },
    // Time runs `1/scale` times faster, so the query budget a real user has per second is spent in `scale` seconds.
    qps: { QueryIProductionJob: Math.ceil(500 / scale), SubmitIProductionJob: Math.ceil(100 / scale) },
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-bench-wait-'));
  try {
    const credential = { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret };
    const client = new IProductionClient({
      region: 'cn-shanghai',
      endpoint: ice.endpoint,
      protocol: 'http',
      credential,
      rateLimits: { QueryIProductionJob: Math.ceil(50 / scale), SubmitIProductionJob: Math.ceil(100 / scale) },
      durationHistory: new DurationHistory(),
    } as any);
    let handler: Handler | undefined;
    try {
      handler = loadBundledHandler(ice.endpoint, path.join(scratch, 'runtime'));
    } catch (err) {
      notes.push(`notification path not measured: ${(err as Error).message}`);
    }
    const jobsById = (): Map<string, LocalJobRecord> => new Map(ice.jobs.map((j) => [j.jobId, j]));

    const submit = async (method: WaitMethod, durationMs: number, j: number): Promise<{ JobId: string; finishedAt: number }> => {
      const f = FUNCTION_FOR_DURATION[durationMs] ?? { fn: 'Cover', ext: '{sequenceId}.jpg' };
      const req = {
        FunctionName: f.fn,
        Name: `bench-wait-${method}-T${durationMs}-${j}`,
        Input: { Type: 'OSS', Media: `oss://bench-input/videos/wait-${j}.mp4` },
        Output: { Type: 'OSS', Media: `oss://bench-output/wait/${method}-${durationMs}-${j}-${f.ext}` },
      } as IProductionJobRequest;
      const { JobId } = await client.submitIProductionJob(req);
      const job = jobsById().get(JobId);
      if (!job) throw new Error(`endpoint has no job ${JobId} right after submitting it`);
      return { JobId, finishedAt: job.finishesAtMs };
    };
    const oursOptions = (durationMs: number) => ({
      initialDelayMs: Math.max(1, Math.round(DEFAULT_INITIAL_DELAY_MS * scale)),
      maxDelayMs: Math.max(1, Math.round(DEFAULT_MAX_DELAY_MS * scale)),
      timeoutMs: Math.round(durationMs * scale * 4 + 5000),
    });
    const summarizeCase = (method: WaitMethod, durationMs: number, detections: { jobId: string; delay: number }[]): WaitCase => {
      const jobs = jobsById();
      const queries = detections.map((d) => jobs.get(d.jobId)?.queryCount ?? NaN);
      const bound = queryBound(durationMs, firstDelayMs);
      const c: WaitCase = {
        method,
        durationMs,
        queries: summarize(queries),
        detectionDelayMs: summarize(detections.map((d) => d.delay)),
        bound,
        withinBound: Math.max(...queries) <= bound,
      };
      log(
        `wait ${method} T=${durationMs / 1000} s: queries/job median ${c.queries.median} (max ${c.queries.max}, bound ${bound}), ` +
          `detection delay median ${Math.round(c.detectionDelayMs.median)} ms (${Math.round((100 * c.detectionDelayMs.median) / durationMs)} % of T)`,
      );
      return c;
    };

    const cases: WaitCase[] = [];
    // Learning: per function, `warmupJobs` waits one after the other; the first of them is the "nothing learned" case.
    const firsts = await Promise.all(
      config.durationsMs.map(async (durationMs) => {
        let first: WaitCase | undefined;
        for (let j = 0; j < config.warmupJobs; j++) {
          const { JobId, finishedAt } = await submit('oursFirst', durationMs, j);
          await client.waitForIProductionJob(JobId, oursOptions(durationMs));
          const detection = { jobId: JobId, delay: (Date.now() - finishedAt) / scale };
          if (j === 0) first = summarizeCase('oursFirst', durationMs, [detection]);
        }
        return first;
      }),
    );
    cases.push(...firsts.filter((c): c is WaitCase => c !== undefined));

    const methods: WaitMethod[] = handler ? ['ours', 'fixedPoll', 'notification'] : ['ours', 'fixedPoll'];
    for (const method of methods) {
      // The handler logs one JSON line per event (as on FC); keep them out of the bench's own output.
      const consoleLog = console.log;
      if (method === 'notification') console.log = () => undefined;
      // Durations run concurrently (the longest sets the pace); each job is watched by exactly one waiter.
      let perDuration: WaitCase[];
      try {
        perDuration = await Promise.all(
          config.durationsMs.map(async (durationMs) => {
            const detections = await Promise.all(
              Array.from({ length: config.jobsPerDuration }, async (_, j) => {
                const { JobId, finishedAt } = await submit(method, durationMs, j);
                let detectedAt: number;
                if (method === 'ours') {
                  await client.waitForIProductionJob(JobId, oursOptions(durationMs));
                  detectedAt = Date.now();
                } else if (method === 'fixedPoll') {
                  for (;;) {
                    const q = await client.queryIProductionJob(JobId);
                    if (q.Status === 'Success' || q.Status === 'Fail') break;
                    await sleep(Math.max(1, Math.round(config.fixedPollMs * scale)));
                  }
                  detectedAt = Date.now();
                } else {
                  await sleep(Math.max(0, finishedAt - Date.now()));
                  const answer = await handler!(completionEvent(JobId, 'Success'), {
                    requestId: `bench-${JobId}`,
                    region: 'cn-shanghai',
                    credentials: credential,
                    function: { timeout: 600 },
                  });
                  if (!answer || answer.error) throw new Error(`handler answered the notification with ${JSON.stringify(answer).slice(0, 300)}`);
                  detectedAt = Date.now();
                }
                return { jobId: JobId, delay: (detectedAt - finishedAt) / scale };
              }),
            );
            return summarizeCase(method, durationMs, detections);
          }),
        );
      } finally {
        console.log = consoleLog;
      }
      cases.push(...perDuration);
    }
    return {
      timeScale: scale,
      firstDelayMs,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      fixedPollMs: config.fixedPollMs,
      jobsPerDuration: config.jobsPerDuration,
      warmupJobs: config.warmupJobs,
      cases,
      notes,
    };
  } finally {
    for (const k of ['ICE_ENDPOINT', 'ICE_PROTOCOL', 'IPROD_REGION']) delete process.env[k];
    fs.rmSync(scratch, { recursive: true, force: true });
    await ice.close();
  }
}
