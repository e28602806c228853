import * as ros from '@alicloud/ros-cdk-core';
import { renderStackTemplate } from './checks';
import { NAME_SCOPE_WORDS, NAMED_RESOURCE_TYPES, type NameScope, type NamedResourceType } from '../service/name-scopes';

/** One physical name a template creates, with where it deploys. */
export interface PhysicalName {
  readonly type: string;
  readonly label: string;
  readonly name: string;
  readonly scope: NameScope;
  /** The value of the type's `withinProperty` (FC 2.0: the service), when it has one and it is a literal. */
  readonly within?: string;
  /** The construct path of the resource, or `stack/logicalId` when read from a template alone. */
  readonly path: string;
  readonly stackName: string;
  /** `undefined` when the stack's region is not a literal (environment-agnostic). */
  readonly region?: string;
  /** `undefined` when the stack's account is not a literal. */
  readonly account?: string;
}

/** Where a template deploys, for `physicalNamesInTemplate`. */
export interface TemplatePlacement {
  readonly stackName: string;
  readonly region?: string;
  readonly account?: string;
}

const TYPES = new Map(NAMED_RESOURCE_TYPES.map((t) => [t.type, t]));

/**
 * The literal physical names of a resolved template's resources whose names must be unique (NAMED_RESOURCE_TYPES).
 * Names that are not plain strings (`Fn::Join`, parameters) cannot be compared at synth and are left out.
 */
export function physicalNamesInTemplate(
  template: unknown,
  placement: TemplatePlacement,
  pathOf: (logicalId: string) => string = (id) => `${placement.stackName}/${id}`,
): PhysicalName[] {
  const resources = ((template ?? {}) as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> }).Resources ?? {};
  const out: PhysicalName[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const rule: NamedResourceType | undefined = TYPES.get(String(resource?.Type));
    const name = resource?.Properties?.[rule?.nameProperty ?? ''];
    if (rule === undefined || typeof name !== 'string') continue;
    const within = rule.withinProperty !== undefined ? literalIn(resources, resource.Properties?.[rule.withinProperty]) : undefined;
    out.push({
      type: rule.type,
      label: rule.label,
      name,
      scope: rule.scope,
      ...(typeof within === 'string' ? { within } : {}),
      path: pathOf(logicalId),
      stackName: placement.stackName,
      ...(placement.region !== undefined ? { region: placement.region } : {}),
      ...(placement.account !== undefined ? { account: placement.account } : {}),
    });
  }
  return out;
}

/** A string value, or the literal property a `Fn::GetAtt` points at in the same template (FC: the service's name). */
function literalIn(resources: Record<string, { Properties?: Record<string, unknown> }>, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (!Array.isArray(getAtt) || getAtt.length !== 2) return undefined;
  const target = resources[String(getAtt[0])]?.Properties?.[String(getAtt[1])];
  return typeof target === 'string' ? target : undefined;
}

/** Two resources that create the same name where it must be unique. */
export interface NameCollision {
  readonly name: string;
  readonly label: string;
  readonly scope: NameScope;
  readonly first: PhysicalName;
  readonly second: PhysicalName;
  /**
   * `true` when both deploy to the same place (same literal region and account, or both unresolved); `false` when
   * they might (a region, an account or an FC service is a literal in one and unresolved in the other), which the
   * check reports as a warning.
   */
  readonly certain: boolean;
}

/**
 * `same` when both are the same literal or both unresolved, `differ` when both are different literals, `maybe` when
 * only one is unresolved. Assumed (no source): stacks whose account or region is unresolved deploy with one set of
 * credentials and one default region, so two unresolved ones are the same place.
 */
function compare(a: string | undefined, b: string | undefined): 'same' | 'differ' | 'maybe' {
  if (a === undefined && b === undefined) return 'same';
  if (a === undefined || b === undefined) return 'maybe';
  return a === b ? 'same' : 'differ';
}

