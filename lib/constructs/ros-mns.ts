import * as ros from '@alicloud/ros-cdk-core';
import { DescribedRosResource, RosResourceDescription } from './ros-l1';

// L1s of ALIYUN::MNS::Queue, ALIYUN::MNS::Topic and ALIYUN::MNS::Subscription, written by hand: no ROS CDK package on
// our registry has them. The descriptions carry @alicloud/ros-cdk-spec's definitions (test/constructs/spec-l1.test.ts
// proves it); the L2s over them live in mns.ts.

/** Properties of a {@link RosQueue} (`ALIYUN::MNS::Queue`). */
export interface RosQueueProps {
  /** Queue name, 1-256 characters. */
  readonly queueName: string | ros.IResolvable;
  /**
   * Seconds before a sent message can be consumed, 0-604800.
   * @default 0
   */
  readonly delaySeconds?: number | ros.IResolvable;
  /**
   * Whether MNS log management is on.
   * @default false
   */
  readonly loggingEnabled?: boolean | ros.IResolvable;
  /**
   * Maximum message body in bytes, 1024-65536.
   * @default 65536
   */
  readonly maximumMessageSize?: number | ros.IResolvable;
  /**
   * Lifetime of a message in seconds, 60-604800.
   * @default 345600
   */
  readonly messageRetentionPeriod?: number | ros.IResolvable;
  /**
   * Long-polling wait of ReceiveMessage in seconds, 0-30.
   * @default 0
   */
  readonly pollingWaitSeconds?: number | ros.IResolvable;
  /**
   * Seconds a received message stays invisible, 1-43200.
   * @default 30
   */
  readonly visibilityTimeout?: number | ros.IResolvable;
}

/** `ALIYUN::MNS::Queue`, typed and validated against the ROS specification. */
export class RosQueue extends DescribedRosResource {
  public static readonly ROS_RESOURCE_TYPE_NAME = 'ALIYUN::MNS::Queue';
  public static readonly DESCRIPTION: RosResourceDescription = {
    type: RosQueue.ROS_RESOURCE_TYPE_NAME,
    properties: [
      { name: 'queueName', rosName: 'QueueName', required: true, primitiveType: 'String', length: { min: 1, max: 256 } },
      { name: 'delaySeconds', rosName: 'DelaySeconds', required: false, primitiveType: 'Integer', range: { min: 0, max: 604800 } },
      { name: 'loggingEnabled', rosName: 'LoggingEnabled', required: false, primitiveType: 'Boolean' },
      { name: 'maximumMessageSize', rosName: 'MaximumMessageSize', required: false, primitiveType: 'Integer', range: { min: 1024, max: 65536 } },
      { name: 'messageRetentionPeriod', rosName: 'MessageRetentionPeriod', required: false, primitiveType: 'Integer', range: { min: 60, max: 604800 } },
      { name: 'pollingWaitSeconds', rosName: 'PollingWaitSeconds', required: false, primitiveType: 'Integer', range: { min: 0, max: 30 } },
      { name: 'visibilityTimeout', rosName: 'VisibilityTimeout', required: false, primitiveType: 'Integer', range: { min: 1, max: 43200 } },
    ],
    attributes: ['ARN.WithSlash', 'QueueName', 'QueueUrl'],
    propertyTypes: {},
  };

  /** `ARN.WithSlash`: `acs:mns:$region:$accountid:/queues/$queueName`. */
  public readonly attrArnWithSlash: ros.IResolvable;
  public readonly attrQueueName: ros.IResolvable;
  public readonly attrQueueUrl: ros.IResolvable;

  public queueName: string | ros.IResolvable;
  public delaySeconds: number | ros.IResolvable | undefined;
  public loggingEnabled: boolean | ros.IResolvable | undefined;
  public maximumMessageSize: number | ros.IResolvable | undefined;
  public messageRetentionPeriod: number | ros.IResolvable | undefined;
  public pollingWaitSeconds: number | ros.IResolvable | undefined;
  public visibilityTimeout: number | ros.IResolvable | undefined;

  constructor(scope: ros.Construct, id: string, props: RosQueueProps) {
    super(scope, id, 'RosQueue', RosQueue.DESCRIPTION, props);
    this.attrArnWithSlash = this.getAtt('ARN.WithSlash');
    this.attrQueueName = this.getAtt('QueueName');
    this.attrQueueUrl = this.getAtt('QueueUrl');
    this.queueName = props.queueName;
    this.delaySeconds = props.delaySeconds;
    this.loggingEnabled = props.loggingEnabled;
    this.maximumMessageSize = props.maximumMessageSize;
    this.messageRetentionPeriod = props.messageRetentionPeriod;
    this.pollingWaitSeconds = props.pollingWaitSeconds;
    this.visibilityTimeout = props.visibilityTimeout;
  }
}

/** Properties of a {@link RosTopic} (`ALIYUN::MNS::Topic`). */
export interface RosTopicProps {
  /** Topic name, 1-256 characters. */
  readonly topicName: string | ros.IResolvable;
  /**
   * Whether MNS log management is on.
   * @default false
   */
  readonly loggingEnabled?: boolean | ros.IResolvable;
  /**
   * Maximum message body in bytes, 1024-65536.
   * @default 65536
   */
  readonly maximumMessageSize?: number | ros.IResolvable;
}

