import { formatUtc } from './protocol';

export type ApiName = 'ice' | 'mts';
export type JobKind = 'iproduction' | 'mediaProducing';

/**
 * How long a job stays in each phase, in ms of the server's clock. The status is computed from the clock on every
 * read (no timers), so an injected clock moves jobs forward exactly.
 */
export interface JobTiming {
  /**
   * MediaProducing jobs only: time in `Init` before `Queuing`.
   * @default 0
   */
  readonly initMs?: number;
  /** @default 50 */
  readonly queuingMs?: number;
  /** Time in Analyzing/Analysing/Processing. @default 150 */
  readonly runningMs?: number;
}

export const DEFAULT_TIMING: Required<JobTiming> = { initMs: 0, queuingMs: 50, runningMs: 150 };

export interface JobFailure {
  readonly Code: string;
  readonly Message: string;
}

export type JobPhase = 'init' | 'queuing' | 'running' | 'succeeded' | 'failed';

/** The server's record of a job; `params` are the request parameters as received (query and form body merged). */
export interface StoredJob {
  readonly jobId: string;
  readonly kind: JobKind;
  readonly api: ApiName;
  readonly params: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
  readonly timing: Required<JobTiming>;
  readonly failure?: JobFailure;
  readonly clientToken?: string;
  readonly projectId?: string;
  readonly mediaId?: string;
  queryCount: number;
}

export function jobPhase(job: StoredJob, nowMs: number): JobPhase {
  const elapsed = nowMs - job.createdAtMs;
  const { initMs, queuingMs, runningMs } = job.timing;
  const init = job.kind === 'mediaProducing' ? initMs : 0;
  if (elapsed < init) {
    return 'init';
  }
  if (elapsed < init + queuingMs) {
    return 'queuing';
  }
  if (elapsed < init + queuingMs + runningMs) {
    return 'running';
  }
  return job.failure ? 'failed' : 'succeeded';
}

export function finishedAtMs(job: StoredJob): number {
  const init = job.kind === 'mediaProducing' ? job.timing.initMs : 0;
  return job.createdAtMs + init + job.timing.queuingMs + job.timing.runningMs;
}

/** The status string each API uses for a phase (ICE `Analyzing`, MTS `Analysing`, MediaProducing `Processing`). */
export function statusName(job: StoredJob, phase: JobPhase): string {
  if (job.kind === 'mediaProducing') {
    return { init: 'Init', queuing: 'Queuing', running: 'Processing', succeeded: 'Success', failed: 'Failed' }[phase];
  }
  const running = job.api === 'mts' ? 'Analysing' : 'Analyzing';
  return { init: 'Queuing', queuing: 'Queuing', running, succeeded: 'Success', failed: 'Fail' }[phase];
}

interface OssLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region?: string;
}

/** `oss://bucket/key`, `oss://bucket.oss-region.aliyuncs.com/key` (MPS form) or `http(s)://bucket.oss-region.aliyuncs.com/key`. */
export function parseOssUrl(url: string): OssLocation | undefined {
  const match = /^(oss|https?):\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) {
    return undefined;
  }
  const host = match[2];
  const hosted = /^([^.]+)\.oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(host);
  if (hosted) {
    return { bucket: hosted[1], key: match[3], region: hosted[2] };
  }
  if (match[1] !== 'oss') {
    return undefined;
  }
  return { bucket: host, key: match[3] };
}

function outputCount(functionName: string): number {
  switch (functionName) {
    case 'Cover':
      return 3;
    case 'MusicDemix':
      return 2;
    case 'AudioQualityAssessment':
      return 0;
    default:
      return 1;
  }
}

/** GUESS: the stem names MusicDemix writes for `{resultType}`. */
const DEMIX_RESULT_TYPES = ['vocals', 'accompaniment'];

