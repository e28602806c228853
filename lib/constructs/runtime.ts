import * as ros from '@alicloud/ros-cdk-core';
import * as fc from '@alicloud/ros-cdk-fc';
import * as ram from '@alicloud/ros-cdk-ram';
import { type Api, FC_ENV_NAME_PATTERN, FC_LIMITS, FC_NAME_PATTERN, RAM_LIMITS, RESERVED_ENV_PREFIXES, RUNTIME_ENV } from '../service';
import { IMediaBucket, validateTags } from './bucket';
import { grant, IGrantable, RolePrincipal } from './grants';
import { defaultNamePrefix, propError, uniqueLogicalId, validateNamePrefix } from './naming';
import { loadRuntimeBundle } from './runtime-bundle';

/** FC runtimes the bundled handler is built for (esbuild targets Node 18). */
export type ProductionRuntimeNodeVersion = 'nodejs18' | 'nodejs20';
const NODE_RUNTIMES: readonly ProductionRuntimeNodeVersion[] = ['nodejs18', 'nodejs20'];

/** The action `grantInvoke` gives on the function. */
export const FC_INVOKE_ACTIONS: readonly string[] = ['fc:InvokeFunction'];

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
} = FC_LIMITS;
const MAX_ROLE_NAME = RAM_LIMITS.roleNameMaxChars;

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

/** Properties of a `ProductionRuntime`. */
export interface ProductionRuntimeProps {
  /**
   * Seeds the names of the role (`{prefix}-runtime`), service (`{prefix}-runtime`) and function (`{prefix}-handler`).
   * @default - the stack name, lowercased, with characters OSS does not allow replaced by '-'
   */
  readonly namePrefix?: string;
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
   * Tags the handler offers for each job's UserData (env `IPROD_USER_DATA_TAGS`, JSON).
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
   * Requests one instance serves at once (1-100). Waiting invocations are idle, so sharing an instance is cheap,
   * and the cap keeps a burst from fanning out into as many instances (and API calls) as requests.
   * @default 10
   */
  readonly instanceConcurrency?: number;
  /**
   * What invokes the function besides direct calls.
   * @default - no trigger
   */
  readonly trigger?: ProductionRuntimeTrigger;
  /**
   * Tags on the roles and the FC service (at most 20).
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
}

/**
 * The FC function that submits and tracks jobs: its own RAM role (trusted by `fc.aliyuncs.com` only, no AccessKeys),
 * a service, the bundled handler (`Code.ZipFile` from `dist/bundle/runtime.zip`) and an optional completion trigger.
 * Grant it what it needs through `runtime.role` (or the runtime itself: it is `IGrantable`).
 */
export class ProductionRuntime extends ros.Resource implements IGrantable {
  /** The role the function runs as; grants land in its one managed policy. */
  public readonly role: RolePrincipal;
  public readonly grantPrincipal: RolePrincipal;
  public readonly roleName: string;
  /** ARN of the role the function runs as. */
  public readonly roleArn: string;
  public readonly serviceName: string;
  public readonly functionName: string;
  /** `acs:fc:{region}:{account}:services/{service}/functions/{function}` */
  public readonly functionArn: string;
  /** The environment the function gets (tokens unresolved). */
  public readonly environment: Readonly<Record<string, string>>;
  public readonly timeoutSeconds: number;
  public readonly memorySizeMB: number;
  public readonly instanceConcurrency: number;

  private readonly rosRole: ram.RosRole;
  private readonly namePrefix: string;

