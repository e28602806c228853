import * as ros from '@alicloud/ros-cdk-core';
import {
  CATALOGUE,
  type FunctionName,
  isFunctionName,
  functionsOf,
  presetRequest,
  type JobLocation,
  scopeRefusals,
  userDataLimit,
  userDataTagsProblem,
  validateIProductionJob,
} from '../jobs';
import { isRecord } from '../util/values';
import { type Api, DEFAULT_LEDGER_TABLE_NAME, FC_LIMITS, ICE_CALLBACK_QUEUE_PREFIX, OSS_LIMITS } from '../service';
import { IMediaBucket, MediaBucket, MediaBucketProps, validateObjectPrefix, validateTags } from './bucket';
import {
  checkBucketRegion,
  checkFunctions,
  checkServiceRegion,
  findOssUrls,
  measureTemplate,
  renderStackTemplate,
  templateLimitProblems,
} from './checks';
import {
  Grant,
  grantGetMediaProducingJob,
  grantQueryIProductionJob,
  grantSubmitIProductionJob,
  grantSubmitMediaProducingJob,
  IGrantable,
} from './grants';
import { NotificationQueue, NotificationTopic } from './mns';
import { MediaPipeline, MediaPipelineProps } from './mps';
import { defaultNamePrefix, propError, validateNamePrefix } from './naming';
import { defaultLedgerInstanceName, ProductionLedgerOptions, ProductionLoop, type ProductionRoute } from './loop';
import { DEFAULT_RUNTIME_TIMEOUT_SECONDS, ProductionRuntime, ProductionRuntimeProps, RuntimeJobLocation, RuntimeLoopSettings } from './runtime';

/** How long each minute's sweep keeps working unless `sweepSeconds` says otherwise. */
const DEFAULT_SWEEP_SECONDS = 50;
/** A sweep ends before the next minute's begins. */
const MAX_SWEEP_SECONDS = 55;

/**
 * Where MPS reports job completion: an MNS topic (which invokes the runtime), an MNS queue (for the app team's own
 * consumers), or nowhere.
 */
export type NotificationStyle = 'queue' | 'topic' | 'none';
const NOTIFICATION_STYLES: readonly NotificationStyle[] = ['queue', 'topic', 'none'];

/**
 * Settings of the MPS pipeline the construct creates: `MediaPipeline`'s own props (their docs and defaults are
 * written there once), less the name and notification target the construct decides.
 */
export type ProductionPipelineOptions = Pick<MediaPipelineProps, 'speed' | 'speedLevel' | 'state' | 'role'>;

/**
 * Tuning of the runtime function the construct creates: `ProductionRuntime`'s own props (their docs and defaults
 * are written there once), less what the construct decides (names, API, functions, locations, presets, trigger).
 */
export type ProductionRuntimeOptions = Pick<
  ProductionRuntimeProps,
  | 'platform' | 'maxInstances' | 'asyncRetryAttempts' | 'nodeVersion' | 'timeoutSeconds' | 'memorySizeMB'
  | 'instanceConcurrency' | 'environment'
>;

/**
 * Settings of the buckets the construct creates (ignored for buckets passed in): `MediaBucket`'s own props, their
 * docs and defaults written there once.
 */
export type ProductionBucketOptions = Pick<
  MediaBucketProps,
  'encryption' | 'kmsKeyId' | 'lifecycleRules' | 'deletionForce' | 'enforceSecureTransport'
>;

