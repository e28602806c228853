import { randomUUID } from 'crypto';
import { STATUS_CODES } from 'http';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import OpenApiClient, { Config as OpenApiConfig, OpenApiRequest, Params } from '@alicloud/openapi-client';
import {
  buildGetMediaProducingJob,
  buildQueryIProductionJob,
  buildSubmitIProductionJob,
  buildSubmitMediaProducingJob,
  endpointFor,
  hasErrors,
  JobValidationError,
  parseGetMediaProducingJob,
  parseQueryIProductionJob,
  parseSubmitIProductionJob,
  RPC_CALL,
  validateIProductionJob,
  validateMediaProducingJob,
} from '../jobs';
import type {
  IProductionJob,
  IProductionJobRequest,
  IProductionSubmitResult,
  MediaProducingJob,
  MediaProducingJobRequest,
  MtsIProductionJobRequest,
  ValidationIssue,
  WireRequest,
} from '../jobs';
import { type Api, type ApiAction, ACTIONS, API_ACTIONS, REGION_ID_PATTERN } from '../service';
import {
  buildGetEventCallback,
  buildSetEventCallback,
  parseGetEventCallback,
  type EventCallback,
  type EventCallbackSetting,
} from './callbacks';
import { show } from '../util/values';
import { AttemptTrace, traceAttempt } from './answers';
import {
  causeMessage,
  ErrorKind,
  IceApiError,
  IceNetworkError,
  JobFailedError,
  MissingCredentialsError,
  RuntimeOptionsError,
  UnknownOutcomeError,
} from './errors';
import { DEFAULT_RATE_LIMITS, defaultLimiterRegistry, LimiterRegistry, PermitOutcome, type RateLimiter } from './limiter';
import { checkInteger, classifyError, failureCode, isRetryable, ResolvedRetryOptions, resolveRetryOptions, retryDelayMs, RetryOptions } from './retry';
import { abortableSleep, defaultDurationHistory, DurationHistory, pollJob, WaitOptions } from './wait';


/** Long-lived or STS keys given directly. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Present for STS (role) credentials. */
  readonly securityToken?: string;
}

/** Anything with `getCredential()`, as `@alicloud/credentials`' `Credential` has. */
export interface CredentialProvider {
  getCredential(): Promise<unknown>;
}

export interface IProductionClientOptions {
  /** Region id, e.g. `cn-shanghai`. Used for the default endpoint and same-region checks of OSS URLs. */
  readonly region: string;
  /**
   * Host (and optional port) of the service, without scheme. The SDK's own endpoint map is never used: it sends most
   * regions to a central host.
   * @default `ice.{region}.aliyuncs.com`, or `mts.{region}.aliyuncs.com` when `api` is `mts`
   */
  readonly endpoint?: string;
  /** @default 'https' */
  readonly protocol?: 'https' | 'http';
  /**
   * A `@alicloud/credentials` instance, or keys (`securityToken` makes them STS keys).
   * @default - `new Credential()`: the official default chain (env, OIDC, CLI profile, credentials file, ECS role,
   * credentials URI), created at the first call
   */
  readonly credential?: CredentialProvider | StaticCredentials;
  /**
   * Which service's SubmitIProductionJob/QueryIProductionJob to call. MediaProducing calls always need `ice`.
   * @default 'ice'
   */
  readonly api?: Api;
  /** @default - see `resolveRetryOptions` (8 retries, 100 ms base, 5 s cap) */
  readonly retry?: RetryOptions;
  /**
   * The QPS this client plans per action: the service's limit, or this client's share of it. Every client of this
   * process talking to the same endpoint shares one limiter per action (docs/runtime-client.md, "Rate limits").
   * @default DEFAULT_RATE_LIMITS (the service's limits, lib/service)
   */
  readonly rateLimits?: Partial<Record<ApiAction, number>>;
  /**
   * Per action, the rate this client may borrow up to while its calls queue and the service throttles none of them,
   * when `rateLimits` plans a share of a limit that other clients (other FC instances) share: it takes up what they
   * leave unused and gives it back on a throttle. At least the action's `rateLimits`, at most 100000.
   * @default - no borrowing: each action's `rateLimits`
   */
  readonly borrowUpTo?: Partial<Record<ApiAction, number>>;
  /**
   * Time allowed for an answer once connected. A read timeout leaves a submit's outcome unknown.
   * @default 10000
   */
  readonly readTimeoutMs?: number;
  /**
   * Handed to the SDK as its connect timeout. httpx applies it as the socket's idle timeout for the whole exchange,
   * so it only proves "never sent" (and so allows resending a submit) when it is longer than `readTimeoutMs`.
   * @default 5000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Source of backoff jitter, in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * Pauses between retries and between polls. Receives the wait's AbortSignal, if any.
   * @default - a timer that is cleared on abort
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Clock for wait deadlines, in ms.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Where the per-action limiters live.
   * @default - the process-wide registry
   */
  readonly limiterRegistry?: LimiterRegistry;
  /**
   * Durations of finished jobs, per function, from which waits learn when to query.
   * @default - the process-wide history
   */
  readonly durationHistory?: DurationHistory;
  /**
   * Told about every attempt as it ends (the CLI shows retries as they happen). Must not throw.
   * @default - none
   */
  readonly onAttempt?: (event: AttemptEvent) => void;
}

