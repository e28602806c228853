import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
// readResource: how RAM matches a resource pattern, the same reading the policy reviewer uses, so a grant is refused
// for exactly what the reviewer reports.
import { type Api, type ApiAction, isApi, OPERATION_SCOPED_SERVICES, RAM_LIMITS, RAM_ROLE_NAME_PATTERN, ramActionOf } from '../service';
import { readResource } from '../service/ram-patterns';
import { propError, uniqueLogicalId } from './naming';
import { physicalNameFor } from './physical-name';

/**
 * RAM condition block: operator → condition key → value(s), e.g.
 * `{ Bool: { 'acs:SecureTransport': 'true' } }` or `{ StringLike: { 'oss:Prefix': ['in/*'] } }`.
 */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | number | boolean | readonly string[]>>>>;

/** One Allow statement as a grant asks for it; merging and sorting happen when the policy renders. */
export interface GrantStatement {
  /** Exact operations (`service:Operation`); wildcards are rejected. */
  readonly actions: readonly string[];
  /** Resource ARNs (may contain tokens); `"*"` only for services that authorize by operation only. */
  readonly resources: readonly string[];
  /**
   * Conditions every request must satisfy.
   * @default - no condition
   */
  readonly conditions?: PolicyConditions;
}

/** A RAM role that can receive Allow statements. */
export interface IRolePrincipal {
  /** Name of the role (a token when the stack creates the role). */
  readonly roleName: string;
  /**
   * The managed policy the statements land in, once there is one.
   * @default - none: the principal keeps its statements elsewhere
   */
  readonly managedPolicy?: ros.RosResource;
  /** Adds Allow statements to the one managed policy of this role. */
  addStatements(...statements: GrantStatement[]): void;
}

/**
 * What one grant gave: the statement (actions, resources, conditions), the grantee it was asked for, the role it landed
 * on and the policy that holds it. Every grant function and method returns one.
 */
export interface Grant extends GrantStatement {
  /** Who the permission was asked for. */
  readonly grantee: IGrantable;
  /** The role the statement was added to (`grantee.grantPrincipal`). */
  readonly principal: IRolePrincipal;
  /**
   * The managed policy holding the statement: what a resource that needs the permission at creation (a function
   * checking its destination) must be created after.
   * @default - none, for a principal that reports no policy of its own
   */
  readonly policy?: ros.RosResource;
}

/** Anything that can be granted permissions: it names the role the statements land on. */
export interface IGrantable {
  readonly grantPrincipal: IRolePrincipal;
}

/** Prefix of generated managed policy names. */
export const DEFAULT_POLICY_NAME_PREFIX = 'iprod';

const POLICY_NAME_PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const ACTION_PATTERN = /^[a-z][a-z0-9-]*:[A-Za-z][A-Za-z0-9]*$/;

/** Which API an intelligent-production grant is for. */
export interface IProductionGrantOptions {
  /**
   * `ice` (Intelligent Media Services 2020-11-09) or `mts` (MPS 2014-06-18).
   * @default 'ice'
   */
  readonly api?: Api;
}

/**
 * The one function every grant goes through: validates the request and hands one Allow statement to the grantee's
 * role.
 *
 * @throws when an action is empty, malformed or a wildcard, when `resources` is empty, or when `"*"` is asked for a
 *   service that supports resource-level authorization.
 */
export function grant(
  grantee: IGrantable,
  actions: readonly string[],
  resources: readonly string[],
  conditions?: PolicyConditions,
): Grant {
  const statement: GrantStatement = {
    actions: [...actions],
    resources: [...resources],
    ...(conditions === undefined ? {} : { conditions }),
  };
  validateStatement(statement);
  const principal = grantee.grantPrincipal;
  principal.addStatements(statement);
  const policy = principal.managedPolicy;
  return { ...statement, grantee, principal, ...(policy === undefined ? {} : { policy }) };
}

/**
 * @internal The generic `grant(grantee, ...actions)` of an L2: the actions must be `service`'s (a bucket takes `oss:`
 * actions, a queue `mns:` ones), so a grant cannot name a resource of one service for the actions of another.
 */
