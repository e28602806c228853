import * as crypto from 'crypto';
import * as ros from '@alicloud/ros-cdk-core';
import * as fc from '@alicloud/ros-cdk-fc';
import * as fc3 from '@alicloud/ros-cdk-fc3';
import * as ram from '@alicloud/ros-cdk-ram';
import { sortedTags } from '../jobs';
import {
  type Api, FC_ENV_NAME_PATTERN, FC_LIMITS, FC_NAME_PATTERN, FC_RAM_ACTIONS, fcFunctionArn, MNS_RAM_ACTIONS, mnsArn, RAM_LIMITS,
  RESERVED_ENV_PREFIXES, RUNTIME_ENV,
} from '../service';
import { IMediaBucket, validateTags } from './bucket';
import { Grant, grant, grantOn, IGrantable, RolePrincipal } from './grants';
import { RosQueue } from './ros-mns';
import { defaultNamePrefix, propError, uniqueLogicalId, validateNamePrefix } from './naming';
import { bundleWithFiles, loadRuntimeBundle } from './runtime-bundle';

/** FC runtimes the bundled handler is built for (esbuild targets Node 18). */
export type ProductionRuntimeNodeVersion = 'nodejs18' | 'nodejs20';
const NODE_RUNTIMES: readonly ProductionRuntimeNodeVersion[] = ['nodejs18', 'nodejs20'];

/**
 * Which Function Compute the function runs on: `fc3` (`ALIYUN::FC3::*`, where new accounts and features are) or
 * `fc2` (`ALIYUN::FC::Service/Function/Trigger`, legacy, for accounts that still run it). Same bundle, same handler.
 */
export type RuntimePlatform = 'fc3' | 'fc2';
const PLATFORMS: readonly RuntimePlatform[] = ['fc3', 'fc2'];

/** The function's timeout unless `timeoutSeconds` says otherwise: long enough for `wait` invocations. */
export const DEFAULT_RUNTIME_TIMEOUT_SECONDS = 600;

/** Entry point inside the bundle: `index.js` exporting `handler`. */
export const RUNTIME_HANDLER = 'index.handler';

const {
  timeoutMaxSeconds: MAX_TIMEOUT_SECONDS,
  memoryMinMb: MIN_MEMORY_MB,
  memoryMaxMb: MAX_MEMORY_MB,
  memoryStepMb: MEMORY_STEP_MB,
  instanceConcurrencyMax: MAX_INSTANCE_CONCURRENCY,
  environmentMaxBytes: MAX_ENVIRONMENT_BYTES,
  serviceTagsMax: FC_SERVICE_TAG_LIMIT,
  asyncRetryAttemptsMax: MAX_ASYNC_RETRIES,
  asyncEventAgeMaxSeconds: MAX_ASYNC_EVENT_AGE_SECONDS,
  reservedConcurrencyMax: MAX_INSTANCES,
} = FC_LIMITS;
const MAX_ROLE_NAME = RAM_LIMITS.roleNameMaxChars;
/**
 * What a value ROS resolves at deploy time (a bucket name, a pipeline id) is counted as when sizing the environment:
 * bucket names are at most 63 characters, MPS pipeline ids 32.
 */
const TOKEN_ESTIMATE_BYTES = 64;
/** The file presets go to in the code package when they do not fit the environment. */
export const PRESETS_FILE = 'presets.json';

/** A bucket and a key prefix under it where the function's jobs may read or write. */
export interface RuntimeJobLocation {
  readonly bucket: IMediaBucket;
  /**
   * Key prefix (`''`: the whole bucket).
   * @default ''
   */
  readonly prefix?: string;
}

/** Invokes the function every `intervalMinutes` with a timer event whose payload names the job kind and API. */
export interface TimerTrigger {
  readonly type: 'timer';
  /**
   * Minutes between invocations (1-1440).
   * @default 5
   */
  readonly intervalMinutes?: number;
}

/** Invokes the function for every message published to an MNS topic (job completion notifications). */
export interface MnsTopicTrigger {
  readonly type: 'mnsTopic';
  /** Name of the topic (in the stack's region and account). */
  readonly topicName: string;
}

/** What invokes the function besides direct calls. */
export type ProductionRuntimeTrigger = TimerTrigger | MnsTopicTrigger;

/** Options of {@link ProductionRuntime.addTimer}. */
export interface RuntimeTimerOptions {
  /** Trigger name (letters, digits, `_`, `-`; unique per function). */
  readonly triggerName: string;
  /**
   * Minutes between invocations (1-1440).
   * @default 5
   */
  readonly intervalMinutes?: number;
  /**
   * The event's `payload` (FC hands it over as a string; an object is sent as its JSON).
   * @default - none
   */
  readonly payload?: string | Record<string, unknown>;
}

