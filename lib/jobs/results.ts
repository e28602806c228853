import type { Api } from '../service';
import { CATALOGUE, type CatalogueData, type FunctionName, type ResultShape, isFunctionName } from './catalogue';
import { isRecord, own, parseJson, show, toJson } from '../util/values';

export type IProductionStatus = 'Queuing' | 'Analyzing' | 'Fail' | 'Success';
export type MediaProducingStatus = 'Init' | 'Queuing' | 'Processing' | 'Success' | 'Failed';

export const IPRODUCTION_STATUSES: readonly IProductionStatus[] = ['Queuing', 'Analyzing', 'Fail', 'Success'];
export const MEDIA_PRODUCING_STATUSES: readonly MediaProducingStatus[] = ['Init', 'Queuing', 'Processing', 'Success', 'Failed'];

export interface CoverResultItem {
  readonly Score: number;
  /** Frame time as the service writes it (milliseconds, as text). */
  readonly Time: string;
  readonly Url: string;
}
export interface VideoClipResult {
  readonly VideoSummaryList: ReadonlyArray<{ readonly StartTime: string; readonly EndTime: string }>;
}
export interface MusicSegment {
  readonly start: number;
  readonly end: number;
  readonly title: string;
}
export type AudioQualityRecord = Readonly<Record<string, string>>;

/** The TypeScript type of a result shape (seed 004). */
export type ResultOfShape<S extends ResultShape> = S extends 'cover-list'
  ? readonly CoverResultItem[]
  : S extends 'video-summary'
    ? VideoClipResult
    : S extends 'segments'
      ? readonly MusicSegment[]
      : S extends 'records'
        ? readonly AudioQualityRecord[]
        : Readonly<Record<string, unknown>>;

/** An empty result (`{}`), which every function may answer (seed 004 lines 68-98: a Cover job with Result "{}"). */
export type EmptyResult = Readonly<Record<string, never>>;

export type IProductionResultOf<F extends FunctionName> = ResultOfShape<CatalogueData[F]['result']> | EmptyResult;

interface JobBase {
  readonly RequestId?: string;
  readonly JobId: string;
  readonly Name?: string;
  /** Normalized status; `Unknown` when the service sent a value this package does not know (see RawStatus). */
  readonly Status: IProductionStatus | 'Unknown';
  /** The status exactly as sent (`Analysing` on MPS). */
  readonly RawStatus: string;
  /** The Result text as sent, when there was one. */
  readonly ResultRaw?: string;
  readonly Input?: unknown;
  readonly Output?: unknown;
  readonly TemplateId?: string;
  readonly JobParams?: string;
  readonly ScheduleConfig?: unknown;
  readonly PipelineId?: string;
  readonly UserData?: string;
  readonly CreateTime?: string;
  readonly FinishTime?: string;
  readonly OutputFiles: readonly string[];
  readonly OutputUrls: readonly string[];
  readonly Code?: string;
  readonly Message?: string;
  /** Irregularities met while parsing (unknown status, Result not in its documented shape...). */
  readonly Warnings: readonly string[];
}

/** A job of a known function; narrow on FunctionName to get its typed Result. */
export type KnownFunctionJob = {
  [F in FunctionName]: JobBase & {
    readonly KnownFunction: true;
    readonly FunctionName: F;
    /** The typed result, or the raw text when it did not parse into the documented shape. */
    readonly Result?: IProductionResultOf<F> | string;
  };
}[FunctionName];

export interface UnknownFunctionJob extends JobBase {
  readonly KnownFunction: false;
  readonly FunctionName: string;
  readonly Result?: unknown;
}

export type IProductionJob = KnownFunctionJob | UnknownFunctionJob;

export interface MediaProducingJob {
  readonly RequestId?: string;
  readonly JobId: string;
  readonly ProjectId?: string;
  readonly MediaId?: string;
  readonly MediaURL?: string;
  readonly VodMediaId?: string;
  readonly TemplateId?: string;
  readonly ClipsParam?: string;
  readonly Status: MediaProducingStatus | 'Unknown';
  readonly RawStatus: string;
  /** 0-100, when the service reports it. */
  readonly Progress?: number;
  readonly Code?: string;
  readonly Message?: string;
  readonly CreateTime?: string;
  readonly ModifiedTime?: string;
  readonly CompleteTime?: string;
  readonly UserData?: string;
  readonly Warnings: readonly string[];
}

export class ResponseShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseShapeError';
  }
}