export function grantOn(
  scope: ros.IConstruct,
  service: string,
  grantee: IGrantable,
  actions: readonly string[],
  resources: readonly string[],
): Grant {
  if (actions.length === 0) throw propError(scope, 'actions', 'must list at least one action', actions);
  const foreign = actions.find((a) => typeof a !== 'string' || a.split(':')[0] !== service);
  if (foreign !== undefined) throw propError(scope, 'actions', `must be ${service}: actions (the grant is on this resource)`, foreign);
  return grant(grantee, actions, resources);
}

/**
 * Lets the grantee submit intelligent production jobs.
 * Gives `ice:SubmitIProductionJob` (api `ice`, the default) or `mts:SubmitIProductionJob` (api `mts`) on `"*"`.
 */
export function grantSubmitIProductionJob(grantee: IGrantable, options: IProductionGrantOptions = {}): Grant {
  return grantApiAction(grantee, apiOf(options), 'SubmitIProductionJob');
}

/**
 * Lets the grantee read intelligent production jobs.
 * Gives `ice:QueryIProductionJob` (api `ice`, the default) or `mts:QueryIProductionJob` (api `mts`) on `"*"`.
 */
export function grantQueryIProductionJob(grantee: IGrantable, options: IProductionGrantOptions = {}): Grant {
  return grantApiAction(grantee, apiOf(options), 'QueryIProductionJob');
}

/** Lets the grantee submit timeline editing jobs. Gives `ice:SubmitMediaProducingJob` on `"*"`. */
export function grantSubmitMediaProducingJob(grantee: IGrantable): Grant {
  return grantApiAction(grantee, 'ice', 'SubmitMediaProducingJob');
}

/** Lets the grantee read timeline editing jobs. Gives `ice:GetMediaProducingJob` on `"*"`. */
export function grantGetMediaProducingJob(grantee: IGrantable): Grant {
  return grantApiAction(grantee, 'ice', 'GetMediaProducingJob');
}

/** ICE and MPS authorize by operation only (FACTS.md): the one Resource that works is `"*"`. */
function grantApiAction(grantee: IGrantable, api: Api, action: ApiAction): Grant {
  return grant(grantee, [ramActionOf(api, action)], ['*']);
}

/** Properties of a {@link RolePrincipal}: exactly one of `role` and `roleName`. */
export interface RolePrincipalProps {
  /**
   * A role this stack creates; the policy attaches to it through its `RoleName` attribute, so ROS creates the role
   * first.
   * @default - none; then `roleName` is required
   */
  readonly role?: ram.Role | ram.RosRole;
  /**
   * Name of a role that exists outside this stack.
   * @default - none; then `role` is required
   */
  readonly roleName?: string;
  /**
   * Prefix of the generated managed policy name (letters, digits, hyphens).
   * @default DEFAULT_POLICY_NAME_PREFIX ('iprod')
   */
  readonly policyNamePrefix?: string;
}

/** A rendered (resolved) statement, with the camelCase keys ros-cdk-ram's L1 takes. */
export interface RenderedStatement {
  effect: 'Allow';
  action: string[];
  resource: unknown[];
  condition?: unknown;
}

/**
 * A RAM role that collects grants into exactly one `ALIYUN::RAM::ManagedPolicy` (child id `Policy`), named
 * deterministically from the construct path and attached through its `Roles` property. Statements with the same
 * resources and conditions merge into one with sorted actions, and the document renders lazily, so grants made
 * after the policy exists still land in it. No policy is created until the first grant.
 */
export class RolePrincipal extends ros.Construct implements IRolePrincipal, IGrantable {
  /** Wraps a role that exists outside this stack. */
  public static fromRoleName(scope: ros.Construct, id: string, roleName: string): RolePrincipal {
    return new RolePrincipal(scope, id, { roleName });
  }

  public readonly roleName: string;
  public readonly grantPrincipal: IRolePrincipal = this;
  /** Deterministic name of the managed policy (whether or not a grant has created it yet). */
  public readonly policyName: string;

  private readonly statements: GrantStatement[] = [];
  private policy?: ram.RosManagedPolicy;