/** Properties of an `IntelligentProduction`. */
export interface IntelligentProductionProps {
  /**
   * The intelligent production functions the deployment is for; each must be offered by `api`.
   * @default - every function `api` offers
   */
  readonly functions?: FunctionName[];
  /**
   * `ice` (Intelligent Media Services 2020-11-09) or `mts` (MPS 2014-06-18).
   * @default 'ice'
   */
  readonly api?: Api;
  /**
   * Also deploy for timeline editing (SubmitMediaProducingJob / GetMediaProducingJob; ICE only).
   * @default false
   */
  readonly mediaProducing?: boolean;
  /**
   * Where the pipeline reports job completion.
   * - 'topic': an MNS topic `{prefix}-completions` whose FC trigger (a role of its own, trusted by
   *   `mns.aliyuncs.com` only, allowed only `fc:InvokeFunction` on the function) invokes the runtime with each
   *   completion message; the runtime queries the job and answers its typed result.
   * - 'queue': an MNS queue `ice-callback-{prefix}` for the app team's own consumers (`grantConsumeNotifications`).
   *   The runtime gets no trigger on it and, without `routes`, no MNS permission; with `routes` on ICE the loop's
   *   sweep consumes it (ICE's event callback), competing with any other consumer.
   * - 'none': no notification.
   * @default 'topic'
   */
  readonly notification?: NotificationStyle;
  /**
   * Whether to deploy the runtime function.
   * @default true
   */
  readonly runtime?: boolean;
  /**
   * Tuning of the runtime function.
   * @default - the `ProductionRuntime` defaults
   */
  readonly runtimeOptions?: ProductionRuntimeOptions;
  /**
   * Seeds every physical name: buckets `{prefix}-input`/`{prefix}-output`, queue `ice-callback-{prefix}`, topic
   * `{prefix}-completions`, pipeline `{prefix}-pipeline`, role/service `{prefix}-runtime`, function `{prefix}-handler`.
   * A letter first, then up to 31 lowercase letters, digits or '-'.
   * @default - the stack name, lowercased
   */
  readonly namePrefix?: string;
  /**
   * Tags on every resource that takes tags (buckets, roles, FC service), offered to the runtime for job UserData.
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
  /**
   * Bucket jobs read their inputs from.
   * @default - a new `MediaBucket` named `{prefix}-input`
   */
  readonly inputBucket?: IMediaBucket;
  /**
   * Bucket jobs write their outputs to (may be the input bucket).
   * @default - a new `MediaBucket` named `{prefix}-output`
   */
  readonly outputBucket?: IMediaBucket;
  /**
   * Settings of the buckets this construct creates.
   * @default - the `MediaBucket` defaults
   */
  readonly bucketOptions?: ProductionBucketOptions;
  /**
   * Key prefix of job inputs: the runtime submits jobs reading under it only.
   * @default 'input/'
   */
  readonly inputPrefix?: string;
  /**
   * Key prefix of job outputs: the runtime submits jobs writing under it only.
   * @default 'output/'
   */
  readonly outputPrefix?: string;
  /**
   * More places jobs submitted by the runtime may read inputs from, besides `inputBucket`/`inputPrefix`. An explicit
   * allow-list: the runtime refuses every other location.
   * @default - none
   */
  readonly additionalInputLocations?: RuntimeJobLocation[];
  /**
   * More places jobs submitted by the runtime may write outputs to, besides `outputBucket`/`outputPrefix`.
   * @default - none
   */
  readonly additionalOutputLocations?: RuntimeJobLocation[];
  /**
   * Settings of the MPS pipeline `{prefix}-pipeline` the construct creates (formerly `pipeline`: see the migration
   * notes in docs/constructs.md).
   * @default - the `MediaPipeline` defaults
   */
  readonly pipelineOptions?: ProductionPipelineOptions;
  /**
   * Job requests (SubmitIProductionJob, in the API's own shape), validated at synth against the stack region, `api`,
   * `functions` and the input/output locations (a preset with an error fails synth), and deployed with the runtime:
   * `{"action":"submit","preset":"name","input":"oss://..."}` submits the preset on that input. `Input` may be left
   * out (each invocation gives it).
   * @default - none
   */
  readonly presets?: Record<string, object>;
  /**
   * The production loop (docs/loop.md): an upload under a route's `prefix` (inside `inputPrefix`) ending in one of
   * its `suffixes` starts one job of its `preset`, filled with the uploaded object (`{objectDir}`, `{objectName}`,
   * `{objectKey}` in the preset's output media are replaced by the object's); the job is recorded in a Tablestore
   * ledger until it ends and its result published to the topic `{prefix}-results`. Needs the runtime.
   * @default - no loop: uploads start nothing
   */
  readonly routes?: ProductionRoute[];
  /**
   * Where the loop's ledger lives (with `routes`).
   * @default - a Tablestore instance named after the prefix (letters and digits, at most 16), table `iprod_jobs`
   */
  readonly ledger?: ProductionLedgerOptions;
  /**
   * Per preset of a route: what a submit whose outcome cannot be known becomes after the reconciliation window.
   * `'unknown'` ends the row Unknown and delivers it as such (never a blind resend); `'resubmit'` sends the job again
   * (at-least-once: it may run twice).
   * @default - 'unknown' for every preset
   */
  readonly onUnknownOutcome?: Record<string, 'unknown' | 'resubmit'>;
  /**
   * How long a submit of unknown outcome waits for a notification carrying its token before `onUnknownOutcome`
   * applies (seconds, 60-86400).
   * @default 600
   */
  readonly reconcileWindowSeconds?: number;
  /**
   * How long each minute's sweep invocation keeps working (seconds, 0-55): it passes over the ledger's open rows,
   * then keeps long-polling ICE's callback queue and querying due rows until the time is up, so completion is found
   * within seconds of a callback and within about 16 s without one. 0: one pass a minute (completion found within a
   * minute), at the cost of one instance for that long each minute (the synth summary's cost drivers show it).
   * @default 50
   */
  readonly sweepSeconds?: number;
}

