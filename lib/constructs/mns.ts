import * as ros from '@alicloud/ros-cdk-core';
import { ICE_CALLBACK_QUEUE_PREFIX, MNS_LIMITS, MNS_NAME_PATTERN, MNS_RAM_ACTIONS, mnsArn } from '../service';
import { Grant, grant, grantOn, IGrantable } from './grants';
import { uniqueLogicalId } from './naming';
import { physicalNameFor } from './physical-name';
import { checkL2AgainstL1 } from './ros-l1';
import { NotifyStrategy, RosQueue, RosQueueProps, RosSubscription, RosTopic, RosTopicProps } from './ros-mns';

/** Prefix of generated topic names. */
export const DEFAULT_TOPIC_NAME_PREFIX = 'iprod';

/**
 * What an MPS pipeline needs to notify a target: the name to put in its NotifyConfig (exactly one of `queueName` and
 * `topicName`), and what to create first.
 */
export interface PipelineNotificationBinding {
  /**
   * The queue MPS sends completion messages to (`NotifyConfig.QueueName`).
   * @default - none; then `topicName` is required
   */
  readonly queueName?: string;
  /**
   * The topic MPS publishes completion messages to (`NotifyConfig.Topic`).
   * @default - none; then `queueName` is required
   */
  readonly topicName?: string;
  /**
   * The resource the pipeline must be created after.
   * @default - none (a queue or topic the stack does not own)
   */
  readonly dependency?: ros.RosResource;
}

/** Anything an MPS pipeline can report job completion to: one interface, bound by the target itself. */
export interface IPipelineNotificationTarget {
  bindAsPipelineNotification(): PipelineNotificationBinding;
}

/** An MNS queue that job notifications can go to. */
export interface INotificationQueue extends ros.IResource, IPipelineNotificationTarget {
  readonly queueName: string;
  /** `acs:mns:{region}:{account}:/queues/{name}`. */
  readonly queueArn: string;
  /** The MPS `NotifyUrl` of this queue: `mns://{account}.mns.{region}.aliyuncs.com/queues/{name}`. */
  readonly notifyUrl: string;
  /**
   * Lets the grantee receive, delete and change the visibility of messages: gives `mns:ReceiveMessage`,
   * `mns:DeleteMessage` and `mns:ChangeMessageVisibility` on the queue and its messages.
   */
  grantConsumeMessages(grantee: IGrantable): Grant;
  /** Lets the grantee send messages: gives `mns:SendMessage` on the queue and its messages. */
  grantSendMessages(grantee: IGrantable): Grant;
  /** Gives `grantee` any `mns:` actions on the queue and its messages, for what the named grants do not cover. */
  grant(grantee: IGrantable, ...actions: string[]): Grant;
}

/** Implements the ARNs and grants of a queue once, for owned and imported queues alike. */
abstract class NotificationQueueBase extends ros.Resource implements INotificationQueue {
  public abstract readonly queueName: string;

  public get queueArn(): string {
    return mnsArn(this.stack.region, this.stack.account, 'queues', this.queueName);
  }

  public get notifyUrl(): string {
    return `mns://${this.stack.account}.mns.${this.stack.region}.aliyuncs.com/queues/${this.queueName}`;
  }

  public grantConsumeMessages(grantee: IGrantable): Grant {
    return grant(grantee, MNS_RAM_ACTIONS.consume, this.messageResources());
  }

  public grantSendMessages(grantee: IGrantable): Grant {
    return grant(grantee, MNS_RAM_ACTIONS.send, this.messageResources());
  }

  public grant(grantee: IGrantable, ...actions: string[]): Grant {
    return grantOn(this, 'mns', grantee, actions, this.messageResources());
  }

  public bindAsPipelineNotification(): PipelineNotificationBinding {
    return { queueName: this.queueName };
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

  /** An owned queue: the pipeline is created after it. */
  public bindAsPipelineNotification(): PipelineNotificationBinding {
    return { ...super.bindAsPipelineNotification(), dependency: this.resource };
  }
}

/** An MNS topic that job notifications can go to. */
export interface INotificationTopic extends ros.IResource, IPipelineNotificationTarget {
  readonly topicName: string;
  /** `acs:mns:{region}:{account}:/topics/{name}`. */
  readonly topicArn: string;
  /** Lets the grantee publish: gives `mns:PublishMessage` on the topic and its messages. */
  grantPublish(grantee: IGrantable): Grant;
  /** Gives `grantee` any `mns:` actions on the topic and its messages, for what `grantPublish` does not cover. */
  grant(grantee: IGrantable, ...actions: string[]): Grant;
}

abstract class NotificationTopicBase extends ros.Resource implements INotificationTopic {
  public abstract readonly topicName: string;

  public get topicArn(): string {
    return mnsArn(this.stack.region, this.stack.account, 'topics', this.topicName);
  }

  public grantPublish(grantee: IGrantable): Grant {
    return grant(grantee, MNS_RAM_ACTIONS.publish, this.messageResources());
  }

  public grant(grantee: IGrantable, ...actions: string[]): Grant {
    return grantOn(this, 'mns', grantee, actions, this.messageResources());
  }

  private messageResources(): string[] {
    return [this.topicArn, `${this.topicArn}/messages`];
  }

  public bindAsPipelineNotification(): PipelineNotificationBinding {
    return { topicName: this.topicName };
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

  /** An owned topic: the pipeline is created after it. */
  public bindAsPipelineNotification(): PipelineNotificationBinding {
    return { ...super.bindAsPipelineNotification(), dependency: this.resource };
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