/** Every pair of names that must differ and do not, in the order the names were given. */
export function findNameCollisions(names: readonly PhysicalName[]): NameCollision[] {
  const byName = new Map<string, PhysicalName[]>();
  for (const n of names) {
    const key = `${n.type}\u0000${n.name}`;
    byName.set(key, [...(byName.get(key) ?? []), n]);
  }
  const out: NameCollision[] = [];
  for (const group of byName.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i], group[j]];
        const dimensions = [
          ...(a.scope !== 'global' ? [compare(a.account, b.account)] : []),
          ...(a.scope === 'region' ? [compare(a.region, b.region)] : []),
          // Two unresolved services are not known to be one: that stays a possibility.
          ...(TYPES.get(a.type)?.withinProperty !== undefined ? [a.within === undefined && b.within === undefined ? 'maybe' as const : compare(a.within, b.within)] : []),
        ];
        if (dimensions.includes('differ')) continue;
        out.push({ name: a.name, label: a.label, scope: a.scope, first: a, second: b, certain: !dimensions.includes('maybe') });
      }
    }
  }
  return out;
}

function where(n: PhysicalName): string {
  return `${n.path} (stack ${n.stackName}, region ${n.region ?? 'unresolved'}${n.scope !== 'global' ? `, account ${n.account ?? 'unresolved'}` : ''})`;
}

/** The message for a collision: the name, where it must be unique, and both constructs. */
export function describeNameCollision(c: NameCollision): string {
  const what = `${c.label} name "${c.name}" must be unique ${NAME_SCOPE_WORDS[c.scope]}${c.first.within !== undefined ? ` (in service ${c.first.within})` : ''}`;
  const verb = c.certain ? 'but is created by both' : 'and may be created twice (a region, account or service is unresolved in one of them), by';
  return `${what} ${verb} ${where(c.first)} and ${where(c.second)}: give one of them another name or namePrefix`;
}

function literal(value: string): string | undefined {
  return ros.Token.isUnresolved(value) ? undefined : value;
}

/** Every literal physical name the app under `root` creates, each with its resource's construct path. */
export function physicalNamesOfApp(root: ros.IConstruct): PhysicalName[] {
  const byStack = new Map<ros.Stack, Map<string, string>>();
  for (const c of root.node.findAll()) {
    if (!ros.RosResource.isRosResource(c) || !TYPES.has(c.rosResourceType)) continue;
    const stack = ros.Stack.of(c);
    const paths = byStack.get(stack) ?? new Map<string, string>();
    paths.set(String(stack.resolve(c.logicalId)), c.node.path);
    byStack.set(stack, paths);
  }
  const out: PhysicalName[] = [];
  for (const [stack, paths] of byStack) {
    let template: unknown;
    try {
      template = renderStackTemplate(stack);
    } catch {
      continue; // a stack whose resources fail their own validators: synthesis reports that, better than we can
    }
    const placement = { stackName: stack.stackName, region: literal(stack.region), account: literal(stack.account) };
    out.push(...physicalNamesInTemplate(template, placement, (id) => paths.get(id) ?? `${stack.node.path}/${id}`));
  }
  return out;
}

const CHECK_ID = 'IProductionNameCheck';

/**
 * The app-wide physical-name check: at synth, fails when two resources anywhere in the app create the same name
 * where it must be unique (NAMED_RESOURCE_TYPES: OSS buckets globally, RAM names per account, MNS, FC, MPS and
 * Tablestore names per region), naming both constructs and the name; warns (construct metadata) when they may
 * clash because a region, account or service is unresolved. Every L1 this package creates enables it on its app;
 * `NameCheck.enable(app)` enables it for an app that has none of ours.
 */
export class NameCheck extends ros.Construct {
  /** Adds the check to the root of `scope`'s tree once; later calls answer the same check. */
  public static enable(scope: ros.IConstruct): NameCheck {
    const root = scope.node.root as ros.Construct;
    return (root.node.tryFindChild(CHECK_ID) as NameCheck | undefined) ?? new NameCheck(root, CHECK_ID);
  }

  private readonly warned = new Set<string>();

  private constructor(scope: ros.Construct, id: string) {
    super(scope, id);
  }

  /** The collisions of the app as it is now (certain and possible). */
  public collisions(): NameCollision[] {
    return findNameCollisions(physicalNamesOfApp(this.node.root));
  }

  protected validate(): string[] {
    const errors: string[] = [];
    for (const c of this.collisions()) {
      const message = describeNameCollision(c);
      if (c.certain) {
        errors.push(message);
      } else if (!this.warned.has(message)) {
        this.warned.add(message);
        this.node.root.node.findAll().find((x) => x.node.path === c.second.path)?.node.addWarning(message);
      }
    }
    return errors;
  }
}