/**
 * Everything it takes to run intelligent production jobs, as one unit: input and output buckets, an MPS pipeline
 * reporting to an MNS topic (which invokes the runtime) or queue (for the app team's consumers), and the runtime
 * function with exactly the permissions it needs (submit and query jobs of one API, read the input prefix, write
 * the output prefix).
 */
export class IntelligentProduction extends ros.Construct {
  public readonly api: Api;
  public readonly functions: readonly FunctionName[];
  public readonly namePrefix: string;
  public readonly inputBucket: IMediaBucket;
  public readonly outputBucket: IMediaBucket;
  public readonly inputPrefix: string;
  public readonly outputPrefix: string;
  public readonly pipeline: MediaPipeline;
  /** The queue completions go to (notification 'queue'), for the app team's consumers. */
  public readonly queue?: NotificationQueue;
  /** The topic completions go to (notification 'topic'); it invokes the runtime. */
  public readonly topic?: NotificationTopic;
  /** The runtime function (unless `runtime: false`). */
  public readonly runtime?: ProductionRuntime;
  public readonly mediaProducing: boolean;
  /** The presets, as given (validated). */
  public readonly presets: Readonly<Record<string, object>>;
  /** Where jobs submitted by the runtime may read. */
  public readonly inputLocations: readonly RuntimeJobLocation[];
  /** Where jobs submitted by the runtime may write. */
  public readonly outputLocations: readonly RuntimeJobLocation[];
  /** The production loop: ledger, results topic, upload triggers and sweep (with `routes`). */
  public readonly loop?: ProductionLoop;
  /** The `ice-callback-*` queue ICE's event callback should deliver to (api ice with routes, or notification 'queue'). */
  public readonly callbackQueue?: NotificationQueue;