export function isTerminalIProductionStatus(s: unknown): boolean {
  return s === 'Fail' || s === 'Success';
}

export function isTerminalMediaProducingStatus(s: unknown): boolean {
  return s === 'Failed' || s === 'Success';
}

/** Accepts the SDK's whole `{statusCode, headers, body}` answer as well as its body. */
function bodyOf(answer: unknown, action: string): Record<string, unknown> {
  const b = isRecord(answer) && isRecord(own(answer, 'body')) && own(answer, 'statusCode') !== undefined ? own(answer, 'body') : answer;
  if (!isRecord(b)) throw new ResponseShapeError(`${action} answer must be a JSON object, got ${show(answer)}`);
  return b as Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function jobIdOf(b: Record<string, unknown>, action: string): string {
  const id = str(own(b, 'JobId'));
  if (!id) throw new ResponseShapeError(`${action} answer has no JobId, got ${show(b)}`);
  return id;
}

/** Coerces parsed Result JSON into the documented shape, or returns undefined when it does not fit. */
function shaped(shape: ResultShape, v: unknown): unknown {
  const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : undefined);
  switch (shape) {
    case 'cover-list': {
      if (!Array.isArray(v)) return undefined;
      const out: CoverResultItem[] = [];
      for (const x of v) {
        if (!isRecord(x)) return undefined;
        const Score = num(own(x, 'Score'));
        const Time = str(own(x, 'Time'));
        const Url = own(x, 'Url');
        if (Score === undefined || Time === undefined || typeof Url !== 'string') return undefined;
        out.push({ Score, Time, Url });
      }
      return out;
    }
    case 'video-summary': {
      const list = isRecord(v) ? own(v, 'VideoSummaryList') : undefined;
      if (!Array.isArray(list)) return undefined;
      const out: { StartTime: string; EndTime: string }[] = [];
      for (const x of list) {
        const StartTime = isRecord(x) ? str(own(x, 'StartTime')) : undefined;
        const EndTime = isRecord(x) ? str(own(x, 'EndTime')) : undefined;
        if (StartTime === undefined || EndTime === undefined) return undefined;
        out.push({ StartTime, EndTime });
      }
      return { VideoSummaryList: out };
    }
    case 'segments': {
      if (!Array.isArray(v)) return undefined;
      const out: MusicSegment[] = [];
      for (const x of v) {
        if (!isRecord(x)) return undefined;
        const start = num(own(x, 'start'));
        const end = num(own(x, 'end'));
        const title = own(x, 'title');
        if (start === undefined || end === undefined || typeof title !== 'string') return undefined;
        out.push({ start, end, title });
      }
      return out;
    }
    case 'records':
      if (!Array.isArray(v) || !v.every(isRecord)) return undefined;
      return v.map((rec) => Object.fromEntries(Object.entries(rec).map(([k, x]) => [k, typeof x === 'string' ? x : (toJson(x) ?? '')])));
    case 'empty':
      return isRecord(v) ? v : undefined;
  }
}

/**
 * True for `{}` and `[]`, what a job answers when it found nothing to report (seed 004's own example: a Cover job
 * with Result "{}"). `!isEmptyResult(job.Result)` narrows Result to the function's full shape.
 */
