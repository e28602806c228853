/**
 * `npm run e2e`: the production loop end to end, as deployed. The example stack is synthesized; the function's
 * ZipFile, handler and environment come out of its template; K worker processes load the unzipped bundle as FC
 * does and are driven with OSS upload events (some delivered twice), sweep timer ticks and ICE completion callbacks,
 * against the local ICE, Tablestore and MNS endpoints (or compatible endpoints given by host:port). Workers are
 * killed mid-invocation at the crash rate and their invocations redelivered, as FC retries a failed async
 * invocation. Counts come from the ledger, the ICE endpoint's job list and the results topic. docs/loop.md.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { unzipSync } from 'fflate';
import { createExampleApp } from '../../bin/example-app';
import { JobLedger, TERMINAL_STATES, type LedgerRow } from '../../lib/runtime/ledger';
import { decodeEnvelope } from '../../lib/runtime/mns';
import { LOOP_TOKEN_KEY, type LoopConfig } from '../../lib/runtime/loop';
import { ACTIONS, RUNTIME_ENV } from '../../lib/service';
import { startLocalIce, type LocalIce } from '../endpoint';
import { seededRandom } from '../endpoint/random';
import { startLocalMns, type LocalMns } from '../mns-endpoint';
import { startLocalOts, type LocalOts } from '../ots-endpoint';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
const MnsClient: any = require('@alicloud/mns/lib/client.js');

export interface E2eOptions {
  readonly uploads: number;
  readonly duplicateEvents: number;
  readonly crashRate: number;
  readonly workers: number;
  readonly functionName?: string;
  /** host:port of compatible endpoints; absent: the local ones are started. */
  readonly iceEndpoint?: string;
  readonly otsEndpoint?: string;
  readonly mnsEndpoint?: string;
  /** Reconciliation window handed to the function (time compression of the run). @default 15000 */
  readonly reconcileWindowMs?: number;
  /** Local ICE: how long a job queues and runs. @default 50 / 300 */
  readonly jobQueuingMs?: number;
  readonly jobRunningMs?: number;
  /** Deliver ICE's completion callbacks (AIProduceComplete) to the deployment's ice-callback queue. @default true */
  readonly notifications?: boolean;
  /** Sweep timer period. @default 500 */
  readonly tickMs?: number;
  /** How long each sweep keeps working (the deployed 50 s of 60, compressed). @default 0.8 × tickMs */
  readonly sweepSeconds?: number;
  /** Uploads per second (events enter as OSS would send them); absent: all at once, a burst. */
  readonly uploadRate?: number;
  /** Invocations one worker serves at once (the function's InstanceConcurrency). @default 16 */
  readonly instanceConcurrency?: number;
  /** Give up after this long. @default 900 */
  readonly timeoutSeconds?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface E2eSummary {
  uploads: number;
  submitted: number;
  unknownOutcome: number;
  rejected: number;
  duplicateSubmits: number;
  terminal: number;
  delivered: number;
  deliveredTwice: number;
  qpsFraction: number;
  seconds: number;
}

export interface E2eDetails {
  readonly summary: E2eSummary;
  readonly ok: boolean;
  readonly rows: number;
  readonly invocations: number;
  readonly crashes: number;
  readonly redeliveries: number;
  readonly failedInvocations: number;
  readonly throttledByService: number;
  readonly ledgerWritesPerJob: number;
  readonly ledgerReadsPerJob: number;
  readonly queriesPerJob: number;
  /** Per job that ended Success/Fail: ms from the job's end (service side) to the row's finishedAt. */
  readonly completionLagMs: { p50: number; p95: number; max: number };
  readonly timedOut: boolean;
  /** Epoch ms of the 5th and the 95th percentile submit: the window `qpsFraction` is measured over. */
  readonly submitWindowMs?: { readonly from: number; readonly to: number };
}

/** One key for all three local endpoints; it reaches the function as context.credentials. */
const LOCAL_KEY = { accessKeyId: 'LTAIe2eloop', accessKeySecret: 'e2e-loop-secret' };
const ACCOUNT_ID = '1234567890123456';
const RESOLVED_PIPELINE_ID = 'a54fdc9c9aab413caef0d1150f565e86';

const DRIVER = `
const readline = require('readline');
const { handler } = require(process.env.BUNDLE_INDEX);
process.stdout.write('@@ready\\n');
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, event, context } = JSON.parse(line);
  let out;
  try { out = { id, answer: await handler(Buffer.from(event, 'utf8'), context) }; }
  catch (err) { out = { id, failed: String(err && err.message || err) }; }
  process.stdout.write('@@answer ' + JSON.stringify(out) + '\\n');
});
`;

