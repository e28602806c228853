/**
 * How a failed call is treated by the retry loop.
 * - `throttling`: the service refused because of flow control; always safe to resend after a pause.
 * - `transient`: the request was not processed (never sent, or the service said it failed); safe to resend.
 * - `permanent`: resending the same request gives the same answer.
 * - `unknown-outcome`: the request may have been processed; only idempotent calls may be resent.
 */
export type ErrorKind = 'throttling' | 'transient' | 'permanent' | 'unknown-outcome';

/** The service answered with an error envelope (`{Code, Message, RequestId}`) and an HTTP status. */
export class IceApiError extends Error {
  public readonly code: string;
  public readonly statusCode: number;
  public readonly requestId: string | undefined;
  public readonly action: string;
  public readonly kind: ErrorKind;
  /** Calls made for this request, including the one that produced this error. */
  public readonly attempts: number;
  public readonly cause: unknown;

  constructor(props: {
    code: string;
    statusCode: number;
    requestId?: string;
    action: string;
    kind: ErrorKind;
    attempts: number;
    message: string;
    cause?: unknown;
  }) {
    super(`${props.action} failed with ${props.code} (HTTP ${props.statusCode}, ${props.kind}) after ${props.attempts} attempt(s): ${props.message}`);
    this.name = 'IceApiError';
    this.code = props.code;
    this.statusCode = props.statusCode;
    this.requestId = props.requestId;
    this.action = props.action;
    this.kind = props.kind;
    this.attempts = props.attempts;
    this.cause = props.cause;
  }
}

/**
 * No usable HTTP answer: connection refused or reset, timeouts, an unreadable body. Thrown for idempotent calls once
 * retries are exhausted (submits whose outcome is unknown throw {@link UnknownOutcomeError} instead).
 */
export class IceNetworkError extends Error {
  /** `ECONNREFUSED`, `ECONNRESET`, `ReadTimeout`, `ConnectTimeout`, `InvalidResponseBody`, ... */
  public readonly code: string;
  public readonly action: string;
  public readonly kind: ErrorKind;
  public readonly attempts: number;
  public readonly cause: unknown;

  constructor(props: { code: string; action: string; kind: ErrorKind; attempts: number; cause: unknown }) {
    super(`${props.action} failed with ${props.code} (${props.kind}) after ${props.attempts} attempt(s): ${causeMessage(props.cause)}`);
    this.name = 'IceNetworkError';
    this.code = props.code;
    this.action = props.action;
    this.kind = props.kind;
    this.attempts = props.attempts;
    this.cause = props.cause;
  }
}

/**
 * A submit may or may not have created a job, and resending it could create a second one. The caller decides:
 * look for the job (e.g. by its `UserData`) before submitting again. For SubmitMediaProducingJob, resubmitting with
 * the same `clientToken` is safe.
 */
export class UnknownOutcomeError extends Error {
  public readonly action: string;
  /** The request as the caller gave it. */
  public readonly request: unknown;
  /** The idempotency token sent with every attempt (SubmitMediaProducingJob only). */
  public readonly clientToken: string | undefined;
  public readonly attempts: number;
  public readonly cause: unknown;

  constructor(props: { action: string; request: unknown; cause: unknown; attempts: number; clientToken?: string }) {
    super(
      `${props.action}: the outcome is unknown after ${props.attempts} attempt(s) (${causeMessage(props.cause)}); ` +
        (props.clientToken === undefined
          ? 'the request was not resent because that could create a duplicate job'
          : `resubmit with ClientToken ${props.clientToken} to resolve it safely`),
    );
    this.name = 'UnknownOutcomeError';
    this.action = props.action;
    this.request = props.request;
    this.clientToken = props.clientToken;
    this.attempts = props.attempts;
    this.cause = props.cause;
  }
}

/** The job reached its failed terminal state (`Fail` for IProduction, `Failed` for MediaProducing). */
export class JobFailedError extends Error {
  public readonly jobId: string;
  public readonly code: string | undefined;
  public readonly status: string;
  /** The last job record observed. */
  public readonly job: unknown;