/** One attempt of one call, as it ended. */
export interface AttemptEvent {
  readonly action: string;
  /** 1-based. */
  readonly attempt: number;
  /** `ok`, or how the failure was classified. */
  readonly outcome: 'ok' | ErrorKind;
  readonly code?: string;
  /** The failure, one line, without the request URL. */
  readonly message?: string;
  /** Set when the call will be retried after this pause. */
  readonly retryInMs?: number;
}

export interface SubmitIProductionJobResult {
  readonly JobId: string;
  readonly RequestId: string;
  /**
   * MPS only: the job's state at submission, `{Code, Details, FunctionName, JobId, Message, State, Type}`
   * (seed 002 lines 142-166).
   * @default - absent on ICE, which answers JobId and RequestId only
   */
  readonly Result?: IProductionSubmitResult;
}

export interface QueryIProductionJobOptions {
  /**
   * ICE's idempotency token for the query (seed 004 line 22); refused with api 'mts', whose query takes none.
   * @default - none sent
   */
  readonly clientToken?: string;
  /**
   * Goes ahead of this process's queued calls that are not urgent (within the rate limit still): a notification's
   * query, whose answer someone is waiting for, before routine polls. @default false
   */
  readonly urgent?: boolean;
}

export interface SubmitMediaProducingJobResult {
  readonly JobId: string;
  readonly ProjectId?: string;
  readonly MediaId?: string;
  readonly VodMediaId?: string;
  readonly RequestId: string;
  /** The idempotency token sent (the caller's, or one generated for this submit). */
  readonly ClientToken: string;
}

export const DEFAULT_READ_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const MAX_TIMEOUT_MS = 600_000;
const ENDPOINT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/;
const JOB_ID = /^[\x21-\x7e]{1,128}$/;
const USER_AGENT = 'ros-cdk-iproduction';

/**
 * Submits and tracks Intelligent Media Services jobs through the official `@alicloud/openapi-client` (`callApi`,
 * V3 signatures). Requests are validated before anything is sent; retries, rate limiting and waiting are ours.
 */
export class IProductionClient {
  public readonly region: string;
  public readonly endpoint: string;
  public readonly protocol: 'https' | 'http';
  public readonly api: Api;
  public readonly readTimeoutMs: number;
  public readonly connectTimeoutMs: number;

  private readonly retry: ResolvedRetryOptions;
  private readonly rateLimits: Readonly<Record<string, number>>;
  private readonly borrowUpTo: Readonly<Record<string, number>>;
  private readonly credentialOption: CredentialProvider | StaticCredentials | undefined;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly limiters: LimiterRegistry;
  private readonly onAttempt: ((event: AttemptEvent) => void) | undefined;
  private readonly durations: DurationHistory;
  /** The function of jobs this client submitted, so a wait knows what to expect before its first query. */
  private readonly submittedFunctions = new Map<string, string>();
  private sdk: OpenApiClient | undefined;

