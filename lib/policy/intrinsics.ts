import { RosTemplate } from './types';

/**
 * Resolves ROS intrinsic functions far enough to name principals and resources. A value that cannot be known before
 * deployment stays a readable placeholder (`${Role.Arn}`, `${ALIYUN::AccountId}`), so a policy still reads as
 * "this role's ARN" instead of disappearing. Placeholders never contain `*`, so wildcard rules are not fooled.
 */
export interface ResolveContext {
  template: RosTemplate;
  region?: string;
  accountId?: string;
}

const PSEUDO_DEFAULTS: Record<string, string> = {
  'ALIYUN::NoValue': '',
};

// The property that holds each resource type's physical name; Ref and GetAtt of name-like attributes return it.
const NAME_PROPERTY: Record<string, string> = {
  'ALIYUN::RAM::Role': 'RoleName',
  'ALIYUN::RAM::User': 'UserName',
  'ALIYUN::RAM::Group': 'GroupName',
  'ALIYUN::RAM::ManagedPolicy': 'PolicyName',
  'ALIYUN::OSS::Bucket': 'BucketName',
  'ALIYUN::MNS::Queue': 'QueueName',
  'ALIYUN::MNS::Topic': 'TopicName',
  'ALIYUN::FC::Service': 'ServiceName',
  'ALIYUN::FC::Function': 'FunctionName',
  'ALIYUN::FC3::Function': 'FunctionName',
  'ALIYUN::MPS::Pipeline': 'Name',
};

const NAME_ATTRIBUTES = new Set([
  'RoleName', 'UserName', 'GroupName', 'PolicyName', 'BucketName', 'Name', 'QueueName', 'TopicName',
  'ServiceName', 'FunctionName',
]);

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** Deeply resolves a value: objects and arrays keep their shape, intrinsics become strings (or lists). */
export function resolveValue(value: unknown, ctx: ResolveContext, depth = 0): unknown {
  if (depth > 20) return '${…}';
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx, depth + 1));
  if (isIntrinsic(value)) return resolveIntrinsic(value, ctx, depth + 1);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveValue(v, ctx, depth + 1);
    return out;
  }
  return value;
}

/** Resolves to a string; lists are joined with ',' (only for display). */
export function resolveString(value: unknown, ctx: ResolveContext): string {
  const r = resolveValue(value, ctx);
  if (typeof r === 'string') return r;
  if (typeof r === 'number' || typeof r === 'boolean') return String(r);
  if (Array.isArray(r)) return r.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',');
  return JSON.stringify(r);
}

/** Resolves to a list of strings (a scalar becomes a one-element list; an absent value an empty list). */
export function resolveStringList(value: unknown, ctx: ResolveContext): string[] {
  if (value === undefined || value === null) return [];
  const r = resolveValue(value, ctx);
  const list = Array.isArray(r) ? r : [r];
  return list.map((x) => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : JSON.stringify(x)));
}

function pseudo(name: string, ctx: ResolveContext): string {
  if (name === 'ALIYUN::Region' && ctx.region) return ctx.region;
  if (name === 'ALIYUN::AccountId' && ctx.accountId) return ctx.accountId;
  if (name in PSEUDO_DEFAULTS) return PSEUDO_DEFAULTS[name];
  return '${' + name + '}';
}

function account(ctx: ResolveContext): string {
  return ctx.accountId ?? '${ALIYUN::AccountId}';
}

function regionOf(ctx: ResolveContext): string {
  return ctx.region ?? '${ALIYUN::Region}';
}

/** The physical name of a resource in the same template, when its name property resolves. */
export function resourceName(logicalId: string, ctx: ResolveContext, depth = 0): string | undefined {
  const res = ctx.template.Resources?.[logicalId];
  if (!res) return undefined;
  const prop = NAME_PROPERTY[res.Type];
  if (!prop) return undefined;
  const raw = res.Properties?.[prop];
  if (raw === undefined) return undefined;
  const r = resolveValue(raw, ctx, depth + 1);
  return typeof r === 'string' ? r : undefined;
}

function ref(name: string, ctx: ResolveContext, depth: number): unknown {
  if (name.startsWith('ALIYUN::')) return pseudo(name, ctx);
  const param = ctx.template.Parameters?.[name];
  if (param) return param.Default !== undefined ? resolveValue(param.Default, ctx, depth + 1) : '${' + name + '}';
  const n = resourceName(name, ctx, depth);
  return n ?? '${' + name + '}';
}

