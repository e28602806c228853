import { classifySystemPolicy } from '../catalogue';
import { assumedSuffix, hasFree } from '../intrinsics';
import { attachmentType } from './ram-010-broad-system-policy';
import { PolicyRule } from './rule';

export const RAM_016_BROAD_READ_SYSTEM_POLICY: PolicyRule = {
  id: 'IPROD-RAM-016',
  severity: 'error',
  title: 'System policy that reads a whole account or service',
  description: 'ReadOnlyAccess, or Aliyun{Service}ReadOnlyAccess for a service that authorizes per resource '
    + '(OSS, MNS, FC, KMS, Tablestore, SLS, ...), or AliyunFCInvocationAccess, is attached: the principal reads '
    + '(or invokes) every bucket, queue, function or key of the account, other stacks\' customer media included, not '
    + 'just this stack\'s. (Read-only policies of operation-only services such as AliyunICEReadOnlyAccess are not '
    + 'reported.)',
  fixHint: 'Grant reads on the named resources with a custom policy (MediaBucket.grantRead does).',
  check(model) {
    return model.attachments
      .filter((a) => attachmentType(a) === 'system' && !hasFree(a.policyName))
      .flatMap((a) => {
        const c = classifySystemPolicy(a.policyName);
        if (c.cls !== 'broad') return [];
        return [{ logicalId: a.logicalId, jsonPath: a.jsonPath, detail: a.detail,
          message: `system policy ${a.policyName} is attached to ${a.principal.kind} ${a.principal.name}: ${c.why}${assumedSuffix(a.notes ?? [])}` }];
      });
  },
};
