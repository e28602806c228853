import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import { NotificationQueue, NotificationTopic } from '../../lib/constructs/mns';
import { RosQueue, RosSubscription, RosTopic } from '../../lib/constructs/ros-mns';
import { RolePrincipal } from '../../lib/constructs/grants';
import { ICE_CALLBACK_QUEUE_PREFIX } from '../../lib/service';
import { newStack, resourcesOfType, synthTemplate } from '../support/synth';

const ASSUME_FC = {
  version: '1',
  statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['fc.aliyuncs.com'] } }],
};

function policyStatements(template: any): any[] {
  return Object.values<any>(resourcesOfType(template, 'ALIYUN::RAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement;
}

const QUEUE_ARN = {
  'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':', { Ref: 'ALIYUN::AccountId' }, ':/queues/ice-callback-jobs']],
};
const QUEUE_MESSAGES_ARN = {
  'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':', { Ref: 'ALIYUN::AccountId' }, ':/queues/ice-callback-jobs/messages']],
};

describe('RosQueue', () => {
  it('renders every property under its spec name', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    new RosQueue(stack, 'Q', {
      queueName: 'q1',
      delaySeconds: 0,
      loggingEnabled: true,
      maximumMessageSize: 1024,
      messageRetentionPeriod: 60,
      pollingWaitSeconds: 30,
      visibilityTimeout: 43200,
    });
    // THEN
    expect(synthTemplate(stack).Resources.Q).toEqual({
      Type: 'ALIYUN::MNS::Queue',
      Properties: {
        QueueName: 'q1',
        DelaySeconds: 0,
        LoggingEnabled: true,
        MaximumMessageSize: 1024,
        MessageRetentionPeriod: 60,
        PollingWaitSeconds: 30,
        VisibilityTimeout: 43200,
      },
    });
  });

  it('exposes every attribute through Fn::GetAtt', () => {
    const { stack } = newStack();
    const q = new RosQueue(stack, 'Q', { queueName: 'q1' });
    expect(stack.resolve(q.attrArnWithSlash)).toEqual({ 'Fn::GetAtt': ['Q', 'ARN.WithSlash'] });
    expect(stack.resolve(q.attrQueueName)).toEqual({ 'Fn::GetAtt': ['Q', 'QueueName'] });
    expect(stack.resolve(q.attrQueueUrl)).toEqual({ 'Fn::GetAtt': ['Q', 'QueueUrl'] });
  });

  it.each<[string, number, string]>([
    ['delaySeconds', -1, 'between 0 and 604800'],
    ['delaySeconds', 604801, 'between 0 and 604800'],
    ['maximumMessageSize', 1023, 'between 1024 and 65536'],
    ['maximumMessageSize', 65537, 'between 1024 and 65536'],
    ['messageRetentionPeriod', 59, 'between 60 and 604800'],
    ['messageRetentionPeriod', 604801, 'between 60 and 604800'],
    ['pollingWaitSeconds', -1, 'between 0 and 30'],
    ['pollingWaitSeconds', 31, 'between 0 and 30'],
    ['visibilityTimeout', 0, 'between 1 and 43200'],
    ['visibilityTimeout', 43201, 'between 1 and 43200'],
  ])('rejects %s = %d', (prop, value, rule) => {
    // GIVEN
    const { stack } = newStack('Stack');
    // WHEN / THEN
    expect(() => new RosQueue(stack, 'Q', { queueName: 'q', [prop]: value })).toThrow(
      `RosQueue 'Stack/Q': ${prop} must be ${rule}, got ${value}`,
    );
  });

  it.each<[string, object, RegExp]>([
    ['a missing queueName', {}, /RosQueue 'Stack\/Q': queueName is required, got undefined/],
    ['an empty queueName', { queueName: '' }, /queueName must be 1 to 256 characters long, got 0 characters/],
    ['a 257-character queueName', { queueName: 'q'.repeat(257) }, /queueName must be 1 to 256 characters long, got 257/],
    ['a fractional visibilityTimeout', { queueName: 'q', visibilityTimeout: 1.5 }, /visibilityTimeout must be an integer, got 1.5/],
    ['a string loggingEnabled', { queueName: 'q', loggingEnabled: 'yes' }, /loggingEnabled must be a boolean, got "yes"/],
    ['an unknown property', { queueName: 'q', colour: 'red' }, /colour is not a property of ALIYUN::MNS::Queue, got "red"/],
  ])('rejects %s', (_name, props, message) => {
    const { stack } = newStack('Stack');
    expect(() => new RosQueue(stack, 'Q', props as any)).toThrow(message);
  });

  it('accepts the edges of every range', () => {
    const { stack } = newStack();
    expect(() => new RosQueue(stack, 'Low', { queueName: 'q', delaySeconds: 0, maximumMessageSize: 1024, messageRetentionPeriod: 60, pollingWaitSeconds: 0, visibilityTimeout: 1 })).not.toThrow();
    expect(() => new RosQueue(stack, 'High', { queueName: 'q'.repeat(256), delaySeconds: 604800, maximumMessageSize: 65536, messageRetentionPeriod: 604800, pollingWaitSeconds: 30, visibilityTimeout: 43200 })).not.toThrow();
  });

  it('skips unresolved tokens and renders them as intrinsics', () => {
    // GIVEN
    const { stack } = newStack();
    const p = new ros.RosParameter(stack, 'Timeout', { type: ros.RosParameterType.NUMBER });
    // WHEN
    new RosQueue(stack, 'Q', { queueName: 'q', visibilityTimeout: p.valueAsNumber });
    // THEN
    expect(synthTemplate(stack).Resources.Q.Properties.VisibilityTimeout).toEqual({ Ref: 'Timeout' });
  });

  it('validates again at synthesis when a field was changed after construction', () => {
    const { stack } = newStack('Stack');
    const q = new RosQueue(stack, 'Q', { queueName: 'q' });
    q.pollingWaitSeconds = 31;
    expect(() => synthTemplate(stack)).toThrow(/RosQueue 'Stack\/Q': pollingWaitSeconds must be between 0 and 30, got 31/);
  });
});

describe('RosTopic and RosSubscription', () => {
  it('render their properties and attributes', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    const t = new RosTopic(stack, 'T', { topicName: 't1', loggingEnabled: false, maximumMessageSize: 2048 });
    const s = new RosSubscription(stack, 'S', {
      topicName: ros.Token.asString(t.attrTopicName),
      endpoint: 'http://example.com/hook',
      subscriptionName: 's1',
      filterTag: 'x'.repeat(16),
      notifyContentFormat: 'SIMPLIFIED',
      notifyStrategy: 'EXPONENTIAL_DECAY_RETRY',
    });
    // THEN
    const r = synthTemplate(stack).Resources;
    expect(r.T).toEqual({ Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: 't1', LoggingEnabled: false, MaximumMessageSize: 2048 } });
    expect(r.S).toEqual({
      Type: 'ALIYUN::MNS::Subscription',
      Properties: {
        Endpoint: 'http://example.com/hook',
        SubscriptionName: 's1',
        TopicName: { 'Fn::GetAtt': ['T', 'TopicName'] },
        FilterTag: 'x'.repeat(16),
        NotifyContentFormat: 'SIMPLIFIED',
        NotifyStrategy: 'EXPONENTIAL_DECAY_RETRY',
      },
    });
    expect(stack.resolve(t.attrArnWithSlash)).toEqual({ 'Fn::GetAtt': ['T', 'ARN.WithSlash'] });
    expect(stack.resolve(t.attrTopicUrl)).toEqual({ 'Fn::GetAtt': ['T', 'TopicUrl'] });
    expect(stack.resolve(s.attrSubscriptionName)).toEqual({ 'Fn::GetAtt': ['S', 'SubscriptionName'] });
    expect(stack.resolve(s.attrSubscriptionUrl)).toEqual({ 'Fn::GetAtt': ['S', 'SubscriptionUrl'] });
    expect(stack.resolve(s.attrTopicName)).toEqual({ 'Fn::GetAtt': ['S', 'TopicName'] });
  });

  it.each<[string, () => (s: ros.Stack) => unknown, RegExp]>([
    ['topic maximumMessageSize 1023', () => (s) => new RosTopic(s, 'T', { topicName: 't', maximumMessageSize: 1023 }), /RosTopic 'Stack\/T': maximumMessageSize must be between 1024 and 65536, got 1023/],
    ['topic maximumMessageSize 65537', () => (s) => new RosTopic(s, 'T', { topicName: 't', maximumMessageSize: 65537 }), /between 1024 and 65536, got 65537/],
    ['topic name of 257', () => (s) => new RosTopic(s, 'T', { topicName: 't'.repeat(257) }), /topicName must be 1 to 256 characters long/],
    ['filterTag of 17', () => (s) => new RosSubscription(s, 'S', { topicName: 't', endpoint: 'http://x', subscriptionName: 's', filterTag: 'x'.repeat(17) }), /RosSubscription 'Stack\/S': filterTag must be at most 16 characters long, got 17/],
    ['format HTML', () => (s) => new RosSubscription(s, 'S', { topicName: 't', endpoint: 'http://x', subscriptionName: 's', notifyContentFormat: 'HTML' as any }), /notifyContentFormat must be one of XML, JSON, SIMPLIFIED, got "HTML"/],
    ['strategy NEVER', () => (s) => new RosSubscription(s, 'S', { topicName: 't', endpoint: 'http://x', subscriptionName: 's', notifyStrategy: 'NEVER' as any }), /notifyStrategy must be one of BACKOFF_RETRY, EXPONENTIAL_DECAY_RETRY, got "NEVER"/],
    ['no endpoint', () => (s) => new RosSubscription(s, 'S', { topicName: 't', subscriptionName: 's' } as any), /endpoint is required, got undefined/],
  ])('rejects %s', (_name, make, message) => {
    const { stack } = newStack('Stack');
    expect(() => make()(stack)).toThrow(message);
  });
});

