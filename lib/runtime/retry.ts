import { show } from '../util/values';
import { ErrorKind, RuntimeOptionsError } from './errors';

export interface RetryOptions {
  /**
   * Resends after the first attempt (so at most `retries + 1` calls).
   * @default 8
   */
  readonly retries?: number;
  /**
   * Backoff base: the delay before retry `n` (0-based) is drawn from `[0, min(capMs, baseMs * 2 ** n))`.
   * @default 100
   */
  readonly baseMs?: number;
  /**
   * Upper bound of one backoff delay.
   * @default 5000
   */
  readonly capMs?: number;
  /**
   * Longest server-suggested pause (`RetryAfter`) honoured; longer hints are clamped to this.
   * @default 60000
   */
  readonly maxRetryAfterMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRIES = 8;
export const DEFAULT_RETRY_BASE_MS = 100;
export const DEFAULT_RETRY_CAP_MS = 5_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

const MAX_RETRIES = 20;
const MAX_DELAY_OPTION_MS = 3_600_000;

/** Fills defaults and rejects bad values before any call is made. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved: ResolvedRetryOptions = {
    retries: options.retries ?? DEFAULT_RETRIES,
    baseMs: options.baseMs ?? DEFAULT_RETRY_BASE_MS,
    capMs: options.capMs ?? DEFAULT_RETRY_CAP_MS,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
  };
  checkInteger('retries', resolved.retries, 0, MAX_RETRIES);
  checkInteger('baseMs', resolved.baseMs, 0, MAX_DELAY_OPTION_MS);
  checkInteger('capMs', resolved.capMs, 0, MAX_DELAY_OPTION_MS);
  checkInteger('maxRetryAfterMs', resolved.maxRetryAfterMs, 0, MAX_DELAY_OPTION_MS);
  if (resolved.capMs < resolved.baseMs) {
    throw new RuntimeOptionsError(`capMs must be at least baseMs (${resolved.baseMs}), got ${resolved.capMs}`);
  }
  return resolved;
}

export function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RuntimeOptionsError(`${name} must be an integer between ${min} and ${max}, got ${show(value)}`);
  }
}

/**
 * Capped full jitter (the AWS architecture blog's "Full Jitter"): spreads retries of many clients evenly instead of
 * letting them collide again after identical pauses.
 */
export function backoffDelayMs(attempt: number, options: { baseMs: number; capMs: number }, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return random() * ceiling;
}

export const THROTTLING_CODES: readonly string[] = ['Throttling', 'Throttling.User', 'Throttling.Api', 'Throttling.Tenant', 'ServiceUnavailable.Throttling'];

/**
 * 5xx answers in which the service itself reports that it did not do the work. 502 and 504 come from gateways that
 * may have forwarded the request to a backend that processed it, so they are `unknown-outcome`.
 */
const NOT_PROCESSED_5XX = new Set([500, 503]);

/** Socket errors raised before a connection exists: nothing reached the service. */
const NOT_SENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

/** Socket errors after the request may have been written. */
const MAYBE_SENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

export interface ClassifyContext {
  /** The API action (for messages; classification does not depend on it). */
  readonly action?: string;
  /**
   * Whether an httpx `ConnectTimeout` proves the request was never sent. httpx implements its "connect" timeout as
   * the socket's idle timeout, which keeps running after the request is written; it only fires before the read
   * timeout (so only while connecting) when the connect timeout is longer than the read timeout.
   * The client sets this to `connectTimeoutMs > readTimeoutMs`.
   * @default false
   */
  readonly connectTimeoutProvesNotSent?: boolean;
}

/**
 * Decides how the retry loop treats an error thrown by `@alicloud/openapi-client`'s `callApi`:
 * - API errors carry `statusCode` and `code` (the envelope's `Code`): throttling codes and HTTP 429 are
 *   `throttling`; 500/503 `transient`; 502/504 `unknown-outcome`; any other status `permanent`.
 * - Socket errors carry a Node `code`: refused/unresolvable is `transient` (not sent); reset/hang-up `unknown-outcome`.
 * - httpx timeouts are `RequestTimeoutError`s: `ReadTimeout` is `unknown-outcome`; `ConnectTimeout` see
 *   {@link ClassifyContext.connectTimeoutProvesNotSent}.
 * - A `SyntaxError` means a body that is not JSON. The client first looks at the status line it observed (see
 *   answers.ts): an error status becomes an API error classified by its status above, so what reaches this rule
 *   is a truncated or garbled 2xx (the job may exist, its JobId unread) or no status at all: `unknown-outcome`.
 * - `MissingCredentialsError` (nothing was sent) and anything else (programming errors) is `permanent`.
 */
export function classifyError(err: unknown, context: ClassifyContext = {}): ErrorKind {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; statusCode?: unknown; message?: unknown };
  if (e.name === 'MissingCredentialsError') return 'permanent';
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (statusCode !== undefined) {
    if (statusCode === 429 || (code !== undefined && THROTTLING_CODES.includes(code))) return 'throttling';
    if (NOT_PROCESSED_5XX.has(statusCode)) return 'transient';
    if (statusCode >= 500) return 'unknown-outcome';
    return 'permanent';
  }
  // A failure inside connect() or the DNS lookup means no byte of the request left this process.
  if ((err as { syscall?: unknown })?.syscall === 'connect' || (err as { syscall?: unknown })?.syscall === 'getaddrinfo') return 'transient';
  if (code !== undefined) {
    if (NOT_SENT_NETWORK_CODES.has(code)) return 'transient';
    if (MAYBE_SENT_NETWORK_CODES.has(code)) return 'unknown-outcome';
  }
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.name === 'RequestTimeoutError' || /^(Read|Connect)Timeout/.test(message)) {
    if (/^ConnectTimeout/.test(message) && context.connectTimeoutProvesNotSent === true) return 'transient';
    return 'unknown-outcome';
  }
  if (/socket hang up/i.test(message)) return 'unknown-outcome';
  if (e.name === 'SyntaxError') return 'unknown-outcome';
  return 'permanent';
}