function basenameWithoutExtension(path: string): string {
  const base = path.split('/').pop() ?? path;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Expands the documented output placeholders the way the service names its files. */
export function outputKeys(job: StoredJob, outputMedia: string, inputMedia: string): string[] {
  const functionName = job.params.FunctionName;
  const location = parseOssUrl(outputMedia);
  if (!location) {
    return [];
  }
  const source = basenameWithoutExtension(parseOssUrl(inputMedia)?.key ?? inputMedia);
  const timestamp = String(Math.floor(job.createdAtMs / 1000));
  const count = outputCount(functionName);
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    keys.push(
      location.key
        .replace(/\{source\}/g, source)
        .replace(/\{timestamp\}/g, timestamp)
        .replace(/\{sequenceId\}/g, String(i + 1).padStart(5, '0'))
        .replace(/\{resultType\}/g, functionName === 'MusicDemix' ? DEMIX_RESULT_TYPES[i] : 'result'),
    );
  }
  return keys;
}

/** Per-function sample results from seed 004 (QueryIProductionJob), as the JSON string the service returns. */
export function sampleResult(functionName: string, outputs: readonly string[]): string {
  switch (functionName) {
    case 'Cover':
      return JSON.stringify(
        outputs.map((url, i) => ({ Score: 8.270855992569906 - i * 0.4, Time: String(28278.25 - i * 1167.8), Url: url })),
      );
    case 'VideoClip':
      return JSON.stringify({ VideoSummaryList: [{ EndTime: '5.28', StartTime: '0.28' }] });
    case 'MusicSegmentDetect':
      return JSON.stringify([
        { start: 39.32, end: 63.85, title: 'chorus' },
        { start: 86.69, end: 114.45, title: 'chorus' },
        { start: 135.75, end: 160.27, title: 'chorus' },
      ]);
    case 'AudioQualityAssessment':
      return JSON.stringify([
        {
          Discontinuity: 'Good',
          Loudness: 'Excellent',
          'Worst MOS(0-5)': '0.38',
          'Discontinuity(0-5)': '3.52',
          'Speech Ratio': '48.55',
          'Loudness(0-5)': '4.91',
          Channel: '1',
          'Coloration(0-5)': '0.99',
          'Noisiness(0-5)': '3.28',
          MOS: 'Poor',
          'Total Duration': '42.78',
          Noisiness: 'Good',
          Tag: 'Valid',
          'MOS(0-5)': '1.01',
          'Loudness(-90dB-0dB)': '-0.59',
          Coloration: 'Bad',
        },
      ]);
    default:
      return '{}';
  }
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text === '') {
    return undefined;
  }
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function withoutUndefined<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) {
    if (obj[key] === undefined) {
      delete obj[key];
    }
  }
  return obj;
}

/** ICE 2020-11-09 QueryIProductionJob body (seed 004); a failed job carries top-level Code and Message. */
export function iceQueryAnswer(job: StoredJob, nowMs: number, region: string): Record<string, unknown> {
  const phase = jobPhase(job, nowMs);
  const p = job.params;
  const input = parseObject(p.Input);
  const output = parseObject(p.Output);
  const done = phase === 'succeeded' || phase === 'failed';
  let outputFiles: string[] | undefined;
  let outputUrls: string[] | undefined;
  if (phase === 'succeeded') {
    const media = typeof output?.Media === 'string' ? output.Media : '';
    const outputUrl = typeof output?.OutputUrl === 'string' ? output.OutputUrl : '';
    const source = typeof input?.Media === 'string' ? input.Media : '';
    const location = parseOssUrl(output?.Type === 'Media' ? outputUrl : media);
    const keys = location ? outputKeys(job, output?.Type === 'Media' ? outputUrl : media, source) : [];
    outputFiles = keys;
    outputUrls = location
      ? keys.map(
          (key) =>
            `https://${location.bucket}.oss-${location.region ?? region}.aliyuncs.com/${key.split('/').map(encodeURIComponent).join('/')}`,
        )
      : [];
  }
  return withoutUndefined({
    JobId: job.jobId,
    Name: p.Name,
    FunctionName: p.FunctionName,
    Input: input,
    Output: output,
    TemplateId: p.TemplateId,
    JobParams: p.JobParams,
    ScheduleConfig: parseObject(p.ScheduleConfig),
    UserData: p.UserData,
    Result: phase === 'succeeded' ? sampleResult(p.FunctionName, outputFiles ?? []) : done ? '{}' : undefined,
    CreateTime: formatUtc(job.createdAtMs),
    FinishTime: done ? formatUtc(finishedAtMs(job)) : undefined,
    Status: statusName(job, phase),
    OutputFiles: outputFiles,
    OutputUrls: outputUrls,
    Code: phase === 'failed' ? job.failure?.Code : undefined,
    Message: phase === 'failed' ? job.failure?.Message : undefined,
  });
}

