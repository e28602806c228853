/**
 * Pure helpers of the benchmark: summaries of repeated measurements and the goals' arithmetic.
 * Kept free of I/O so that test/bench can check them exactly.
 */

/** A figure measured several times: the median is the reported value, min/max show the spread. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Every sample, in the order measured, so a reader can see drift between runs. */
  readonly samples: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median needs at least one value, got an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize needs at least one value, got an empty list');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`summarize needs finite numbers, got ${v}`);
  }
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: [...values] };
}

/**
 * The waiting goal: with capped exponential backoff starting at `firstDelayMs`, a job lasting `durationMs` is
 * detected after at most 1 + ceil(log2(T / first delay)) queries (the first query, then one per doubling).
 * A job shorter than the first delay is found by the first query after it: 1.
 */
export function queryBound(durationMs: number, firstDelayMs: number): number {
  if (!(firstDelayMs > 0)) throw new Error(`firstDelayMs must be greater than 0, got ${firstDelayMs}`);
  if (!(durationMs >= 0)) throw new Error(`durationMs must be at least 0, got ${durationMs}`);
  if (durationMs <= firstDelayMs) return 1;
  // Rounding guards against log2(8) computing as 3.0000000000000004 and adding a query that is not needed.
  const doublings = Math.ceil(Number(Math.log2(durationMs / firstDelayMs).toFixed(9)));
  return 1 + doublings;
}

/** Accepted submits per second as a fraction of the endpoint's limit. */
export function achievedFraction(accepted: number, elapsedMs: number, limitQps: number): number {
  if (!(limitQps > 0)) throw new Error(`limitQps must be greater than 0, got ${limitQps}`);
  if (!(elapsedMs > 0)) throw new Error(`elapsedMs must be greater than 0, got ${elapsedMs}`);
  return accepted / (elapsedMs / 1000) / limitQps;
}

/** How a submit ended for the caller. */
export type CallerOutcome = 'jobId' | 'error' | 'unknown';

/** One intended submit: what the caller ended with, and how many jobs the endpoint holds for it. */
export interface SubmitRecord {
  readonly outcome: CallerOutcome;
  /** JobId the caller got back, when outcome is 'jobId'. */
  readonly jobId?: string;
  /** Jobs the endpoint created for this submit (matched by the submit's unique key). */
  readonly endpointJobs: number;
  /** Whether the caller's JobId is one of the endpoint's jobs for this submit. */
  readonly jobIdKnownToEndpoint?: boolean;
}

/**
 * The accounting of a submit run, per intended submit (each carries a unique key the endpoint records):
 * - delivered: the caller holds a JobId the endpoint knows;
 * - lost: the caller holds no JobId (an error was surfaced, or no answer came) AND the endpoint has no job for it —
 *   the work silently did not happen unless the caller resubmits;
 * - orphaned: the caller holds no JobId but the endpoint has a job for it (an unknown outcome that did land);
 *   recoverable by looking the job up, so not lost, but reported;
 * - duplicates: jobs beyond the first that the endpoint holds for one intended submit;
 * - phantom: the caller holds a JobId the endpoint does not know (must never happen).
 */
export interface Accounting {
  readonly intended: number;
  readonly delivered: number;
  readonly lost: number;
  /** Of the lost: those the caller got an unknown-outcome answer for (it holds the request and knows to check). */
  readonly lostWithUnknownOutcome: number;
  readonly orphaned: number;
  readonly duplicates: number;
  readonly phantom: number;
}

export function account(records: readonly SubmitRecord[]): Accounting {
  let delivered = 0;
  let lost = 0;
  let lostWithUnknownOutcome = 0;
  let orphaned = 0;
  let duplicates = 0;
  let phantom = 0;
  for (const r of records) {
    if (r.endpointJobs > 1) duplicates += r.endpointJobs - 1;
    if (r.outcome === 'jobId') {
      if (r.jobIdKnownToEndpoint) delivered++;
      else phantom++;
    } else if (r.endpointJobs === 0) {
      lost++;
      if (r.outcome === 'unknown') lostWithUnknownOutcome++;
    } else {
      orphaned++;
    }
  }
  return { intended: records.length, delivered, lost, lostWithUnknownOutcome, orphaned, duplicates, phantom };
}

/** A figure as results.json carries it: ours beside the baseline measured in the same run. */
export interface Figure<T = number> {
  readonly value: T;
  readonly baseline: T | null;
  readonly goal: string;
  readonly met: boolean | null;
  readonly unit?: string;
  /** What holds the figure back when the goal is missed, or why it could not be measured. */
  readonly note?: string;
}

/** Formats a number for the Markdown table without noisy decimals. */
export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toFixed(digits);
}

/** The faults of the submit figure's extra run: a reset before the job is created, a reset after it is, a 503. */
export const FAULT_KINDS = ['reset-before', 'reset-after', 'status-503'] as const;
