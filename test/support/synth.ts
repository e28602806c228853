import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';

/** A fresh app (its own temporary outdir) and stack, for one test. */
export function newStack(stackName = 'TestStack'): { app: ros.App; stack: ros.Stack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-synth-'));
  const app = new ros.App({ outdir });
  const stack = new ros.Stack(app, stackName);
  return { app, stack };
}

/** Synthesizes the app that holds `stack` and returns that stack's template. */
export function synthTemplate(stack: ros.Stack): any {
  const app = stack.node.root as ros.App;
  return app.synth().getStackByName(stack.stackName).template;
}

/** The resources of a template whose Type is `type`, by logical id. */
export function resourcesOfType(template: any, type: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    if (r.Type === type) {
      out[id] = r;
    }
  }
  return out;
}