describe('NotificationQueue', () => {
  it('names the queue deterministically with the ice-callback prefix when no name is given', () => {
    // GIVEN
    const { stack } = newStack('Media');
    // WHEN
    const q = new NotificationQueue(stack, 'Callbacks');
    // THEN
    expect(q.queueName).toMatch(new RegExp(`^${ICE_CALLBACK_QUEUE_PREFIX}-Media-Callbacks-[0-9a-f]{8}$`));
    expect(synthTemplate(stack).Resources.Callbacks.Properties).toEqual({ QueueName: q.queueName });
    expect(new NotificationQueue(newStack('Media').stack, 'Callbacks').queueName).toBe(q.queueName);
    expect(new NotificationQueue(newStack('Other').stack, 'Callbacks').queueName).not.toBe(q.queueName);
  });

  it('maps each prop to its L1 property', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    new NotificationQueue(stack, 'Q', {
      queueName: 'ice-callback-jobs',
      visibilityTimeoutSeconds: 60,
      messageRetentionPeriodSeconds: 86400,
      pollingWaitSeconds: 30,
      maximumMessageSizeBytes: 8192,
      delaySeconds: 5,
      loggingEnabled: true,
    });
    // THEN
    expect(synthTemplate(stack).Resources.Q.Properties).toEqual({
      QueueName: 'ice-callback-jobs',
      VisibilityTimeout: 60,
      MessageRetentionPeriod: 86400,
      PollingWaitSeconds: 30,
      MaximumMessageSize: 8192,
      DelaySeconds: 5,
      LoggingEnabled: true,
    });
  });

  it.each<[object, RegExp]>([
    [{ queueName: 'jobs' }, /NotificationQueue 'Stack\/Q': queueName must start with 'ice-callback' \(ICE only calls back to such queues\), got 'jobs'/],
    [{ queueName: 'ice-callback_x' }, /queueName must be 1-120 letters, digits or hyphens starting with a letter, got 'ice-callback_x'/],
    [{ queueName: `ice-callback-${'x'.repeat(108)}` }, /queueName must be 1-120/],
    [{ visibilityTimeoutSeconds: 0 }, /NotificationQueue 'Stack\/Q': visibilityTimeoutSeconds must be between 1 and 43200, got 0/],
    [{ visibilityTimeoutSeconds: 43201 }, /visibilityTimeoutSeconds must be between 1 and 43200, got 43201/],
    [{ messageRetentionPeriodSeconds: 59 }, /messageRetentionPeriodSeconds must be between 60 and 604800, got 59/],
    [{ messageRetentionPeriodSeconds: 604801 }, /messageRetentionPeriodSeconds must be between 60 and 604800, got 604801/],
    [{ pollingWaitSeconds: -1 }, /pollingWaitSeconds must be between 0 and 30, got -1/],
    [{ pollingWaitSeconds: 31 }, /pollingWaitSeconds must be between 0 and 30, got 31/],
    [{ maximumMessageSizeBytes: 1023 }, /maximumMessageSizeBytes must be between 1024 and 65536, got 1023/],
    [{ maximumMessageSizeBytes: 65537 }, /maximumMessageSizeBytes must be between 1024 and 65536, got 65537/],
    [{ delaySeconds: -1 }, /delaySeconds must be between 0 and 604800, got -1/],
    [{ delaySeconds: 604801 }, /delaySeconds must be between 0 and 604800, got 604801/],
  ])('rejects %j', (props, message) => {
    const { stack } = newStack('Stack');
    expect(() => new NotificationQueue(stack, 'Q', props)).toThrow(message);
  });

  it('grants consumers receive, delete and change-visibility on the queue and its messages, nothing else', () => {
    // GIVEN
    const { stack } = newStack();
    const q = new NotificationQueue(stack, 'Q', { queueName: 'ice-callback-jobs' });
    const role = new ram.Role(stack, 'Role', { roleName: 'consumer', assumeRolePolicyDocument: ASSUME_FC });
    const principal = new RolePrincipal(stack, 'Principal', { role });
    // WHEN
    q.grantConsumeMessages(principal);
    // THEN
    expect(policyStatements(synthTemplate(stack))).toEqual([
      {
        Action: ['mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:ReceiveMessage'],
        Resource: [QUEUE_ARN, QUEUE_MESSAGES_ARN],
        Effect: 'Allow',
      },
    ]);
  });

  it('exposes its ARN and MPS notify URL from the stack region and account', () => {
    const { stack } = newStack();
    const q = NotificationQueue.fromQueueName(stack, 'Imported', 'ice-callback-jobs');
    expect(stack.resolve(q.queueArn)).toEqual(QUEUE_ARN);
    expect(stack.resolve(q.notifyUrl)).toEqual({
      'Fn::Join': ['', ['mns://', { Ref: 'ALIYUN::AccountId' }, '.mns.', { Ref: 'ALIYUN::Region' }, '.aliyuncs.com/queues/ice-callback-jobs']],
    });
    expect(synthTemplate(stack).Resources).toBeUndefined();
  });

  it('imports by name without requiring the prefix but rejects malformed names', () => {
    const { stack } = newStack('Stack');
    expect(NotificationQueue.fromQueueName(stack, 'A', 'legacy-queue').queueName).toBe('legacy-queue');
    expect(() => NotificationQueue.fromQueueName(stack, 'B', '9lives')).toThrow(/NotificationQueue 'Stack\/B': queueName must be 1-120 letters, digits or hyphens starting with a letter, got '9lives'/);
  });

  it('grants sending on the queue and its messages', () => {
    const { stack } = newStack();
    const q = NotificationQueue.fromQueueName(stack, 'Imported', 'ice-callback-jobs');
    const principal = RolePrincipal.fromRoleName(stack, 'P', 'sender');
    q.grantSendMessages(principal);
    expect(policyStatements(synthTemplate(stack))).toEqual([
      { Action: ['mns:SendMessage'], Resource: [QUEUE_ARN, QUEUE_MESSAGES_ARN], Effect: 'Allow' },
    ]);
  });
});

