import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import { MediaBucket } from '../../lib/constructs/bucket';
import { RolePrincipal } from '../../lib/constructs/grants';
import { IntelligentProduction, IntelligentProductionProps } from '../../lib/constructs/production';
import { functionsOf } from '../../lib/jobs';

const COVER_PRESET = {
  FunctionName: 'Cover',
  Input: { Type: 'OSS', Media: 'oss://media-input/input/sample.mp4' },
  Output: { Type: 'OSS', Media: 'oss://media-output/output/cover-{sequenceId}.png' },
};

function newStack(region: string | null = 'cn-shanghai'): ros.Stack {
  const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-l3-')), stackTraces: false });
  return new ros.Stack(app, 'ProdStack', { env: { account: '1234567890', ...(region ? { region } : {}) } });
}

function template(stack: ros.Stack): any {
  return (stack.node.root as ros.App).synth().getStackByName(stack.stackName).template;
}

function ofType(t: any, type: string): any[] {
  return Object.values<any>(t.Resources).filter((r) => r.Type === type);
}

function typeCounts(t: any): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of Object.values<any>(t.Resources)) out[r.Type] = (out[r.Type] ?? 0) + 1;
  return out;
}

/** Statements of the managed policy attached to the role named `roleName`. */
function policyOfRole(t: any, roleName: string): any[] {
  const roleId = Object.keys(t.Resources).find((id) => t.Resources[id].Type === 'ALIYUN::RAM::Role' && t.Resources[id].Properties.RoleName === roleName);
  const policy = ofType(t, 'ALIYUN::RAM::ManagedPolicy').find((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`));
  return policy?.Properties.PolicyDocument.Statement ?? [];
}

function actionsOf(statements: any[]): string[] {
  return statements.flatMap((s) => s.Action).sort();
}

function appRole(stack: ros.Stack): RolePrincipal {
  const role = new ram.RosRole(stack, 'AppRole', {
    roleName: 'app-submitter',
    assumeRolePolicyDocument: { version: '1', statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['ecs.aliyuncs.com'] } }] },
  }, true);
  return new RolePrincipal(stack, 'AppGrants', { role });
}

describe('IntelligentProduction', () => {
  it('by default deploys buckets, a pipeline reporting to a topic that invokes the runtime, and a runtime with exactly the permissions it needs', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover', 'VideoClip'] });
    // THEN
    const t = template(stack);
    expect(typeCounts(t)).toEqual({
      'ALIYUN::OSS::Bucket': 2,
      'ALIYUN::MNS::Topic': 1,
      'ALIYUN::MPS::Pipeline': 1,
      'ALIYUN::RAM::Role': 2,
      'ALIYUN::RAM::ManagedPolicy': 1,
      'ALIYUN::MNS::Queue': 1,
      'ALIYUN::FC3::Function': 1,
      'ALIYUN::FC3::ConcurrencyConfig': 1,
      'ALIYUN::FC3::AsyncInvokeConfig': 1,
      'ALIYUN::FC3::Trigger': 1,
    });
    expect(ofType(t, 'ALIYUN::OSS::Bucket').map((b) => b.Properties.BucketName).sort()).toEqual(['media-input', 'media-output']);
    expect(ofType(t, 'ALIYUN::MNS::Topic')[0].Properties.TopicName).toBe('media-completions');
    expect(ofType(t, 'ALIYUN::MPS::Pipeline')[0].Properties).toMatchObject({
      Name: 'media-pipeline',
      NotifyConfig: { Topic: 'media-completions' },
    });
    expect(ofType(t, 'ALIYUN::MPS::Pipeline')[0].Properties.NotifyConfig).toEqual({ Topic: 'media-completions' });

    // The topic invokes the function through a role of its own, trusted by MNS alone and allowed only to invoke it.
    const trigger = ofType(t, 'ALIYUN::FC3::Trigger')[0].Properties;
    expect(trigger).toMatchObject({
      TriggerType: 'mns_topic',
      SourceArn: 'acs:mns:cn-shanghai:1234567890:/topics/media-completions',
    });
    const [invokeRoleId, attribute] = trigger.InvocationRole['Fn::GetAtt'];
    expect(attribute).toBe('Arn');
    const invokeRole = t.Resources[invokeRoleId];
    expect(invokeRole.Properties.RoleName).toBe('media-runtime-mns');
    expect(invokeRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['mns.aliyuncs.com'] } },
    ]);
    expect(invokeRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: ['acs:fc:cn-shanghai:1234567890:functions/media-handler'] },
    ]);
    // ...and the function's own role stays trusted by FC alone.
    const runtimeRole = ofType(t, 'ALIYUN::RAM::Role').find((r) => r.Properties.RoleName === 'media-runtime');
    expect(runtimeRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } },
    ]);

    // Exactly what the function uses: the API pair, and sending failed invocations to its queue. No OSS: ICE reads
    // and writes the buckets through its own service role.
    const statements = policyOfRole(t, 'media-runtime');
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['ice:QueryIProductionJob', 'ice:SubmitIProductionJob'], Resource: ['*'] },
      {
        Effect: 'Allow',
        Action: ['mns:SendMessage'],
        Resource: ['acs:mns:cn-shanghai:1234567890:/queues/media-failed-invocations', 'acs:mns:cn-shanghai:1234567890:/queues/media-failed-invocations/messages'],
      },
    ]);

    const fn = ofType(t, 'ALIYUN::FC3::Function')[0].Properties;
    expect(fn.EnvironmentVariables).toMatchObject({
      IPROD_REGION: 'cn-shanghai',
      IPROD_API: 'ice',
      IPROD_FUNCTIONS: '["Cover","VideoClip"]',
      IPROD_INPUT_LOCATIONS: '["media-input/input/"]',
      IPROD_OUTPUT_LOCATIONS: '["media-output/output/"]',
    });
    expect(fn.EnvironmentVariables.IPROD_INPUT_BUCKET).toBeUndefined();
    expect(fn.EnvironmentVariables.IPROD_PIPELINE_ID).toEqual({ 'Fn::GetAtt': [expect.any(String), 'PipelineId'] });
  });

  it('with queue notification, the queue is for app consumers: the runtime gets no trigger and no MNS permission', () => {
    // GIVEN
    const stack = newStack();
    const production = new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], notification: 'queue' });
    const consumer = appRole(stack);
    // WHEN
    production.grantConsumeNotifications(consumer);
    // THEN
    const t = template(stack);
    expect(typeCounts(t)).toEqual({
      'ALIYUN::OSS::Bucket': 2,
      // The completions queue and the runtime's failed-invocations queue.
      'ALIYUN::MNS::Queue': 2,
      'ALIYUN::MPS::Pipeline': 1,
      // The runtime's and the consumer's roles, one managed policy each.
      'ALIYUN::RAM::Role': 2,
      'ALIYUN::RAM::ManagedPolicy': 2,
      'ALIYUN::FC3::Function': 1,
      'ALIYUN::FC3::ConcurrencyConfig': 1,
      'ALIYUN::FC3::AsyncInvokeConfig': 1,
    });
    expect(ofType(t, 'ALIYUN::FC3::Trigger')).toEqual([]);
    expect(ofType(t, 'ALIYUN::MNS::Topic')).toEqual([]);
    expect(ofType(t, 'ALIYUN::MNS::Queue').map((q) => q.Properties.QueueName).sort()).toEqual(['ice-callback-media', 'media-failed-invocations']);
    expect(ofType(t, 'ALIYUN::MPS::Pipeline')[0].Properties.NotifyConfig).toEqual({ QueueName: 'ice-callback-media' });
    expect(production.runtime).toBeDefined();

    const runtimeActions = actionsOf(policyOfRole(t, 'media-runtime'));
    expect(runtimeActions).toEqual(['ice:QueryIProductionJob', 'ice:SubmitIProductionJob', 'mns:SendMessage']);
    expect(JSON.stringify(policyOfRole(t, 'media-runtime'))).not.toContain('ice-callback-media');

    const consumerStatements = policyOfRole(t, 'app-submitter');
    expect(consumerStatements).toHaveLength(1);
    expect(consumerStatements[0].Action).toEqual(['mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:ReceiveMessage']);
    expect(consumerStatements[0].Resource).toContain('acs:mns:cn-shanghai:1234567890:/queues/ice-callback-media');
  });

  it('uses the MPS action pair and catalogue with api mts', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', { namePrefix: 'media', api: 'mts', functions: ['ImageH2V', 'Cover'] });
    // THEN
    const t = template(stack);
    const actions = actionsOf(policyOfRole(t, 'media-runtime'));
    expect(actions).toEqual(expect.arrayContaining(['mts:QueryIProductionJob', 'mts:SubmitIProductionJob']));
    expect(actions.filter((a) => a.startsWith('ice:'))).toEqual([]);
    expect(ofType(t, 'ALIYUN::FC3::Function')[0].Properties.EnvironmentVariables.IPROD_API).toBe('mts');
  });

  it('adds the MediaProducing pair when enabled', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], mediaProducing: true });
    // THEN
    expect(actionsOf(policyOfRole(template(stack), 'media-runtime'))).toEqual(
      expect.arrayContaining(['ice:GetMediaProducingJob', 'ice:SubmitMediaProducingJob']),
    );
  });

  it('with topic notification, the topic invokes the runtime and no queue is consumed', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const production = new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], notification: 'topic' });
    // THEN
    const t = template(stack);
    expect(ofType(t, 'ALIYUN::MNS::Queue').map((q) => q.Properties.QueueName)).toEqual(['media-failed-invocations']);
    expect(ofType(t, 'ALIYUN::MNS::Topic')[0].Properties.TopicName).toBe('media-completions');
    expect(ofType(t, 'ALIYUN::MPS::Pipeline')[0].Properties.NotifyConfig).toEqual({ Topic: 'media-completions' });
    expect(ofType(t, 'ALIYUN::FC3::Trigger')[0].Properties).toMatchObject({
      TriggerType: 'mns_topic',
      SourceArn: 'acs:mns:cn-shanghai:1234567890:/topics/media-completions',
    });
    expect(actionsOf(policyOfRole(t, 'media-runtime')).filter((a) => a.startsWith('mns:'))).toEqual(['mns:SendMessage']);
    expect(JSON.stringify(policyOfRole(t, 'media-runtime'))).not.toContain('completions');
    expect(() => production.grantConsumeNotifications(appRole(stack))).toThrow(/grantConsumeNotifications needs notification 'queue', got 'topic'/);
  });

  it('with no notification and no runtime, deploys buckets and a bare pipeline only', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const production = new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], notification: 'none', runtime: false });
    // THEN
    const t = template(stack);
    expect(typeCounts(t)).toEqual({ 'ALIYUN::OSS::Bucket': 2, 'ALIYUN::MPS::Pipeline': 1 });
    expect(ofType(t, 'ALIYUN::MPS::Pipeline')[0].Properties.NotifyConfig).toBeUndefined();
    expect(production.runtime).toBeUndefined();
    expect(() => production.grantInvokeRuntime(appRole(stack))).toThrow(/grantInvokeRuntime needs runtime: true, got false/);
  });

  it('uses existing buckets without creating any, and the runtime submits jobs under their prefixes only', () => {
    // GIVEN
    const stack = newStack();
    const shared = MediaBucket.fromBucketName(stack, 'Shared', 'team-media');
    // WHEN
    new IntelligentProduction(stack, 'Production', {
      namePrefix: 'media',
      functions: ['Cover'],
      inputBucket: shared,
      outputBucket: shared,
      inputPrefix: 'in/',
      outputPrefix: 'out/',
    });
    // THEN
    const t = template(stack);
    expect(ofType(t, 'ALIYUN::OSS::Bucket')).toHaveLength(0);
    expect(JSON.stringify(policyOfRole(t, 'media-runtime'))).not.toContain('acs:oss:');
    expect(ofType(t, 'ALIYUN::FC3::Function')[0].Properties.EnvironmentVariables).toMatchObject({
      IPROD_INPUT_LOCATIONS: '["team-media/in/"]',
      IPROD_OUTPUT_LOCATIONS: '["team-media/out/"]',
    });
  });

  it('tags every taggable resource and offers the tags for job UserData', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], tags: { team: 'video', env: 'prod' } });
    // THEN
    const t = template(stack);
    for (const bucket of ofType(t, 'ALIYUN::OSS::Bucket')) expect(bucket.Properties.Tags).toEqual({ team: 'video', env: 'prod' });
    for (const type of ['ALIYUN::RAM::Role', 'ALIYUN::FC3::Function']) {
      expect(ofType(t, type)[0].Properties.Tags).toEqual(
        expect.arrayContaining([{ Key: 'team', Value: 'video' }, { Key: 'env', Value: 'prod' }]),
      );
    }
    expect(JSON.parse(ofType(t, 'ALIYUN::FC3::Function')[0].Properties.EnvironmentVariables.IPROD_USER_DATA_TAGS)).toEqual({
      env: 'prod',
      team: 'video',
    });
  });

  it('tags the MNS trigger role too with topic notification', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], notification: 'topic', tags: { team: 'video' } });
    // THEN
    const roles = ofType(template(stack), 'ALIYUN::RAM::Role');
    expect(roles.map((r) => r.Properties.RoleName).sort()).toEqual(['media-runtime', 'media-runtime-mns']);
    for (const role of roles) expect(role.Properties.Tags).toEqual([{ Key: 'team', Value: 'video' }]);
  });

  it('grants app-team roles through grants.ts', () => {
    // GIVEN
    const stack = newStack();
    const production = new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], mediaProducing: true, notification: 'queue' });
    const app = appRole(stack);
    // WHEN
    production.grantJobs(app);
    production.grantWriteInputs(app);
    production.grantReadOutputs(app);
    production.grantConsumeNotifications(app);
    production.grantInvokeRuntime(app);
    // THEN
    expect(actionsOf(policyOfRole(template(stack), 'app-submitter'))).toEqual([
      'fc:InvokeFunction',
      'ice:GetMediaProducingJob',
      'ice:QueryIProductionJob',
      'ice:SubmitIProductionJob',
      'ice:SubmitMediaProducingJob',
      'mns:ChangeMessageVisibility',
      'mns:DeleteMessage',
      'mns:ReceiveMessage',
      'oss:AbortMultipartUpload',
      'oss:GetObject',
      'oss:ListParts',
      'oss:PutObject',
    ]);
  });

  it('changes the template with functions and presets: the deployed function knows them', () => {
    // GIVEN
    const synth = (props: IntelligentProductionProps) => {
      const stack = newStack();
      new IntelligentProduction(stack, 'Production', { namePrefix: 'media', ...props });
      return ofType(template(stack), 'ALIYUN::FC3::Function')[0].Properties.EnvironmentVariables;
    };
    // WHEN
    const all = synth({});
    const cover = synth({ functions: ['Cover'] });
    const withPreset = synth({ functions: ['Cover'], presets: { cover: COVER_PRESET } });
    // THEN
    expect(JSON.parse(all.IPROD_FUNCTIONS)).toEqual([...functionsOf('ice')]);
    expect(JSON.parse(cover.IPROD_FUNCTIONS)).toEqual(['Cover']);
    expect(cover.IPROD_PRESETS).toBeUndefined();
    expect(JSON.parse(withPreset.IPROD_PRESETS)).toEqual({ cover: COVER_PRESET });
  });

  it('accepts a preset without Input (each invocation gives it), validated on a sample input under the input prefix', () => {
    // GIVEN
    const { Input: _input, ...preset } = COVER_PRESET;
    const stack = newStack();
    // WHEN
    const production = new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], presets: { cover: preset } });
    // THEN
    expect(production.presets).toEqual({ cover: preset });
    expect(JSON.parse(ofType(template(stack), 'ALIYUN::FC3::Function')[0].Properties.EnvironmentVariables.IPROD_PRESETS)).toEqual({ cover: preset });
  });

  it('takes an explicit allow-list of more input and output locations', () => {
    // GIVEN
    const stack = newStack();
    const archive = MediaBucket.fromBucketName(stack, 'Archive', 'media-archive');
    // WHEN
    new IntelligentProduction(stack, 'Production', {
      namePrefix: 'media',
      functions: ['Cover'],
      additionalInputLocations: [{ bucket: archive, prefix: 'public/' }],
      additionalOutputLocations: [{ bucket: archive, prefix: 'covers/' }],
      presets: { archived: { ...COVER_PRESET, Input: { Type: 'OSS', Media: 'oss://media-archive/public/a.mp4' } } },
    });
    // THEN
    expect(ofType(template(stack), 'ALIYUN::FC3::Function')[0].Properties.EnvironmentVariables).toMatchObject({
      IPROD_INPUT_LOCATIONS: '["media-input/input/","media-archive/public/"]',
      IPROD_OUTPUT_LOCATIONS: '["media-output/output/","media-archive/covers/"]',
    });
  });

  it('runs on FC 2.0 with runtimeOptions.platform fc2, same bundle and environment', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], runtimeOptions: { platform: 'fc2' } });
    // THEN
    const t = template(stack);
    expect(ofType(t, 'ALIYUN::FC3::Function')).toHaveLength(0);
    expect(ofType(t, 'ALIYUN::FC::Function')[0].Properties.EnvironmentVariables).toMatchObject({ IPROD_FUNCTIONS: '["Cover"]' });
    expect(ofType(t, 'ALIYUN::FC::Trigger')[0].Properties).toMatchObject({ TriggerType: 'mns_topic', ServiceName: 'media-runtime' });
  });

  it('builds its pipeline and runtime from MediaPipeline and ProductionRuntime props (pipelineOptions, runtimeOptions)', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IntelligentProduction(stack, 'Production', {
      namePrefix: 'media',
      functions: ['Cover'],
      pipelineOptions: { speed: 'Boost', speedLevel: 2, state: 'Paused', role: { roleName: 'TeamMtsRole' } },
      runtimeOptions: { timeoutSeconds: 120, memorySizeMB: 512, maxInstances: 4, nodeVersion: 'nodejs20' },
    });
    // THEN
    const t = template(stack);
    expect(ofType(t, 'ALIYUN::MPS::Pipeline')[0].Properties).toMatchObject({
      Name: 'media-pipeline', Speed: 'Boost', SpeedLevel: 2, State: 'Paused', Role: 'TeamMtsRole', NotifyConfig: { Topic: 'media-completions' },
    });
    expect(ofType(t, 'ALIYUN::FC3::Function')[0].Properties).toMatchObject({ Timeout: 120, MemorySize: 512, Runtime: 'nodejs20' });
    expect(ofType(t, 'ALIYUN::FC3::ConcurrencyConfig')[0].Properties.ReservedConcurrency).toBe(4);
  });

  it('accepts valid presets', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const production = new IntelligentProduction(stack, 'Production', { namePrefix: 'media', functions: ['Cover'], presets: { cover: COVER_PRESET } });
    // THEN
    expect(Object.keys(production.presets)).toEqual(['cover']);
  });

  it.each<[string, IntelligentProductionProps, RegExp]>([
    ['an unknown function', { functions: ['Teleport' as any] }, /ProdStack\/P: functions\[0\] must be a known function \(.*\), got "Teleport"/],
    ['an MPS-only function on ICE', { functions: ['ImageH2V' as any] }, /ProdStack\/P: functions\[0\] ImageH2V is not offered by api 'ice'/],
    ['no functions', { functions: [] }, /functions must list at least one function, got \[\]/],
    ['an unknown api', { api: 'vod' as any }, /api must be 'ice' or 'mts', got "vod"/],
    ['an unknown notification style', { notification: 'email' as any }, /notification must be one of queue, topic, none, got "email"/],
    ['MediaProducing on MPS', { api: 'mts', functions: ['Cover'], mediaProducing: true }, /mediaProducing is only offered by api 'ice', got "mts"/],
    ['a prefix starting with a digit', { namePrefix: '1media' }, /namePrefix must start with a letter .*, got "1media"/],
    ['a prefix with capitals', { namePrefix: 'Media' }, /namePrefix must be 1-32 characters/],
    ['a wildcard input prefix', { inputPrefix: 'in/*' }, /inputPrefix must not contain '\*' or '\?'/],
    ['overlapping prefixes in one bucket', { inputPrefix: 'media/', outputPrefix: 'media/out/', inputBucket: undefined, outputBucket: undefined, shareBucket: true } as any, /outputPrefix must not overlap inputPrefix "media\/" in the same bucket, got "media\/out\/"/],
    ['runtime options without a runtime', { runtime: false, runtimeOptions: { memorySizeMB: 512 } }, /runtimeOptions is only allowed with runtime: true/],
    ['a bad runtime option', { runtimeOptions: { memorySizeMB: 100 } }, /ProdStack\/P\/Runtime: memorySizeMB must be a multiple of 64/],
    ['a bad pipeline option', { pipelineOptions: { speedLevel: 0 } }, /MediaPipeline 'ProdStack\/P\/Pipeline': speedLevel must be an integer of at least 1, got 0/],
    [
      'the pipeline options under their old name',
      { pipeline: { speed: 'Boost' } } as any,
      /ProdStack\/P: pipeline is now pipelineOptions \(same speed, speedLevel, state and role\), got \{"speed":"Boost"\}/,
    ],
    [
      'the removed timer interval option',
      { notification: 'queue', runtimeOptions: { timerIntervalMinutes: 5 } as any },
      /ProdStack\/P: runtimeOptions\.timerIntervalMinutes is no longer supported \(the L3 adds no timer; .*\), got 5/,
    ],
    ['an invalid preset', { presets: { bad: { ...COVER_PRESET, JobParams: { fps: 5 } } } }, /ProdStack\/P: presets\.bad\.fps: "fps" is not a JobParams field of Cover/],
    ['a preset for a function not in use', { functions: ['VideoClip'], presets: { cover: COVER_PRESET } }, /presets\.cover\.FunctionName must be one of functions \(VideoClip\), got "Cover"/],
    [
      'a preset reading a bucket the stack never named',
      { presets: { leak: { ...COVER_PRESET, Input: { Type: 'OSS', Media: 'oss://payroll-archive/private/x.mp4' } } } },
      /ProdStack\/P: presets\.leak\.Input\.Media would be refused by the deployed function \(rule inputs\): .*got "oss:\/\/payroll-archive\/private\/x\.mp4"/,
    ],
    [
      'a preset writing outside the output prefix',
      { presets: { leak: { ...COVER_PRESET, Output: { Type: 'OSS', Media: 'oss://public-website/www/{source}.png' } } } },
      /presets\.leak\.Output\.Media would be refused by the deployed function \(rule outputs\)/,
    ],
    [
      'tags that leave UserData no room',
      { tags: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`cost-center-${i}`, `team-media-platform-${i}`])) },
      /ProdStack\/P: tags must serialize to at most 192 characters of UserData \(ICE SubmitIProductionJob allows 256, 64 are kept for the runtime\), got \d+/,
    ],
    [
      'a preset reading another region',
      { presets: { cover: { ...COVER_PRESET, Input: { Type: 'OSS', Media: 'https://media-input.oss-cn-beijing.aliyuncs.com/input/a.mp4' } } } },
      /ProdStack\/P: presets\.cover\.(Input\.)?Media.*cn-beijing/,
    ],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();
    const shared = (props as any).shareBucket ? MediaBucket.fromBucketName(stack, 'Shared', 'team-media') : undefined;
    // WHEN / THEN
    expect(
      () => new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'], ...props, ...(shared ? { inputBucket: shared, outputBucket: shared } : {}) }),
    ).toThrow(message);
  });

  it.each([
    ['no region at all', null, /ProdStack\/P: the stack region must be set \(env: \{ region \}\)/],
  ])('rejects a stack with %s', (_name, region, message) => {
    // GIVEN
    const stack = newStack(region);
    // WHEN / THEN
    expect(() => new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'] })).toThrow(message);
  });

  it('warns for a region outside the documented list (the list is not exhaustive)', () => {
    // GIVEN
    const stack = newStack('eu-central-1');
    // WHEN
    const production = new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'] });
    // THEN
    const warnings = production.node.metadata.filter((m) => m.type === 'aliyun:ros:warning').map((m) => m.data);
    expect(warnings).toEqual([
      expect.stringMatching(/ProdStack\/P: stack region must be one where ICE intelligent production is offered \(.*\), got "eu-central-1"/),
    ]);
  });

  it('rejects a bucket declared in another region', () => {
    // GIVEN
    const stack = newStack();
    const foreign = MediaBucket.fromBucketAttributes(stack, 'Foreign', { bucketName: 'far-media', region: 'cn-beijing' });
    // WHEN / THEN
    expect(() => new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'], inputBucket: foreign })).toThrow(
      /ProdStack\/P: inputBucket \(ProdStack\/Foreign, bucket far-media\) must be in the stack region "cn-shanghai", got "cn-beijing"/,
    );
  });

  it('fails synth with the figures when the stack exceeds 300 resources', () => {
    // GIVEN
    const stack = newStack();
    new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'] }); // 12 resources
    // WHEN
    for (let i = 0; i < 293; i++) new ros.RosResource(stack, `Extra${i}`, { type: 'ALIYUN::ROS::WaitConditionHandle', properties: {} });
    // THEN
    expect(() => template(stack)).toThrow(/\[ProdStack\/P\] template has 305 resources, over the ROS limit of 300/);
  });

  it('fails synth with the figures when the template exceeds 524,288 bytes', () => {
    // GIVEN
    const stack = newStack();
    new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'] });
    // WHEN
    new ros.RosResource(stack, 'Big', { type: 'ALIYUN::ROS::WaitConditionHandle', properties: { Data: 'x'.repeat(530_000) } });
    // THEN
    expect(() => template(stack)).toThrow(/\[ProdStack\/P\] template is \d{6} bytes, over the ROS limit of 524288 bytes/);
  });
});
