/**
 * The Function Compute entry point (`index.handler` in the runtime bundle). It answers every event with a JSON
 * object and never rejects (a retry of a bad event can only fail again), with one exception: the production loop's
 * OSS upload and sweep events reject when the ledger, the service or MNS cannot be reached, so that FC retries them
 * and finally sends them to the on-failure queue (docs/loop.md); their bad input is answered and recorded, not thrown.
 */
import {
  hasErrors,
  scopeRefusals,
  validateIProductionJob,
  validateMediaProducingJob,
  type ScopeRefusal,
  type ValidationIssue,
} from '../jobs';
import { type Api, FC_ENV, RUNTIME_ENV } from '../service';
import { JobFailedError } from './errors';
import {
  decodeEvent,
  parseEvent,
  type HandlerEvent,
  type HandlerEventType,
  type JobEvent,
  type JobKind,
  type NotificationEvent,
  type SubmitEvent,
  type TimerEvent,
} from './events';
import { ClientCache, MAX_CACHED_CLIENTS } from './handler-clients';
import { applyDeploymentDefaults, resolveSettings, type FcContext, type HandlerEnv, type RuntimeSettings } from './handler-settings';
import { errorResponse, type ErrorResponse, toErrorBody } from './handler-errors';
import { isSweepEvent, Loop, loopConfigFromEnv, parseOssEvent, sweepReserve } from './loop';
import { loadPresets, presetRequest } from './presets';

export type { FcContext, FcCredentials, HandlerEnv } from './handler-settings';
export type { ErrorBody, ErrorResponse } from './handler-errors';

/**
 * FC stops a function at `context.function.timeout`; a wait must end early enough to still answer. The margin is
 * 10% of the timeout, kept between 1 and 5 seconds.
 */
export function waitSafetyMarginMs(functionTimeoutSeconds: number): number {
  return Math.min(5_000, Math.max(1_000, functionTimeoutSeconds * 100));
}

/** Used when the context carries no function timeout (a local call): FC always sets one. */
export const DEFAULT_WAIT_SECONDS = 60;
/** Queries a timer event runs at once: enough to finish a 100-job list quickly, few enough not to trip throttling. */
export const TIMER_QUERY_CONCURRENCY = 4;

export interface HandlerOptions {
  /** @default process.env, read on every invocation */
  readonly env?: HandlerEnv;
  /** Clock of the handler and of the clients it makes (wait deadlines). @default Date.now */
  readonly now?: () => number;
  /**
   * Pause between the clients' polls and retries; tests pass one that advances a virtual clock.
   * @default - a real timer, cleared on abort
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Receives one single-line JSON per event. @default console.log */
  readonly log?: (line: string) => void;
  /**
   * Where the code package is unpacked (presets shipped in it are read from here).
   * @default env FC_FUNC_CODE_PATH, else the directory of the running bundle
   */
  readonly codeDir?: string;
}

export type HandlerResponse = Record<string, unknown>;
export type Handler = (event: unknown, context?: FcContext) => Promise<HandlerResponse>;

interface Outcome {
  readonly response: HandlerResponse;
  readonly jobId?: string;
  readonly status?: string;
  /** Set when the request was refused for breaking a decision of the deployment; logged. */
  readonly refusal?: { rule: string; field: string; value: string };
}

/** The answer to a request outside what the stack was synthesized for: every broken rule, the first in front. */
function refusalOutcome(refusals: readonly ScopeRefusal[]): Outcome {
  const first = refusals[0];
  return {
    response: errorResponse('RequestRefused', `refused by rule ${first.rule}: ${refusals.map((r) => r.message).join('; ')}`, {
      rule: first.rule,
      field: first.field,
      value: first.value,
      refusals: refusals.map((r) => ({ rule: r.rule, field: r.field, value: r.value })),
    }),
    refusal: { rule: first.rule, field: first.field, value: first.value },
  };
}

interface LogFields {
  type: HandlerEventType;
  action?: string;
  kind?: JobKind;
  api?: Api;
  jobId?: string;
  jobs?: number;
  preset?: string;
}