describe('NotificationTopic', () => {
  it('subscribes a queue and an HTTP endpoint with JSON pushes', () => {
    // GIVEN
    const { stack } = newStack();
    const topic = new NotificationTopic(stack, 'Topic', { topicName: 'jobs-done', maximumMessageSizeBytes: 4096, loggingEnabled: true });
    const queue = new NotificationQueue(stack, 'Queue', { queueName: 'ice-callback-jobs' });
    // WHEN
    topic.addQueueSubscription(queue);
    topic.addHttpSubscription('https://hooks.example.com/ice', { filterTag: 'done', notifyStrategy: 'EXPONENTIAL_DECAY_RETRY', subscriptionName: 'webhook' });
    // THEN
    const r = synthTemplate(stack).Resources;
    expect(r.Topic.Properties).toEqual({ TopicName: 'jobs-done', LoggingEnabled: true, MaximumMessageSize: 4096 });
    expect(r.TopicSubscription1).toEqual({
      Type: 'ALIYUN::MNS::Subscription',
      Properties: {
        Endpoint: { 'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':', { Ref: 'ALIYUN::AccountId' }, ':queues/ice-callback-jobs']] },
        SubscriptionName: 'jobs-done-sub1',
        TopicName: { 'Fn::GetAtt': ['Topic', 'TopicName'] },
        NotifyContentFormat: 'JSON',
      },
      DependsOn: ['Queue'],
    });
    expect(r.TopicSubscription2.Properties).toEqual({
      Endpoint: 'https://hooks.example.com/ice',
      SubscriptionName: 'webhook',
      TopicName: { 'Fn::GetAtt': ['Topic', 'TopicName'] },
      FilterTag: 'done',
      NotifyContentFormat: 'JSON',
      NotifyStrategy: 'EXPONENTIAL_DECAY_RETRY',
    });
  });

  it('grants publish on the topic and its messages', () => {
    const { stack } = newStack();
    const topic = NotificationTopic.fromTopicName(stack, 'T', 'jobs-done');
    topic.grantPublish(RolePrincipal.fromRoleName(stack, 'P', 'publisher'));
    const arn = { 'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':', { Ref: 'ALIYUN::AccountId' }, ':/topics/jobs-done']] };
    const messages = { 'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':', { Ref: 'ALIYUN::AccountId' }, ':/topics/jobs-done/messages']] };
    expect(policyStatements(synthTemplate(stack))).toEqual([{ Action: ['mns:PublishMessage'], Resource: [arn, messages], Effect: 'Allow' }]);
  });

  it.each<[string, (t: NotificationTopic) => unknown, RegExp]>([
    ['a non-http URL', (t) => t.addHttpSubscription('ftp://x'), /NotificationTopic 'Stack\/T': url must start with http:\/\/ or https:\/\/ and name a host, got 'ftp:\/\/x'/],
    ['a filter tag of 17', (t) => t.addHttpSubscription('http://x', { filterTag: 'y'.repeat(17) }), /filterTag must be at most 16 characters long, got 17/],
    ['a bad subscription name', (t) => t.addHttpSubscription('http://x', { subscriptionName: '_s' }), /subscriptionName must be 1-120 letters, digits or hyphens starting with a letter, got '_s'/],
  ])('rejects %s', (_name, act, message) => {
    const { stack } = newStack('Stack');
    const t = new NotificationTopic(stack, 'T');
    expect(() => act(t)).toThrow(message);
  });

  it.each<[object, RegExp]>([
    [{ topicName: '1topic' }, /NotificationTopic 'Stack\/T': topicName must be 1-120 letters, digits or hyphens starting with a letter, got '1topic'/],
    [{ maximumMessageSizeBytes: 1023 }, /NotificationTopic 'Stack\/T': maximumMessageSizeBytes must be between 1024 and 65536, got 1023/],
    [{ maximumMessageSizeBytes: 65537 }, /maximumMessageSizeBytes must be between 1024 and 65536, got 65537/],
  ])('rejects props %j', (props, message) => {
    const { stack } = newStack('Stack');
    expect(() => new NotificationTopic(stack, 'T', props)).toThrow(message);
  });
});
