/**
 * Resolves the intrinsic functions of a deployed template once physical resources exist: what ROS does for
 * properties and outputs. Functions it cannot evaluate here stay visible as `<unresolved Fn::X>` rather than vanish.
 */
import { isIntrinsic } from '../../lib/policy/intrinsics';

export interface ResolveScope {
  /** Parameter values, pseudo parameters (`ALIYUN::Region`, ...) included. */
  readonly parameters: Readonly<Record<string, string>>;
  /** `Ref` of a resource: its physical id. */
  ref(logicalId: string): string | undefined;
  /** `Fn::GetAtt` of a resource. */
  attribute(logicalId: string, name: string): unknown;
}

export function resolve(value: unknown, scope: ResolveScope, depth = 0): unknown {
  if (depth > 50) return '<unresolved: too deep>';
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope, depth + 1));
  if (isIntrinsic(value)) return intrinsic(value, scope, depth + 1);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolve(v, scope, depth + 1);
    return out;
  }
  return value;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function refOf(name: string, scope: ResolveScope): unknown {
  if (name in scope.parameters) return scope.parameters[name];
  return scope.ref(name) ?? `<unresolved Ref ${name}>`;
}

function intrinsic(value: Record<string, unknown>, scope: ResolveScope, depth: number): unknown {
  const [fn] = Object.keys(value);
  const arg = value[fn];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? refOf(arg, scope) : '<unresolved Ref>';
    case 'Fn::GetAtt': {
      const [id, name] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split(/\.(.*)/s) : [];
      return typeof id === 'string' && typeof name === 'string' ? scope.attribute(id, name) : '<unresolved Fn::GetAtt>';
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return '<unresolved Fn::Join>';
      const parts = resolve(arg[1], scope, depth);
      return Array.isArray(parts) ? parts.map(text).join(arg[0]) : '<unresolved Fn::Join>';
    }
    case 'Fn::Sub': {
      const template = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
      if (template === undefined) return '<unresolved Fn::Sub>';
      const vars = Array.isArray(arg) && arg[1] && typeof arg[1] === 'object' ? (arg[1] as Record<string, unknown>) : {};
      return template.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
        if (name in vars) return text(resolve(vars[name], scope, depth));
        const dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith('ALIYUN::')) return text(scope.attribute(name.slice(0, dot), name.slice(dot + 1)));
        return text(refOf(name, scope));
      });
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg)) return '<unresolved Fn::Select>';
      const index = Number(resolve(arg[0], scope, depth));
      const list = resolve(arg[1], scope, depth);
      return Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length ? list[index] : '<unresolved Fn::Select>';
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return '<unresolved Fn::Split>';
      const s = resolve(arg[1], scope, depth);
      return typeof s === 'string' ? s.split(arg[0]) : '<unresolved Fn::Split>';
    }
    case 'Fn::Str':
      return text(resolve(arg, scope, depth));
    case 'Fn::Base64Encode': {
      const s = resolve(arg, scope, depth);
      return typeof s === 'string' ? Buffer.from(s, 'utf8').toString('base64') : '<unresolved Fn::Base64Encode>';
    }
    default:
      return `<unresolved ${fn}>`;
  }
}

/** Every `Ref` and `Fn::GetAtt` target named inside a value (including `${X}` / `${X.Attr}` of Fn::Sub). */
export function references(value: unknown, out: Array<{ kind: 'Ref' | 'GetAtt'; target: string; attribute?: string }> = []): typeof out {
  if (Array.isArray(value)) {
    for (const v of value) references(v, out);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  if (isIntrinsic(value)) {
    const [fn] = Object.keys(value);
    const arg = value[fn];
    if (fn === 'Ref' && typeof arg === 'string') out.push({ kind: 'Ref', target: arg });
    else if (fn === 'Fn::GetAtt') {
      const [id, name] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split(/\.(.*)/s) : [];
      if (typeof id === 'string') out.push({ kind: 'GetAtt', target: id, attribute: typeof name === 'string' ? name : undefined });
    } else if (fn === 'Fn::Sub') {
      const template = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : '';
      const vars = Array.isArray(arg) && arg[1] && typeof arg[1] === 'object' ? (arg[1] as Record<string, unknown>) : {};
      for (const m of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const name = m[1];
        if (name in vars) continue;
        const dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith('ALIYUN::')) out.push({ kind: 'GetAtt', target: name.slice(0, dot), attribute: name.slice(dot + 1) });
        else out.push({ kind: 'Ref', target: name });
      }
      references(vars, out);
    } else references(arg, out);
    return out;
  }
  for (const v of Object.values(value)) references(v, out);
  return out;
}
