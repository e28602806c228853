/**
 * Stacks, their resources, events, change sets and outputs, run through ROS's statuses:
 * CREATE_IN_PROGRESS → CREATE_COMPLETE, UPDATE_IN_PROGRESS → UPDATE_COMPLETE, DELETE_IN_PROGRESS → DELETE_COMPLETE,
 * and on a resource failure `*_FAILED` then (unless rollback is disabled) ROLLBACK_IN_PROGRESS → ROLLBACK_COMPLETE.
 * Operations advance with the server clock, one step every `stepMs` (a resource takes two steps: in progress, done),
 * so a test that moves the clock moves the stack, and nothing sleeps.
 * Physical names are checked against every other live stack by the scope rules of lib/service/name-scopes.ts: a
 * clash fails the resource naming both resources and both stacks, as the real service fails the deploy.
 */
import { NAMED_RESOURCE_TYPES, NamedResourceType } from '../../lib/service/name-scopes';
import { hexId } from '../endpoint/random';
import { rosErrors } from './errors';
import { resolve, ResolveScope, references } from './resolve';
import { typeInfo } from './types';
import { dependencyOrder, Template, Validated } from './validate';

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Status: string;
  StatusReason: string;
  CreateTime: string;
}

export interface ResourceState {
  logicalId: string;
  type: string;
  physicalId: string;
  attributes: Record<string, unknown>;
  properties: Record<string, unknown>;
  status: string;
  statusReason: string;
  scopeKey?: string;
  name?: string;
}

export interface ResourceChange {
  Type: 'Resource';
  ResourceChange: {
    Action: 'Add' | 'Modify' | 'Remove';
    LogicalResourceId: string;
    PhysicalResourceId?: string;
    ResourceType: string;
    Replacement?: 'True' | 'False';
    Scope?: string[];
    Details?: Array<Record<string, unknown>>;
  };
}

interface Operation {
  steps: Array<() => void>;
  next: number;
  startedAt: number;
}

export interface StackRecord {
  id: string;
  name: string;
  region: string;
  status: string;
  statusReason: string;
  templateBody: string;
  template: Template;
  parameters: Record<string, string>;
  resources: Map<string, ResourceState>;
  events: StackEvent[];
  outputs?: Array<{ OutputKey: string; OutputValue: unknown; Description?: string }>;
  disableRollback: boolean;
  timeoutInMinutes: number;
  createTime: string;
  updateTime?: string;
  deleted: boolean;
  op?: Operation;
}

export interface ChangeSetRecord {
  id: string;
  name: string;
  stackId: string;
  region: string;
  status: string;
  statusReason?: string;
  executionStatus: string;
  templateBody: string;
  validated: Validated;
  changes: ResourceChange[];
  createdAt: number;
  createTime: string;
  timeoutInMinutes: number;
  disableRollback: boolean;
}

/** What `failWhen` sees of a resource operation. */
export interface ResourceOperation {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly action: 'CREATE' | 'UPDATE' | 'DELETE';
}

export interface EngineOptions {
  readonly accountId: string;
  readonly stepMs: number;
  readonly now: () => number;
  readonly random: () => number;
  /** Makes one resource operation fail with this reason. @default - none fail */
  readonly failWhen?: (op: ResourceOperation) => string | undefined;
}

const NAMED_RESOURCES: ReadonlyMap<string, NamedResourceType> = new Map(NAMED_RESOURCE_TYPES.map((t) => [t.type, t]));

/** The key two resources share when their names clash (same type, same scope, same parent, same name). */
function nameScopeKey(type: string, properties: Record<string, unknown>, where: { accountId: string; region: string }): string | undefined {
  const rule = NAMED_RESOURCES.get(type);
  const name = rule ? properties[rule.nameProperty] : undefined;
  if (!rule || typeof name !== 'string' || name === '') return undefined;
  const within = rule.withinProperty !== undefined ? properties[rule.withinProperty] : '';
  if (typeof within !== 'string') return undefined;
  const scope = rule.scope === 'global' ? '*' : rule.scope === 'account' ? where.accountId : `${where.accountId}/${where.region}`;
  return JSON.stringify([type, scope, within, name]);
}

