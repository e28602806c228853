import { ACTIONS, API_ACTIONS } from '../service';
import { RuntimeOptionsError } from './errors';

/** Per-user QPS limits of the service, by action, as the service facts give them (lib/service/apis.ts). */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  API_ACTIONS.map((action) => [action, ACTIONS[action].qps]),
);

/** Used for actions missing from {@link DEFAULT_RATE_LIMITS}. */
export const FALLBACK_RATE_LIMIT = 20;

export const MAX_RATE_LIMIT = 100_000;

/** The service counts requests over one second (the local endpoint: a sliding window, the strictest reading). */
export const WINDOW_MS = 1_000;

/**
 * Safety gap added to the one-second window, in ms. Request `i + n` (n = the allowance per window) is sent no
 * earlier than `WINDOW_MS + margin` after request `i`, so arrivals may jitter by up to the margin without `n + 1`
 * of ours landing in one server-side window. The margin starts at the minimum, widens by {@link MARGIN_STEP_MS}
 * per throttle (arrivals bunched more than allowed for) and narrows by {@link MARGIN_DECAY_MS_PER_S} per quiet
 * second. A throttle costs one resend; a millisecond of margin costs a thousandth of the budget for as long as it
 * stays, so the margin settles where throttles are rare, not where they never happen.
 */
export const MIN_MARGIN_MS = 3;
export const MAX_MARGIN_MS = 50;
export const MARGIN_STEP_MS = 3;
export const MARGIN_DECAY_MS_PER_S = 2;

/**
 * The AWS SDK's adaptive retry mode (CUBIC, as in its `DefaultRateLimiter`): on a throttle the allowed rate drops
 * to `CUBIC_BETA` times the rate in use, then grows back along `CUBIC_SCALE * (t - K)^3 + lastMax` (t in seconds
 * since the cut). Here a cut happens only once the margin is at its widest: throttles that arrival jitter explains
 * widen the margin; throttles beyond that mean the budget is shared (another process or client) and the rate must
 * give way. It never grows above the documented limit.
 */
export const CUBIC_BETA = 0.7;
export const CUBIC_SCALE = 0.4;
/** The rate never drops below this share of the documented limit (nor below 0.5/s, the AWS SDK's floor). */
export const MIN_RATE_SHARE = 0.05;

/**
 * Borrowing (`borrowUpTo` above `qps`): a limiter planning a share of a limit others share too (one of K instances)
 * grows above its share while its callers are waiting and the service throttles nothing, by this many times its
 * share per second of waiting (additive increase), up to `borrowUpTo`: the share an idle, crashed or starting
 * instance leaves unused is taken up within a second or two. A throttle gives back this fraction of what is
 * borrowed (multiplicative decrease) and holds the growth ({@link BORROW_HOLD_MS}): the others are using their
 * shares, so probing again at once would only be throttled again. The share itself is never given back for a
 * borrower's throttle. Since the shares add up to the limit, borrowers always make room for an instance that
 * returns (AIMD, as TCP shares a link).
 */
export const BORROW_GROWTH_PER_S = 0.5;
export const BORROW_GIVE_BACK = 0.5;
/**
 * The hold after a give-back: 1 s, doubling (up to 16 s) for each give-back that comes within
 * {@link BORROW_HOLD_RESET_MS} of the end of the previous hold. Instances that all use their shares stop probing
 * each other within a minute; a share left unused for a while is taken up again within about twice the hold.
 */
export const BORROW_HOLD_MS = 1_000;
export const BORROW_MAX_HOLD_MS = 16_000;
export const BORROW_HOLD_RESET_MS = 5_000;

/**
 * How far the schedule may run ahead of its even pace (GCRA tolerance), in emission intervals: enough to make up
 * for a timer that fires late, too little to spend a whole second's budget at once after a lull.
 */
export const GCRA_TOLERANCE_INTERVALS = 4;

