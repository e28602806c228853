/**
 * The production loop inside the function: an upload becomes a ledger row, the row a submitted job, the job a
 * delivered result. Every step is a conditional ledger write first, so duplicated OSS events, FC retries, crashed
 * instances and several instances at once submit each job once and deliver each result once per row (docs/loop.md).
 *
 * @internal plumbing of the handler; the public contract is the events it answers and the messages it publishes.
 */
import { hasErrors, validateIProductionJob, type IProductionJob, type ValidationIssue } from '../jobs';
import { otsEndpointOf, RUNTIME_ENV, type Api } from '../service';
import { isRecord } from '../util/values';
import { IProductionClient } from './client';
import { IceApiError, UnknownOutcomeError } from './errors';
import type { FcContext, HandlerEnv } from './handler-settings';
import { JobLedger, LedgerError, parseLedgerToken, TERMINAL_STATES, type LedgerRow } from './ledger';
import { MnsPublisher, MnsQueueConsumer } from './mns';

/** Environment variables of the loop (the construct writes the first two; the others point it at endpoints). */
export const LOOP_ENV = {
  config: RUNTIME_ENV.loop,
  maxInstances: RUNTIME_ENV.maxInstances,
  otsEndpoint: RUNTIME_ENV.otsEndpoint,
  mnsEndpoint: RUNTIME_ENV.mnsEndpoint,
} as const;

/** The token's key inside a job's UserData JSON. */
export const LOOP_TOKEN_KEY = 'iprodToken';

export interface LoopRoute {
  /** Object keys starting with this (after URL-decoding) take this route. */
  readonly prefix: string;
  /** ...and ending with one of these (case-insensitive); empty or absent: any. */
  readonly suffixes?: readonly string[];
  readonly preset: string;
}

export interface LoopPreset {
  /**
   * The request template. `Input` is replaced by the uploaded object; in `Output.Media`, `{objectDir}` (the key's
   * folder, with a trailing '/' unless empty), `{objectName}` (the file name without extension) and `{objectKey}` are
   * filled; service placeholders such as `{sequenceId}` are left alone.
   */
  readonly request: Record<string, unknown>;
  /** What a submit whose outcome cannot be known becomes. 'resubmit' risks a duplicate job. @default 'unknown' */
  readonly onUnknownOutcome?: 'unknown' | 'resubmit';
}

export interface LoopConfig {
  readonly routes: readonly LoopRoute[];
  readonly presets: Readonly<Record<string, LoopPreset>>;
  /** Tablestore instance and table of the ledger. */
  readonly instance: string;
  readonly table: string;
  /** The app's results topic. */
  readonly topic?: string;
  /** How long a Submitting row waits for a notification before it ends Unknown. @default 600000 */
  readonly reconcileWindowMs?: number;
  /** The service's SubmitIProductionJob QPS limit shared among instances. @default 100 */
  readonly submitQps?: number;
  /** Open rows one sweep looks at. @default 2000 */
  readonly sweepRows?: number;
  /** An `ice-callback-*` queue ICE's event callback delivers to: drained on every sweep tick. */
  readonly callbackQueue?: string;
}

