import * as ros from '@alicloud/ros-cdk-core';
import { RolePrincipal } from '../../lib/constructs/grants';
import { NotificationQueue, NotificationTopic } from '../../lib/constructs/mns';
import { MediaPipeline, PIPELINE_SPEEDS } from '../../lib/constructs/mps';
import { RosPipeline } from '../../lib/constructs/ros-mps';
import { validateIProductionJob } from '../../lib/jobs';
import { newStack, resourcesOfType, synthTemplate } from '../support/synth';

describe('RosPipeline', () => {
  it('renders every property, NotifyConfig included, under its spec name', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    const p = new RosPipeline(stack, 'P', {
      name: 'pipe',
      notifyConfig: { queueName: 'ice-callback-q', topic: 't' },
      role: 'AliyunMTSDefaultRole',
      speed: 'Boost',
      speedLevel: 2,
      state: 'Paused',
    });
    // THEN
    expect(synthTemplate(stack).Resources.P).toEqual({
      Type: 'ALIYUN::MPS::Pipeline',
      Properties: {
        Name: 'pipe',
        NotifyConfig: { QueueName: 'ice-callback-q', Topic: 't' },
        Role: 'AliyunMTSDefaultRole',
        Speed: 'Boost',
        SpeedLevel: 2,
        State: 'Paused',
      },
    });
    expect(stack.resolve(p.attrPipelineId)).toEqual({ 'Fn::GetAtt': ['P', 'PipelineId'] });
  });

  it.each<[string, object, RegExp]>([
    ['no name', {}, /RosPipeline 'Stack\/P': name is required, got undefined/],
    ['a bad state', { name: 'p', state: 'Stopped' }, /state must be one of Active, Paused, got "Stopped"/],
    ['a fractional speedLevel', { name: 'p', speedLevel: 1.5 }, /speedLevel must be an integer, got 1.5/],
    ['a numeric name', { name: 7 }, /name must be a string, got 7/],
    ['a NotifyConfig that is a string', { name: 'p', notifyConfig: 'q' }, /notifyConfig must be an object \(NotifyConfig\), got "q"/],
    ['a NotifyConfig queue that is a number', { name: 'p', notifyConfig: { queueName: 1 } }, /notifyConfig.queueName must be a string, got 1/],
    ['an unknown NotifyConfig key', { name: 'p', notifyConfig: { queue: 'x' } }, /notifyConfig.queue is not a property of ALIYUN::MPS::Pipeline, got "x"/],
  ])('rejects %s', (_name, props, message) => {
    const { stack } = newStack('Stack');
    expect(() => new RosPipeline(stack, 'P', props as any)).toThrow(message);
  });

  it('skips a NotifyConfig given as a token', () => {
    const { stack } = newStack();
    const q = new ros.RosParameter(stack, 'Queue', { type: ros.RosParameterType.STRING });
    new RosPipeline(stack, 'P', { name: 'p', notifyConfig: { queueName: q.valueAsString } });
    expect(synthTemplate(stack).Resources.P.Properties.NotifyConfig).toEqual({ QueueName: { Ref: 'Queue' } });
  });
});

