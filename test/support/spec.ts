import * as fs from 'fs';
import * as path from 'path';
import { fc3Specification } from './fc3-schema';

/**
 * Checks synthesized ROS templates against `@alicloud/ros-cdk-spec` (a devDependency: tests only).
 *
 * The spec package is older than ros-cdk-oss/ram/fc 1.12, so for those services a property the spec does not know is
 * reported as a warning (the newer package is trusted); for every other type — in particular our hand-written MNS
 * and MPS L1s — it is an error.
 */

export interface SpecProperty {
  Required?: boolean;
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
  Constraints?: Array<Record<string, any>>;
}

export interface SpecResourceType {
  Properties?: Record<string, SpecProperty>;
  Attributes?: Record<string, unknown>;
}

export interface RosSpecification {
  ResourceTypes: Record<string, SpecResourceType>;
  PropertyTypes: Record<string, { Properties?: Record<string, SpecProperty> }>;
}

export interface SpecIssue {
  readonly logicalId: string;
  readonly type: string;
  /** Dotted path below Properties, e.g. `NotifyConfig.QueueName`; absent for resource-level issues. */
  readonly property?: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Types whose ROS CDK package (1.12) is newer than the spec package: unknown properties are only warnings. */
export const SPEC_LENIENT_PREFIXES: readonly string[] = ['ALIYUN::OSS::', 'ALIYUN::RAM::', 'ALIYUN::FC::'];

let cached: RosSpecification | undefined;

/**
 * The specification shipped by `@alicloud/ros-cdk-spec`, plus the `ALIYUN::FC3::*` types it lacks, as
 * `@alicloud/ros-cdk-fc3` renders them (strict: a property that package does not know is an error).
 */
export function loadRosSpecification(): RosSpecification {
  if (cached === undefined) {
    const file = path.join(path.dirname(require.resolve('@alicloud/ros-cdk-spec/package.json')), 'spec', 'specification.json');
    const base = JSON.parse(fs.readFileSync(file, 'utf8')) as RosSpecification;
    const fc3 = fc3Specification();
    cached = {
      ResourceTypes: { ...base.ResourceTypes, ...fc3.ResourceTypes },
      PropertyTypes: { ...base.PropertyTypes, ...fc3.PropertyTypes },
    };
  }
  return cached;
}

/** `{Ref: ...}` or `{"Fn::...": ...}`: resolved at deploy time, so not checkable here. */
export function isIntrinsicValue(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return false;
  }
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** Every issue of every resource of `template`. */
export function checkTemplateAgainstSpec(template: any, spec: RosSpecification = loadRosSpecification()): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const resources: Record<string, any> = template?.Resources ?? {};
  for (const logicalId of Object.keys(resources).sort()) {
    const resource = resources[logicalId];
    const type: string = resource?.Type;
    const definition = spec.ResourceTypes[type];
    if (definition === undefined) {
      issues.push({ logicalId, type: String(type), message: `unknown resource type ${JSON.stringify(type)}`, severity: 'error' });
      continue;
    }
    const lenient = SPEC_LENIENT_PREFIXES.some((p) => type.startsWith(p));
    const properties = resource.Properties ?? {};
    if (typeof properties !== 'object' || Array.isArray(properties)) {
      issues.push({ logicalId, type, message: `Properties must be an object, got ${JSON.stringify(properties)}`, severity: 'error' });
      continue;
    }
    const report = (property: string, message: string, severity: 'error' | 'warning' = 'error') =>
      issues.push({ logicalId, type, property, message, severity });
    checkObject(spec, type, definition.Properties ?? {}, properties, '', lenient, report);
  }
  return issues;
}

/** Only the error issues. */
export function specErrors(issues: readonly SpecIssue[]): SpecIssue[] {
  return issues.filter((i) => i.severity === 'error');
}

type Report = (property: string, message: string, severity?: 'error' | 'warning') => void;

function checkObject(
  spec: RosSpecification,
  resourceType: string,
  definitions: Record<string, SpecProperty>,
  value: Record<string, unknown>,
  prefix: string,
  lenient: boolean,
  report: Report,
): void {
  for (const [name, def] of Object.entries(definitions)) {
    if (def.Required && (value[name] === undefined || value[name] === null)) {
      report(`${prefix}${name}`, `required property ${prefix}${name} is missing`);
    }
  }
  for (const [name, v] of Object.entries(value)) {
    const def = definitions[name];
    if (def === undefined) {
      report(`${prefix}${name}`, `unknown property ${prefix}${name}`, lenient ? 'warning' : 'error');
      continue;
    }
    checkValue(spec, resourceType, def, v, `${prefix}${name}`, lenient, report);
  }
}

