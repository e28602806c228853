/**
 * Plumbing the local Tablestore and MNS endpoints share: a 127.0.0.1 HTTP server that tracks its sockets, reads
 * whole bodies, holds answers for latency faults, and picks injected faults by rule.
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import type { AccessKey } from '../endpoint/auth';
import { seededRandom } from '../endpoint/random';

/** Options every local endpoint takes; `R` is what it reports per request. */
export interface LoopbackOptions<R> {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Server clock: signature skew and time-based state. @default Date.now */
  readonly now?: () => number;
  /** Accepted distance between a request's date and the server clock. @default 900000 (15 min; GUESS) */
  readonly clockSkewMs?: number;
  /** Seed of the PRNG behind ids and probabilistic faults. @default 1 */
  readonly seed?: number;
  /** Called once per request after it was answered (or its connection reset); must not throw. @default - none */
  readonly onRequest?: (record: R) => void;
}

export type FaultKind = 'latency' | 'status-500' | 'status-503' | 'reset-before' | 'reset-after';
export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'status-500', 'status-503', 'reset-before', 'reset-after'];

export interface FaultRule<Op extends string> {
  readonly kind: FaultKind;
  /** The operation it applies to. @default - every operation */
  readonly operation?: Op;
  /** Fire on the next `count` matching requests. @default - until removed */
  readonly count?: number;
  /** Fire with this probability per matching request (seeded PRNG). @default 1 */
  readonly probability?: number;
  /** Required for 'latency': how long the answer is held back. */
  readonly latencyMs?: number;
}

/** Fault rules, tried in the order added; each fires at most `count` times. */
export class FaultRules<Op extends string> {
  private rules: { rule: FaultRule<Op>; remaining: number }[] = [];

  constructor(
    private readonly operations: readonly Op[],
    private readonly random: () => number,
  ) {}

  add(rule: FaultRule<Op>): () => void {
    if (!FAULT_KINDS.includes(rule.kind)) {
      throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(rule.kind)}`);
    }
    if (rule.operation !== undefined && !this.operations.includes(rule.operation)) {
      throw new Error(`fault operation must be one of ${this.operations.join(', ')}, got ${JSON.stringify(rule.operation)}`);
    }
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) {
      throw new Error(`fault count must be an integer > 0, got ${rule.count}`);
    }
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
      throw new Error(`fault probability must be between 0 and 1, got ${rule.probability}`);
    }
    if (rule.kind === 'latency' && !(typeof rule.latencyMs === 'number' && Number.isFinite(rule.latencyMs) && rule.latencyMs >= 0)) {
      throw new Error(`fault latencyMs must be a finite number >= 0 for kind latency, got ${rule.latencyMs}`);
    }
    const active = { rule, remaining: rule.count ?? Infinity };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that fires for this request, if any (consuming one of its `count`). */
  pick(operation: Op): FaultRule<Op> | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if ((rule.operation && rule.operation !== operation) || active.remaining <= 0) {
        continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) {
        continue;
      }
      active.remaining--;
      if (active.remaining <= 0) {
        this.rules = this.rules.filter((r) => r !== active);
      }
      return rule;
    }
    return undefined;
  }
}

/** An HTTP server on 127.0.0.1 that can hold answers back and closes every socket and timer it owns. */
export class LoopbackServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly holds = new Map<NodeJS.Timeout, () => void>();
  private portNumber = 0;
  private closed = false;

  constructor(handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) {
    this.server = http.createServer((req, res) => {
      // handle() answers every error itself; this only guards against a socket that vanished mid-write.
      handle(req, res).catch(() => req.socket.destroy());
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return this.portNumber;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  listen(port: number): Promise<void> {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return Promise.reject(new Error(`port must be an integer between 0 and 65535, got ${port}`));
    }
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.portNumber = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Waits `ms` (a latency fault); released early when the server closes. */
  hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.holds.delete(timer);
        resolve();
      }, ms);
      this.holds.set(timer, resolve);
    });
  }

  /** Stops listening and destroys every socket and pending hold; `beforeClose` releases the caller's own waits. */
  close(beforeClose: () => void = () => undefined): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    this.closed = true;
    beforeClose();
    for (const [timer, release] of this.holds) {
      clearTimeout(timer);
      release();
    }
    this.holds.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
  }
}

// One body reader for every local endpoint: the ICE endpoint's, shipped in lib/testing.
export { readBody } from '../../lib/testing/ice/server';

/** The value of a header as one string (repeated headers joined by ','), or undefined. */
export function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export { seededRandom };

/** What both local endpoints share: keys, clock, seeded PRNG, fault rules and the loopback server. */
export abstract class LocalEndpoint<Op extends string, R> {
  protected readonly keys: readonly AccessKey[];
  protected readonly now: () => number;
  protected random: () => number;
  protected readonly faults: FaultRules<Op>;
  protected readonly server: LoopbackServer;

  constructor(
    protected readonly options: LoopbackOptions<R> & { readonly accessKeys?: readonly AccessKey[] },
    defaultKeys: readonly AccessKey[],
    operations: readonly Op[],
  ) {
    if (options.accessKeys !== undefined && options.accessKeys.length === 0) {
      throw new Error('accessKeys must hold at least one key, got []');
    }
    this.keys = options.accessKeys ?? defaultKeys;
    this.now = options.now ?? Date.now;
    this.random = seededRandom(options.seed ?? 1);
    this.faults = new FaultRules(operations, () => this.random());
    this.server = new LoopbackServer((req, res) => this.handle(req, res));
  }

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

  listen(port: number): Promise<void> {
    return this.server.listen(port);
  }

  get port(): number {
    return this.server.port;
  }

  /** `http://127.0.0.1:PORT`, the SDK's `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  /** The first configured key. */
  get accessKeyId(): string {
    return this.keys[0].accessKeyId;
  }

  get accessKeySecret(): string {
    return this.keys[0].accessKeySecret;
  }

  setFault(fault: FaultRule<Op>): () => void {
    return this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Forgets faults and restarts the PRNG; subclasses forget their own state too. */
  protected resetBase(): void {
    this.faults.clear();
    this.random = seededRandom(this.options.seed ?? 1);
  }

  protected holdIfLatency(fault: FaultRule<Op> | undefined): Promise<void> {
    return fault?.kind === 'latency' ? this.server.hold(fault.latencyMs ?? 0) : Promise.resolve();
  }

  /** The configured key with this id, if any. */
  protected findKey(accessKeyId: string | undefined): AccessKey | undefined {
    return this.keys.find((k) => k.accessKeyId === accessKeyId);
  }
}