/** `ALIYUN::MNS::Topic`, typed and validated against the ROS specification. */
export class RosTopic extends DescribedRosResource {
  public static readonly ROS_RESOURCE_TYPE_NAME = 'ALIYUN::MNS::Topic';
  public static readonly DESCRIPTION: RosResourceDescription = {
    type: RosTopic.ROS_RESOURCE_TYPE_NAME,
    properties: [
      { name: 'topicName', rosName: 'TopicName', required: true, primitiveType: 'String', length: { min: 1, max: 256 } },
      { name: 'loggingEnabled', rosName: 'LoggingEnabled', required: false, primitiveType: 'Boolean' },
      { name: 'maximumMessageSize', rosName: 'MaximumMessageSize', required: false, primitiveType: 'Integer', range: { min: 1024, max: 65536 } },
    ],
    attributes: ['ARN.WithSlash', 'TopicName', 'TopicUrl'],
    propertyTypes: {},
  };

  /** `ARN.WithSlash`: `acs:mns:$region:$accountid:/topics/$topicName`. */
  public readonly attrArnWithSlash: ros.IResolvable;
  public readonly attrTopicName: ros.IResolvable;
  public readonly attrTopicUrl: ros.IResolvable;

  public topicName: string | ros.IResolvable;
  public loggingEnabled: boolean | ros.IResolvable | undefined;
  public maximumMessageSize: number | ros.IResolvable | undefined;

  constructor(scope: ros.Construct, id: string, props: RosTopicProps) {
    super(scope, id, 'RosTopic', RosTopic.DESCRIPTION, props);
    this.attrArnWithSlash = this.getAtt('ARN.WithSlash');
    this.attrTopicName = this.getAtt('TopicName');
    this.attrTopicUrl = this.getAtt('TopicUrl');
    this.topicName = props.topicName;
    this.loggingEnabled = props.loggingEnabled;
    this.maximumMessageSize = props.maximumMessageSize;
  }
}

/** Retry policies of an MNS subscription. */
export type NotifyStrategy = 'BACKOFF_RETRY' | 'EXPONENTIAL_DECAY_RETRY';
/** Formats MNS pushes messages in. */
export type NotifyContentFormat = 'XML' | 'JSON' | 'SIMPLIFIED';

/** Properties of a {@link RosSubscription} (`ALIYUN::MNS::Subscription`). */
export interface RosSubscriptionProps {
  /**
   * Where messages go: `http://...`, `acs:mns:{region}:{account}:queues/{name}`, `mail:directmail:{address}` or
   * `sms:directsms:...`.
   */
  readonly endpoint: string | ros.IResolvable;
  /** Subscription name, 1-256 characters. */
  readonly subscriptionName: string | ros.IResolvable;
  /** Topic subscribed to, 1-256 characters. */
  readonly topicName: string | ros.IResolvable;
  /**
   * Only messages with this tag are pushed; at most 16 characters.
   * @default - no filter
   */
  readonly filterTag?: string | ros.IResolvable;
  /**
   * Format of pushed messages.
   * @default 'XML'
   */
  readonly notifyContentFormat?: NotifyContentFormat | ros.IResolvable;
  /**
   * Retry policy when a push fails.
   * @default 'BACKOFF_RETRY'
   */
  readonly notifyStrategy?: NotifyStrategy | ros.IResolvable;
}

/** `ALIYUN::MNS::Subscription`, typed and validated against the ROS specification. */
export class RosSubscription extends DescribedRosResource {
  public static readonly ROS_RESOURCE_TYPE_NAME = 'ALIYUN::MNS::Subscription';
  public static readonly DESCRIPTION: RosResourceDescription = {
    type: RosSubscription.ROS_RESOURCE_TYPE_NAME,
    properties: [
      { name: 'endpoint', rosName: 'Endpoint', required: true, primitiveType: 'String' },
      { name: 'subscriptionName', rosName: 'SubscriptionName', required: true, primitiveType: 'String', length: { min: 1, max: 256 } },
      { name: 'topicName', rosName: 'TopicName', required: true, primitiveType: 'String', length: { min: 1, max: 256 } },
      { name: 'filterTag', rosName: 'FilterTag', required: false, primitiveType: 'String', length: { max: 16 } },
      { name: 'notifyContentFormat', rosName: 'NotifyContentFormat', required: false, primitiveType: 'String', allowedValues: ['XML', 'JSON', 'SIMPLIFIED'] },
      { name: 'notifyStrategy', rosName: 'NotifyStrategy', required: false, primitiveType: 'String', allowedValues: ['BACKOFF_RETRY', 'EXPONENTIAL_DECAY_RETRY'] },
    ],
    attributes: ['SubscriptionName', 'SubscriptionUrl', 'TopicName'],
    propertyTypes: {},
  };

  public readonly attrSubscriptionName: ros.IResolvable;
  public readonly attrSubscriptionUrl: ros.IResolvable;
  public readonly attrTopicName: ros.IResolvable;

  public endpoint: string | ros.IResolvable;
  public subscriptionName: string | ros.IResolvable;
  public topicName: string | ros.IResolvable;
  public filterTag: string | ros.IResolvable | undefined;
  public notifyContentFormat: NotifyContentFormat | ros.IResolvable | undefined;
  public notifyStrategy: NotifyStrategy | ros.IResolvable | undefined;

  constructor(scope: ros.Construct, id: string, props: RosSubscriptionProps) {
    super(scope, id, 'RosSubscription', RosSubscription.DESCRIPTION, props);
    this.attrSubscriptionName = this.getAtt('SubscriptionName');
    this.attrSubscriptionUrl = this.getAtt('SubscriptionUrl');
    this.attrTopicName = this.getAtt('TopicName');
    this.endpoint = props.endpoint;
    this.subscriptionName = props.subscriptionName;
    this.topicName = props.topicName;
    this.filterTag = props.filterTag;
    this.notifyContentFormat = props.notifyContentFormat;
    this.notifyStrategy = props.notifyStrategy;
  }
}
