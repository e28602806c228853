/**
 * The waiting side of the `iprod` CLI: `iprod wait <jobId>`, the progress a person sees while a job runs (a
 * clock that ticks every second, retries as they happen), Ctrl-C, and errors as one line saying what to do.
 * `bin/iprod.ts` parses the command line and dispatches here; nothing here reads `process` unless the io leaves
 * it to the defaults, so tests drive it with injected clocks, tickers and interrupts.
 */
import type { AttemptEvent, IProductionClient } from './client';
import { AbortError, JobFailedError, WaitTimeoutError } from './errors';
import type { WaitOptions } from './wait';

export interface WaitIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal: progress then updates one line in place. @default false */
  readonly isTTY?: boolean;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock for the elapsed seconds shown, in ms. @default a monotonic clock */
  readonly clockMs?: () => number;
  /** Calls `fn` every `ms` until the returned function is called. @default setInterval (unref'd) */
  readonly ticker?: (fn: () => void, ms: number) => () => void;
  /** Calls `fn` on Ctrl-C until the returned function is called. @default process SIGINT */
  readonly onInterrupt?: (fn: () => void) => () => void;
}

export type JobKind = 'iProduction' | 'mediaProducing';

/** The exit code of a wait a person interrupted (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;
export const DEFAULT_TICK_MS = 1_000;
/** Without a terminal, a "still running" line every this many ticks (a log must not get a line per second). */
export const HEARTBEAT_TICKS = 10;

/** Elapsed time only needs a monotonic clock, which wall-clock changes cannot make jump. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

/** `IPROD_TICK_MS` (tests and slow terminals): how often the elapsed time is redrawn. */
export function tickMsFrom(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.IPROD_TICK_MS;
  if (raw === undefined || raw === '') return DEFAULT_TICK_MS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10 || n > 60_000) {
    throw new CliSettingError(`IPROD_TICK_MS must be an integer of milliseconds between 10 and 60000, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** `IPROD_POLL_MS`: the first pause between queries of a wait (they double from there); unset: the client's default. */
export function pollMsFrom(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.IPROD_POLL_MS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 30_000) {
    throw new CliSettingError(`IPROD_POLL_MS must be an integer of milliseconds between 1 and 30000, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** A setting from the environment that cannot be used; reported like a usage error. */
export class CliSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliSettingError';
  }
}

/** The wait was interrupted by the person; the job itself keeps running. */
export class InterruptedWaitError extends Error {
  constructor(
    public readonly jobId: string,
    public readonly lastStatus: string | undefined,
    public readonly resumeCommand: string,
  ) {
    super(
      `interrupted: job ${jobId} keeps running on the service${lastStatus ? ` (last status: ${lastStatus})` : ''}; ` +
        `to wait for it again: ${resumeCommand}`,
    );
    this.name = 'InterruptedWaitError';
  }
}

/**
 * One line rewritten in place on a terminal, redrawn every tick so the elapsed time moves even while the next
 * query is far off; without a terminal, one line per change and a heartbeat every {@link HEARTBEAT_TICKS} ticks.
 */
export class Progress {
  private text = '';
  private drawn = false;
  private ticks = 0;

  constructor(
    private readonly io: WaitIo,
    private readonly started: number,
    private readonly now: () => number,
  ) {}

  public update(jobId: string, status: string, detail: string | undefined): void {
    const text = `job ${jobId}: ${status}${detail ? ` ${detail}` : ''}`;
    const changed = text !== this.text;
    this.text = text;
    this.ticks = 0;
    if (this.io.isTTY) this.draw();
    else if (changed) this.io.stdout(`${text} (${this.seconds()}s)\n`);
  }

  public tick(): void {
    if (this.text === '') return;
    this.ticks++;
    if (this.io.isTTY) this.draw();
    else if (this.ticks % HEARTBEAT_TICKS === 0) this.io.stdout(`${this.text}, still waiting (${this.seconds()}s)\n`);
  }

  public end(): void {
    if (this.drawn) this.io.stdout('\n');
    this.drawn = false;
  }

  private draw(): void {
    this.io.stdout(`\r\x1b[K${this.text} (${this.seconds()}s)`);
    this.drawn = true;
  }

  private seconds(): number {
    return Math.floor((this.now() - this.started) / 1000);
  }
}

