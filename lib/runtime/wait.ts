import { AbortError, RuntimeOptionsError, WaitTimeoutError } from './errors';
import { checkInteger } from './retry';

export interface WaitOptions<J = unknown> {
  /**
   * Give up (with `WaitTimeoutError`) once this much time has passed since the wait began. A last query is made at
   * the deadline.
   * @default 900000 (15 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * Cancels the wait, also in the middle of a pause or a query: the promise rejects with an `AbortError`.
   * @default - not cancellable
   */
  readonly signal?: AbortSignal;
  /**
   * Called with each job record observed, terminal ones included.
   * @default - none
   */
  readonly onProgress?: (job: J) => void;
  /**
   * Pause before the first query. A job submitted a moment ago cannot have finished, so by default the first query
   * waits one pause too: queries then land at d, 2d, 4d, … and a job of T ms costs 1 + ⌈log2(T / d)⌉ queries.
   * 0 queries at once (for a job that may already be done).
   * @default - initialDelayMs
   */
  readonly firstQueryDelayMs?: number;
  /**
   * Pause after the first query (d); each later pause grows by `factor`, up to `maxDelayMs`.
   * @default 1000
   */
  readonly initialDelayMs?: number;
  /**
   * Longest pause between two queries.
   * @default 30000
   */
  readonly maxDelayMs?: number;
  /**
   * Growth of the pause after each query.
   * @default 2
   */
  readonly factor?: number;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 900_000;
export const DEFAULT_INITIAL_DELAY_MS = 1_000;
export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_FACTOR = 2;
const MAX_WAIT_MS = 7 * 24 * 3_600_000;

export interface ResolvedWaitOptions {
  readonly timeoutMs: number;
  readonly firstQueryDelayMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

export function resolveWaitOptions(options: WaitOptions<never> = {}): ResolvedWaitOptions {
  const initialDelayMs = options.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS;
  const resolved = {
    timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
    firstQueryDelayMs: options.firstQueryDelayMs ?? initialDelayMs,
    initialDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    factor: options.factor ?? DEFAULT_FACTOR,
  };
  checkInteger('timeoutMs', resolved.timeoutMs, 0, MAX_WAIT_MS);
  checkInteger('firstQueryDelayMs', resolved.firstQueryDelayMs, 0, MAX_WAIT_MS);
  checkInteger('initialDelayMs', resolved.initialDelayMs, 1, MAX_WAIT_MS);
  checkInteger('maxDelayMs', resolved.maxDelayMs, 1, MAX_WAIT_MS);
  if (resolved.maxDelayMs < resolved.initialDelayMs) {
    throw new RuntimeOptionsError(`maxDelayMs must be at least initialDelayMs (${resolved.initialDelayMs}), got ${resolved.maxDelayMs}`);
  }
  if (typeof resolved.factor !== 'number' || !Number.isFinite(resolved.factor) || resolved.factor < 1 || resolved.factor > 10) {
    throw new RuntimeOptionsError(`factor must be a number between 1 and 10, got ${String(resolved.factor)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new RuntimeOptionsError(`onProgress must be a function, got ${typeof options.onProgress}`);
  }
  return resolved;
}

/** The pause before query `n + 1` (0-based `n`): `min(maxDelayMs, initialDelayMs * factor ** n)`. */
export function pollDelayMs(n: number, options: Pick<ResolvedWaitOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor'>): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** n);
}

export interface PollProps<J> {
  readonly jobId: string;
  readonly query: () => Promise<J>;
  /** 'success' returns the job, 'failure' makes `fail(job)` throw, 'pending' keeps polling. */
  readonly outcome: (job: J) => 'success' | 'failure' | 'pending';
  readonly fail: (job: J) => Error;
  readonly statusOf: (job: J) => string | undefined;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  readonly options?: WaitOptions<J>;
}

/**
 * Polls until the job is terminal, with capped exponential pauses. Between a job finishing at time T and being
 * seen, at most one pause passes. With the default first pause the queries land at d, 2d, 4d, … (d =
 * initialDelayMs, factor 2), so a job of T costs `1 + ceil(log_factor(T / d))` queries while pauses grow, then one
 * every `maxDelayMs`.
 */
export async function pollJob<J>(props: PollProps<J>): Promise<J> {
  const options = resolveWaitOptions(props.options as WaitOptions<never>);
  const { signal } = props.options ?? {};
  const onProgress = props.options?.onProgress;
  const deadline = props.now() + options.timeoutMs;
  let lastStatus: string | undefined;
  const aborted = (): AbortError => new AbortError({ jobId: props.jobId, lastStatus, reason: signal?.reason });

  if (options.firstQueryDelayMs > 0) {
    if (signal?.aborted) throw aborted();
    await raceAbort(props.sleep(Math.min(options.firstQueryDelayMs, Math.max(0, deadline - props.now())), signal), signal, aborted);
  }
  for (let n = 0; ; n++) {
    if (signal?.aborted) throw aborted();
    const job = await raceAbort(props.query(), signal, aborted);
    lastStatus = props.statusOf(job);
    onProgress?.(job);
    const outcome = props.outcome(job);
    if (outcome === 'success') return job;
    if (outcome === 'failure') throw props.fail(job);
    const remaining = deadline - props.now();
    if (remaining <= 0) throw new WaitTimeoutError({ jobId: props.jobId, lastStatus, timeoutMs: options.timeoutMs });
    await raceAbort(props.sleep(Math.min(pollDelayMs(n, options), remaining), signal), signal, aborted);
  }
}

/**
 * Settles with `work` unless the signal fires first. An injected sleep or an HTTP call may ignore the signal; the
 * caller is released promptly anyway (the abandoned promise's outcome is dropped).
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, makeError: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(makeError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(makeError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** A real, cancellable sleep: clears its timer when the signal fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // Resolving (not rejecting) on abort: raceAbort has already rejected the caller with the right error.
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