/**
 * What became of a request the limiter let through, as far as the service's own count goes.
 * - `counted`: the service may have counted it (any answer but the two below, or a connection lost after sending).
 * - `not-counted`: the service cannot have counted it: the connection was refused, or it answered
 *   ServiceUnavailable (GUESS: a 503 is refused before flow control, as the local endpoint does). The slot is
 *   given back.
 * - `throttled`: flow control refused it; the slot is given back and the schedule adapts.
 */
export type PermitOutcome = 'counted' | 'not-counted' | 'throttled';

/** One grant. Report its outcome once; an unreported permit counts (the safe assumption). */
export interface Permit {
  /** When the request was let through, on the limiter's clock. */
  readonly grantedAtMs: number;
  settle(outcome: PermitOutcome): void;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RateLimiterProps {
  /** The rate planned for, requests per second: the documented limit, or this client's share of it. */
  readonly qps: number;
  /**
   * The most the rate may grow to by borrowing (see {@link BORROW_GROWTH_PER_S}): the whole limit when `qps` is a
   * share of it. The schedule never plans above it. @default qps (no borrowing)
   */
  readonly borrowUpTo?: number;
  /** Clock in ms. @default Date.now */
  readonly now?: () => number;
  /** @default a real timer */
  readonly sleep?: Sleep;
  /** @default MIN_MARGIN_MS */
  readonly minMarginMs?: number;
  /** @default MAX_MARGIN_MS */
  readonly maxMarginMs?: number;
}

/** A snapshot of the schedule, for benchmarks and logs. */
export interface LimiterState {
  readonly qps: number;
  /** The most the rate may grow to by borrowing (= qps when it does not borrow). */
  readonly borrowUpTo: number;
  /** Rate currently allowed (≤ borrowUpTo). */
  readonly rate: number;
  /** The part of `rate` above `qps`, borrowed from shares others leave unused. */
  readonly borrowed: number;
  /** Requests allowed per window now: `max(1, floor(rate))`. */
  readonly perWindow: number;
  readonly marginMs: number;
  readonly granted: number;
  /** Grants given back (throttled, refused, ServiceUnavailable). */
  readonly refunded: number;
  readonly throttles: number;
  /** Throttles that cut the rate (the others widened the margin, gave borrowed rate back, or answered requests sent before the last adjustment). */
  readonly rateCuts: number;
  /** Throttles that gave borrowed rate back. */
  readonly givenBack: number;
  /** Grants taken out of turn by urgent callers. */
  readonly urgent: number;
}

/**
 * Sends as many requests as the service's window allows, and not one more:
 * - a sliding-window log of the requests the service may have counted: request `i + n` waits until
 *   `WINDOW_MS + margin` after request `i`, so every server-side one-second window holds at most `n` of ours; a
 *   grant that fires late delays only itself (each grant is timed from its own predecessor a window back), so
 *   timer lateness is not lost for good as it is with a one-token bucket;
 * - GCRA virtual scheduling (a theoretical arrival time advanced by `WINDOW_MS / rate` per grant, with a small
 *   tolerance) spreads grants evenly instead of spending a second's budget at once;
 * - refunds: requests the service did not count (throttled, refused, ServiceUnavailable) leave the log and give
 *   their GCRA interval back, so faults do not eat the budget;
 * - adaptation to the server: throttles widen the margin, then cut the rate CUBIC-style ({@link CUBIC_BETA});
 *   quiet seconds narrow the margin and let the rate grow back, never above `qps`;
 * - borrowing, when `borrowUpTo` is above `qps`: the rate grows above the planned share while callers wait and
 *   nothing is throttled, and gives half the borrowed part back on a throttle ({@link BORROW_GROWTH_PER_S}).
 *
 * Callers are served in arrival order, urgent ones first (`acquire({ urgent: true })`: a notification's query
 * goes ahead of routine polls); each sleeps exactly until its grant is due (no polling loop). Pure apart from the
 * injectable clock and sleep, so tests run on virtual time.
 */
export class RateLimiter {
  public readonly qps: number;
  public readonly borrowUpTo: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly minMarginMs: number;
  private readonly maxMarginMs: number;
  private readonly lanes: { urgent: Waiter[]; normal: Waiter[] } = { urgent: [], normal: [] };
  private serving = false;

