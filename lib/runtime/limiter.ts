import { RuntimeOptionsError } from './errors';

/**
 * Per-user QPS limits of the service, by action. Submits come from the seeds (002: SubmitIProductionJob 100 QPS,
 * 003: SubmitMediaProducingJob 30 QPS). No source gives the query limits: 50 is a GUESS kept low on purpose, since
 * waiting clients poll them and a throttled poll only delays a wait.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, number>> = {
  SubmitIProductionJob: 100,
  QueryIProductionJob: 50,
  SubmitMediaProducingJob: 30,
  GetMediaProducingJob: 50,
};

/** Used for actions missing from {@link DEFAULT_RATE_LIMITS}. */
export const FALLBACK_RATE_LIMIT = 20;

/**
 * Share of the service limit planned as steady rate; the rest is burst, so burst + rate never exceeds the limit in
 * any one-second window. 0.97 reaches ≥ 0.95 of the limit over a long run (bench: submit.achievedFraction); network
 * jitter can still bunch two grants into one server-side window now and then, and that throttle is retried, never
 * surfaced. Lower it when several processes share one account's budget.
 */
export const RATE_HEADROOM = 0.97;

export const MAX_RATE_LIMIT = 100_000;

export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /**
   * Most tokens held at once (the largest burst). The bucket starts full.
   * @default 1
   */
  readonly burst?: number;
  /**
   * Clock in milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * A token bucket. Pure apart from its clock, which is injectable so tests are exact. In any interval of length
 * `t` seconds it hands out at most `burst + ratePerSecond * t` tokens.
 */
export class TokenBucket {
  public readonly ratePerSecond: number;
  public readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private lastRefillMs: number;

  constructor(options: TokenBucketOptions) {
    const burst = options.burst ?? 1;
    if (typeof options.ratePerSecond !== 'number' || !(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RuntimeOptionsError(`ratePerSecond must be a positive finite number, got ${String(options.ratePerSecond)}`);
    }
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RuntimeOptionsError(`burst must be an integer of at least 1, got ${String(burst)}`);
    }
    this.ratePerSecond = options.ratePerSecond;
    this.burst = burst;
    this.now = options.now ?? Date.now;
    this.tokens = burst;
    this.lastRefillMs = this.now();
  }

  /** Tokens available now (fractional). */
  public available(): number {
    this.refill();
    return this.tokens;
  }

  /**
   * Takes one token if there is one and returns 0; otherwise takes nothing and returns the milliseconds until one
   * will be available.
   */
  public tryTake(): number {
    this.refill();
    // Tolerates float residue from summing many small refills.
    if (this.tokens >= 1 - 1e-9) {
      this.tokens = Math.max(0, this.tokens - 1);
      return 0;
    }
    return ((1 - this.tokens) * 1000) / this.ratePerSecond;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.lastRefillMs;
    // A clock that steps back must not mint or burn tokens.
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    }
    this.lastRefillMs = Math.max(this.lastRefillMs, now);
  }
}

/**
 * Bucket shape for a service limit: burst and sustained rate add up to `qps`, so no one-second window holds more than
 * `qps` grants. About 3% of the budget (at least one token) is burst, so short lulls are made up without a spike.
 */
export function bucketShapeFor(qps: number): { ratePerSecond: number; burst: number } {
  const burst = Math.max(1, Math.round(qps * (1 - RATE_HEADROOM)));
  const ratePerSecond = qps > burst ? qps - burst : qps / 2;
  return { ratePerSecond, burst };
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hands out a bucket's tokens to async callers in arrival order: each caller waits behind the one before it and
 * sleeps exactly until its token is due (no polling loop).
 */
export class RateLimiter {
  public readonly qps: number;
  private readonly bucket: TokenBucket;
  private readonly sleep: Sleep;
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(props: { qps: number; now?: () => number; sleep?: Sleep }) {
    checkQps('qps', props.qps);
    this.qps = props.qps;
    this.bucket = new TokenBucket({ ...bucketShapeFor(props.qps), now: props.now });
    this.sleep = props.sleep ?? realSleep;
  }

  /** Callers queued (including the one being served). */
  public get queued(): number {
    return this.waiting;
  }

  /** Resolves when the caller may send one request. */
  public acquire(): Promise<void> {
    this.waiting++;
    const turn = this.tail.then(() => this.takeToken());
    const done = turn.finally(() => {
      this.waiting--;
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  private async takeToken(): Promise<void> {
    for (;;) {
      const waitMs = this.bucket.tryTake();
      if (waitMs === 0) return;
      await this.sleep(Math.ceil(waitMs));
    }
  }
}

export function checkQps(name: string, qps: unknown): void {
  if (typeof qps !== 'number' || !Number.isFinite(qps) || qps <= 0 || qps > MAX_RATE_LIMIT) {
    throw new RuntimeOptionsError(`${name} must be a number greater than 0 and at most ${MAX_RATE_LIMIT}, got ${typeof qps === 'string' ? JSON.stringify(qps) : String(qps)}`);
  }
}

/**
 * Limiters keyed by endpoint and action. The service limits per user, which a process cannot see, so every client
 * in the process talking to the same endpoint shares one limiter per action.
 */
export class LimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly now?: () => number;
  private readonly sleep?: Sleep;

  constructor(props: { now?: () => number; sleep?: Sleep } = {}) {
    this.now = props.now;
    this.sleep = props.sleep;
  }

  /**
   * The limiter for `endpoint` + `action`. When clients ask for different limits, the strictest one wins: a looser
   * client must not push a stricter one over its limit.
   */
  public limiter(endpoint: string, action: string, qps: number = DEFAULT_RATE_LIMITS[action] ?? FALLBACK_RATE_LIMIT): RateLimiter {
    checkQps(`rateLimits.${action}`, qps);
    const key = `${endpoint}\n${action}`;
    const existing = this.limiters.get(key);
    if (existing && existing.qps <= qps) return existing;
    const limiter = new RateLimiter({ qps, now: this.now, sleep: this.sleep });
    this.limiters.set(key, limiter);
    return limiter;
  }

  public get size(): number {
    return this.limiters.size;
  }
}

/** The registry every client uses unless given its own. */
export const defaultLimiterRegistry = new LimiterRegistry();

/** The process-wide limiter for an action on an endpoint. */
export function sharedLimiter(action: string, endpoint: string, qps?: number): RateLimiter {
  return defaultLimiterRegistry.limiter(endpoint, action, qps);
}