const NAME_ATTRIBUTES = new Set([
  'RoleName', 'UserName', 'GroupName', 'PolicyName', 'BucketName', 'Name', 'QueueName', 'TopicName', 'ServiceName',
  'FunctionName', 'InstanceName', 'TableName', 'TriggerName',
]);

/** `2021-12-01T02:20:56`: ROS's time format (UTC, seconds, no zone letter). */
export function rosTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function deepCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class StackEngine {
  private readonly stacks: StackRecord[] = [];
  private readonly changeSets = new Map<string, ChangeSetRecord>();

  constructor(private readonly options: EngineOptions) {}

  /** Every stack ever created (deleted ones too), oldest first. */
  all(): readonly StackRecord[] {
    return this.stacks;
  }

  /** Runs every operation step whose time has come. */
  advance(): void {
    const now = this.options.now();
    for (const stack of this.stacks) {
      const op = stack.op;
      if (!op) continue;
      const due = this.options.stepMs <= 0 ? Infinity : Math.floor((now - op.startedAt) / this.options.stepMs) + 1;
      while (stack.op === op && op.next < op.steps.length && op.next < due) op.steps[op.next++]();
      if (stack.op === op && op.next >= op.steps.length) stack.op = undefined;
    }
    for (const cs of this.changeSets.values()) {
      if (cs.status === 'CREATE_IN_PROGRESS' && now - cs.createdAt >= this.options.stepMs) {
        cs.status = 'CREATE_COMPLETE';
        cs.executionStatus = 'AVAILABLE';
      }
    }
  }

  find(idOrName: string, region: string): StackRecord {
    const stack = this.stacks.find((s) => !s.deleted && s.region === region && (s.id === idOrName || s.name === idOrName));
    if (!stack) throw rosErrors.stackNotFound(idOrName);
    return stack;
  }

  live(region: string): StackRecord[] {
    return this.stacks.filter((s) => !s.deleted && s.region === region);
  }

  create(input: { name: string; region: string; body: string; validated: Validated; disableRollback: boolean; timeoutInMinutes: number }): StackRecord {
    if (this.live(input.region).some((s) => s.name === input.name)) throw rosErrors.stackExists(input.name);
    const now = this.options.now();
    const stack: StackRecord = {
      id: `${hexId(this.options.random, 8)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 12)}`,
      name: input.name,
      region: input.region,
      status: 'CREATE_IN_PROGRESS',
      statusReason: 'Stack CREATE started',
      templateBody: input.body,
      template: { ROSTemplateFormatVersion: '2015-09-01', Resources: {} },
      parameters: {},
      resources: new Map(),
      events: [],
      disableRollback: input.disableRollback,
      timeoutInMinutes: input.timeoutInMinutes,
      createTime: rosTime(now),
      deleted: false,
    };
    this.stacks.push(stack);
    this.start(stack, 'CREATE', input.validated, input.body);
    return stack;
  }

  createChangeSet(stack: StackRecord, input: { name: string; body: string; validated: Validated; timeoutInMinutes: number; disableRollback: boolean }): ChangeSetRecord {
    this.assertIdle(stack);
    if (input.body === stack.templateBody && sameParameters(input.validated.parameters, stack.parameters)) throw rosErrors.sameStack();
    const now = this.options.now();
    const cs: ChangeSetRecord = {
      id: `${hexId(this.options.random, 8)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 12)}`,
      name: input.name,
      stackId: stack.id,
      region: stack.region,
      status: 'CREATE_IN_PROGRESS',
      executionStatus: 'UNAVAILABLE',
      templateBody: input.body,
      validated: input.validated,
      changes: this.changesOf(stack, input.validated),
      createdAt: now,
      createTime: rosTime(now),
      timeoutInMinutes: input.timeoutInMinutes,
      disableRollback: input.disableRollback,
    };
    this.changeSets.set(cs.id, cs);
    return cs;
  }

  changeSet(id: string): ChangeSetRecord {
    const cs = this.changeSets.get(id);
    if (!cs) throw rosErrors.changeSetNotFound(id);
    return cs;
  }

  deleteChangeSet(id: string): void {
    const cs = this.changeSet(id);
    if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') throw rosErrors.changeSetNotExecutable(id, 'it is being executed');
    this.changeSets.delete(id);
  }

  execute(cs: ChangeSetRecord): StackRecord {
    const stack = this.stacks.find((s) => s.id === cs.stackId && !s.deleted);
    if (!stack) throw rosErrors.stackNotFound(cs.stackId);
    if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
      throw rosErrors.changeSetNotExecutable(cs.id, `its status is ${cs.status} and its execution status ${cs.executionStatus}`);
    }
    this.assertIdle(stack);
    for (const other of this.changeSets.values()) {
      if (other.stackId === stack.id && other !== cs && other.executionStatus === 'AVAILABLE') other.executionStatus = 'OBSOLETE';
    }
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    stack.disableRollback = cs.disableRollback;
    stack.timeoutInMinutes = cs.timeoutInMinutes;
    this.start(stack, 'UPDATE', cs.validated, cs.templateBody, (ok) => {
      cs.executionStatus = ok ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    });
    return stack;
  }

  delete(stack: StackRecord): void {
    this.assertIdle(stack, true);
    const order = this.existingOrder(stack).reverse();
    const steps: Array<() => void> = [
      () => {
        stack.status = 'DELETE_IN_PROGRESS';
        stack.statusReason = 'Stack DELETE started';
        this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'Stack DELETE started');
      },
    ];
    for (const id of order) {
      steps.push(() => this.resourceEvent(stack, stack.resources.get(id)!, 'DELETE_IN_PROGRESS', 'state changed'));
      steps.push(() => {
        const r = stack.resources.get(id)!;
        const reason = this.options.failWhen?.({ stackName: stack.name, logicalId: id, type: r.type, action: 'DELETE' });
        if (reason !== undefined) {
          this.resourceEvent(stack, r, 'DELETE_FAILED', reason);
          stack.status = 'DELETE_FAILED';
          stack.statusReason = `Resource DELETE failed: ${id}: ${reason}`;
          this.stackEvent(stack, 'DELETE_FAILED', stack.statusReason);
          stack.op!.steps.splice(stack.op!.next);
          return;
        }
        this.resourceEvent(stack, r, 'DELETE_COMPLETE', 'state changed');
        stack.resources.delete(id);
      });
    }
    steps.push(() => {
      stack.status = 'DELETE_COMPLETE';
      stack.statusReason = 'Stack DELETE completed successfully';
      this.stackEvent(stack, 'DELETE_COMPLETE', stack.statusReason);
      stack.deleted = true;
    });
    this.run(stack, steps);
  }

  /** Resource changes a template would make, in the shape of ROS's change set `Changes`. */
  changesOf(stack: StackRecord, next: Validated): ResourceChange[] {
    const changes: ResourceChange[] = [];
    const oldResources = stack.template.Resources;
    const newResources = next.template.Resources;
    const changedParameters = new Set(
      [...new Set([...Object.keys(stack.parameters), ...Object.keys(next.parameters)])].filter((k) => stack.parameters[k] !== next.parameters[k]),
    );
    for (const id of Object.keys(newResources).sort()) {
      const now = newResources[id];
      const before = oldResources[id];
      const existing = stack.resources.get(id);
      if (!before || !existing) {
        changes.push({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: now.Type } });
        continue;
      }
      // A new Type under the same logical id can only be a new resource: report it as a replacement.
      const changed = before.Type !== now.Type ? ['Type'] : changedProperties(before.Properties ?? {}, now.Properties ?? {});
      const viaParameters = Object.keys(now.Properties ?? {}).filter((p) =>
        !changed.includes(p) && references((now.Properties ?? {})[p]).some((r) => r.kind === 'Ref' && changedParameters.has(r.target)));
      if (changed.length === 0 && viaParameters.length === 0) continue;
      const info = typeInfo(now.Type);
      const nameProperty = NAMED_RESOURCES.get(now.Type)?.nameProperty;
      const replaces = (p: string) => p === 'Type' || p === nameProperty || info?.replacesOnChange(p) === true;
      const all = [...changed, ...viaParameters];
      changes.push({
        Type: 'Resource',
        ResourceChange: {
          Action: 'Modify',
          LogicalResourceId: id,
          PhysicalResourceId: existing.physicalId,
          ResourceType: now.Type,
          Replacement: all.some(replaces) ? 'True' : 'False',
          Scope: ['Properties'],
          Details: all.map((p) => ({
            ChangeSource: changed.includes(p) ? 'DirectModification' : 'ParameterReference',
            Evaluation: 'Static',
            Target: { Attribute: 'Properties', Name: p, RequiresRecreation: replaces(p) ? 'Always' : 'Never' },
          })),
        },
      });
    }
    for (const id of Object.keys(oldResources).sort()) {
      const existing = stack.resources.get(id);
      if (!(id in newResources) && existing) changes.push(removal(id, oldResources[id].Type, existing.physicalId));
    }
    return changes;
  }

  private assertIdle(stack: StackRecord, deleting = false): void {
    if (stack.op || stack.status.endsWith('_IN_PROGRESS')) throw rosErrors.actionInProgress(stack.name, stack.status);
    if (!deleting && stack.status.startsWith('DELETE_')) throw rosErrors.actionInProgress(stack.name, stack.status);
  }

  private run(stack: StackRecord, steps: Array<() => void>): void {
    stack.op = { steps, next: 0, startedAt: this.options.now() };
    // The first step (the stack's own IN_PROGRESS event) happens as the request is answered, as in ROS.
    stack.op.steps[stack.op.next++]();
  }

  private existingOrder(stack: StackRecord): string[] {
    return dependencyOrder(stack.template).filter((id) => stack.resources.has(id));
  }

  /** CREATE or UPDATE the stack to `next`; rolls back to what it was on a resource failure unless disabled. */
  private start(stack: StackRecord, action: 'CREATE' | 'UPDATE', next: Validated, body: string, done?: (ok: boolean) => void): void {
    const snapshot = {
      template: deepCopy(stack.template),
      templateBody: stack.templateBody,
      parameters: { ...stack.parameters },
      resources: new Map([...stack.resources].map(([k, v]) => [k, deepCopy(v)])),
      outputs: stack.outputs,
    };
    const changes = action === 'UPDATE' ? this.changesOf(stack, next) : [];
    const order = dependencyOrder(next.template);
    const byId = new Map(changes.map((c) => [c.ResourceChange.LogicalResourceId, c.ResourceChange]));
    const created: string[] = [];
    const steps: Array<() => void> = [
      () => {
        stack.status = `${action}_IN_PROGRESS`;
        stack.statusReason = `Stack ${action} started`;
        stack.parameters = { ...next.parameters };
        if (action === 'UPDATE') stack.updateTime = rosTime(this.options.now());
        this.stackEvent(stack, `${action}_IN_PROGRESS`, stack.statusReason);
      },
    ];
    const fail = (r: ResourceState, status: string, reason: string) => {
      this.resourceEvent(stack, r, status, reason);
      const op = stack.op!;
      op.steps.splice(op.next);
      const why = `Resource ${status.replace('_FAILED', '')} failed: ${r.logicalId}: ${reason}`;
      if (stack.disableRollback) {
        stack.status = `${action}_FAILED`;
        stack.statusReason = why;
        this.stackEvent(stack, stack.status, why);
        done?.(false);
        return;
      }
      op.steps.push(() => {
        stack.status = 'ROLLBACK_IN_PROGRESS';
        stack.statusReason = why;
        this.stackEvent(stack, 'ROLLBACK_IN_PROGRESS', why);
      });
      for (const id of [...created].reverse()) {
        op.steps.push(() => this.resourceEvent(stack, stack.resources.get(id)!, 'DELETE_IN_PROGRESS', 'rollback'));
        op.steps.push(() => {
          this.resourceEvent(stack, stack.resources.get(id)!, 'DELETE_COMPLETE', 'rollback');
          stack.resources.delete(id);
        });
      }
      op.steps.push(() => {
        stack.template = snapshot.template;
        stack.templateBody = snapshot.templateBody;
        stack.parameters = snapshot.parameters;
        stack.resources = snapshot.resources;
        stack.outputs = snapshot.outputs;
        stack.status = 'ROLLBACK_COMPLETE';
        stack.statusReason = why;
        this.stackEvent(stack, 'ROLLBACK_COMPLETE', why);
        done?.(false);
      });
    };
    const scope = this.scope(stack);
    for (const id of order) {
      const decl = next.template.Resources[id];
      const change = action === 'CREATE' ? { Action: 'Add' as const } : byId.get(id);
      if (!change || change.Action === 'Remove') continue;
      const verb = change.Action === 'Add' ? 'CREATE' : 'UPDATE';
      const pending: ResourceState = { logicalId: id, type: decl.Type, physicalId: stack.resources.get(id)?.physicalId ?? '', attributes: {}, properties: {}, status: '', statusReason: '' };
      steps.push(() => this.resourceEvent(stack, stack.resources.get(id) ?? pending, `${verb}_IN_PROGRESS`, 'state changed'));
      steps.push(() => {
        const properties = resolve(decl.Properties ?? {}, scope) as Record<string, unknown>;
        const replaced = change.Action === 'Modify' && change.Replacement === 'True';
        const key = nameScopeKey(decl.Type, properties, { accountId: this.options.accountId, region: stack.region });
        const clash = key === undefined ? undefined : this.holder(key, stack, id);
        const target = stack.resources.get(id) ?? pending;
        if (clash) {
          const rule = NAMED_RESOURCES.get(decl.Type)!;
          fail({ ...target, properties }, `${verb}_FAILED`,
            `${rule.label} name ${JSON.stringify(properties[rule.nameProperty])} is already used by ${clash.resource.logicalId} of stack ${clash.stack.name}`);
          return;
        }
        const reason = this.options.failWhen?.({ stackName: stack.name, logicalId: id, type: decl.Type, action: verb });
        if (reason !== undefined) {
          fail({ ...target, properties }, `${verb}_FAILED`, reason);
          return;
        }
        const fresh = change.Action === 'Add' || replaced;
        const state = fresh ? this.physical(stack, id, decl.Type, properties) : { ...target, properties };
        if (!fresh) state.name = stringName(decl.Type, properties);
        state.scopeKey = key;
        state.status = `${verb}_COMPLETE`;
        stack.resources.set(id, state);
        if (change.Action === 'Add') created.push(id);
        this.resourceEvent(stack, state, `${verb}_COMPLETE`, 'state changed');
      });
    }
    if (action === 'UPDATE') {
      const removed = dependencyOrder(stack.template).reverse().filter((id) => !(id in next.template.Resources) && stack.resources.has(id));
      for (const id of removed) {
        steps.push(() => this.resourceEvent(stack, stack.resources.get(id)!, 'DELETE_IN_PROGRESS', 'state changed'));
        steps.push(() => {
          this.resourceEvent(stack, stack.resources.get(id)!, 'DELETE_COMPLETE', 'state changed');
          stack.resources.delete(id);
        });
      }
    }
    steps.push(() => {
      stack.template = next.template;
      stack.templateBody = body;
      stack.outputs = Object.entries(next.template.Outputs ?? {}).map(([key, o]) => ({
        OutputKey: key,
        OutputValue: resolve(o.Value, scope),
        ...(o.Description !== undefined ? { Description: o.Description } : {}),
      }));
      stack.status = `${action}_COMPLETE`;
      stack.statusReason = `Stack ${action} completed successfully`;
      this.stackEvent(stack, stack.status, stack.statusReason);
      done?.(true);
    });
    this.run(stack, steps);
  }

  /** The live resource (of any stack) holding a name key, other than `id` of `stack` itself. */
  private holder(key: string, stack: StackRecord, id: string): { stack: StackRecord; resource: ResourceState } | undefined {
    for (const s of this.stacks) {
      if (s.deleted) continue;
      for (const r of s.resources.values()) {
        if (r.scopeKey === key && !(s === stack && r.logicalId === id)) return { stack: s, resource: r };
      }
    }
    return undefined;
  }

  private scope(stack: StackRecord): ResolveScope {
    const self = this;
    return {
      get parameters() {
        return {
          ...stack.parameters,
          'ALIYUN::StackName': stack.name,
          'ALIYUN::StackId': stack.id,
          'ALIYUN::Region': stack.region,
          'ALIYUN::AccountId': self.options.accountId,
          'ALIYUN::TenantId': self.options.accountId,
          'ALIYUN::NoValue': '',
        };
      },
      ref: (id) => stack.resources.get(id)?.physicalId,
      attribute: (id, name) => stack.resources.get(id)?.attributes[name] ?? `<unresolved ${id}.${name}>`,
    };
  }

  /** A new physical resource: its id (the name for named types) and attributes ROS would report. */
  private physical(stack: StackRecord, logicalId: string, type: string, properties: Record<string, unknown>): ResourceState {
    const name = stringName(type, properties);
    const generated = hexId(this.options.random, 16);
    const physicalId = type === 'ALIYUN::MPS::Pipeline' || name === undefined ? generated : name;
    const account = this.options.accountId;
    const region = stack.region;
    const attributes: Record<string, unknown> = {};
    for (const attr of typeInfo(type)?.attributes ?? []) {
      if (NAME_ATTRIBUTES.has(attr)) attributes[attr] = name ?? properties[attr] ?? physicalId;
      else if (attr === 'Arn' || attr === 'ARN') attributes[attr] = arnOf(type, name ?? physicalId, account, region, logicalId);
      else if (attr === 'PipelineId') attributes[attr] = physicalId;
      else if (attr === 'RoleId' || attr === 'UserId' || attr === 'PolicyId') attributes[attr] = String(Math.floor(this.options.random() * 1e16)).padStart(16, '1');
      else if (attr === 'DomainName' && type === 'ALIYUN::OSS::Bucket') attributes[attr] = `${name}.oss-${region}.aliyuncs.com`;
      else if (attr === 'InternalDomainName' && type === 'ALIYUN::OSS::Bucket') attributes[attr] = `${name}.oss-${region}-internal.aliyuncs.com`;
      else attributes[attr] = typeof properties[attr] === 'string' ? properties[attr] : `${physicalId}/${attr}`;
    }
    return { logicalId, type, physicalId, attributes, properties, status: '', statusReason: '', name };
  }

  private stackEvent(stack: StackRecord, status: string, reason: string): void {
    this.push(stack, { LogicalResourceId: stack.name, PhysicalResourceId: stack.id, ResourceType: 'ALIYUN::ROS::Stack', Status: status, StatusReason: reason });
  }

  private resourceEvent(stack: StackRecord, r: ResourceState, status: string, reason: string): void {
    r.status = status;
    r.statusReason = reason;
    this.push(stack, { LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: r.type, Status: status, StatusReason: reason });
  }

  private push(stack: StackRecord, e: Omit<StackEvent, 'EventId' | 'StackId' | 'StackName' | 'CreateTime'>): void {
    stack.events.push({
      EventId: `${hexId(this.options.random, 8)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 4)}-${hexId(this.options.random, 12)}`,
      StackId: stack.id,
      StackName: stack.name,
      CreateTime: rosTime(this.options.now()),
      ...e,
    });
  }
}

function removal(id: string, type: string, physicalId: string): ResourceChange {
  return { Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: id, PhysicalResourceId: physicalId, ResourceType: type } };
}

function stringName(type: string, properties: Record<string, unknown>): string | undefined {
  const rule = NAMED_RESOURCES.get(type);
  const v = rule ? properties[rule.nameProperty] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function arnOf(type: string, name: string, account: string, region: string, logicalId: string): string {
  switch (type) {
    case 'ALIYUN::RAM::Role': return `acs:ram::${account}:role/${name.toLowerCase()}`;
    case 'ALIYUN::RAM::User': return `acs:ram::${account}:user/${name}`;
    case 'ALIYUN::RAM::Group': return `acs:ram::${account}:group/${name}`;
    case 'ALIYUN::MNS::Queue': return `acs:mns:${region}:${account}:/queues/${name}`;
    case 'ALIYUN::MNS::Topic': return `acs:mns:${region}:${account}:/topics/${name}`;
    case 'ALIYUN::FC3::Function': return `acs:fc:${region}:${account}:functions/${name}`;
    default: return `acs:ros:${region}:${account}:${logicalId}/${name}`;
  }
}

function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function sameParameters(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
