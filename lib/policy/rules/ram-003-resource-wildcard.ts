import { actionInfo, expandAction } from '../catalogue';
import { grantingStatements, list, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_003_RESOURCE_WILDCARD: PolicyRule = {
  id: 'IPROD-RAM-003',
  severity: 'error',
  title: 'Resource "*" on actions that support resource-level authorization',
  description: 'OSS, MNS, FC, RAM and STS authorize per resource: `Resource: "*"` on their actions reaches every '
    + 'bucket, queue, function or role of the account. (ice and mts authorize by operation only; "*" is correct '
    + 'for them and is not reported.)',
  fixHint: 'Name the resources: `acs:oss:*:{account}:{bucket}/{prefix}*`, `acs:mns:{region}:{account}:/queues/{name}`, '
    + '`acs:fc:{region}:{account}:services/{service}/functions/{function}`, `acs:ram::{account}:role/{name}`.',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction && !stmt.notResource && stmt.resources.includes('*'))
      .flatMap(({ doc, stmt }) => {
        const scoped = unique(stmt.actions
          .filter((a) => a !== '*')
          .flatMap((a) => (a.includes('*') || a.includes('?') ? expandAction(a) : [a]))
          .filter((a) => {
            const info = actionInfo(a);
            return info !== undefined && info.catalogued && info.resourceLevel;
          }));
        if (scoped.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] allows ${list(scoped.slice(0, 8))}`
            + `${scoped.length > 8 ? ` and ${scoped.length - 8} more` : ''} on Resource "*"; these actions accept specific ARNs`,
        }];
      });
  },
};
