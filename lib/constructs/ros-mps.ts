import * as ros from '@alicloud/ros-cdk-core';
import { DescribedRosResource, RosResourceDescription } from './ros-l1';

// The L1 of ALIYUN::MPS::Pipeline, written by hand: no ROS CDK package on our registry has it. The description carries
// @alicloud/ros-cdk-spec's definition (test/constructs/spec-l1.test.ts proves it); the L2 over it lives in mps.ts.

/** Properties of a {@link RosPipeline} (`ALIYUN::MPS::Pipeline`). */
export interface RosPipelineProps {
  /** Pipeline name. */
  readonly name: string | ros.IResolvable;
  /**
   * Where MPS reports job completion.
   * @default - no notification
   */
  readonly notifyConfig?: RosPipeline.NotifyConfigProperty | ros.IResolvable;
  /**
   * RAM role MPS assumes for this pipeline.
   * @default - the service default
   */
  readonly role?: string | ros.IResolvable;
  /**
   * Pipeline type (Standard, Boost, NarrowBandHDV2, AIVideoCover, AIVideoTag).
   * @default 'Standard'
   */
  readonly speed?: string | ros.IResolvable;
  /**
   * Speed level.
   * @default - the service default
   */
  readonly speedLevel?: number | ros.IResolvable;
  /**
   * Active or Paused.
   * @default - the service default (Active)
   */
  readonly state?: 'Active' | 'Paused' | ros.IResolvable;
}

/** `ALIYUN::MPS::Pipeline`, typed and validated against the ROS specification. */
export class RosPipeline extends DescribedRosResource {
  public static readonly ROS_RESOURCE_TYPE_NAME = 'ALIYUN::MPS::Pipeline';
  public static readonly DESCRIPTION: RosResourceDescription = {
    type: RosPipeline.ROS_RESOURCE_TYPE_NAME,
    properties: [
      { name: 'name', rosName: 'Name', required: true, primitiveType: 'String' },
      { name: 'notifyConfig', rosName: 'NotifyConfig', required: false, type: 'NotifyConfig' },
      { name: 'role', rosName: 'Role', required: false, primitiveType: 'String' },
      { name: 'speed', rosName: 'Speed', required: false, primitiveType: 'String' },
      { name: 'speedLevel', rosName: 'SpeedLevel', required: false, primitiveType: 'Integer' },
      { name: 'state', rosName: 'State', required: false, primitiveType: 'String', allowedValues: ['Active', 'Paused'] },
    ],
    attributes: ['PipelineId'],
    propertyTypes: {
      NotifyConfig: [
        { name: 'queueName', rosName: 'QueueName', required: false, primitiveType: 'String' },
        { name: 'topic', rosName: 'Topic', required: false, primitiveType: 'String' },
      ],
    },
  };

  public readonly attrPipelineId: ros.IResolvable;

  public name: string | ros.IResolvable;
  public notifyConfig: RosPipeline.NotifyConfigProperty | ros.IResolvable | undefined;
  public role: string | ros.IResolvable | undefined;
  public speed: string | ros.IResolvable | undefined;
  public speedLevel: number | ros.IResolvable | undefined;
  public state: 'Active' | 'Paused' | ros.IResolvable | undefined;

  constructor(scope: ros.Construct, id: string, props: RosPipelineProps) {
    super(scope, id, 'RosPipeline', RosPipeline.DESCRIPTION, props);
    this.attrPipelineId = this.getAtt('PipelineId');
    this.name = props.name;
    this.notifyConfig = props.notifyConfig;
    this.role = props.role;
    this.speed = props.speed;
    this.speedLevel = props.speedLevel;
    this.state = props.state;
  }
}

export namespace RosPipeline {
  /** `ALIYUN::MPS::Pipeline.NotifyConfig`. */
  export interface NotifyConfigProperty {
    /**
     * MNS queue that receives completion messages.
     * @default - none
     */
    readonly queueName?: string | ros.IResolvable;
    /**
     * MNS topic that receives completion messages.
     * @default - none
     */
    readonly topic?: string | ros.IResolvable;
  }
}
