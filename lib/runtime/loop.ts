/**
 * The production loop inside the function: an upload becomes a ledger row, the row a submitted job, the job a
 * delivered result. Every step is a conditional ledger write first, so duplicated OSS events, FC retries, crashed
 * instances and several instances at once submit each job once and deliver each result once per row (docs/loop.md).
 *
 * A request takes the same path as the handler's `submit` of a preset: the preset filled with the upload, the
 * deployment's scope (functions, input and output locations), its defaults (pipeline, UserData tags), the validator;
 * only then the ledger token is merged into UserData and the job submitted through the instance's shared client.
 *
 * @internal plumbing of the handler; the public contract is the events it answers and the messages it publishes.
 */
import {
  hasErrors,
  JobValidationError,
  mergeUserData,
  scopeRefusals,
  validateIProductionJob,
  type IProductionJob,
  type ValidationIssue,
} from '../jobs';
import { ACTIONS, otsEndpointOf, RUNTIME_ENV, type Api, type ApiAction } from '../service';
import { isRecord } from '../util/values';
import type { IProductionClient } from './client';
import { IceApiError, IceNetworkError, UnknownOutcomeError } from './errors';
import { applyDeploymentDefaults, type HandlerEnv, type RuntimeSettings } from './handler-settings';
import { JobLedger, NOT_ACCEPTED_CODE, parseLedgerToken, TERMINAL_STATES, type LedgerRow } from './ledger';
import { MnsPublisher, MnsQueueConsumer } from './mns';
import { presetRequest, type Presets } from './presets';

/** The token's key inside a job's UserData JSON (reserved: a preset may not set it). */
export const LOOP_TOKEN_KEY = 'iprodToken';

export interface LoopRoute {
  /** Object keys starting with this (after URL-decoding) take this route. */
  readonly prefix: string;
  /** ...and ending with one of these (case-sensitive, as the OSS trigger's filter); empty or absent: any. */
  readonly suffixes?: readonly string[];
  readonly preset: string;
}

/** `IPROD_LOOP` as the construct writes it (lib/constructs/runtime.ts `RuntimeLoopSettings`). */
export interface LoopConfig {
  readonly routes: readonly LoopRoute[];
  /** Tablestore instance and table of the ledger. */
  readonly instance: string;
  readonly table: string;
  /** The app's results topic. */
  readonly topic?: string;
  /** An `ice-callback-*` queue ICE's event callback delivers to: drained on every sweep tick. */
  readonly callbackQueue?: string;
  /** Presets whose submits of unknown outcome are sent again (at-least-once: may duplicate a job). */
  readonly resubmitOnUnknown?: readonly string[];
  /** How long a submit of unknown outcome waits for a notification before its row ends Unknown. @default 600 */
  readonly reconcileWindowSeconds?: number;
  /** Open rows one sweep looks at. @default 2000 */
  readonly sweepRows?: number;
  /**
   * How long one sweep invocation keeps working: it passes over the rows it holds again a second apart (reading the
   * ledger again every 15 s), with the callback queue long-polled throughout, until this many seconds have gone by.
   * 0: one pass. @default 0
   */
  readonly sweepSeconds?: number;
}

/** What the app receives on the results topic (the envelope's payload; dedupe on the envelope's dedupeId). */
export interface LoopResultMessage {
  readonly id: string;
  readonly state: string;
  readonly bucket: string;
  readonly objectKey: string;
  readonly version: string;
  readonly preset: string;
  readonly jobId?: string;
  readonly status?: string;
  readonly result?: unknown;
  readonly reason?: string;
  readonly errorCode?: string;
}

export interface OssUpload {
  readonly bucket: string;
  readonly key: string;
  readonly version: string;
}