/** Options of {@link ProductionRuntime.addMnsTopicTrigger}. */
export interface RuntimeMnsTopicOptions {
  readonly triggerName: string;
  /** Name of the topic (in the stack's region and account). */
  readonly topicName: string;
}

/** Options of {@link ProductionRuntime.addOssTrigger}. */
export interface RuntimeOssTriggerOptions {
  readonly triggerName: string;
  /** The bucket whose events invoke the function. */
  readonly bucket: IMediaBucket;
  /**
   * OSS event names.
   * @default ['oss:ObjectCreated:PutObject', 'oss:ObjectCreated:PostObject', 'oss:ObjectCreated:CompleteMultipartUpload', 'oss:ObjectCreated:CopyObject']
   */
  readonly events?: readonly string[];
  /**
   * Only keys starting with this.
   * @default ''
   */
  readonly prefix?: string;
  /**
   * Only keys ending with this.
   * @default ''
   */
  readonly suffix?: string;
}

/** Object-created events an OSS trigger listens to by default. */
export const DEFAULT_OSS_TRIGGER_EVENTS: readonly string[] = [
  'oss:ObjectCreated:PutObject',
  'oss:ObjectCreated:PostObject',
  'oss:ObjectCreated:CompleteMultipartUpload',
  'oss:ObjectCreated:CopyObject',
];

/**
 * What the deployed function's production loop needs besides its presets (docs/loop.md); the handler reads it from
 * env `IPROD_LOOP` (lib/runtime/loop.ts parses the same shape).
 */
export interface RuntimeLoopSettings {
  /** Uploads under `prefix` ending in one of `suffixes` (any, when absent) start a job of `preset`. */
  readonly routes: readonly { readonly prefix: string; readonly suffixes?: readonly string[]; readonly preset: string }[];
  /** Tablestore instance and table of the job ledger. */
  readonly instance: string;
  readonly table: string;
  /** The app's results topic. */
  readonly topic: string;
  /** An `ice-callback-*` queue ICE's event callback delivers to, drained on every sweep. */
  readonly callbackQueue?: string;
  /** Presets whose submits of unknown outcome are sent again (at-least-once, may duplicate a job). */
  readonly resubmitOnUnknown?: readonly string[];
  /** How long a submit of unknown outcome waits for a notification before its row ends Unknown. */
  readonly reconcileWindowSeconds?: number;
  /** How long one sweep invocation keeps passing over open rows and polling the callback queue (0: one pass). */
  readonly sweepSeconds?: number;
}

/** Properties of a `ProductionRuntime`. */
export interface ProductionRuntimeProps {
  /**
   * Seeds the names of the role (`{prefix}-runtime`), the FC 2.0 service (`{prefix}-runtime`), the function
   * (`{prefix}-handler`) and the queue failed asynchronous invocations go to (`{prefix}-failed-invocations`).
   * @default - the stack name, lowercased, with characters OSS does not allow replaced by '-'
   */
  readonly namePrefix?: string;
  /**
   * Function Compute 3.0 or the legacy 2.0.
   * @default 'fc3'
   */
  readonly platform?: RuntimePlatform;
  /**
   * Which API the handler submits intelligent production jobs to (env `IPROD_API`).
   * @default 'ice'
   */
  readonly api?: Api;
  /**
   * MPS pipeline the handler schedules jobs on (env `IPROD_PIPELINE_ID`).
   * @default - none; jobs use the account's default pipeline
   */
  readonly pipelineId?: string;
  /**
   * The intelligent production functions the function submits (env `IPROD_FUNCTIONS`); it refuses any other.
   * @default - not enforced: every function the API offers
   */
  readonly functions?: readonly string[];
  /**
   * Where jobs may read inputs (env `IPROD_INPUT_LOCATIONS`); the function refuses any other OSS location. No
   * permission is given: the service reads through its own role.
   * @default - none: every request reading OSS is refused
   */
  readonly inputs?: readonly RuntimeJobLocation[];
  /**
   * Where jobs may write outputs (env `IPROD_OUTPUT_LOCATIONS`); the function refuses any other OSS location.
   * @default - none: every request writing OSS is refused
   */
  readonly outputs?: readonly RuntimeJobLocation[];
  /**
   * Requests deployed with the function, invocable by name: `{"action":"submit","preset":"name","input":"oss://..."}`.
   * Validate them first (`IntelligentProduction` does). In the environment (`IPROD_PRESETS`) when they fit FC's 4 KB,
   * otherwise in `presets.json` inside the code package.
   * @default - none
   */
  readonly presets?: Readonly<Record<string, object>>;
  /**
   * The production loop's settings (routes, ledger, results topic, callback queue), handed to the handler as env
   * `IPROD_LOOP` (JSON). `IntelligentProduction` sets it when it has routes; its presets come from `presets`.
   * @default - no loop
   */
  readonly loop?: RuntimeLoopSettings;
  /**
   * Tags the handler merges into each job's UserData (env `IPROD_USER_DATA_TAGS`, JSON).
   * @default - none
   */
  readonly userDataTags?: Record<string, string>;
  /**
   * Extra environment variables. Names starting `IPROD_`, `FC_` or `ALIBABA_CLOUD_` are reserved.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * FC runtime.
   * @default 'nodejs18'
   */
  readonly nodeVersion?: ProductionRuntimeNodeVersion;
  /**
   * Function timeout: long enough for `wait` invocations that poll a job to its end (1-86400).
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Function memory; the handler mostly waits, so little is needed (128-32768, a multiple of 64).
   * @default 256
   */
  readonly memorySizeMB?: number;
  /**
   * The most invocations running at once: on FC 3.0 the function's `ReservedConcurrency` (standard runtimes run one
   * invocation per instance, so it caps instances). The handler divides the API's QPS limits by it (env
   * `IPROD_MAX_INSTANCES`), so a burst cannot push the account over its limit. On FC 2.0 nothing caps instances: the
   * share is planned for this many.
   * @default 10
   */
  readonly maxInstances?: number;
  /**
   * FC 2.0 only: requests one instance serves at once (1-100). FC 3.0 standard runtimes have no instance concurrency.
   * @default 10
   */
  readonly instanceConcurrency?: number;
  /**
   * Retries of a failed asynchronous invocation (0-8) before it goes to the on-failure queue.
   * @default 3
   */
  readonly asyncRetryAttempts?: number;
  /**
   * How long an asynchronous invocation may wait to run before it is given up (and sent to the on-failure queue),
   * 1-604800.
   * @default 86400
   */
  readonly asyncMaxEventAgeSeconds?: number;
  /**
   * What invokes the function besides direct calls.
   * @default - no trigger
   */
  readonly trigger?: ProductionRuntimeTrigger;
  /**
   * Tags on the roles, the function (FC 3.0) or service (FC 2.0), at most 20.
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
}

/** Sizes the environment as FC counts it, a value ROS resolves at deploy time counted at its largest. */
function environmentBytes(env: Readonly<Record<string, string>>): number {
  return Object.keys(env).reduce((sum, k) => {
    const v = env[k];
    const literal = v.replace(/\$\{Token\[[^\]]*\]\}/g, '');
    const tokens = (v.match(/\$\{Token\[[^\]]*\]\}/g) ?? []).length;
    return sum + Buffer.byteLength(k) + Buffer.byteLength(literal) + tokens * TOKEN_ESTIMATE_BYTES;
  }, 0);
}