  constructor(scope: ros.Construct, id: string, props: IntelligentProductionProps = {}) {
    super(scope, id);

    this.api = props.api ?? 'ice';
    if (this.api !== 'ice' && this.api !== 'mts') throw propError(this, 'api', "must be 'ice' or 'mts'", this.api);
    const region = checkServiceRegion(this, this.api);
    this.functions = checkFunctions(this, this.api, props.functions ?? [...functionsOf(this.api)]) as FunctionName[];
    this.mediaProducing = props.mediaProducing ?? false;
    if (this.mediaProducing && this.api !== 'ice') {
      throw propError(this, 'mediaProducing', "is only offered by api 'ice'", this.api);
    }
    const notification = props.notification ?? 'topic';
    if (!NOTIFICATION_STYLES.includes(notification)) {
      throw propError(this, 'notification', `must be one of ${NOTIFICATION_STYLES.join(', ')}`, notification);
    }
    this.namePrefix = props.namePrefix ?? defaultNamePrefix(this);
    validateNamePrefix(this, this.namePrefix);
    if (!/^[a-z]/.test(this.namePrefix)) {
      throw propError(this, 'namePrefix', 'must start with a letter (MNS, MPS and FC names do)', this.namePrefix);
    }
    const tags = props.tags ?? {};
    // The tags land on buckets and the FC service alike: the tighter limit holds.
    validateTags(this, tags, Math.min(OSS_LIMITS.bucketTagsMax, FC_LIMITS.serviceTagsMax));
    // The runtime merges the tags into every job's UserData: they must leave room for the request's own and the
    // runtime's keys, or every submit would fail at run time.
    for (const target of this.mediaProducing ? [this.api, 'mediaProducing' as const] : [this.api]) {
      const problem = userDataTagsProblem(tags, target);
      if (problem === undefined) continue;
      if (userDataLimit(target).enforced) throw new Error(`${this.node.path}: tags ${problem}`);
      this.node.addWarning(`tags ${problem} (GUESS: no seed states this limit for MPS)`);
    }
    this.inputPrefix = props.inputPrefix ?? 'input/';
    this.outputPrefix = props.outputPrefix ?? 'output/';
    validateObjectPrefix(this, 'inputPrefix', this.inputPrefix);
    validateObjectPrefix(this, 'outputPrefix', this.outputPrefix);

    const bucketProps: MediaBucketProps = { ...(props.bucketOptions ?? {}), ...(Object.keys(tags).length > 0 ? { tags } : {}) };
    this.inputBucket = props.inputBucket ?? new MediaBucket(this, 'Input', { ...bucketProps, bucketName: `${this.namePrefix}-input` });
    this.outputBucket =
      props.outputBucket ?? new MediaBucket(this, 'Output', { ...bucketProps, bucketName: `${this.namePrefix}-output` });
    checkBucketRegion(this, 'inputBucket', this.inputBucket);
    checkBucketRegion(this, 'outputBucket', this.outputBucket);
    if (this.inputBucket.bucketName === this.outputBucket.bucketName && overlaps(this.inputPrefix, this.outputPrefix)) {
      // Outputs landing under the input prefix would be picked up as inputs by anything that lists it.
      throw propError(this, 'outputPrefix', `must not overlap inputPrefix "${this.inputPrefix}" in the same bucket`, this.outputPrefix);
    }

    this.inputLocations = [{ bucket: this.inputBucket, prefix: this.inputPrefix }, ...(props.additionalInputLocations ?? [])];
    this.outputLocations = [{ bucket: this.outputBucket, prefix: this.outputPrefix }, ...(props.additionalOutputLocations ?? [])];
    this.presets = { ...(props.presets ?? {}) };
    this.validatePresets(region);

    const routes = props.routes ?? [];
    if (routes.length > 0 && !(props.runtime ?? true)) throw propError(this, 'routes', 'needs runtime: true (the runtime runs the loop)', routes.length);
    if (routes.length === 0) {
      for (const prop of ['ledger', 'onUnknownOutcome', 'reconcileWindowSeconds', 'sweepSeconds'] as const) {
        if (props[prop] !== undefined) throw propError(this, prop, 'is only allowed with routes', props[prop]);
      }
    }
    const loopSettings = routes.length > 0 ? this.loopSettings(props, routes) : undefined;

    if (notification === 'queue') {
      this.queue = new NotificationQueue(this, 'Queue', { queueName: `${ICE_CALLBACK_QUEUE_PREFIX}-${this.namePrefix}` });
    } else if (notification === 'topic') {
      this.topic = new NotificationTopic(this, 'Topic', { topicName: `${this.namePrefix}-completions` });
    }
    const renamed = (props as { pipeline?: unknown }).pipeline;
    if (renamed !== undefined) {
      // A JavaScript caller's old prop would otherwise be dropped silently, and with it the pipeline's role.
      throw propError(this, 'pipeline', 'is now pipelineOptions (same speed, speedLevel, state and role)', renamed);
    }
    const pipelineOptions = props.pipelineOptions ?? {};
    this.pipeline = new MediaPipeline(this, 'Pipeline', {
      pipelineName: `${this.namePrefix}-pipeline`,
      speed: pipelineOptions.speed,
      speedLevel: pipelineOptions.speedLevel,
      state: pipelineOptions.state,
      role: pipelineOptions.role,
      notification: this.queue ?? this.topic,
    });

    if (props.runtime ?? true) {
      const options = props.runtimeOptions ?? {};
      if ((options as Record<string, unknown>).timerIntervalMinutes !== undefined) {
        // Removed: the timer it tuned invoked the runtime with no job ids, so every tick did nothing.
        throw propError(
          this,
          'runtimeOptions.timerIntervalMinutes',
          "is no longer supported (the L3 adds no timer; use notification 'topic', or a ProductionRuntime with its own trigger)",
          (options as Record<string, unknown>).timerIntervalMinutes,
        );
      }
      this.runtime = new ProductionRuntime(this, 'Runtime', {
        namePrefix: this.namePrefix,
        api: this.api,
        pipelineId: this.pipeline.pipelineId,
        functions: this.functions,
        inputs: this.inputLocations,
        outputs: this.outputLocations,
        presets: this.presets,
        userDataTags: tags,
        tags,
        platform: options.platform,
        maxInstances: options.maxInstances,
        asyncRetryAttempts: options.asyncRetryAttempts,
        nodeVersion: options.nodeVersion,
        timeoutSeconds: options.timeoutSeconds,
        memorySizeMB: options.memorySizeMB,
        instanceConcurrency: options.instanceConcurrency,
        environment: options.environment,
        ...(loopSettings !== undefined ? { loop: loopSettings } : {}),
        // A queue gets no trigger of its own: the loop's sweep timer drains it (with routes, api ice).
        trigger: this.topic !== undefined ? { type: 'mnsTopic', topicName: this.topic.topicName } : undefined,
      });
      if (loopSettings !== undefined) {
        this.loop = new ProductionLoop(this, 'Loop', {
          runtime: this.runtime,
          namePrefix: this.namePrefix,
          inputBucket: this.inputBucket,
          routes,
          ledger: { ...props.ledger, instanceName: loopSettings.instance, tableName: loopSettings.table },
        });
        if (loopSettings.callbackQueue !== undefined) {
          // ICE's event callback is account-wide per region: `iprod callbacks set` points it here (docs/loop.md).
          this.callbackQueue = this.queue ?? new NotificationQueue(this, 'CallbackQueue', { queueName: loopSettings.callbackQueue });
          this.callbackQueue.grantConsumeMessages(this.runtime);
        }
      }
      // Only the API calls: ICE and MPS read inputs and write outputs through their own service roles, never the
      // runtime's, so the runtime holds no OSS permission (the policy report shows those service roles).
      this.grantJobs(this.runtime);
    } else if (props.runtimeOptions !== undefined) {
      throw propError(this, 'runtimeOptions', 'is only allowed with runtime: true', props.runtimeOptions);
    }
  }

