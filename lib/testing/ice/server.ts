import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import {
  ActionName,
  DEFAULT_QPS,
  Params,
  SERVED,
  StoredEventCallback,
  checkIceSubmitIProductionJob,
  checkMtsSubmitIProductionJob,
  checkSetEventCallback,
  checkSubmitMediaProducingJob,
  iproductionIdentity,
  mediaProducingIdentity,
  requireParam,
} from './actions';
import { ServiceError, errors } from './errors';
import {
  ApiName,
  DEFAULT_TIMING,
  JobFailure,
  JobKind,
  JobTiming,
  StoredJob,
  finishedAtMs,
  iceQueryAnswer,
  jobPhase,
  mediaProducingAnswer,
  mtsQueryAnswer,
  mtsSubmitAnswer,
  statusName,
} from './jobs';
import { AccessKey, Authenticator } from './auth';
import { headerValue, rpcTarget } from './protocol';
import { SlidingWindowLimiter } from './rate-limit';
import { hexId, requestId, seededRandom } from './random';

export type { AccessKey } from './auth';

/** The long-term key the server accepts by default (what `npm run local-ice` prints). */
export const DEFAULT_ACCESS_KEY: AccessKey = { accessKeyId: 'LTAIlocaltest', accessKeySecret: 'local-secret' };
/** The STS key the server accepts by default. */
export const DEFAULT_STS_KEY: AccessKey = {
  accessKeyId: 'STS.localtest',
  accessKeySecret: 'local-sts-secret',
  securityToken: 'local-sts-token',
};

/** What `failWhen` and `timingFor` see of a job being created. */
export interface JobRequest {
  readonly action: ActionName;
  readonly api: ApiName;
  readonly jobId: string;
  /** Service parameters as received (query and form body merged; signature parameters removed). */
  readonly params: Params;
}

export interface LocalIceOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** @default [DEFAULT_ACCESS_KEY, DEFAULT_STS_KEY] */
  readonly accessKeys?: readonly AccessKey[];
  /** Per-action limit over a sliding one-second window, counted per API. @default DEFAULT_QPS (100/30/500/500) */
  readonly qps?: Partial<Record<ActionName, number>>;
  /** @default DEFAULT_TIMING ({ initMs: 0, queuingMs: 50, runningMs: 150 }) */
  readonly timing?: JobTiming;
  /** Per-job timing override; fields it leaves out come from `timing`. @default - every job uses `timing` */
  readonly timingFor?: (job: JobRequest) => JobTiming | undefined;
  /** Makes a job end in Fail/Failed with this Code and Message. @default - every job succeeds */
  readonly failWhen?: (job: JobRequest) => JobFailure | undefined;
  /** Server clock in epoch ms: job lifecycle, rate limits, signature clock skew. @default Date.now */
  readonly now?: () => number;
  /** Seed of the PRNG behind ids, RequestIds and probabilistic faults. @default 1 */
  readonly seed?: number;
  /** Accepted distance between the request's timestamp and the server clock. @default 900000 (15 min) */
  readonly clockSkewMs?: number;
  /** Region used for HostId and OutputUrls of `oss://` outputs. @default 'cn-shanghai' */
  readonly region?: string;
  /**
   * Network jitter: every request is held a uniformly random 0..jitterMs (seeded) after it arrives and before it is
   * processed, so requests sent evenly reach the rate limiter unevenly, as over a real network. @default 0
   */
  readonly jitterMs?: number;
  /** Called once per request after it was answered (or its connection reset); must not throw. @default - none */
  readonly onRequest?: (record: RequestRecord) => void;
}

/** One request as the server saw it, for logs and request-level assertions. */
export interface RequestRecord {
  readonly requestId: string;
  readonly action?: string;
  readonly version?: string;
  readonly api?: ApiName;
  /** 0 when the connection was reset by a fault instead of answered. */
  readonly statusCode: number;
  /** The error Code, for error answers. */
  readonly code?: string;
  readonly fault?: FaultKind;
  /** The job a submit created or a query/get asked about. */
  readonly jobId?: string;
  /** The ClientToken the request carried (SubmitMediaProducingJob, ICE QueryIProductionJob), if any. */
  readonly clientToken?: string;
}