/** `"bucket/prefix"` entries, the form the handler parses (bucket names may be tokens: ROS joins them in). */
function locationList(scope: ros.IConstruct, prop: string, locations: readonly RuntimeJobLocation[]): string {
  const entries = locations.map((l, i) => {
    const prefix = l.prefix ?? '';
    if (typeof prefix !== 'string' || prefix.startsWith('/')) {
      throw propError(scope, `${prop}[${i}].prefix`, "must be a key prefix not starting with '/'", prefix);
    }
    return `${l.bucket.bucketName}/${prefix}`;
  });
  return `[${entries.map((e) => `"${e}"`).join(',')}]`;
}

/** The runtime function: one the stack creates (`ProductionRuntime`) or one it only references (another stack's). */
export interface IProductionRuntime extends ros.IResource {
  readonly functionName: string;
  /** The FC 2.0 service of the function; `undefined` on FC 3.0. */
  readonly serviceName?: string;
  /** FC 3.0: `acs:fc:{region}:{account}:functions/{function}`; FC 2.0: `...:services/{service}/functions/{function}`. */
  readonly functionArn: string;
  /** Lets `grantee` invoke the function. Gives `fc:InvokeFunction` on the function's ARN. */
  grantInvoke(grantee: IGrantable): Grant;
  /** Gives `grantee` any `fc:` actions on the function, for what `grantInvoke` does not cover. */
  grant(grantee: IGrantable, ...actions: string[]): Grant;
}

/** Attributes of a runtime function the stack does not own. */
export interface ProductionRuntimeAttributes {
  /** The function's name (`{prefix}-handler` when another `ProductionRuntime` created it). */
  readonly functionName: string;
  /**
   * The FC 2.0 service the function belongs to (`{prefix}-runtime`).
   * @default - none: an FC 3.0 function
   */
  readonly serviceName?: string;
}

/** The ARN and grants of a runtime function, implemented once for owned and imported functions alike. */
abstract class ProductionRuntimeBase extends ros.Resource implements IProductionRuntime {
  public abstract readonly functionName: string;
  public abstract readonly serviceName?: string;
  public abstract readonly functionArn: string;

  public grantInvoke(grantee: IGrantable): Grant {
    return grant(grantee, FC_RAM_ACTIONS.invoke, [this.functionArn]);
  }

  public grant(grantee: IGrantable, ...actions: string[]): Grant {
    return grantOn(this, 'fc', grantee, actions, [this.functionArn]);
  }
}