  constructor(options: IProductionClientOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new RuntimeOptionsError(`options must be an object with at least a region, got ${String(options)}`);
    }
    const api = options.api ?? 'ice';
    if (api !== 'ice' && api !== 'mts') throw new RuntimeOptionsError(`api must be 'ice' or 'mts', got ${show(api)}`);
    if (typeof options.region !== 'string' || !REGION_ID_PATTERN.test(options.region)) {
      throw new RuntimeOptionsError(`region must be a region id such as 'cn-shanghai', got ${show(options.region)}`);
    }
    const endpoint = options.endpoint ?? endpointFor(api, options.region);
    if (typeof endpoint !== 'string' || !ENDPOINT.test(endpoint)) {
      throw new RuntimeOptionsError(`endpoint must be a host name or host:port without a scheme or path, got ${show(endpoint)}`);
    }
    const protocol = options.protocol ?? 'https';
    if (protocol !== 'https' && protocol !== 'http') throw new RuntimeOptionsError(`protocol must be 'https' or 'http', got ${show(protocol)}`);
    const readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    checkInteger('readTimeoutMs', readTimeoutMs, 1, MAX_TIMEOUT_MS);
    checkInteger('connectTimeoutMs', connectTimeoutMs, 1, MAX_TIMEOUT_MS);
    checkCredential(options.credential);
    const rateLimits: Record<string, number> = { ...DEFAULT_RATE_LIMITS };
    for (const [action, qps] of Object.entries(options.rateLimits ?? {})) {
      if (!(API_ACTIONS as readonly string[]).includes(action)) {
        throw new RuntimeOptionsError(`rateLimits keys must be one of ${API_ACTIONS.join(', ')}, got ${show(action)}`);
      }
      if (qps === undefined) continue;
      if (typeof qps !== 'number' || !Number.isFinite(qps) || qps <= 0 || qps > 100_000) {
        throw new RuntimeOptionsError(`rateLimits.${action} must be a number greater than 0 and at most 100000, got ${show(qps)}`);
      }
      rateLimits[action] = qps;
    }
    const borrowUpTo: Record<string, number> = {};
    for (const [action, ceiling] of Object.entries(options.borrowUpTo ?? {})) {
      if (!(API_ACTIONS as readonly string[]).includes(action)) {
        throw new RuntimeOptionsError(`borrowUpTo keys must be one of ${API_ACTIONS.join(', ')}, got ${show(action)}`);
      }
      if (ceiling === undefined) continue;
      if (typeof ceiling !== 'number' || !Number.isFinite(ceiling) || ceiling < rateLimits[action] || ceiling > 100_000) {
        throw new RuntimeOptionsError(`borrowUpTo.${action} must be a number from rateLimits.${action} (${rateLimits[action]}) to 100000, got ${show(ceiling)}`);
      }
      borrowUpTo[action] = ceiling;
    }
    for (const [name, fn] of [['random', options.random], ['sleep', options.sleep], ['now', options.now], ['onAttempt', options.onAttempt]] as const) {
      if (fn !== undefined && typeof fn !== 'function') throw new RuntimeOptionsError(`${name} must be a function, got ${typeof fn}`);
    }
    if (options.limiterRegistry !== undefined && !(options.limiterRegistry instanceof LimiterRegistry)) {
      throw new RuntimeOptionsError(`limiterRegistry must be a LimiterRegistry, got ${show(options.limiterRegistry)}`);
    }