/** Everything a loop needs from the handler: its settings, its instance's shared client, the deployed presets. */
export interface LoopDeps {
  readonly settings: RuntimeSettings;
  readonly client: IProductionClient;
  /**
   * The client the sweep queries through: its own budget of the query limit (one sweep runs at a time), so the
   * sweep is not held to one instance's share. @default the instance's client
   */
  readonly sweepClient?: IProductionClient;
  readonly presets?: Presets;
  readonly env: HandlerEnv;
  /** The account (FC context `accountId`, else env `FC_ACCOUNT_ID`): names the MNS endpoint. */
  readonly accountId?: string;
  readonly now?: () => number;
  /** Pause between a long sweep's passes. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RECONCILE_WINDOW_SECONDS = 600;
/** Submits in flight per instance (see Loop.submit). */
const SUBMIT_SLOTS = 4;
const QUERY_BACKOFF_MIN_MS = 1_000;
const QUERY_BACKOFF_MAX_MS = 16_000;
/** The share of the query limit set aside for the sweep (one runs at a time across the deployment). */
export const SWEEP_QUERY_SHARE = 0.5;

/** What the sweep's client plans: its share of QueryIProductionJob's limit; every instance plans the rest. */
export function sweepReserve(): Partial<Record<ApiAction, number>> {
  return { QueryIProductionJob: ACTIONS.QueryIProductionJob.qps * SWEEP_QUERY_SHARE };
}

/** Rows one sweep moves on at once: enough to keep its query share busy while ledger writes and publishes wait. */
const SWEEP_CONCURRENCY = 16;
/** Callbacks handled within this long count as flowing: the sweep then polls rows only as a fallback. */
const CALLBACKS_FLOWING_MS = 60_000;
/** An instance's optional drains (upload invocations) pause this long after finding the callback queue empty. */
const OPTIONAL_DRAIN_QUIET_MS = 1_000;
/** How often a long sweep reads the ledger's open rows again. */
const RESCAN_INTERVAL_MS = 15_000;

/** A counting semaphore. */
class Slots {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** The loop's configuration from the environment; undefined when the deployment has no loop. */
export function loopConfigFromEnv(env: HandlerEnv): LoopConfig | { error: string } | undefined {
  const name = RUNTIME_ENV.loop;
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { error: `${name} must be JSON, got ${JSON.stringify(raw.slice(0, 60))}` };
  }
  if (!isRecord(parsed)) return { error: `${name} must be a JSON object, got ${JSON.stringify(raw.slice(0, 60))}` };
  const routes = parsed.routes;
  if (!Array.isArray(routes) || routes.length === 0 || routes.some((r) => !isRecord(r) || typeof r.prefix !== 'string' || typeof r.preset !== 'string' || (r.suffixes !== undefined && (!Array.isArray(r.suffixes) || r.suffixes.some((x: unknown) => typeof x !== 'string'))))) {
    return { error: `${name}.routes must be a non-empty array of {prefix, suffixes?, preset}, got ${JSON.stringify(routes)?.slice(0, 80)}` };
  }
  for (const field of ['instance', 'table'] as const) {
    if (typeof parsed[field] !== 'string' || parsed[field] === '') return { error: `${name}.${field} must be a non-empty string, got ${JSON.stringify(parsed[field])}` };
  }
  for (const field of ['topic', 'callbackQueue'] as const) {
    if (parsed[field] !== undefined && (typeof parsed[field] !== 'string' || parsed[field] === '')) {
      return { error: `${name}.${field} must be a non-empty string when set, got ${JSON.stringify(parsed[field])}` };
    }
  }
  const window = parsed.reconcileWindowSeconds;
  if (window !== undefined && (typeof window !== 'number' || !(window > 0))) {
    return { error: `${name}.reconcileWindowSeconds must be a number above 0, got ${JSON.stringify(window)}` };
  }
  const sweep = parsed.sweepSeconds;
  if (sweep !== undefined && (typeof sweep !== 'number' || !(sweep >= 0) || sweep > 3600)) {
    return { error: `${name}.sweepSeconds must be a number between 0 and 3600, got ${JSON.stringify(sweep)}` };
  }
  const resubmit = parsed.resubmitOnUnknown;
  if (resubmit !== undefined && (!Array.isArray(resubmit) || resubmit.some((x) => typeof x !== 'string'))) {
    return { error: `${name}.resubmitOnUnknown must be an array of preset names, got ${JSON.stringify(resubmit)}` };
  }
  return parsed as unknown as LoopConfig;
}

/** Uploads in an FC OSS trigger event (`{events: [{eventName: 'ObjectCreated:*', oss: {bucket, object}}]}`); undefined for other events. */
export function parseOssEvent(decoded: unknown): OssUpload[] | undefined {
  if (!isRecord(decoded) || !Array.isArray(decoded.events)) return undefined;
  const out: OssUpload[] = [];
  for (const e of decoded.events) {
    if (!isRecord(e) || !isRecord(e.oss)) return undefined;
    if (typeof e.eventName === 'string' && !e.eventName.startsWith('ObjectCreated:')) continue;
    const bucket = isRecord(e.oss.bucket) ? e.oss.bucket.name : undefined;
    const object = isRecord(e.oss.object) ? e.oss.object : {};
    // GUESS (FACTS.md is silent): keys arrive percent-encoded as in OSS's own event samples; versionId on versioned buckets.
    let key = typeof object.key === 'string' ? object.key : '';
    try {
      key = decodeURIComponent(key);
    } catch {
      // left as received; the route match or the validator names it
    }
    const version = typeof object.versionId === 'string' && object.versionId ? object.versionId : typeof object.eTag === 'string' ? object.eTag : '';
    out.push({ bucket: typeof bucket === 'string' ? bucket : '', key, version });
  }
  return out;
}

/** Whether an event is the loop's timer (`payload` `{"loop":"sweep"}`). */
export function isSweepEvent(decoded: unknown): boolean {
  if (!isRecord(decoded) || !('triggerTime' in decoded || 'triggerName' in decoded)) return false;
  const p = decoded.payload;
  try {
    const payload = typeof p === 'string' ? JSON.parse(p) : p;
    return isRecord(payload) && payload.loop === 'sweep';
  } catch {
    return false;
  }
}

/** The first route whose prefix and suffix (case-sensitive, as OSS filters) match the key. */
export function matchRoute(routes: readonly LoopRoute[], key: string): LoopRoute | undefined {
  return routes.find((r) => key.startsWith(r.prefix) && (!r.suffixes || r.suffixes.length === 0 || r.suffixes.some((s) => key.endsWith(s))));
}

/** The preset's request for an uploaded object: exactly what the handler's submit of that preset on it would build. */
export function fillRequest(preset: Readonly<Record<string, unknown>>, upload: OssUpload, api: Api): Record<string, unknown> {
  return presetRequest(preset, `oss://${upload.bucket}/${upload.key}`, api);
}

/** UserData with the ledger token merged in (the service's limit applies); an error text when it cannot be. */
export function withToken(userData: unknown, token: string, api: Api): { ok: true; value: unknown } | { ok: false; reason: string } {
  return mergeUserData(userData, { [LOOP_TOKEN_KEY]: token }, api);
}

/** The ledger token a job's UserData carries, if any. */
export function tokenOf(userData: unknown): string | undefined {
  let parsed: unknown = userData;
  if (typeof userData === 'string') {
    try {
      parsed = JSON.parse(userData);
    } catch {
      return undefined;
    }
  }
  return isRecord(parsed) && typeof parsed[LOOP_TOKEN_KEY] === 'string' ? (parsed[LOOP_TOKEN_KEY] as string) : undefined;
}

function issueText(issues: readonly ValidationIssue[]): string {
  return issues
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
}

/** One loop per (credentials, endpoints, settings) in a warm instance. */
export class Loop {
  readonly ledger: JobLedger;
  readonly client: IProductionClient;
  readonly sweepClient: IProductionClient;
  readonly settings: RuntimeSettings;
  private readonly presets?: Presets;
  private readonly publisher?: MnsPublisher;
  private readonly callbacks?: MnsQueueConsumer;
  private readonly slots = new Slots(SUBMIT_SLOTS);
  private readonly nextQuery = new Map<string, { at: number; delay: number }>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly windowMs: number;
  private optionalDrain = false;
  private readonly settling = new Map<string, Promise<LedgerRow>>();
  /** When this instance last handled an ICE callback. */
  private lastCallbackAt = -Infinity;
  private lastEmptyDrainAt = -Infinity;