class ImportedProductionRuntime extends ProductionRuntimeBase {
  public readonly functionName: string;
  public readonly serviceName?: string;
  public readonly functionArn: string;

  constructor(scope: ros.Construct, id: string, attrs: ProductionRuntimeAttributes) {
    super(scope, id);
    for (const prop of ['functionName', 'serviceName'] as const) {
      const value = attrs[prop];
      if (value === undefined || ros.Token.isUnresolved(value)) continue;
      if (typeof value !== 'string' || !FC_NAME_PATTERN.test(value)) {
        throw propError(this, prop, 'must be 1-128 letters, digits, _ or -, starting with a letter or _', value);
      }
    }
    this.functionName = attrs.functionName;
    this.serviceName = attrs.serviceName;
    const stack = ros.Stack.of(this);
    this.functionArn = fcFunctionArn(stack.region, stack.account, attrs.functionName, attrs.serviceName);
  }
}

/**
 * The FC function that submits and tracks jobs, on FC 3.0 by default (FC 2.0 by `platform: 'fc2'`, same bundle):
 * its own RAM role (trusted by `fc.aliyuncs.com` only, no AccessKeys), the bundled handler (`Code.ZipFile`), a cap on
 * concurrent invocations with the API's QPS limit shared among them, asynchronous invocations retried and, when they
 * still fail, sent to an MNS queue, and the decisions the handler enforces (functions, input and output locations,
 * presets). Triggers, environment variables and permissions can be added after construction (`addTimer`,
 * `addMnsTopicTrigger`, `addOssTrigger`, `addEnvironment`, grants through `runtime.role`).
 */
export class ProductionRuntime extends ProductionRuntimeBase implements IGrantable {
  /** A runtime function on FC 3.0 this stack does not own, by name (to grant invoking another stack's runtime). */
  public static fromFunctionName(scope: ros.Construct, id: string, functionName: string): IProductionRuntime {
    return ProductionRuntime.fromFunctionAttributes(scope, id, { functionName });
  }

  /** A runtime function this stack does not own, on FC 3.0 or (with `serviceName`) FC 2.0. */
  public static fromFunctionAttributes(scope: ros.Construct, id: string, attrs: ProductionRuntimeAttributes): IProductionRuntime {
    return new ImportedProductionRuntime(scope, id, attrs);
  }

  /** The role the function runs as; grants land in its one managed policy. */
  public readonly role: RolePrincipal;
  public readonly grantPrincipal: RolePrincipal;
  public readonly roleName: string;
  /** ARN of the role the function runs as. */
  public readonly roleArn: string;
  public readonly platform: RuntimePlatform;
  /** The FC 2.0 service (`fc2` only). */
  public readonly serviceName?: string;
  public readonly functionName: string;
  /** FC 3.0: `acs:fc:{region}:{account}:functions/{function}`; FC 2.0: `...:services/{service}/functions/{function}`. */
  public readonly functionArn: string;
  public readonly timeoutSeconds: number;
  public readonly memorySizeMB: number;
  public readonly maxInstances: number;
  /** FC 2.0 only. */
  public readonly instanceConcurrency?: number;
  /** Name of the queue failed asynchronous invocations go to. */
  public readonly failureQueueName: string;
  /** `acs:mns:{region}:{account}:/queues/{name}` of that queue. */
  public readonly failureQueueArn: string;

  private readonly api: Api;
  private readonly namePrefix: string;
  private readonly tagList: { key: string; value: string }[];
  private readonly variables: Record<string, string> = {};
  private readonly presets?: Readonly<Record<string, object>>;
  private rendered?: { environment: Record<string, string>; zipBase64: string };
  private readonly fcFunction: fc3.RosFunction | fc.RosFunction;
  private readonly triggerNames = new Set<string>();
  private mnsInvokeRole?: ram.RosRole;