  /**
   * Lets `grantee` submit intelligent production jobs: `ice:SubmitIProductionJob` (api ice) or
   * `mts:SubmitIProductionJob` (api mts) on `"*"`.
   */
  public grantSubmitIProductionJob(grantee: IGrantable): Grant {
    return grantSubmitIProductionJob(grantee, { api: this.api });
  }

  /**
   * Lets `grantee` read intelligent production jobs: `ice:QueryIProductionJob` (api ice) or
   * `mts:QueryIProductionJob` (api mts) on `"*"`.
   */
  public grantQueryIProductionJob(grantee: IGrantable): Grant {
    return grantQueryIProductionJob(grantee, { api: this.api });
  }

  /** Lets `grantee` submit timeline editing jobs: `ice:SubmitMediaProducingJob` on `"*"` (needs `mediaProducing`). */
  public grantSubmitMediaProducingJob(grantee: IGrantable): Grant {
    this.requireMediaProducing('grantSubmitMediaProducingJob');
    return grantSubmitMediaProducingJob(grantee);
  }

  /** Lets `grantee` read timeline editing jobs: `ice:GetMediaProducingJob` on `"*"` (needs `mediaProducing`). */
  public grantGetMediaProducingJob(grantee: IGrantable): Grant {
    this.requireMediaProducing('grantGetMediaProducingJob');
    return grantGetMediaProducingJob(grantee);
  }