  constructor(readonly config: LoopConfig, deps: LoopDeps) {
    this.settings = deps.settings;
    this.client = deps.client;
    this.sweepClient = deps.sweepClient ?? deps.client;
    this.presets = deps.presets;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.windowMs = (config.reconcileWindowSeconds ?? DEFAULT_RECONCILE_WINDOW_SECONDS) * 1000;
    const credentials = deps.settings.credential;
    if (!credentials) throw new Error('the loop needs context.credentials (the function role\'s STS keys), got none');
    const region = deps.settings.region;
    this.ledger = new JobLedger({
      endpoint: deps.env[RUNTIME_ENV.otsEndpoint] || otsEndpointOf(config.instance, region),
      instanceName: config.instance,
      tableName: config.table,
      credentials,
      now: this.now,
    });
    const mnsEndpoint = deps.env[RUNTIME_ENV.mnsEndpoint] || undefined;
    if ((config.topic || config.callbackQueue) && !deps.accountId) {
      throw new Error('the loop needs the account id (context.accountId or FC_ACCOUNT_ID) to reach MNS, got none');
    }
    const mns = { accountId: deps.accountId ?? '', region, ...(mnsEndpoint ? { endpoint: mnsEndpoint } : {}), credentials };
    if (config.topic) this.publisher = new MnsPublisher({ ...mns, topicName: config.topic });
    if (config.callbackQueue) this.callbacks = new MnsQueueConsumer({ ...mns, queueName: config.callbackQueue });
  }

