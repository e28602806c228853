import { reachOf } from '../catalogue';
import { isAllActions } from '../../service/ram-patterns';
import { assumed, grantingStatements, list, patternsOf, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_009_PERMISSION_MANAGEMENT: PolicyRule = {
  id: 'IPROD-RAM-009',
  severity: 'error',
  title: 'Identity or permission management allowed',
  description: 'The principal may create or attach policies, create users, roles, groups, AccessKeys or console '
    + 'logins, add users to groups, pass or assume roles, under every prefix RAM identity and permission management '
    + 'exists under: `ram:` (`ram:*`, `ram:CreatePolicy`, `ram:AttachPolicyTo*`, `ram:PassRole`), `ims:` '
    + '(`ims:CreateUser`, `ims:CreateAccessKey`), `sts:` (`sts:AssumeRole`) and `resourcemanager:` '
    + '(`resourcemanager:AttachPolicy`), and through patterns that reach them (`*:Create*`, `r*:*`): a path to '
    + 'grant itself anything.',
  fixHint: 'Remove the action; media jobs need none of them. If a deployment pipeline really needs it, give it a '
    + 'separate role and suppress this finding there with a reason.',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction)
      .flatMap(({ doc, stmt }) => {
        const hits = unique(patternsOf(stmt).filter((p) => !isAllActions(p))
          .flatMap((p) => reachOf(p).services.flatMap((s) => s.permissionManagement)));
        if (hits.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] allows identity or permission management: `
            + `${list(hits.slice(0, 10))}${hits.length > 10 ? ` and ${hits.length - 10} more` : ''}${assumed(stmt)}`,
        }];
      });
  },
};