  constructor(scope: ros.Construct, id: string, props: ProductionRuntimeProps = {}) {
    super(scope, id);
    const stack = ros.Stack.of(this);

    const namePrefix = props.namePrefix ?? defaultNamePrefix(this);
    validateNamePrefix(this, namePrefix);
    this.namePrefix = namePrefix;
    if (!FC_NAME_PATTERN.test(namePrefix)) {
      throw propError(this, 'namePrefix', 'must start with a letter (FC service and function names do)', namePrefix);
    }
    this.platform = props.platform ?? 'fc3';
    if (!PLATFORMS.includes(this.platform)) throw propError(this, 'platform', `must be one of ${PLATFORMS.join(', ')}`, this.platform);
    const api = props.api ?? 'ice';
    if (api !== 'ice' && api !== 'mts') throw propError(this, 'api', "must be 'ice' or 'mts'", api);
    this.api = api;
    const nodeVersion = props.nodeVersion ?? 'nodejs18';
    if (!NODE_RUNTIMES.includes(nodeVersion)) {
      throw propError(this, 'nodeVersion', `must be one of ${NODE_RUNTIMES.join(', ')}`, nodeVersion);
    }
    this.timeoutSeconds = wholeNumber(this, 'timeoutSeconds', props.timeoutSeconds ?? DEFAULT_RUNTIME_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS);
    this.memorySizeMB = props.memorySizeMB ?? 256;
    if (
      !Number.isInteger(this.memorySizeMB) ||
      this.memorySizeMB < MIN_MEMORY_MB ||
      this.memorySizeMB > MAX_MEMORY_MB ||
      this.memorySizeMB % MEMORY_STEP_MB !== 0
    ) {
      throw propError(
        this,
        'memorySizeMB',
        `must be a multiple of ${MEMORY_STEP_MB} between ${MIN_MEMORY_MB} and ${MAX_MEMORY_MB}`,
        this.memorySizeMB,
      );
    }
    this.maxInstances = wholeNumber(this, 'maxInstances', props.maxInstances ?? 10, 1, MAX_INSTANCES);
    if (this.platform === 'fc2') {
      this.instanceConcurrency = wholeNumber(this, 'instanceConcurrency', props.instanceConcurrency ?? 10, 1, MAX_INSTANCE_CONCURRENCY);
    } else if (props.instanceConcurrency !== undefined) {
      throw propError(this, 'instanceConcurrency', "is FC 2.0 only (FC 3.0 standard runtimes run one invocation per instance: use maxInstances), got it with platform 'fc3'", props.instanceConcurrency);
    }
    const asyncRetries = wholeNumber(this, 'asyncRetryAttempts', props.asyncRetryAttempts ?? 3, 0, MAX_ASYNC_RETRIES);
    const asyncAge = wholeNumber(this, 'asyncMaxEventAgeSeconds', props.asyncMaxEventAgeSeconds ?? 86_400, 1, MAX_ASYNC_EVENT_AGE_SECONDS);
    const tags = props.tags ?? {};
    validateTags(this, tags, FC_SERVICE_TAG_LIMIT);
    this.tagList = Object.keys(tags).map((key) => ({ key, value: tags[key] }));
    this.presets = props.presets;
    this.initEnvironment(stack, props);

    this.roleName = `${namePrefix}-runtime`;
    if (this.roleName.length > MAX_ROLE_NAME) {
      throw propError(this, 'namePrefix', `makes the role name longer than ${MAX_ROLE_NAME} characters`, namePrefix);
    }
    this.functionName = `${namePrefix}-handler`;
    this.failureQueueName = `${namePrefix}-failed-invocations`;
    this.failureQueueArn = mnsArn(stack.region, stack.account, 'queues', this.failureQueueName);

    const rosRole = new ram.RosRole(
      this,
      uniqueLogicalId(this, 'Role'),
      {
        roleName: this.roleName,
        description: `Runs the ${this.functionName} function (ros-cdk-iproduction)`,
        assumeRolePolicyDocument: trustPolicy('fc.aliyuncs.com'),
        ...(this.tagList.length > 0 ? { tags: this.tagList } : {}),
      },
      true,
    );
    this.roleArn = ros.Token.asString(rosRole.attrArn);
    this.role = new RolePrincipal(this, 'Grants', { role: rosRole, policyNamePrefix: namePrefix });
    this.grantPrincipal = this.role;

    // Failed asynchronous invocations (retries exhausted, or too old to run) land here instead of being dropped.
    const failureQueue = new RosQueue(this, uniqueLogicalId(this, 'FailedInvocations'), {
      queueName: this.failureQueueName,
      // The longest MNS keeps a message: a week to look at what failed.
      messageRetentionPeriod: 604_800,
    });
    // FC delivers to the destination with the function's role (GUESS: FC 3.0 "asynchronous invocation destinations"
    // asks the function's role for the destination's send permission).
    grant(this, MNS_RAM_ACTIONS.send, [this.failureQueueArn, `${this.failureQueueArn}/messages`]);
    const destination = `${this.failureQueueArn}/messages`;

    const description = `ros-cdk-iproduction runtime (bundle sha256 ${loadRuntimeBundle().sha256.slice(0, 16)})`;
    const code = ros.Lazy.anyValue({ produce: () => ({ zipFile: this.render().zipBase64 }) });
    const environmentVariables = ros.Lazy.anyValue({ produce: () => ({ ...this.render().environment }) });
    if (this.platform === 'fc3') {
      this.functionArn = fcFunctionArn(stack.region, stack.account, this.functionName);
      const fn = new fc3.RosFunction(
        this,
        uniqueLogicalId(this, 'Resource'),
        {
          functionName: this.functionName,
          handler: RUNTIME_HANDLER,
          runtime: nodeVersion,
          code: code as unknown as fc3.RosFunction.CodeProperty,
          timeout: this.timeoutSeconds,
          memorySize: this.memorySizeMB,
          role: rosRole.attrArn,
          // The handler calls the public ICE/MTS endpoints.
          internetAccess: true,
          environmentVariables: environmentVariables as unknown as Record<string, string>,
          description,
          ...(this.tagList.length > 0 ? { tags: this.tagList } : {}),
        },
        true,
      );
      fn.addRosDependency(failureQueue.logicalId);
      this.fcFunction = fn;
      new fc3.RosConcurrencyConfig(this, uniqueLogicalId(this, 'Concurrency'), {
        functionName: fn.attrFunctionName,
        reservedConcurrency: this.maxInstances,
      }, true);
      new fc3.RosAsyncInvokeConfig(this, uniqueLogicalId(this, 'AsyncInvoke'), {
        functionName: fn.attrFunctionName,
        maxAsyncRetryAttempts: asyncRetries,
        maxAsyncEventAgeInSeconds: asyncAge,
        destinationConfig: { onFailure: { destination } },
      }, true);
      // The policy must exist before FC checks the destination (and before the first invocation needs it).
      this.dependOnPolicy(fn);
    } else {
      this.serviceName = `${namePrefix}-runtime`;
      this.functionArn = fcFunctionArn(stack.region, stack.account, this.functionName, this.serviceName);
      const service = new fc.RosService(
        this,
        uniqueLogicalId(this, 'Service'),
        {
          serviceName: this.serviceName,
          description: 'Submits and tracks Intelligent Media Services jobs (ros-cdk-iproduction)',
          role: rosRole.attrArn,
          internetAccess: true,
          ...(this.tagList.length > 0 ? { tags: this.tagList } : {}),
        },
        true,
      );
      const fn = new fc.RosFunction(
        this,
        uniqueLogicalId(this, 'Resource'),
        {
          serviceName: service.attrServiceName,
          functionName: this.functionName,
          handler: RUNTIME_HANDLER,
          runtime: nodeVersion,
          code: code as unknown as fc.RosFunction.CodeProperty,
          timeout: this.timeoutSeconds,
          memorySize: this.memorySizeMB,
          instanceConcurrency: this.instanceConcurrency,
          environmentVariables: environmentVariables as unknown as Record<string, string>,
          asyncConfiguration: {
            maxAsyncRetryAttempts: asyncRetries,
            maxAsyncEventAgeInSeconds: asyncAge,
            destination: { onFailure: destination },
          },
          description,
        },
        true,
      );
      fn.addRosDependency(failureQueue.logicalId);
      this.fcFunction = fn;
      this.dependOnPolicy(fn);
    }
    this.node.defaultChild = this.fcFunction;

    if (props.trigger !== undefined) this.addLegacyTrigger(props.trigger);
  }

