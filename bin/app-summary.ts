import * as fs from 'fs';
import * as path from 'path';
import type * as cxapi from '@alicloud/ros-cdk-cxapi';

/** Counts of one synthesized stack, as `bin/app.ts` prints them. */
export interface StackSummary {
  readonly stackName: string;
  readonly templateFile: string;
  readonly templateBytes: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
  /** Managed policies and inline role policies: `{name, statements}` in template order. */
  readonly policies: readonly { readonly name: string; readonly statements: number }[];
}

/** Reads what was written (not what was built in memory): the bytes ROS will receive. */
export function summarizeStack(assemblyDir: string, stack: { stackName: string; templateFile: string; template: any }): StackSummary {
  const file = path.join(assemblyDir, stack.templateFile);
  const resources: Record<string, any> = stack.template.Resources ?? {};
  const resourcesByType: Record<string, number> = {};
  const policies: { name: string; statements: number }[] = [];
  for (const id of Object.keys(resources)) {
    const r = resources[id];
    resourcesByType[r.Type] = (resourcesByType[r.Type] ?? 0) + 1;
    if (r.Type === 'ALIYUN::RAM::ManagedPolicy') {
      policies.push({ name: String(r.Properties?.PolicyName ?? id), statements: r.Properties?.PolicyDocument?.Statement?.length ?? 0 });
    }
    if (r.Type === 'ALIYUN::RAM::Role') {
      for (const p of r.Properties?.Policies ?? []) {
        policies.push({ name: String(p.PolicyName), statements: p.PolicyDocument?.Statement?.length ?? 0 });
      }
    }
  }
  const sorted: Record<string, number> = {};
  for (const type of Object.keys(resourcesByType).sort()) sorted[type] = resourcesByType[type];
  return {
    stackName: stack.stackName,
    templateFile: file,
    templateBytes: fs.statSync(file).size,
    resourcesByType: sorted,
    policies,
  };
}

/** The text `bin/app.ts` prints. */
export function summarizeAssembly(assembly: cxapi.CloudAssembly): string {
  const lines: string[] = [];
  for (const stack of assembly.stacks) {
    const s = summarizeStack(assembly.directory, stack);
    const total = Object.values(s.resourcesByType).reduce((a, b) => a + b, 0);
    lines.push(`${s.stackName}: ${total} resources, template ${s.templateBytes} bytes -> ${s.templateFile}`);
    for (const [type, count] of Object.entries(s.resourcesByType)) lines.push(`  ${String(count).padStart(3)}  ${type}`);
    lines.push(`  policies (${s.policies.length}):`);
    for (const p of s.policies) lines.push(`    ${p.name}: ${p.statements} statement${p.statements === 1 ? '' : 's'}`);
  }
  return lines.join('\n') + '\n';
}
