/**
 * Template validation as ROS does it before it accepts CreateStack / CreateChangeSet / ValidateTemplate:
 * size, format version, sections, resource count, resource types and properties, `Ref`/`GetAtt`/`DependsOn`
 * targets, and parameters. Every problem names its resource or parameter, so a failed deploy says where to look.
 * Sources: ROS "reasons for template validation failure" page (sections, resource keys, 512 KB), FACTS.md (524,288
 * bytes; 300 resources), the spec and generated validators (types.ts).
 */
import { references } from './resolve';
import { rosErrors, ServiceError } from './errors';
import { checkResourceProperties, typeInfo } from './types';

// The endpoint keeps its own copy of ROS's limits on purpose (as lib/testing does for ICE): a wrong fact in
// lib/service then fails a test against it instead of agreeing with itself.
export const TEMPLATE_MAX_BYTES = 524_288;
export const MAX_RESOURCES = 300;
export const FORMAT_VERSION = '2015-09-01';

const SECTIONS = new Set([
  'ROSTemplateFormatVersion', 'Description', 'Metadata', 'Mappings', 'Parameters', 'Resources', 'Outputs', 'Conditions',
  'Rules', 'Locals', 'Transform', 'Workspace',
]);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'Metadata', 'DependsOn', 'DeletionPolicy', 'Description', 'Condition', 'Count']);
export const PSEUDO_PARAMETERS = ['ALIYUN::StackName', 'ALIYUN::StackId', 'ALIYUN::Region', 'ALIYUN::AccountId', 'ALIYUN::NoValue', 'ALIYUN::TenantId', 'ALIYUN::Index'];

export interface Template {
  ROSTemplateFormatVersion?: string;
  Parameters?: Record<string, { Type?: string; Default?: unknown; AllowedValues?: unknown[]; NoEcho?: unknown }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; [k: string]: unknown }>;
  Outputs?: Record<string, { Value?: unknown; Description?: string }>;
  [k: string]: unknown;
}

export interface Validated {
  readonly template: Template;
  /** Declared parameters with their effective values (given or default). */
  readonly parameters: Record<string, string>;
  readonly warnings: string[];
}

function parameterText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Throws the ServiceError ROS would answer; returns the parsed template and effective parameters otherwise.
 * @param given parameters sent with the request; undefined keeps defaults only.
 */
