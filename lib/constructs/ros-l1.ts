/** @internal Plumbing of the constructs: shared inside lib/, not exported from the package root (lib/index.ts). */
import * as ros from '@alicloud/ros-cdk-core';
import { isRecord, show } from '../util/values';

/** Primitive types a ROS resource specification uses. */
export type RosPrimitiveType = 'String' | 'Integer' | 'Number' | 'Boolean' | 'Json';

/**
 * Machine-readable description of one L1 property: what the constructor validates and how it renders. It carries the
 * same facts as `@alicloud/ros-cdk-spec`, and a conformance test compares the two.
 */
export interface RosPropertyDescription {
  /** camelCase name in the TypeScript props. */
  readonly name: string;
  /** PascalCase name in the template (the spec's name). */
  readonly rosName: string;
  readonly required: boolean;
  /** Set for primitive properties. */
  readonly primitiveType?: RosPrimitiveType;
  /** Set for structured properties: the name of a property type in `propertyTypes` of the resource description. */
  readonly type?: string;
  readonly allowedValues?: readonly string[];
  readonly range?: { readonly min?: number; readonly max?: number };
  readonly length?: { readonly min?: number; readonly max?: number };
}

/** Machine-readable description of an L1 resource type. */
export interface RosResourceDescription {
  /** e.g. `ALIYUN::MNS::Queue`. */
  readonly type: string;
  readonly properties: readonly RosPropertyDescription[];
  /** Attribute names as the spec spells them (`ARN.WithSlash`). */
  readonly attributes: readonly string[];
  /** Structured property types by their short name (`NotifyConfig`). */
  readonly propertyTypes: Readonly<Record<string, readonly RosPropertyDescription[]>>;
}

/**
 * Every rule of `properties` checked against `props`; one message per problem, naming the property, the rule and the
 * value received. Unresolved tokens are skipped: their value is only known at deploy time.
 */
export function validateRosProperties(
  description: RosResourceDescription,
  properties: readonly RosPropertyDescription[],
  props: Record<string, unknown>,
  prefix = '',
): string[] {
  const errors: string[] = [];
  const known = new Set(properties.map((p) => p.name));
  for (const key of Object.keys(props)) {
    if (!known.has(key) && props[key] !== undefined) {
      errors.push(`${prefix}${key} is not a property of ${description.type}, got ${show(props[key])}`);
    }
  }
  for (const p of properties) {
    const name = `${prefix}${p.name}`;
    const value = props[p.name];
    if (value === undefined || value === null) {
      if (p.required) {
        errors.push(`${name} is required, got ${String(value)}`);
      }
      continue;
    }
    if (ros.Token.isUnresolved(value) || isIntrinsic(value)) {
      continue;
    }
    if (p.type !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${name} must be an object (${p.type}), got ${show(value)}`);
        continue;
      }
      const nested = description.propertyTypes[p.type];
      errors.push(...validateRosProperties(description, nested, value as Record<string, unknown>, `${name}.`));
      continue;
    }
    const typeError = checkPrimitive(p.primitiveType, value);
    if (typeError !== undefined) {
      errors.push(`${name} must be ${typeError}, got ${show(value)}`);
      continue;
    }
    if (p.allowedValues !== undefined && !p.allowedValues.includes(value as string)) {
      errors.push(`${name} must be one of ${p.allowedValues.join(', ')}, got ${show(value)}`);
    }
    if (p.range !== undefined && typeof value === 'number') {
      const { min, max } = p.range;
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        errors.push(`${name} must be ${boundsText(min, max)}, got ${value}`);
      }
    }
    if (p.length !== undefined && typeof value === 'string') {
      const { min, max } = p.length;
      if ((min !== undefined && value.length < min) || (max !== undefined && value.length > max)) {
        errors.push(`${name} must be ${lengthText(min, max)} characters long, got ${value.length} characters (${show(value)})`);
      }
    }
  }
  return errors;
}

/** camelCase props → the template's PascalCase properties, in description order; undefined values are left out. */
export function renderRosProperties(
  description: RosResourceDescription,
  properties: readonly RosPropertyDescription[],
  props: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of properties) {
    const value = props[p.name];
    if (value === undefined) {
      continue;
    }
    out[p.rosName] = p.type !== undefined && isRecord(value) && !ros.Token.isUnresolved(value)
      ? renderRosProperties(description, description.propertyTypes[p.type], value as Record<string, unknown>)
      : value;
  }
  return out;
}

/** Throws one error listing every problem, each line prefixed with the class and construct path. */
export function assertValidRosProperties(
  className: string,
  path: string,
  description: RosResourceDescription,
  props: Record<string, unknown>,
): void {
  const errors = validateRosProperties(description, description.properties, props);
  if (errors.length > 0) {
    throw new Error(errors.map((e) => `${className} '${path}': ${e}`).join('\n'));
  }
}

function checkPrimitive(type: RosPrimitiveType | undefined, value: unknown): string | undefined {
  switch (type) {
    case 'String':
      return typeof value === 'string' ? undefined : 'a string';
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'an integer';
    case 'Number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number';
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    default:
      return undefined;
  }
}

function boundsText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) {
    return `between ${min} and ${max}`;
  }
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}

function lengthText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) {
    return `${min} to ${max}`;
  }
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}


/**
 * Runs an L1's rules on the values an L2 passes down, but reports the L2's prop names (`visibilityTimeoutSeconds`),
 * so the error names what the caller wrote.
 */
export function checkL2AgainstL1(
  where: string,
  description: RosResourceDescription,
  l1Props: object,
  l2Names: Readonly<Record<string, string>>,
): void {
  const errors = validateRosProperties(description, description.properties, l1Props as Record<string, unknown>);
  if (errors.length > 0) {
    const renamed = errors.map((e) => {
      const first = e.split(' ')[0];
      return `${where}: ${l2Names[first] ?? first}${e.slice(first.length)}`;
    });
    throw new Error(renamed.join('\n'));
  }
}

/**
 * Base of our hand-written L1s: validates in the constructor and again at render time (a public field may have
 * changed since), then renders camelCase fields to the template's PascalCase names in description order.
 */
export abstract class DescribedRosResource extends ros.RosResource {
  private readonly rosDescription: RosResourceDescription;
  private readonly rosClassName: string;

  protected constructor(scope: ros.Construct, id: string, className: string, description: RosResourceDescription, props: object) {
    super(scope, id, { type: description.type, properties: props });
    this.rosDescription = description;
    this.rosClassName = className;
    assertValidRosProperties(className, this.node.path, description, props as Record<string, unknown>);
  }

  protected get rosProperties(): { [key: string]: any } {
    const out: Record<string, unknown> = {};
    for (const p of this.rosDescription.properties) {
      out[p.name] = (this as unknown as Record<string, unknown>)[p.name];
    }
    return out;
  }

  protected renderProperties(props: { [key: string]: any }): { [key: string]: any } {
    assertValidRosProperties(this.rosClassName, this.node.path, this.rosDescription, props);
    return renderRosProperties(this.rosDescription, this.rosDescription.properties, props);
  }
}

/**
 * `{Ref: x}` or `{"Fn::Name": ...}`: a value ROS computes at deploy time. At render time tokens are already resolved
 * to these, and they are skipped like the unresolved tokens the constructor skipped.
 */
function isIntrinsic(v: unknown): boolean {
  if (!isRecord(v)) {
    return false;
  }
  const keys = Object.keys(v as object);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
