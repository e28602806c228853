import { classifySystemPolicy } from '../catalogue';
import { assumedSuffix, hasFree } from '../intrinsics';
import { PolicyAttachment } from '../model';
import { RuleFinding } from '../types';
import { PolicyRule } from './rule';

/** A name-attached policy's type, as RAM reads it (case-insensitive), or 'free' when the deployer picks it. */
export function attachmentType(a: PolicyAttachment): 'system' | 'custom' | 'free' | 'other' {
  if (hasFree(a.policyType)) return 'free';
  const t = a.policyType.toLowerCase();
  return t === 'system' ? 'system' : t === 'custom' ? 'custom' : 'other';
}

export const RAM_010_BROAD_SYSTEM_POLICY: PolicyRule = {
  id: 'IPROD-RAM-010',
  severity: 'error',
  title: 'Administrator, FullAccess or role-assuming system policy attached',
  description: 'A system policy that hands out the whole account (AdministratorAccess), a whole service '
    + '(Aliyun*FullAccess), identity management (AliyunRAM*/AliyunIMS*/AliyunResourceManager* write access) or '
    + 'every role of the account (AliyunSTSAssumeRoleAccess) is attached to a role, user or group, by a '
    + 'PolicyAttachments property, ALIYUN::RAM::AttachPolicyTo*, or ALIYUN::ResourceManager::PolicyAttachment. A '
    + 'system policy name the deployer picks (a parameter without a default) is judged as AdministratorAccess.',
  fixHint: 'Attach a custom policy with the exact actions instead (the constructs\' grant methods render one per role).',
  check(model) {
    const out: RuleFinding[] = [];
    for (const a of model.attachments) {
      const type = attachmentType(a);
      if (type !== 'system' && type !== 'free') continue;
      const to = `${a.principal.kind} ${a.principal.name}`;
      if (hasFree(a.policyName)) {
        out.push({ logicalId: a.logicalId, jsonPath: a.jsonPath, detail: a.detail,
          message: `a system policy chosen at deploy time (${a.policyName}) is attached to ${to}: judged as AdministratorAccess${assumedSuffix(a.notes ?? [])}` });
        continue;
      }
      const c = classifySystemPolicy(a.policyName);
      if (c.cls !== 'admin') continue;
      out.push({ logicalId: a.logicalId, jsonPath: a.jsonPath, detail: a.detail,
        message: `system policy ${a.policyName} is attached to ${to}: ${c.why}${assumedSuffix(a.notes ?? [])}` });
    }
    return out;
  },
};
