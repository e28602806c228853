import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import { RolePrincipal } from '../../lib/constructs/grants';
import { NotificationQueue } from '../../lib/constructs/mns';
import { IntelligentProduction, IntelligentProductionProps } from '../../lib/constructs/production';
import { loopConfigFromEnv } from '../../lib/runtime/loop';

const COVER = { FunctionName: 'Cover', Output: { Type: 'OSS', Media: 'oss://media-output/output/{objectDir}{source}-{sequenceId}.png' } };

function newStack(): ros.Stack {
  const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-loop-')), stackTraces: false });
  return new ros.Stack(app, 'LoopStack', { env: { account: '1234567890', region: 'cn-shanghai' } });
}

function production(props: Partial<IntelligentProductionProps> = {}): { stack: ros.Stack; p: IntelligentProduction } {
  const stack = newStack();
  const p = new IntelligentProduction(stack, 'Media', {
    namePrefix: 'media',
    functions: ['Cover'],
    presets: { cover: COVER },
    routes: [{ prefix: 'input/video/', suffixes: ['.mp4', '.mov'], preset: 'cover' }],
    ...props,
  });
  return { stack, p };
}

function template(stack: ros.Stack): any {
  return (stack.node.root as ros.App).synth().getStackByName(stack.stackName).template;
}