export interface LoopContext {
  readonly region: string;
  readonly api: Api;
  readonly endpoint?: string;
  readonly protocol?: 'http' | 'https';
  readonly credential: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  readonly accountId?: string;
  readonly pipelineId?: string;
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

const DEFAULT_WINDOW_MS = 600_000;
/** Submits in flight per instance (see Loop.submit). */
const SUBMIT_SLOTS = 4;
const QUERY_BACKOFF_MIN_MS = 1_000;
const QUERY_BACKOFF_MAX_MS = 16_000;

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
const USER_DATA_LIMIT = 256;

/** The loop's configuration from the environment; undefined when the deployment has no loop. */
export function loopConfigFromEnv(env: HandlerEnv): LoopConfig | { error: string } | undefined {
  const raw = env[LOOP_ENV.config];
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { error: `${LOOP_ENV.config} must be JSON, got ${raw.slice(0, 60)}` };
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.routes) || !isRecord(parsed.presets) || typeof parsed.table !== 'string' || typeof parsed.instance !== 'string') {
    return { error: `${LOOP_ENV.config} must hold routes (array), presets (object), instance and table (strings)` };
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

export function matchRoute(routes: readonly LoopRoute[], key: string): LoopRoute | undefined {
  return routes.find(
    (r) => key.startsWith(r.prefix) && (!r.suffixes || r.suffixes.length === 0 || r.suffixes.some((s) => key.toLowerCase().endsWith(s.toLowerCase()))),
  );
}

/** The preset's request filled with the uploaded object. */
export function fillRequest(preset: LoopPreset, upload: OssUpload): Record<string, unknown> {
  const slash = upload.key.lastIndexOf('/');
  const dir = slash >= 0 ? upload.key.slice(0, slash + 1) : '';
  const file = upload.key.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const name = dot > 0 ? file.slice(0, dot) : file;
  const fill = (s: string) => s.split('{objectDir}').join(dir).split('{objectName}').join(name).split('{objectKey}').join(upload.key);
  const request: Record<string, unknown> = JSON.parse(JSON.stringify(preset.request));
  request.Input = { Type: 'OSS', Media: `oss://${upload.bucket}/${upload.key}` };
  if (isRecord(request.Output) && typeof request.Output.Media === 'string') {
    request.Output = { ...request.Output, Media: fill(request.Output.Media) };
  }
  return request;
}

/** UserData with the ledger token merged in; an error text when it cannot fit the service's limit. */
export function withToken(userData: unknown, token: string): string | { error: string } {
  let base: Record<string, unknown> = {};
  if (typeof userData === 'string' && userData !== '') {
    try {
      const parsed = JSON.parse(userData);
      if (!isRecord(parsed)) return { error: `UserData must be a JSON object to carry the ledger token, got ${userData.slice(0, 40)}` };
      base = parsed;
    } catch {
      return { error: `UserData must be a JSON object to carry the ledger token, got ${userData.slice(0, 40)}` };
    }
  } else if (isRecord(userData)) {
    base = userData;
  }
  const text = JSON.stringify({ ...base, [LOOP_TOKEN_KEY]: token });
  if (Buffer.byteLength(text, 'utf8') > USER_DATA_LIMIT) {
    return { error: `UserData with the ledger token must be at most ${USER_DATA_LIMIT} bytes, got ${Buffer.byteLength(text, 'utf8')}` };
  }
  return text;
}

/** The ledger token a job's UserData carries, if any. */
export function tokenOf(userData: unknown): string | undefined {
  if (typeof userData !== 'string') return undefined;
  try {
    const parsed = JSON.parse(userData);
    return isRecord(parsed) && typeof parsed[LOOP_TOKEN_KEY] === 'string' ? (parsed[LOOP_TOKEN_KEY] as string) : undefined;
  } catch {
    return undefined;
  }
}

function issueText(issues: readonly ValidationIssue[]): string {
  return issues
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
}

export interface LoopCounters {
  submits: number;
  unknownOutcomes: number;
  rejected: number;
  completed: number;
  delivered: number;
  queries: number;
}

/** One loop per (credentials, endpoints) in a warm instance. */
export class Loop {
  readonly ledger: JobLedger;
  readonly client: IProductionClient;
  private readonly publisher?: MnsPublisher;
  private readonly callbacks?: MnsQueueConsumer;
  private readonly slots = new Slots(SUBMIT_SLOTS);
  private readonly nextQuery = new Map<string, { at: number; delay: number }>();
  readonly counters: LoopCounters = { submits: 0, unknownOutcomes: 0, rejected: 0, completed: 0, delivered: 0, queries: 0 };

  constructor(
    readonly config: LoopConfig,
    readonly ctx: LoopContext,
    env: HandlerEnv,
    private readonly now: () => number = Date.now,
  ) {
    const instances = Math.max(1, Number(env[LOOP_ENV.maxInstances] ?? '1') || 1);
    const qps = config.submitQps ?? 100;
    this.ledger = new JobLedger({
      endpoint: env[LOOP_ENV.otsEndpoint] || otsEndpointOf(config.instance, ctx.region),
      instanceName: config.instance,
      tableName: config.table,
      credentials: ctx.credential,
      now,
    });
    this.client = new IProductionClient({
      region: ctx.region,
      ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
      ...(ctx.protocol ? { protocol: ctx.protocol } : {}),
      credential: ctx.credential,
      api: ctx.api,
      // The limit is the account's; each of the instances plans its share.
      rateLimits: { SubmitIProductionJob: qps / instances, QueryIProductionJob: 50 / instances },
      now,
    });
    if (config.topic && ctx.accountId) {
      this.publisher = new MnsPublisher({
        accountId: ctx.accountId,
        region: ctx.region,
        ...(env[LOOP_ENV.mnsEndpoint] ? { endpoint: env[LOOP_ENV.mnsEndpoint] } : {}),
        credentials: ctx.credential,
        topicName: config.topic,
      });
    }
    if (config.callbackQueue && ctx.accountId) {
      this.callbacks = new MnsQueueConsumer({
        accountId: ctx.accountId,
        region: ctx.region,
        ...(env[LOOP_ENV.mnsEndpoint] ? { endpoint: env[LOOP_ENV.mnsEndpoint] } : {}),
        credentials: ctx.credential,
        queueName: config.callbackQueue,
      });
    }
  }

  /**
   * Drains ICE's event callbacks from the `ice-callback-*` queue: each names a JobId, which is queried and settled
   * (a message is deleted only after its row moved, so a crash leaves it to be received again).
   */
  async consumeCallbacks(maxBatches = 16): Promise<number> {
    if (!this.callbacks) return 0;
    let handled = 0;
    for (let b = 0; b < maxBatches; b++) {
      const messages = await this.callbacks.receive({ max: 16, waitSeconds: 0 });
      if (messages.length === 0) break;
      for (const m of messages) {
        const jobId = callbackJobId(m.body);
        if (jobId) await this.onJobNotification(jobId);
        await this.callbacks.delete(m.receiptHandle);
        handled++;
      }
    }
    return handled;
  }

  /** Records, then submits, one upload. Never throws for bad input: that becomes a Rejected row. */
  async onUpload(upload: OssUpload): Promise<{ id?: string; state: string; skipped?: string }> {
    const route = matchRoute(this.config.routes, upload.key);
    if (!route) return { state: 'Skipped', skipped: `no route matches ${JSON.stringify(upload.key)}` };
    const identity = { bucket: upload.bucket || '?', objectKey: upload.key || '?', version: upload.version || 'none', preset: route.preset };
    const preset = this.config.presets[route.preset];
    let problem: string | undefined;
    let request: Record<string, unknown> | undefined;
    if (!upload.bucket || !upload.key || !upload.version) {
      problem = `the OSS event must name bucket, object key and ETag or versionId, got ${JSON.stringify(upload)}`;
    } else if (!preset) {
      problem = `route ${route.prefix} names preset ${JSON.stringify(route.preset)}, which the deployment does not hold`;
    } else {
      request = fillRequest(preset, upload);
      const issues = validateIProductionJob(request, { region: this.ctx.region, api: this.ctx.api });
      if (hasErrors(issues)) problem = `request is invalid: ${issueText(issues)}`;
    }
    const { row } = await this.ledger.record(identity, { request, meta: { route: route.prefix } });
    if (problem !== undefined && row.state === 'Received') {
      const r = await this.ledger.reject(row, problem, 'InvalidRequest');
      if (r.moved) this.counters.rejected++;
      if (r.row) await this.deliver(r.row);
      return { id: row.id, state: r.row?.state ?? 'Rejected' };
    }
    // A redelivered event after a crash continues from the row's state (docs/ledger.md, "After a crash").
    const after = await this.advance(row);
    return { id: row.id, state: after.state };
  }

  /** Moves a row as far as it can go now. */
  async advance(row: LedgerRow): Promise<LedgerRow> {
    if (row.state === 'Received') return this.submit(row);
    if (row.state === 'Submitting') {
      const since = row.submittingSince ?? row.updatedAt;
      if (this.now() - since < (this.config.reconcileWindowMs ?? DEFAULT_WINDOW_MS)) return row;
      if (this.config.presets[row.preset]?.onUnknownOutcome === 'resubmit') return this.submit(row);
      const r = await this.ledger.markUnknown(row, `the submit's outcome was not learnt within the reconciliation window (token ${row.token})`);
      if (r.moved) this.counters.unknownOutcomes++;
      return r.row ? this.deliverIfTerminal(r.row) : row;
    }
    if (row.state === 'Submitted' && row.jobId) {
      // Queries back off per row (doubling from 1 s, capped at 16 s, so a finished job is found within about 16 s
      // plus a sweep period without any notification); the client's limiter keeps them within the QPS share.
      const due = this.nextQuery.get(row.id);
      const now = this.now();
      if (due && now < due.at) return row;
      const delay = due ? Math.min(QUERY_BACKOFF_MAX_MS, due.delay * 2) : QUERY_BACKOFF_MIN_MS;
      this.nextQuery.set(row.id, { at: now + delay, delay });
      if (this.nextQuery.size > 100_000) this.nextQuery.delete(this.nextQuery.keys().next().value as string);
      const after = await this.query(row);
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
    if (this.ctx.pipelineId && request.ScheduleConfig === undefined && this.ctx.api === 'ice') request.ScheduleConfig = { PipelineId: this.ctx.pipelineId };
    const userData = withToken(request.UserData, current.token!);
    if (typeof userData !== 'string') {
      const r = await this.ledger.reject(current, userData.error, 'UserDataTooLong');
      if (r.moved) this.counters.rejected++;
      return r.row ? this.deliverIfTerminal(r.row) : current;
    }
    request.UserData = userData;
    try {
      this.counters.submits++;
      const answer = await this.client.submitIProductionJob(request as never);
      const r = await this.ledger.markSubmitted(current, answer.JobId);
      return r.row ?? current;
    } catch (err) {
      if (err instanceof UnknownOutcomeError) return current; // waits for the window (docs/loop.md)
      if (err instanceof IceApiError && err.kind === 'permanent') {
        const r = await this.ledger.reject(current, `the service refused the job: ${err.message}`, err.code);
        if (r.moved) this.counters.rejected++;
        return r.row ? this.deliverIfTerminal(r.row) : current;
      }
      // Throttling or transient errors that the client's retries did not overcome: the service did not accept the
      // job, so the row stays Submitting and the window decides (never a blind resend).
      return current;
    }
  }

  private async query(row: LedgerRow): Promise<LedgerRow> {
    this.counters.queries++;
    const job = await this.client.queryIProductionJob(row.jobId!);
    return this.settle(row, job);
  }

  /** Records a job's terminal status on its row and delivers it. */
  async settle(row: LedgerRow, job: { JobId: string; Status: string; RawStatus?: string }): Promise<LedgerRow> {
    if (job.Status !== 'Success' && job.Status !== 'Fail') return row;
    let current = row;
    if (current.state === 'Submitting') {
      const r = await this.ledger.markSubmitted(current, job.JobId);
      if (!r.row) return current;
      current = r.row;
    }
    if (current.state !== 'Submitted') return this.deliverIfTerminal(current);
    const r = await this.ledger.complete(current, job.Status, { status: job.RawStatus ?? job.Status, result: JSON.stringify(job) });
    if (r.moved) this.counters.completed++;
    return r.row ? this.deliverIfTerminal(r.row) : current;
  }

  /** A notification named a job: query it, find its row by the token in its UserData, settle it (no row: not a loop job). */
  async onJobNotification(jobId: string): Promise<{ job: IProductionJob; row?: LedgerRow }> {
    this.counters.queries++;
    const job = await this.client.queryIProductionJob(jobId);
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
    if (this.publisher) {
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
    const r = await this.ledger.markDelivered(row);
    if (r.moved) this.counters.delivered++;
    return r.row ?? row;
  }

  /** The timer sweep: every open row moves on (claimed, queried, timed out or delivered). */
  async sweep(): Promise<{ seen: number; states: Record<string, number>; errors: number; callbacks: number }> {
    const callbacks = await this.consumeCallbacks();
    const states: Record<string, number> = {};
    let seen = 0;
    let errors = 0;
    let cursor: string | undefined;
    const limit = this.config.sweepRows ?? 2000;
    do {
      const page = await this.ledger.listOpen({ limit: 200, ...(cursor ? { cursor } : {}) });
      cursor = page.cursor;
      let next = 0;
      const work = async () => {
        while (next < page.rows.length) {
          const row = page.rows[next++];
          try {
            const after = await this.advance(row);
            states[after.state] = (states[after.state] ?? 0) + 1;
          } catch (err) {
            errors++;
            if (!(err instanceof LedgerError) && !(err instanceof IceApiError) && !(err instanceof Error)) throw err;
          }
        }
      };
      await Promise.all([work(), work(), work(), work()]);
      seen += page.rows.length;
    } while (cursor && seen < limit);
    return { seen, states, errors, callbacks };
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

/** Builds the loop's context from the FC context and the handler's settings. */
export function loopContext(
  context: FcContext,
  env: HandlerEnv,
  settings: { region: string; api: Api; endpoint?: string; protocol?: 'http' | 'https'; credential?: LoopContext['credential']; pipelineId?: string },
): LoopContext | { error: string } {
  if (!settings.credential) return { error: 'the loop needs context.credentials (the function role\'s STS keys)' };
  const accountId = (context as { accountId?: string }).accountId || env.FC_ACCOUNT_ID;
  return {
    region: settings.region,
    api: settings.api,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.protocol ? { protocol: settings.protocol } : {}),
    credential: settings.credential,
    ...(accountId ? { accountId } : {}),
    ...(settings.pipelineId ? { pipelineId: settings.pipelineId } : {}),
  };
}
