import {
  Alternative, isIntrinsic, notesAt, resolveAlternatives, resolveString, resolveStringList, ResolveContext, ResolveNote,
} from './intrinsics';
import { PrincipalKind, RosTemplate, RosTemplateResource } from './types';

/** Where a policy document sits in a template and what it means once intrinsics are resolved. */
export interface PolicyDocumentRef {
  logicalId: string;
  resourceType: string;
  /** Path inside the resource's Properties: `PolicyDocument`, `Policies[0].PolicyDocument`, `Policy`. */
  propertyPath: string;
  /** Full template path: `Resources.X.Properties.PolicyDocument`. */
  jsonPath: string;
  /** identity: grants to a RAM principal; trust: who may assume a role; bucket: OSS bucket policy. */
  kind: 'identity' | 'trust' | 'bucket';
  policyName?: string;
  /** As written in the template. */
  raw: unknown;
  /** Intrinsics resolved (strings or placeholders): one of the ways the document can resolve. */
  resolved: unknown;
  /** What was assumed to resolve it this way (both branches of Fn::If, a parameter's values, free values). */
  notes: ResolveNote[];
  /** Principals the document is attached to (identity documents only). */
  attachedTo: PrincipalRef[];
}

export interface PrincipalRef {
  kind: PrincipalKind;
  name: string;
  logicalId?: string;
}

export interface Statement {
  index: number;
  /** Full template path of the statement. */
  jsonPath: string;
  /** `PolicyDocument.Statement[0]`: used as the finer part of finding ids. */
  detail: string;
  sid?: string;
  effect: unknown;
  actions: string[];
  notAction: boolean;
  hasAction: boolean;
  resources: string[];
  notResource: boolean;
  hasResource: boolean;
  principal?: unknown;
  condition?: unknown;
  raw: Record<string, unknown>;
  /** Assumptions made resolving this statement (empty when everything was known). */
  notes: ResolveNote[];
}

/** A system or custom policy attached by name (PolicyAttachments, ALIYUN::RAM::AttachPolicyTo*). */
export interface PolicyAttachment {
  principal: PrincipalRef;
  /** Assumptions made resolving the policy name or principal. */
  notes?: ResolveNote[];
  policyType: string;
  policyName: string;
  logicalId: string;
  jsonPath: string;
  detail?: string;
}

export interface TemplateModel {
  stackName: string;
  templateFile: string;
  template: RosTemplate;
  ctx: ResolveContext;
  /** Bytes of the template as written (or as compact JSON when only the object is known). */
  bytes: number;
  constructPaths: Record<string, string>;
  resources: Array<[string, RosTemplateResource]>;
  documents: PolicyDocumentRef[];
  attachments: PolicyAttachment[];
  /** Principals created by the template plus those named by policies (existing roles). */
  principals: PrincipalRef[];
  /** Users added to groups (ALIYUN::RAM::UserToGroupAddition, a user's Groups property). */
  memberships: GroupMembership[];
  /** Every way a raw value can resolve (see resolveAlternatives), with what was assumed. */
  alternatives(raw: unknown): Alternative[];
}

export interface GroupMembership {
  user: PrincipalRef;
  group: PrincipalRef;
  /** Whether the group is created by this template (its policies are then reviewed where they are defined). */
  groupInTemplate: boolean;
  logicalId: string;
  jsonPath: string;
  detail: string;
  notes: ResolveNote[];
}

const PRINCIPAL_TYPES: Record<string, { kind: PrincipalKind; nameProp: string }> = {
  'ALIYUN::RAM::Role': { kind: 'role', nameProp: 'RoleName' },
  'ALIYUN::RAM::User': { kind: 'user', nameProp: 'UserName' },
  'ALIYUN::RAM::Group': { kind: 'group', nameProp: 'GroupName' },
};

const ATTACH_TYPES: Record<string, { kind: PrincipalKind; nameProp: string }> = {
  'ALIYUN::RAM::AttachPolicyToRole': { kind: 'role', nameProp: 'RoleName' },
  'ALIYUN::RAM::AttachPolicyToUser': { kind: 'user', nameProp: 'UserName' },
  'ALIYUN::RAM::AttachPolicyToGroup': { kind: 'group', nameProp: 'GroupName' },
};

