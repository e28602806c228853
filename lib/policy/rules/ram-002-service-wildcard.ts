import { grantingStatements, list, where } from './helpers';
import { PolicyRule } from './rule';

function isServiceWide(action: string): boolean {
  return action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action);
}

export const RAM_002_SERVICE_WILDCARD: PolicyRule = {
  id: 'IPROD-RAM-002',
  severity: 'error',
  title: 'Service-wide wildcard action',
  description: 'A statement allows every action of a service (`oss:*`, `ice:*`) or `*` on specific resources: '
    + 'it grants administration (deleting buckets, changing ACLs and policies) along with the data access needed.',
  fixHint: 'Replace the wildcard with the named actions the workload calls (see the action catalogue in docs/policy.md).',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction)
      .flatMap(({ doc, stmt }) => {
        // Action "*" on Resource "*" is IPROD-RAM-001's finding; do not report it twice.
        const wild = stmt.actions.filter((a) => isServiceWide(a) && !(a === '*' && stmt.resources.includes('*')));
        if (wild.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] allows service-wide ${list(wild)} on ${list(stmt.resources)}`,
        }];
      });
  },
};