  private get api(): Api {
    return this.settings.api;
  }

  /**
   * Drains ICE's event callbacks from the `ice-callback-*` queue: each names a JobId, which is queried and settled
   * (a message is deleted only after its row moved, so a crash leaves it to be received again).
   */
  async consumeCallbacks(
    maxBatches = 16,
    options: { waitSeconds?: number; onRow?: (row: LedgerRow) => void; max?: number; whileQueriesIdle?: boolean; via?: IProductionClient } = {},
  ): Promise<number> {
    if (!this.callbacks) return 0;
    // Optional drains (upload invocations) run one at a time per instance, and not again within a second of finding
    // the queue empty: a burst of uploads does not turn into a burst of empty receives.
    if (options.whileQueriesIdle) {
      if (this.optionalDrain || this.now() - this.lastEmptyDrainAt < OPTIONAL_DRAIN_QUIET_MS) return 0;
      this.optionalDrain = true;
    }
    try {
      return await this.drain(maxBatches, options);
    } finally {
      if (options.whileQueriesIdle) this.optionalDrain = false;
    }
  }

  private async drain(
    maxBatches: number,
    options: { waitSeconds?: number; onRow?: (row: LedgerRow) => void; max?: number; whileQueriesIdle?: boolean; via?: IProductionClient },
  ): Promise<number> {
    if (!this.callbacks) return 0;
    let handled = 0;
    for (let b = 0; b < maxBatches; b++) {
      // Optional drains (busy upload invocations) take a message only when its query would go at once: an upload
      // invocation never waits on the query limit, which is half the submit limit.
      const via = options.via ?? this.client;
      if (options.whileQueriesIdle && via.wouldWait('QueryIProductionJob')) break;
      // Only the first receive long-polls: once messages flow, the rest of the batch is taken at once.
      const messages = await this.callbacks.receive({ max: options.max ?? 16, waitSeconds: b === 0 ? options.waitSeconds ?? 0 : 0 });
      if (messages.length === 0) {
        this.lastEmptyDrainAt = this.now();
        break;
      }
      // A batch's messages are settled side by side (their queries still queue at the limiter), then the settled
      // ones are deleted in one request; a message whose job could not be settled stays, to be received again.
      const outcomes = await Promise.allSettled(
        messages.map(async (m) => {
          const jobId = callbackJobId(m.body);
          if (jobId) {
            const { row } = await this.onJobNotification(jobId, via);
            if (row) options.onRow?.(row);
          }
          return m.receiptHandle;
        }),
      );
      const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      if (done.length > 0) this.lastCallbackAt = this.now();
      await this.callbacks.deleteBatch(done);
      handled += done.length;
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failure) throw failure.reason;
    }
    return handled;
  }