interface Invocation {
  readonly id: number;
  readonly event: string;
  readonly kind: 'upload' | 'sweep';
  attempts: number;
}

class Worker {
  readonly inflight = new Map<number, Invocation>();
  readonly ready: Promise<void>;
  dead = false;
  private killed = false;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(
    codeDir: string,
    env: Record<string, string>,
    private readonly onAnswer: (w: Worker, inv: Invocation, answer: any) => void,
    private readonly onExit: (w: Worker) => void,
    log: (line: string) => void,
  ) {
    this.child = spawn(process.execPath, ['-e', DRIVER], {
      cwd: codeDir,
      env: { PATH: process.env.PATH ?? '', BUNDLE_INDEX: path.join(codeDir, 'index.js'), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let onReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (onReady = resolve));
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (line === '@@ready') onReady();
      else if (line.startsWith('@@answer ')) {
        const msg = JSON.parse(line.slice(9));
        const inv = this.inflight.get(msg.id);
        if (inv) {
          this.inflight.delete(msg.id);
          this.onAnswer(this, inv, msg);
        }
      }
    });
    this.child.stdin.on('error', () => undefined); // EPIPE from a worker being killed: its exit redelivers
    this.child.stderr.on('data', (d) => log(`worker stderr: ${String(d).trim().slice(0, 300)}`));
    this.child.on('exit', () => {
      this.dead = true;
      onReady();
      this.onExit(this);
    });
  }

  invoke(inv: Invocation, context: Record<string, unknown>): void {
    this.inflight.set(inv.id, inv);
    this.child.stdin.write(JSON.stringify({ id: inv.id, event: inv.event, context }) + '\n');
  }

  /** Marks the worker dead at once (nothing more is sent to it); its in-flight invocations are redelivered on exit. */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    this.child.kill('SIGKILL');
  }

  get usable(): boolean {
    return !this.dead && !this.killed;
  }

  stop(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
    });
  }
}

function hostPort(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(value)) throw new Error(`${flag} must be HOST:PORT, got ${JSON.stringify(value)}`);
  return value;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

/** The function resource of the synthesized example (FC 2.0 or FC 3.0) with its code, handler and environment. */
export function functionFromTemplate(template: any, name?: string): { logicalId: string; zip: Buffer; handler: string; env: Record<string, unknown> } {
  const fns = Object.entries<any>(template.Resources ?? {}).filter(([, r]) => /^ALIYUN::FC3?::Function$/.test(r.Type));
  const chosen = name ? fns.filter(([id, r]) => id === name || r.Properties.FunctionName === name) : fns.filter(([, r]) => r.Properties.EnvironmentVariables?.[RUNTIME_ENV.loop]);
  if (chosen.length !== 1) {
    throw new Error(`the template must hold exactly one function ${name ? `named ${name}` : `with ${RUNTIME_ENV.loop}`}, found ${chosen.length}`);
  }
  const [logicalId, r] = chosen[0];
  const p = r.Properties;
  const zip = p.Code?.ZipFile;
  if (typeof zip !== 'string') throw new Error(`function ${logicalId} has no Code.ZipFile`);
  return { logicalId, zip: Buffer.from(zip, 'base64'), handler: p.Handler, env: p.EnvironmentVariables ?? p.Environment ?? {} };
}

