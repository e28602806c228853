import { jsonLineIndex, lineOf } from './json-lines';
import { hasFree, resolveString, resolveValue } from './intrinsics';
import { buildModel, documentsForPrincipal, PrincipalRef, referencedLogicalId, statementsOf, TemplateModel } from './model';
import { POLICY_RULES } from './rules/all';
import { PolicyRule } from './rules/rule';
import { serviceRoleUses } from './service-roles';
import { applySuppressions, SUPPRESSION_RULES } from './suppressions';
import {
  Finding, PermissionRow, PolicyReview, PrincipalSummary, ReviewOptions, RosTemplate, RuleDescriptor, severityRank,
  ServiceRoleUse, TemplateSummary,
} from './types';

export interface TemplateReviewOptions extends ReviewOptions {
  /** Name shown for the stack. @default 'Stack' */
  stackName?: string;
  /** Template file, relative to the assembly directory, for report locations. @default '<stackName>.template.json' */
  templateFile?: string;
  /** The template file's text, for byte size and line numbers. @default compact JSON of `template`, no lines */
  text?: string;
  /** Construct path of each logical id (from the assembly manifest). @default from resource Metadata only */
  constructPaths?: Record<string, string>;
  /** Rules to run. @default POLICY_RULES */
  rules?: readonly PolicyRule[];
}

/** Nested stacks deeper than this are not opened (ROS itself allows 5 levels; GUESS). */
export const MAX_NESTED_STACK_DEPTH = 5;

/** Where a nested template sits in the file that holds it. */
interface Nesting {
  prefix: string;
  lines?: Map<string, number>;
  depth: number;
}

/**
 * The template an `ALIYUN::ROS::Stack` holds in TemplateBody (an object, or JSON text), with the parameters the
 * parent passes in set as defaults (a free value passed in stays free), or undefined when it has none to read.
 */
export function nestedTemplate(model: TemplateModel, logicalId: string): RosTemplate | undefined {
  const props = model.template.Resources?.[logicalId]?.Properties ?? {};
  let body = props.TemplateBody;
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { return undefined; }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const child = JSON.parse(JSON.stringify(body)) as RosTemplate;
  const passed = props.Parameters && typeof props.Parameters === 'object' ? props.Parameters as Record<string, unknown> : {};
  for (const [name, raw] of Object.entries(passed)) {
    const decl = (child.Parameters ??= {})[name] as Record<string, unknown> | undefined;
    if (!decl) continue;
    const v = resolveValue(raw, model.ctx);
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (typeof text === 'string' && hasFree(text)) delete decl.Default;
    else decl.Default = v;
  }
  return child;
}

interface TemplatePart {
  summary: TemplateSummary;
  principals: PrincipalSummary[];
  serviceRoles: ServiceRoleUse[];
  findings: Finding[];
}

function cmp(a: string | number | undefined, b: string | number | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity)
    || cmp(a.templateFile, b.templateFile)
    || cmp(a.logicalId, b.logicalId)
    || cmp(a.ruleId, b.ruleId)
    || cmp(a.jsonPath, b.jsonPath)
    || cmp(a.message, b.message);
}

function describe(rule: RuleDescriptor): RuleDescriptor {
  return { id: rule.id, severity: rule.severity, title: rule.title, description: rule.description, fixHint: rule.fixHint };
}

// Properties through which a resource runs as a RAM role.
const ROLE_PROPERTIES = ['Role', 'RoleArn', 'ExecutionRole'];

/** Resources whose Role property names this role, by reference or by resolved name/ARN. */
function usersOfRole(model: TemplateModel, p: PrincipalRef): string[] {
  const out: string[] = [];
  for (const [id, r] of model.resources) {
    for (const prop of ROLE_PROPERTIES) {
      const raw = r.Properties?.[prop];
      if (raw === undefined) continue;
      const ref = referencedLogicalId(raw);
      const v = resolveString(raw, model.ctx);
      const byName = v === p.name || v.toLowerCase().endsWith(`:role/${p.name.toLowerCase()}`);
      if ((p.logicalId !== undefined && ref === p.logicalId) || byName) out.push(`${r.Type} ${id}`);
    }
  }
  return out;
}