describe('IntelligentProduction routes: the production loop', () => {
  it('GIVEN routes THEN the ledger, results topic, callback queue, one OSS trigger per suffix and the sweep deploy, and the function reads IPROD_LOOP', () => {
    // GIVEN
    const { stack, p } = production();
    // WHEN
    const t = template(stack);
    // THEN
    const resources = Object.values<any>(t.Resources);
    expect(resources.find((r) => r.Type === 'ALIYUN::OTS::Instance').Properties.InstanceName).toBe('media');
    expect(resources.find((r) => r.Type === 'ALIYUN::OTS::Table').Properties).toMatchObject({
      TableName: 'iprod_jobs',
      PrimaryKey: [{ Name: 'id', Type: 'STRING' }],
      MaxVersions: 1,
      TimeToLive: -1,
    });
    const triggers = resources.filter((r) => r.Type === 'ALIYUN::FC3::Trigger').map((r) => r.Properties);
    expect(triggers.filter((x) => x.TriggerType === 'oss').map((x) => [x.TriggerName, x.TriggerConfig.filter.key])).toEqual([
      ['upload-1-1', { prefix: 'input/video/', suffix: '.mp4' }],
      ['upload-1-2', { prefix: 'input/video/', suffix: '.mov' }],
    ]);
    expect(triggers.find((x) => x.TriggerType === 'timer')).toMatchObject({ TriggerName: 'sweep', TriggerConfig: { cronExpression: '@every 1m', payload: '{"loop":"sweep"}' } });
    expect(resources.filter((r) => r.Type === 'ALIYUN::MNS::Topic').map((r) => r.Properties.TopicName).sort()).toEqual(['media-completions', 'media-results']);
    expect(p.callbackQueue?.queueName).toBe('ice-callback-media');
    const fn = resources.find((r) => r.Type === 'ALIYUN::FC3::Function').Properties;
    // The handler parses exactly what the construct wrote.
    expect(loopConfigFromEnv(fn.EnvironmentVariables)).toEqual({
      routes: [{ prefix: 'input/video/', suffixes: ['.mp4', '.mov'], preset: 'cover' }],
      instance: 'media',
      table: 'iprod_jobs',
      topic: 'media-results',
      callbackQueue: 'ice-callback-media',
      sweepSeconds: 50,
    });
    expect(Object.keys(t.Outputs ?? {})).toEqual([]); // a bare construct adds no outputs (the stack does)
  });

  it('GIVEN a bring-your-own ledger and resubmit choice THEN no instance is created and the function is told', () => {
    const { stack } = production({ ledger: { instanceName: 'shared-ots', tableName: 'jobs_2', createInstance: false }, onUnknownOutcome: { cover: 'resubmit' }, reconcileWindowSeconds: 120 });
    const t = template(stack);
    const resources = Object.values<any>(t.Resources);
    expect(resources.filter((r) => r.Type === 'ALIYUN::OTS::Instance')).toEqual([]);
    expect(resources.find((r) => r.Type === 'ALIYUN::OTS::Table').Properties).toMatchObject({ InstanceName: 'shared-ots', TableName: 'jobs_2' });
    const env = resources.find((r) => r.Type === 'ALIYUN::FC3::Function').Properties.EnvironmentVariables;
    expect(loopConfigFromEnv(env)).toMatchObject({ instance: 'shared-ots', table: 'jobs_2', resubmitOnUnknown: ['cover'], reconcileWindowSeconds: 120 });
  });

  it.each<[string, Partial<IntelligentProductionProps>, RegExp]>([
    ['a prefix outside the input prefix', { routes: [{ prefix: 'other/', preset: 'cover' }] }, /routes\[0\]\.prefix must start with the input prefix "input\/", got "other\/"/],
    ['an unknown preset', { routes: [{ prefix: 'input/', preset: 'nope' }] }, /routes\[0\]\.preset must name one of presets \(cover\), got "nope"/],
    ['a suffix with a slash', { routes: [{ prefix: 'input/', suffixes: ['a/b'], preset: 'cover' }] }, /routes\[0\]\.suffixes must be a list of non-empty key endings without '\/'/],
    ['overlapping routes', { routes: [{ prefix: 'input/', preset: 'cover' }, { prefix: 'input/a/', suffixes: ['.mp4'], preset: 'cover' }] }, /routes\[1\] must not match the keys routes\[0\] matches \(prefix "input\/"\), got "input\/a\/"/],
    ['onUnknownOutcome for no route', { onUnknownOutcome: { other: 'resubmit' } }, /onUnknownOutcome\.other must name the preset of a route/],
    ['a bad onUnknownOutcome', { onUnknownOutcome: { cover: 'maybe' as never } }, /onUnknownOutcome\.cover must be 'unknown' or 'resubmit', got "maybe"/],
    ['a short window', { reconcileWindowSeconds: 5 }, /reconcileWindowSeconds must be a whole number between 60 and 86400, got 5/],
    ['a sweep longer than a minute', { sweepSeconds: 90 }, /sweepSeconds must be a whole number between 0 and 55 \(the sweep runs every minute/],
    ['a sweep outlasting the function', { sweepSeconds: 30, runtimeOptions: { timeoutSeconds: 35 } }, /sweepSeconds must be a whole number between 0 and 25 .*timeout of 35 s\), got 30/],
    ['a ledger without routes', { routes: [], ledger: { tableName: 't' } }, /ledger is only allowed with routes/],
    ['routes without the runtime', { runtime: false }, /routes needs runtime: true/],
    ['a bad instance name', { ledger: { instanceName: '9lives' } }, /ledger\.instanceName must be 3-16 letters, digits or -, a letter first and no - last, got "9lives"/],
  ])('GIVEN %s THEN synth refuses naming the field and the value', (_what, props, message) => {
    expect(() => production(props)).toThrow(message);
  });

  it('GIVEN an app role THEN grantSubscribeResults and grantReadLedger give exactly the topic and table, and addResultsSubscriber subscribes a queue', () => {
    const { stack, p } = production();
    const role = new ram.RosRole(stack, 'AppRole', { roleName: 'app', assumeRolePolicyDocument: { version: '1', statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['ecs.aliyuncs.com'] } }] } }, true);
    const principal = new RolePrincipal(stack, 'AppGrants', { role });
    const subscribe = p.loop!.grantSubscribeResults(principal);
    const read = p.loop!.grantReadLedger(principal);
    expect(subscribe.actions).toEqual(['mns:Subscribe', 'mns:Unsubscribe', 'mns:GetSubscriptionAttributes']);
    expect(read.actions).toEqual(['ots:GetRow', 'ots:GetRange']);
    p.loop!.addResultsSubscriber(new NotificationQueue(stack, 'AppQueue', { queueName: 'ice-callback-app-results' }));
    const t = template(stack);
    expect(Object.values<any>(t.Resources).find((r) => r.Type === 'ALIYUN::MNS::Subscription').Properties).toMatchObject({
      TopicName: { 'Fn::GetAtt': [expect.stringMatching(/Results/), 'TopicName'] },
      Endpoint: 'acs:mns:cn-shanghai:1234567890:queues/ice-callback-app-results',
    });
  });
});