  /** Lets `grantee` upload job inputs: `oss:PutObject` (+ multipart abort/list parts) under the input prefix. */
  public grantWriteInputs(grantee: IGrantable): Grant {
    return this.inputBucket.grantWrite(grantee, this.inputPrefix);
  }

  /** Lets `grantee` read job outputs: `oss:GetObject` under the output prefix. */
  public grantReadOutputs(grantee: IGrantable): Grant {
    return this.outputBucket.grantRead(grantee, this.outputPrefix);
  }

  /**
   * Lets `grantee` (an app team's consumer) receive, delete and change the visibility of completion messages on the
   * queue (notification 'queue' only; with `routes` on ICE the runtime consumes it too, for the production loop).
   */
  public grantConsumeNotifications(grantee: IGrantable): Grant {
    if (this.queue === undefined) {
      throw new Error(`${this.node.path}: grantConsumeNotifications needs notification 'queue', got ${this.topic ? "'topic'" : "'none'"}`);
    }
    return this.queue.grantConsumeMessages(grantee);
  }

  /** Lets `grantee` invoke the runtime function: `fc:InvokeFunction` on it (needs `runtime: true`). */
  public grantInvokeRuntime(grantee: IGrantable): Grant {
    if (this.runtime === undefined) throw new Error(`${this.node.path}: grantInvokeRuntime needs runtime: true, got false`);
    return this.runtime.grantInvoke(grantee);
  }

  /**
   * Submit and query for the API in use, plus the MediaProducing pair when enabled: what the runtime needs and
   * what an app team's submitting role needs. Returns each grant, in that order.
   */
  public grantJobs(grantee: IGrantable): Grant[] {
    return [
      this.grantSubmitIProductionJob(grantee),
      this.grantQueryIProductionJob(grantee),
      ...(this.mediaProducing ? [grantSubmitMediaProducingJob(grantee), grantGetMediaProducingJob(grantee)] : []),
    ];
  }

  /** The whole template must fit ROS's limits; checked when the tree is complete, before anything is written. */
  protected validate(): string[] {
    return templateLimitProblems(measureTemplate(renderStackTemplate(ros.Stack.of(this))));
  }