export function validateTemplate(body: string | undefined, given: Readonly<Record<string, string>> = {}): Validated {
  if (body === undefined || body === '') throw rosErrors.missingParameter('TemplateBody');
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > TEMPLATE_MAX_BYTES) {
    throw rosErrors.invalidParameter('TemplateBody', `its length ${bytes} bytes exceeds ${TEMPLATE_MAX_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw rosErrors.validationFailed([`the template is not valid JSON: ${(err as Error).message}`]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw rosErrors.validationFailed(['the template must be a JSON object']);
  }
  const t = parsed as Template;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (t.ROSTemplateFormatVersion !== FORMAT_VERSION) {
    problems.push(`ROSTemplateFormatVersion must be ${FORMAT_VERSION}, got ${JSON.stringify(t.ROSTemplateFormatVersion)}`);
  }
  for (const key of Object.keys(t)) if (!SECTIONS.has(key)) problems.push(`unknown template section ${JSON.stringify(key)}`);
  const resources = t.Resources;
  if (resources === undefined || resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    problems.push('Resources must be an object');
    throw rosErrors.validationFailed(problems);
  }
  const ids = Object.keys(resources);
  if (ids.length > MAX_RESOURCES) problems.push(`the template has ${ids.length} resources; a stack holds at most ${MAX_RESOURCES}`);
  const parameters = (t.Parameters ?? {}) as NonNullable<Template['Parameters']>;

  for (const id of ids) {
    const r = resources[id] as unknown as Record<string, unknown>;
    if (id.includes('/')) problems.push(`Resource [${id}]: a logical id cannot contain "/"`);
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      problems.push(`Resource [${id}]: must be an object`);
      continue;
    }
    if (typeof r.Type !== 'string') {
      problems.push(`Resource [${id}]: Type must be a string, got ${JSON.stringify(r.Type)}`);
      continue;
    }
    for (const key of Object.keys(r)) if (!RESOURCE_KEYS.has(key)) problems.push(`Resource [${id}]: unknown key ${JSON.stringify(key)}`);
    if (!typeInfo(r.Type)) {
      problems.push(`Resource [${id}]: unsupported resource type ${r.Type}`);
      continue;
    }
    for (const p of checkResourceProperties(id, r.Type, r.Properties)) {
      const line = `Resource [${id}] (${r.Type}): ${p.message}`;
      (p.severity === 'error' ? problems : warnings).push(line);
    }
    for (const dep of r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn]) {
      if (typeof dep !== 'string' || !(dep in resources)) problems.push(`Resource [${id}]: DependsOn names ${JSON.stringify(dep)}, which is not a resource of the template`);
    }
  }

  const checkReferences = (where: string, value: unknown) => {
    for (const ref of references(value)) {
      if (ref.kind === 'Ref') {
        if (ref.target in parameters || ref.target in resources || PSEUDO_PARAMETERS.includes(ref.target)) continue;
        problems.push(`${where}: Ref ${ref.target} names no parameter, resource or pseudo parameter`);
      } else {
        const target = resources[ref.target] as { Type?: unknown } | undefined;
        if (!target) {
          problems.push(`${where}: Fn::GetAtt names ${ref.target}, which is not a resource of the template`);
          continue;
        }
        const info = typeof target.Type === 'string' ? typeInfo(target.Type) : undefined;
        if (info && info.attributes.size > 0 && (ref.attribute === undefined || !info.attributes.has(ref.attribute))) {
          problems.push(`${where}: Fn::GetAtt ${ref.target}.${ref.attribute} is not an attribute of ${target.Type} (it has ${[...info.attributes].sort().join(', ')})`);
        }
      }
    }
  };
  for (const id of ids) checkReferences(`Resource [${id}]`, (resources[id] as { Properties?: unknown })?.Properties);
  for (const [key, output] of Object.entries(t.Outputs ?? {})) {
    if (output === null || typeof output !== 'object' || !('Value' in output)) problems.push(`Output [${key}]: a Value must be defined`);
    else checkReferences(`Output [${key}]`, output.Value);
  }

  const effective: Record<string, string> = {};
  for (const [name, def] of Object.entries(parameters)) {
    const value = name in given ? given[name] : def?.Default !== undefined ? parameterText(def.Default) : undefined;
    if (value === undefined) {
      problems.push(`Parameter [${name}]: no value was given and it has no Default`);
      continue;
    }
    if (Array.isArray(def?.AllowedValues) && !def.AllowedValues.map(parameterText).includes(value)) {
      problems.push(`Parameter [${name}]: ${JSON.stringify(value)} is not one of ${def.AllowedValues.map(parameterText).join(', ')}`);
    }
    if ((def?.Type === 'Number') && !Number.isFinite(Number(value))) problems.push(`Parameter [${name}]: ${JSON.stringify(value)} is not a Number`);
    effective[name] = value;
  }
  for (const name of Object.keys(given)) {
    if (!(name in parameters)) problems.push(`Parameter [${name}]: given, but the template does not declare it`);
  }
  if (problems.length > 0) throw rosErrors.validationFailed(problems);
  dependencyOrder(t);
  return { template: t, parameters: effective, warnings };
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}

/** Logical ids in an order where each comes after what it references (Ref, GetAtt, DependsOn); ties by name. */
export function dependencyOrder(template: Template): string[] {
  const resources = template.Resources;
  const ids = Object.keys(resources).sort();
  const deps = new Map<string, Set<string>>();
  for (const id of ids) {
    const r = resources[id];
    const set = new Set<string>();
    for (const ref of references(r.Properties)) if (ref.target in resources && ref.target !== id) set.add(ref.target);
    for (const d of r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn]) if (d in resources) set.add(d);
    deps.set(id, set);
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find((id) => !done.has(id) && [...deps.get(id)!].every((d) => done.has(d)));
    if (next === undefined) {
      const stuck = ids.filter((id) => !done.has(id));
      throw rosErrors.validationFailed([`circular dependency between resources ${stuck.join(', ')}`]);
    }
    order.push(next);
    done.add(next);
  }
  return order;
}