/**
 * MPS 2014-06-18 QueryIProductionJob body. No seed shows it; the MPS API page lists FunctionName, Input, Output,
 * UserData, State, PipelineId, JobParams, JobId and Result. CreationTime/FinishTime and the top-level Code/Message
 * of a failed job are GUESS. That page's Result example starts `{"Code":"Success","Data":"{\"result\":[{\"file\"...`,
 * a wrapper whose rest it cuts off; we answer the per-function sample (as ICE does) until a full example is found.
 */
export function mtsQueryAnswer(job: StoredJob, nowMs: number): Record<string, unknown> {
  const phase = jobPhase(job, nowMs);
  const p = job.params;
  const done = phase === 'succeeded' || phase === 'failed';
  const outputs = phase === 'succeeded' && p.Output ? outputKeys(job, p.Output, p.Input ?? '') : [];
  return withoutUndefined({
    JobId: job.jobId,
    FunctionName: p.FunctionName,
    State: statusName(job, phase),
    Code: phase === 'failed' ? job.failure?.Code : undefined,
    Message: phase === 'failed' ? job.failure?.Message : undefined,
    Result: phase === 'succeeded' ? sampleResult(p.FunctionName, outputs) : done ? '{}' : undefined,
    UserData: p.UserData,
    PipelineId: p.PipelineId,
    JobParams: p.JobParams,
    Input: p.Input,
    Output: p.Output,
    CreationTime: formatUtc(job.createdAtMs),
    FinishTime: done ? formatUtc(finishedAtMs(job)) : undefined,
  });
}

/**
 * MPS 2014-06-18 SubmitIProductionJob body besides RequestId: seed 002 lines 154-166, `Result` as the object its
 * example shows (the official SDK types it as a string; clients read both). `State` is the job's state as the
 * query would answer it at that moment (GUESS: the seed's one example is an image job already `Success`).
 */
export function mtsSubmitAnswer(job: StoredJob, nowMs: number): Record<string, unknown> {
  const fn = job.params.FunctionName;
  const state = statusName(job, jobPhase(job, nowMs));
  return {
    JobId: job.jobId,
    Result: { Code: 'Success', Details: [], FunctionName: fn, JobId: job.jobId, Message: 'success', State: state, Type: 'IProduction' },
  };
}

/** ICE GetMediaProducingJob `MediaProducingJob` object. Progress is linear over the Processing phase. */
export function mediaProducingAnswer(job: StoredJob, nowMs: number): Record<string, unknown> {
  const phase = jobPhase(job, nowMs);
  const p = job.params;
  const config = parseObject(p.OutputMediaConfig);
  const done = phase === 'succeeded' || phase === 'failed';
  const runningStart = job.createdAtMs + job.timing.initMs + job.timing.queuingMs;
  let progress = 0;
  if (phase === 'succeeded') {
    progress = 100;
  } else if (phase === 'running' || phase === 'failed') {
    const span = Math.max(1, job.timing.runningMs);
    progress = Math.min(99, Math.floor(((Math.min(nowMs, finishedAtMs(job)) - runningStart) / span) * 100));
  }
  const phaseStart = {
    init: job.createdAtMs,
    queuing: job.createdAtMs + job.timing.initMs,
    running: runningStart,
    succeeded: finishedAtMs(job),
    failed: finishedAtMs(job),
  }[phase];
  return withoutUndefined({
    JobId: job.jobId,
    ProjectId: job.projectId,
    MediaId: job.mediaId,
    MediaURL: typeof config?.MediaURL === 'string' ? config.MediaURL : undefined,
    TemplateId: p.TemplateId,
    ClipsParam: p.ClipsParam,
    Timeline: p.Timeline,
    Status: statusName(job, phase),
    Code: phase === 'failed' ? job.failure?.Code : undefined,
    Message: phase === 'failed' ? job.failure?.Message : undefined,
    Progress: progress,
    CreateTime: formatUtc(job.createdAtMs),
    ModifiedTime: formatUtc(phaseStart),
    CompleteTime: done ? formatUtc(finishedAtMs(job)) : undefined,
    UserData: p.UserData,
  });
}