/** The logical id an intrinsic points at (`Ref X`, `Fn::GetAtt [X, ...]`), if any. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isIntrinsic(value)) return undefined;
  const [fn] = Object.keys(value);
  const arg = value[fn];
  if (fn === 'Ref' && typeof arg === 'string' && !arg.startsWith('ALIYUN::')) return arg;
  if (fn === 'Fn::GetAtt') {
    if (Array.isArray(arg) && typeof arg[0] === 'string') return arg[0];
    if (typeof arg === 'string' && arg.includes('.')) return arg.slice(0, arg.indexOf('.'));
  }
  return undefined;
}

export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function toStrings(v: unknown): string[] {
  // Nested lists (an Fn::Split inside a list) flatten to what RAM would read.
  return asArray(v).flat(4).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
}

/** Statements of a resolved document, each with its template path. Tolerates malformed shapes. */
export function statementsOf(doc: PolicyDocumentRef): Statement[] {
  const d = doc.resolved as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return [];
  const list = Array.isArray(d.Statement) ? d.Statement : d.Statement && typeof d.Statement === 'object' ? [d.Statement] : [];
  const single = !Array.isArray(d.Statement);
  return list.flatMap((s, index): Statement[] => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return [];
    const raw = s as Record<string, unknown>;
    const detail = `${doc.propertyPath}.Statement${single ? '' : `[${index}]`}`;
    const rel = `Statement${single ? '' : `[${index}]`}`;
    return [{
      notes: notesAt(doc.notes, rel),
      index,
      jsonPath: `${doc.jsonPath}.Statement${single ? '' : `[${index}]`}`,
      detail,
      sid: typeof raw.Sid === 'string' ? raw.Sid : undefined,
      effect: raw.Effect,
      actions: toStrings(raw.Action ?? raw.NotAction),
      notAction: raw.NotAction !== undefined,
      hasAction: raw.Action !== undefined || raw.NotAction !== undefined,
      resources: toStrings(raw.Resource ?? raw.NotResource),
      notResource: raw.NotResource !== undefined,
      hasResource: raw.Resource !== undefined || raw.NotResource !== undefined,
      principal: raw.Principal,
      condition: raw.Condition,
      raw,
    }];
  });
}

