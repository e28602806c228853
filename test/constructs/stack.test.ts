import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import { IntelligentProductionStack, IntelligentProductionStackProps } from '../../lib/constructs/stack';

function newApp(): { app: ros.App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-stack-'));
  return { app: new ros.App({ outdir, stackTraces: false, runtimeInfo: false }), outdir };
}

const BASE: IntelligentProductionStackProps = { env: { region: 'cn-shanghai' }, namePrefix: 'media', functions: ['Cover'] };

describe('IntelligentProductionStack', () => {
  it('outputs what app teams need', () => {
    // GIVEN
    const { app } = newApp();
    // WHEN
    new IntelligentProductionStack(app, 'Media', BASE);
    // THEN
    const t = app.synth().getStackByName('Media').template;
    expect(Object.keys(t.Outputs).sort()).toEqual([
      'InputBucketName',
      'InputPrefix',
      'OutputBucketName',
      'OutputPrefix',
      'PipelineId',
      'RuntimeFailureQueueName',
      'RuntimeFunctionName',
      'RuntimeRoleArn',
      'TopicName',
    ]);
    expect(t.Outputs.InputBucketName.Value).toBe('media-input');
    expect(t.Outputs.TopicName.Value).toBe('media-completions');
    expect(t.Outputs.RuntimeFunctionName.Value).toBe('media-handler');
    expect(t.Outputs.RuntimeFailureQueueName.Value).toBe('media-failed-invocations');
    expect(t.Outputs.PipelineId.Value).toEqual({ 'Fn::GetAtt': ['ProductionPipeline', 'PipelineId'] });
    expect(t.Outputs.RuntimeRoleArn.Value).toEqual({ 'Fn::GetAtt': ['ProductionRuntimeRole', 'Arn'] });
  });

  it.each<[string, Partial<IntelligentProductionStackProps>, string[], string[]]>([
    ['topic notification', { notification: 'topic' }, ['TopicName'], ['QueueName']],
    ['queue notification', { notification: 'queue' }, ['QueueName', 'RuntimeFunctionName'], ['TopicName']],
    ['no runtime', { runtime: false, notification: 'none' }, [], ['QueueName', 'TopicName', 'RuntimeFunctionName', 'RuntimeRoleArn', 'RuntimeServiceName', 'RuntimeFailureQueueName']],
  ])('outputs only what exists with %s', (_name, props, present, absent) => {
    // GIVEN
    const { app } = newApp();
    // WHEN
    new IntelligentProductionStack(app, 'Media', { ...BASE, ...props });
    // THEN
    const outputs = Object.keys(app.synth().getStackByName('Media').template.Outputs);
    for (const o of present) expect(outputs).toContain(o);
    for (const o of absent) expect(outputs).not.toContain(o);
  });

  it('puts its tags on the stack as well as on the resources', () => {
    // GIVEN
    const { app } = newApp();
    // WHEN
    new IntelligentProductionStack(app, 'Media', { ...BASE, tags: { team: 'video' } });
    // THEN
    const assembly = app.synth();
    expect(assembly.getStackByName('Media').tags).toEqual({ team: 'video' });
    const buckets = Object.values<any>(assembly.getStackByName('Media').template.Resources).filter((r) => r.Type === 'ALIYUN::OSS::Bucket');
    expect(buckets.map((b) => b.Properties.Tags)).toEqual([{ team: 'video' }, { team: 'video' }]);
  });

  it('pins the asset qualifier so the asset manifest is the same on every synth', () => {
    // GIVEN
    const first = newApp();
    const second = newApp();
    // WHEN
    new IntelligentProductionStack(first.app, 'Media', BASE);
    new IntelligentProductionStack(second.app, 'Media', BASE);
    first.app.synth();
    second.app.synth();
    // THEN
    const a = fs.readFileSync(path.join(first.outdir, 'Media.assets.json'), 'utf8');
    const b = fs.readFileSync(path.join(second.outdir, 'Media.assets.json'), 'utf8');
    expect(a).toBe(b);
    expect(JSON.parse(a).files[Object.keys(JSON.parse(a).files)[0]].destinations['current_account-current_region'].bucketName).toMatch(
      /^cdk-iprod[0-9a-f]{4}-assets-cn-shanghai$/,
    );
  });

  it('uses a given asset qualifier', () => {
    // GIVEN
    const { app, outdir } = newApp();
    // WHEN
    new IntelligentProductionStack(app, 'Media', { ...BASE, assetQualifier: 'team1' });
    app.synth();
    // THEN
    expect(fs.readFileSync(path.join(outdir, 'Media.assets.json'), 'utf8')).toContain('"cdk-team1-assets-cn-shanghai"');
  });

  it.each([
    ['upper case', 'Team'],
    ['too long', 'abcdefghijk'],
    ['a dash', 'team-1'],
  ])('rejects an asset qualifier with %s', (_name, assetQualifier) => {
    // GIVEN
    const { app } = newApp();
    // WHEN / THEN
    expect(() => new IntelligentProductionStack(app, 'Media', { ...BASE, assetQualifier })).toThrow(
      new RegExp(`Media: assetQualifier must be 1-10 lowercase letters or digits .*, got "${assetQualifier}"`),
    );
  });

  it('passes construct errors through, naming the construct', () => {
    // GIVEN
    const { app } = newApp();
    // WHEN / THEN
    expect(() => new IntelligentProductionStack(app, 'Media', { ...BASE, env: { region: 'eu-central-1' } })).not.toThrow();
    expect(() => new IntelligentProductionStack(app, 'Media2', { ...BASE, functions: [] })).toThrow(
      /Media2\/Production: functions must list at least one function/,
    );
  });
});