  /** Grant times of requests the service may have counted, ascending. */
  private readonly log: number[] = [];
  /** GCRA theoretical arrival time. */
  private tat = -Infinity;
  /** Margin as set at `marginSetAtMs`; it decays from there. */
  private marginMs: number;
  private marginSetAtMs = 0;
  /** CUBIC state; no cut yet while `lastCutAtMs` is undefined. */
  private lastCutAtMs: number | undefined;
  private lastMaxRate: number;
  private cutRate: number;
  /** Rate above `qps` taken from shares others leave unused (0 ≤ borrowed ≤ borrowUpTo - qps). */
  private borrowed = 0;
  private lastGrantAtMs = -Infinity;
  private borrowHeldUntilMs = -Infinity;
  private borrowHoldMs = BORROW_HOLD_MS;
  /** Grants made before this were sent under an older schedule: their throttles do not adapt it again. */
  private lastAdjustAtMs = -Infinity;
  private readonly counters = { granted: 0, refunded: 0, throttles: 0, rateCuts: 0, givenBack: 0, urgent: 0 };

  constructor(props: RateLimiterProps) {
    checkQps('qps', props.qps);
    this.qps = props.qps;
    this.borrowUpTo = props.borrowUpTo ?? props.qps;
    checkQps('borrowUpTo', this.borrowUpTo);
    if (this.borrowUpTo < this.qps) {
      throw new RuntimeOptionsError(`borrowUpTo must be at least qps (${this.qps}), got ${this.borrowUpTo}`);
    }
    this.now = props.now ?? Date.now;
    this.sleep = props.sleep ?? realSleep;
    this.minMarginMs = props.minMarginMs ?? MIN_MARGIN_MS;
    this.maxMarginMs = props.maxMarginMs ?? MAX_MARGIN_MS;
    if (!(this.minMarginMs >= 0) || !(this.maxMarginMs >= this.minMarginMs) || !(this.maxMarginMs <= WINDOW_MS)) {
      throw new RuntimeOptionsError(
        `margins must satisfy 0 <= minMarginMs <= maxMarginMs <= ${WINDOW_MS}, got ${String(this.minMarginMs)} and ${String(this.maxMarginMs)}`,
      );
    }
    this.marginMs = this.minMarginMs;
    this.lastMaxRate = this.qps;
    this.cutRate = this.qps;
  }

  /** Callers not granted yet (the one being timed included: it stays in its lane until its grant). */
  public get queued(): number {
    return this.lanes.urgent.length + this.lanes.normal.length;
  }

  public state(): LimiterState {
    const now = this.now();
    const rate = this.rateAt(now);
    return {
      qps: this.qps,
      borrowUpTo: this.borrowUpTo,
      rate,
      borrowed: Math.max(0, rate - this.baseRateAt(now)),
      perWindow: perWindow(rate),
      marginMs: this.marginAt(now),
      ...this.counters,
    };
  }

  /**
   * Resolves when the caller may send one request, with the permit on which to report what became of it.
   * @param options.urgent served before every caller queued without it (still within the schedule)
   */
  public acquire(options: { urgent?: boolean } = {}): Promise<Permit> {
    return new Promise<Permit>((resolve, reject) => {
      (options.urgent ? this.lanes.urgent : this.lanes.normal).push({ resolve, reject, urgent: options.urgent === true });
      if (!this.serving) void this.serve();
    });
  }

