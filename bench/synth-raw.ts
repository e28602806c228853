/**
 * Baseline synth child: the same resources as our constructs produce, written as plain `ros.RosResource` L1s
 * with no validation, no naming rules and no grants machinery — what an app would write without this package.
 * Modes: `raw <n> <outdir>` (n queues + n pipelines), `replay <template.json> <outdir>` (every resource of a
 * synthesized template recreated one by one, for the example stack).
 */
import * as fs from 'fs';
import { measure, parseArgs } from './synth-common';

const args = process.argv.slice(2);
let ros: typeof import('@alicloud/ros-cdk-core');

function load(): void {
  ros = require('@alicloud/ros-cdk-core');
}

if (args[0] === 'replay') {
  const [, templatePath, outdir] = args;
  const source = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  measure('replay', null, outdir, load, () => {
    const app = new ros.App({ outdir });
    const stack = new ros.Stack(app, source.__stackName ?? 'Replay', { env: { region: 'cn-shanghai' } });
    for (const [id, r] of Object.entries<any>(source.Resources ?? {})) {
      const res = new ros.RosResource(stack, id, { type: r.Type, properties: r.Properties ?? {} });
      if (r.DependsOn) for (const d of [].concat(r.DependsOn)) res.addRosDependency?.(d);
    }
    for (const [id, o] of Object.entries<any>(source.Outputs ?? {})) {
      new ros.RosOutput(stack, id, { value: o.Value, description: o.Description });
    }
    app.synth();
  });
} else {
  const { mode, pipelines, outdir } = parseArgs(args);
  if (mode !== 'raw' || pipelines === null) throw new Error(`synth-raw mode must be raw <n> or replay, got ${mode}`);
  measure('raw', pipelines, outdir, load, () => {
    const app = new ros.App({ outdir });
    const stack = new ros.Stack(app, `Pipelines${pipelines}`, { env: { region: 'cn-shanghai' } });
    // The same template ours renders: literal names, the pipeline notifying its queue and depending on it.
    for (let i = 0; i < pipelines; i++) {
      const queueName = `ice-callback-Pipelines${pipelines}-Queue${i}`;
      const queue = new ros.RosResource(stack, `Queue${i}`, { type: 'ALIYUN::MNS::Queue', properties: { QueueName: queueName } });
      const pipeline = new ros.RosResource(stack, `Pipeline${i}`, {
        type: 'ALIYUN::MPS::Pipeline',
        properties: { Name: `iprod-Pipelines${pipelines}-Pipeline${i}`, NotifyConfig: { QueueName: queueName } },
      });
      pipeline.addDependsOn(queue);
    }
    app.synth();
  });
}