  constructor(scope: ros.Construct, id: string, props: RolePrincipalProps = {}) {
    super(scope, id);
    const where = `RolePrincipal '${this.node.path}'`;
    if ((props.role === undefined) === (props.roleName === undefined)) {
      throw new Error(`${where}: exactly one of role and roleName must be given, got ${props.role === undefined ? 'neither' : 'both'}`);
    }
    if (props.roleName !== undefined) {
      validateRoleName(where, props.roleName);
      this.roleName = props.roleName;
    } else {
      this.roleName = ros.Token.asString(props.role!.attrRoleName);
    }
    const prefix = props.policyNamePrefix ?? DEFAULT_POLICY_NAME_PREFIX;
    if (!POLICY_NAME_PREFIX_PATTERN.test(prefix) || prefix.length > 32) {
      throw new Error(`${where}: policyNamePrefix must be 1-32 letters, digits or hyphens starting with a letter or digit, got '${prefix}'`);
    }
    this.policyName = policyNameFor(prefix, this.node.path);
  }

  public addStatements(...statements: GrantStatement[]): void {
    for (const s of statements) {
      validateStatement(s);
      this.statements.push({
        actions: [...s.actions],
        resources: [...s.resources],
        ...(s.conditions === undefined ? {} : { conditions: s.conditions }),
      });
    }
    if (this.statements.length > 0 && this.policy === undefined) {
      this.policy = new ram.RosManagedPolicy(this, uniqueLogicalId(this, 'Policy'), {
        policyName: this.policyName,
        description: `Grants of ${truncate(this.node.path, 900)} (generated by ros-cdk-iproduction)`,
        roles: [this.roleName],
        policyDocument: ros.Lazy.anyValue({
          produce: (context) => this.renderDocument((x) => context.resolve(x)),
        }) as unknown as ram.RosManagedPolicy.PolicyDocumentProperty,
      }, true);
    }
  }

  /** The managed policy, once a grant has created it. */
  public get managedPolicy(): ram.RosManagedPolicy | undefined {
    return this.policy;
  }

  /**
   * The merged statements as they will render (resolved to template values), for reports and tests.
   */
  public renderStatements(): RenderedStatement[] {
    const stack = ros.Stack.of(this);
    return this.renderDocument((x) => stack.resolve(x)).statement;
  }

  protected validate(): string[] {
    if (this.policy === undefined) {
      return [];
    }
    const stack = ros.Stack.of(this);
    const doc = this.renderDocument((x) => stack.resolve(x));
    // Size as RAM sees it: the PascalCase document, compact JSON. Intrinsics (region/account) count as their JSON,
    // which overestimates their deployed length slightly: erring towards the warning is the safe side.
    const size = JSON.stringify(toPascalDocument(doc)).length;
    const { policyDocumentMaxChars: max, policyDocumentLegacyMaxChars: legacyMax } = RAM_LIMITS;
    if (size > max) {
      return [`policy ${this.policyName} is ${size} characters, over the RAM limit of ${max}: split the grants over more roles`];
    }
    if (size > legacyMax) {
      this.node.addWarning(`policy ${this.policyName} is ${size} characters: over the ${legacyMax} characters an older RAM page documents (current limit ${max})`);
    }
    return [];
  }

  private renderDocument(resolve: (x: unknown) => unknown): { version: string; statement: RenderedStatement[] } {
    const merged = new Map<string, { resource: unknown[]; condition?: unknown; actions: Set<string> }>();
    for (const s of this.statements) {
      const resource = sortedUnique(s.resources.map((r) => resolve(r)));
      const condition = s.conditions === undefined ? undefined : canonical(resolve(s.conditions));
      const key = stableJson([resource, condition ?? null]);
      let entry = merged.get(key);
      if (entry === undefined) {
        entry = { resource, condition, actions: new Set() };
        merged.set(key, entry);
      }
      s.actions.forEach((a) => entry!.actions.add(a));
    }
    const statement = [...merged.values()]
      .map((e): RenderedStatement => ({
        effect: 'Allow',
        action: [...e.actions].sort(),
        resource: e.resource,
        ...(e.condition === undefined ? {} : { condition: e.condition }),
      }))
      .sort((a, b) => compare(stableJson([a.action, a.resource, a.condition ?? null]), stableJson([b.action, b.resource, b.condition ?? null])));
    return { version: RAM_LIMITS.policyVersion, statement };
  }
}

