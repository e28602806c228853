/**
 * Resource changes: read from a ROS change set (`Changes[].ResourceChange`), or computed from two templates when no
 * change set exists (diff, and a stack not yet created). Locally, a changed physical name means replacement (names
 * are immutable for every named type in lib/service/name-scopes.ts); other changes show as modifications.
 */
import { NAMED_RESOURCE_TYPES } from '../service/name-scopes';
import { RosTemplate } from '../policy/types';

export type ChangeAction = 'add' | 'modify' | 'replace' | 'remove';

export interface ResourceChangeLine {
  readonly action: ChangeAction;
  readonly logicalId: string;
  readonly type: string;
  /** Properties that change (modify/replace), when known. */
  readonly properties?: string[];
  /** `Conditional` replacement of a change set: ROS may replace it. */
  readonly mayReplace?: boolean;
}

const ORDER: Record<ChangeAction, number> = { add: 0, modify: 1, replace: 2, remove: 3 };

function sortChanges(list: ResourceChangeLine[]): ResourceChangeLine[] {
  return list.sort((a, b) => ORDER[a.action] - ORDER[b.action] || (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
}

/** From ROS change set `Changes` (`{Type: 'Resource', ResourceChange: {...}}`). */
export function changesFromChangeSet(changes: ReadonlyArray<Record<string, unknown>>): ResourceChangeLine[] {
  const out: ResourceChangeLine[] = [];
  for (const c of changes) {
    const rc = (c.ResourceChange ?? c) as Record<string, unknown>;
    const logicalId = String(rc.LogicalResourceId ?? '');
    const type = String(rc.ResourceType ?? '');
    const details = Array.isArray(rc.Details) ? rc.Details as Array<{ Target?: { Name?: unknown } }> : [];
    const properties = [...new Set(details.map((d) => d.Target?.Name).filter((n): n is string => typeof n === 'string'))].sort();
    switch (rc.Action) {
      case 'Add': out.push({ action: 'add', logicalId, type }); break;
      case 'Remove': out.push({ action: 'remove', logicalId, type }); break;
      case 'Modify': {
        const replacement = String(rc.Replacement ?? 'False');
        out.push({
          action: replacement === 'True' ? 'replace' : 'modify', logicalId, type, properties,
          ...(replacement === 'Conditional' ? { mayReplace: true } : {}),
        });
        break;
      }
      default: out.push({ action: 'modify', logicalId, type, properties });
    }
  }
  return sortChanges(out);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order does not make two JSON values different. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function sameTemplate(a: unknown, b: unknown): boolean {
  return same(a, b);
}

/** What turning `before` (undefined: no stack) into `after` does to resources. */
export function changesBetween(before: RosTemplate | undefined, after: RosTemplate): ResourceChangeLine[] {
  const out: ResourceChangeLine[] = [];
  const old = before?.Resources ?? {};
  const now = after.Resources ?? {};
  for (const [id, r] of Object.entries(now)) {
    const was = old[id];
    if (!was) {
      out.push({ action: 'add', logicalId: id, type: r.Type });
      continue;
    }
    if (was.Type !== r.Type) {
      out.push({ action: 'replace', logicalId: id, type: r.Type, properties: ['Type'] });
      continue;
    }
    const keys = [...new Set([...Object.keys(was.Properties ?? {}), ...Object.keys(r.Properties ?? {})])].sort();
    const changed = keys.filter((k) => !same(was.Properties?.[k], r.Properties?.[k]));
    const other = ['DependsOn', 'DeletionPolicy', 'Metadata', 'Condition'].filter((k) => !same(was[k], r[k]));
    if (changed.length === 0 && other.length === 0) continue;
    const nameProperty = NAMED_RESOURCE_TYPES.find((t) => t.type === r.Type)?.nameProperty;
    const replace = nameProperty !== undefined && changed.includes(nameProperty);
    out.push({ action: replace ? 'replace' : 'modify', logicalId: id, type: r.Type, properties: [...changed, ...other] });
  }
  for (const [id, r] of Object.entries(old)) if (!(id in now)) out.push({ action: 'remove', logicalId: id, type: r.Type });
  return sortChanges(out);
}

const SIGN: Record<ChangeAction, string> = { add: '+', modify: '~', replace: '±', remove: '-' };

export function renderResourceChanges(changes: readonly ResourceChangeLine[]): string {
  const count = (a: ChangeAction) => changes.filter((c) => c.action === a).length;
  let out = `  ${count('add')} to add, ${count('modify')} to modify, ${count('replace')} to replace, ${count('remove')} to remove\n`;
  for (const c of changes) {
    const props = c.properties && c.properties.length ? ` (${c.properties.join(', ')})` : '';
    const note = c.action === 'replace' ? ' [replaced]' : c.mayReplace ? ' [may be replaced]' : '';
    out += `  ${SIGN[c.action]} ${c.logicalId}  ${c.type}${props}${note}\n`;
  }
  return out;
}

export interface ParameterChange {
  readonly key: string;
  readonly before?: string;
  readonly after?: string;
}

/** Parameter values that differ; ROS's pseudo parameters (`ALIYUN::*`) are not the template's and are left out. */
export function parameterChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): ParameterChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !k.startsWith('ALIYUN::')).sort();
  return keys.filter((k) => before[k] !== after[k]).map((k) => ({ key: k, ...(k in before ? { before: before[k] } : {}), ...(k in after ? { after: after[k] } : {}) }));
}

export function renderParameterChanges(changes: readonly ParameterChange[]): string {
  return changes.map((c) => `  ~ ${c.key}: ${c.before === undefined ? '(unset)' : JSON.stringify(c.before)} -> ${c.after === undefined ? '(unset)' : JSON.stringify(c.after)}\n`).join('');
}
