import * as ros from '@alicloud/ros-cdk-core';
import { API_FACTS, MPS_LIMITS, MPS_PIPELINE_ID_PATTERN, MPS_PIPELINE_ID_RULE } from '../service';
import { Grant, grantOn, grantQueryIProductionJob, grantSubmitIProductionJob, IGrantable } from './grants';
import type { IPipelineNotificationTarget, PipelineNotificationBinding } from './mns';
import { uniqueLogicalId } from './naming';
import { physicalNameFor } from './physical-name';
import { checkL2AgainstL1 } from './ros-l1';
import { RosPipeline, RosPipelineProps } from './ros-mps';

/** Pipeline types MPS offers. */
export type PipelineSpeed = 'Standard' | 'Boost' | 'NarrowBandHDV2' | 'AIVideoCover' | 'AIVideoTag';
export const PIPELINE_SPEEDS: readonly PipelineSpeed[] = ['Standard', 'Boost', 'NarrowBandHDV2', 'AIVideoCover', 'AIVideoTag'];
/** States of a pipeline. */
export type PipelineState = 'Active' | 'Paused';
export const PIPELINE_STATES: readonly PipelineState[] = ['Active', 'Paused'];

/** Prefix of generated pipeline names. */
export const DEFAULT_PIPELINE_NAME_PREFIX = 'iprod';

/** The role a pipeline runs as: anything that names a RAM role (a `RolePrincipal`, or `{ roleName: 'AliyunMTSDefaultRole' }`). */
export interface IRoleReference {
  readonly roleName: string;
}

/** An MPS pipeline jobs can be scheduled on. */
export interface IMediaPipeline extends ros.IResource {
  readonly pipelineId: string;
  /** Lets the grantee submit MPS intelligent production jobs: gives `mts:SubmitIProductionJob` on `"*"`. */
  grantSubmitIProductionJob(grantee: IGrantable): Grant;
  /** Lets the grantee read MPS intelligent production jobs: gives `mts:QueryIProductionJob` on `"*"`. */
  grantQueryIProductionJob(grantee: IGrantable): Grant;
  /**
   * Gives `grantee` any `mts:` actions on `"*"`: MPS authorizes by operation only, so no grant can be narrower than
   * the account's every pipeline.
   */
  grant(grantee: IGrantable, ...actions: string[]): Grant;
}

/** MPS authorizes by operation only, so the grants of every pipeline are the same and live here once. */
abstract class MediaPipelineBase extends ros.Resource implements IMediaPipeline {
  public abstract readonly pipelineId: string;

  public grantSubmitIProductionJob(grantee: IGrantable): Grant {
    return grantSubmitIProductionJob(grantee, { api: 'mts' });
  }

  public grantQueryIProductionJob(grantee: IGrantable): Grant {
    return grantQueryIProductionJob(grantee, { api: 'mts' });
  }

  public grant(grantee: IGrantable, ...actions: string[]): Grant {
    return grantOn(this, API_FACTS.mts.product, grantee, actions, ['*']);
  }
}

/** Properties of a {@link MediaPipeline}. */
export interface MediaPipelineProps {
  /**
   * Pipeline name: up to 128 bytes, starting with a letter or digit.
   * @default - `iprod-{construct path}-{hash}`, the same on every synth
   */
  readonly pipelineName?: string;
  /**
   * Pipeline type.
   * @default 'Standard'
   */
  readonly speed?: PipelineSpeed;
  /**
   * Speed level, a positive integer.
   * @default - the service default
   */
  readonly speedLevel?: number;
  /**
   * Whether jobs on the pipeline are scheduled.
   * @default 'Active'
   */
  readonly state?: PipelineState;
  /**
   * Role MPS assumes to reach your OSS and MNS.
   * @default - the service default (AliyunMTSDefaultRole)
   */
  readonly role?: IRoleReference;
  /**
   * Queue or topic that receives job completion messages (`NotificationQueue`, `NotificationTopic`, or one of
   * their `from...` imports).
   * @default - no notification
   */
  readonly notification?: IPipelineNotificationTarget;
}