function issueSummary(issues: readonly ValidationIssue[]): string {
  return issues
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
}

function statusOf(job: unknown): string | undefined {
  const s = (job as { Status?: unknown } | undefined)?.Status;
  return typeof s === 'string' ? s : undefined;
}

export function createHandler(options: HandlerOptions = {}): Handler {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  // Warm invocations reuse clients (and with them their rate limiters and keep-alive sockets).
  const clients = new ClientCache({
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
  });

  // Timeline editing exists on ICE only, so an MPS deployment (IPROD_API=mts) still answers media producing events.
  function clientFor(settings: RuntimeSettings, kind: JobKind, api: Api | undefined) {
    // With a production loop, every instance plans the limits less the sweep's budget, whatever the event.
    const env = options.env ?? process.env;
    const reserved = env[RUNTIME_ENV.loop] !== undefined ? sweepReserve() : {};
    return clients.get(settings, kind === 'mediaProducing' ? 'ice' : api, reserved);
  }

  const loops = new Map<string, Loop>();

  /**
   * The deployment's loop (undefined without IPROD_LOOP): one per settings and credentials in a warm instance, on the
   * instance's shared client, so uploads, sweeps and direct submits draw on one share of the QPS limit.
   */
  function loopFor(settings: RuntimeSettings, context: FcContext): Loop | undefined {
    const env = options.env ?? process.env;
    const config = loopConfigFromEnv(env);
    if (config === undefined) return undefined;
    if ('error' in config) throw new LoopConfigurationError(config.error);
    // The sweep's budget of the query limit is set aside from every instance's share (docs/loop.md).
    const reserved = sweepReserve();
    const client = clients.get(settings, undefined, reserved);
    const sweepClient = clients.get(settings, undefined, reserved, true);
    const accountId = (typeof context.accountId === 'string' && context.accountId) || env[FC_ENV.accountId] || undefined;
    const key = JSON.stringify([env[RUNTIME_ENV.loop], env[RUNTIME_ENV.otsEndpoint], env[RUNTIME_ENV.mnsEndpoint], accountId, settings.credential, settings.region, settings.api]);
    let loop = loops.get(key);
    if (loop === undefined || loop.client !== client || loop.sweepClient !== sweepClient) {
      const presets = loadPresets(env, options.codeDir ?? process.env.FC_FUNC_CODE_PATH ?? __dirname);
      if (!presets.ok) throw new LoopConfigurationError(presets.message);
      try {
        loop = new Loop(config, { settings, client, sweepClient, env, ...(presets.presets ? { presets: presets.presets } : {}), ...(accountId ? { accountId } : {}), now, ...(options.sleep !== undefined ? { sleep: (ms: number) => options.sleep!(ms) } : {}) });
      } catch (err) {
        throw new LoopConfigurationError(err instanceof Error ? err.message : String(err));
      }
      loops.set(key, loop);
      while (loops.size > MAX_CACHED_CLIENTS) loops.delete(loops.keys().next().value as string);
    }
    return loop;
  }

  /**
   * OSS uploads and the sweep timer. Unlike the other events these reject when the ledger, the service or the topic
   * cannot be reached: FC retries the invocation (and finally sends it to the on-failure queue), and every step is a
   * conditional ledger write, so a retry repeats nothing that already happened. A deployment without a loop, or a
   * broken configuration, answers an error (a retry could only fail again).
   */
  async function onLoopEvent(rawEvent: unknown, context: FcContext): Promise<HandlerResponse | undefined> {
    let decoded: unknown;
    try {
      decoded = decodeEvent(rawEvent);
    } catch {
      return undefined;
    }
    const uploads = parseOssEvent(decoded);
    const sweep = uploads === undefined && isSweepEvent(decoded);
    if (uploads === undefined && !sweep) return undefined;
    const startedAt = now();
    const type = sweep ? 'sweep' : 'upload';
    let response: HandlerResponse;
    try {
      const settings = resolveSettings(context, options.env ?? process.env);
      if ('error' in settings) response = settings;
      else {
        const loop = loopFor(settings, context);
        if (!loop) response = errorResponse('NoLoop', `this deployment has no production loop (${RUNTIME_ENV.loop} is not set), got an ${type} event`);
        else if (sweep) response = { sweep: await loop.sweep() };
        else {
          const rows = [];
          for (const upload of uploads!) rows.push(await loop.onUpload(upload));
          // Busy periods drain ICE's callbacks on every instance, not only in the sweep: a few messages, and only
          // while their queries go at once (the upload never waits on the query limit). The uploads are done, so a
          // failed drain is answered, not retried (the sweep drains what is left).
          let callbacks: number | { error: string };
          try {
            callbacks = await loop.consumeCallbacks(4, { max: 2, whileQueriesIdle: true });
          } catch (err) {
            callbacks = { error: err instanceof Error ? err.message.slice(0, 300) : String(err) };
          }
          response = { uploads: rows, callbacks };
        }
      }
    } catch (err) {
      if (!(err instanceof LoopConfigurationError)) {
        writeLog(log, { requestId: context.requestId, event: type, outcome: 'retry', error: err instanceof Error ? err.message.slice(0, 500) : String(err), ms: now() - startedAt });
        throw err;
      }
      response = errorResponse('InvalidConfiguration', err.message);
    }
    const error = (response as Partial<ErrorResponse>).error;
    writeLog(log, { requestId: context.requestId, event: type, outcome: error ? `error:${error.code}` : 'ok', ...(uploads ? { uploads: uploads.length } : {}), ms: now() - startedAt });
    return response;
  }

  async function query(settings: RuntimeSettings, kind: JobKind, api: Api | undefined, jobId: string) {
    const client = clientFor(settings, kind, api);
    return kind === 'mediaProducing' ? client.getMediaProducingJob(jobId) : client.queryIProductionJob(jobId);
  }

  async function submit(settings: RuntimeSettings, event: SubmitEvent): Promise<Outcome> {
    const api = event.api ?? settings.api;
    let given = event.request as Record<string, unknown>;
    if (event.preset !== undefined) {
      const loaded = loadPresets(options.env ?? process.env, options.codeDir ?? process.env.FC_FUNC_CODE_PATH ?? __dirname);
      if (!loaded.ok) return { response: errorResponse('InvalidConfiguration', loaded.message) };
      const preset = loaded.presets !== undefined && Object.prototype.hasOwnProperty.call(loaded.presets, event.preset)
        ? loaded.presets[event.preset]
        : undefined;
      if (preset === undefined) {
        const names = Object.keys(loaded.presets ?? {});
        return refusalOutcome([{
          rule: 'presets',
          field: 'preset',
          value: event.preset,
          message: `preset must be one of the presets deployed with this function (${names.join(', ') || 'none'}), got ${JSON.stringify(event.preset)}`,
        }]);
      }
      given = presetRequest(preset, event.input!, api);
    }
    // Refused before anything else: a request outside the stack's decisions never reaches validation or the network.
    const refusals = scopeRefusals(given, event.kind, settings.scope ?? {});
    if (refusals.length > 0) return refusalOutcome(refusals);
    const request = applyDeploymentDefaults(given, event.kind, api, settings);
    const issues =
      event.kind === 'mediaProducing'
        ? validateMediaProducingJob(request, { region: settings.region })
        : validateIProductionJob(request, { region: settings.region, api });
    if (hasErrors(issues)) {
      return {
        response: errorResponse('InvalidRequest', `request is invalid: ${issueSummary(issues)}`, { issues }),
      };
    }
    const warnings = issues.filter((i) => i.severity === 'warning');
    const client = clientFor(settings, event.kind, event.api);
    const submitted =
      event.kind === 'mediaProducing'
        ? await client.submitMediaProducingJob(request as never)
        : await client.submitIProductionJob(request as never);
    const response: HandlerResponse = {
      ...submitted,
      ...(event.preset !== undefined ? { preset: event.preset, request } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    return { response, jobId: submitted.JobId };
  }

  async function wait(
    settings: RuntimeSettings,
    event: JobEvent,
    context: FcContext,
    startedAt: number,
  ): Promise<Outcome> {
    const requestedMs = event.timeoutSeconds !== undefined ? event.timeoutSeconds * 1000 : undefined;
    let timeoutMs = Math.round(requestedMs ?? DEFAULT_WAIT_SECONDS * 1000);
    let hardStopMs: number | undefined;
    const fnTimeout = context.function?.timeout;
    if (typeof fnTimeout === 'number' && fnTimeout > 0) {
      const marginMs = waitSafetyMarginMs(fnTimeout);
      const leftMs = fnTimeout * 1000 - (now() - startedAt);
      const remainingMs = leftMs - marginMs;
      if (remainingMs <= 0) {
        return {
          response: errorResponse(
            'InsufficientTime',
            `the function timeout of ${fnTimeout} s leaves no time to wait for job ${event.jobId}`,
            { jobId: event.jobId },
          ),
          jobId: event.jobId,
        };
      }
      timeoutMs = Math.floor(Math.min(requestedMs ?? remainingMs, remainingMs));
      // The wait's own deadline cannot interrupt a query in flight (read timeouts, retries); half the margin later
      // the wait is abandoned outright, so the function still answers before FC stops it.
      hardStopMs = Math.floor(Math.min(timeoutMs + marginMs / 2, leftMs - marginMs / 2));
    }
    const client = clientFor(settings, event.kind, event.api);
    const abort = new AbortController();
    const timer = hardStopMs !== undefined ? setTimeout(() => abort.abort(), hardStopMs) : undefined;
    let job: unknown;
    try {
      const waitOptions = { timeoutMs, signal: abort.signal };
      job =
        event.kind === 'mediaProducing'
          ? await client.waitForMediaProducingJob(event.jobId, waitOptions)
          : await client.waitForIProductionJob(event.jobId, waitOptions);
    } catch (err) {
      // A failed job is an answer, not a failed wait: `wait` answers the terminal job exactly as `query` would.
      if (err instanceof JobFailedError && err.job !== undefined) job = err.job;
      else throw err;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    return { response: job as HandlerResponse, jobId: event.jobId, status: statusOf(job) };
  }

  async function onNotification(settings: RuntimeSettings, event: NotificationEvent, context: FcContext): Promise<Outcome> {
    const notification = { ...event } as Record<string, unknown>;
    delete notification.type;
    // GUESS (FACTS.md): MPS names intelligent production jobs `IProduction`; transcoding and other pipeline messages
    // share the queue and are not ours to query.
    if (event.format === 'mps' && event.messageType !== undefined && !/iproduction/i.test(event.messageType)) {
      return {
        response: { notification, skipped: `message type ${JSON.stringify(event.messageType)} is not an intelligent production job` },
        jobId: event.jobId,
      };
    }
    try {
      const loop = event.kind === 'iProduction' ? loopFor(settings, context) : undefined;
      if (loop) {
        // A job of the loop settles its row (and is delivered); any other job is answered as before.
        const { job, row } = await loop.onJobNotification(event.jobId);
        const ledger = row ? { ledger: { id: row.id, state: row.state, delivered: row.delivered } } : {};
        return { response: { notification, job, ...ledger }, jobId: event.jobId, status: statusOf(job) };
      }
      const job = await query(settings, event.kind, undefined, event.jobId);
      return { response: { notification, job }, jobId: event.jobId, status: statusOf(job) };
    } catch (err) {
      return { response: { notification, ...errorResponse(toErrorBody(err)) }, jobId: event.jobId };
    }
  }

  async function onTimer(settings: RuntimeSettings, event: TimerEvent): Promise<Outcome> {
    const jobs: Array<Record<string, unknown>> = new Array(event.jobIds.length);
    let next = 0;
    const worker = async () => {
      while (next < event.jobIds.length) {
        const i = next++;
        const jobId = event.jobIds[i];
        try {
          const job = await query(settings, event.kind, event.api, jobId);
          jobs[i] = { jobId, job };
        } catch (err) {
          jobs[i] = { jobId, error: toErrorBody(err) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(TIMER_QUERY_CONCURRENCY, event.jobIds.length) }, worker));
    const summary: Record<string, number> = {};
    for (const entry of jobs) {
      const key = entry.error ? 'Error' : (statusOf(entry.job) ?? 'Unknown');
      summary[key] = (summary[key] ?? 0) + 1;
    }
    const timer = { triggerName: event.triggerName, triggerTime: event.triggerTime, kind: event.kind };
    return { response: { timer, summary, jobs } };
  }

  async function dispatch(event: HandlerEvent, context: FcContext, startedAt: number): Promise<Outcome> {
    const resolved = resolveSettings(context, options.env ?? process.env);
    if ('error' in resolved) return { response: resolved };
    const settings = resolved;
    switch (event.type) {
      case 'invoke':
        if (event.action === 'submit') return submit(settings, event);
        if (event.action === 'query') {
          const job = await query(settings, event.kind, event.api, event.jobId);
          return { response: job as unknown as HandlerResponse, jobId: event.jobId, status: statusOf(job) };
        }
        return wait(settings, event, context, startedAt);
      case 'notification':
        return onNotification(settings, event, context);
      case 'timer':
        return onTimer(settings, event);
    }
  }

  return async function handler(rawEvent: unknown, context: FcContext = {}): Promise<HandlerResponse> {
    const looped = await onLoopEvent(rawEvent, context ?? {});
    if (looped !== undefined) return looped;
    try {
      return await handle(rawEvent, context);
    } catch (err) {
      // Last line of defence (a throwing injected clock or logger, say): still an answer, never a rejection.
      return errorResponse('InternalError', `the handler failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  async function handle(rawEvent: unknown, context: FcContext): Promise<HandlerResponse> {
    const startedAt = now();
    const parsed = parseEvent(rawEvent);
    const fields: LogFields = { type: parsed.ok ? parsed.event.type : parsed.type };
    let outcome: Outcome;
    if (!parsed.ok) {
      if (parsed.action !== undefined) fields.action = parsed.action;
      outcome = { response: errorResponse(parsed.error.code, parsed.error.message) };
    } else {
      const event = parsed.event;
      fields.kind = event.kind;
      if (event.type === 'invoke') {
        fields.action = event.action;
        if (event.api) fields.api = event.api;
        if (event.action === 'submit' && event.preset !== undefined) fields.preset = event.preset;
      }
      if ('jobId' in event) fields.jobId = event.jobId;
      if (event.type === 'timer') fields.jobs = event.jobIds.length;
      try {
        outcome = await dispatch(event, context ?? {}, startedAt);
      } catch (err) {
        const body = toErrorBody(err, event.type === 'invoke' && event.action === 'submit' ? event.request : undefined);
        outcome = { response: errorResponse(body), ...(fields.jobId ? { jobId: fields.jobId } : {}) };
      }
    }
    const error = (outcome.response as Partial<ErrorResponse>).error;
    writeLog(log, {
      requestId: context?.requestId,
      event: fields.type,
      action: fields.action,
      kind: fields.kind,
      api: fields.api,
      jobId: outcome.jobId ?? fields.jobId,
      jobs: fields.jobs,
      outcome: error ? `error:${error.code}` : 'ok',
      ...(outcome.refusal ? { refused: outcome.refusal } : {}),
      preset: fields.preset,
      status: outcome.status,
      ms: now() - startedAt,
    });
    return outcome.response;
  }
}

function writeLog(log: (line: string) => void, entry: Record<string, unknown>): void {
  try {
    log(JSON.stringify(entry));
  } catch {
    // Logging must never turn an answer into a failed invocation.
  }
}

/** A loop's configuration cannot work (a retry could only fail again): answered, never thrown to FC. */
class LoopConfigurationError extends Error {}

export const handler: Handler = createHandler();