  constructor(scope: ros.Construct, id: string, props: ProductionRuntimeProps = {}) {
    super(scope, id);
    const stack = ros.Stack.of(this);

    const namePrefix = props.namePrefix ?? defaultNamePrefix(this);
    validateNamePrefix(this, namePrefix);
    this.namePrefix = namePrefix;
    if (!FC_NAME_PATTERN.test(namePrefix)) {
      throw propError(this, 'namePrefix', 'must start with a letter (FC service and function names do)', namePrefix);
    }
    const api = props.api ?? 'ice';
    if (api !== 'ice' && api !== 'mts') throw propError(this, 'api', "must be 'ice' or 'mts'", api);
    const nodeVersion = props.nodeVersion ?? 'nodejs18';
    if (!NODE_RUNTIMES.includes(nodeVersion)) {
      throw propError(this, 'nodeVersion', `must be one of ${NODE_RUNTIMES.join(', ')}`, nodeVersion);
    }
    this.timeoutSeconds = props.timeoutSeconds ?? 600;
    if (!Number.isInteger(this.timeoutSeconds) || this.timeoutSeconds < 1 || this.timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw propError(this, 'timeoutSeconds', `must be a whole number between 1 and ${MAX_TIMEOUT_SECONDS}`, this.timeoutSeconds);
    }
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
    this.instanceConcurrency = props.instanceConcurrency ?? 10;
    if (
      !Number.isInteger(this.instanceConcurrency) ||
      this.instanceConcurrency < 1 ||
      this.instanceConcurrency > MAX_INSTANCE_CONCURRENCY
    ) {
      throw propError(
        this,
        'instanceConcurrency',
        `must be a whole number between 1 and ${MAX_INSTANCE_CONCURRENCY}`,
        this.instanceConcurrency,
      );
    }
    const tags = props.tags ?? {};
    validateTags(this, tags, FC_SERVICE_TAG_LIMIT);
    this.environment = buildEnvironment(this, stack, api, props);

    this.roleName = `${namePrefix}-runtime`;
    if (this.roleName.length > MAX_ROLE_NAME) {
      throw propError(this, 'namePrefix', `makes the role name longer than ${MAX_ROLE_NAME} characters`, namePrefix);
    }
    this.serviceName = `${namePrefix}-runtime`;
    this.functionName = `${namePrefix}-handler`;
    this.functionArn = `acs:fc:${stack.region}:${stack.account}:services/${this.serviceName}/functions/${this.functionName}`;

    const tagList = Object.keys(tags).map((key) => ({ key, value: tags[key] }));
    this.rosRole = new ram.RosRole(
      this,
      uniqueLogicalId(this, 'Role'),
      {
        roleName: this.roleName,
        description: `Runs the ${this.functionName} function (ros-cdk-iproduction)`,
        assumeRolePolicyDocument: trustPolicy('fc.aliyuncs.com'),
        ...(tagList.length > 0 ? { tags: tagList } : {}),
      },
      true,
    );
    this.roleArn = ros.Token.asString(this.rosRole.attrArn);
    this.role = new RolePrincipal(this, 'Grants', { role: this.rosRole, policyNamePrefix: namePrefix });
    this.grantPrincipal = this.role;

    const service = new fc.RosService(
      this,
      uniqueLogicalId(this, 'Service'),
      {
        serviceName: this.serviceName,
        description: 'Submits and tracks Intelligent Media Services jobs (ros-cdk-iproduction)',
        role: this.rosRole.attrArn,
        // The handler calls the public ICE/MTS endpoints.
        internetAccess: true,
        ...(tagList.length > 0 ? { tags: tagList } : {}),
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
        code: { zipFile: loadRuntimeBundle().zipBase64 },
        timeout: this.timeoutSeconds,
        memorySize: this.memorySizeMB,
        instanceConcurrency: this.instanceConcurrency,
        environmentVariables: { ...this.environment },
        description: `ros-cdk-iproduction runtime (bundle sha256 ${loadRuntimeBundle().sha256.slice(0, 16)})`,
      },
      true,
    );
    this.node.defaultChild = fn;

    if (props.trigger !== undefined) {
      this.addTrigger(stack, fn, api, props.trigger, tagList);
    }
  }

  /** Lets `grantee` invoke the function. Gives `fc:InvokeFunction` on the function's ARN. */
  public grantInvoke(grantee: IGrantable): void {
    grant(grantee, [...FC_INVOKE_ACTIONS], [this.functionArn]);
  }