function checkValue(
  spec: RosSpecification,
  resourceType: string,
  def: SpecProperty,
  v: unknown,
  where: string,
  lenient: boolean,
  report: Report,
): void {
  if (v === undefined || v === null || isIntrinsicValue(v)) {
    return;
  }
  if (def.PrimitiveType !== undefined) {
    const problem = primitiveProblem(def.PrimitiveType, v);
    if (problem !== undefined) {
      report(where, `${where} must be ${problem}, got ${JSON.stringify(v)}`);
      return;
    }
  } else if (def.Type === 'List') {
    if (!Array.isArray(v)) {
      report(where, `${where} must be a list, got ${JSON.stringify(v)}`);
      return;
    }
    v.forEach((item, i) => checkItem(spec, resourceType, def, item, `${where}[${i}]`, lenient, report));
  } else if (def.Type === 'Map') {
    if (typeof v !== 'object' || Array.isArray(v)) {
      report(where, `${where} must be a map, got ${JSON.stringify(v)}`);
      return;
    }
    for (const [k, item] of Object.entries(v as object)) {
      checkItem(spec, resourceType, def, item, `${where}.${k}`, lenient, report);
    }
  } else if (def.Type !== undefined) {
    checkStructured(spec, resourceType, def.Type, v, where, lenient, report);
    return;
  }
  checkConstraints(def, v, where, report);
}

function checkItem(
  spec: RosSpecification,
  resourceType: string,
  def: SpecProperty,
  item: unknown,
  where: string,
  lenient: boolean,
  report: Report,
): void {
  if (item === undefined || item === null || isIntrinsicValue(item)) {
    return;
  }
  if (def.ItemType !== undefined) {
    checkStructured(spec, resourceType, def.ItemType, item, where, lenient, report);
  } else if (def.PrimitiveItemType !== undefined) {
    const problem = primitiveProblem(def.PrimitiveItemType, item);
    if (problem !== undefined) {
      report(where, `${where} must be ${problem}, got ${JSON.stringify(item)}`);
    }
  }
}

function checkStructured(
  spec: RosSpecification,
  resourceType: string,
  typeName: string,
  v: unknown,
  where: string,
  lenient: boolean,
  report: Report,
): void {
  const propertyType = spec.PropertyTypes[`${resourceType}.${typeName}`];
  if (propertyType === undefined) {
    report(where, `${where} has type ${typeName}, which the spec does not define`, 'warning');
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    report(where, `${where} must be an object (${typeName}), got ${JSON.stringify(v)}`);
    return;
  }
  checkObject(spec, resourceType, propertyType.Properties ?? {}, v as Record<string, unknown>, `${where}.`, lenient, report);
}

/** ROS accepts numbers and booleans written as strings for numeric and boolean properties. */
function primitiveProblem(type: string, v: unknown): string | undefined {
  switch (type) {
    case 'String':
      return typeof v === 'string' ? undefined : 'a string';
    case 'Integer':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v)) ? undefined : 'an integer';
    case 'Number':
      return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) ? undefined : 'a number';
    case 'Boolean':
      return typeof v === 'boolean' || v === 'true' || v === 'false' ? undefined : 'a boolean';
    case 'Json':
    case 'Any':
      return undefined;
    case 'AnyDict':
      return typeof v === 'object' && !Array.isArray(v) ? undefined : 'a map';
    default:
      return undefined;
  }
}

function checkConstraints(def: SpecProperty, v: unknown, where: string, report: Report): void {
  for (const c of def.Constraints ?? []) {
    if (c.AllowedValues !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      const allowed: unknown[] = c.AllowedValues;
      if (!allowed.some((a) => a === v || String(a) === String(v))) {
        report(where, `${where} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
      }
    }
    if (c.Range !== undefined) {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      if (Number.isFinite(n)) {
        if ((c.Range.Min !== undefined && n < c.Range.Min) || (c.Range.Max !== undefined && n > c.Range.Max)) {
          report(where, `${where} must be in range [${c.Range.Min ?? '-inf'}, ${c.Range.Max ?? 'inf'}], got ${n}`);
        }
      }
    }
    if (c.Length !== undefined && (typeof v === 'string' || Array.isArray(v))) {
      const len = v.length;
      if ((c.Length.Min !== undefined && len < c.Length.Min) || (c.Length.Max !== undefined && len > c.Length.Max)) {
        report(where, `${where} length must be in [${c.Length.Min ?? 0}, ${c.Length.Max ?? 'inf'}], got ${len}`);
      }
    }
    if (c.AllowedPattern !== undefined && typeof v === 'string') {
      const pattern = compilePattern(c.AllowedPattern);
      if (pattern === undefined) {
        report(where, `${where}: the spec's pattern ${c.AllowedPattern} is not a JavaScript regular expression; not checked`, 'warning');
      } else if (!pattern.test(v)) {
        report(where, `${where} must match ${c.AllowedPattern}, got ${JSON.stringify(v)}`);
      }
    }
  }
}

function compilePattern(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch {
    return undefined;
  }
}