export function isEmptyResult(v: unknown): v is EmptyResult {
  return (isRecord(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
}

function normalizeStatus<S extends string>(raw: unknown, known: readonly S[], aliases: Readonly<Record<string, S>>, warnings: string[], action: string): { Status: S | 'Unknown'; RawStatus: string } {
  const RawStatus = str(raw) ?? '';
  const alias = Object.prototype.hasOwnProperty.call(aliases, RawStatus) ? aliases[RawStatus] : undefined;
  const Status = (known as readonly string[]).includes(RawStatus) ? (RawStatus as S) : alias;
  if (Status === undefined) {
    warnings.push(`${action}: unknown status ${show(raw)}, kept as RawStatus`);
    return { Status: 'Unknown', RawStatus };
  }
  return { Status, RawStatus };
}

export interface ParseOptions {
  /** @default 'ice' */
  readonly api?: Api;
}

/**
 * Reads a QueryIProductionJob answer. ICE: seed 004. MTS: GUESS (no seed shows its QueryIProductionJob answer):
 * `{RequestId, JobId, FunctionName, State, Code, Message, Result, UserData, PipelineId, Input, Output,
 * CreationTime, FinishTime}`. Throws ResponseShapeError only when the answer is not an object or has no JobId.
 */
export function parseQueryIProductionJob(answer: unknown, options: ParseOptions = {}): IProductionJob {
  const api = options.api ?? 'ice';
  const action = `${api === 'mts' ? 'MPS' : 'ICE'} QueryIProductionJob`;
  const b = bodyOf(answer, action);
  const warnings: string[] = [];
  const rawStatus = api === 'mts' ? (own(b, 'State') ?? own(b, 'Status')) : (own(b, 'Status') ?? own(b, 'State'));
  const { Status, RawStatus } = normalizeStatus(rawStatus, IPRODUCTION_STATUSES, { Analysing: 'Analyzing' }, warnings, action);
  const fnRaw = str(own(b, 'FunctionName')) ?? '';
  const known = isFunctionName(fnRaw);
  if (!known) warnings.push(`${action}: unknown FunctionName ${show(own(b, 'FunctionName'))}`);

  const resultValue = own(b, 'Result');
  const ResultRaw = typeof resultValue === 'string' ? resultValue : resultValue === undefined || resultValue === null ? undefined : toJson(resultValue);
  let parsed: unknown;
  let Result: unknown;
  if (ResultRaw !== undefined && ResultRaw.trim() !== '') {
    const p = typeof resultValue === 'string' ? parseJson(resultValue) : { ok: true as const, value: resultValue };
    if (!p.ok) {
      warnings.push(`${action}: Result is not JSON, kept as text`);
      Result = ResultRaw;
    } else {
      parsed = p.value;
      if (known && isEmptyResult(parsed)) {
        // Seed 004 lines 68-98: a Cover job that succeeded with Result "{}". An empty result is a result of every
        // function, whatever shape its full one has.
        Result = parsed;
      } else if (known) {
        const typed = shaped(CATALOGUE[fnRaw].result, parsed);
        if (typed === undefined) warnings.push(`${action}: Result does not have the documented ${CATALOGUE[fnRaw].result} shape of ${fnRaw}, kept as text`);
        Result = typed ?? ResultRaw;
      } else {
        Result = parsed;
      }
    }
  }

  // A failed job carries Code/Message at the top when present, else inside its Result.
  const inner = isRecord(parsed) ? parsed : {};
  const Code = str(own(b, 'Code')) ?? str(own(inner, 'Code'));
  const Message = str(own(b, 'Message')) ?? str(own(inner, 'Message'));

  const job = {
    RequestId: str(own(b, 'RequestId')),
    JobId: jobIdOf(b, action),
    Name: str(own(b, 'Name')),
    FunctionName: fnRaw,
    KnownFunction: known,
    Status,
    RawStatus,
    Result,
    ResultRaw,
    Input: own(b, 'Input'),
    Output: own(b, 'Output'),
    TemplateId: str(own(b, 'TemplateId')),
    JobParams: str(own(b, 'JobParams')) ?? toJson(own(b, 'JobParams')),
    ScheduleConfig: own(b, 'ScheduleConfig'),
    PipelineId: str(own(b, 'PipelineId')) ?? (isRecord(own(b, 'ScheduleConfig')) ? str(own(own(b, 'ScheduleConfig') as Record<string, unknown>, 'PipelineId')) : undefined),
    UserData: str(own(b, 'UserData')),
    CreateTime: str(own(b, 'CreateTime')) ?? str(own(b, 'CreationTime')),
    FinishTime: str(own(b, 'FinishTime')),
    OutputFiles: strList(own(b, 'OutputFiles')),
    OutputUrls: strList(own(b, 'OutputUrls')),
    Code,
    Message,
    Warnings: warnings,
  };
  return dropUndefined(job) as unknown as IProductionJob;
}

/**
 * What MPS SubmitIProductionJob answers in `Result` (seed 002 lines 142-166): the job's state at submission. The
 * official SDK types `Result` as a string, the seed's example shows an object: both are read.
 */
export interface IProductionSubmitResult {
  readonly Code?: string;
  readonly Details?: readonly unknown[];
  readonly FunctionName?: string;
  readonly JobId?: string;
  readonly Message?: string;
  readonly State?: string;
  /** `IProduction` in the seed's example. */
  readonly Type?: string;
}

export interface SubmitIProductionJobAnswer {
  readonly JobId: string;
  readonly RequestId: string;
  /** MPS only: the typed `Result` (seed 002 lines 142-166). */
  readonly Result?: IProductionSubmitResult;
  /** The `Result` text as sent, when there was one. */
  readonly ResultRaw?: string;
  /** Irregularities met while parsing (a Result that is not a JSON object, fields of unexpected types). */
  readonly Warnings: readonly string[];
}

/**
 * Reads a SubmitIProductionJob answer: ICE `{RequestId, JobId}` (seed 001 lines 488-491), MPS `{RequestId, JobId,
 * Result}` (seed 002 lines 154-166). Throws ResponseShapeError only when the answer is not an object or has no JobId.
 */
export function parseSubmitIProductionJob(answer: unknown, options: ParseOptions = {}): SubmitIProductionJobAnswer {
  const action = `${options.api === 'mts' ? 'MPS' : 'ICE'} SubmitIProductionJob`;
  const b = bodyOf(answer, action);
  const warnings: string[] = [];
  const JobId = jobIdOf(b, action);
  const raw = own(b, 'Result');
  const ResultRaw = typeof raw === 'string' ? raw : raw === undefined || raw === null ? undefined : toJson(raw);
  let Result: IProductionSubmitResult | undefined;
  if (ResultRaw !== undefined && ResultRaw.trim() !== '') {
    const value = typeof raw === 'string' ? parseJson(raw) : { ok: true as const, value: raw };
    if (!value.ok || !isRecord(value.value)) warnings.push(`${action}: Result is not a JSON object, kept as ResultRaw`);
    else Result = submitResult(value.value, action, warnings);
  }
  return dropUndefined({ JobId, RequestId: str(own(b, 'RequestId')) ?? '', Result, ResultRaw, Warnings: warnings });
}

function submitResult(v: Record<string, unknown>, action: string, warnings: string[]): IProductionSubmitResult {
  const text = (key: string): string | undefined => {
    const x = own(v, key);
    if (x !== undefined && x !== null && str(x) === undefined) warnings.push(`${action}: Result.${key} is not text, got ${show(x)}`);
    return str(x);
  };
  const details = own(v, 'Details');
  if (details !== undefined && details !== null && !Array.isArray(details)) warnings.push(`${action}: Result.Details is not a list, got ${show(details)}`);
  return dropUndefined({
    Code: text('Code'),
    Details: Array.isArray(details) ? details : undefined,
    FunctionName: text('FunctionName'),
    JobId: text('JobId'),
    Message: text('Message'),
    State: text('State'),
    Type: text('Type'),
  });
}

/** Reads a GetMediaProducingJob answer `{RequestId, MediaProducingJob: {...}}`. */
export function parseGetMediaProducingJob(answer: unknown): MediaProducingJob {
  const action = 'GetMediaProducingJob';
  const b = bodyOf(answer, action);
  const j = own(b, 'MediaProducingJob');
  if (!isRecord(j)) throw new ResponseShapeError(`${action} answer has no MediaProducingJob object, got ${show(b)}`);
  const warnings: string[] = [];
  const { Status, RawStatus } = normalizeStatus(own(j, 'Status'), MEDIA_PRODUCING_STATUSES, {}, warnings, action);
  const p = own(j, 'Progress');
  const progress = typeof p === 'number' ? p : typeof p === 'string' && p.trim() !== '' && Number.isFinite(Number(p)) ? Number(p) : undefined;
  if (p !== undefined && progress === undefined) warnings.push(`${action}: Progress is not a number, got ${show(p)}`);
  const job: MediaProducingJob = {
    RequestId: str(own(b, 'RequestId')),
    JobId: jobIdOf(j, action),
    ProjectId: str(own(j, 'ProjectId')),
    MediaId: str(own(j, 'MediaId')),
    MediaURL: str(own(j, 'MediaURL')),
    VodMediaId: str(own(j, 'VodMediaId')),
    TemplateId: str(own(j, 'TemplateId')),
    ClipsParam: str(own(j, 'ClipsParam')) ?? toJson(own(j, 'ClipsParam')),
    Status,
    RawStatus,
    Progress: progress,
    Code: str(own(j, 'Code')),
    Message: str(own(j, 'Message')),
    CreateTime: str(own(j, 'CreateTime')),
    ModifiedTime: str(own(j, 'ModifiedTime')),
    CompleteTime: str(own(j, 'CompleteTime')),
    UserData: str(own(j, 'UserData')) ?? toJson(own(j, 'UserData')),
    Warnings: warnings,
  };
  return dropUndefined(job);
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