    this.api = api;
    this.region = options.region;
    this.endpoint = endpoint;
    this.protocol = protocol;
    this.readTimeoutMs = readTimeoutMs;
    this.connectTimeoutMs = connectTimeoutMs;
    this.retry = resolveRetryOptions(options.retry);
    this.rateLimits = rateLimits;
    this.borrowUpTo = borrowUpTo;
    this.credentialOption = options.credential;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
    this.limiters = options.limiterRegistry ?? defaultLimiterRegistry;
    this.onAttempt = options.onAttempt;
    if (options.durationHistory !== undefined && !(options.durationHistory instanceof DurationHistory)) {
      throw new RuntimeOptionsError(`durationHistory must be a DurationHistory, got ${show(options.durationHistory)}`);
    }
    this.durations = options.durationHistory ?? defaultDurationHistory;
  }

  /**
   * Submits an intelligent production job. Throttling and failures that prove the request was not processed are
   * retried; when the request may have been processed (reset, timeout) it is never resent, since the API has no
   * idempotency token: an `UnknownOutcomeError` carrying the request is thrown instead.
   * @throws JobValidationError before any call when the request is invalid
   */
  public async submitIProductionJob(request: IProductionJobRequest | MtsIProductionJobRequest): Promise<SubmitIProductionJobResult> {
    this.assertValid(validateIProductionJob(request, { api: this.api, region: this.region }), 'SubmitIProductionJob request');
    const wire = buildSubmitIProductionJob(request as never, { api: this.api });
    const { body, attempts } = await this.call(wire, { idempotent: false, request });
    const JobId = body.JobId;
    if (typeof JobId !== 'string' || JobId === '') {
      throw new UnknownOutcomeError({ action: wire.action, request, attempts, cause: new Error(`the answer has no JobId: ${JSON.stringify(body)}`) });
    }
    this.rememberFunction(JobId, (request as { FunctionName?: unknown }).FunctionName);
    // The job exists from here on: an odd Result is carried as far as it parses, never a reason to lose the JobId.
    const { Result } = parseSubmitIProductionJob(body, { api: this.api });
    return { JobId, RequestId: String(body.RequestId ?? ''), ...(Result ? { Result } : {}) };
  }

  /**
   * Whether a call of `action` would wait for the rate limiter now (someone queued, or the window full). Grants
   * nothing: for callers that do optional work only when it costs no waiting (the loop's callback drain in busy
   * upload invocations).
   */
  public wouldWait(action: ApiAction): boolean {
    const limiter = this.limiter(action);
    return limiter.queued > 0 || limiter.delayMs() > 0;
  }

  private limiter(action: string): RateLimiter {
    return this.limiters.limiter(this.endpoint, action, this.rateLimits[action], this.borrowUpTo[action]);
  }

  /** Reads a job once (retried freely: reads are idempotent). */
  public async queryIProductionJob(jobId: string, options: QueryIProductionJobOptions = {}): Promise<IProductionJob> {
    this.assertJobId(jobId);
    const clientToken: unknown = typeof options === 'object' && options !== null ? options.clientToken : undefined;
    if (clientToken !== undefined && (typeof clientToken !== 'string' || this.api === 'mts')) {
      throw new JobValidationError(
        [{ field: 'ClientToken', message: `ClientToken must be a string, and only ICE's QueryIProductionJob takes one (seed 004 line 22), got ${show(clientToken)} with api '${this.api}'`, severity: 'error' }],
        'QueryIProductionJob request',
      );
    }
    const wire = buildQueryIProductionJob(jobId, { api: this.api, clientToken: clientToken as string | undefined });
    const { body } = await this.call(wire, { idempotent: true, request: { JobId: jobId }, urgent: options?.urgent === true });
    return parseQueryIProductionJob(body, { api: this.api });
  }

  /**
   * Polls until the job succeeds (returns it), fails (`JobFailedError`), the deadline passes (`WaitTimeoutError`)
   * or the signal aborts (`AbortError`).
   */
  public async waitForIProductionJob(jobId: string, options: WaitOptions<IProductionJob> = {}): Promise<IProductionJob> {
    this.assertJobId(jobId);
    return pollJob<IProductionJob>({
      jobId,
      query: () => this.queryIProductionJob(jobId),
      outcome: (job) => (job.Status === 'Success' ? 'success' : job.Status === 'Fail' ? 'failure' : 'pending'),
      fail: (job) => new JobFailedError({ jobId, code: job.Code, message: job.Message, status: job.RawStatus ?? job.Status, job }),
      statusOf: (job) => job.Status,
      sleep: this.sleep,
      now: this.now,
      options,
      history: this.durations,
      historyKey: this.submittedFunctions.has(jobId) ? this.durationKey(this.submittedFunctions.get(jobId)) : undefined,
      historyKeyOf: (job) => (typeof job.FunctionName === 'string' ? this.durationKey(job.FunctionName) : undefined),
    });
  }

  /**
   * Submits a timeline editing job. Every attempt carries the same `ClientToken` (the caller's, or a fresh UUID), so
   * the service deduplicates resends and even unknown outcomes are retried safely.
   * @throws JobValidationError before any call when the request is invalid
   */
  public async submitMediaProducingJob(request: MediaProducingJobRequest): Promise<SubmitMediaProducingJobResult> {
    this.assertIce('submitMediaProducingJob');
    this.assertValid(validateMediaProducingJob(request, { region: this.region }), 'SubmitMediaProducingJob request');
    // An empty token is no token (the validator takes "" as absent): a fresh one keeps resends deduplicated.
    const ClientToken = request.ClientToken || randomUUID();
    const wire = buildSubmitMediaProducingJob(request, { clientToken: ClientToken });
    const { body, attempts } = await this.call(wire, { idempotent: true, request, clientToken: ClientToken });
    const JobId = body.JobId;
    if (typeof JobId !== 'string' || JobId === '') {
      throw new UnknownOutcomeError({
        action: wire.action,
        request,
        attempts,
        clientToken: ClientToken,
        cause: new Error(`the answer has no JobId: ${JSON.stringify(body)}`),
      });
    }
    return {
      JobId,
      ...optionalString('ProjectId', body.ProjectId),
      ...optionalString('MediaId', body.MediaId),
      ...optionalString('VodMediaId', body.VodMediaId),
      RequestId: String(body.RequestId ?? ''),
      ClientToken,
    };
  }

  /** Reads a timeline editing job once. */
  public async getMediaProducingJob(jobId: string): Promise<MediaProducingJob> {
    this.assertIce('getMediaProducingJob');
    this.assertJobId(jobId);
    const wire = buildGetMediaProducingJob(jobId);
    const { body } = await this.call(wire, { idempotent: true, request: { JobId: jobId } });
    return parseGetMediaProducingJob(body);
  }

  /**
   * Reads the region's ICE event callback (account-wide); `undefined` when none is set.
   * @see lib/runtime/callbacks.ts
   */
  public async getEventCallback(): Promise<EventCallback | undefined> {
    this.assertIce('getEventCallback');
    const { body } = await this.call(buildGetEventCallback(), { idempotent: true, request: {} });
    return parseGetEventCallback(body);
  }

  /**
   * Replaces the region's ICE event callback (account-wide: whatever was set is overwritten; `iprod callbacks set`
   * reads it first and refuses to replace a different one unless told). Checked before any call; repeating it sets
   * the same value again, so it is retried like a read.
   * @throws EventCallbackSettingError before any call when the setting is invalid
   */
  public async setEventCallback(setting: EventCallbackSetting): Promise<void> {
    this.assertIce('setEventCallback');
    const wire = buildSetEventCallback(setting);
    const { body } = await this.call(wire, { idempotent: true, request: { ...wire.query, ...(wire.query.AuthKey ? { AuthKey: '***' } : {}) } });
    if (body.Success === false || body.Success === 'false') {
      throw new IceApiError({ code: 'SetEventCallbackFailed', statusCode: 200, requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined, action: 'SetEventCallback', kind: 'permanent', attempts: 1, message: 'the service answered Success: false' });
    }
  }

  /** As {@link waitForIProductionJob}, for timeline editing jobs (terminal states `Success` and `Failed`). */
  public async waitForMediaProducingJob(jobId: string, options: WaitOptions<MediaProducingJob> = {}): Promise<MediaProducingJob> {
    this.assertIce('waitForMediaProducingJob');
    this.assertJobId(jobId);
    return pollJob<MediaProducingJob>({
      jobId,
      query: () => this.getMediaProducingJob(jobId),
      outcome: (job) => (job.Status === 'Success' ? 'success' : job.Status === 'Failed' ? 'failure' : 'pending'),
      fail: (job) => new JobFailedError({ jobId, code: job.Code, message: job.Message, status: job.Status, job }),
      statusOf: (job) => job.Status,
      sleep: this.sleep,
      now: this.now,
      options,
      history: this.durations,
      historyKeyOf: (job) => this.durationKey(`mediaProducing:${job.TemplateId ?? 'timeline'}`),
    });
  }

  /** Jobs of one function on one endpoint and API take alike long; others are not evidence. */
  private durationKey(what: string | undefined): string | undefined {
    return what === undefined ? undefined : `${this.endpoint}|${this.api}|${what}`;
  }

  private rememberFunction(jobId: string, functionName: unknown): void {
    if (typeof functionName !== 'string') return;
    this.submittedFunctions.set(jobId, functionName);
    // Bounded: a long-lived client must not keep every job it ever submitted.
    if (this.submittedFunctions.size > 1000) this.submittedFunctions.delete(this.submittedFunctions.keys().next().value as string);
  }

  /** The one path to the network: limiter, SDK call, classification, backoff. */
  private async call(
    wire: WireRequest,
    context: { idempotent: boolean; request: unknown; clientToken?: string; urgent?: boolean },
  ): Promise<{ body: Record<string, unknown>; attempts: number }> {
    const sdk = this.sdkClient();
    const limiter = this.limiter(wire.action);
    const params = new Params({ action: wire.action, version: wire.version, protocol: this.protocol, ...RPC_CALL });
    // The SDK only reads these fields; its RuntimeOptions class lives in a package we do not depend on directly.
    const runtime = { autoretry: false, readTimeout: this.readTimeoutMs, connectTimeout: this.connectTimeoutMs } as unknown as Parameters<
      OpenApiClient['callApi']
    >[2];
    const connectTimeoutProvesNotSent = this.connectTimeoutMs > this.readTimeoutMs;

    for (let attempt = 0; ; attempt++) {
      const permit = await limiter.acquire({ urgent: context.urgent === true });
      const trace: AttemptTrace = {};
      try {
        // A fresh request per attempt: the SDK adds signature headers to the object it is given.
        const request = new OpenApiRequest({ query: { ...wire.query }, ...(wire.body ? { body: { ...wire.body } } : {}) });
        const response = await traceAttempt(trace, () => sdk.callApi(params, request, runtime));
        permit.settle('counted');
        this.onAttempt?.({ action: wire.action, attempt: attempt + 1, outcome: 'ok' });
        return { body: (response.body ?? {}) as Record<string, unknown>, attempts: attempt + 1 };
      } catch (caught) {
        const err = withAnsweredStatus(caught, trace);
        const kind = classifyError(err, { action: wire.action, connectTimeoutProvesNotSent });
        permit.settle(permitOutcome(err, kind));
        const retrying = attempt < this.retry.retries && isRetryable(kind, { idempotent: context.idempotent });
        const delayMs = retrying ? retryDelayMs(attempt, err, this.retry, this.random) : undefined;
        this.onAttempt?.({ action: wire.action, attempt: attempt + 1, outcome: kind, code: failureCode(err), message: causeMessage(err, 200), retryInMs: delayMs });
        if (delayMs === undefined) throw this.finalError(err, kind, attempt + 1, wire.action, context);
        await this.sleep(delayMs);
      }
    }
  }

  private finalError(err: unknown, kind: ErrorKind, attempts: number, action: ApiAction, context: { request: unknown; clientToken?: string }): Error {
    const isSubmit = ACTIONS[action].submit;
    if (kind === 'unknown-outcome' && isSubmit) {
      return new UnknownOutcomeError({ action, request: context.request, cause: err, attempts, clientToken: context.clientToken });
    }
    const e = err as { statusCode?: unknown; code?: unknown; data?: unknown; message?: unknown };
    if (typeof e?.statusCode === 'number') {
      const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
      return new IceApiError({
        code: typeof e.code === 'string' ? e.code : String(data.Code ?? 'Unknown'),
        statusCode: e.statusCode,
        requestId: typeof data.RequestId === 'string' ? data.RequestId : undefined,
        action,
        kind,
        attempts,
        message: typeof data.Message === 'string' ? data.Message : String(e.message ?? ''),
        cause: err,
      });
    }
    // Failures that never touched the network and will not change (the credential chain found nothing, a defect)
    // keep their own identity and message.
    if (kind === 'permanent' && err instanceof Error) return err;
    return new IceNetworkError({ code: failureCode(err), action, kind, attempts, cause: err });
  }

  private sdkClient(): OpenApiClient {
    if (this.sdk === undefined) {
      this.sdk = new OpenApiClient(
        new OpenApiConfig({
          credential: toCredential(this.credentialOption) as never,
          endpoint: this.endpoint,
          protocol: this.protocol,
          regionId: this.region,
          readTimeout: this.readTimeoutMs,
          connectTimeout: this.connectTimeoutMs,
          userAgent: USER_AGENT,
        }),
      );
    }
    return this.sdk;
  }

  private assertValid(issues: ValidationIssue[], what: string): void {
    if (hasErrors(issues)) throw new JobValidationError(issues, what);
  }

  private assertJobId(jobId: unknown): void {
    if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
      throw new JobValidationError(
        [{ field: 'JobId', message: `JobId must be 1 to 128 printable ASCII characters, got ${show(jobId)}`, severity: 'error' }],
        'job id',
      );
    }
  }

  private assertIce(method: string): void {
    if (this.api !== 'ice') {
      throw new RuntimeOptionsError(`${method} is only available with api 'ice' (MediaProducing jobs are an ICE API), got api '${this.api}'`);
    }
  }
}