/** An MPS pipeline, optionally reporting job completion to an MNS queue or topic. */
export class MediaPipeline extends MediaPipelineBase {
  /** A pipeline this stack does not own, by id. */
  public static fromPipelineId(scope: ros.Construct, id: string, pipelineId: string): IMediaPipeline {
    class Imported extends MediaPipelineBase {
      public readonly pipelineId = pipelineId;
    }
    const imported = new Imported(scope, id);
    if (!ros.Token.isUnresolved(pipelineId) && !MPS_PIPELINE_ID_PATTERN.test(pipelineId)) {
      throw new Error(`MediaPipeline '${imported.node.path}': pipelineId must be ${MPS_PIPELINE_ID_RULE}, got '${pipelineId}'`);
    }
    return imported;
  }

  public readonly pipelineId: string;
  public readonly pipelineName: string;
  /** The L1 resource. */
  public readonly resource: RosPipeline;

  constructor(scope: ros.Construct, id: string, props: MediaPipelineProps = {}) {
    super(scope, id);
    const where = `MediaPipeline '${this.node.path}'`;
    this.pipelineName = props.pipelineName ?? physicalNameFor(DEFAULT_PIPELINE_NAME_PREFIX, this.node.path, MPS_LIMITS.pipelineNameMaxBytes);
    validatePipelineName(where, this.pipelineName);
    if (props.speed !== undefined && !PIPELINE_SPEEDS.includes(props.speed)) {
      throw new Error(`${where}: speed must be one of ${PIPELINE_SPEEDS.join(', ')}, got '${String(props.speed)}'`);
    }
    if (props.speedLevel !== undefined && !(Number.isInteger(props.speedLevel) && props.speedLevel >= 1)) {
      throw new Error(`${where}: speedLevel must be an integer of at least 1, got ${String(props.speedLevel)}`);
    }
    const binding = bindingOf(where, props.notification);
    const notifyConfig = binding === undefined ? undefined
      : binding.queueName !== undefined ? { queueName: binding.queueName } : { topic: binding.topicName };
    const l1Props: RosPipelineProps = {
      name: this.pipelineName,
      speed: props.speed,
      speedLevel: props.speedLevel,
      state: props.state,
      role: props.role?.roleName,
      notifyConfig,
    };
    checkL2AgainstL1(where, RosPipeline.DESCRIPTION, l1Props, { name: 'pipelineName', role: 'role.roleName', notifyConfig: 'notification' });
    this.resource = new RosPipeline(this, uniqueLogicalId(this, 'Resource'), l1Props);
    if (binding?.dependency !== undefined) this.resource.addRosDependency(binding.dependency.logicalId);
    this.pipelineId = ros.Token.asString(this.resource.attrPipelineId);
  }
}

/** The target binds itself (one interface, no duck typing); a plain object from JavaScript is refused by name. */
function bindingOf(where: string, target: IPipelineNotificationTarget | undefined): PipelineNotificationBinding | undefined {
  if (target === undefined) {
    return undefined;
  }
  if (typeof (target as Partial<IPipelineNotificationTarget>).bindAsPipelineNotification !== 'function') {
    throw new Error(`${where}: notification must be a notification queue or topic, got ${typeof target}`);
  }
  const binding = target.bindAsPipelineNotification();
  if ((binding.queueName === undefined) === (binding.topicName === undefined)) {
    throw new Error(`${where}: notification must bind exactly one of queueName and topicName, got ${JSON.stringify({ queueName: binding.queueName, topicName: binding.topicName })}`);
  }
  return binding;
}

function validatePipelineName(where: string, name: string): void {
  if (ros.Token.isUnresolved(name)) {
    return;
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (typeof name !== 'string' || bytes < 1 || bytes > MPS_LIMITS.pipelineNameMaxBytes || !/^[\p{L}\p{N}]/u.test(name)) {
    throw new Error(`${where}: pipelineName must be 1-${MPS_LIMITS.pipelineNameMaxBytes} bytes starting with a letter or digit, got '${String(name)}' (${bytes} bytes)`);
  }
}
