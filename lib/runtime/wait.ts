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

/**
 * What one finished wait learned about its job's duration, in ms since the wait began: the job was still running
 * at `lo` (0 when no query saw it running) and done at `hi`.
 */
export interface DurationBracket {
  readonly lo: number;
  readonly hi: number;
}

/** Brackets kept per kind of job: recent enough to follow a change, enough to be steady. */
export const DURATION_HISTORY_SIZE = 8;
const MAX_HISTORY_KEYS = 200;
/** A learned bracket wider than this ratio is probed in the middle (one more query) to narrow it. */
export const PROBE_RATIO = 1.15;
/** A query aimed at a learned finish lands this much after it, so a job that takes as long as the last one is done. */
export const TARGET_SLACK = 0.02;

/**
 * Durations of recent jobs, per kind (for intelligent production, per API and function: a Cover takes seconds, a
 * VideoDetext minutes). Waits read it to aim their queries at the moment similar jobs finished, and add what they
 * observed. Shared by every client of the process unless a client is given its own.
 */
export class DurationHistory {
  private readonly byKey = new Map<string, DurationBracket[]>();

  public record(key: string, bracket: DurationBracket): void {
    if (!(bracket.hi > 0) || !(bracket.lo >= 0) || !(bracket.lo < bracket.hi)) return;
    const list = this.byKey.get(key) ?? [];
    this.byKey.delete(key);
    list.push({ lo: bracket.lo, hi: bracket.hi });
    if (list.length > DURATION_HISTORY_SIZE) list.shift();
    this.byKey.set(key, list);
    while (this.byKey.size > MAX_HISTORY_KEYS) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  public brackets(key: string): readonly DurationBracket[] {
    return this.byKey.get(key) ?? [];
  }

  /**
   * Where a job of this kind finishes, as far as history tells: if every past job ran equally long, it lies in
   * (max lo, min hi]. When the brackets disagree (durations vary), the median lo and the third quartile of hi.
   */
  public estimate(key: string): DurationBracket | undefined {
    const list = this.brackets(key);
    if (list.length === 0) return undefined;
    const lo = Math.max(...list.map((b) => b.lo));
    const hi = Math.min(...list.map((b) => b.hi));
    if (lo < hi) return { lo, hi };
    const los = list.map((b) => b.lo).sort((a, b) => a - b);
    const his = list.map((b) => b.hi).sort((a, b) => a - b);
    const spread = { lo: los[Math.floor((los.length - 1) / 2)], hi: his[Math.ceil((his.length - 1) * 0.75)] };
    return spread.lo < spread.hi ? spread : { lo: 0, hi: spread.hi };
  }
}

export const defaultDurationHistory = new DurationHistory();

/**
 * When to make query `index` (0-based), in ms since the wait began, given the last time the job was seen running
 * (`pendingAt`, 0 if never).
 *
 * The query budget: a job of duration T may cost at most 1 + ⌈log_f(T / d)⌉ queries (d = initialDelayMs, f =
 * factor). Query k (1-based) may only detect jobs longer than query k-1's time, so the budget holds whenever query
 * k is made no earlier than d·f^(k-1): the plain schedule makes them exactly then. With a learned estimate
 * (lo, hi] the next query aims just after `hi` (the moment similar jobs were done), or at the geometric middle of a
 * wide bracket to narrow it for the next wait, never before the budget allows and never more than `maxDelayMs`
 * after the previous query (a job unlike its predecessors is still seen in time).
 * @internal
 */
export function plannedQueryAt(
  index: number,
  pendingAt: number,
  lastQueryAt: number | undefined,
  options: Pick<ResolvedWaitOptions, 'firstQueryDelayMs' | 'initialDelayMs' | 'maxDelayMs' | 'factor'>,
  estimate: DurationBracket | undefined,
): number {
  const plain = lastQueryAt === undefined ? options.firstQueryDelayMs : lastQueryAt + pollDelayMs(index - 1, options);
  // The CLI asks for the first status at once: it gives up the budget guarantee, and learning with it.
  if (estimate === undefined || options.firstQueryDelayMs < options.initialDelayMs) return plain;
  const earliest = options.initialDelayMs * options.factor ** index;
  const floor = lastQueryAt ?? 0;
  let target: number;
  if (estimate.hi <= pendingAt) {
    // The job runs longer than any before it: back to doubling.
    return Math.max(plain, earliest);
  } else if (estimate.lo > pendingAt && estimate.hi / Math.max(estimate.lo, 1) > PROBE_RATIO && estimate.lo > 0) {
    target = Math.sqrt(estimate.lo * estimate.hi);
  } else {
    target = estimate.hi * (1 + TARGET_SLACK);
  }
  const capped = Math.min(target, floor + options.maxDelayMs);
  return Math.max(earliest, capped, floor + 1);
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
  /** Durations learned so far; none: the plain schedule. */
  readonly history?: DurationHistory;
  /** The history key of this job: known before the first query (the client submitted it), else read from an answer. */
  readonly historyKey?: string;
  readonly historyKeyOf?: (job: J) => string | undefined;
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
  const started = props.now();
  const deadline = started + options.timeoutMs;
  let lastStatus: string | undefined;
  let key = props.historyKey;
  let pendingAt = 0;
  let lastQueryAt: number | undefined;
  const aborted = (): AbortError => new AbortError({ jobId: props.jobId, lastStatus, reason: signal?.reason });
  const estimate = (): DurationBracket | undefined => (key !== undefined ? props.history?.estimate(key) : undefined);

  for (let n = 0; ; n++) {
    if (signal?.aborted) throw aborted();
    const at = plannedQueryAt(n, pendingAt, lastQueryAt, options, estimate());
    const pause = Math.min(at - (props.now() - started), deadline - props.now());
    if (pause > 0) await raceAbort(props.sleep(pause, signal), signal, aborted);
    if (signal?.aborted) throw aborted();
    const job = await raceAbort(props.query(), signal, aborted);
    const queriedAt = props.now() - started;
    lastQueryAt = Math.max(at, queriedAt);
    lastStatus = props.statusOf(job);
    key ??= props.historyKeyOf?.(job);
    onProgress?.(job);
    const outcome = props.outcome(job);
    if (outcome !== 'pending') {
      if (key !== undefined) props.history?.record(key, { lo: pendingAt, hi: queriedAt });
      if (outcome === 'success') return job;
      throw props.fail(job);
    }
    pendingAt = queriedAt;
    if (deadline - props.now() <= 0) throw new WaitTimeoutError({ jobId: props.jobId, lastStatus, timeoutMs: options.timeoutMs });
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