function checkCredential(credential: unknown): void {
  if (credential === undefined) return;
  if (typeof credential !== 'object' || credential === null) {
    throw new RuntimeOptionsError(`credential must be a Credential instance or {accessKeyId, accessKeySecret, securityToken?}, got ${show(credential)}`);
  }
  if (typeof (credential as CredentialProvider).getCredential === 'function') return;
  const c = credential as Record<string, unknown>;
  for (const key of ['accessKeyId', 'accessKeySecret'] as const) {
    if (typeof c[key] !== 'string' || c[key] === '') {
      // Never echo a secret back into logs.
      const got = key === 'accessKeySecret' ? (c[key] === undefined ? 'undefined' : `a ${typeof c[key]}`) : show(c[key]);
      throw new RuntimeOptionsError(`credential.${key} must be a non-empty string, got ${got}`);
    }
  }
  if (c.securityToken !== undefined && (typeof c.securityToken !== 'string' || c.securityToken === '')) {
    throw new RuntimeOptionsError(`credential.securityToken must be a non-empty string when given, got a ${typeof c.securityToken}`);
  }
}

/**
 * Whatever the provider throws (the default chain finding nothing, an STS refresh failing) becomes a
 * `MissingCredentialsError`: permanent, so it is never retried as if the network were at fault, and it says what
 * to set.
 */