export async function runE2e(options: E2eOptions): Promise<E2eDetails> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const random = seededRandom(options.seed ?? 15);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-e2e-'));
  let ice: LocalIce | undefined;
  let ots: LocalOts | undefined;
  let mns: LocalMns | undefined;
  const workers: Worker[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    // 1. The function as the template deploys it.
    const assembly = createExampleApp(path.join(tmp, 'cdk.out')).synth();
    const template = assembly.stacks[0].template as any;
    const fn = functionFromTemplate(template, options.functionName);
    const [moduleName, exportName] = fn.handler.split('.');
    if (exportName !== 'handler') throw new Error(`handler must be <file>.handler, got ${fn.handler}`);
    const codeDir = path.join(tmp, 'code');
    fs.mkdirSync(codeDir);
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(fn.zip)))) fs.writeFileSync(path.join(codeDir, name), bytes);
    const loop = JSON.parse(String(fn.env[RUNTIME_ENV.loop])) as LoopConfig;
    const region = String(fn.env[RUNTIME_ENV.region] ?? 'cn-shanghai');

    // 2. Endpoints: local ones, or the given compatible ones with keys from the environment.
    const external = options.iceEndpoint ?? options.otsEndpoint ?? options.mnsEndpoint;
    const key = external
      ? { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '', accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' }
      : LOCAL_KEY;
    if (!key.accessKeyId || !key.accessKeySecret) {
      throw new Error('with --ice-endpoint/--ots-endpoint/--mns-endpoint, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set');
    }
    const iceHost = hostPort(options.iceEndpoint, '--ice-endpoint');
    const otsHost = hostPort(options.otsEndpoint, '--ots-endpoint');
    const mnsHost = hostPort(options.mnsEndpoint, '--mns-endpoint');
    const submitQps = ACTIONS.SubmitIProductionJob.qps;
    if (!iceHost) {
      ice = await startLocalIce({
        accessKeys: [key],
        region,
        qps: { SubmitIProductionJob: submitQps },
        timing: { queuingMs: options.jobQueuingMs ?? 50, runningMs: options.jobRunningMs ?? 300 },
        seed: options.seed ?? 15,
      });
    }
    if (!otsHost) ots = await startLocalOts({ accessKeys: [key], instanceName: loop.instance });
    if (!mnsHost) mns = await startLocalMns({ accessKeys: [key], accountId: ACCOUNT_ID, region });
    const iceEndpoint = iceHost ?? ice!.endpoint;
    const otsEndpoint = otsHost ? `http://${otsHost}` : ots!.endpoint;
    const mnsEndpoint = mnsHost ? `http://${mnsHost}` : mns!.endpoint;

    // 3. What a deploy creates, through the SDKs: the ledger table and the results topic.
    const ledger = new JobLedger({ endpoint: otsEndpoint, instanceName: loop.instance, tableName: loop.table, credentials: key });
    await ledger.ensureTable();
    const mnsClient = new MnsClient(ACCOUNT_ID, { ...key, endpoint: mnsEndpoint, region });
    if (loop.topic) {
      try {
        await mnsClient.createTopic(loop.topic);
      } catch (err) {
        if (!/TopicAlreadyExist/.test(String((err as Error).name))) throw err;
      }
    }
    if (loop.callbackQueue) {
      try {
        await mnsClient.createQueue(loop.callbackQueue);
      } catch (err) {
        if (!/QueueAlreadyExist/.test(String((err as Error).name))) throw err;
      }
    }

    // 4. Workers with the template's environment, pointed at the endpoints.
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(fn.env)) env[k] = typeof v === 'string' ? v : k === RUNTIME_ENV.pipelineId ? RESOLVED_PIPELINE_ID : JSON.stringify(v);
    Object.assign(env, {
      [RUNTIME_ENV.endpoint]: iceEndpoint,
      [RUNTIME_ENV.protocol]: 'http',
      [RUNTIME_ENV.otsEndpoint]: otsEndpoint,
      [RUNTIME_ENV.mnsEndpoint]: mnsEndpoint,
      // K workers stand for a deployment capped at K instances: each plans 1/K of the QPS limits.
      [RUNTIME_ENV.maxInstances]: String(options.workers),
      // Time compression: the deployed window is minutes; the run's is seconds.
      [RUNTIME_ENV.loop]: JSON.stringify({
        ...loop,
        reconcileWindowSeconds: (options.reconcileWindowMs ?? 15_000) / 1000,
        sweepSeconds: options.sweepSeconds ?? ((options.tickMs ?? 500) * 0.8) / 1000,
      }),
      FC_ACCOUNT_ID: ACCOUNT_ID,
    });
    const context = { credentials: { ...key }, region, accountId: ACCOUNT_ID, function: { name: fn.logicalId, timeout: 600 } };
    const concurrency = options.instanceConcurrency ?? 16;

    // 5. The events: N uploads under the example's route, a fraction delivered twice, in a shuffled order.
    const route = loop.routes[0];
    // The input bucket: the first place the function may read from (the L3's input bucket, where the triggers are).
    const firstInput = (JSON.parse(String(fn.env[RUNTIME_ENV.inputLocations] ?? '[]')) as string[])[0] ?? '';
    const bucket = firstInput.split('/')[0];
    if (!bucket) throw new Error(`the function's ${RUNTIME_ENV.inputLocations} must name the input bucket, got ${JSON.stringify(fn.env[RUNTIME_ENV.inputLocations])}`);
    const queue: Invocation[] = [];
    let nextId = 0;
    const uploadEvent = (i: number): string => {
      const name = i % 10 === 3 ? `clip ${i} copy${route.suffixes?.[0] ?? '.mp4'}` : `clip-${i}${route.suffixes?.[0] ?? '.mp4'}`;
      const objectKey = `${route.prefix}e2e/${name}`;
      return JSON.stringify({
        events: [
          {
            eventName: 'ObjectCreated:PutObject',
            eventSource: 'acs:oss',
            eventTime: new Date(started).toISOString(),
            region,
            oss: {
              bucket: { name: bucket, arn: `acs:oss:${region}:${ACCOUNT_ID}:${bucket}` },
              object: { key: encodeURIComponent(objectKey).replace(/%2F/g, '/'), eTag: createHash('md5').update(objectKey).digest('hex').toUpperCase(), size: 1024 },
            },
          },
        ],
      });
    };
    for (let i = 0; i < options.uploads; i++) {
      queue.push({ id: nextId++, event: uploadEvent(i), kind: 'upload', attempts: 0 });
      if (random() < options.duplicateEvents) queue.push({ id: nextId++, event: uploadEvent(i), kind: 'upload', attempts: 0 });
    }
    for (let i = queue.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [queue[i], queue[j]] = [queue[j], queue[i]];
    }
    // Paced: events leave `arriving` at the upload rate (a duplicate right after its first delivery or later).
    const arriving = options.uploadRate !== undefined ? queue.splice(0, queue.length) : [];

    // 6. Drive: dispatch, crash, redeliver; sweep ticks; completion callbacks.
    let invocations = 0;
    let crashes = 0;
    let redeliveries = 0;
    let failedInvocations = 0;
    let sweepInFlight = false;
    const notified = new Set<string>();
    const spawnWorker = (): Worker => {
      const w = new Worker(codeDir, env, onAnswer, onExit, log);
      workers.push(w);
      return w;
    };
    const onAnswer = (_w: Worker, inv: Invocation, msg: any) => {
      if (inv.kind === 'sweep') sweepInFlight = false;
      if (msg.failed !== undefined) {
        failedInvocations++;
        log(`invocation failed (${inv.kind}): ${String(msg.failed).slice(0, 200)}`);
        // FC retries a failed async invocation (then the on-failure destination; the sweep covers the row).
        if (inv.kind !== 'sweep' && inv.attempts < 8) {
          redeliveries++;
          queue.push(inv);
        }
      }
      pump();
    };
    const onExit = (w: Worker) => {
      const i = workers.indexOf(w);
      if (i >= 0) workers.splice(i, 1);
      for (const inv of w.inflight.values()) {
        if (inv.kind === 'sweep') sweepInFlight = false;
        else {
          redeliveries++;
          queue.unshift(inv);
        }
      }
      w.inflight.clear();
      if (!stopping) {
        const fresh = spawnWorker();
        void fresh.ready.then(pump);
      }
    };
    let stopping = false;
    const dispatch = (inv: Invocation): boolean => {
      const w = workers.filter((x) => x.usable && x.inflight.size < concurrency).sort((a, b) => a.inflight.size - b.inflight.size)[0];
      if (!w) return false;
      inv.attempts++;
      invocations++;
      w.invoke(inv, { ...context, requestId: `e2e-${inv.id}-${inv.attempts}` });
      if (inv.kind === 'upload' && random() < options.crashRate) {
        const delay = Math.floor(random() * 40);
        timers.push(
          setTimeout(() => {
            if (w.usable && w.inflight.has(inv.id)) {
              crashes++;
              w.kill();
            }
          }, delay),
        );
      }
      return true;
    };
    function pump(): void {
      while (queue.length > 0) {
        if (!dispatch(queue[0])) return;
        queue.shift();
      }
    }
    for (let i = 0; i < options.workers; i++) spawnWorker();
    await Promise.all(workers.map((w) => w.ready));
    pump();
    if (arriving.length > 0) {
      const perTick = (options.uploadRate! * (1 + options.duplicateEvents)) / 10;
      let owed = 0;
      timers.push(
        setInterval(() => {
          owed += perTick;
          while (owed >= 1 && arriving.length > 0) {
            queue.push(arriving.shift()!);
            owed -= 1;
          }
          pump();
        }, 100),
      );
    }

    const tickMs = options.tickMs ?? 500;
    const tick = () => {
      if (sweepInFlight) return;
      const inv: Invocation = {
        id: nextId++,
        kind: 'sweep',
        attempts: 0,
        event: JSON.stringify({ triggerTime: new Date().toISOString(), triggerName: 'iprod-sweep', payload: JSON.stringify({ loop: 'sweep' }) }),
      };
      sweepInFlight = dispatch(inv);
    };
    // The deployed timer ticks since the deploy, before any upload: the first tick is at once.
    tick();
    timers.push(setInterval(tick, tickMs));
    if (ice && loop.callbackQueue && (options.notifications ?? true)) {
      // What ICE does once `iprod callbacks set` pointed the account's event callback at the queue: one message per
      // finished job (base64 body: the MNS SDK does not XML-escape what it sends).
      let sending = false;
      let oldestOpen = 0;
      timers.push(
        setInterval(() => {
          if (sending) return;
          sending = true;
          // Only jobs from the oldest one not yet finished on are looked at (the others were all notified).
          const recent = ice!.jobsFrom(oldestOpen);
          const finished = recent.filter((job) => !notified.has(job.jobId) && (job.status === 'Success' || job.status === 'Fail'));
          for (const job of finished) notified.add(job.jobId);
          let k = 0;
          while (k < recent.length && notified.has(recent[k].jobId)) k++;
          oldestOpen += k;
          void (async () => {
            // One message per job, sent 16 to a request (BatchSendMessage): what the queue holds is what ICE's
            // one-by-one sends would leave there, at a sixteenth of the requests on this machine's shared CPU.
            for (let b = 0; b < finished.length; b += 16) {
              const messages = finished.slice(b, b + 16).map((job) => {
                const callback = { EventType: 'AIProduceComplete', UserId: ACCOUNT_ID, EventTime: new Date().toISOString(), MessageBody: JSON.stringify({ JobId: job.jobId, Status: job.status }) };
                return { MessageBody: Buffer.from(JSON.stringify(callback)).toString('base64') };
              });
              if (messages.length === 1) await mnsClient.sendMessage(loop.callbackQueue, messages[0]);
              else await mnsClient.batchSendMessage(loop.callbackQueue, messages);
            }
          })()
            .catch((err) => log(`callback send failed: ${String(err)}`))
            .finally(() => (sending = false));
        }, 100),
      );
    }

    // 7. Until every upload's row is terminal and delivered (or the time is up).
    const deadline = started + (options.timeoutSeconds ?? 900) * 1000;
    let rows: LedgerRow[] = [];
    let timedOut = false;
    // Progress is read in process from the local Tablestore's store (cheap); the final counts through the SDK.
    const progress = async (): Promise<Array<Pick<LedgerRow, 'state' | 'delivered' | 'open'>>> =>
      ots
        ? ots.columns(loop.table, ['state', 'delivered', 'open']).map((r) => ({ state: r.state as LedgerRow['state'], delivered: r.delivered === true, open: r.open === true }))
        : allRows(ledger);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await progress();
      const done = now.length >= options.uploads && now.every((r) => TERMINAL_STATES.includes(r.state) && r.delivered) && queue.every((q) => q.kind !== 'upload') && arriving.length === 0;
      const pending = workers.reduce((n, w) => n + [...w.inflight.values()].filter((i) => i.kind === 'upload').length, 0);
      log(`rows ${now.length}/${options.uploads}, open ${now.filter((r) => r.open).length}, queue ${queue.length}, in flight ${pending}, crashes ${crashes}`);
      if (done && pending === 0) break;
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
    }
    stopping = true;
    for (const t of timers) clearInterval(t);
    await Promise.all(workers.map((w) => w.stop()));
    const seconds = (Date.now() - started) / 1000;
    rows = await allRows(ledger);

    // 8. Counts.
    const byState = (states: string[]) => rows.filter((r) => states.includes(r.state)).length;
    const tokensPerRow = new Map<string, number>();
    const submitTimes: number[] = [];
    const jobEnd = new Map<string, number>();
    for (const job of ice?.jobs ?? []) {
      let token: string | undefined;
      try {
        token = JSON.parse(job.params.UserData ?? '{}')[LOOP_TOKEN_KEY];
      } catch {
        token = undefined;
      }
      if (!token) continue;
      const id = token.split('.')[0];
      tokensPerRow.set(id, (tokensPerRow.get(id) ?? 0) + 1);
      submitTimes.push(job.createdAtMs);
      jobEnd.set(job.jobId, job.finishesAtMs);
    }
    const duplicateSubmits = [...tokensPerRow.values()].reduce((n, c) => n + c - 1, 0);
    const publishedIds = new Map<string, number>();
    const rowIds = new Set(rows.map((r) => r.messageId));
    if (mns && loop.topic) {
      for (const m of mns.published(loop.topic)) {
        const env2 = decodeEnvelope(m.body);
        if (env2 && rowIds.has(env2.dedupeId)) publishedIds.set(env2.dedupeId, (publishedIds.get(env2.dedupeId) ?? 0) + 1);
      }
    }
    const delivered = rows.filter((r) => r.delivered && (!mns || !loop.topic || publishedIds.has(r.messageId))).length;
    submitTimes.sort((a, b) => a - b);
    const qpsFraction = sustainedRate(submitTimes, submitQps);
    const lags = rows
      .filter((r) => r.jobId && jobEnd.has(r.jobId) && r.finishedAt !== undefined)
      .map((r) => Math.max(0, r.finishedAt! - jobEnd.get(r.jobId!)!))
      .sort((a, b) => a - b);
    const summary: E2eSummary = {
      uploads: options.uploads,
      submitted: byState(['Success', 'Fail', 'Submitted']),
      unknownOutcome: byState(['Unknown']),
      rejected: byState(['Rejected']),
      duplicateSubmits,
      terminal: byState([...TERMINAL_STATES]),
      delivered,
      deliveredTwice: [...publishedIds.values()].filter((c) => c > 1).length,
      qpsFraction,
      seconds: Math.round(seconds * 10) / 10,
    };
    const n = Math.max(1, rows.length);
    const otsStats = ots?.stats;
    const writes = otsStats ? otsStats.PutRow.received + otsStats.UpdateRow.received : 0;
    const reads = otsStats ? otsStats.GetRow.received + otsStats.GetRange.received : 0;
    const queries = ice ? ice.stats.actions.QueryIProductionJob.received : 0;
    const ok =
      !timedOut &&
      summary.submitted + summary.unknownOutcome + summary.rejected === summary.uploads &&
      summary.terminal === summary.uploads &&
      summary.delivered === summary.uploads &&
      summary.duplicateSubmits === 0;
    return {
      summary,
      ok,
      rows: rows.length,
      invocations,
      crashes,
      redeliveries,
      failedInvocations,
      throttledByService: ice?.stats.actions.SubmitIProductionJob.throttled ?? 0,
      ledgerWritesPerJob: Math.round((writes / n) * 100) / 100,
      ledgerReadsPerJob: Math.round((reads / n) * 100) / 100,
      queriesPerJob: Math.round((queries / n) * 100) / 100,
      completionLagMs: { p50: percentile(lags, 0.5), p95: percentile(lags, 0.95), max: lags[lags.length - 1] ?? 0 },
      timedOut,
      ...(submitTimes.length >= 20 ? { submitWindowMs: { from: submitTimes[Math.floor(submitTimes.length * 0.05)], to: submitTimes[Math.ceil(submitTimes.length * 0.95) - 1] } } : {}),
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const w of workers) w.kill();
    await ice?.close();
    await ots?.close();
    await mns?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The submit rate sustained while submits flowed, as a fraction of the limit: submits between the 5th and the 95th
 * percentile of their times over that span (the ramp-up and the tail of late resubmits left out).
 */
export function sustainedRate(sortedTimesMs: readonly number[], limitQps: number): number {
  if (sortedTimesMs.length < 20) {
    const span = sortedTimesMs.length > 1 ? (sortedTimesMs[sortedTimesMs.length - 1] - sortedTimesMs[0]) / 1000 : 0;
    return span > 0 ? Math.round(((sortedTimesMs.length - 1) / span / limitQps) * 1000) / 1000 : 0;
  }
  const lo = Math.floor(sortedTimesMs.length * 0.05);
  const hi = Math.ceil(sortedTimesMs.length * 0.95) - 1;
  const span = (sortedTimesMs[hi] - sortedTimesMs[lo]) / 1000;
  return span > 0 ? Math.round(((hi - lo) / span / limitQps) * 1000) / 1000 : 0;
}

async function allRows(ledger: JobLedger): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.list({ limit: 5000, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.cursor;
  } while (cursor);
  return rows;
}