function progressDetail(job: Record<string, unknown>): string | undefined {
  const p = job.Progress;
  return typeof p === 'number' ? `${p}%` : undefined;
}

function defaultTicker(fn: () => void, ms: number): () => void {
  const timer = setInterval(fn, ms);
  timer.unref?.();
  return () => clearInterval(timer);
}

function defaultOnInterrupt(fn: () => void): () => void {
  process.once('SIGINT', fn);
  return () => process.removeListener('SIGINT', fn);
}

export interface FollowOptions {
  readonly timeoutSeconds?: number;
  /** What to type to wait again, shown when the wait is interrupted or times out. */
  readonly resumeCommand: string;
}

/**
 * Waits for a job, showing its progress, and returns the final job (a failed job is returned too: it is a result
 * worth printing; `failed` says which). Ctrl-C rejects with {@link InterruptedWaitError}.
 */
export async function followJob(
  client: IProductionClient,
  kind: JobKind,
  jobId: string,
  io: WaitIo,
  options: FollowOptions,
): Promise<{ job: Record<string, unknown>; failed?: JobFailedError }> {
  const now = io.clockMs ?? monotonicMs;
  const env = io.env ?? process.env;
  const tickMs = tickMsFrom(env);
  const pollMs = pollMsFrom(env);
  const progress = new Progress(io, now(), now);
  let lastStatus: string | undefined;
  const abort = new AbortController();
  const stopTicking = (io.ticker ?? defaultTicker)(() => progress.tick(), tickMs);
  const stopListening = (io.onInterrupt ?? defaultOnInterrupt)(() => abort.abort('interrupted'));
  const waitOptions: WaitOptions<unknown> = {
    ...(options.timeoutSeconds !== undefined ? { timeoutMs: Math.round(options.timeoutSeconds * 1000) } : {}),
    // A person watching wants the first status at once, not after the first pause the library spends by default.
    firstQueryDelayMs: 0,
    ...(pollMs !== undefined ? { initialDelayMs: pollMs } : {}),
    signal: abort.signal,
    onProgress: (job: unknown) => {
      const j = job as Record<string, unknown>;
      lastStatus = String(j.Status ?? 'unknown');
      progress.update(jobId, lastStatus, progressDetail(j));
    },
  };
  try {
    const job =
      kind === 'mediaProducing'
        ? await client.waitForMediaProducingJob(jobId, waitOptions as WaitOptions<any>)
        : await client.waitForIProductionJob(jobId, waitOptions as WaitOptions<any>);
    return { job: job as unknown as Record<string, unknown> };
  } catch (err) {
    if (err instanceof JobFailedError && err.job !== undefined) return { job: err.job as Record<string, unknown>, failed: err };
    if (err instanceof AbortError && abort.signal.aborted) throw new InterruptedWaitError(jobId, lastStatus ?? err.lastStatus, options.resumeCommand);
    if (err instanceof WaitTimeoutError) {
      throw new WaitTimeoutError({ jobId, lastStatus: err.lastStatus, timeoutMs: err.timeoutMs, hint: `it keeps running; to wait for it again: ${options.resumeCommand}` });
    }
    throw err;
  } finally {
    stopTicking();
    stopListening();
    progress.end();
  }
}

/** Prints the outcome of a followed job and returns the exit code (0 success, 1 failed job). */
export function printFollowed(io: WaitIo, outcome: { job: Record<string, unknown>; failed?: JobFailedError }): number {
  io.stdout(JSON.stringify(outcome.job, null, 2) + '\n');
  if (outcome.failed) {
    io.stderr(`iprod: ${outcome.failed.message}\n`);
    return 1;
  }
  return 0;
}

/** Shows each failed attempt that will be retried, as it happens, so a long retry never looks like a hang. */
export function attemptReporter(io: Pick<WaitIo, 'stderr'>): (event: AttemptEvent) => void {
  return (event) => {
    if (event.outcome === 'ok' || event.retryInMs === undefined) return;
    io.stderr(
      `iprod: ${event.action} attempt ${event.attempt} failed (${oneLine(event.message ?? event.code ?? event.outcome)}); ` +
        `retrying in ${(event.retryInMs / 1000).toFixed(1)} s\n`,
    );
  };
}

