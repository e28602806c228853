import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cxapi from '@alicloud/ros-cdk-cxapi';

const ROOT = path.resolve(__dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'constructs.md');

/** The ```ts blocks of the doc, in order. */
function examples(): string[] {
  const text = fs.readFileSync(DOC, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * Runs an example as written (its imports untouched; the package name resolves to this checkout's build) with
 * `cdk.out` in a scratch directory; returns the assembly it wrote.
 */
function run(example: string): cxapi.CloudAssembly {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-doc-'));
  const outdir = path.join(dir, 'cdk.out');
  // The import stays as users write it: `ros-cdk-iproduction` resolves through a node_modules-like directory that
  // links this checkout, so node reads its package.json `exports` (the built dist/, as an install would).
  const packages = path.join(dir, 'packages');
  fs.mkdirSync(packages);
  fs.symlinkSync(ROOT, path.join(packages, 'ros-cdk-iproduction'), 'dir');
  const source = example.replace(/outdir: 'cdk.out'/g, `outdir: ${JSON.stringify(outdir)}`);
  const file = path.join(dir, 'example.ts');
  fs.writeFileSync(file, source);
  const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [tsNode, '--transpile-only', '--project', path.join(ROOT, 'tsconfig.json'), file], {
    cwd: dir,
    env: { ...process.env, NODE_PATH: [packages, path.join(ROOT, 'node_modules')].join(path.delimiter) },
    timeout: 60_000,
  });
  expect({ status: result.status, stderr: result.stderr.toString('utf8') }).toEqual({ status: 0, stderr: '' });
  return new cxapi.CloudAssembly(outdir);
}

function resources(assembly: cxapi.CloudAssembly, stackName: string): any[] {
  return Object.values<any>(assembly.getStackByName(stackName).template.Resources);
}

describe('docs/constructs.md examples', () => {
  it('has the two examples this test runs', () => {
    expect(examples()).toHaveLength(2);
  });

  it('the five-line example deploys what the doc says', () => {
    // GIVEN
    const [example] = examples();
    expect(example.trim().split('\n').filter((l) => l.trim() !== '' && !l.startsWith('import'))).toHaveLength(3);
    // WHEN
    const r = resources(run(example), 'Media');
    // THEN
    expect(r.filter((x) => x.Type === 'ALIYUN::OSS::Bucket').map((b) => b.Properties.BucketName).sort()).toEqual(['acme-media-input', 'acme-media-output']);
    expect(r.filter((x) => x.Type === 'ALIYUN::MNS::Queue').map((q) => q.Properties.QueueName)).toEqual(['acme-media-failed-invocations']);
    expect(r.find((x) => x.Type === 'ALIYUN::MNS::Topic').Properties.TopicName).toBe('acme-media-completions');
    expect(r.find((x) => x.Type === 'ALIYUN::MPS::Pipeline').Properties).toMatchObject({
      Name: 'acme-media-pipeline',
      NotifyConfig: { Topic: 'acme-media-completions' },
    });
    expect(r.find((x) => x.Type === 'ALIYUN::FC3::Function').Properties.FunctionName).toBe('acme-media-handler');
    const trigger = r.find((x) => x.Type === 'ALIYUN::FC3::Trigger').Properties;
    expect(trigger.TriggerType).toBe('mns_topic');
    expect(JSON.stringify(trigger.SourceArn)).toContain(':/topics/acme-media-completions');
    const invokeRole = r.find((x) => x.Type === 'ALIYUN::RAM::Role' && x.Properties.RoleName === 'acme-media-runtime-mns').Properties;
    expect(invokeRole.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal)).toEqual([{ Service: ['mns.aliyuncs.com'] }]);
    expect(invokeRole.Policies.flatMap((p: any) => p.PolicyDocument.Statement.flatMap((s: any) => s.Action))).toEqual(['fc:InvokeFunction']);
    // "nothing else": the function's role may submit/query and send failed invocations to its queue.
    const runtimePolicy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy');
    expect(runtimePolicy.Properties.PolicyDocument.Statement.flatMap((s: any) => s.Action).sort()).toEqual([
      'ice:QueryIProductionJob',
      'ice:SubmitIProductionJob',
      'mns:SendMessage',
    ]);
  });

  it('the composition example grants the app role what its comments say', () => {
    // GIVEN
    const [, example] = examples();
    // WHEN
    const r = resources(run(example), 'Video');
    // THEN
    expect(r.filter((x) => x.Type === 'ALIYUN::OSS::Bucket')).toHaveLength(0);
    expect(r.filter((x) => x.Type === 'ALIYUN::MNS::Queue').map((q) => q.Properties.QueueName).sort()).toEqual(['acme-video-failed-invocations', 'ice-callback-acme-video']);
    expect(r.filter((x) => x.Type === 'ALIYUN::FC3::Trigger')).toHaveLength(0);
    const runtimePolicy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy' && JSON.stringify(x.Properties.Roles) !== '["acme-video-app"]');
    expect(JSON.stringify(runtimePolicy.Properties.PolicyDocument)).not.toContain('ice-callback');
    expect(JSON.stringify(runtimePolicy.Properties.PolicyDocument)).not.toContain('mns:ReceiveMessage');
    const appPolicy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy' && JSON.stringify(x.Properties.Roles) === '["acme-video-app"]');
    const statements = appPolicy.Properties.PolicyDocument.Statement.map((s: any) => ({ Action: s.Action, Resource: s.Resource }));
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: ['ice:QueryIProductionJob', 'ice:SubmitIProductionJob'], Resource: ['*'] },
        { Action: ['oss:AbortMultipartUpload', 'oss:ListParts', 'oss:PutObject'], Resource: [expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':acme-shared-media/uploads/*'])] })] },
        { Action: ['oss:GetObject'], Resource: [expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':acme-shared-media/vertical/*'])] })] },
        { Action: ['mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:ReceiveMessage'], Resource: expect.any(Array) },
      ]),
    );
    expect(statements).toHaveLength(4);
    const consume = statements.find((s: any) => s.Action.includes('mns:ReceiveMessage'));
    expect(JSON.stringify(consume.Resource)).toContain(':/queues/ice-callback-acme-video');
  });
});
