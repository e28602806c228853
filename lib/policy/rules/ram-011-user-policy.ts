import { RuleFinding } from '../types';
import { where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_011_USER_POLICY: PolicyRule = {
  id: 'IPROD-RAM-011',
  severity: 'warning',
  title: 'Policy attached to a RAM user',
  description: 'Permissions granted to users travel with long-lived credentials. Grant to roles assumed through '
    + 'STS (the function\'s service role, an ECS/ACK role) instead.',
  fixHint: 'Attach the policy to a role and let the workload assume it.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'identity') continue;
      const users = doc.attachedTo.filter((p) => p.kind === 'user');
      if (users.length === 0) continue;
      out.push({
        logicalId: doc.logicalId,
        jsonPath: doc.resourceType === 'ALIYUN::RAM::User' ? doc.jsonPath : `Resources.${doc.logicalId}.Properties.Users`,
        detail: doc.resourceType === 'ALIYUN::RAM::User' ? doc.propertyPath : 'Users',
        message: `${where(doc)} is attached to user(s) ${users.map((u) => u.name).join(', ')}`,
      });
    }
    for (const a of model.attachments) {
      if (a.principal.kind !== 'user') continue;
      out.push({
        logicalId: a.logicalId, jsonPath: a.jsonPath, detail: a.detail,
        message: `${a.policyType} policy ${a.policyName} is attached to user ${a.principal.name}`,
      });
    }
    return out;
  },
};
