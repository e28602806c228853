import * as fs from 'fs';
import * as path from 'path';
import { NAME_SCOPE_WORDS, NAMED_RESOURCE_TYPES, RUNTIME_ENV } from '../service';
import { loadAssembly } from './assembly';
import { reviewTemplates } from './review';
import type { PermissionRow, PolicyReview, RosTemplate } from './types';

/** One physical name a stack creates, and where it must be unique. */
export interface SummaryName {
  readonly label: string;
  readonly logicalId: string;
  /** The name, or `${Logical.Attr}`-style text when the template computes it. */
  readonly name: string;
  readonly uniqueWhere: string;
}

/** A policy as the template holds it: a ManagedPolicy resource, or an inline policy of a role, user or group. */
export interface SummaryPolicy {
  readonly kind: 'managed' | 'inline';
  readonly name: string;
  readonly statements: number;
}

/** What one principal the stack creates or names may do. */
export interface SummaryPrincipal {
  readonly kind: string;
  readonly name: string;
  readonly trustedBy: readonly string[];
  readonly usedBy: readonly string[];
  readonly policies: readonly SummaryPolicy[];
  readonly systemPolicies: readonly string[];
  readonly permissions: readonly PermissionRow[];
}

/** What a deployed stack is billed by: function sizes and times, and what holds instances. */
export interface SummaryCostDriver {
  readonly resource: string;
  readonly detail: string;
}

/** The synth summary of one stack, read from what was written to the cloud assembly. */
export interface StackSynthSummary {
  readonly stackName: string;
  readonly templateFile: string;
  readonly templateBytes: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
  readonly physicalNames: readonly SummaryName[];
  readonly outputs: readonly { readonly name: string; readonly value: string; readonly description?: string }[];
  /** Counted as the template holds them: ManagedPolicy resources, and inline policies of roles, users and groups. */
  readonly policyCounts: { readonly managed: number; readonly inline: number };
  readonly principals: readonly SummaryPrincipal[];
  /** Construct warnings recorded at synth (preset warnings, possible name clashes, ...): `path: message`. */
  readonly warnings: readonly string[];
  readonly costDrivers: readonly SummaryCostDriver[];
}

/** Intrinsics as short text: `${Logical}`, `${Logical.Attr}`, joins joined. */
export function renderTemplateValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return `\${${o.Ref}}`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `\${${getAtt.map(String).join('.')}}`;
    const join = o['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map(renderTemplateValue).join(String(join[0]));
  }
  return JSON.stringify(value);
}

const NAMED = new Map(NAMED_RESOURCE_TYPES.map((t) => [t.type, t]));
const FUNCTION_TYPES = new Set(['ALIYUN::FC::Function', 'ALIYUN::FC3::Function']);
const POLICY_HOLDERS = new Set(['ALIYUN::RAM::Role', 'ALIYUN::RAM::User', 'ALIYUN::RAM::Group']);
/** The runtime's API setting marks a function as this package's runtime (the one that answers `wait`). */
const RUNTIME_MARKER = RUNTIME_ENV.api;
const LOOP_SETTINGS = RUNTIME_ENV.loop;

/** The policy a permission row's statement lives in, from its `source` path in the template. */
function policyOfSource(template: RosTemplate, source: string): SummaryPolicy | undefined {
  const m = /^Resources\.([^.]+)\.Properties\.(?:Policies\[(\d+)\]\.)?PolicyDocument\./.exec(source);
  if (!m) return undefined;
  const resource = template.Resources?.[m[1]];
  const props = (resource?.Properties ?? {}) as Record<string, any>;
  if (m[2] !== undefined) {
    const inline = props.Policies?.[Number(m[2])];
    return { kind: 'inline', name: renderTemplateValue(inline?.PolicyName), statements: inline?.PolicyDocument?.Statement?.length ?? 0 };
  }
  return { kind: 'managed', name: renderTemplateValue(props.PolicyName ?? m[1]), statements: props.PolicyDocument?.Statement?.length ?? 0 };
}

