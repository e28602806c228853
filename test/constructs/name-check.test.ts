import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import * as oss from '@alicloud/ros-cdk-oss';
import * as ram from '@alicloud/ros-cdk-ram';
import {
  findNameCollisions,
  IntelligentProduction,
  IntelligentProductionStack,
  NameCheck,
  NotificationTopic,
  physicalNamesInTemplate,
  physicalNamesOfApp,
  type PhysicalName,
} from '../../lib';

function newApp(): ros.App {
  return new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-names-')), stackTraces: false, runtimeInfo: false });
}

const synthError = (app: ros.App): string => {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth succeeded');
};

describe('the app-wide physical-name check', () => {
  it('GIVEN two stacks in two regions with one namePrefix THEN synth fails naming the names and both constructs', () => {
    // GIVEN
    const app = newApp();
    new IntelligentProductionStack(app, 'Shanghai', { env: { region: 'cn-shanghai' }, namePrefix: 'acme-media', functions: ['Cover'] });
    new IntelligentProductionStack(app, 'Beijing', { env: { region: 'cn-beijing' }, namePrefix: 'acme-media', functions: ['Cover'] });
    // WHEN
    const message = synthError(app);
    // THEN global and account-wide names clash; regional ones (different regions) do not
    expect(message).toContain(
      'OSS bucket name "acme-media-input" must be unique across all Alibaba Cloud accounts but is created by both ' +
        'Shanghai/Production/Input/ProductionInput (stack Shanghai, region cn-shanghai) and ' +
        'Beijing/Production/Input/ProductionInput (stack Beijing, region cn-beijing)',
    );
    expect(message).toContain('OSS bucket name "acme-media-output"');
    expect(message).toMatch(/RAM role name "acme-media-runtime" must be unique within an account but is created by both Shanghai\/Production\/Runtime\/\w+ .* and Beijing\/Production\/Runtime\/\w+/);
    expect(message).not.toContain('MNS topic');
    expect(message).not.toContain('MPS pipeline');
  });

  it('GIVEN two stacks in one region with one namePrefix THEN the regional names clash too', () => {
    // GIVEN
    const app = newApp();
    new IntelligentProductionStack(app, 'A', { env: { region: 'cn-shanghai' }, namePrefix: 'acme-media', functions: ['Cover'] });
    new IntelligentProductionStack(app, 'B', { env: { region: 'cn-shanghai' }, namePrefix: 'acme-media', functions: ['Cover'] });
    // WHEN
    const message = synthError(app);
    // THEN
    expect(message).toContain('MNS topic name "acme-media-completions" must be unique within a region of an account');
    expect(message).toContain('MPS pipeline name "acme-media-pipeline"');
    expect(message).toContain('FC 3.0 function name "acme-media-handler" must be unique within a region of an account');
    expect(message).toContain('MNS queue name "acme-media-failed-invocations" must be unique within a region of an account');
  });

  it('GIVEN two L3s with one prefix in one stack THEN the bucket name clash fails synth', () => {
    // GIVEN
    const app = newApp();
    const stack = new ros.Stack(app, 'Media', { env: { region: 'cn-shanghai' } });
    new IntelligentProduction(stack, 'One', { namePrefix: 'acme', functions: ['Cover'], runtime: false });
    new IntelligentProduction(stack, 'Two', { namePrefix: 'acme', functions: ['Cover'], runtime: false });
    // WHEN / THEN
    expect(synthError(app)).toContain('OSS bucket name "acme-input" must be unique across all Alibaba Cloud accounts but is created by both Media/One/Input/OneInput');
  });

  it('GIVEN an L1 the app team wrote with the name one of ours uses THEN synth fails', () => {
    // GIVEN
    const app = newApp();
    new IntelligentProductionStack(app, 'Media', { env: { region: 'cn-shanghai' }, namePrefix: 'acme', functions: ['Cover'], runtime: false });
    const own = new ros.Stack(app, 'Own', { env: { region: 'cn-hangzhou' } });
    new oss.RosBucket(own, 'Legacy', { bucketName: 'acme-output' }, true);
    // WHEN / THEN
    expect(synthError(app)).toContain('OSS bucket name "acme-output" must be unique across all Alibaba Cloud accounts but is created by both Media/Production/Output/ProductionOutput (stack Media, region cn-shanghai) and Own/Legacy (stack Own, region cn-hangzhou)');
  });

  it('GIVEN distinct prefixes THEN two stacks synthesize', () => {
    // GIVEN
    const app = newApp();
    new IntelligentProductionStack(app, 'A', { env: { region: 'cn-shanghai' }, namePrefix: 'acme-a', functions: ['Cover'] });
    new IntelligentProductionStack(app, 'B', { env: { region: 'cn-shanghai' }, namePrefix: 'acme-b', functions: ['Cover'] });
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['A', 'B']);
  });

  it('GIVEN a clash only possible (one account literal, one unresolved) THEN synth warns in the manifest and succeeds', () => {
    // GIVEN
    const app = newApp();
    const a = new ros.Stack(app, 'A', { env: { region: 'cn-shanghai', account: '1234567890' } });
    const b = new ros.Stack(app, 'B', { env: { region: 'cn-shanghai' } });
    new NotificationTopic(a, 'Done', { topicName: 'acme-done' });
    new NotificationTopic(b, 'Done', { topicName: 'acme-done' });
    // WHEN
    const assembly = app.synth();
    // THEN
    const warnings = assembly.getStackByName('B').messages.filter((m) => m.level === 'warning').map((m) => `${m.id} ${m.entry.data}`);
    expect(warnings).toEqual([
      expect.stringMatching(/^\/B\/Done\/Done MNS topic name "acme-done" must be unique within a region of an account and may be created twice .* by A\/Done\/\w+ \(stack A, region cn-shanghai, account 1234567890\) and B\/Done\/\w+ \(stack B, region cn-shanghai, account unresolved\)/),
    ]);
  });

  it('GIVEN an app with none of our constructs WHEN NameCheck.enable(app) THEN it checks hand-written L1s', () => {
    // GIVEN
    const app = newApp();
    const a = new ros.Stack(app, 'A', { env: { region: 'cn-shanghai' } });
    const b = new ros.Stack(app, 'B', { env: { region: 'cn-beijing' } });
    new ram.RosRole(a, 'Role', { roleName: 'deployer', assumeRolePolicyDocument: { version: '1', statement: [] } }, true);
    new ram.RosRole(b, 'Role', { roleName: 'deployer', assumeRolePolicyDocument: { version: '1', statement: [] } }, true);
    // WHEN
    const check = NameCheck.enable(app);
    // THEN
    expect(NameCheck.enable(b)).toBe(check);
    expect(synthError(app)).toContain('RAM role name "deployer" must be unique within an account but is created by both A/Role');
  });
});