describe('MediaPipeline', () => {
  it('notifies a NotificationQueue by name and is created after it', () => {
    // GIVEN
    const { stack } = newStack();
    const queue = new NotificationQueue(stack, 'Callbacks', { queueName: 'ice-callback-jobs' });
    // WHEN
    const pipeline = new MediaPipeline(stack, 'Pipeline', {
      pipelineName: 'iprod-pipeline',
      speed: 'AIVideoTag',
      speedLevel: 1,
      state: 'Active',
      role: { roleName: 'AliyunMTSDefaultRole' },
      notification: queue,
    });
    // THEN
    const t = synthTemplate(stack);
    expect(t.Resources.Pipeline).toEqual({
      Type: 'ALIYUN::MPS::Pipeline',
      Properties: {
        Name: 'iprod-pipeline',
        NotifyConfig: { QueueName: 'ice-callback-jobs' },
        Role: 'AliyunMTSDefaultRole',
        Speed: 'AIVideoTag',
        SpeedLevel: 1,
        State: 'Active',
      },
      DependsOn: ['Callbacks'],
    });
    expect(stack.resolve(pipeline.pipelineId)).toEqual({ 'Fn::GetAtt': ['Pipeline', 'PipelineId'] });
  });

  it('takes any IPipelineNotificationTarget: the target binds itself, no duck typing', () => {
    // GIVEN an imported queue (nothing to depend on) and a target of our own making
    const { stack } = newStack();
    const imported = NotificationQueue.fromQueueName(stack, 'Imported', 'ice-callback-shared');
    const custom = { bindAsPipelineNotification: () => ({ topicName: 'team-topic' }) };
    // WHEN
    new MediaPipeline(stack, 'A', { pipelineName: 'a', notification: imported });
    new MediaPipeline(stack, 'B', { pipelineName: 'b', notification: custom });
    // THEN
    const t = synthTemplate(stack);
    expect(t.Resources.A).toEqual({ Type: 'ALIYUN::MPS::Pipeline', Properties: { Name: 'a', NotifyConfig: { QueueName: 'ice-callback-shared' } } });
    expect(t.Resources.B.Properties.NotifyConfig).toEqual({ Topic: 'team-topic' });
  });

  it('notifies a topic through NotifyConfig.Topic and takes the role of a RolePrincipal', () => {
    // GIVEN
    const { stack } = newStack();
    const topic = NotificationTopic.fromTopicName(stack, 'Topic', 'jobs-done');
    const role = RolePrincipal.fromRoleName(stack, 'Role', 'mts-role');
    // WHEN
    new MediaPipeline(stack, 'Pipeline', { pipelineName: 'p', notification: topic, role });
    // THEN
    expect(synthTemplate(stack).Resources.Pipeline.Properties).toEqual({
      Name: 'p',
      NotifyConfig: { Topic: 'jobs-done' },
      Role: 'mts-role',
    });
  });

  it('names itself deterministically when no name is given', () => {
    const build = () => {
      const { stack } = newStack('Media');
      return new MediaPipeline(stack, 'Pipeline').pipelineName;
    };
    expect(build()).toMatch(/^iprod-Media-Pipeline-[0-9a-f]{8}$/);
    expect(build()).toBe(build());
  });

  it.each(PIPELINE_SPEEDS)('accepts speed %s', (speed) => {
    const { stack } = newStack();
    new MediaPipeline(stack, 'P', { pipelineName: 'p', speed });
    expect(synthTemplate(stack).Resources.P.Properties.Speed).toBe(speed);
  });

  it.each<[object, RegExp]>([
    [{ speed: 'Turbo' }, /MediaPipeline 'Stack\/P': speed must be one of Standard, Boost, NarrowBandHDV2, AIVideoCover, AIVideoTag, got 'Turbo'/],
    [{ speedLevel: 0 }, /speedLevel must be an integer of at least 1, got 0/],
    [{ speedLevel: 1.5 }, /speedLevel must be an integer of at least 1, got 1.5/],
    [{ state: 'Stopped' }, /MediaPipeline 'Stack\/P': state must be one of Active, Paused, got "Stopped"/],
    [{ pipelineName: '-p' }, /pipelineName must be 1-128 bytes starting with a letter or digit, got '-p' \(2 bytes\)/],
    [{ pipelineName: 'p'.repeat(129) }, /pipelineName must be 1-128 bytes .* \(129 bytes\)/],
    [{ pipelineName: '视'.repeat(43) }, /\(129 bytes\)/],
    [{ notification: { foo: 1 } }, /notification must be a notification queue or topic, got object/],
    [{ notification: { bindAsPipelineNotification: () => ({}) } }, /MediaPipeline 'Stack\/P': notification must bind exactly one of queueName and topicName, got \{\}/],
    [
      { notification: { bindAsPipelineNotification: () => ({ queueName: 'ice-callback-q', topicName: 't' }) } },
      /notification must bind exactly one of queueName and topicName, got \{"queueName":"ice-callback-q","topicName":"t"\}/,
    ],
  ])('rejects %j', (props, message) => {
    const { stack } = newStack('Stack');
    expect(() => new MediaPipeline(stack, 'P', props as any)).toThrow(message);
  });

  it('accepts a 128-byte name', () => {
    const { stack } = newStack();
    expect(new MediaPipeline(stack, 'P', { pipelineName: 'p'.repeat(128) }).pipelineName).toHaveLength(128);
  });

  it('imports by id and grants the mts job actions on "*"', () => {
    // GIVEN
    const { stack } = newStack();
    const pipeline = MediaPipeline.fromPipelineId(stack, 'Existing', 'a1b2c3d4e5f6');
    const principal = RolePrincipal.fromRoleName(stack, 'Role', 'runtime');
    // WHEN
    pipeline.grantSubmitIProductionJob(principal);
    pipeline.grantQueryIProductionJob(principal);
    // THEN
    const [policy] = Object.values<any>(resourcesOfType(synthTemplate(stack), 'ALIYUN::RAM::ManagedPolicy'));
    expect(pipeline.pipelineId).toBe('a1b2c3d4e5f6');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: ['mts:QueryIProductionJob', 'mts:SubmitIProductionJob'], Resource: ['*'], Effect: 'Allow' },
    ]);
  });

  it('rejects a malformed imported id', () => {
    const { stack } = newStack('Stack');
    expect(() => MediaPipeline.fromPipelineId(stack, 'X', 'not an id')).toThrow(/MediaPipeline 'Stack\/X': pipelineId must be 1-64 letters, digits, _ or -, got 'not an id'/);
  });

  it('accepts every id the job validator accepts (one rule: lib/service)', () => {
    const { stack } = newStack('Stack');
    expect(MediaPipeline.fromPipelineId(stack, 'U', 'pipe_line-1').pipelineId).toBe('pipe_line-1');
    expect(validateIProductionJob({ FunctionName: 'Cover', Input: 'oss://b-in/a.mp4', Output: 'oss://b-out/{source}-{timestamp}-{sequenceId}.jpg', JobParams: '{}', PipelineId: 'pipe_line-1' }, { api: 'mts' })
      .filter((i) => i.field === 'PipelineId')).toEqual([]);
    expect(() => MediaPipeline.fromPipelineId(stack, 'L', 'x'.repeat(65))).toThrow(/pipelineId must be 1-64/);
  });
});
