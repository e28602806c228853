import * as fs from 'fs';
import * as path from 'path';
import type { RosSpecification, SpecProperty } from './spec';

/**
 * `@alicloud/ros-cdk-spec` 1.0.13 has no `ALIYUN::FC3::*` types. What `@alicloud/ros-cdk-fc3` knows about them is in
 * its generated code: each `ros<Type>PropsToRosTemplate` (and `ros<Type><Prop>PropertyToRosTemplate` for nested
 * types) returns an object literal mapping every PascalCase property it renders to a converter. This reads those
 * literals into the spec's own shape, so FC3 resources are checked like every other type: a property the package does
 * not render is one ROS CDK would never write, and an error.
 */

interface Converter {
  /** `ros.stringToRosTemplate` → String, a nested converter → its function name. */
  readonly kind: 'primitive' | 'nested' | 'list' | 'map';
  readonly primitive?: string;
  readonly nested?: string;
}

const PRIMITIVES: Record<string, string> = {
  stringToRosTemplate: 'String',
  numberToRosTemplate: 'Number',
  booleanToRosTemplate: 'Boolean',
  objectToRosTemplate: 'Json',
};

function parseConverter(text: string): Converter {
  const list = /^ros\.listMapper\((.+)\)$/.exec(text);
  if (list) {
    const inner = parseConverter(list[1]);
    return { kind: 'list', ...(inner.kind === 'primitive' ? { primitive: inner.primitive } : { nested: inner.nested }) };
  }
  const map = /^ros\.hashMapper\((.+)\)$/.exec(text);
  if (map) {
    const inner = parseConverter(map[1]);
    return { kind: 'map', ...(inner.kind === 'primitive' ? { primitive: inner.primitive } : { nested: inner.nested }) };
  }
  const primitive = /^ros\.(\w+)$/.exec(text);
  if (primitive) return { kind: 'primitive', primitive: PRIMITIVES[primitive[1]] ?? 'Json' };
  return { kind: 'nested', nested: text };
}

/** Every `function name(properties...) { ... return { 'Key': converter(properties.key), ... }; }` of the file. */
function renderers(source: string): Map<string, Record<string, Converter>> {
  const out = new Map<string, Record<string, Converter>>();
  const fn = /^function (ros\w+ToRosTemplate)\(properties[^)]*\) \{\n([\s\S]*?)\n\}/gm;
  for (const m of source.matchAll(fn)) {
    const body = /return \{\n([\s\S]*?)\n\s*\};/.exec(m[2]);
    if (!body) continue;
    const props: Record<string, Converter> = {};
    for (const line of body[1].split('\n')) {
      const entry = /^\s*'(\w+)': (.+)\(properties\.\w+\),?$/.exec(line);
      if (entry) props[entry[1]] = parseConverter(entry[2]);
    }
    out.set(m[1], props);
  }
  return out;
}

let cached: RosSpecification | undefined;

/** The FC3 resource and property types as `@alicloud/ros-cdk-fc3` renders them, in the spec's shape. */
export function fc3Specification(): RosSpecification {
  if (cached) return cached;
  const file = path.join(path.dirname(require.resolve('@alicloud/ros-cdk-fc3/package.json')), 'lib', 'fc3.generated.js');
  const source = fs.readFileSync(file, 'utf8');
  const fns = renderers(source);
  const spec: RosSpecification = { ResourceTypes: {}, PropertyTypes: {} };
  for (const m of source.matchAll(/ROS_RESOURCE_TYPE_NAME = "ALIYUN::FC3::(\w+)"/g)) {
    const name = m[1];
    const type = `ALIYUN::FC3::${name}`;
    const root = fns.get(`ros${name}PropsToRosTemplate`);
    if (!root) throw new Error(`fc3Specification: no renderer for ${type} in ${file}`);
    const toProperties = (props: Record<string, Converter>): Record<string, SpecProperty> => {
      const out: Record<string, SpecProperty> = {};
      for (const [key, c] of Object.entries(props)) {
        const nestedName = c.nested !== undefined ? c.nested.replace(/^ros/, '').replace(/PropertyToRosTemplate$/, '') : undefined;
        if (nestedName !== undefined && c.nested !== undefined) {
          const nested = fns.get(c.nested);
          if (!nested) throw new Error(`fc3Specification: no renderer ${c.nested}`);
          spec.PropertyTypes[`${type}.${nestedName}`] = { Properties: toProperties(nested) };
        }
        if (c.kind === 'primitive') out[key] = { PrimitiveType: c.primitive };
        else if (c.kind === 'nested') out[key] = { Type: nestedName };
        else if (c.kind === 'list') out[key] = nestedName ? { Type: 'List', ItemType: nestedName } : { Type: 'List', PrimitiveItemType: c.primitive };
        else out[key] = nestedName ? { Type: 'Map', ItemType: nestedName } : { Type: 'Map', PrimitiveItemType: c.primitive };
      }
      return out;
    };
    spec.ResourceTypes[type] = { Properties: toProperties(root) };
  }
  cached = spec;
  return spec;
}

/**
 * `TriggerConfig` is a free-form map to ros-cdk-fc3 (it hands it to FC's CreateTrigger as is): the keys FC 3.0
 * documents per trigger type (API 2023-03-30 structs TimerTriggerConfig, MNSTopicTriggerConfig, OSSTriggerConfig).
 */
export const FC3_TRIGGER_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  timer: ['cronExpression', 'enable', 'payload'],
  mns_topic: ['filterTag', 'notifyContentFormat', 'notifyStrategy'],
  oss: ['events', 'filter'],
};