function getAtt(logicalId: string, attr: string, ctx: ResolveContext, depth: number): unknown {
  const res = ctx.template.Resources?.[logicalId];
  const placeholder = '${' + logicalId + '.' + attr + '}';
  if (!res) return placeholder;
  const name = resourceName(logicalId, ctx, depth);
  if (NAME_ATTRIBUTES.has(attr)) return name ?? placeholder;
  if (attr === 'Arn' && name !== undefined) {
    // ARN shapes from FACTS.md (RAM section); RAM ARNs carry no region.
    switch (res.Type) {
      case 'ALIYUN::RAM::Role': return `acs:ram::${account(ctx)}:role/${name}`;
      case 'ALIYUN::RAM::User': return `acs:ram::${account(ctx)}:user/${name}`;
      case 'ALIYUN::RAM::Group': return `acs:ram::${account(ctx)}:group/${name}`;
      case 'ALIYUN::MNS::Queue': return `acs:mns:${regionOf(ctx)}:${account(ctx)}:/queues/${name}`;
      case 'ALIYUN::MNS::Topic': return `acs:mns:${regionOf(ctx)}:${account(ctx)}:/topics/${name}`;
      default: return placeholder;
    }
  }
  return placeholder;
}

function asList(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function resolveIntrinsic(value: Record<string, unknown>, ctx: ResolveContext, depth: number): unknown {
  const [fn] = Object.keys(value);
  const arg = value[fn];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, ctx, depth) : '${Ref}';
    case 'Fn::GetAtt': {
      const a = asList(arg);
      if (a && typeof a[0] === 'string' && typeof a[1] === 'string') return getAtt(a[0], a[1], ctx, depth);
      if (typeof arg === 'string' && arg.includes('.')) {
        const i = arg.indexOf('.');
        return getAtt(arg.slice(0, i), arg.slice(i + 1), ctx, depth);
      }
      return '${Fn::GetAtt}';
    }
    case 'Fn::Join': {
      const a = asList(arg);
      if (!a || typeof a[0] !== 'string') return '${Fn::Join}';
      const parts = resolveValue(a[1], ctx, depth + 1);
      if (!Array.isArray(parts)) return typeof parts === 'string' ? parts : '${Fn::Join}';
      return parts.map((p) => (typeof p === 'string' ? p : String(p))).join(a[0]);
    }
    case 'Fn::Sub': {
      const a = asList(arg);
      const text = typeof arg === 'string' ? arg : a && typeof a[0] === 'string' ? a[0] : undefined;
      if (text === undefined) return '${Fn::Sub}';
      const vars = a && a[1] && typeof a[1] === 'object' ? (a[1] as Record<string, unknown>) : {};
      return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
        if (name in vars) return resolveString(vars[name], ctx);
        if (name.includes('.')) {
          const i = name.indexOf('.');
          const r = getAtt(name.slice(0, i), name.slice(i + 1), ctx, depth);
          return typeof r === 'string' ? r : JSON.stringify(r);
        }
        const r = ref(name, ctx, depth);
        return typeof r === 'string' ? r : JSON.stringify(r);
      });
    }
    case 'Fn::Select': {
      const a = asList(arg);
      if (!a) return '${Fn::Select}';
      const index = Number(resolveValue(a[0], ctx, depth + 1));
      const list = resolveValue(a[1], ctx, depth + 1);
      if (Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length) return list[index];
      return '${Fn::Select}';
    }
    case 'Fn::Split': {
      const a = asList(arg);
      if (!a || typeof a[0] !== 'string') return '${Fn::Split}';
      const s = resolveValue(a[1], ctx, depth + 1);
      return typeof s === 'string' ? s.split(a[0]) : '${Fn::Split}';
    }
    case 'Fn::Str': {
      const s = resolveValue(arg, ctx, depth + 1);
      return typeof s === 'string' || typeof s === 'number' ? String(s) : '${Fn::Str}';
    }
    case 'Fn::FindInMap': {
      const a = asList(arg);
      const maps = ctx.template.Mappings as Record<string, Record<string, Record<string, unknown>>> | undefined;
      if (a && a.length === 3 && maps) {
        const [m, k1, k2] = a.map((x) => resolveValue(x, ctx, depth + 1));
        const v = typeof m === 'string' && typeof k1 === 'string' && typeof k2 === 'string' ? maps[m]?.[k1]?.[k2] : undefined;
        if (v !== undefined) return resolveValue(v, ctx, depth + 1);
      }
      return '${Fn::FindInMap}';
    }
    default:
      return '${' + fn + '}';
  }
}

/** True when a resolved string still contains a placeholder for a value only known at deploy time. */
export function hasPlaceholder(s: string): boolean {
  return /\$\{[^}]*\}/.test(s);
}