  /** Milliseconds until a request may go (0: at once). Grants nothing. */
  public delayMs(): number {
    const now = this.now();
    const rate = this.rateAt(now);
    const n = perWindow(rate);
    this.forget(now);
    let due = this.tat - (GCRA_TOLERANCE_INTERVALS * WINDOW_MS) / rate;
    if (this.log.length >= n) due = Math.max(due, this.log[this.log.length - n] + WINDOW_MS + this.marginAt(now));
    return Math.max(0, due - now);
  }

  /** Serves the lanes one grant at a time, urgent first, until both are empty. */
  private async serve(): Promise<void> {
    this.serving = true;
    try {
      while (this.lanes.urgent.length + this.lanes.normal.length > 0) {
        let waited = false;
        for (;;) {
          const wait = this.delayMs();
          if (wait <= 0) break;
          waited = true;
          await this.sleep(Math.ceil(wait));
        }
        const next = (this.lanes.urgent.shift() ?? this.lanes.normal.shift())!;
        // Demand beyond the rate: the caller had to wait for the schedule, or others are queued behind it.
        const pressed = waited || this.lanes.urgent.length + this.lanes.normal.length > 0;
        if (next.urgent && this.lanes.normal.length > 0) this.counters.urgent++;
        next.resolve(this.grant(pressed));
        // Let the caller run on its grant before the next one is timed (and a virtual clock moves on).
        await Promise.resolve();
      }
    } catch (err) {
      for (const w of [...this.lanes.urgent.splice(0), ...this.lanes.normal.splice(0)]) w.reject(err);
    } finally {
      this.serving = false;
    }
  }

  private grant(pressed: boolean): Permit {
    const now = this.now();
    this.borrow(now, pressed);
    const interval = WINDOW_MS / this.rateAt(now);
    this.tat = Math.max(this.tat, now) + interval;
    insertSorted(this.log, now);
    this.counters.granted++;
    this.lastGrantAtMs = now;
    let settled = false;
    return {
      grantedAtMs: now,
      settle: (outcome: PermitOutcome) => {
        if (settled) return;
        settled = true;
        if (outcome === 'counted') return;
        this.refund(now, interval);
        if (outcome === 'throttled') this.onThrottle(now);
      },
    };
  }

  /**
   * Additive increase of the borrowed rate while callers wait (and the rate is not cut); none of it survives a lull
   * of a window (or two grant intervals), so an instance that comes back from idle starts at its share.
   */
  private borrow(now: number, pressed: boolean): void {
    if (this.borrowUpTo === this.qps) return;
    const sinceLast = now - this.lastGrantAtMs;
    if (sinceLast > Math.max(WINDOW_MS, (2 * WINDOW_MS) / this.qps)) {
      this.borrowed = 0;
      return;
    }
    if (!pressed || this.baseRateAt(now) < this.qps || now < this.borrowHeldUntilMs) return;
    this.borrowed = Math.min(this.borrowUpTo - this.qps, this.borrowed + (BORROW_GROWTH_PER_S * this.qps * sinceLast) / 1000);
  }

  /** Takes a grant back out of the log and gives its GCRA interval back. */
  private refund(grantedAt: number, interval: number): void {
    const i = this.log.lastIndexOf(grantedAt);
    if (i >= 0) this.log.splice(i, 1);
    this.tat -= interval;
    this.counters.refunded++;
  }