function apiOf(options: IProductionGrantOptions): Api {
  const api = options.api ?? 'ice';
  if (!isApi(api)) {
    throw new Error(`api must be one of ice, mts, got '${String(api)}'`);
  }
  return api;
}

function validateStatement(s: GrantStatement): void {
  if (!Array.isArray(s.actions) || s.actions.length === 0) {
    throw new Error(`grant: actions must list at least one action, got ${JSON.stringify(s.actions)}`);
  }
  for (const action of s.actions) {
    if (typeof action !== 'string' || ros.Token.isUnresolved(action) || !ACTION_PATTERN.test(action)) {
      throw new Error(`grant: actions must name single operations as 'service:Operation' (no wildcards), got '${String(action)}'`);
    }
  }
  if (!Array.isArray(s.resources) || s.resources.length === 0) {
    throw new Error(`grant: resources must list at least one resource, got ${JSON.stringify(s.resources)}`);
  }
  for (const resource of s.resources) {
    if (typeof resource !== 'string' || resource.length === 0) {
      throw new Error(`grant: resources must be non-empty strings, got ${JSON.stringify(resource)}`);
    }
  }
  if (s.resources.includes('*')) {
    const scoped = s.actions.find((a) => !OPERATION_SCOPED_SERVICES.includes(a.split(':')[0]));
    if (scoped !== undefined) {
      throw new Error(`grant: resource "*" is only allowed for services that authorize by operation only (${OPERATION_SCOPED_SERVICES.join(', ')}), got action '${scoped}'`);
    }
    if (s.resources.length > 1) {
      throw new Error(`grant: resource "*" already covers every resource and must stand alone, got ${JSON.stringify(s.resources)}`);
    }
  }
  for (const resource of s.resources) {
    if (resource === '*') continue;
    for (const action of s.actions) {
      const service = action.split(':')[0];
      if (OPERATION_SCOPED_SERVICES.includes(service)) continue;
      const reading = readResource(resource, service);
      if (reading.reach === 'every' || reading.reach === 'pattern') {
        throw new Error(`grant: resources must name specific resources for ${service}, which authorizes per resource `
          + `(no wildcard where a bucket, queue, function or role name goes), got '${resource}' for action '${action}': ${reading.why}`);
      }
    }
  }
  if (s.conditions !== undefined && (typeof s.conditions !== 'object' || s.conditions === null || Array.isArray(s.conditions))) {
    throw new Error(`grant: conditions must be an object of operator → key → value, got ${JSON.stringify(s.conditions)}`);
  }
}

function validateRoleName(where: string, roleName: string): void {
  if (ros.Token.isUnresolved(roleName)) {
    return;
  }
  const max = RAM_LIMITS.roleNameMaxChars;
  if (typeof roleName !== 'string' || roleName.length < 1 || roleName.length > max || !RAM_ROLE_NAME_PATTERN.test(roleName)) {
    throw new Error(`${where}: roleName must be 1-${max} letters, digits, '.' or '-', got '${String(roleName)}'`);
  }
}

/** Deterministic managed policy name for a construct path (letters, digits, hyphens; at most 128 characters). */
export function policyNameFor(prefix: string, constructPath: string): string {
  return physicalNameFor(prefix, constructPath, RAM_LIMITS.policyNameMaxChars);
}

function toPascalDocument(doc: { version: string; statement: RenderedStatement[] }): unknown {
  return {
    Version: doc.version,
    Statement: doc.statement.map((s) => ({
      ...(s.condition === undefined ? {} : { Condition: s.condition }),
      Action: s.action,
      Resource: s.resource,
      Effect: s.effect,
    })),
  };
}

function sortedUnique(values: unknown[]): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const v of values) {
    byKey.set(stableJson(v), v);
  }
  return [...byKey.entries()].sort((a, b) => compare(a[0], b[0])).map(([, v]) => v);
}

/** Object keys sorted recursively and condition value lists sorted, so equal conditions compare equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((i) => typeof i === 'string') ? [...new Set(items as string[])].sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      out[k] = canonical((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}

function stableJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}