/** Retry settings from the environment (`IPROD_RETRIES`, `IPROD_RETRY_BASE_MS`, `IPROD_RETRY_CAP_MS`); unset: the client's defaults. */
export function retryFromEnv(env: Readonly<Record<string, string | undefined>>): { retries?: number; baseMs?: number; capMs?: number } {
  const out: { retries?: number; baseMs?: number; capMs?: number } = {};
  const read = (name: string, key: 'retries' | 'baseMs' | 'capMs', max: number): void => {
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > max) throw new CliSettingError(`${name} must be an integer between 0 and ${max}, got ${JSON.stringify(raw)}`);
    out[key] = n;
  };
  read('IPROD_RETRIES', 'retries', 20);
  read('IPROD_RETRY_BASE_MS', 'baseMs', 3_600_000);
  read('IPROD_RETRY_CAP_MS', 'capMs', 3_600_000);
  if (out.baseMs !== undefined && out.capMs === undefined && out.baseMs > 5_000) out.capMs = out.baseMs;
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Where the CLI sent its calls, for messages: `https://ice.cn-shanghai.aliyuncs.com`. */
export interface Target {
  readonly url: string;
  readonly protocol: 'http' | 'https';
}

/**
 * Any error a command ends with, as one line a person can act on. Messages of our own errors are kept; network
 * failures are translated ("cannot reach", "not TLS"), and each names the setting to check.
 */
export function describeForPerson(err: unknown, target: Target | undefined): string {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown; attempts?: unknown; cause?: unknown; action?: unknown };
  const message = oneLine(typeof e.message === 'string' ? e.message : String(err));
  const attempts = typeof e.attempts === 'number' ? ` after ${e.attempts} attempt(s)` : '';
  const where = target?.url ?? 'the endpoint';
  const settings = '--endpoint/--protocol (or ICE_ENDPOINT/ICE_PROTOCOL) and --region';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const causeText = oneLine(String((e.cause as { message?: unknown } | undefined)?.message ?? ''));
  if (e.name === 'MissingCredentialsError' || e.name === 'InterruptedWaitError' || e.name === 'WaitTimeoutError') return message;
  if (code === 'EPROTO' || /wrong version number|WRONG_VERSION_NUMBER|packet length too long/i.test(`${message} ${causeText}`)) {
    return `${where} did not answer in TLS (it looks like plain HTTP): use --protocol http (or ICE_PROTOCOL=http), or point --endpoint at the https port`;
  }
  const network = e.name === 'IceNetworkError' || e.name === 'UnknownOutcomeError';
  if (network || typeof code === 'string') {
    const c = code ?? '';
    const unknown = e.name === 'UnknownOutcomeError' ? ` ${message.replace(/^.*?; /, '')}.` : '';
    const detail = network ? causeCode(err) ?? c : c;
    if (detail === 'ECONNREFUSED') return `cannot reach ${where}: connection refused${attempts}. Check ${settings}, and that the service is running.${unknown}`;
    if (detail === 'ENOTFOUND' || detail === 'EAI_AGAIN') return `cannot resolve the host of ${where}${attempts}. Check ${settings}.${unknown}`;
    if (detail === 'ECONNRESET' || /socket hang up/i.test(message)) return `${where} closed the connection${attempts}.${unknown || ' Try again; if it persists check ' + settings + '.'}`;
    if (/Timeout$/.test(detail)) return `no answer from ${where} in time${attempts}.${unknown || ' Check ' + settings + ' and the network.'}`;
  }
  if (e.name === 'IceApiError') {
    const hint = apiHint(code, typeof e.action === 'string' ? e.action : undefined);
    return `${message}${hint ? `. ${hint}` : ''}`;
  }
  return message;
}

function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function apiHint(code: string | undefined, action: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (/^(SignatureDoesNotMatch|InvalidAccessKeyId|InvalidAccessKeyId\.NotFound|InvalidSecurityToken)/.test(code)) {
    return 'Check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS keys)';
  }
  if (code.startsWith('Forbidden')) return `The credentials lack permission${action ? ` for ${action}` : ''}: grant it with a RAM policy`;
  if (code.startsWith('Throttling')) return 'The account is over its request rate for this action: try again in a few seconds';
  if (/NotFound$/.test(code)) return 'Check the job id, and --kind/--api (a job is found only by the API and kind it was submitted with)';
  return undefined;
}
