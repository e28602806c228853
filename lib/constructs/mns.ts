import * as ros from '@alicloud/ros-cdk-core';
import { ICE_CALLBACK_QUEUE_PREFIX, MNS_LIMITS, MNS_NAME_PATTERN } from '../service';
import { grant, GrantStatement, IGrantable } from './grants';
import { uniqueLogicalId } from './naming';
import { physicalNameFor } from './physical-name';
import { checkL2AgainstL1, DescribedRosResource, RosResourceDescription } from './ros-l1';

// ---------------------------------------------------------------------------------------------------------------
// L1: ALIYUN::MNS::Queue, ALIYUN::MNS::Topic, ALIYUN::MNS::Subscription (no ROS CDK package on our registry; the
// descriptions below carry @alicloud/ros-cdk-spec's definitions and test/constructs/spec-l1.test.ts proves it).
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// L2
// ---------------------------------------------------------------------------------------------------------------

/** Prefix of generated topic names. */
export const DEFAULT_TOPIC_NAME_PREFIX = 'iprod';

/** Actions a consumer of a queue needs: receive (long polling too), delete after handling, extend visibility. */
export const MNS_CONSUME_MESSAGE_ACTIONS: readonly string[] = ['mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:ReceiveMessage'];
/** Sending to a queue. */
export const MNS_SEND_MESSAGE_ACTIONS: readonly string[] = ['mns:SendMessage'];
/** Publishing to a topic. */
export const MNS_PUBLISH_MESSAGE_ACTIONS: readonly string[] = ['mns:PublishMessage'];

/** An MNS queue that job notifications can go to. */
export interface INotificationQueue extends ros.IResource {
  readonly queueName: string;
  /** `acs:mns:{region}:{account}:/queues/{name}`. */
  readonly queueArn: string;
  /** The MPS `NotifyUrl` of this queue: `mns://{account}.mns.{region}.aliyuncs.com/queues/{name}`. */
  readonly notifyUrl: string;
  /**
   * Lets the grantee receive, delete and change the visibility of messages: gives `mns:ReceiveMessage`,
   * `mns:DeleteMessage` and `mns:ChangeMessageVisibility` on the queue and its messages.
   */
  grantConsumeMessages(grantee: IGrantable): GrantStatement;
  /** Lets the grantee send messages: gives `mns:SendMessage` on the queue and its messages. */
  grantSendMessages(grantee: IGrantable): GrantStatement;
}

/** Implements the ARNs and grants of a queue once, for owned and imported queues alike. */
abstract class NotificationQueueBase extends ros.Resource implements INotificationQueue {
  public abstract readonly queueName: string;

  public get queueArn(): string {
    return `acs:mns:${this.stack.region}:${this.stack.account}:/queues/${this.queueName}`;
  }

  public get notifyUrl(): string {
    return `mns://${this.stack.account}.mns.${this.stack.region}.aliyuncs.com/queues/${this.queueName}`;
  }

  public grantConsumeMessages(grantee: IGrantable): GrantStatement {
    return grant(grantee, MNS_CONSUME_MESSAGE_ACTIONS, this.messageResources());
  }

  public grantSendMessages(grantee: IGrantable): GrantStatement {
    return grant(grantee, MNS_SEND_MESSAGE_ACTIONS, this.messageResources());
  }

  /** Message operations authorize on `.../queues/{name}/messages`; older pages name the queue itself. */
  private messageResources(): string[] {
    return [this.queueArn, `${this.queueArn}/messages`];
  }
}

/** Properties of a {@link NotificationQueue}. */
export interface NotificationQueueProps {
  /**
   * Queue name; must start with `ice-callback` (ICE_CALLBACK_QUEUE_PREFIX).
   * @default - `ice-callback-{construct path}-{hash}`, the same on every synth
   */
  readonly queueName?: string;
  /**
   * How long a received message stays invisible to other consumers, 1-43200.
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * How long an unconsumed message is kept, 60-604800.
   * @default 345600 (4 days)
   */
  readonly messageRetentionPeriodSeconds?: number;
  /**
   * Default long-polling wait of ReceiveMessage, 0-30.
   * @default 0
   */
  readonly pollingWaitSeconds?: number;
  /**
   * Largest message body, 1024-65536.
   * @default 65536
   */
  readonly maximumMessageSizeBytes?: number;
  /**
   * Delay before a sent message can be received, 0-604800.
   * @default 0
   */
  readonly delaySeconds?: number;
  /**
   * Whether MNS log management is on.
   * @default false
   */
  readonly loggingEnabled?: boolean;
}