class GuardedCredential implements CredentialProvider {
  constructor(private readonly inner: CredentialProvider) {}

  public async getCredential(): Promise<unknown> {
    try {
      return await this.inner.getCredential();
    } catch (err) {
      throw new MissingCredentialsError({ cause: err });
    }
  }
}

function toCredential(credential: CredentialProvider | StaticCredentials | undefined): CredentialProvider {
  return new GuardedCredential(innerCredential(credential));
}

function innerCredential(credential: CredentialProvider | StaticCredentials | undefined): CredentialProvider {
  if (credential === undefined) return new Credential();
  if (typeof (credential as CredentialProvider).getCredential === 'function') return credential as CredentialProvider;
  const keys = credential as StaticCredentials;
  return new Credential(
    new CredentialConfig({
      type: keys.securityToken ? 'sts' : 'access_key',
      accessKeyId: keys.accessKeyId,
      accessKeySecret: keys.accessKeySecret,
      ...(keys.securityToken ? { securityToken: keys.securityToken } : {}),
    }),
  );
}

/**
 * The SDK turns an error answer whose body is not JSON (an empty HTTP 431 from a front end, an HTML page) into a
 * bare SyntaxError. When the status line did arrive, that is an answer, not a lost request: rebuild an API error
 * from the status so that it is classified by it.
 */
function withAnsweredStatus(err: unknown, trace: AttemptTrace): unknown {
  const status = trace.statusCode;
  if (status === undefined || status < 300 || typeof (err as { statusCode?: unknown } | null)?.statusCode === 'number') return err;
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  const code = reason.replace(/[^A-Za-z0-9 ]/g, '').replace(/(?:^| )([a-z0-9])/gi, (_, c: string) => c.toUpperCase()).replace(/ /g, '');
  const hint = status === 431 ? ': the request line and headers are too large; large values belong in the form body' : '';
  const message = `the service answered HTTP ${status} (${reason}) with a body that is not JSON (${causeMessage(err, 120)})${hint}`;
  return Object.assign(new Error(message), { name: 'UnreadableAnswerError', code, statusCode: status, data: { Code: code, Message: message }, cause: err });
}

/** What the limiter should make of an attempt: only answers that prove the service did not count it give it back. */
function permitOutcome(err: unknown, kind: ErrorKind): PermitOutcome {
  if (kind === 'throttling') return 'throttled';
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (status === 503) return 'not-counted';
  if (status === undefined && kind === 'transient') return 'not-counted';
  return 'counted';
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}

