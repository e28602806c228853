import * as ros from '@alicloud/ros-cdk-core';
import { IntelligentProductionStack, IntelligentProductionStackProps } from '../lib/constructs/stack';

/** Defaults of the example deployment; everything a platform team would change is here. */
export const EXAMPLE_DEFAULTS = {
  stackName: 'IProductionExample',
  region: 'cn-shanghai',
  namePrefix: 'iprod-example',
  functions: ['Cover', 'VideoClip', 'CaptionExtraction', 'VideoH2V', 'SpeechDenoise'],
  tags: { project: 'iprod-example', 'managed-by': 'ros-cdk-iproduction' },
} as const;

/**
 * The full stack with embedded defaults: buckets, MPS pipeline reporting to an MNS topic, the runtime function the
 * topic invokes with each completion, and the production loop (an upload under input/ starts a cover job, tracked
 * in a Tablestore ledger, its result published to the results topic).
 * No side effects until called; `bin/app.ts` synthesizes it into cdk.out/. `overrides` change props for tests (the
 * FC 2.0 variant, say).
 *
 * Deterministic output: stack traces are off (they hold absolute paths and line numbers of whoever built the
 * app), runtime info is off (it lists installed module versions), and the stack pins its asset qualifier (ROS CDK
 * otherwise draws a random one per synth).
 */
export function createExampleApp(outdir?: string, overrides: Partial<IntelligentProductionStackProps> = {}): ros.App {
  const app = new ros.App({ outdir: outdir ?? 'cdk.out', stackTraces: false, runtimeInfo: false });
  new IntelligentProductionStack(app, EXAMPLE_DEFAULTS.stackName, {
    env: { region: EXAMPLE_DEFAULTS.region },
    description: 'Intelligent production: buckets, MPS pipeline, MNS notifications and the runtime function',
    namePrefix: EXAMPLE_DEFAULTS.namePrefix,
    functions: [...EXAMPLE_DEFAULTS.functions],
    api: 'ice',
    notification: 'topic',
    runtime: true,
    tags: { ...EXAMPLE_DEFAULTS.tags },
    bucketOptions: { lifecycleRules: [{ prefix: 'output/', expirationDays: 30 }] },
    presets: {
      // Invocable by name: {"action":"submit","preset":"cover","input":"oss://iprod-example-input/input/x.mp4"}.
      cover: {
        FunctionName: 'Cover',
        Output: { Type: 'OSS', Media: `oss://${EXAMPLE_DEFAULTS.namePrefix}-output/output/{objectDir}{source}-cover-{sequenceId}.png` },
      },
    },
    // The production loop: a video landing under input/ starts one cover job; the result goes to iprod-example-results.
    routes: [{ prefix: 'input/', suffixes: ['.mp4', '.mov'], preset: 'cover' }],
    ...overrides,
  });
  return app;
}