/** An MNS queue for ICE/MPS job notifications, named deterministically with the `ice-callback` prefix. */
export class NotificationQueue extends NotificationQueueBase {
  /** A queue this stack does not own, by name. */
  public static fromQueueName(scope: ros.Construct, id: string, queueName: string): INotificationQueue {
    class Imported extends NotificationQueueBase {
      public readonly queueName = queueName;
    }
    const imported = new Imported(scope, id);
    validateMnsName(`NotificationQueue '${imported.node.path}'`, 'queueName', queueName, false);
    return imported;
  }

  public readonly queueName: string;
  /** The L1 resource. */
  public readonly resource: RosQueue;

  constructor(scope: ros.Construct, id: string, props: NotificationQueueProps = {}) {
    super(scope, id);
    const where = `NotificationQueue '${this.node.path}'`;
    this.queueName = props.queueName ?? physicalNameFor(ICE_CALLBACK_QUEUE_PREFIX, this.node.path, MNS_LIMITS.nameMaxChars);
    validateMnsName(where, 'queueName', this.queueName, true);
    const l1Props: RosQueueProps = {
      queueName: this.queueName,
      visibilityTimeout: props.visibilityTimeoutSeconds,
      messageRetentionPeriod: props.messageRetentionPeriodSeconds,
      pollingWaitSeconds: props.pollingWaitSeconds,
      maximumMessageSize: props.maximumMessageSizeBytes,
      delaySeconds: props.delaySeconds,
      loggingEnabled: props.loggingEnabled,
    };
    checkL2AgainstL1(where, RosQueue.DESCRIPTION, l1Props, {
      visibilityTimeout: 'visibilityTimeoutSeconds',
      messageRetentionPeriod: 'messageRetentionPeriodSeconds',
      maximumMessageSize: 'maximumMessageSizeBytes',
    });
    this.resource = new RosQueue(this, uniqueLogicalId(this, 'Resource'), l1Props);
  }
}

/** An MNS topic that job notifications can go to. */
export interface INotificationTopic extends ros.IResource {
  readonly topicName: string;
  /** `acs:mns:{region}:{account}:/topics/{name}`. */
  readonly topicArn: string;
  /** Lets the grantee publish: gives `mns:PublishMessage` on the topic and its messages. */
  grantPublish(grantee: IGrantable): GrantStatement;
}

abstract class NotificationTopicBase extends ros.Resource implements INotificationTopic {
  public abstract readonly topicName: string;

  public get topicArn(): string {
    return `acs:mns:${this.stack.region}:${this.stack.account}:/topics/${this.topicName}`;
  }

  public grantPublish(grantee: IGrantable): GrantStatement {
    return grant(grantee, MNS_PUBLISH_MESSAGE_ACTIONS, [this.topicArn, `${this.topicArn}/messages`]);
  }
}

/** Properties of a {@link NotificationTopic}. */
export interface NotificationTopicProps {
  /**
   * Topic name: a letter first, then letters, digits and hyphens, at most 120 characters.
   * @default - `iprod-{construct path}-{hash}`, the same on every synth
   */
  readonly topicName?: string;
  /**
   * Largest message body, 1024-65536.
   * @default 65536
   */
  readonly maximumMessageSizeBytes?: number;
  /**
   * Whether MNS log management is on.
   * @default false
   */
  readonly loggingEnabled?: boolean;
}

/** Options of a topic subscription. */
export interface SubscriptionOptions {
  /**
   * Subscription name.
   * @default - `{topic name}-sub{n}` (n counts this topic's subscriptions from 1), the same on every synth
   */
  readonly subscriptionName?: string;
  /**
   * Only messages with this tag are pushed; at most 16 characters.
   * @default - every message
   */
  readonly filterTag?: string;
  /**
   * Retry policy when a push fails.
   * @default 'BACKOFF_RETRY'
   */
  readonly notifyStrategy?: NotifyStrategy;
}