  /**
   * Why the deployment cannot submit this upload's job (the row becomes Rejected with it), or the request to submit.
   * The same checks, in the same order, as the handler's submit of a preset.
   */
  prepare(upload: OssUpload, route: LoopRoute): { request: Record<string, unknown> } | { problem: string; code: string; request?: unknown } {
    if (!upload.bucket || !upload.key || !upload.version) {
      return { problem: `the OSS event must name the bucket, the object key and its ETag or versionId, got ${JSON.stringify(upload)}`, code: 'InvalidEvent' };
    }
    const preset = this.presets && Object.prototype.hasOwnProperty.call(this.presets, route.preset) ? this.presets[route.preset] : undefined;
    if (!preset) {
      const names = Object.keys(this.presets ?? {});
      return { problem: `route ${JSON.stringify(route.prefix)} names preset ${JSON.stringify(route.preset)}, which must be one of the presets deployed with this function (${names.join(', ') || 'none'})`, code: 'UnknownPreset' };
    }
    const given = fillRequest(preset, upload, this.api);
    const refusals = scopeRefusals(given, 'iProduction', this.settings.scope ?? {});
    if (refusals.length > 0) {
      return { problem: `refused by rule ${refusals[0].rule}: ${refusals.map((r) => r.message).join('; ')}`, code: 'RequestRefused', request: given };
    }
    let request: Record<string, unknown>;
    try {
      request = applyDeploymentDefaults(given, 'iProduction', this.api, this.settings);
    } catch (err) {
      if (err instanceof JobValidationError) return { problem: `request is invalid: ${issueText(err.issues)}`, code: 'InvalidRequest', request: given };
      throw err;
    }
    const issues = validateIProductionJob(request, { region: this.settings.region, api: this.api });
    if (hasErrors(issues)) return { problem: `request is invalid: ${issueText(issues)}`, code: 'InvalidRequest', request };
    if (tokenOf(request.UserData) !== undefined) {
      return { problem: `UserData key ${LOOP_TOKEN_KEY} is reserved for the ledger token, got it in the preset's UserData`, code: 'InvalidRequest', request };
    }
    return { request };
  }

  /** Records, then submits, one upload. Never throws for bad input: that becomes a Rejected row. */
  async onUpload(upload: OssUpload): Promise<{ id?: string; state: string; skipped?: string }> {
    const route = matchRoute(this.config.routes, upload.key);
    if (!route) return { state: 'Skipped', skipped: `no route matches ${JSON.stringify(upload.key)}` };
    const identity = { bucket: upload.bucket || '?', objectKey: upload.key || '?', version: upload.version || 'none', preset: route.preset };
    const prepared = this.prepare(upload, route);
    const { row } = await this.ledger.record(identity, { request: prepared.request, meta: { route: route.prefix, api: this.api } });
    if ('problem' in prepared && row.state === 'Received') {
      const r = await this.ledger.reject(row, prepared.problem, prepared.code);
      const after = r.row ? await this.deliverIfTerminal(r.row) : row;
      return { id: row.id, state: after.state };
    }
    // A redelivered event after a crash continues from the row's state (docs/ledger.md, "After a crash").
    const after = await this.advance(row);
    return { id: row.id, state: after.state };
  }