  /** What the runtime's loop needs (env IPROD_LOOP), checked against the presets and the input prefix. */
  private loopSettings(props: IntelligentProductionProps, routes: readonly ProductionRoute[]): RuntimeLoopSettings {
    routes.forEach((r, i) => {
      if (r === null || typeof r !== 'object') throw propError(this, `routes[${i}]`, 'must be an object {prefix, suffixes?, preset}', r);
      if (typeof r.prefix !== 'string' || !r.prefix.startsWith(this.inputPrefix)) {
        throw propError(this, `routes[${i}].prefix`, `must start with the input prefix "${this.inputPrefix}"`, r.prefix);
      }
      validateObjectPrefix(this, `routes[${i}].prefix`, r.prefix);
      if (typeof r.preset !== 'string' || !Object.prototype.hasOwnProperty.call(this.presets, r.preset)) {
        throw propError(this, `routes[${i}].preset`, `must name one of presets (${Object.keys(this.presets).join(', ') || 'none given'})`, r.preset);
      }
      if (r.suffixes !== undefined && (!Array.isArray(r.suffixes) || r.suffixes.some((x) => typeof x !== 'string' || x === '' || x.includes('/')))) {
        throw propError(this, `routes[${i}].suffixes`, "must be a list of non-empty key endings without '/'", r.suffixes);
      }
      routes.slice(0, i).forEach((earlier, j) => {
        const overlap = r.prefix.startsWith(earlier.prefix) || earlier.prefix.startsWith(r.prefix);
        const sharedSuffix = !earlier.suffixes?.length || !r.suffixes?.length || r.suffixes.some((x) => earlier.suffixes!.some((y) => x.endsWith(y) || y.endsWith(x)));
        // OSS refuses triggers whose filters overlap on one bucket, and one upload must start one job.
        if (overlap && sharedSuffix) {
          throw propError(this, `routes[${i}]`, `must not match the keys routes[${j}] matches (prefix "${earlier.prefix}")`, r.prefix);
        }
      });
    });
    const onUnknown = props.onUnknownOutcome ?? {};
    for (const [name, choice] of Object.entries(onUnknown)) {
      if (!routes.some((r) => r.preset === name)) throw propError(this, `onUnknownOutcome.${name}`, 'must name the preset of a route', name);
      if (choice !== 'unknown' && choice !== 'resubmit') throw propError(this, `onUnknownOutcome.${name}`, "must be 'unknown' or 'resubmit'", choice);
    }
    const window = props.reconcileWindowSeconds;
    if (window !== undefined && (!Number.isInteger(window) || window < 60 || window > 86_400)) {
      throw propError(this, 'reconcileWindowSeconds', 'must be a whole number between 60 and 86400', window);
    }
    const sweepSeconds = props.sweepSeconds ?? DEFAULT_SWEEP_SECONDS;
    const timeout = props.runtimeOptions?.timeoutSeconds ?? DEFAULT_RUNTIME_TIMEOUT_SECONDS;
    if (!Number.isInteger(sweepSeconds) || sweepSeconds < 0 || sweepSeconds > MAX_SWEEP_SECONDS || sweepSeconds > timeout - 10) {
      throw propError(this, 'sweepSeconds', `must be a whole number between 0 and ${Math.min(MAX_SWEEP_SECONDS, timeout - 10)} (the sweep runs every minute and must end 10 s before the function's timeout of ${timeout} s)`, sweepSeconds);
    }
    const resubmit = Object.keys(onUnknown).filter((n) => onUnknown[n] === 'resubmit').sort();
    // ICE reports completion to the account's event callback (iprod callbacks): an ice-callback-* queue the sweep drains.
    const callbackQueue = this.api === 'ice' ? `${ICE_CALLBACK_QUEUE_PREFIX}-${this.namePrefix}` : undefined;
    return {
      routes: routes.map((r) => ({ prefix: r.prefix, ...(r.suffixes?.length ? { suffixes: [...r.suffixes] } : {}), preset: r.preset })),
      instance: props.ledger?.instanceName ?? defaultLedgerInstanceName(this.namePrefix),
      table: props.ledger?.tableName ?? DEFAULT_LEDGER_TABLE_NAME,
      topic: `${this.namePrefix}-results`,
      ...(callbackQueue !== undefined ? { callbackQueue } : {}),
      ...(resubmit.length > 0 ? { resubmitOnUnknown: resubmit } : {}),
      ...(window !== undefined ? { reconcileWindowSeconds: window } : {}),
      sweepSeconds,
    };
  }

