/** One client per (credentials, endpoint, protocol, region, api), kept across warm invocations. */
import { createHash } from 'crypto';
import type { Api, ApiAction } from '../service';
import { IProductionClient, type IProductionClientOptions } from './client';
import { DEFAULT_RATE_LIMITS, LimiterRegistry } from './limiter';
import type { RuntimeSettings } from './handler-settings';

/** STS credentials rotate; a small bound keeps a long-lived instance from collecting stale clients. */
export const MAX_CACHED_CLIENTS = 8;

/** What every client of the cache shares besides its settings: the clock and the pause between polls and retries. */
export type ClientTiming = Pick<IProductionClientOptions, 'now' | 'sleep'>;

export class ClientCache {
  private readonly clients = new Map<string, IProductionClient>();

  /** @param timing injected into every client (tests pass a virtual clock); @default - real time */
  constructor(private readonly timing: ClientTiming = {}) {}

  get size(): number {
    return this.clients.size;
  }

  /**
   * @param reserved QPS set aside from the instances' shares (the production loop's sweep budget): each instance
   *   plans `(limit - reserved) / maxInstances`, and borrows up to the limit what the others leave unused.
   * @param own a client outside the process's shared limiters, planning exactly `reserved` for those actions (the
   *   sweep's client: one sweep runs at a time across the deployment).
   */
  get(settings: RuntimeSettings, api: Api | undefined, reserved: Partial<Record<ApiAction, number>> = {}, own = false): IProductionClient {
    const effectiveApi = api ?? settings.api;
    const c = settings.credential;
    // Hashed so that secrets are not kept as map keys in plain text.
    const key = createHash('sha256')
      .update(JSON.stringify([c?.accessKeyId, c?.accessKeySecret, c?.securityToken, settings.endpoint, settings.protocol, settings.region, effectiveApi, settings.maxInstances, reserved, own]))
      .digest('hex');
    let client = this.clients.get(key);
    if (client) {
      // Re-insert: the map's order doubles as least-recently-used order.
      this.clients.delete(key);
      this.clients.set(key, client);
      return client;
    }
    // Each instance plans its share, and borrows up to the whole limit what the other instances leave unused
    // (idle, crashed, starting): the shares add up to the limit, so a throttle always makes room again.
    const share = settings.maxInstances !== undefined ? instanceShare(settings.maxInstances, reserved) : undefined;
    const rateLimits = own ? { ...share, ...reserved } : share;
    client = new IProductionClient({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.protocol ? { protocol: settings.protocol } : {}),
      ...(c ? { credential: c } : {}),
      ...(rateLimits ? { rateLimits, borrowUpTo: DEFAULT_RATE_LIMITS } : {}),
      ...(own ? { limiterRegistry: new LimiterRegistry(this.timing.now || this.timing.sleep ? { ...(this.timing.now ? { now: this.timing.now } : {}), ...(this.timing.sleep ? { sleep: (ms: number) => this.timing.sleep!(ms) } : {}) } : {}) } : {}),
      api: effectiveApi,
      ...this.timing,
    });
    this.clients.set(key, client);
    while (this.clients.size > MAX_CACHED_CLIENTS) {
      const oldest = this.clients.keys().next().value as string;
      this.clients.delete(oldest);
    }
    return client;
  }
}

/**
 * One instance's share of the account's QPS limits when at most `maxInstances` run at once: the limits divided
 * evenly, so that all instances together stay within them however the load is spread.
 */
export function instanceShare(maxInstances: number, reserved: Partial<Record<ApiAction, number>> = {}): Partial<Record<ApiAction, number>> {
  const out: Partial<Record<ApiAction, number>> = {};
  for (const [action, qps] of Object.entries(DEFAULT_RATE_LIMITS)) out[action as ApiAction] = (qps - (reserved[action as ApiAction] ?? 0)) / maxInstances;
  return out;
}
