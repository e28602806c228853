import { actionInfo, expandAction } from '../catalogue';
import { grantingStatements, list, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_009_PERMISSION_MANAGEMENT: PolicyRule = {
  id: 'IPROD-RAM-009',
  severity: 'error',
  title: 'Permission-management action allowed',
  description: 'The principal may create or attach policies, create users, roles or AccessKeys, pass or assume '
    + 'roles (`ram:*`, `ram:CreatePolicy`, `ram:AttachPolicyTo*`, `ram:PassRole`, `sts:AssumeRole`, ...): a path to '
    + 'grant itself anything.',
  fixHint: 'Remove the action; media jobs need none of them. If a deployment pipeline really needs it, give it a '
    + 'separate role and suppress this finding there with a reason.',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction)
      .flatMap(({ doc, stmt }) => {
        const hits = unique(stmt.actions.filter((a) => a !== '*').filter((a) => {
          const concrete = a.includes('*') || a.includes('?') ? expandAction(a) : [a];
          return concrete.some((c) => actionInfo(c)?.permissionManagement === true);
        }));
        if (hits.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] allows permission management: ${list(hits)}`,
        }];
      });
  },
};