  private requireMediaProducing(method: string): void {
    if (!this.mediaProducing) throw new Error(`${this.node.path}: ${method} needs mediaProducing: true, got false`);
  }

  /**
   * A preset without `Input` gets one at each invocation; to validate it at synth, it gets a sample input under the
   * first input location, of the first format its function accepts.
   */
  private withSampleInput(preset: Record<string, unknown>): Record<string, unknown> {
    if (preset === null || typeof preset !== 'object') return preset;
    if (preset.Input !== undefined) {
      // Given with the preset: our placeholders are filled from it, as the runtime fills them from each input.
      const media = typeof preset.Input === 'string' ? preset.Input : isRecord(preset.Input) ? preset.Input.Media : undefined;
      return typeof media === 'string' ? { ...presetRequest(preset, media, this.api), Input: preset.Input } : preset;
    }
    const fn = typeof preset.FunctionName === 'string' && isFunctionName(preset.FunctionName) ? preset.FunctionName : undefined;
    const input = fn !== undefined ? CATALOGUE[fn].input : undefined;
    const required = input?.requirements?.find((r) => r.apis.includes(this.api));
    const ext = required?.formats[0] ?? (input?.kinds[0] === 'audio' ? 'wav' : input?.kinds[0] === 'image' ? 'png' : 'mp4');
    const first = this.inputLocations[0];
    const bucket = ros.Token.isUnresolved(first.bucket.bucketName) ? 'input-bucket' : first.bucket.bucketName;
    return presetRequest(preset, `oss://${bucket}/${first.prefix ?? ''}sample.${ext}`, this.api);
  }

  private validatePresets(region: string): void {
    for (const name of Object.keys(this.presets)) {
      const preset = this.withSampleInput(this.presets[name] as Record<string, unknown>);
      const where = `presets.${name}`;
      for (const issue of validateIProductionJob(preset, { region, api: this.api })) {
        const text = `${where}.${issue.field}: ${issue.message}`;
        if (issue.severity === 'error') throw new Error(`${this.node.path}: ${text}`);
        this.node.addWarning(text);
      }
      const fn = preset?.FunctionName;
      if (typeof fn === 'string' && !this.functions.includes(fn as FunctionName)) {
        throw new Error(`${this.node.path}: ${where}.FunctionName must be one of functions (${this.functions.join(', ')}), got "${fn}"`);
      }
      for (const url of findOssUrls(preset)) {
        if (url.region !== undefined && url.region !== region) {
          throw new Error(`${this.node.path}: ${where}.${url.path} must name a bucket in the stack region "${region}", got "${url.url}"`);
        }
      }
      // The check the deployed function runs on each submit: a preset it would refuse fails synth instead.
      const literal = (locations: readonly RuntimeJobLocation[]): JobLocation[] =>
        locations.filter((l) => !ros.Token.isUnresolved(l.bucket.bucketName)).map((l) => ({ bucket: l.bucket.bucketName, prefix: l.prefix ?? '' }));
      const allLiteral = [...this.inputLocations, ...this.outputLocations].every((l) => !ros.Token.isUnresolved(l.bucket.bucketName));
      const refusals = scopeRefusals(preset, 'iProduction', {
        functions: this.functions,
        ...(allLiteral ? { inputs: literal(this.inputLocations), outputs: literal(this.outputLocations) } : {}),
      });
      for (const refusal of refusals) {
        throw new Error(`${this.node.path}: ${where}.${refusal.field} would be refused by the deployed function (rule ${refusal.rule}): ${refusal.message}`);
      }
    }
  }
}

function overlaps(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
