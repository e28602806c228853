import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import { createExampleApp } from '../../bin/example-app';
import { MediaBucket } from '../../lib/constructs/bucket';
import { ProductionRuntime } from '../../lib/constructs/runtime';
import { FC3_TRIGGER_CONFIG_KEYS, fc3Specification } from '../support/fc3-schema';
import { checkTemplateAgainstSpec } from '../support/spec';

function fc3Resources(template: any): [string, any][] {
  return Object.entries<any>(template.Resources ?? {}).filter(([, r]) => String(r.Type).startsWith('ALIYUN::FC3::'));
}

/** Every FC3 resource the library can write: the example stack, and a runtime with each kind of trigger. */
function templates(): any[] {
  const example = createExampleApp(fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-fc3-'))).synth().stacks.map((s) => s.template);
  const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-fc3-')), stackTraces: false });
  const stack = new ros.Stack(app, 'Fc3', { env: { region: 'cn-shanghai', account: '1234567890' } });
  const bucket = new MediaBucket(stack, 'In', { bucketName: 'fc3-in' });
  const runtime = new ProductionRuntime(stack, 'Runtime', {
    namePrefix: 'fc3',
    inputs: [{ bucket, prefix: 'in/' }],
    outputs: [{ bucket, prefix: 'out/' }],
    tags: { team: 'media' },
    trigger: { type: 'mnsTopic', topicName: 'done' },
  });
  runtime.addOssTrigger('Uploads', { triggerName: 'uploads', bucket, prefix: 'in/', suffix: '.mp4' });
  runtime.addTimer('Sweep', { triggerName: 'sweep', payload: { sweep: true } });
  return [...example, app.synth().getStackByName('Fc3').template];
}

describe('FC 3.0 properties the library sets', () => {
  it('reads every FC3 resource type from @alicloud/ros-cdk-fc3 (the ROS spec package has none)', () => {
    // WHEN
    const spec = fc3Specification();
    // THEN
    expect(Object.keys(spec.ResourceTypes)).toEqual(expect.arrayContaining([
      'ALIYUN::FC3::Function', 'ALIYUN::FC3::Trigger', 'ALIYUN::FC3::ConcurrencyConfig', 'ALIYUN::FC3::AsyncInvokeConfig',
    ]));
    expect(spec.ResourceTypes['ALIYUN::FC3::Function'].Properties).toMatchObject({ Code: { Type: 'FunctionCode' }, Runtime: { PrimitiveType: 'String' } });
    expect(spec.PropertyTypes['ALIYUN::FC3::Function.FunctionCode'].Properties).toHaveProperty('ZipFile');
  });

  it('are all properties the package knows, and trigger configs hold only the keys FC documents', () => {
    // GIVEN
    const all = templates();
    const types = new Set(all.flatMap((t) => fc3Resources(t).map(([, r]) => r.Type)));
    expect([...types].sort()).toEqual(['ALIYUN::FC3::AsyncInvokeConfig', 'ALIYUN::FC3::ConcurrencyConfig', 'ALIYUN::FC3::Function', 'ALIYUN::FC3::Trigger']);
    for (const template of all) {
      // WHEN
      const issues = checkTemplateAgainstSpec(template).filter((i) => i.type.startsWith('ALIYUN::FC3::'));
      // THEN
      expect(issues).toEqual([]);
      for (const [, trigger] of fc3Resources(template).filter(([, r]) => r.Type === 'ALIYUN::FC3::Trigger')) {
        const known = FC3_TRIGGER_CONFIG_KEYS[trigger.Properties.TriggerType];
        expect(known).toBeDefined();
        expect(Object.keys(trigger.Properties.TriggerConfig).filter((k) => !known.includes(k))).toEqual([]);
      }
    }
  });

  it('catches a property the package does not know (the check can fail)', () => {
    // GIVEN
    const template = {
      Resources: {
        Fn: { Type: 'ALIYUN::FC3::Function', Properties: { FunctionName: 'f', Handler: 'index.handler', Runtime: 'nodejs18', ServiceName: 's', Code: { ZipFile: 'UEs=', Bogus: 1 } } },
      },
    };
    // WHEN
    const issues = checkTemplateAgainstSpec(template);
    // THEN
    expect(issues).toEqual([
      expect.objectContaining({ logicalId: 'Fn', property: 'ServiceName', severity: 'error' }),
      expect.objectContaining({ logicalId: 'Fn', property: 'Code.Bogus', severity: 'error' }),
    ]);
  });
});