/** Whether a call may be resent. Unknown outcomes only for calls the service treats idempotently. */
export function isRetryable(kind: ErrorKind, options: { idempotent: boolean }): boolean {
  switch (kind) {
    case 'throttling':
    case 'transient':
      return true;
    case 'unknown-outcome':
      return options.idempotent;
    case 'permanent':
      return false;
  }
}

/** A short name for the failure, used as the `code` of {@link IceNetworkError}. */
export function failureCode(err: unknown): string {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && e.code.length > 0) return e.code;
  const message = typeof e.message === 'string' ? e.message : '';
  const timeout = /^(Read|Connect)Timeout/.exec(message);
  if (timeout) return `${timeout[1]}Timeout`;
  if (e.name === 'SyntaxError') return 'InvalidResponseBody';
  if (typeof e.name === 'string' && e.name.length > 0) return e.name;
  return 'UnknownError';
}

/**
 * A pause the service asked for, in milliseconds, or undefined.
 *
 * The `x-acs-retry-after` header (milliseconds in the newer official SDKs) is not reachable here: openapi-client
 * 0.4.15 builds its errors from the response *body* only (`err.data` is the parsed envelope plus `statusCode`; the
 * headers are dropped). So we honour what can reach us: a `RetryAfter`/`retryAfter` field in the error body, or a
 * `retryAfter` property on the error (as newer Darabonba runtimes set it), both read as milliseconds.
 */
export function retryAfterMs(err: unknown): number | undefined {
  const e = (err ?? {}) as { retryAfter?: unknown; data?: unknown };
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  for (const candidate of [e.retryAfter, data.RetryAfter, data.retryAfter]) {
    const value = typeof candidate === 'string' && candidate.trim() !== '' ? Number(candidate) : candidate;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/** The delay before retry `attempt`: the backoff, but never shorter than the (clamped) server hint. */
export function retryDelayMs(attempt: number, err: unknown, options: ResolvedRetryOptions, random: () => number): number {
  const backoff = backoffDelayMs(attempt, options, random);
  const hint = retryAfterMs(err);
  return hint === undefined ? backoff : Math.max(backoff, Math.min(hint, options.maxRetryAfterMs));
}