  constructor(props: { jobId: string; code?: string; message?: string; status: string; job?: unknown }) {
    super(`job ${props.jobId} ended with status ${props.status}${props.code ? ` (${props.code})` : ''}${props.message ? `: ${props.message}` : ''}`);
    this.name = 'JobFailedError';
    this.jobId = props.jobId;
    this.code = props.code;
    this.status = props.status;
    this.job = props.job;
  }
}

/** The deadline passed before the job reached a terminal state. The job itself keeps running. */
export class WaitTimeoutError extends Error {
  public readonly jobId: string;
  public readonly lastStatus: string | undefined;
  public readonly timeoutMs: number;

  constructor(props: { jobId: string; lastStatus?: string; timeoutMs: number; hint?: string }) {
    super(`job ${props.jobId} did not finish within ${props.timeoutMs} ms (last status: ${props.lastStatus ?? 'none observed'})${props.hint ? `; ${props.hint}` : ''}`);
    this.name = 'WaitTimeoutError';
    this.jobId = props.jobId;
    this.lastStatus = props.lastStatus;
    this.timeoutMs = props.timeoutMs;
  }
}

/** Waiting was cancelled through its AbortSignal. `name` is `AbortError`, as for `fetch`. */
export class AbortError extends Error {
  public readonly jobId: string | undefined;
  public readonly lastStatus: string | undefined;
  public readonly cause: unknown;

  constructor(props: { jobId?: string; lastStatus?: string; reason?: unknown } = {}) {
    super(`${props.jobId ? `waiting for job ${props.jobId}` : 'operation'} was aborted${props.lastStatus ? ` (last status: ${props.lastStatus})` : ''}`);
    this.name = 'AbortError';
    this.jobId = props.jobId;
    this.lastStatus = props.lastStatus;
    this.cause = props.reason;
  }
}

/** Invalid client, retry, limiter or wait options. */
export class RuntimeOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeOptionsError';
  }
}

/**
 * No credentials could be found (the default chain came up empty) or the provider failed. Never retried: nothing
 * was sent, and asking again finds the same nothing.
 */
export class MissingCredentialsError extends Error {
  public readonly cause: unknown;

  constructor(props: { cause: unknown; hint?: string }) {
    super(
      `no Alibaba Cloud credentials: ${props.hint ?? CREDENTIALS_HINT} (the credential provider said: ${causeMessage(props.cause, 300)})`,
    );
    this.name = 'MissingCredentialsError';
    this.cause = props.cause;
  }
}

/** What a person can set so that the default credential chain finds keys. */
export const CREDENTIALS_HINT =
  'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus ALIBABA_CLOUD_SECURITY_TOKEN for STS keys), ' +
  'or write ~/.alibabacloud/credentials, or run where an ECS RAM role is attached';

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Longest cause message an error carries; the rest is cut and the cut said. */
export const MAX_CAUSE_MESSAGE_CHARS = 500;

/**
 * A cause's message without what it should not repeat: httpx appends the whole request URL (`POST
 * http://host/?Input=...failed.`), which echoes every query parameter of the request; it is cut to the origin.
 * Long messages are cut to `max` characters, saying how many were dropped.
 */
export function causeMessage(err: unknown, max: number = MAX_CAUSE_MESSAGE_CHARS): string {
  const raw = messageOf(err)
    .replace(/(GET|POST|PUT|DELETE|PATCH|HEAD) (https?:\/\/[^/?\s]+)\S*\s?failed\.$/, ' ($1 $2)')
    .replace(/(GET|POST|PUT|DELETE|PATCH|HEAD) \/\S*\s?failed\.$/, '($1)')
    .replace(/^ConnectTimeout: Connect (https?:\/\/[^/?\s]+)\S*\s?failed\.$/, 'ConnectTimeout: could not connect to $1');
  return clip(raw, max);
}

/** `text` cut to `max` characters, ending with how much was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}
