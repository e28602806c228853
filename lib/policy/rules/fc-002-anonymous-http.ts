import { resolveString, resolveValue } from '../intrinsics';
import { PolicyRule } from './rule';

const TRIGGER_TYPES = new Set(['ALIYUN::FC::Trigger', 'ALIYUN::FC3::Trigger']);

export const FC_002_ANONYMOUS_HTTP: PolicyRule = {
  id: 'IPROD-FC-002',
  severity: 'error',
  title: 'Anonymous HTTP trigger',
  description: 'An HTTP trigger with `TriggerConfig.AuthType` anonymous (or none set) lets anyone on the internet '
    + 'invoke the function, and through it submit media jobs billed to the account.',
  fixHint: 'Set `TriggerConfig.AuthType` to "function" (signed requests) or drop the HTTP trigger.',
  check(model) {
    return model.resources.flatMap(([id, r]) => {
      if (!TRIGGER_TYPES.has(r.Type)) return [];
      if (resolveString(r.Properties?.TriggerType ?? '', model.ctx).toLowerCase() !== 'http') return [];
      const cfg = resolveValue(r.Properties?.TriggerConfig, model.ctx) as Record<string, unknown> | undefined;
      const auth = cfg && typeof cfg === 'object' && typeof cfg.AuthType === 'string' ? cfg.AuthType : undefined;
      if (auth !== undefined && auth.toLowerCase() !== 'anonymous') return [];
      return [{
        logicalId: id,
        jsonPath: `Resources.${id}.Properties.TriggerConfig`,
        message: auth ? `HTTP trigger ${id} has AuthType "${auth}"` : `HTTP trigger ${id} sets no AuthType`,
      }];
    });
  },
};