/** `sweepSeconds` of a function's IPROD_LOOP, when it has one. */
function loopSweepSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value) as { sweepSeconds?: unknown };
    return typeof parsed.sweepSeconds === 'number' ? parsed.sweepSeconds : undefined;
  } catch {
    return undefined;
  }
}

function costDriversOf(template: RosTemplate): SummaryCostDriver[] {
  const out: SummaryCostDriver[] = [];
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = (r.Properties ?? {}) as Record<string, any>;
    if (FUNCTION_TYPES.has(r.Type)) {
      const name = renderTemplateValue(p.FunctionName ?? id);
      const memory = p.MemorySize !== undefined ? `${p.MemorySize} MB` : 'memory not set (service default)';
      const timeout = p.Timeout !== undefined ? `timeout ${p.Timeout} s` : 'timeout not set (service default)';
      const concurrency = p.InstanceConcurrency !== undefined ? `, ${p.InstanceConcurrency} requests per instance` : '';
      out.push({ resource: `${r.Type} ${name}`, detail: `${memory}, ${timeout}${concurrency}` });
      const env = (p.EnvironmentVariables ?? {}) as Record<string, unknown>;
      if (env[RUNTIME_MARKER] !== undefined && typeof p.MemorySize === 'number' && typeof p.Timeout === 'number') {
        const gbSeconds = Math.round((p.MemorySize / 1024) * p.Timeout * 10) / 10;
        const sweepSeconds = loopSweepSeconds(env[LOOP_SETTINGS]);
        if (sweepSeconds !== undefined && sweepSeconds > 0) {
          const perDay = Math.round((p.MemorySize / 1024) * sweepSeconds * 1440);
          out.push({
            resource: `${r.Type} ${name}`,
            detail: `the production loop's sweep keeps an instance busy ${sweepSeconds} s of every minute (one of its instances): about ${perDay.toLocaleString('en-US')} GB-s a day`,
          });
        }
        out.push({
          resource: `${r.Type} ${name}`,
          detail: `each {"action":"wait"} keeps an instance busy${concurrency ? ` (one of its ${p.InstanceConcurrency} request slots)` : ''} while it polls, up to the ${p.Timeout} s timeout: an instance held for a whole wait bills up to ${gbSeconds} GB-s; notifications and the sweep cost one short invocation per job`,
        });
      }
    }
    if (r.Type === 'ALIYUN::FC::Trigger' || r.Type === 'ALIYUN::FC3::Trigger') {
      const config = p.TriggerConfig as Record<string, unknown> | undefined;
      const schedule = config?.cronExpression ?? config?.CronExpression;
      if (p.TriggerType === 'timer') out.push({ resource: `${r.Type} ${renderTemplateValue(p.TriggerName ?? id)}`, detail: `timer ${schedule ?? '(no schedule)'}: one invocation each time` });
    }
  }
  return out;
}

/**
 * The summary of every stack of a synthesized cloud assembly (`cdk.out`): physical names, outputs, permissions per
 * principal, warnings and cost drivers. Reads what was written, so it describes what ROS will receive; works for
 * any app's assembly, not only ours.
 */
