import { isBroadSystemPolicy } from '../catalogue';
import { PolicyRule } from './rule';

export const RAM_010_BROAD_SYSTEM_POLICY: PolicyRule = {
  id: 'IPROD-RAM-010',
  severity: 'error',
  title: 'AdministratorAccess or FullAccess system policy attached',
  description: 'A system policy that hands out the whole account (AdministratorAccess) or a whole service '
    + '(Aliyun*FullAccess) is attached to a role, user or group.',
  fixHint: 'Attach a custom policy with the exact actions instead (the constructs\' grant methods render one per role).',
  check(model) {
    return model.attachments
      .filter((a) => a.policyType.toLowerCase() === 'system' && isBroadSystemPolicy(a.policyName))
      .map((a) => ({
        logicalId: a.logicalId,
        jsonPath: a.jsonPath,
        detail: a.detail,
        message: `system policy ${a.policyName} is attached to ${a.principal.kind} ${a.principal.name}`,
      }));
  },
};