/** An MNS topic whose messages fan out to queues or HTTP endpoints, pushed as JSON. */
export class NotificationTopic extends NotificationTopicBase {
  /** A topic this stack does not own, by name. */
  public static fromTopicName(scope: ros.Construct, id: string, topicName: string): INotificationTopic {
    class Imported extends NotificationTopicBase {
      public readonly topicName = topicName;
    }
    const imported = new Imported(scope, id);
    validateMnsName(`NotificationTopic '${imported.node.path}'`, 'topicName', topicName, false);
    return imported;
  }

  public readonly topicName: string;
  /** The L1 resource. */
  public readonly resource: RosTopic;
  private subscriptionCount = 0;

  constructor(scope: ros.Construct, id: string, props: NotificationTopicProps = {}) {
    super(scope, id);
    const where = `NotificationTopic '${this.node.path}'`;
    this.topicName = props.topicName ?? physicalNameFor(DEFAULT_TOPIC_NAME_PREFIX, this.node.path, MNS_LIMITS.nameMaxChars);
    validateMnsName(where, 'topicName', this.topicName, false);
    const l1Props: RosTopicProps = {
      topicName: this.topicName,
      maximumMessageSize: props.maximumMessageSizeBytes,
      loggingEnabled: props.loggingEnabled,
    };
    checkL2AgainstL1(where, RosTopic.DESCRIPTION, l1Props, { maximumMessageSize: 'maximumMessageSizeBytes' });
    this.resource = new RosTopic(this, uniqueLogicalId(this, 'Resource'), l1Props);
  }

  /** Pushes every message of this topic into `queue` (JSON format). */
  public addQueueSubscription(queue: INotificationQueue, options: SubscriptionOptions = {}): RosSubscription {
    const endpoint = `acs:mns:${this.stack.region}:${this.stack.account}:queues/${queue.queueName}`;
    const subscription = this.subscribe(endpoint, options);
    if (queue instanceof NotificationQueue) {
      subscription.addRosDependency(queue.resource.logicalId);
    }
    return subscription;
  }

  /** Pushes every message of this topic to an `http://` or `https://` URL (JSON format). */
  public addHttpSubscription(url: string, options: SubscriptionOptions = {}): RosSubscription {
    if (!ros.Token.isUnresolved(url) && !/^https?:\/\/[^\s/]+/.test(url)) {
      throw new Error(`NotificationTopic '${this.node.path}': url must start with http:// or https:// and name a host, got '${url}'`);
    }
    return this.subscribe(url, options);
  }

  private subscribe(endpoint: string, options: SubscriptionOptions): RosSubscription {
    this.subscriptionCount += 1;
    const n = this.subscriptionCount;
    const subscriptionName = options.subscriptionName ?? `${this.topicName.slice(0, MNS_LIMITS.nameMaxChars - 8)}-sub${n}`;
    validateMnsName(`NotificationTopic '${this.node.path}'`, 'subscriptionName', subscriptionName, false);
    const subscription = new RosSubscription(this, uniqueLogicalId(this, `Subscription${n}`), {
      topicName: ros.Token.asString(this.resource.attrTopicName),
      endpoint,
      subscriptionName,
      notifyContentFormat: 'JSON',
      filterTag: options.filterTag,
      notifyStrategy: options.notifyStrategy,
    });
    return subscription;
  }
}

function validateMnsName(where: string, prop: string, name: string, iceCallback: boolean): void {
  if (ros.Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || name.length < 1 || name.length > MNS_LIMITS.nameMaxChars || !MNS_NAME_PATTERN.test(name)) {
    throw new Error(`${where}: ${prop} must be 1-${MNS_LIMITS.nameMaxChars} letters, digits or hyphens starting with a letter, got '${String(name)}'`);
  }
  if (iceCallback && !name.startsWith(ICE_CALLBACK_QUEUE_PREFIX)) {
    throw new Error(`${where}: ${prop} must start with '${ICE_CALLBACK_QUEUE_PREFIX}' (ICE only calls back to such queues), got '${name}'`);
  }
}