  /** Moves a row as far as it can go now. */
  async advance(row: LedgerRow, via: IProductionClient = this.client): Promise<LedgerRow> {
    if (row.state === 'Received') return this.submit(row);
    if (row.state === 'Submitting') {
      // The service answered the last attempt without taking the job (throttled, or failed before processing it):
      // no job carries that token, so a new attempt is safe.
      if (row.errorCode === NOT_ACCEPTED_CODE) return this.submit(row);
      const since = row.submittingSince ?? row.updatedAt;
      if (this.now() - since < this.windowMs) return row;
      if (this.config.resubmitOnUnknown?.includes(row.preset)) return this.submit(row);
      const r = await this.ledger.markUnknown(row, `the submit's outcome was not learnt within the reconciliation window of ${this.windowMs / 1000} s (token ${row.token})`);
      return r.row ? this.deliverIfTerminal(r.row) : row;
    }
    if (row.state === 'Submitted' && row.jobId) {
      // Queries back off per row (doubling from 1 s, capped at 16 s, so a finished job is found within about 16 s
      // plus a sweep period without any notification); the client's limiter keeps them within the QPS share.
      let due = this.nextQuery.get(row.id);
      const now = this.now();
      if (!due && now - this.lastCallbackAt < CALLBACKS_FLOWING_MS) {
        // ICE's callbacks are arriving and settle rows within moments of their job's end: polling is the fallback
        // for a callback that is late or lost, from the backoff's cap after the submit, not from the first second.
        const since = row.submittedAt ?? row.updatedAt;
        due = { at: since + QUERY_BACKOFF_MAX_MS, delay: QUERY_BACKOFF_MAX_MS / 2 };
        this.nextQuery.set(row.id, due);
      }
      if (due && now < due.at) return row;
      const delay = due ? Math.min(QUERY_BACKOFF_MAX_MS, due.delay * 2) : QUERY_BACKOFF_MIN_MS;
      this.nextQuery.set(row.id, { at: now + delay, delay });
      if (this.nextQuery.size > 100_000) this.nextQuery.delete(this.nextQuery.keys().next().value as string);
      const after = await this.query(row, via);
      if (after.state !== 'Submitted') this.nextQuery.delete(row.id);
      return after;
    }
    return this.deliverIfTerminal(row);
  }

  /**
   * Claims are admitted a few at a time, so that a claimed row's submit leaves at once instead of waiting in the
   * limiter's queue: a crash then rarely falls between claim and send (which would leave the row to the window).
   */
  private async submit(row: LedgerRow): Promise<LedgerRow> {
    await this.slots.take();
    try {
      return await this.submitNow(row);
    } finally {
      this.slots.give();
    }
  }

  private async submitNow(row: LedgerRow): Promise<LedgerRow> {
    const claimed = await this.ledger.claimSubmit(row);
    if (!claimed.moved) return claimed.row ?? row;
    const current = claimed.row;
    const request = { ...(JSON.parse(current.request ?? '{}') as Record<string, unknown>) };
    const userData = withToken(request.UserData, current.token!, this.api);
    if (!userData.ok) {
      const r = await this.ledger.reject(current, userData.reason, 'UserDataTooLong');
      return r.row ? this.deliverIfTerminal(r.row) : current;
    }
    request.UserData = userData.value;
    try {
      const answer = await this.client.submitIProductionJob(request as never);
      const r = await this.ledger.markSubmitted(current, answer.JobId);
      return r.row ?? current;
    } catch (err) {
      if (err instanceof UnknownOutcomeError) return current; // waits for the window (docs/loop.md)
      if (err instanceof JobValidationError || ((err instanceof IceApiError || err instanceof IceNetworkError) && err.kind === 'permanent')) {
        const r = await this.ledger.reject(current, `the service refused the job: ${err.message}`, err instanceof JobValidationError ? 'InvalidRequest' : err.code);
        return r.row ? this.deliverIfTerminal(r.row) : current;
      }
      if ((err instanceof IceApiError || err instanceof IceNetworkError) && (err.kind === 'throttling' || err.kind === 'transient')) {
        // Answered, not taken: the next advance (this sweep's or the next) sends a new attempt.
        const r = await this.ledger.markNotAccepted(current, `the service did not take the job: ${err.message}`);
        return r.row ?? current;
      }
      throw err;
    }
  }

  private async query(row: LedgerRow, via: IProductionClient): Promise<LedgerRow> {
    const job = await via.queryIProductionJob(row.jobId!);
    return this.settle(row, job);
  }

