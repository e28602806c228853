import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import { unzipSync } from 'fflate';
import { MediaBucket } from '../../lib/constructs/bucket';
import { RolePrincipal } from '../../lib/constructs/grants';
import { ProductionRuntime, ProductionRuntimeProps } from '../../lib/constructs/runtime';
import { bundleWithFiles, loadRuntimeBundle } from '../../lib/constructs/runtime-bundle';
import { ROOT, runNode, zoneEnv } from '../support/checkout';

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
  it('runs the bundled handler on FC 3.0 under its own role, trusted by FC only, with a cap and an on-failure queue', () => {
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
    expect(ofType(t, 'ALIYUN::FC::Service')).toHaveLength(0);

    const [[fnId, fn]] = ofType(t, 'ALIYUN::FC3::Function');
    expect(fn.Properties).toMatchObject({
      FunctionName: 'media-handler',
      Handler: 'index.handler',
      Runtime: 'nodejs18',
      Timeout: 600,
      MemorySize: 256,
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      InternetAccess: true,
      EnvironmentVariables: {
        IPROD_REGION: 'cn-shanghai',
        IPROD_API: 'ice',
        IPROD_MAX_INSTANCES: '10',
        IPROD_INPUT_LOCATIONS: '[]',
        IPROD_OUTPUT_LOCATIONS: '[]',
      },
    });
    expect(fn.Properties.InstanceConcurrency).toBeUndefined();
    expect(fn.Properties.Code.ZipFile).toBe(loadRuntimeBundle().zipBase64);
    expect(fn.Properties.EnvironmentVariables.ICE_ENDPOINT).toBeUndefined();
    expect(fn.Properties.EnvironmentVariables.IPROD_FUNCTIONS).toBeUndefined();
    const [[, cap]] = ofType(t, 'ALIYUN::FC3::ConcurrencyConfig');
    expect(cap.Properties).toEqual({ FunctionName: { 'Fn::GetAtt': [fnId, 'FunctionName'] }, ReservedConcurrency: 10 });
    const [[queueId, queue]] = ofType(t, 'ALIYUN::MNS::Queue');
    expect(queue.Properties.QueueName).toBe('media-failed-invocations');
    const [[, asyncConfig]] = ofType(t, 'ALIYUN::FC3::AsyncInvokeConfig');
    expect(asyncConfig.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': [fnId, 'FunctionName'] },
      MaxAsyncRetryAttempts: 3,
      MaxAsyncEventAgeInSeconds: 86400,
      DestinationConfig: { OnFailure: { Destination: 'acs:mns:cn-shanghai:1234567890:/queues/media-failed-invocations/messages' } },
    });
    // FC sends failed invocations with the function's role: the policy and the queue exist before the function.
    const [[policyId, policy]] = ofType(t, 'ALIYUN::RAM::ManagedPolicy');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['mns:SendMessage'],
        Resource: [
          'acs:mns:cn-shanghai:1234567890:/queues/media-failed-invocations',
          'acs:mns:cn-shanghai:1234567890:/queues/media-failed-invocations/messages',
        ],
      },
    ]);
    expect(fn.DependsOn).toEqual(expect.arrayContaining([queueId, policyId]));
    expect(ofType(t, 'ALIYUN::FC3::Trigger')).toHaveLength(0);
    expect(runtime.functionArn).toBe('acs:fc:cn-shanghai:1234567890:functions/media-handler');
  });

  it('runs the same bundle and environment on FC 2.0 with platform fc2', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const runtime = new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media', platform: 'fc2', instanceConcurrency: 20, maxInstances: 4 });
    // THEN
    const t = template(stack);
    const [[roleId]] = ofType(t, 'ALIYUN::RAM::Role');
    const [[, service]] = ofType(t, 'ALIYUN::FC::Service');
    expect(service.Properties).toMatchObject({ ServiceName: 'media-runtime', Role: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    const [[, fn]] = ofType(t, 'ALIYUN::FC::Function');
    expect(fn.Properties).toMatchObject({
      FunctionName: 'media-handler',
      Handler: 'index.handler',
      InstanceConcurrency: 20,
      EnvironmentVariables: { IPROD_MAX_INSTANCES: '4' },
      AsyncConfiguration: {
        MaxAsyncRetryAttempts: 3,
        Destination: { OnFailure: 'acs:mns:cn-shanghai:1234567890:/queues/media-failed-invocations/messages' },
      },
    });
    expect(fn.Properties.Code.ZipFile).toBe(loadRuntimeBundle().zipBase64);
    expect(ofType(t, 'ALIYUN::FC3::Function')).toHaveLength(0);
    expect(runtime.functionArn).toBe('acs:fc:cn-shanghai:1234567890:services/media-runtime/functions/media-handler');
  });

  it('passes pipeline, API, functions, locations and user-data tags to the handler', () => {
    // GIVEN
    const stack = newStack();
    const input = new MediaBucket(stack, 'In', { bucketName: 'media-in' });
    const output = MediaBucket.fromBucketName(stack, 'Out', 'media-out');
    // WHEN
    new ProductionRuntime(stack, 'Runtime', {
      namePrefix: 'media',
      api: 'mts',
      pipelineId: 'pipe-1',
      functions: ['Cover'],
      inputs: [{ bucket: input, prefix: 'in/' }],
      outputs: [{ bucket: output, prefix: 'out/' }, { bucket: input }],
      userDataTags: { team: 'b', app: 'a' },
      environment: { LOG_LEVEL: 'debug' },
      nodeVersion: 'nodejs20',
      timeoutSeconds: 900,
      memorySizeMB: 512,
      maxInstances: 20,
    });
    // THEN
    const [[, fn]] = ofType(template(stack), 'ALIYUN::FC3::Function');
    expect(fn.Properties.EnvironmentVariables).toEqual({
      LOG_LEVEL: 'debug',
      IPROD_REGION: 'cn-shanghai',
      IPROD_API: 'mts',
      IPROD_PIPELINE_ID: 'pipe-1',
      IPROD_FUNCTIONS: '["Cover"]',
      IPROD_INPUT_LOCATIONS: '["media-in/in/"]',
      IPROD_OUTPUT_LOCATIONS: '["media-out/out/","media-in/"]',
      IPROD_MAX_INSTANCES: '20',
      IPROD_USER_DATA_TAGS: '{"app":"a","team":"b"}',
    });
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs20', Timeout: 900, MemorySize: 512 });
  });

  it('adds a timer trigger whose payload names the job kind and API', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media', api: 'mts', trigger: { type: 'timer', intervalMinutes: 2 } });
    // THEN
    const [[, trigger]] = ofType(template(stack), 'ALIYUN::FC3::Trigger');
    expect(trigger.Properties).toMatchObject({
      TriggerType: 'timer',
      TriggerName: 'timer',
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
    const [[, trigger]] = ofType(t, 'ALIYUN::FC3::Trigger');
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
      { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: ['acs:fc:cn-shanghai:1234567890:functions/media-handler'] },
    ]);
    const functionRole = Object.values<any>(roles).find((r) => r.Properties.RoleName === 'media-runtime');
    expect(functionRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: ['fc.aliyuncs.com'] });
  });

  it('takes more triggers and environment after construction (OSS uploads, more timers, a ledger table)', () => {
    // GIVEN
    const stack = newStack();
    const input = new MediaBucket(stack, 'In', { bucketName: 'media-in' });
    const runtime = new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media' });
    // WHEN
    runtime.addOssTrigger('Uploads', { triggerName: 'uploads', bucket: input, prefix: 'in/', suffix: '.mp4' });
    runtime.addTimer('Sweep', { triggerName: 'sweep', intervalMinutes: 1, payload: { sweep: true } });
    runtime.addEnvironment('LEDGER_TABLE', 'jobs');
    // THEN
    expect(() => runtime.addEnvironment('IPROD_X', 'y')).toThrow(/addEnvironment keys starting IPROD_, FC_ or ALIBABA_CLOUD_ are reserved, got "IPROD_X"/);
    const t = template(stack);
    const triggers = Object.fromEntries(ofType(t, 'ALIYUN::FC3::Trigger').map(([, r]) => [r.Properties.TriggerName, r.Properties]));
    expect(triggers.uploads).toMatchObject({
      TriggerType: 'oss',
      SourceArn: 'acs:oss:cn-shanghai:1234567890:media-in',
      TriggerConfig: { events: expect.arrayContaining(['oss:ObjectCreated:PutObject']), filter: { key: { prefix: 'in/', suffix: '.mp4' } } },
    });
    const ossRole = Object.fromEntries(ofType(t, 'ALIYUN::RAM::Role'))[triggers.uploads.InvocationRole['Fn::GetAtt'][0]];
    expect(ossRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: ['oss.aliyuncs.com'] });
    expect(triggers.sweep.TriggerConfig).toEqual({ cronExpression: '@every 1m', enable: true, payload: '{"sweep":true}' });
    expect(ofType(t, 'ALIYUN::FC3::Function')[0][1].Properties.EnvironmentVariables.LEDGER_TABLE).toBe('jobs');
    expect(() => runtime.addEnvironment('LATE', 'y')).toThrow(/addEnvironment\("LATE"\) is too late/);
    expect(() => runtime.addTimer('Again', { triggerName: 'sweep' })).toThrow(/triggerName must be unique per function, got "sweep"/);
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
    expect(runtimePolicy.PolicyDocument.Statement).toContainEqual(
      { Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1234567890:media-in/in/*'] },
    );
    const callerPolicy = policies.find((p) => p.Roles[0]['Fn::GetAtt'][0] === 'Caller');
    expect(callerPolicy.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: ['acs:fc:cn-shanghai:1234567890:functions/media-handler'] },
    ]);
  });

  it('keeps presets in the environment while they fit, and ships them in the code package, deterministically, when not', () => {
    // GIVEN
    const small = { cover: { FunctionName: 'Cover', Output: { Type: 'OSS', Media: 'oss://media-out/out/{source}.png' } } };
    const large: Record<string, object> = {};
    for (let i = 0; i < 40; i++) large[`p${i}`] = { FunctionName: 'Cover', Output: { Type: 'OSS', Media: `oss://media-out/out/${i}/{source}-{sequenceId}.png` } };
    const synth = (presets: Record<string, object>) => {
      const stack = newStack();
      const runtime = new ProductionRuntime(stack, 'Runtime', { namePrefix: 'media', presets });
      return { runtime, fn: ofType(template(stack), 'ALIYUN::FC3::Function')[0][1].Properties };
    };
    // WHEN
    const inline = synth(small);
    const packaged = synth(large);
    const again = synth(large);
    // THEN
    expect(JSON.parse(inline.fn.EnvironmentVariables.IPROD_PRESETS)).toEqual(small);
    expect(inline.fn.Code.ZipFile).toBe(loadRuntimeBundle().zipBase64);
    expect(packaged.runtime.presetsInPackage).toBe(true);
    expect(packaged.fn.EnvironmentVariables.IPROD_PRESETS).toBeUndefined();
    expect(packaged.fn.EnvironmentVariables.IPROD_PRESETS_FILE).toBe('presets.json');
    const files = unzipSync(new Uint8Array(Buffer.from(packaged.fn.Code.ZipFile, 'base64')));
    expect(Object.keys(files).sort()).toEqual(['index.js', 'presets.json']);
    const text = Buffer.from(files['presets.json']).toString('utf8');
    expect(JSON.parse(text)).toEqual(large);
    expect(createHash('sha256').update(text).digest('hex')).toBe(packaged.fn.EnvironmentVariables.IPROD_PRESETS_SHA256);
    expect(again.fn.Code.ZipFile).toBe(packaged.fn.Code.ZipFile);
  });

  it('rebuilds the code package byte-identically west and east of UTC', async () => {
    // GIVEN the same presets packaged in this process and in two others, each in its own zone
    const files = { 'presets.json': '{"p":{"FunctionName":"Cover"}}' };
    const script = `process.stdout.write(require(${JSON.stringify(path.join(ROOT, 'lib', 'constructs', 'runtime-bundle.ts'))}).bundleWithFiles(${JSON.stringify(files)}).zipBase64)`;
    const tsNode = require.resolve('ts-node/dist/bin');
    // WHEN
    const zones = await Promise.all(['America/Los_Angeles', 'Pacific/Chatham'].map((tz) =>
      runNode([tsNode, '--transpile-only', '-e', script], ROOT, zoneEnv(tz, 'en_US.UTF-8'))));
    // THEN
    expect(zones).toEqual([bundleWithFiles(files).zipBase64, bundleWithFiles(files).zipBase64]);
  }, 120_000);

  it.each<[string, ProductionRuntimeProps, RegExp]>([
    ['name prefix starting with a digit', { namePrefix: '9media' }, /RuntimeStack\/R: namePrefix must start with a letter .*, got "9media"/],
    ['name prefix with capitals', { namePrefix: 'Media' }, /namePrefix must be 1-32 characters of a-z, 0-9 and '-'.*, got "Media"/],
    ['unknown api', { api: 'vod' as any }, /api must be 'ice' or 'mts', got "vod"/],
    ['old node', { nodeVersion: 'nodejs16' as any }, /nodeVersion must be one of nodejs18, nodejs20, got "nodejs16"/],
    ['zero timeout', { timeoutSeconds: 0 }, /timeoutSeconds must be a whole number between 1 and 86400, got 0/],
    ['timeout over a day', { timeoutSeconds: 86401 }, /timeoutSeconds must be a whole number between 1 and 86400, got 86401/],
    ['memory not a multiple of 64', { memorySizeMB: 300 }, /memorySizeMB must be a multiple of 64 between 128 and 32768, got 300/],
    ['memory too small', { memorySizeMB: 64 }, /memorySizeMB must be a multiple of 64/],
    ['FC 2.0 concurrency zero', { platform: 'fc2', instanceConcurrency: 0 }, /instanceConcurrency must be a whole number between 1 and 100, got 0/],
    ['FC 2.0 concurrency over 100', { platform: 'fc2', instanceConcurrency: 101 }, /instanceConcurrency must be a whole number between 1 and 100, got 101/],
    ['instance concurrency on FC 3.0', { instanceConcurrency: 5 }, /instanceConcurrency is FC 2.0 only .*, got 5/],
    ['no instances', { maxInstances: 0 }, /maxInstances must be a whole number between 1 and 1000, got 0/],
    ['async retries over 8', { asyncRetryAttempts: 9 }, /asyncRetryAttempts must be a whole number between 0 and 8, got 9/],
    ['unknown platform', { platform: 'fc4' as any }, /platform must be one of fc3, fc2, got "fc4"/],
    ['input prefix starting with /', { inputs: [{ bucket: { bucketName: 'b' } as any, prefix: '/x' }] }, /inputs\[0\]\.prefix must be a key prefix not starting with '\/', got "\/x"/],
    ['reserved env var', { environment: { IPROD_REGION: 'x' } }, /environment keys starting IPROD_, FC_ or ALIBABA_CLOUD_ are reserved, got "IPROD_REGION"/],
    ['bad env var name', { environment: { 'a-b': 'x' } }, /environment keys must be letters, digits and underscores/],
    ['oversized environment', { environment: { BIG: 'x'.repeat(5000) } }, /environment must total at most 4096 bytes \(FC limit.*\), got 5/],
    ['timer interval zero', { trigger: { type: 'timer', intervalMinutes: 0 } }, /Trigger\.intervalMinutes must be a whole number between 1 and 1440, got 0/],
    ['empty topic name', { trigger: { type: 'mnsTopic', topicName: '' } }, /Trigger\.topicName must be a non-empty topic name/],
    ['unknown trigger', { trigger: { type: 'oss' } as any }, /trigger\.type must be 'timer' or 'mnsTopic', got "oss"/],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();
    // WHEN / THEN
    expect(() => {
      new ProductionRuntime(stack, 'R', { namePrefix: 'media', ...props });
      template(stack);
    }).toThrow(message);
  });
});
