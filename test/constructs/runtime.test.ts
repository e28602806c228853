import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import { MediaBucket } from '../../lib/constructs/bucket';
import { RolePrincipal } from '../../lib/constructs/grants';
import { ProductionRuntime, ProductionRuntimeProps } from '../../lib/constructs/runtime';
import { loadRuntimeBundle } from '../../lib/constructs/runtime-bundle';

function newStack(): ros.Stack {
  const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-runtime-')), stackTraces: false });
  return new ros.Stack(app, 'RuntimeStack', { env: { region: 'cn-shanghai', account: '1234567890' } });
}

function template(stack: ros.Stack): any {
  return (stack.node.root as ros.App).synth().getStackByName(stack.stackName).template;
}

function ofType(t: any, type: string): [string, any][] {
  return Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type);
}

describe('ProductionRuntime', () => {
  it('runs the bundled handler under its own role, trusted by FC only', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const runtime = new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media' });
    // THEN
    const t = template(stack);
    const [[roleId, role]] = ofType(t, 'ALIYUN::RAM::Role');
    expect(role.Properties.RoleName).toBe('media-runtime');
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '1',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
    });
    expect(ofType(t, 'ALIYUN::RAM::AccessKey')).toHaveLength(0);
    expect(ofType(t, 'ALIYUN::RAM::User')).toHaveLength(0);

    const [[, service]] = ofType(t, 'ALIYUN::FC::Service');
    expect(service.Properties).toMatchObject({ ServiceName: 'media-runtime', Role: { 'Fn::GetAtt': [roleId, 'Arn'] } });

    const [[, fn]] = ofType(t, 'ALIYUN::FC::Function');
    expect(fn.Properties).toMatchObject({
      FunctionName: 'media-handler',
      Handler: 'index.handler',
      Runtime: 'nodejs18',
      Timeout: 600,
      MemorySize: 256,
      InstanceConcurrency: 10,
      EnvironmentVariables: { IPROD_REGION: 'cn-shanghai', IPROD_API: 'ice' },
    });
    expect(fn.Properties.Code.ZipFile).toBe(loadRuntimeBundle().zipBase64);
    expect(fn.Properties.EnvironmentVariables.ICE_ENDPOINT).toBeUndefined();
    expect(ofType(t, 'ALIYUN::FC::Trigger')).toHaveLength(0);
    expect(runtime.functionArn).toBe('acs:fc:cn-shanghai:1234567890:services/media-runtime/functions/media-handler');
  });

  it('passes pipeline, API and user-data tags to the handler, and nothing it does not read', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ProductionRuntime(stack, 'Runtime', {
      namePrefix: 'media',
      api: 'mts',
      pipelineId: 'pipe-1',
      userDataTags: { team: 'b', app: 'a' },
      environment: { LOG_LEVEL: 'debug' },
      nodeVersion: 'nodejs20',
      timeoutSeconds: 900,
      memorySizeMB: 512,
      instanceConcurrency: 20,
    });
    // THEN
    const [[, fn]] = ofType(template(stack), 'ALIYUN::FC::Function');
    expect(fn.Properties.EnvironmentVariables).toEqual({
      LOG_LEVEL: 'debug',
      IPROD_REGION: 'cn-shanghai',
      IPROD_API: 'mts',
      IPROD_PIPELINE_ID: 'pipe-1',
      IPROD_USER_DATA_TAGS: '{"app":"a","team":"b"}',
    });
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs20', Timeout: 900, MemorySize: 512, InstanceConcurrency: 20 });
  });

  it('adds a timer trigger whose payload names the job kind and API', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media', api: 'mts', trigger: { type: 'timer', intervalMinutes: 2 } });
    // THEN
    const [[, trigger]] = ofType(template(stack), 'ALIYUN::FC::Trigger');
    expect(trigger.Properties).toMatchObject({
      TriggerType: 'timer',
      ServiceName: 'media-runtime',
      TriggerConfig: { cronExpression: '@every 2m', enable: true, payload: '{"kind":"iProduction","api":"mts"}' },
    });
  });

  it('subscribes to an MNS topic through a separate role trusted by MNS only', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media', trigger: { type: 'mnsTopic', topicName: 'media-done' } });
    // THEN
    const t = template(stack);
    const [[, trigger]] = ofType(t, 'ALIYUN::FC::Trigger');
    expect(trigger.Properties).toMatchObject({
      TriggerType: 'mns_topic',
      SourceArn: 'acs:mns:cn-shanghai:1234567890:/topics/media-done',
      TriggerConfig: { notifyContentFormat: 'JSON', notifyStrategy: 'BACKOFF_RETRY' },
    });
    const roles = Object.fromEntries(ofType(t, 'ALIYUN::RAM::Role'));
    const invokeRoleId = trigger.Properties.InvocationRole['Fn::GetAtt'][0];
    const invokeRole = roles[invokeRoleId].Properties;
    expect(invokeRole.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: ['mns.aliyuncs.com'] });
    expect(invokeRole.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['fc:InvokeFunction'],
        Resource: ['acs:fc:cn-shanghai:1234567890:services/media-runtime/functions/media-handler'],
      },
    ]);
    const functionRole = Object.values<any>(roles).find((r) => r.Properties.RoleName === 'media-runtime');
    expect(functionRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: ['fc.aliyuncs.com'] });
  });

  it('is grantable: grants land in the function role policy, grantInvoke targets the function', () => {
    // GIVEN
    const stack = newStack();
    const runtime = new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media' });
    const bucket = new MediaBucket(stack, 'In', { bucketName: 'media-in' });
    const callerRole = new ram.RosRole(stack, 'Caller', {
      roleName: 'caller',
      assumeRolePolicyDocument: { version: '1', statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['ecs.aliyuncs.com'] } }] },
    }, true);
    // WHEN
    bucket.grantRead(runtime, 'in/');
    runtime.grantInvoke(new RolePrincipal(stack, 'CallerGrants', { role: callerRole }));
    // THEN
    const t = template(stack);
    const policies = ofType(t, 'ALIYUN::RAM::ManagedPolicy').map(([, p]) => p.Properties);
    const [runtimeRoleId] = ofType(t, 'ALIYUN::RAM::Role').find(([, r]) => r.Properties.RoleName === 'media-runtime')!;
    const runtimePolicy = policies.find((p) => p.Roles[0]['Fn::GetAtt'][0] === runtimeRoleId);
    expect(runtimePolicy.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1234567890:media-in/in/*'] },
    ]);
    const callerPolicy = policies.find((p) => p.Roles[0]['Fn::GetAtt'][0] === 'Caller');
    expect(callerPolicy.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['fc:InvokeFunction'],
        Resource: ['acs:fc:cn-shanghai:1234567890:services/media-runtime/functions/media-handler'],
      },
    ]);
  });

  it.each<[string, ProductionRuntimeProps, RegExp]>([
    ['name prefix starting with a digit', { namePrefix: '9media' }, /RuntimeStack\/R: namePrefix must start with a letter .*, got "9media"/],
    ['name prefix with capitals', { namePrefix: 'Media' }, /namePrefix must be 1-32 characters of a-z, 0-9 and '-'.*, got "Media"/],
    ['unknown api', { api: 'vod' as any }, /api must be 'ice' or 'mts', got "vod"/],
    ['old node', { nodeVersion: 'nodejs16' as any }, /nodeVersion must be one of nodejs18, nodejs20, got "nodejs16"/],
    ['zero timeout', { timeoutSeconds: 0 }, /timeoutSeconds must be a whole number between 1 and 86400, got 0/],
    ['timeout over a day', { timeoutSeconds: 86401 }, /timeoutSeconds must be a whole number between 1 and 86400, got 86401/],
    ['memory not a multiple of 64', { memorySizeMB: 300 }, /memorySizeMB must be a multiple of 64 between 128 and 32768, got 300/],
    ['memory too small', { memorySizeMB: 64 }, /memorySizeMB must be a multiple of 64/],
    ['concurrency zero', { instanceConcurrency: 0 }, /instanceConcurrency must be a whole number between 1 and 100, got 0/],
    ['concurrency over 100', { instanceConcurrency: 101 }, /instanceConcurrency must be a whole number between 1 and 100, got 101/],
    ['reserved env var', { environment: { IPROD_REGION: 'x' } }, /environment keys starting IPROD_, FC_ or ALIBABA_CLOUD_ are reserved, got "IPROD_REGION"/],
    ['bad env var name', { environment: { 'a-b': 'x' } }, /environment keys must be letters, digits and underscores/],
    ['oversized environment', { environment: { BIG: 'x'.repeat(5000) } }, /environment must total at most 4096 bytes \(FC limit\), got/],
    ['timer interval zero', { trigger: { type: 'timer', intervalMinutes: 0 } }, /trigger\.intervalMinutes must be a whole number between 1 and 1440, got 0/],
    ['empty topic name', { trigger: { type: 'mnsTopic', topicName: '' } }, /trigger\.topicName must be a non-empty topic name/],
    ['unknown trigger', { trigger: { type: 'oss' } as any }, /trigger\.type must be 'timer' or 'mnsTopic', got "oss"/],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();
    // WHEN / THEN
    expect(() => new ProductionRuntime(stack, 'R', { namePrefix: 'media', ...props })).toThrow(message);
  });
});