export type FaultKind = 'reset-before' | 'reset-after' | 'status-503' | 'latency';

export interface FaultSpec {
  /** @default - every action */
  readonly action?: ActionName;
  /** @default - both APIs */
  readonly api?: ApiName;
  readonly kind: FaultKind;
  /** Fire on the next `count` matching requests. @default - no limit (until removed) */
  readonly count?: number;
  /** Fire on each matching request with this probability (seeded PRNG). @default 1 */
  readonly probability?: number;
  /** Required for 'latency': how long the answer is held back. */
  readonly latencyMs?: number;
}

export interface ActionStats {
  /** Every request naming this action, whatever became of it. */
  received: number;
  /** Answered 2xx. */
  accepted: number;
  /** Answered Throttling.User. */
  throttled: number;
  /** Hit by an injected fault (reset, 503, latency). */
  faulted: number;
  /** Answered any other 4xx/5xx (signature, parameters, unknown job). */
  rejected: number;
}

export interface LocalIceStats {
  /** Per action, both APIs added together. */
  readonly actions: Readonly<Record<ActionName, ActionStats>>;
  readonly byApi: Readonly<Record<ApiName, Readonly<Record<ActionName, ActionStats>>>>;
  readonly totals: ActionStats;
  /** Requests naming no served action/version. */
  readonly unknownActions: number;
  /** Accepted SubmitIProductionJob requests identical (FunctionName, Input, Output, JobParams, UserData, Name) to an earlier accepted one. */
  readonly duplicates: number;
  /** MediaProducing jobs created with the same parameters (ClientToken aside) as an earlier one; a replayed ClientToken creates nothing and is not counted. */
  readonly mediaProducingDuplicates: number;
  /** SubmitMediaProducingJob requests answered from an earlier ClientToken. */
  readonly idempotentReplays: number;
  readonly jobsCreated: number;
}

export interface LocalJobRecord {
  readonly jobId: string;
  readonly kind: JobKind;
  readonly api: ApiName;
  readonly params: Params;
  readonly createdAtMs: number;
  readonly finishesAtMs: number;
  /** In the API's own spelling, at the server clock's current time. */
  readonly status: string;
  readonly failure?: JobFailure;
  readonly clientToken?: string;
  readonly projectId?: string;
  readonly mediaId?: string;
  /** QueryIProductionJob / GetMediaProducingJob calls answered for this job. */
  readonly queryCount: number;
}

