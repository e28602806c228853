/**
 * RAM permission changes between two templates, per principal: the grants (effect, action, resource, condition),
 * the trust of roles, the system policies attached, and the Allow statements of OSS bucket policies. The principals
 * and their permissions come from the policy reviewer's model (lib/policy), so a deploy shows permissions exactly as
 * `iprod policy-report` reads them, including policies written by hand.
 *
 * A change broadens permissions (the `--require-approval broadening` gate) when it adds an Allow grant, a trusted
 * principal, a system policy or a bucket-policy Allow, or removes a Deny: anything that lets someone do more.
 */
import { buildModel, statementsOf } from '../policy/model';
import { reviewTemplate } from '../policy/review';
import { PermissionRow, PrincipalSummary, RosTemplate } from '../policy/types';

export interface PrincipalPermissions {
  /** `role iprod-example-runtime`, `bucket-policy iprod-example-input`. */
  readonly principal: string;
  /** One line per (effect, action, resource[, condition]). */
  readonly grants: ReadonlySet<string>;
  /** Roles: who may assume them (`Allow sts:AssumeRole by Service: fc.aliyuncs.com`). */
  readonly trust: ReadonlySet<string>;
  /** `System AliyunOSSReadOnlyAccess`. */
  readonly attachments: ReadonlySet<string>;
}

export interface PrincipalChange {
  readonly principal: string;
  readonly grantsAdded: string[];
  readonly grantsRemoved: string[];
  readonly trustAdded: string[];
  readonly trustRemoved: string[];
  readonly attachmentsAdded: string[];
  readonly attachmentsRemoved: string[];
  /** Whether this principal can do more after the change than before. */
  readonly broadening: boolean;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rowLines(row: PermissionRow): string[] {
  const condition = row.conditions !== undefined ? ` when ${JSON.stringify(row.conditions)}` : '';
  const actions = row.notAction ? [`NOT(${row.actions.join(', ')})`] : row.actions;
  const resources = row.notResource ? [`NOT(${row.resources.join(', ')})`] : row.resources.length ? row.resources : ['(no Resource)'];
  return actions.flatMap((a) => resources.map((r) => `${row.effect} ${a} on ${r}${condition}`));
}

function summaryOf(p: PrincipalSummary): PrincipalPermissions {
  const trust = (p.trustedBy ?? []).map((t) => `Allow sts:AssumeRole by ${t}`);
  return {
    principal: `${p.kind} ${p.name}`,
    grants: new Set(p.permissions.flatMap(rowLines)),
    trust: new Set(trust),
    attachments: new Set(p.systemPolicies.map((n) => `System ${n}`)),
  };
}

/** Every principal's permissions in a template (placeholders stand for values only known at deploy time). */
export function permissionsOf(template: RosTemplate | undefined, stackName: string): Map<string, PrincipalPermissions> {
  const out = new Map<string, PrincipalPermissions>();
  if (!template) return out;
  const review = reviewTemplate(template, { stackName, rules: [] });
  for (const p of review.principals) {
    const s = summaryOf(p);
    const earlier = out.get(s.principal);
    // The same name seen twice (created here and referenced by name) is one principal.
    out.set(s.principal, earlier ? {
      principal: s.principal,
      grants: new Set([...earlier.grants, ...s.grants]),
      trust: new Set([...earlier.trust, ...s.trust]),
      attachments: new Set([...earlier.attachments, ...s.attachments]),
    } : s);
  }
  const model = buildModel({ template, stackName, templateFile: `${stackName}.template.json`, bytes: 0 });
  for (const doc of model.documents.filter((d) => d.kind === 'bucket')) {
    const raw = model.template.Resources?.[doc.logicalId]?.Properties?.BucketName;
    const name = typeof raw === 'string' ? raw : doc.logicalId;
    const grants = new Set<string>();
    for (const s of statementsOf(doc)) {
      const who = s.principal === undefined ? '(no Principal)' : JSON.stringify(s.principal);
      for (const line of rowLines({
        effect: typeof s.effect === 'string' ? s.effect : JSON.stringify(s.effect), actions: s.actions, notAction: s.notAction,
        resources: s.resources, notResource: s.notResource, conditions: s.condition, source: s.jsonPath,
      })) grants.add(`${line} for ${who}`);
    }
    out.set(`bucket-policy ${name}`, { principal: `bucket-policy ${name}`, grants, trust: new Set(), attachments: new Set() });
  }
  return out;
}

function minus(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): string[] {
  return [...(a ?? [])].filter((x) => !(b ?? new Set()).has(x)).sort(cmp);
}

/** Per principal, what a change adds and removes; principals without changes are left out. */
export function diffPermissions(before: Map<string, PrincipalPermissions>, after: Map<string, PrincipalPermissions>): PrincipalChange[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(cmp);
  const out: PrincipalChange[] = [];
  for (const principal of names) {
    const b = before.get(principal);
    const a = after.get(principal);
    const grantsAdded = minus(a?.grants, b?.grants);
    const grantsRemoved = minus(b?.grants, a?.grants);
    const trustAdded = minus(a?.trust, b?.trust);
    const trustRemoved = minus(b?.trust, a?.trust);
    const attachmentsAdded = minus(a?.attachments, b?.attachments);
    const attachmentsRemoved = minus(b?.attachments, a?.attachments);
    if (![grantsAdded, grantsRemoved, trustAdded, trustRemoved, attachmentsAdded, attachmentsRemoved].some((l) => l.length > 0)) continue;
    const broadening = grantsAdded.some((g) => !g.startsWith('Deny ')) || grantsRemoved.some((g) => g.startsWith('Deny '))
      || trustAdded.length > 0 || attachmentsAdded.length > 0;
    out.push({ principal, grantsAdded, grantsRemoved, trustAdded, trustRemoved, attachmentsAdded, attachmentsRemoved, broadening });
  }
  return out;
}

/** Lines for a terminal or a log: `+ Allow oss:GetObject on ...` / `- ...`, grouped by principal. */
export function renderPermissionChanges(changes: readonly PrincipalChange[]): string {
  if (changes.length === 0) return '  (no RAM permission changes)\n';
  let out = '';
  for (const c of changes) {
    out += `  ${c.principal}${c.broadening ? '  [broadens permissions]' : ''}\n`;
    for (const g of c.grantsAdded) out += `    + ${g}\n`;
    for (const g of c.grantsRemoved) out += `    - ${g}\n`;
    for (const t of c.trustAdded) out += `    + trust: ${t}\n`;
    for (const t of c.trustRemoved) out += `    - trust: ${t}\n`;
    for (const p of c.attachmentsAdded) out += `    + policy: ${p}\n`;
    for (const p of c.attachmentsRemoved) out += `    - policy: ${p}\n`;
  }
  return out;
}