  /**
   * Adds an environment variable (for configuration the function's other features read, e.g. a ledger table).
   * Names starting `IPROD_`, `FC_` or `ALIBABA_CLOUD_` are reserved; the environment must stay within 4 KB.
   */
  public addEnvironment(key: string, value: string): void {
    if (this.rendered !== undefined) throw new Error(`${this.node.path}: addEnvironment(${JSON.stringify(key)}) is too late: the function has been synthesized`);
    checkEnvironmentEntry(this, 'addEnvironment', key, value);
    if (Object.prototype.hasOwnProperty.call(this.variables, key)) throw propError(this, 'addEnvironment', 'keys must be unique', key);
    this.variables[key] = value;
  }

  /** Invokes the function every `intervalMinutes` minutes with `payload`. */
  public addTimer(id: string, options: RuntimeTimerOptions): void {
    const minutes = wholeNumber(this, `${id}.intervalMinutes`, options.intervalMinutes ?? 5, FC_LIMITS.timerIntervalMinMinutes, FC_LIMITS.timerIntervalMaxMinutes);
    const payload = options.payload === undefined ? undefined : typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
    this.addTrigger(id, options.triggerName, 'timer', {
      // FC's trigger configs are camelCase; ROS hands TriggerConfig to CreateTrigger as is.
      cronExpression: `@every ${minutes}m`,
      enable: true,
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  /**
   * Invokes the function for every message published to an MNS topic (JSON notification format, backoff retries),
   * through a role of its own trusted by `mns.aliyuncs.com` only and allowed only `fc:InvokeFunction` on the function.
   */
  public addMnsTopicTrigger(id: string, options: RuntimeMnsTopicOptions): void {
    if (typeof options.topicName !== 'string' || options.topicName.length === 0) {
      throw propError(this, `${id}.topicName`, 'must be a non-empty topic name', options.topicName);
    }
    const stack = ros.Stack.of(this);
    this.addTrigger(id, options.triggerName, 'mns_topic', { notifyContentFormat: 'JSON', notifyStrategy: 'BACKOFF_RETRY' }, {
      sourceArn: `acs:mns:${stack.region}:${stack.account}:/topics/${options.topicName}`,
      invocationRole: ros.Token.asString(this.invokeRoleFor('mns').attrArn),
    });
  }

  /**
   * Invokes the function for OSS events of `bucket` (object created, by default) under `prefix` ending with `suffix`,
   * through a role of its own trusted by `oss.aliyuncs.com` only and allowed only `fc:InvokeFunction` on the function.
   */
  public addOssTrigger(id: string, options: RuntimeOssTriggerOptions): void {
    const events = [...(options.events ?? DEFAULT_OSS_TRIGGER_EVENTS)];
    if (events.length === 0 || events.some((e) => typeof e !== 'string' || !/^oss:[A-Za-z]+:[A-Za-z*]+$/.test(e))) {
      throw propError(this, `${id}.events`, "must list OSS event names such as 'oss:ObjectCreated:PutObject'", options.events);
    }
    const stack = ros.Stack.of(this);
    this.addTrigger(id, options.triggerName, 'oss', {
      events,
      filter: { key: { prefix: options.prefix ?? '', suffix: options.suffix ?? '' } },
    }, {
      sourceArn: `acs:oss:${stack.region}:${stack.account}:${options.bucket.bucketName}`,
      invocationRole: ros.Token.asString(this.invokeRoleFor('oss').attrArn),
    });
  }

  /** Lower-level: any FC trigger (`triggerConfig` as FC's CreateTrigger takes it, camelCase). */
  public addTrigger(
    id: string,
    triggerName: string,
    triggerType: string,
    triggerConfig: Record<string, unknown>,
    source: { sourceArn?: string; invocationRole?: string } = {},
  ): void {
    if (typeof triggerName !== 'string' || !FC_NAME_PATTERN.test(triggerName)) {
      throw propError(this, `${id}.triggerName`, 'must be 1-128 letters, digits, _ or -, starting with a letter or _', triggerName);
    }
    if (this.triggerNames.has(triggerName)) throw propError(this, `${id}.triggerName`, 'must be unique per function', triggerName);
    this.triggerNames.add(triggerName);
    const logicalId = uniqueLogicalId(this, id);
    const common = { functionName: this.fcFunction.attrFunctionName, triggerName, triggerType, triggerConfig, ...source };
    if (this.fcFunction instanceof fc3.RosFunction) new fc3.RosTrigger(this, logicalId, common, true);
    else new fc.RosTrigger(this, logicalId, { ...common, serviceName: this.serviceName! }, true);
  }

  /** The environment as it deploys, presets included when they fit (tokens unresolved). */
  public get environment(): Readonly<Record<string, string>> {
    return this.render().environment;
  }

  /** Whether the presets ship inside the code package (`presets.json`) rather than in the environment. */
  public get presetsInPackage(): boolean {
    return this.render().environment[RUNTIME_ENV.presetsFile] !== undefined;
  }

  /** The environment must fit FC's limit once every addition is in. */
  protected validate(): string[] {
    const bytes = environmentBytes(this.render().environment);
    if (bytes > MAX_ENVIRONMENT_BYTES) {
      return [`environment must total at most ${MAX_ENVIRONMENT_BYTES} bytes (FC limit; values resolved at deploy time counted as ${TOKEN_ESTIMATE_BYTES}), got ${bytes}`];
    }
    return [];
  }

  private addLegacyTrigger(trigger: ProductionRuntimeTrigger): void {
    if (trigger.type === 'timer') {
      this.addTimer('Trigger', {
        triggerName: 'timer',
        intervalMinutes: trigger.intervalMinutes,
        payload: JSON.stringify({ kind: 'iProduction', api: this.api }),
      });
    } else if (trigger.type === 'mnsTopic') {
      this.addMnsTopicTrigger('Trigger', { triggerName: 'completions', topicName: trigger.topicName });
    } else {
      throw propError(this, 'trigger.type', "must be 'timer' or 'mnsTopic'", (trigger as { type?: unknown }).type);
    }
  }

  /** One role per invoking service, created on first use; its one fixed permission is inline. */
  private invokeRoleFor(service: 'mns' | 'oss'): ram.RosRole {
    if (service === 'mns' && this.mnsInvokeRole) return this.mnsInvokeRole;
    const existing = this.node.tryFindChild(uniqueLogicalId(this, service === 'mns' ? 'TriggerRole' : 'OssTriggerRole'));
    if (existing) return existing as ram.RosRole;
    const role = new ram.RosRole(
      this,
      uniqueLogicalId(this, service === 'mns' ? 'TriggerRole' : 'OssTriggerRole'),
      {
        roleName: `${this.roleName}-${service}`,
        description: `Lets ${service.toUpperCase()} invoke the ${this.functionName} function (ros-cdk-iproduction)`,
        assumeRolePolicyDocument: trustPolicy(`${service}.aliyuncs.com`),
        ...(this.tagList.length > 0 ? { tags: this.tagList } : {}),
        policies: [
          {
            policyName: `${this.roleName}-${service}-invoke`,
            policyDocument: {
              version: '1',
              statement: [{ effect: 'Allow', action: [...FC_RAM_ACTIONS.invoke], resource: [this.functionArn] }],
            },
          },
        ],
      },
      true,
    );
    if (service === 'mns') this.mnsInvokeRole = role;
    return role;
  }

  private dependOnPolicy(fn: ros.RosResource): void {
    const policy = this.role.managedPolicy;
    if (policy !== undefined) fn.addRosDependency(policy.logicalId);
  }

  private initEnvironment(stack: ros.Stack, props: ProductionRuntimeProps): void {
    const extra = props.environment ?? {};
    for (const key of Object.keys(extra)) checkEnvironmentEntry(this, 'environment', key, extra[key]);
    const userDataTags = props.userDataTags ?? {};
    for (const key of Object.keys(userDataTags)) {
      if (typeof userDataTags[key] !== 'string') {
        throw propError(this, `userDataTags.${key}`, 'must be a string', userDataTags[key]);
      }
    }
    const functions = props.functions;
    if (functions !== undefined && (!Array.isArray(functions) || functions.some((f) => typeof f !== 'string' || !/^[A-Za-z0-9]+$/.test(f)))) {
      throw propError(this, 'functions', 'must be a list of function names', functions);
    }
    Object.assign(this.variables, {
      ...extra,
      [RUNTIME_ENV.region]: stack.region,
      [RUNTIME_ENV.api]: this.api,
      ...(props.pipelineId !== undefined ? { [RUNTIME_ENV.pipelineId]: props.pipelineId } : {}),
      ...(Object.keys(userDataTags).length > 0 ? { [RUNTIME_ENV.userDataTags]: JSON.stringify(sortedTags(userDataTags)) } : {}),
      ...(functions !== undefined ? { [RUNTIME_ENV.functions]: JSON.stringify([...functions]) } : {}),
      [RUNTIME_ENV.inputLocations]: locationList(this, 'inputs', props.inputs ?? []),
      [RUNTIME_ENV.outputLocations]: locationList(this, 'outputs', props.outputs ?? []),
      [RUNTIME_ENV.maxInstances]: String(this.maxInstances),
      ...(props.loop !== undefined ? { [RUNTIME_ENV.loop]: JSON.stringify(sortDeep(props.loop)) } : {}),
    });
  }

  /**
   * Decides, once the tree is complete, where the presets go: the environment when everything fits FC's 4 KB, else a
   * file in the code package (named in the environment with its SHA-256). Deterministic either way.
   */
  private render(): { environment: Record<string, string>; zipBase64: string } {
    if (this.rendered !== undefined) return this.rendered;
    const environment = { ...this.variables };
    let zipBase64 = loadRuntimeBundle().zipBase64;
    if (this.presets !== undefined && Object.keys(this.presets).length > 0) {
      const json = JSON.stringify(sortDeep(this.presets));
      const inline = { ...environment, [RUNTIME_ENV.presets]: json };
      if (environmentBytes(inline) <= MAX_ENVIRONMENT_BYTES) {
        Object.assign(environment, { [RUNTIME_ENV.presets]: json });
      } else {
        zipBase64 = bundleWithFiles({ [PRESETS_FILE]: json }).zipBase64;
        Object.assign(environment, {
          [RUNTIME_ENV.presetsFile]: PRESETS_FILE,
          [RUNTIME_ENV.presetsSha256]: crypto.createHash('sha256').update(json).digest('hex'),
        });
      }
    }
    this.rendered = { environment, zipBase64 };
    return this.rendered;
  }
}

function wholeNumber(scope: ros.IConstruct, prop: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, `must be a whole number between ${min} and ${max}`, value);
  }
  return value;
}

function checkEnvironmentEntry(scope: ros.IConstruct, prop: string, key: string, value: unknown): void {
  if (!FC_ENV_NAME_PATTERN.test(key)) {
    throw propError(scope, prop, 'keys must be letters, digits and underscores, not starting with a digit', key);
  }
  if (RESERVED_ENV_PREFIXES.some((p) => key.startsWith(p))) {
    throw propError(scope, prop, `keys starting ${RESERVED_ENV_PREFIXES.slice(0, -1).join(', ')} or ${RESERVED_ENV_PREFIXES[RESERVED_ENV_PREFIXES.length - 1]} are reserved`, key);
  }
  if (typeof value !== 'string') throw propError(scope, `${prop}.${key}`, 'must be a string', value);
}

function trustPolicy(service: string): ram.RosRole.AssumeRolePolicyDocumentProperty {
  return {
    version: '1',
    statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: [service] } }],
  };
}

/** Object keys sorted at every depth, so the same presets always serialize (and hash) the same. */
function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) out[key] = sortDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
