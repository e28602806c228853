/**
 * What the local ROS endpoint knows about resource types, from the same sources ROS CDK users have:
 * - `@alicloud/ros-cdk-spec` (`spec/specification.json`): properties (required, types, constraints), attributes and
 *   whether a property can be updated in place (`UpdateAllowed`); authoritative for MNS and MPS (FACTS.md).
 * - the generated validators of the ROS CDK packages installed here (ros-cdk-oss, -ram, -fc 1.9/1.12, -fc3 1.11,
 *   -ots 1.11): newer than the spec for those services (FC 3.0 is missing from the spec altogether), so for their types
 *   the package's validator decides errors and the spec only adds warnings for properties it does not know.
 * The package validators take camelCase props; a template has PascalCase properties, so each value is read through a
 * case-insensitive view (`functionName` finds `FunctionName`), and intrinsics pass through untouched, which the
 * validators skip as ROS would (they are resolved at deploy time).
 */
import * as ros from '@alicloud/ros-cdk-core';
import { isIntrinsic } from '../../lib/policy/intrinsics';
import { checkTemplateAgainstSpec, loadRosSpecification, SpecIssue } from '../support/spec';

export interface TypeInfo {
  readonly type: string;
  /** Where the definition comes from. */
  readonly source: 'spec' | 'package' | 'spec+package';
  /** Attribute names `Fn::GetAtt` may ask for. */
  readonly attributes: ReadonlySet<string>;
  /** Whether changing this property replaces the resource (spec `UpdateAllowed: false`); undefined when unknown. */
  replacesOnChange(property: string): boolean | undefined;
}

export interface PropertyProblem {
  readonly logicalId: string;
  readonly type: string;
  /** PascalCase, dotted below Properties. */
  readonly property?: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Packages whose generated L1 classes (`Ros*` with `ROS_RESOURCE_TYPE_NAME`) the endpoint validates with. */
const PACKAGES = ['@alicloud/ros-cdk-oss', '@alicloud/ros-cdk-ram', '@alicloud/ros-cdk-fc', '@alicloud/ros-cdk-fc3', '@alicloud/ros-cdk-ots'];

interface L1Class {
  readonly ROS_RESOURCE_TYPE_NAME: string;
  readonly prototype: { renderProperties(props: unknown): unknown };
  new (scope: ros.Construct, id: string, props: unknown, enableResourcePropertyConstraint: boolean): Record<string, unknown>;
}

interface Registry {
  readonly l1: Map<string, L1Class>;
  readonly attributes: Map<string, Set<string>>;
}

let registry: Registry | undefined;

function loadRegistry(): Registry {
  if (registry) return registry;
  const l1 = new Map<string, L1Class>();
  for (const name of PACKAGES) {
    const mod = require(name) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      const cls = value as Partial<L1Class> | undefined;
      if (typeof value !== 'function' || !exportName.startsWith('Ros') || typeof cls?.ROS_RESOURCE_TYPE_NAME !== 'string') continue;
      if (typeof cls.prototype?.renderProperties !== 'function') continue;
      l1.set(cls.ROS_RESOURCE_TYPE_NAME, cls as L1Class);
    }
  }
  // The generated constructors declare each attribute with `this.getAtt(NAME)`: build each class once in a throwaway
  // stack (never synthesized) and read the names back from the tokens.
  const attributes = new Map<string, Set<string>>();
  const app = new ros.App({ outdir: '/nonexistent-never-synthesized' });
  const probe = new ros.Stack(app, 'Probe');
  let n = 0;
  for (const [type, cls] of l1) {
    const names = new Set<string>();
    try {
      const id = `R${n++}`;
      const instance = new cls(probe, id, {}, false);
      for (const key of Object.keys(instance)) {
        if (!key.startsWith('attr')) continue;
        const resolved = probe.resolve(instance[key]) as { 'Fn::GetAtt'?: [string, string] };
        const att = resolved?.['Fn::GetAtt'];
        if (Array.isArray(att) && att[0] === id) names.add(att[1]);
      }
    } catch {
      // A class that cannot be built without props contributes no attributes; the spec may still know them.
    }
    attributes.set(type, names);
  }
  registry = { l1, attributes };
  return registry;
}

/** A read-only view of template properties under their camelCase names. */
function camelView(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || isIntrinsic(value)) return value;
  if (Array.isArray(value)) return value.map(camelView);
  const target = value as Record<string, unknown>;
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop !== 'string') return (t as Record<symbol, unknown>)[prop as unknown as symbol];
      if (Object.prototype.hasOwnProperty.call(t, prop)) return camelView(t[prop]);
      const key = Object.keys(t).find((k) => k.toLowerCase() === prop.toLowerCase());
      return key === undefined ? undefined : camelView(t[key]);
    },
  });
}

/** `functionName: required but missing` → property `FunctionName` (as the template spells it when present). */
function problemsFromValidator(message: string, properties: Record<string, unknown>): Array<{ property?: string; message: string }> {
  const lines = message.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return [{ message }];
  return lines.map((line) => {
    const m = /^([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
    if (!m) return { message: line };
    const key = Object.keys(properties).find((k) => k.toLowerCase() === m[1].toLowerCase()) ?? m[1].charAt(0).toUpperCase() + m[1].slice(1);
    return { property: key, message: `${key}: ${m[2]}` };
  });
}

export function typeInfo(type: string): TypeInfo | undefined {
  const spec = loadRosSpecification();
  const { l1, attributes } = loadRegistry();
  const specType = spec.ResourceTypes[type];
  const cls = l1.get(type);
  if (!specType && !cls) return undefined;
  const attrs = new Set<string>([...Object.keys(specType?.Attributes ?? {}), ...(attributes.get(type) ?? [])]);
  return {
    type,
    source: specType && cls ? 'spec+package' : cls ? 'package' : 'spec',
    attributes: attrs,
    replacesOnChange(property: string) {
      const def = specType?.Properties?.[property] as { UpdateAllowed?: boolean } | undefined;
      return def?.UpdateAllowed === undefined ? undefined : !def.UpdateAllowed;
    },
  };
}

/** Every property problem of one resource, the way ROS would refuse it (errors) or we only note it (warnings). */
export function checkResourceProperties(logicalId: string, type: string, properties: unknown): PropertyProblem[] {
  const { l1 } = loadRegistry();
  const cls = l1.get(type);
  const spec = loadRosSpecification();
  const problems: PropertyProblem[] = [];
  if (properties !== undefined && (properties === null || typeof properties !== 'object' || Array.isArray(properties))) {
    return [{ logicalId, type, message: `Properties must be an object, got ${JSON.stringify(properties)}`, severity: 'error' }];
  }
  const props = (properties ?? {}) as Record<string, unknown>;
  if (cls) {
    try {
      cls.prototype.renderProperties.call({ enableResourcePropertyConstraint: true }, camelView(props));
    } catch (err) {
      for (const p of problemsFromValidator((err as Error).message, props)) {
        problems.push({ logicalId, type, property: p.property, message: p.message, severity: 'error' });
      }
    }
  }
  if (spec.ResourceTypes[type]) {
    const specIssues: SpecIssue[] = checkTemplateAgainstSpec({ Resources: { [logicalId]: { Type: type, Properties: props } } }, spec);
    for (const i of specIssues) {
      // Where a package validator ran, it is newer than the spec: the spec's word is only a warning.
      problems.push({ logicalId, type, property: i.property, message: i.message, severity: cls ? 'warning' : i.severity });
    }
  }
  return problems;
}