  /**
   * Records a job's terminal status on its row and delivers it: the result is published first, so that one write
   * records both the result and its delivery. A crash between the two leaves the row Submitted; it is queried and
   * published again (the same dedupeId). When the publish fails, the result is still recorded, undelivered.
   */
  async settle(row: LedgerRow, job: { JobId: string; Status: string; RawStatus?: string }): Promise<LedgerRow> {
    if (job.Status !== 'Success' && job.Status !== 'Fail') return row;
    // One settle per row at a time in this instance (a callback and a pass finding the same job): the second waits
    // for the first and sees the row it left, instead of publishing the result a second time.
    const running = this.settling.get(row.id);
    if (running) return running;
    const settling = this.settleNow(row, { ...job, Status: job.Status }).finally(() => this.settling.delete(row.id));
    this.settling.set(row.id, settling);
    return settling;
  }

  private async settleNow(row: LedgerRow, job: { JobId: string; Status: 'Success' | 'Fail'; RawStatus?: string }): Promise<LedgerRow> {
    let current = row;
    if (current.state === 'Submitting') {
      const r = await this.ledger.markSubmitted(current, job.JobId);
      if (!r.row) return current;
      current = r.row;
    }
    if (current.state !== 'Submitted') return this.deliverIfTerminal(current);
    const fields = { status: job.RawStatus ?? job.Status, result: JSON.stringify(job) };
    let publishError: unknown;
    try {
      await this.publish({ ...current, ...fields, state: job.Status });
    } catch (err) {
      publishError = err;
    }
    const r = await this.ledger.complete(current, job.Status, fields, { delivered: publishError === undefined });
    // The result is recorded either way; an undelivered one is published by the next pass over the row.
    if (publishError !== undefined) throw publishError;
    return r.row ? this.deliverIfTerminal(r.row) : current;
  }

  /** A notification named a job: query it, find its row by the token in its UserData, settle it (no row: not a loop job). */
  async onJobNotification(jobId: string, via: IProductionClient = this.client): Promise<{ job: IProductionJob; row?: LedgerRow }> {
    // Urgent: a finished job's result waits on this query, so it goes ahead of the sweep's routine polls.
    const job = await via.queryIProductionJob(jobId, { urgent: true });
    const token = tokenOf(job.UserData);
    const row = await this.ledger.findByToken(token);
    if (!row) return { job };
    const attempt = parseLedgerToken(token)?.attempt;
    // A Submitting row on a later attempt than this job's is not this job's to settle.
    if (row.state === 'Submitting' && attempt !== row.attempts) return { job, row };
    return { job, row: await this.settle(row, job) };
  }

  private async deliverIfTerminal(row: LedgerRow): Promise<LedgerRow> {
    return TERMINAL_STATES.includes(row.state) && !row.delivered ? this.deliver(row) : row;
  }

  /** Publishes the row's result (dedupeId = messageId), then marks it delivered. */
  async deliver(row: LedgerRow): Promise<LedgerRow> {
    if (!TERMINAL_STATES.includes(row.state) || row.delivered) return row;
    await this.publish(row);
    const r = await this.ledger.markDelivered(row);
    return r.row ?? row;
  }

  /** Publishes a (terminal) row's result to the app's topic, if the deployment has one. */
  private async publish(row: LedgerRow): Promise<void> {
    if (!this.publisher) return;
    const payload: LoopResultMessage = {
      id: row.id,
      state: row.state,
      bucket: row.bucket,
      objectKey: row.objectKey,
      version: row.version,
      preset: row.preset,
      ...(row.jobId ? { jobId: row.jobId } : {}),
      ...(row.status ? { status: row.status } : {}),
      ...(row.result ? { result: JSON.parse(row.result) } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.errorCode ? { errorCode: row.errorCode } : {}),
    };
    await this.publisher.publish({ dedupeId: row.messageId, payload }, { tag: row.state });
  }