function principalSummaries(model: TemplateModel): PrincipalSummary[] {
  const out: PrincipalSummary[] = [];
  for (const p of model.principals) {
    const permissions: PermissionRow[] = [];
    for (const doc of documentsForPrincipal(model, p)) {
      for (const s of statementsOf(doc)) {
        permissions.push({
          effect: typeof s.effect === 'string' ? s.effect : s.effect === undefined ? '(no Effect)' : JSON.stringify(s.effect),
          actions: s.actions,
          ...(s.notAction ? { notAction: true } : {}),
          resources: s.resources,
          ...(s.notResource ? { notResource: true } : {}),
          ...(s.condition !== undefined ? { conditions: s.condition } : {}),
          source: s.jsonPath,
        });
      }
    }
    const rowKeys = new Set<string>();
    const rows = permissions.filter((row) => {
      const k = JSON.stringify(row);
      if (rowKeys.has(k)) return false;
      rowKeys.add(k);
      return true;
    });
    permissions.length = 0;
    permissions.push(...rows);
    const attached = model.attachments.filter((a) => a.principal === p);
    const systemPolicies = [...new Set(attached.filter((a) => a.policyType.toLowerCase() === 'system').map((a) => a.policyName))].sort();
    let trustedBy: string[] | undefined;
    if (p.kind === 'role' && p.logicalId) {
      const trusts = model.documents.filter((d) => d.kind === 'trust' && d.logicalId === p.logicalId);
      if (trusts.length > 0) {
        trustedBy = [...new Set(trusts.flatMap((trust) => statementsOf(trust)))].filter((s) => s.effect === 'Allow').flatMap((s) => {
          if (s.principal === '*') return ['*'];
          if (!s.principal || typeof s.principal !== 'object') return [];
          return Object.entries(s.principal as Record<string, unknown>).flatMap(([k, v]) =>
            (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`));
        });
        trustedBy = [...new Set(trustedBy)];
      }
    }
    const usedBy = p.kind === 'role' ? usersOfRole(model, p) : [];
    out.push({
      kind: p.kind, name: p.name, ...(p.logicalId ? { logicalId: p.logicalId } : {}), stackName: model.stackName,
      ...(trustedBy ? { trustedBy } : {}), ...(usedBy.length ? { usedBy } : {}), systemPolicies, permissions,
    });
  }
  return out.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.logicalId, b.logicalId));
}

function reviewPart(template: RosTemplate, options: TemplateReviewOptions, nesting: Nesting = { prefix: '', depth: 0 }): TemplatePart[] {
  const stackName = options.stackName ?? 'Stack';
  const templateFile = options.templateFile ?? `${stackName}.template.json`;
  const text = options.text;
  const bytes = Buffer.byteLength(text ?? JSON.stringify(template), 'utf8');
  if (!template || typeof template !== 'object' || Array.isArray(template)) template = {};
  const model = buildModel({
    template, stackName, templateFile, bytes, constructPaths: options.constructPaths,
    region: options.region, accountId: options.accountId,
  });
  const rules = options.rules ?? POLICY_RULES;
  const lines = nesting.lines ?? (text !== undefined ? jsonLineIndex(text) : undefined);
  const make = (rule: RuleDescriptor, logicalId: string | undefined, localPath: string, detail: string | undefined,
    message: string, severity = rule.severity): Finding => {
    const jsonPath = nesting.prefix + localPath;
    const line = lines ? lineOf(lines, jsonPath) : undefined;
    const resource = logicalId ? template.Resources?.[logicalId] : undefined;
    return {
      ruleId: rule.id,
      findingId: detail ? `${rule.id}:${detail}` : rule.id,
      severity,
      title: rule.title,
      message,
      fixHint: rule.fixHint,
      stackName,
      templateFile,
      ...(logicalId ? { logicalId } : {}),
      ...(resource ? { resourceType: resource.Type } : {}),
      jsonPath,
      ...(logicalId && model.constructPaths[logicalId] ? { constructPath: model.constructPaths[logicalId] } : {}),
      ...(line !== undefined ? { line } : {}),
    };
  };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const f of rule.check(model)) {
      // The same finding can come from several alternatives of a value (both branches of an Fn::If agree).
      const key = [rule.id, f.logicalId, f.jsonPath, f.detail, f.severity, f.message].join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(make(rule, f.logicalId, f.jsonPath, f.detail, f.message, f.severity ?? rule.severity));
    }
  }
  const known = new Set(POLICY_RULES.map((r) => r.id).concat(rules.map((r) => r.id)));
  const now = (options.now ?? (() => new Date()))();
  const supFindings = applySuppressions(model, findings, known, now, (rule, logicalId, jsonPath, detail, message) =>
    make(rule, logicalId, jsonPath, detail, message));
  const part: TemplatePart = {
    summary: { stackName, templateFile, resourceCount: model.resources.length, bytes },
    principals: principalSummaries(model),
    serviceRoles: serviceRoleUses(model),
    findings: findings.concat(supFindings),
  };
  const parts = [part];
  if (nesting.depth < MAX_NESTED_STACK_DEPTH) {
    for (const [id, r] of model.resources) {
      if (r.Type !== 'ALIYUN::ROS::Stack') continue;
      const child = nestedTemplate(model, id);
      if (!child) continue;
      const body = r.Properties?.TemplateBody;
      const childParts = reviewPart(child, { ...options, stackName: `${stackName}/${id}`, templateFile, text: undefined, constructPaths: {} }, {
        // Line numbers only when the body is written as an object in the file (not as JSON text).
        prefix: `${nesting.prefix}Resources.${id}.Properties.TemplateBody.`,
        lines: typeof body === 'object' ? lines : undefined,
        depth: nesting.depth + 1,
      });
      // A nested template's size counts toward its parent's file; report it once, under the parent.
      for (const c of childParts) parts.push({ ...c, summary: { ...c.summary, bytes: Buffer.byteLength(JSON.stringify(child), 'utf8') } });
    }
  }
  return parts;
}

function assemble(parts: TemplatePart[], rules: readonly PolicyRule[]): PolicyReview {
  const serviceRoles = parts.flatMap((p) => p.serviceRoles);
  return {
    version: 1,
    templates: parts.map((p) => p.summary).sort((a, b) => cmp(a.templateFile, b.templateFile)),
    principals: parts.flatMap((p) => p.principals)
      .sort((a, b) => cmp(a.stackName, b.stackName) || cmp(a.kind, b.kind) || cmp(a.name, b.name)),
    ...(serviceRoles.length ? { serviceRoles } : {}),
    findings: parts.flatMap((p) => p.findings).sort(compareFindings),
    rules: [...rules, ...SUPPRESSION_RULES].map(describe).sort((a, b) => cmp(a.id, b.id)),
  };
}

/** Reviews one template (already parsed). */
export function reviewTemplate(template: RosTemplate, options: TemplateReviewOptions = {}): PolicyReview {
  return assemble(reviewPart(template, options), options.rules ?? POLICY_RULES);
}

/** Reviews several templates as one report (what reviewAssembly does after reading the files). */
export function reviewTemplates(
  inputs: Array<{ template: RosTemplate } & Omit<TemplateReviewOptions, keyof ReviewOptions | 'rules'>>,
  options: ReviewOptions & { rules?: readonly PolicyRule[] } = {},
): PolicyReview {
  return assemble(inputs.flatMap((i) => reviewPart(i.template, { ...options, ...i })), options.rules ?? POLICY_RULES);
}

/** Findings that count against a threshold: unsuppressed, at or above `threshold`. */
export function blockingFindings(review: PolicyReview, threshold: 'error' | 'warning' | 'info' = 'error'): Finding[] {
  return review.findings.filter((f) => !f.suppression && severityRank(f.severity) >= severityRank(threshold));
}

export interface ReviewCounts {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
}

export function countFindings(review: PolicyReview): ReviewCounts {
  const c: ReviewCounts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const f of review.findings) {
    if (f.suppression) c.suppressed++;
    else c[f.severity]++;
  }
  return c;
}