  private onThrottle(grantedAt: number): void {
    this.counters.throttles++;
    // A request sent before the last adjustment says nothing about the adjusted schedule.
    if (grantedAt < this.lastAdjustAtMs) return;
    const now = this.now();
    if (this.borrowed > 0) {
      // Borrowed rate goes first: someone whose share it was wants it back.
      this.borrowed *= BORROW_GIVE_BACK;
      if (this.borrowed < this.qps * MIN_RATE_SHARE) this.borrowed = 0;
      this.counters.givenBack++;
      this.lastAdjustAtMs = now;
      this.borrowHoldMs = now < this.borrowHeldUntilMs + BORROW_HOLD_RESET_MS ? Math.min(BORROW_MAX_HOLD_MS, this.borrowHoldMs * 2) : BORROW_HOLD_MS;
      this.borrowHeldUntilMs = now + this.borrowHoldMs;
      return;
    }
    const margin = this.marginAt(now);
    if (margin < this.maxMarginMs) {
      this.marginMs = Math.min(this.maxMarginMs, margin + MARGIN_STEP_MS);
    } else {
      const current = this.rateAt(now);
      this.lastMaxRate = current;
      this.cutRate = Math.max(this.minRate(), current * CUBIC_BETA);
      this.lastCutAtMs = now;
      this.counters.rateCuts++;
      this.marginMs = margin;
    }
    // Either way the margin holds from here before it decays.
    this.marginSetAtMs = now;
    this.lastAdjustAtMs = now;
  }

  private minRate(): number {
    return Math.min(this.qps, Math.max(0.5, this.qps * MIN_RATE_SHARE));
  }

  /** The planned rate at `now`: `qps`, or the CUBIC curve back towards it after a cut. */
  private baseRateAt(now: number): number {
    if (this.lastCutAtMs === undefined) return this.qps;
    const t = Math.max(0, now - this.lastCutAtMs) / 1000;
    const k = Math.cbrt((this.lastMaxRate * (1 - CUBIC_BETA)) / CUBIC_SCALE);
    const cubic = CUBIC_SCALE * (t - k) ** 3 + this.lastMaxRate;
    return Math.min(this.qps, Math.max(this.cutRate, cubic));
  }

  /** The allowed rate at `now`: the planned rate, plus what is borrowed once it is back at `qps`. */
  private rateAt(now: number): number {
    const base = this.baseRateAt(now);
    return base < this.qps ? base : Math.min(this.borrowUpTo, base + this.borrowed);
  }

  private marginAt(now: number): number {
    const quietSeconds = Math.max(0, now - this.marginSetAtMs) / 1000;
    return Math.max(this.minMarginMs, this.marginMs - Math.floor(quietSeconds) * MARGIN_DECAY_MS_PER_S);
  }

  /** Drops grants too old to matter, keeping at least one window's allowance for the `i + n` rule. */
  private forget(now: number): void {
    const horizon = now - WINDOW_MS - this.maxMarginMs;
    let drop = 0;
    while (drop < this.log.length - this.borrowUpTo && this.log[drop] < horizon) drop++;
    if (drop > 0) this.log.splice(0, drop);
  }
}

interface Waiter {
  readonly resolve: (permit: Permit) => void;
  readonly reject: (err: unknown) => void;
  readonly urgent: boolean;
}

function perWindow(rate: number): number {
  return Math.max(1, Math.floor(rate + 1e-9));
}

function insertSorted(values: number[], value: number): void {
  let i = values.length;
  while (i > 0 && values[i - 1] > value) i--;
  values.splice(i, 0, value);
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
   * The limiter for `endpoint` + `action`. When clients ask for different limits, the strictest one wins (the lower
   * `qps`, then the lower `borrowUpTo`): a looser client must not push a stricter one over its limit.
   */
  public limiter(endpoint: string, action: string, qps: number = DEFAULT_RATE_LIMITS[action] ?? FALLBACK_RATE_LIMIT, borrowUpTo: number = qps): RateLimiter {
    checkQps(`rateLimits.${action}`, qps);
    checkQps(`borrowUpTo.${action}`, borrowUpTo);
    const key = `${endpoint}\n${action}`;
    const existing = this.limiters.get(key);
    if (existing && (existing.qps < qps || (existing.qps === qps && existing.borrowUpTo <= borrowUpTo))) return existing;
    const limiter = new RateLimiter({ qps, borrowUpTo: Math.max(qps, borrowUpTo), now: this.now, sleep: this.sleep });
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