  /**
   * The timer sweep: every open row moves on (claimed, queried, timed out or delivered). With `sweepSeconds`, the
   * invocation then keeps the rows it read and passes over them again (a second apart, reading the ledger again
   * every 15 s) until the time is up, while ICE's callback queue is long-polled side by side for the whole time:
   * completion is found within moments of a callback (its query goes ahead of the passes' polls), and within the
   * query backoff's cap (16 s) without one, not a minute later at the next tick.
   */
  async sweep(): Promise<{ seen: number; states: Record<string, number>; errors: number; callbacks: number; passes: number; firstError?: string }> {
    const deadline = this.now() + (this.config.sweepSeconds ?? 0) * 1000;
    const rows = new Map<string, LedgerRow>();
    const keep = (row: LedgerRow) => {
      if (row.open) rows.set(row.id, row);
      else rows.delete(row.id);
    };
    const long = (this.config.sweepSeconds ?? 0) > 0;
    let errors = 0;
    let firstError: string | undefined;
    const failed = (err: unknown) => {
      errors++;
      firstError ??= err instanceof Error ? err.message : String(err);
    };
    let passesDone = false;
    let callbacks = 0;
    let queueError: unknown;
    const consumer = (async () => {
      if (!this.callbacks) return;
      try {
        callbacks += await this.consumeCallbacks(16, { via: this.sweepClient, onRow: keep });
        // Long-polls in steps of at most 5 s that end by the deadline: the sweep never outlives its time by a poll.
        for (;;) {
          const left = Math.floor((deadline - this.now()) / 1000);
          if (!long || passesDone || left < 1) return;
          callbacks += await this.consumeCallbacks(16, { waitSeconds: Math.min(5, left), onRow: keep, via: this.sweepClient });
        }
      } catch (err) {
        // The queue unreachable: the passes still find every completion; the sweep fails at its end (FC retries it,
        // then the failed-invocations queue shows it), and the next sweep tries the queue again.
        queueError = err;
      }
    })();
    const limit = this.config.sweepRows ?? 2000;
    let seen = 0;
    let scannedAt = 0;
    const scan = async () => {
      scannedAt = this.now();
      let cursor: string | undefined;
      let scanned = 0;
      do {
        const page = await this.ledger.listOpen({ limit: 200, ...(cursor ? { cursor } : {}) });
        cursor = page.cursor;
        for (const row of page.rows) if (!rows.has(row.id)) rows.set(row.id, row);
        scanned += page.rows.length;
      } while (cursor && scanned < limit);
      seen = Math.max(seen, scanned);
    };
    let states: Record<string, number> = {};
    let passes = 0;
    try {
      await scan();
      for (;;) {
        // A long sweep reads the ledger again now and then: rows created since (a submit whose callback never comes)
        // are found within this interval plus the query backoff, not at the next minute's sweep.
        if (passes > 0 && this.now() - scannedAt >= RESCAN_INTERVAL_MS) await scan();
        passes++;
        states = {};
        const work = [...rows.values()];
        let next = 0;
        const worker = async () => {
          while (next < work.length) {
            // A row a callback settled meanwhile has left the map: nothing to do for it.
            const row = rows.get(work[next++].id);
            if (!row) continue;
            try {
              // A long sweep stops at its deadline, mid-pass if need be: the next minute's sweep takes the rest, and
              // two sweeps never spend the sweep's budget at once.
              if (long && this.now() >= deadline) return;
              const after = await this.advance(row, this.sweepClient);
              states[after.state] = (states[after.state] ?? 0) + 1;
              keep(after);
            } catch (err) {
              // One row's failure must not stop the others; it stays open for the next pass or sweep.
              failed(err);
            }
          }
        };
        await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
        const left = deadline - this.now();
        if (left <= 0) break;
        // Without rows to watch or a queue to poll, nothing is left to do until the next tick.
        if (rows.size === 0 && !this.callbacks) break;
        await this.sleep(Math.min(1000, left));
      }
    } finally {
      passesDone = true;
      await consumer;
    }
    if (queueError !== undefined) throw queueError;
    return { seen, states, errors, callbacks, passes, ...(firstError !== undefined ? { firstError } : {}) };
  }
}

/** The JobId an ICE callback (`{EventType, MessageBody: {JobId}}`, plain or base64 JSON) names. */
export function callbackJobId(body: string): string | undefined {
  for (const text of [body, Buffer.from(body, 'base64').toString('utf8')]) {
    try {
      const envelope = JSON.parse(text);
      const inner = typeof envelope?.MessageBody === 'string' ? JSON.parse(envelope.MessageBody) : envelope?.MessageBody;
      const jobId = inner?.JobId ?? inner?.jobId;
      if (typeof jobId === 'string' && jobId) return jobId;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}
