import { RosTemplate } from './types';

/**
 * Resolves ROS intrinsic functions far enough to name principals and resources, and judges what it cannot resolve at
 * its worst:
 * - a value only known at deploy time but fixed by the template (`Fn::GetAtt Role.Arn`, `ALIYUN::AccountId`) stays a
 *   readable placeholder (`${Role.Arn}`): it names one specific thing, and never contains `*`;
 * - a value the deployer (or something outside the template) chooses freely (a parameter without a default, an
 *   output of another stack, a function the reviewer does not evaluate) becomes a *free* placeholder `${?Name}`,
 *   which the pattern matchers read as `*` (anything), and the resolution records a note saying so;
 * - a value with a known set of choices (both branches of `Fn::If` on a condition that cannot be decided, each of
 *   a parameter's `AllowedValues`) is enumerated by {@link resolveAlternatives}: every choice is reviewed.
 */
export interface ResolveContext {
  template: RosTemplate;
  region?: string;
  accountId?: string;
  /** Set by resolveAlternatives: the choices of the alternative being resolved, and what was met on the way. */
  choices?: ChoiceState;
}

/** Something the reviewer assumed while resolving, and where (path relative to the value resolved). */
export interface ResolveNote {
  path: string;
  text: string;
}

/** One way a value can resolve, with what was assumed to get there. */
export interface Alternative<T = unknown> {
  value: T;
  notes: ResolveNote[];
}

interface ChoicePoint {
  key: string;
  options: unknown[];
  describe(option: unknown): string;
}

interface ChoiceState {
  assigned: Map<string, number>;
  /** Choice points met in this resolution, in order, with the path where each was met. */
  met: Array<{ point: ChoicePoint; path: string }>;
  /** Free values met (no choice to make). */
  free: ResolveNote[];
  /** When true, unassigned choice points resolve at their worst instead of being enumerated further. */
  exhaust: boolean;
}

/** At most this many alternatives per value; past it, the remaining choices are judged as free values. */
export const MAX_ALTERNATIVES = 32;

const NO_VALUE = '\u0000ALIYUN::NoValue';

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

/** Intrinsics whose value comes from outside the template: judged as free values. */
const EXTERNAL_FUNCTIONS = new Set(['Fn::GetStackOutput', 'Fn::ImportValue', 'Fn::GetJsonValue', 'Fn::Jq']);

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function freeValue(label: string, why: string, ctx: ResolveContext, path: string): string {
  ctx.choices?.free.push({ path, text: why });
  return '${?' + label + '}';
}

/** Deeply resolves a value: objects and arrays keep their shape, intrinsics become strings (or lists). */
export function resolveValue(value: unknown, ctx: ResolveContext, depth = 0, path = ''): unknown {
  const r = resolveInner(value, ctx, depth, path);
  return r === NO_VALUE ? undefined : r;
}

