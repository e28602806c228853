#!/usr/bin/env node
// Example app: placeholder until the constructs issue lands the full IntelligentProductionStack.
import * as ros from '@alicloud/ros-cdk-core';
import * as oss from '@alicloud/ros-cdk-oss';

const app = new ros.App({ outdir: 'cdk.out' });
const stack = new ros.Stack(app, 'IProductionExample', { env: { region: 'cn-shanghai' } });
new oss.Bucket(stack, 'Input', { bucketName: 'iprod-example-input' });
const assembly = app.synth();
for (const s of assembly.stacks) {
  const resources = Object.keys((s.template as any).Resources ?? {}).length;
  console.log(`${s.stackName}: ${resources} resources -> ${assembly.directory}/${s.templateFile}`);
}