export function summarizeSynth(assemblyDir: string, options: { review?: PolicyReview } = {}): StackSynthSummary[] {
  const templates = loadAssembly(assemblyDir);
  const review = options.review ?? reviewTemplates(templates.map((t) => ({
    template: t.template, stackName: t.stackName, templateFile: t.templateFile, text: t.text, constructPaths: t.constructPaths,
  })));
  return templates.map((t) => {
    const resources = t.template.Resources ?? {};
    const resourcesByType: Record<string, number> = {};
    for (const type of Object.values(resources).map((r) => r.Type).sort()) resourcesByType[type] = (resourcesByType[type] ?? 0) + 1;
    const physicalNames: SummaryName[] = [];
    let inline = 0;
    for (const [id, r] of Object.entries(resources)) {
      const rule = NAMED.get(r.Type);
      const p = (r.Properties ?? {}) as Record<string, any>;
      if (rule && p[rule.nameProperty] !== undefined) {
        physicalNames.push({ label: rule.label, logicalId: id, name: renderTemplateValue(p[rule.nameProperty]), uniqueWhere: NAME_SCOPE_WORDS[rule.scope] });
      }
      if (POLICY_HOLDERS.has(r.Type) && Array.isArray(p.Policies)) inline += p.Policies.length;
    }
    const principals: SummaryPrincipal[] = review.principals.filter((pr) => pr.stackName === t.stackName).map((pr) => {
      const policies = new Map<string, SummaryPolicy>();
      for (const row of pr.permissions) {
        const policy = policyOfSource(t.template, row.source);
        if (policy) policies.set(`${policy.kind}:${policy.name}`, policy);
      }
      return {
        kind: pr.kind, name: pr.name, trustedBy: pr.trustedBy ?? [], usedBy: pr.usedBy ?? [],
        policies: [...policies.values()], systemPolicies: pr.systemPolicies, permissions: pr.permissions,
      };
    });
    const file = path.join(assemblyDir, t.templateFile);
    return {
      stackName: t.stackName,
      templateFile: file,
      templateBytes: fs.statSync(file).size,
      resourcesByType,
      physicalNames,
      outputs: Object.entries((t.template as { Outputs?: Record<string, { Value?: unknown; Description?: string }> }).Outputs ?? {}).map(([name, o]) => ({
        name, value: renderTemplateValue(o.Value), ...(o.Description !== undefined ? { description: o.Description } : {}),
      })),
      policyCounts: { managed: resourcesByType['ALIYUN::RAM::ManagedPolicy'] ?? 0, inline },
      principals,
      warnings: t.warnings.map((w) => `${w.constructPath}: ${w.message}`),
      costDrivers: costDriversOf(t.template),
    };
  });
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The text `npm run synth` prints; any app can print it for its own assembly. */
export function formatSynthSummary(stacks: readonly StackSynthSummary[]): string {
  const lines: string[] = [];
  for (const s of stacks) {
    const total = Object.values(s.resourcesByType).reduce((a, b) => a + b, 0);
    lines.push(`${s.stackName}: ${plural(total, 'resource')}, template ${s.templateBytes} bytes -> ${s.templateFile}`);
    for (const [type, count] of Object.entries(s.resourcesByType)) lines.push(`  ${String(count).padStart(3)}  ${type}`);
    lines.push(`  physical names (${s.physicalNames.length}):`);
    for (const n of s.physicalNames) lines.push(`    ${n.label} ${n.name} (${n.logicalId}): unique ${n.uniqueWhere}`);
    lines.push(`  outputs (${s.outputs.length}):`);
    for (const o of s.outputs) lines.push(`    ${o.name} = ${o.value}${o.description ? `  (${o.description})` : ''}`);
    lines.push(`  permissions (${plural(s.principals.length, 'principal')}; ${plural(s.policyCounts.managed, 'managed policy').replace('policys', 'policies')}, ${plural(s.policyCounts.inline, 'inline policy').replace('policys', 'policies')}):`);
    for (const p of s.principals) {
      const about = [p.trustedBy.length ? `trusted by ${p.trustedBy.join(', ')}` : '', p.usedBy.length ? `used by ${p.usedBy.join(', ')}` : ''].filter(Boolean);
      lines.push(`    ${p.kind} ${p.name}${about.length ? ` (${about.join('; ')})` : ''}`);
      for (const policy of p.policies) lines.push(`      ${policy.kind} policy ${policy.name}: ${plural(policy.statements, 'statement')}`);
      for (const sys of p.systemPolicies) lines.push(`      system policy ${sys}`);
      for (const row of p.permissions) {
        lines.push(`      ${row.effect} ${row.notAction ? 'all but ' : ''}${row.actions.join(', ')} on ${row.notResource ? 'all but ' : ''}${row.resources.join(', ')}${row.conditions ? ' (with conditions)' : ''}`);
      }
    }
    lines.push(`  warnings (${s.warnings.length}):`);
    for (const w of s.warnings) lines.push(`    ${w}`);
    lines.push(`  cost drivers (${s.costDrivers.length}):`);
    for (const c of s.costDrivers) lines.push(`    ${c.resource}: ${c.detail}`);
  }
  return lines.join('\n') + '\n';
}