describe('findNameCollisions', () => {
  const at = (over: Partial<PhysicalName>): PhysicalName => ({
    type: 'ALIYUN::MNS::Queue', label: 'MNS queue', name: 'q', scope: 'region', path: 'S/Q', stackName: 'S', region: 'cn-shanghai', ...over,
  });

  it.each<[string, PhysicalName, PhysicalName, boolean | undefined]>([
    ['one region', at({}), at({ path: 'T/Q' }), true],
    ['two regions', at({}), at({ region: 'cn-beijing' }), undefined],
    ['a region unresolved in one', at({}), at({ region: undefined }), false],
    ['both regions unresolved', at({ region: undefined }), at({ region: undefined }), true],
    ['two literal accounts', at({ account: '1' }), at({ account: '2' }), undefined],
    ['a queue and a topic', at({}), at({ type: 'ALIYUN::MNS::Topic', label: 'MNS topic' }), undefined],
    ['buckets in two regions and accounts', at({ type: 'ALIYUN::OSS::Bucket', scope: 'global', account: '1' }), at({ type: 'ALIYUN::OSS::Bucket', scope: 'global', region: 'cn-beijing', account: '2' }), true],
    ['FC functions of two services', at({ type: 'ALIYUN::FC::Function', within: 's1' }), at({ type: 'ALIYUN::FC::Function', within: 's2' }), undefined],
    ['FC functions of one service', at({ type: 'ALIYUN::FC::Function', within: 's1' }), at({ type: 'ALIYUN::FC::Function', within: 's1' }), true],
    ['FC functions of unknown services', at({ type: 'ALIYUN::FC::Function' }), at({ type: 'ALIYUN::FC::Function' }), false],
  ])('%s', (_name, a, b, certain) => {
    // WHEN
    const found = findNameCollisions([a, b]);
    // THEN
    expect(found.map((c) => c.certain)).toEqual(certain === undefined ? [] : [certain]);
  });

  it('GIVEN a template THEN names that are not literals are left out and GetAtt service names are followed', () => {
    // GIVEN
    const template = {
      Resources: {
        Svc: { Type: 'ALIYUN::FC::Service', Properties: { ServiceName: 'svc' } },
        Fn: { Type: 'ALIYUN::FC::Function', Properties: { ServiceName: { 'Fn::GetAtt': ['Svc', 'ServiceName'] }, FunctionName: 'fn' } },
        Joined: { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: { 'Fn::Join': ['-', ['a', { Ref: 'ALIYUN::StackName' }]] } } },
        Other: { Type: 'ALIYUN::ECS::Instance', Properties: { InstanceName: 'x' } },
      },
    };
    // WHEN
    const names = physicalNamesInTemplate(template, { stackName: 'S', region: 'cn-shanghai' });
    // THEN
    expect(names.map((n) => [n.path, n.name, n.within])).toEqual([['S/Svc', 'svc', undefined], ['S/Fn', 'fn', 'svc']]);
  });
});

describe('docs/constructs.md', () => {
  it.each([['topic'], ['queue']] as const)('GIVEN an L3 with notification %s THEN the docs name every prefix-derived name it creates, with its scope', (notification) => {
    // GIVEN
    const app = newApp();
    new IntelligentProductionStack(app, 'Media', { env: { region: 'cn-shanghai' }, namePrefix: 'pfx', functions: ['Cover'], notification });
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'constructs.md'), 'utf8');
    const table = doc.slice(doc.indexOf('What each `namePrefix` seeds'), doc.indexOf('## Determinism'));
    // WHEN
    const names = physicalNamesOfApp(app).filter((n) => n.type !== 'ALIYUN::RAM::ManagedPolicy');
    // THEN
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect({ name: n.name, documented: table.includes(`\`${n.name.replace('pfx', '{p}')}\``) }).toEqual({ name: n.name, documented: true });
  });
});