  private addTrigger(
    stack: ros.Stack,
    fn: fc.RosFunction,
    api: Api,
    trigger: ProductionRuntimeTrigger,
    tagList: { key: string; value: string }[],
  ): void {
    if (trigger.type === 'timer') {
      const minutes = trigger.intervalMinutes ?? 5;
      const { timerIntervalMinMinutes: min, timerIntervalMaxMinutes: max } = FC_LIMITS;
      if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
        throw propError(this, 'trigger.intervalMinutes', `must be a whole number between ${min} and ${max}`, minutes);
      }
      new fc.RosTrigger(
        this,
        uniqueLogicalId(this, 'Trigger'),
        {
          serviceName: this.serviceName,
          functionName: fn.attrFunctionName,
          triggerName: 'timer',
          triggerType: 'timer',
          // ROS hands TriggerConfig to FC's CreateTrigger as is, and FC's trigger configs are camelCase.
          triggerConfig: {
            cronExpression: `@every ${minutes}m`,
            enable: true,
            payload: JSON.stringify({ kind: 'iProduction', api }),
          },
        },
        true,
      );
      return;
    }
    if (trigger.type === 'mnsTopic') {
      if (typeof trigger.topicName !== 'string' || trigger.topicName.length === 0) {
        throw propError(this, 'trigger.topicName', 'must be a non-empty topic name', trigger.topicName);
      }
      // MNS invokes the function by assuming a role of its own: the function's role stays trusted by FC alone. Its
      // one fixed permission is inline, so it needs no managed policy (and no ordering against one).
      const invokeRole = new ram.RosRole(
        this,
        uniqueLogicalId(this, 'TriggerRole'),
        {
          roleName: `${this.roleName}-mns`,
          description: `Lets MNS invoke the ${this.functionName} function (ros-cdk-iproduction)`,
          assumeRolePolicyDocument: trustPolicy('mns.aliyuncs.com'),
          ...(tagList.length > 0 ? { tags: tagList } : {}),
          policies: [
            {
              policyName: `${this.roleName}-mns-invoke`,
              policyDocument: {
                version: '1',
                statement: [{ effect: 'Allow', action: [...FC_INVOKE_ACTIONS], resource: [this.functionArn] }],
              },
            },
          ],
        },
        true,
      );
      const topicArn = `acs:mns:${stack.region}:${stack.account}:/topics/${trigger.topicName}`;
      new fc.RosTrigger(
        this,
        uniqueLogicalId(this, 'Trigger'),
        {
          serviceName: this.serviceName,
          functionName: fn.attrFunctionName,
          triggerName: 'completions',
          triggerType: 'mns_topic',
          sourceArn: topicArn,
          invocationRole: invokeRole.attrArn,
          triggerConfig: { notifyContentFormat: 'JSON', notifyStrategy: 'BACKOFF_RETRY' },
        },
        true,
      );
      return;
    }
    throw propError(this, 'trigger.type', "must be 'timer' or 'mnsTopic'", (trigger as { type?: unknown }).type);
  }
}

function trustPolicy(service: string): ram.RosRole.AssumeRolePolicyDocumentProperty {
  return {
    version: '1',
    statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: [service] } }],
  };
}

function buildEnvironment(
  scope: ros.IConstruct,
  stack: ros.Stack,
  api: Api,
  props: ProductionRuntimeProps,
): Record<string, string> {
  const extra = props.environment ?? {};
  for (const key of Object.keys(extra)) {
    if (!FC_ENV_NAME_PATTERN.test(key)) {
      throw propError(scope, 'environment', 'keys must be letters, digits and underscores, not starting with a digit', key);
    }
    if (RESERVED_ENV_PREFIXES.some((p) => key.startsWith(p))) {
      throw propError(scope, 'environment', `keys starting ${RESERVED_ENV_PREFIXES.slice(0, -1).join(', ')} or ${RESERVED_ENV_PREFIXES[RESERVED_ENV_PREFIXES.length - 1]} are reserved`, key);
    }
    if (typeof extra[key] !== 'string') throw propError(scope, `environment.${key}`, 'must be a string', extra[key]);
  }
  const userDataTags = props.userDataTags ?? {};
  for (const key of Object.keys(userDataTags)) {
    if (typeof userDataTags[key] !== 'string') {
      throw propError(scope, `userDataTags.${key}`, 'must be a string', userDataTags[key]);
    }
  }
  const env: Record<string, string> = {
    ...extra,
    [RUNTIME_ENV.region]: stack.region,
    [RUNTIME_ENV.api]: api,
    ...(props.pipelineId !== undefined ? { [RUNTIME_ENV.pipelineId]: props.pipelineId } : {}),
    ...(Object.keys(userDataTags).length > 0
      ? { [RUNTIME_ENV.userDataTags]: JSON.stringify(sortKeys(userDataTags)) }
      : {}),
  };
  const literalBytes = Object.keys(env)
    .filter((k) => !ros.Token.isUnresolved(env[k]))
    .reduce((sum, k) => sum + Buffer.byteLength(k) + Buffer.byteLength(env[k]), 0);
  if (literalBytes > MAX_ENVIRONMENT_BYTES) {
    throw propError(scope, 'environment', `must total at most ${MAX_ENVIRONMENT_BYTES} bytes (FC limit)`, literalBytes);
  }
  return env;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
