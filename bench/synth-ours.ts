/**
 * Our synth child: `ours <n> <outdir>` builds n NotificationQueue + MediaPipeline pairs (each pipeline notifying
 * its queue) with the package's L2s. It loads the package root, as an app importing `ros-cdk-iproduction` does.
 */
import { measure, parseArgs } from './synth-common';

const { mode, pipelines, outdir } = parseArgs(process.argv.slice(2));
if (mode !== 'ours' || pipelines === null) throw new Error(`synth-ours mode must be ours <n>, got ${mode}`);
let ros: typeof import('@alicloud/ros-cdk-core');
let constructs: typeof import('../lib');
measure(
  'ours',
  pipelines,
  outdir,
  () => {
    ros = require('@alicloud/ros-cdk-core');
    constructs = require('../lib');
  },
  () => {
    const app = new ros.App({ outdir });
    const stack = new ros.Stack(app, `Pipelines${pipelines}`, { env: { region: 'cn-shanghai' } });
    for (let i = 0; i < pipelines; i++) {
      const queue = new constructs.NotificationQueue(stack, `Queue${i}`);
      new constructs.MediaPipeline(stack, `Pipeline${i}`, { notification: queue });
    }
    app.synth();
  },
);
