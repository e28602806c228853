import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import { createExampleApp } from '../../bin/example-app';
import { IntelligentProductionStack, NotificationTopic } from '../../lib/constructs';
import { formatSynthSummary, renderTemplateValue, summarizeSynth } from '../../lib/policy';

const outdir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-summary-'));

describe('summarizeSynth', () => {
  const dir = outdir();
  const assembly = createExampleApp(dir).synth();
  const template = assembly.stacks[0].template;
  const resources = Object.values<any>(template.Resources);
  const [summary] = summarizeSynth(dir);
  const text = formatSynthSummary([summary]);

  it('GIVEN the example app THEN its counts are the template counts: one managed policy, two inline policies (the topic and upload trigger roles)', () => {
    // THEN
    expect(Object.values(summary.resourcesByType).reduce((a, b) => a + b, 0)).toBe(resources.length);
    expect(summary.policyCounts).toEqual({
      managed: resources.filter((r) => r.Type === 'ALIYUN::RAM::ManagedPolicy').length,
      inline: resources.flatMap((r) => (r.Type === 'ALIYUN::RAM::Role' ? r.Properties.Policies ?? [] : [])).length,
    });
    expect(summary.policyCounts).toEqual({ managed: 1, inline: 2 });
    expect(text).toContain('permissions (3 principals; 1 managed policy, 2 inline policies):');
    expect(summary.principals.flatMap((p) => p.policies).map((p) => p.kind).sort()).toEqual(['inline', 'inline', 'managed']);
  });

  it('THEN it lists every physical name with where it must be unique, and every output', () => {
    // THEN
    expect(summary.physicalNames).toEqual(expect.arrayContaining([
      { label: 'OSS bucket', logicalId: 'ProductionInput', name: 'iprod-example-input', uniqueWhere: 'across all Alibaba Cloud accounts' },
      { label: 'RAM role', logicalId: 'ProductionRuntimeRole', name: 'iprod-example-runtime', uniqueWhere: 'within an account' },
      { label: 'MNS topic', logicalId: 'ProductionTopic', name: 'iprod-example-completions', uniqueWhere: 'within a region of an account' },
    ]));
    expect(summary.outputs.map((o) => o.name)).toEqual(Object.keys(template.Outputs));
    expect(summary.outputs.find((o) => o.name === 'PipelineId')?.value).toBe('${ProductionPipeline.PipelineId}');
    expect(text).toContain('    InputBucketName = iprod-example-input  (Bucket jobs read inputs from)');
  });

  it('THEN permissions are per principal, and cost drivers come from the function as written', () => {
    // GIVEN
    const fn = resources.find((r) => r.Type === 'ALIYUN::FC::Function' || r.Type === 'ALIYUN::FC3::Function').Properties;
    // THEN
    const runtime = summary.principals.find((p) => p.name === 'iprod-example-runtime')!;
    // The API calls, the failed-invocations queue and the loop's (ICE's callback queue, the results topic, the
    // ledger table): no OSS (ICE reads and writes through its own service role).
    expect(runtime.permissions.flatMap((r) => r.actions).sort()).toEqual([
      'ice:QueryIProductionJob', 'ice:SubmitIProductionJob',
      'mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:PublishMessage', 'mns:ReceiveMessage', 'mns:SendMessage',
      'ots:GetRange', 'ots:GetRow', 'ots:PutRow', 'ots:UpdateRow',
    ]);
    expect(summary.costDrivers.map((c) => c.detail)).toEqual([
      expect.stringContaining(`${fn.MemorySize} MB, timeout ${fn.Timeout} s`),
      // the production loop's sweep: 50 s of every minute
      `the production loop's sweep keeps an instance busy 50 s of every minute (one of its instances): about ${Math.round((fn.MemorySize / 1024) * 50 * 1440).toLocaleString('en-US')} GB-s a day`,
      expect.stringContaining(`{"action":"wait"} keeps an instance busy`),
      // the loop's sweep timer
      'timer @every 1m: one invocation each time',
    ]);
    expect(summary.costDrivers[2].detail).toContain(`up to ${Math.round((fn.MemorySize / 1024) * fn.Timeout * 10) / 10} GB-s`);
  });

  it('GIVEN a preset the validator warns about and a possible name clash THEN both warnings are in the summary', () => {
    // GIVEN
    const d = outdir();
    const app = new ros.App({ outdir: d, stackTraces: false, runtimeInfo: false });
    new IntelligentProductionStack(app, 'Media', {
      env: { region: 'cn-shanghai', account: '1234567890' }, namePrefix: 'acme', functions: ['Cover'], runtime: false, notification: 'none',
      presets: { cover: { FunctionName: 'Cover', Input: { Type: 'OSS', Media: 'oss://acme-input/input/a.mp4' }, Output: { Type: 'OSS', Media: 'oss://acme-output/output/cover.png' } } },
    });
    const other = new ros.Stack(app, 'Other', { env: { region: 'cn-shanghai' } });
    new NotificationTopic(other, 'Done', { topicName: 'acme-done' });
    const mine = new ros.Stack(app, 'Mine', { env: { region: 'cn-shanghai', account: '1234567890' } });
    new NotificationTopic(mine, 'Done', { topicName: 'acme-done' });
    app.synth();
    // WHEN
    const summaries = summarizeSynth(d);
    const warnings = summaries.flatMap((s) => s.warnings);
    // THEN
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Media\/Production: presets\.cover\.Media: .*\{sequenceId\}/),
      expect.stringMatching(/MNS topic name "acme-done" must be unique within a region of an account and may be created twice/),
    ]));
    expect(formatSynthSummary(summaries)).toMatch(/warnings \(1\):\n {4}Media\/Production: presets\.cover/);
  });

  it.each([
    ['a string', 'x', 'x'],
    ['a Ref', { Ref: 'ALIYUN::AccountId' }, '${ALIYUN::AccountId}'],
    ['a GetAtt', { 'Fn::GetAtt': ['Role', 'Arn'] }, '${Role.Arn}'],
    ['a Join', { 'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':q']] }, 'acs:mns:${ALIYUN::Region}:q'],
    ['anything else', { 'Fn::Sub': 'a' }, '{"Fn::Sub":"a"}'],
  ])('renderTemplateValue renders %s', (_name, value, text) => {
    expect(renderTemplateValue(value)).toBe(text);
  });
});