export interface LocalIce {
  /** `127.0.0.1:PORT`, the value for the SDK's `endpoint` (with protocol 'http'). */
  readonly endpoint: string;
  readonly port: number;
  /** The first configured key. */
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly accessKeys: readonly AccessKey[];
  /** A fresh snapshot on every read. */
  readonly stats: LocalIceStats;
  /** Every job ever created, oldest first; a fresh snapshot on every read. */
  readonly jobs: readonly LocalJobRecord[];
  /** How many jobs were created so far. */
  readonly jobCount: number;
  /** The jobs created from the `index`-th on (as `jobs.slice(index)`, without copying the others). */
  jobsFrom(index: number): readonly LocalJobRecord[];
  /** Adds a fault rule (rules are tried in the order added); returns a function that removes it. */
  setFault(fault: FaultSpec): () => void;
  clearFaults(): void;
  /**
   * The event callback SetEventCallback stored for a region (default: the server's), as GetEventCallback answers it;
   * `undefined` when none was set. One setting per region for the whole account, as the service keeps it.
   */
  eventCallback(region?: string): StoredEventCallback | undefined;
  /** Forgets jobs, stats, tokens, nonces, rate windows, faults and event callbacks (options stay). */
  reset(): void;
  /** Stops listening and destroys every socket and pending timer. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const ACTIONS: readonly ActionName[] = [
  'SubmitIProductionJob',
  'QueryIProductionJob',
  'SubmitMediaProducingJob',
  'GetMediaProducingJob',
  'GetEventCallback',
  'SetEventCallback',
];
const FAULT_KINDS: readonly FaultKind[] = ['reset-before', 'reset-after', 'status-503', 'latency'];

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

function emptyStats(): ActionStats {
  return { received: 0, accepted: 0, throttled: 0, faulted: 0, rejected: 0 };
}

function checkOptions(options: LocalIceOptions): void {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`port must be an integer between 0 and 65535, got ${port}`);
  }
  for (const [action, qps] of Object.entries(options.qps ?? {})) {
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new Error(`qps keys must be one of ${ACTIONS.join(', ')}, got ${action}`);
    }
    if (typeof qps !== 'number' || !(qps > 0)) {
      throw new Error(`qps.${action} must be > 0 (Infinity for no limit), got ${qps}`);
    }
  }
  checkTiming('timing', options.timing ?? {});
  const keys = options.accessKeys ?? [];
  if (options.accessKeys !== undefined && keys.length === 0) {
    throw new Error('accessKeys must hold at least one key, got []');
  }
  for (const key of keys) {
    if (!key.accessKeyId || !key.accessKeySecret) {
      throw new Error(`accessKeys entries need accessKeyId and accessKeySecret, got ${JSON.stringify(key.accessKeyId ?? '')}`);
    }
  }
  const jitter = options.jitterMs ?? 0;
  if (!(Number.isFinite(jitter) && jitter >= 0)) {
    throw new Error(`jitterMs must be a finite number >= 0, got ${jitter}`);
  }
  const skew = options.clockSkewMs ?? 0;
  if (!(skew >= 0)) {
    throw new Error(`clockSkewMs must be >= 0, got ${skew}`);
  }
}

function checkTiming(name: string, timing: JobTiming): void {
  for (const field of ['initMs', 'queuingMs', 'runningMs'] as const) {
    const value = timing[field];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`${name}.${field} must be a finite number >= 0, got ${value}`);
    }
  }
}

function checkFault(fault: FaultSpec): void {
  if (!FAULT_KINDS.includes(fault.kind)) {
    throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(fault.kind)}`);
  }
  if (fault.action !== undefined && !ACTIONS.includes(fault.action)) {
    throw new Error(`fault action must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(fault.action)}`);
  }
  if (fault.api !== undefined && fault.api !== 'ice' && fault.api !== 'mts') {
    throw new Error(`fault api must be ice or mts, got ${JSON.stringify(fault.api)}`);
  }
  if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count > 0)) {
    throw new Error(`fault count must be an integer > 0, got ${fault.count}`);
  }
  if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) {
    throw new Error(`fault probability must be between 0 and 1, got ${fault.probability}`);
  }
  if (fault.kind === 'latency' && !(typeof fault.latencyMs === 'number' && fault.latencyMs >= 0 && Number.isFinite(fault.latencyMs))) {
    throw new Error(`fault latencyMs must be a finite number >= 0 for kind latency, got ${fault.latencyMs}`);
  }
}

/** Starts the local ICE/MPS-compatible endpoint on 127.0.0.1. */
export async function startLocalIce(options: LocalIceOptions = {}): Promise<LocalIce> {
  checkOptions(options);
  const server = new LocalIceServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

class LocalIceServer implements LocalIce {
  readonly accessKeys: readonly AccessKey[];
  private readonly http: http.Server;
  private readonly now: () => number;
  private readonly auth: Authenticator;
  private readonly region: string;
  private readonly seed: number;
  private random: () => number;
  private faultRandom: () => number;
  private jitterRandom: () => number;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private portNumber = 0;
  private closed = false;

  private jobList: StoredJob[] = [];
  private jobIndex = new Map<string, StoredJob>();
  private statsByApi = { ice: this.freshActionStats(), mts: this.freshActionStats() };
  private unknownActions = 0;
  private duplicates = 0;
  private mediaDuplicates = 0;
  private idempotentReplays = 0;
  private iproductionSeen = new Set<string>();
  private mediaSeen = new Set<string>();
  private tokens = new Map<string, { identity: string; job: StoredJob }>();
  private limiters = new Map<string, SlidingWindowLimiter>();
  private faults: ActiveFault[] = [];
  /** Per region: SetEventCallback replaces, GetEventCallback reads. */
  private eventCallbacks = new Map<string, StoredEventCallback>();

  constructor(private readonly options: LocalIceOptions) {
    this.accessKeys = options.accessKeys ?? [DEFAULT_ACCESS_KEY, DEFAULT_STS_KEY];
    this.now = options.now ?? Date.now;
    this.auth = new Authenticator(this.accessKeys, this.now, options.clockSkewMs ?? 15 * 60 * 1000);
    this.region = options.region ?? 'cn-shanghai';
    this.seed = options.seed ?? 1;
    this.random = seededRandom(this.seed);
    this.faultRandom = seededRandom(this.seed ^ 0x5bd1e995);
    this.jitterRandom = seededRandom(this.seed ^ 0x27d4eb2f);
    this.http = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        // handle() answers every error itself; this only guards against a socket that vanished mid-write.
        req.socket.destroy();
      });
    });
    // Node answers malformed or oversized requests itself with a plain-text body the SDK cannot parse; answer the
    // service's JSON envelope instead so the caller gets a code. GUESS: the gateway's code for an oversized request.
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const id = requestId(this.random);
      const text = JSON.stringify({
        RequestId: id,
        HostId: `ice.${this.region}.aliyuncs.com`,
        Code: tooLarge ? 'InvalidParameter.RequestTooLarge' : 'InvalidParameter',
        Message: tooLarge
          ? `The request line and headers exceed ${http.maxHeaderSize} bytes: send large parameters in the form body.`
          : `The request is not valid HTTP: ${err.code ?? err.message}.`,
      });
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
          `content-type: application/json;charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
          `connection: close\r\n\r\n${text}`,
      );
    });
    this.http.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        this.portNumber = (this.http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  get port(): number {
    return this.portNumber;
  }

  get endpoint(): string {
    return `127.0.0.1:${this.portNumber}`;
  }

  get accessKeyId(): string {
    return this.accessKeys[0].accessKeyId;
  }

  get accessKeySecret(): string {
    return this.accessKeys[0].accessKeySecret;
  }

  get stats(): LocalIceStats {
    const actions = this.freshActionStats();
    const totals = emptyStats();
    const byApi = {} as Record<ApiName, Record<ActionName, ActionStats>>;
    for (const api of ['ice', 'mts'] as const) {
      byApi[api] = this.freshActionStats();
      for (const action of ACTIONS) {
        const s = this.statsByApi[api][action];
        byApi[api][action] = { ...s };
        for (const key of Object.keys(s) as (keyof ActionStats)[]) {
          actions[action][key] += s[key];
          totals[key] += s[key];
        }
      }
    }
    return {
      actions,
      byApi,
      totals,
      unknownActions: this.unknownActions,
      duplicates: this.duplicates,
      mediaProducingDuplicates: this.mediaDuplicates,
      idempotentReplays: this.idempotentReplays,
      jobsCreated: this.jobList.length,
    };
  }

  get jobs(): readonly LocalJobRecord[] {
    return this.jobsFrom(0);
  }

  get jobCount(): number {
    return this.jobList.length;
  }

  jobsFrom(index: number): readonly LocalJobRecord[] {
    const now = this.now();
    return this.jobList.slice(Math.max(0, index)).map((job) => ({
      jobId: job.jobId,
      kind: job.kind,
      api: job.api,
      params: { ...job.params },
      createdAtMs: job.createdAtMs,
      finishesAtMs: finishedAtMs(job),
      status: statusName(job, jobPhase(job, now)),
      failure: job.failure,
      clientToken: job.clientToken,
      projectId: job.projectId,
      mediaId: job.mediaId,
      queryCount: job.queryCount,
    }));
  }

  setFault(fault: FaultSpec): () => void {
    checkFault(fault);
    const active: ActiveFault = { spec: fault, remaining: fault.count ?? Infinity };
    this.faults.push(active);
    return () => {
      this.faults = this.faults.filter((f) => f !== active);
    };
  }

  clearFaults(): void {
    this.faults = [];
  }

  eventCallback(region?: string): StoredEventCallback | undefined {
    const stored = this.eventCallbacks.get(region ?? this.region);
    return stored === undefined ? undefined : { ...stored };
  }

  reset(): void {
    this.eventCallbacks = new Map();
    this.jobList = [];
    this.jobIndex = new Map();
    this.statsByApi = { ice: this.freshActionStats(), mts: this.freshActionStats() };
    this.unknownActions = 0;
    this.duplicates = 0;
    this.mediaDuplicates = 0;
    this.idempotentReplays = 0;
    this.iproductionSeen = new Set();
    this.mediaSeen = new Set();
    this.tokens = new Map();
    this.auth.forgetNonces();
    this.limiters = new Map();
    this.faults = [];
    this.random = seededRandom(this.seed);
    this.faultRandom = seededRandom(this.seed ^ 0x5bd1e995);
    this.jitterRandom = seededRandom(this.seed ^ 0x27d4eb2f);
  }

  close(): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    this.closed = true;
    // Held answers are released (into sockets about to be destroyed) so no handler promise is left pending.
    for (const [timer, release] of this.timers) {
      clearTimeout(timer);
      release();
    }
    this.timers.clear();
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
  }

  private freshActionStats(): Record<ActionName, ActionStats> {
    return {
      SubmitIProductionJob: emptyStats(),
      QueryIProductionJob: emptyStats(),
      SubmitMediaProducingJob: emptyStats(),
      GetMediaProducingJob: emptyStats(),
      GetEventCallback: emptyStats(),
      SetEventCallback: emptyStats(),
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      req.socket.destroy();
      return;
    }
    if (this.options.jitterMs) {
      await this.hold(this.jitterRandom() * this.options.jitterMs);
    }
    const { pathname, query, v1, action, version } = rpcTarget(req);
    const served = version ? SERVED[version] : undefined;
    const api = served?.api;
    const reqId = requestId(this.random);
    let stats: ActionStats | undefined;
    let fault: FaultSpec | undefined;
    let askedJobId: string | undefined;
    let clientToken: string | undefined;
    const report = (statusCode: number, code?: string, jobId?: string) =>
      this.options.onRequest?.({
        requestId: reqId,
        action,
        version,
        api,
        statusCode,
        code,
        fault: fault?.kind,
        jobId: jobId ?? askedJobId,
        ...(clientToken === undefined ? {} : { clientToken }),
      });

    try {
      if (!action) {
        throw errors.missingParameter('Action');
      }
      if (!version) {
        throw errors.missingParameter('Version');
      }
      if (!served) {
        throw errors.invalidVersion(version);
      }
      if (!served.actions.includes(action as ActionName)) {
        throw errors.invalidAction(action, version);
      }
      const actionName = action as ActionName;
      stats = this.statsByApi[served.api][actionName];
      stats.received++;

      const { params } = v1
        ? this.auth.v1(req, query, body)
        : this.auth.v3(req, pathname, query, body);
      askedJobId = params.JobId || undefined;
      clientToken = params.ClientToken || undefined;

      fault = this.pickFault(served.api, actionName);
      if (fault) {
        stats.faulted++;
      }
      if (fault?.kind === 'reset-before') {
        req.socket.destroy();
        report(0);
        return;
      }
      if (fault?.kind === 'status-503') {
        throw errors.serviceUnavailable();
      }
      const retryAfter = this.limiter(served.api, actionName).tryAcquire(this.now());
      if (retryAfter > 0) {
        throw errors.throttling(retryAfter);
      }
      const answer = this.dispatch(served.api, actionName, params);
      stats.accepted++;
      const jobId = typeof answer.JobId === 'string' ? answer.JobId : undefined;
      if (fault?.kind === 'reset-after') {
        req.socket.destroy();
        report(0, undefined, jobId);
        return;
      }
      await this.holdIfLatency(fault);
      this.send(res, 200, reqId, { RequestId: reqId, ...answer });
      report(200, undefined, jobId);
    } catch (err) {
      const error = err instanceof ServiceError ? err : errors.internalError(err instanceof Error ? err.message : String(err));
      if (stats && error.code.startsWith('Throttling')) {
        stats.throttled++;
      } else if (stats && error.code !== 'ServiceUnavailable') {
        stats.rejected++;
      } else if (!stats) {
        this.unknownActions++;
      }
      if (fault?.kind === 'reset-after') {
        req.socket.destroy();
        report(0, error.code);
        return;
      }
      await this.holdIfLatency(fault);
      this.sendError(res, error, reqId, api, req);
      report(error.statusCode, error.code);
    }
  }

  private holdIfLatency(fault: FaultSpec | undefined): Promise<void> {
    if (fault?.kind !== 'latency') {
      return Promise.resolve();
    }
    return this.hold(fault.latencyMs ?? 0);
  }

  /** A pause that close() releases. */
  private hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  private pickFault(api: ApiName, action: ActionName): FaultSpec | undefined {
    for (const active of this.faults) {
      const { spec } = active;
      if ((spec.action && spec.action !== action) || (spec.api && spec.api !== api) || active.remaining <= 0) {
        continue;
      }
      if (spec.probability !== undefined && this.faultRandom() >= spec.probability) {
        continue;
      }
      active.remaining--;
      if (active.remaining <= 0) {
        this.faults = this.faults.filter((f) => f !== active);
      }
      return spec;
    }
    return undefined;
  }

  private limiter(api: ApiName, action: ActionName): SlidingWindowLimiter {
    const key = `${api}:${action}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new SlidingWindowLimiter(this.options.qps?.[action] ?? DEFAULT_QPS[action]);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  private dispatch(api: ApiName, action: ActionName, params: Params): Record<string, unknown> {
    switch (action) {
      case 'SubmitIProductionJob':
        return this.submitIProduction(api, params);
      case 'QueryIProductionJob': {
        const job = this.findJob(requireParam(params, 'JobId'), 'iproduction', api);
        job.queryCount++;
        return api === 'mts' ? mtsQueryAnswer(job, this.now()) : iceQueryAnswer(job, this.now(), this.region);
      }
      case 'SubmitMediaProducingJob':
        return this.submitMediaProducing(params);
      case 'GetMediaProducingJob': {
        const job = this.findJob(requireParam(params, 'JobId'), 'mediaProducing', api);
        job.queryCount++;
        return { MediaProducingJob: mediaProducingAnswer(job, this.now()) };
      }
      // The setting belongs to a region: the one the request names (RegionId), else the one this endpoint serves.
      // GUESS: an account that never set one gets the envelope with no callback fields.
      case 'GetEventCallback':
        return { ...(this.eventCallbacks.get(params.RegionId || this.region) ?? {}) };
      case 'SetEventCallback':
        this.eventCallbacks.set(params.RegionId || this.region, checkSetEventCallback(params));
        return { Success: true };
    }
  }

  private findJob(jobId: string, kind: JobKind, api: ApiName): StoredJob {
    const job = this.jobIndex.get(jobId);
    if (!job || job.kind !== kind || job.api !== api) {
      throw errors.jobNotFound(jobId);
    }
    return job;
  }

  private createJob(
    kind: JobKind,
    api: ApiName,
    action: ActionName,
    params: Params,
    extra: { clientToken?: string; projectId?: string; mediaId?: string },
  ): StoredJob {
    let jobId = hexId(this.random, 32);
    while (this.jobIndex.has(jobId)) {
      jobId = hexId(this.random, 32);
    }
    const request: JobRequest = { action, api, jobId, params: { ...params } };
    const override = this.options.timingFor?.(request);
    if (override) {
      checkTiming('timingFor()', override);
    }
    const job: StoredJob = {
      jobId,
      kind,
      api,
      params: { ...params },
      createdAtMs: this.now(),
      timing: { ...DEFAULT_TIMING, ...this.options.timing, ...override },
      failure: this.options.failWhen?.(request),
      ...extra,
      queryCount: 0,
    };
    this.jobList.push(job);
    this.jobIndex.set(jobId, job);
    return job;
  }

  private submitIProduction(api: ApiName, params: Params): Record<string, unknown> {
    if (api === 'mts') {
      checkMtsSubmitIProductionJob(params);
    } else {
      checkIceSubmitIProductionJob(params);
    }
    const job = this.createJob('iproduction', api, 'SubmitIProductionJob', params, {});
    const identity = iproductionIdentity(api, params);
    if (this.iproductionSeen.has(identity)) {
      this.duplicates++;
    }
    this.iproductionSeen.add(identity);
    return api === 'mts' ? mtsSubmitAnswer(job, this.now()) : { JobId: job.jobId };
  }

  private submitMediaProducing(params: Params): Record<string, unknown> {
    checkSubmitMediaProducingJob(params);
    const identity = mediaProducingIdentity(params);
    const token = params.ClientToken || undefined;
    if (token !== undefined) {
      const earlier = this.tokens.get(token);
      if (earlier && earlier.identity !== identity) {
        throw errors.idempotentParameterMismatch();
      }
      if (earlier) {
        this.idempotentReplays++;
        return mediaProducingSubmitAnswer(earlier.job);
      }
    }
    const job = this.createJob('mediaProducing', 'ice', 'SubmitMediaProducingJob', params, {
      clientToken: token,
      projectId: params.ProjectId || hexId(this.random, 32),
      mediaId: hexId(this.random, 32),
    });
    if (this.mediaSeen.has(identity)) {
      this.mediaDuplicates++;
    }
    this.mediaSeen.add(identity);
    if (token !== undefined) {
      this.tokens.set(token, { identity, job });
    }
    return mediaProducingSubmitAnswer(job);
  }

  private send(res: http.ServerResponse, status: number, reqId: string, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) {
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-acs-request-id': reqId,
      ...headers,
    });
    res.end(text);
  }

  private sendError(
    res: http.ServerResponse,
    error: ServiceError,
    reqId: string,
    api: ApiName | undefined,
    req: http.IncomingMessage,
  ): void {
    const product = api === 'mts' ? 'Mts' : 'ICE';
    const hostId = api ? `${api}.${this.region}.aliyuncs.com` : headerValue(req.headers.host);
    this.send(
      res,
      error.statusCode,
      reqId,
      {
        RequestId: reqId,
        HostId: hostId,
        Code: error.code,
        Message: error.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${reqId}`,
      },
      { ...error.headers },
    );
  }
}

function mediaProducingSubmitAnswer(job: StoredJob): Record<string, unknown> {
  const answer: Record<string, unknown> = { ProjectId: job.projectId, JobId: job.jobId, MediaId: job.mediaId };
  if (job.params.OutputMediaTarget === 'vod-media') {
    answer.VodMediaId = job.mediaId;
  }
  return answer;
}

/**
 * The whole body, or undefined when the client went away or sent more than `maxBytes`.
 * @internal shared with the local ROS, Tablestore and MNS endpoints under test/.
 */
export function readBody(req: http.IncomingMessage, maxBytes: number = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | undefined) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(Buffer.concat(chunks)));
    req.on('error', () => settle(undefined));
    req.on('close', () => settle(req.complete ? Buffer.concat(chunks) : undefined));
  });
}