export function buildModel(input: {
  template: RosTemplate;
  stackName: string;
  templateFile: string;
  bytes: number;
  constructPaths?: Record<string, string>;
  region?: string;
  accountId?: string;
}): TemplateModel {
  const { template } = input;
  const ctx: ResolveContext = { template, region: input.region, accountId: input.accountId };
  const resources = Object.entries(template.Resources ?? {})
    .filter(([, r]) => r && typeof r === 'object')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const constructPaths: Record<string, string> = { ...(input.constructPaths ?? {}) };
  for (const [id, r] of resources) {
    const p = r.Metadata?.['aliyun:ros:path'] ?? r.Metadata?.['aws:cdk:path'];
    if (typeof p === 'string' && !constructPaths[id]) constructPaths[id] = p;
  }

  const principals: PrincipalRef[] = [];
  const principalKey = (p: PrincipalRef) => `${p.kind}:${p.logicalId ?? ''}:${p.name}`;
  const seen = new Map<string, PrincipalRef>();
  const addPrincipal = (p: PrincipalRef): PrincipalRef => {
    const k = principalKey(p);
    const existing = seen.get(k);
    if (existing) return existing;
    seen.set(k, p);
    principals.push(p);
    return p;
  };

  // Principals the template creates, so references by name map back to their logical id.
  const byName = new Map<string, PrincipalRef>();
  for (const [id, r] of resources) {
    const t = PRINCIPAL_TYPES[r.Type];
    if (!t) continue;
    const name = resolveString(r.Properties?.[t.nameProp] ?? '${' + id + '}', ctx);
    const p = addPrincipal({ kind: t.kind, name, logicalId: id });
    byName.set(`${t.kind}:${name}`, p);
  }
  const principalFrom = (kind: PrincipalKind, raw: unknown): PrincipalRef => {
    const ref = referencedLogicalId(raw);
    const name = resolveString(raw, ctx);
    if (ref && PRINCIPAL_TYPES[ctx.template.Resources?.[ref]?.Type ?? '']?.kind === kind) {
      const p = principals.find((x) => x.logicalId === ref);
      if (p) return p;
    }
    return byName.get(`${kind}:${name}`) ?? addPrincipal({ kind, name });
  };

  const documents: PolicyDocumentRef[] = [];
  const attachments: PolicyAttachment[] = [];
  const memberships: GroupMembership[] = [];
  const doc = (
    logicalId: string, r: RosTemplateResource, propertyPath: string, kind: PolicyDocumentRef['kind'], raw: unknown,
    attachedTo: PrincipalRef[], policyName?: string,
  ) => {
    // A document given as a JSON string (PolicyDocumentUnchecked, hand-written templates) is read as its JSON.
    let body = raw;
    if (typeof raw === 'string') {
      try { body = JSON.parse(raw); } catch { body = raw; }
    }
    for (const alt of resolveAlternatives(body, ctx)) {
      let resolved = alt.value;
      if (typeof resolved === 'string' && resolved.trim().startsWith('{')) {
        try { resolved = JSON.parse(resolved); } catch { /* malformed: IPROD-RAM-007 reports it */ }
      }
      documents.push({
        logicalId, resourceType: r.Type, propertyPath, jsonPath: `Resources.${logicalId}.Properties.${propertyPath}`,
        kind, raw, resolved, notes: alt.notes, attachedTo, policyName,
      });
    }
  };
  /** Each way a policy name can resolve (a policy chosen by parameter: every allowed value). */
  const names = (raw: unknown): Array<{ name: string; notes: ResolveNote[] }> =>
    resolveAlternatives(raw ?? '', ctx).flatMap((a) => (Array.isArray(a.value) ? a.value : [a.value])
      .map((v) => ({ name: typeof v === 'string' ? v : JSON.stringify(v), notes: a.notes })));

  for (const [id, r] of resources) {
    const props = r.Properties ?? {};
    const pt = PRINCIPAL_TYPES[r.Type];
    if (pt) {
      const self = principals.find((x) => x.logicalId === id)!;
      if (r.Type === 'ALIYUN::RAM::Role' && props.AssumeRolePolicyDocument !== undefined) {
        doc(id, r, 'AssumeRolePolicyDocument', 'trust', props.AssumeRolePolicyDocument, []);
      }
      asArray(props.Policies).forEach((p, i) => {
        const pol = (p ?? {}) as Record<string, unknown>;
        doc(id, r, `Policies[${i}].PolicyDocument`, 'identity', pol.PolicyDocument, [self],
          pol.PolicyName !== undefined ? resolveString(pol.PolicyName, ctx) : undefined);
      });
      const att = (props.PolicyAttachments ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(att && typeof att === 'object' ? att : {})) {
        const type = /^system$/i.test(key) ? 'System' : /^custom$/i.test(key) ? 'Custom' : key;
        asArray(value).forEach((n, i) => {
          for (const { name, notes } of names(n)) {
            attachments.push({
              principal: self, policyType: type, policyName: name, logicalId: id, notes,
              jsonPath: `Resources.${id}.Properties.PolicyAttachments.${key}[${i}]`, detail: `PolicyAttachments.${key}[${i}]`,
            });
          }
        });
      }
      if (r.Type === 'ALIYUN::RAM::User') {
        asArray(props.Groups).forEach((g, i) => {
          for (const { name, notes } of names(g)) {
            memberships.push(membership(self, name, g, id, `Resources.${id}.Properties.Groups[${i}]`, `Groups[${i}]`, notes));
          }
        });
      }
    }
    if (r.Type === 'ALIYUN::RAM::UserToGroupAddition') {
      for (const { name: groupName, notes } of names(props.GroupName)) {
        asArray(props.Users).forEach((u, i) => {
          const user = principalFrom('user', u);
          memberships.push(membership(user, groupName, props.GroupName, id, `Resources.${id}.Properties.Users[${i}]`, `Users[${i}]`, notes));
        });
      }
    }
    if (r.Type === 'ALIYUN::ResourceManager::PolicyAttachment') {
      const kind = rmPrincipalKind(resolveString(props.PrincipalType ?? '', ctx));
      for (const { name, notes } of names(props.PolicyName)) {
        attachments.push({
          principal: principalFrom(kind, props.PrincipalName),
          policyType: resolveString(props.PolicyType ?? '', ctx),
          policyName: name,
          logicalId: id,
          notes,
          jsonPath: `Resources.${id}.Properties`,
        });
      }
    }
    if (r.Type === 'ALIYUN::RAM::ManagedPolicy') {
      const attachedTo = [
        ...asArray(props.Roles).map((x) => principalFrom('role', x)),
        ...asArray(props.Users).map((x) => principalFrom('user', x)),
        ...asArray(props.Groups).map((x) => principalFrom('group', x)),
      ];
      const name = props.PolicyName !== undefined ? resolveString(props.PolicyName, ctx) : undefined;
      const body = props.PolicyDocument ?? props.PolicyDocumentUnchecked;
      const path = props.PolicyDocument !== undefined ? 'PolicyDocument' : 'PolicyDocumentUnchecked';
      doc(id, r, path, 'identity', body, attachedTo, name);
    }
    const at = ATTACH_TYPES[r.Type];
    if (at) {
      for (const { name, notes } of names(props.PolicyName)) {
        attachments.push({
          principal: principalFrom(at.kind, props[at.nameProp]),
          policyType: resolveString(props.PolicyType ?? '', ctx),
          policyName: name,
          logicalId: id,
          notes,
          jsonPath: `Resources.${id}.Properties`,
        });
      }
    }
    if (r.Type === 'ALIYUN::OSS::Bucket' && props.Policy !== undefined) {
      doc(id, r, 'Policy', 'bucket', props.Policy, []);
    }
    // Other OSS resource types that carry a bucket policy (a separate bucket-policy resource) are read the same way.
    if (r.Type.startsWith('ALIYUN::OSS::') && r.Type !== 'ALIYUN::OSS::Bucket') {
      for (const key of ['Policy', 'PolicyDocument', 'PolicyText']) {
        if (props[key] !== undefined) doc(id, r, key, 'bucket', props[key], []);
      }
    }
    // Any other resource that carries a RAM policy document (a type this reviewer does not model by name) is read
    // as an identity policy attached to nobody it knows: what it grants is still reviewed.
    if (!pt && r.Type !== 'ALIYUN::RAM::ManagedPolicy' && !r.Type.startsWith('ALIYUN::ROS::') && !r.Type.startsWith('ALIYUN::OSS::')) {
      for (const key of ['PolicyDocument', 'PolicyDocumentUnchecked']) {
        if (props[key] !== undefined) doc(id, r, key, 'identity', props[key], []);
      }
    }
  }

  function membership(user: PrincipalRef, groupName: string, raw: unknown, logicalId: string, jsonPath: string, detail: string,
    notes: ResolveNote[]): GroupMembership {
    const ref = referencedLogicalId(raw);
    const inTemplate = (ref !== undefined && template.Resources?.[ref]?.Type === 'ALIYUN::RAM::Group')
      || byName.has(`group:${groupName}`);
    return { user, group: principalFrom('group', groupName), groupInTemplate: inTemplate, logicalId, jsonPath, detail, notes };
  }

  return {
    stackName: input.stackName, templateFile: input.templateFile, template, ctx, bytes: input.bytes, constructPaths,
    resources, documents, attachments, principals, memberships,
    alternatives: (raw: unknown) => resolveAlternatives(raw, ctx),
  };
}

function rmPrincipalKind(type: string): PrincipalKind {
  if (/group/i.test(type)) return 'group';
  if (/role/i.test(type)) return 'role';
  return 'user';
}

/** Custom policies attached by name resolve to the ManagedPolicy of that name in the same template. */
export function documentsForPrincipal(model: TemplateModel, p: PrincipalRef): PolicyDocumentRef[] {
  const byAttachment = model.attachments
    .filter((a) => a.principal === p && a.policyType.toLowerCase() === 'custom')
    .map((a) => a.policyName);
  return model.documents.filter((d) => d.kind === 'identity'
    && (d.attachedTo.includes(p) || (d.policyName !== undefined && byAttachment.includes(d.policyName))));
}

export function resolvedList(value: unknown, ctx: ResolveContext): string[] {
  return resolveStringList(value, ctx);
}
