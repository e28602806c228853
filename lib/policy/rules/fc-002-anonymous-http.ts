import { assumedSuffix, hasFree } from '../intrinsics';
import { RuleFinding } from '../types';
import { PolicyRule } from './rule';

const TRIGGER_TYPES = new Set(['ALIYUN::FC::Trigger', 'ALIYUN::FC3::Trigger']);
/** Authentication types that make a caller prove who they are (FC 2.0 `function`, FC 3.0 also `jwt`). */
const AUTHENTICATED = new Set(['function', 'jwt']);

/** A key of an object read case-insensitively: FC 2.0 writes `AuthType`, FC 3.0's triggerConfig `authType`. */
export function propertyCI(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : (obj as Record<string, unknown>)[k];
}

function parsed(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch { return v; }
}

export const FC_002_ANONYMOUS_HTTP: PolicyRule = {
  id: 'IPROD-FC-002',
  severity: 'error',
  title: 'Anonymous HTTP trigger',
  description: 'An HTTP trigger (ALIYUN::FC::Trigger `TriggerConfig.AuthType`, ALIYUN::FC3::Trigger '
    + '`TriggerConfig.authType`, either as an object or as JSON text) that is anonymous, sets no authentication, or '
    + 'takes it from a value chosen at deploy time lets anyone on the internet invoke the function, and through it '
    + 'submit media jobs billed to the account. `function` (signed requests) and FC 3.0 `jwt` are not reported.',
  fixHint: 'Set the trigger\'s auth type to "function" (signed requests) or drop the HTTP trigger.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const [id, r] of model.resources) {
      if (!TRIGGER_TYPES.has(r.Type)) continue;
      const props = r.Properties ?? {};
      for (const typeAlt of model.alternatives(props.TriggerType ?? '')) {
        const type = String(typeAlt.value ?? '');
        if (type.toLowerCase() !== 'http' && !hasFree(type)) continue;
        for (const cfgAlt of model.alternatives(props.TriggerConfig)) {
          const auth = propertyCI(parsed(cfgAlt.value), 'AuthType');
          const a = typeof auth === 'string' ? auth : undefined;
          if (a !== undefined && AUTHENTICATED.has(a.toLowerCase())) continue;
          const notes = assumedSuffix([...typeAlt.notes, ...cfgAlt.notes]);
          const what = a === undefined ? 'sets no auth type'
            : hasFree(a) ? `takes its auth type from a value chosen at deploy time (${a}), which could be "anonymous"`
              : `has auth type "${a}"`;
          out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties.TriggerConfig`,
            message: `HTTP trigger ${id} (${r.Type}) ${what}${hasFree(type) ? ' (its TriggerType is chosen at deploy time and could be http)' : ''}${notes}` });
        }
      }
    }
    return out;
  },
};