function resolveInner(value: unknown, ctx: ResolveContext, depth: number, path: string): unknown {
  if (depth > 40) return '${…}';
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveInner(v, ctx, depth + 1, `${path}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (isIntrinsic(value)) return resolveIntrinsic(value, ctx, depth + 1, path);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolveInner(v, ctx, depth + 1, path ? `${path}.${k}` : k);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }
  return value;
}

/** Resolves to a string; lists are joined with ',' (only for display). */
export function resolveString(value: unknown, ctx: ResolveContext): string {
  return stringOf(resolveValue(value, ctx));
}

function stringOf(r: unknown): string {
  if (typeof r === 'string') return r;
  if (r === undefined) return '';
  if (typeof r === 'number' || typeof r === 'boolean') return String(r);
  if (Array.isArray(r)) return r.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',');
  return JSON.stringify(r);
}

/** Resolves to a list of strings (a scalar becomes a one-element list; an absent value an empty list). */
export function resolveStringList(value: unknown, ctx: ResolveContext): string[] {
  if (value === undefined || value === null) return [];
  const r = resolveValue(value, ctx);
  if (r === undefined) return [];
  const list = Array.isArray(r) ? r : [r];
  return list.map((x) => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : JSON.stringify(x)));
}

/**
 * Every way `value` can resolve: each undecidable `Fn::If` both ways, each parameter with `AllowedValues` each way
 * (only the choices the value actually meets). Each alternative carries notes saying what was assumed, including
 * free values. At most {@link MAX_ALTERNATIVES}; past that, the remaining choices are judged as free values.
 */
export function resolveAlternatives(value: unknown, ctx: ResolveContext): Alternative[] {
  const out: Alternative[] = [];
  const seen = new Set<string>();
  const stack: Array<Map<string, number>> = [new Map()];
  let budget = MAX_ALTERNATIVES * 4;
  while (stack.length > 0) {
    const assigned = stack.pop()!;
    const exhaust = out.length + stack.length >= MAX_ALTERNATIVES || --budget <= 0;
    const state: ChoiceState = { assigned, met: [], free: [], exhaust };
    const v = resolveValue(value, { ...ctx, choices: state });
    const open = state.met.find((m) => !assigned.has(m.point.key));
    if (open && !exhaust) {
      // Branch on the first undecided choice; push in reverse so the first option is reviewed first.
      for (let i = open.point.options.length - 1; i >= 0; i--) stack.push(new Map(assigned).set(open.point.key, i));
      continue;
    }
    const notes: ResolveNote[] = [];
    const noted = new Set<string>();
    for (const m of state.met) {
      const i = assigned.get(m.point.key);
      const text = i === undefined ? `${m.point.key} not enumerated (over ${MAX_ALTERNATIVES} alternatives): judged at its worst`
        : m.point.describe(m.point.options[i]);
      if (!noted.has(m.path + text)) { noted.add(m.path + text); notes.push({ path: m.path, text }); }
    }
    for (const f of state.free) if (!noted.has(f.path + f.text)) { noted.add(f.path + f.text); notes.push(f); }
    const key = JSON.stringify(v) + '\u0000' + JSON.stringify(notes);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ value: v, notes });
  }
  return out;
}

/** Notes that bear on the value at `path` (met there, inside it, or above it). */
export function notesAt(notes: readonly ResolveNote[], path: string): ResolveNote[] {
  return notes.filter((n) => n.path === '' || n.path === path
    || path.startsWith(n.path + '.') || path.startsWith(n.path + '[')
    || n.path.startsWith(path + '.') || n.path.startsWith(path + '['));
}

/** ` (assumed: ...)` for a finding message, or '' when nothing was assumed. */
export function assumedSuffix(notes: readonly ResolveNote[]): string {
  const texts = [...new Set(notes.map((n) => n.text))];
  return texts.length === 0 ? '' : ` (assumed: ${texts.join('; ')})`;
}

function pseudo(name: string, ctx: ResolveContext, path: string): unknown {
  if (name === 'ALIYUN::Region' && ctx.region) return ctx.region;
  if (name === 'ALIYUN::AccountId' && ctx.accountId) return ctx.accountId;
  if (name === 'ALIYUN::NoValue') return NO_VALUE;
  void path;
  return '${' + name + '}';
}

function account(ctx: ResolveContext): string {
  return ctx.accountId ?? '${ALIYUN::AccountId}';
}

function regionOf(ctx: ResolveContext): string {
  return ctx.region ?? '${ALIYUN::Region}';
}

/** True when a resolved string holds a free placeholder (a value the deployer or another stack chooses). */
export function hasFree(s: string): boolean {
  return /\$\{\?[^}]*\}/.test(s);
}

/**
 * The physical name of a resource in the same template, when its name property resolves to something specific.
 * A name built from a free value is not returned: the resource is still the one this template creates.
 */
export function resourceName(logicalId: string, ctx: ResolveContext, depth = 0): string | undefined {
  const res = ctx.template.Resources?.[logicalId];
  if (!res) return undefined;
  const prop = NAME_PROPERTY[res.Type];
  if (!prop) return undefined;
  const raw = res.Properties?.[prop];
  if (raw === undefined) return undefined;
  // Resolved without recording choices: the name of a resource the template creates is not the deployer's pick of
  // *which* resource, so choices and free values inside it do not widen what a reference to it means.
  const r = resolveValue(raw, { template: ctx.template, region: ctx.region, accountId: ctx.accountId }, depth + 1);
  return typeof r === 'string' && !hasFree(r) && !hasChoicePlaceholder(r) ? r : undefined;
}

function hasChoicePlaceholder(s: string): boolean {
  return s.includes('${Fn::If}');
}

function choose(point: ChoicePoint, ctx: ResolveContext, path: string): { option: unknown } | undefined {
  const st = ctx.choices;
  if (!st) return undefined;
  st.met.push({ point, path });
  const i = st.assigned.get(point.key);
  if (i !== undefined) return { option: point.options[i] };
  if (st.exhaust) return undefined;
  return { option: point.options[0] };
}

function parameterValue(name: string, ctx: ResolveContext, depth: number, path: string): unknown {
  const param = ctx.template.Parameters?.[name] as Record<string, unknown>;
  const isList = typeof param.Type === 'string' && /List/i.test(param.Type);
  const shape = (v: unknown): unknown => (isList && typeof v === 'string' ? v.split(',') : v);
  if (Array.isArray(param.AllowedValues) && param.AllowedValues.length > 0) {
    const c = choose({
      key: `parameter ${name}`,
      options: param.AllowedValues,
      describe: (o) => `parameter ${name} = ${JSON.stringify(o)} (one of its AllowedValues)`,
    }, ctx, path);
    if (c) return shape(resolveInner(c.option, ctx, depth + 1, path));
    if (!ctx.choices) return param.Default !== undefined ? shape(resolveInner(param.Default, ctx, depth + 1, path)) : '${' + name + '}';
    return freeValue(name, `parameter ${name}: any of its AllowedValues`, ctx, path);
  }
  if (param.Default !== undefined) return shape(resolveInner(param.Default, ctx, depth + 1, path));
  return freeValue(name, `parameter ${name} has no default: it could be anything, "*" included`, ctx, path);
}

function ref(name: string, ctx: ResolveContext, depth: number, path: string): unknown {
  if (name.startsWith('ALIYUN::')) return pseudo(name, ctx, path);
  if (ctx.template.Parameters?.[name]) return parameterValue(name, ctx, depth, path);
  const n = resourceName(name, ctx, depth);
  return n ?? '${' + name + '}';
}

function getAtt(logicalId: string, attr: string, ctx: ResolveContext, depth: number, path = ''): unknown {
  const res = ctx.template.Resources?.[logicalId];
  const placeholder = '${' + logicalId + '.' + attr + '}';
  if (!res) return placeholder;
  if (res.Type === 'ALIYUN::ROS::Stack' && attr.startsWith('Outputs.')) {
    // An output of a nested stack is whatever the nested template says: read it when it is written there as a
    // literal, otherwise judge it at its worst.
    let body = res.Properties?.TemplateBody;
    if (typeof body === 'string') {
      try { body = JSON.parse(body); } catch { body = undefined; }
    }
    const out = (body as RosTemplate | undefined)?.Outputs?.[attr.slice('Outputs.'.length)] as Record<string, unknown> | undefined;
    if (out && (typeof out.Value === 'string' || typeof out.Value === 'number')) return String(out.Value);
    return freeValue(`${logicalId}.${attr}`, `output ${attr.slice(8)} of nested stack ${logicalId} is not known: judged as any value`, ctx, path);
  }
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

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a resolved value is fully known (no placeholder of any kind). */
function known(v: unknown): boolean {
  if (typeof v === 'string') return !/\$\{[^}]*\}/.test(v);
  if (Array.isArray(v)) return v.every(known);
  if (v && typeof v === 'object') return Object.values(v).every(known);
  return true;
}

/** Evaluates a condition expression; undefined when it depends on something not known before deployment. */
function evalCondition(expr: unknown, ctx: ResolveContext, depth: number, path: string): boolean | undefined {
  if (depth > 40) return undefined;
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'string') {
    if (/^(true|false)$/i.test(expr)) return expr.toLowerCase() === 'true';
    return conditionValue(expr, ctx, depth + 1, path);
  }
  if (expr && typeof expr === 'object' && !Array.isArray(expr) && Object.keys(expr).length === 1 && 'Condition' in expr) {
    const name = (expr as Record<string, unknown>).Condition;
    return typeof name === 'string' ? conditionValue(name, ctx, depth + 1, path) : undefined;
  }
  if (!isIntrinsic(expr)) return undefined;
  const [fn] = Object.keys(expr);
  const arg = expr[fn];
  const args = asList(arg) ?? [];
  switch (fn) {
    case 'Fn::Equals': {
      const [a, b] = args.map((x) => resolveInner(x, ctx, depth + 1, path));
      return known(a) && known(b) ? deepEqual(a, b) : undefined;
    }
    case 'Fn::Not': {
      const v = evalCondition(args[0] ?? arg, ctx, depth + 1, path);
      return v === undefined ? undefined : !v;
    }
    case 'Fn::And': {
      const vs = args.map((x) => evalCondition(x, ctx, depth + 1, path));
      if (vs.some((v) => v === false)) return false;
      return vs.every((v) => v === true) ? true : undefined;
    }
    case 'Fn::Or': {
      const vs = args.map((x) => evalCondition(x, ctx, depth + 1, path));
      if (vs.some((v) => v === true)) return true;
      return vs.every((v) => v === false) ? false : undefined;
    }
    default: {
      const v = resolveInner(expr, ctx, depth + 1, path);
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      return undefined;
    }
  }
}

function conditionValue(name: string, ctx: ResolveContext, depth: number, path: string): boolean | undefined {
  const conds = ctx.template.Conditions as Record<string, unknown> | undefined;
  if (!conds || !(name in conds)) return undefined;
  return evalCondition(conds[name], ctx, depth + 1, path);
}

function resolveIf(arg: unknown, ctx: ResolveContext, depth: number, path: string): unknown {
  const a = asList(arg);
  if (!a || a.length !== 3) return freeValue('Fn::If', 'a malformed Fn::If: judged as any value', ctx, path);
  const cond = typeof a[0] === 'string' ? a[0] : undefined;
  const decided = cond !== undefined ? conditionValue(cond, ctx, depth, path) : evalCondition(a[0], ctx, depth, path);
  if (decided !== undefined) return resolveInner(decided ? a[1] : a[2], ctx, depth + 1, path);
  const label = cond ?? JSON.stringify(a[0]);
  const c = choose({
    key: `condition ${label}`,
    options: [true, false],
    describe: (o) => `condition ${label} ${o ? 'true' : 'false'} (both branches of Fn::If are reviewed)`,
  }, ctx, path);
  if (c) return resolveInner(c.option ? a[1] : a[2], ctx, depth + 1, path);
  if (!ctx.choices) return '${Fn::If}';
  return freeValue('Fn::If', `Fn::If on condition ${label}: any branch`, ctx, path);
}

function resolveSub(arg: unknown, ctx: ResolveContext, depth: number, path: string): unknown {
  const a = asList(arg);
  const text = typeof arg === 'string' ? arg : a && typeof a[0] === 'string' ? a[0] : undefined;
  if (text === undefined) return freeValue('Fn::Sub', 'an Fn::Sub that cannot be read: judged as any value', ctx, path);
  const vars = a && a[1] && typeof a[1] === 'object' ? (a[1] as Record<string, unknown>) : {};
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
    if (name in vars) return stringOf(resolveInner(vars[name], ctx, depth + 1, path));
    if (name.includes('.') && !name.startsWith('ALIYUN::')) {
      const i = name.indexOf('.');
      return stringOf(getAtt(name.slice(0, i), name.slice(i + 1), ctx, depth, path));
    }
    return stringOf(ref(name, ctx, depth, path));
  });
}

function resolveIntrinsic(value: Record<string, unknown>, ctx: ResolveContext, depth: number, path: string): unknown {
  const [fn] = Object.keys(value);
  const arg = value[fn];
  const sub = (v: unknown) => resolveInner(v, ctx, depth + 1, path);
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, ctx, depth, path) : freeValue('Ref', 'a Ref that cannot be read: judged as any value', ctx, path);
    case 'Fn::GetAtt': {
      const a = asList(arg);
      if (a && typeof a[0] === 'string' && typeof a[1] === 'string') return getAtt(a[0], a[1], ctx, depth, path);
      if (typeof arg === 'string' && arg.includes('.')) {
        const i = arg.indexOf('.');
        return getAtt(arg.slice(0, i), arg.slice(i + 1), ctx, depth, path);
      }
      return '${Fn::GetAtt}';
    }
    case 'Fn::Join': {
      const a = asList(arg);
      if (!a || typeof a[0] !== 'string') return freeValue('Fn::Join', 'an Fn::Join that cannot be read: judged as any value', ctx, path);
      const parts = sub(a[1]);
      if (!Array.isArray(parts)) return typeof parts === 'string' ? parts : freeValue('Fn::Join', 'an Fn::Join over an unknown list: judged as any value', ctx, path);
      return parts.map((p) => stringOf(p)).join(a[0]);
    }
    case 'Fn::Sub':
      return resolveSub(arg, ctx, depth, path);
    case 'Fn::If':
      return resolveIf(arg, ctx, depth, path);
    case 'Fn::Select': {
      const a = asList(arg);
      if (!a) return freeValue('Fn::Select', 'an Fn::Select that cannot be read: judged as any value', ctx, path);
      const index = Number(sub(a[0]));
      const list = sub(a[1]);
      if (Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length) return list[index];
      if (Array.isArray(list) && list.every((x) => typeof x === 'string') && ctx.choices) {
        // Unknown index into a known list: every element is possible; take the one that is worst for wildcards.
        const wild = (list as string[]).find((x) => x.includes('*') || hasFree(x));
        if (wild !== undefined) return wild;
      }
      return freeValue('Fn::Select', 'an Fn::Select whose result is not known: judged as any value', ctx, path);
    }
    case 'Fn::Split': {
      const a = asList(arg);
      if (!a || typeof a[0] !== 'string') return freeValue('Fn::Split', 'an Fn::Split that cannot be read: judged as any value', ctx, path);
      const s = sub(a[1]);
      return typeof s === 'string' ? s.split(a[0]) : freeValue('Fn::Split', 'an Fn::Split of an unknown value: judged as any value', ctx, path);
    }
    case 'Fn::Str': {
      const s = sub(arg);
      return typeof s === 'string' || typeof s === 'number' || typeof s === 'boolean' ? String(s) : freeValue('Fn::Str', 'an Fn::Str of an unknown value', ctx, path);
    }
    case 'Fn::Replace': {
      // {"Fn::Replace": [{"search": "replacement", ...}, "text"]}
      const a = asList(arg);
      const map = a ? sub(a[0]) : undefined;
      const text = a ? sub(a[1]) : undefined;
      if (map && typeof map === 'object' && !Array.isArray(map) && typeof text === 'string') {
        let out = text;
        for (const [k, v] of Object.entries(map as Record<string, unknown>)) out = out.split(k).join(stringOf(v));
        return out;
      }
      return freeValue('Fn::Replace', 'an Fn::Replace whose inputs are not known: judged as any value', ctx, path);
    }
    case 'Fn::Base64Decode': {
      const s = sub(arg);
      if (typeof s === 'string' && known(s) && /^[A-Za-z0-9+/=\s]*$/.test(s)) return Buffer.from(s, 'base64').toString('utf8');
      return freeValue('Fn::Base64Decode', 'an Fn::Base64Decode of an unknown value: judged as any value', ctx, path);
    }
    case 'Fn::Base64Encode': {
      const s = sub(arg);
      return typeof s === 'string' && known(s) ? Buffer.from(s, 'utf8').toString('base64') : '${Fn::Base64Encode}';
    }
    case 'Fn::Equals': {
      const v = evalCondition(value, ctx, depth, path);
      return v === undefined ? freeValue('Fn::Equals', 'an Fn::Equals that cannot be decided', ctx, path) : v;
    }
    case 'Fn::FindInMap': {
      const a = asList(arg);
      const maps = ctx.template.Mappings as Record<string, Record<string, Record<string, unknown>>> | undefined;
      if (a && a.length === 3 && maps) {
        const [m, k1raw, k2raw] = a.map((x) => sub(x));
        const map = typeof m === 'string' ? maps[m] : undefined;
        if (map && typeof map === 'object') {
          // A key only known at deploy time (ALIYUN::Region, a parameter) can be any key of the map: each is reviewed.
          const key = (k: unknown, level: Record<string, unknown>, label: string): string | undefined => {
            if (typeof k === 'string' && k in level) return k;
            const keys = Object.keys(level);
            if (keys.length === 0) return undefined;
            const c = choose({ key: `${label} of mapping ${m}`, options: keys, describe: (o) => `mapping ${m} key ${JSON.stringify(o)} (the key is only known at deploy time)` }, ctx, path);
            return c ? String(c.option) : undefined;
          };
          const k1 = key(k1raw, map, 'first key');
          const level = k1 !== undefined ? map[k1] : undefined;
          if (level && typeof level === 'object') {
            const k2 = key(k2raw, level as Record<string, unknown>, `second key under ${k1}`);
            const v = k2 !== undefined ? (level as Record<string, unknown>)[k2] : undefined;
            if (v !== undefined) return sub(v);
          }
        }
      }
      return freeValue('Fn::FindInMap', 'an Fn::FindInMap whose keys are not known: judged as any value', ctx, path);
    }
    default:
      if (EXTERNAL_FUNCTIONS.has(fn)) return freeValue(fn, `${fn} reads a value from outside the template: judged as any value`, ctx, path);
      return freeValue(fn, `${fn} is not evaluated by the reviewer: judged as any value`, ctx, path);
  }
}

/** True when a resolved string still contains a placeholder for a value only known at deploy time. */
export function hasPlaceholder(s: string): boolean {
  return /\$\{[^}]*\}/.test(s);
}
