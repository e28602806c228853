import { actionInfo, SERVICES } from '../catalogue';
import { grantingStatements, list, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_004_ARN_ON_OPERATION_ONLY: PolicyRule = {
  id: 'IPROD-RAM-004',
  severity: 'error',
  title: 'Specific resource on an operation-only action',
  description: 'ice and mts (and a few list operations) authorize by operation only: their only resource is "*". '
    + 'A statement that names a specific ARN for them matches no request, so the grant silently does nothing and '
    + 'jobs fail with Forbidden.RAM at run time.',
  fixHint: 'Put these actions in their own statement with `Resource: "*"`.',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction && !stmt.notResource && !stmt.resources.includes('*') && stmt.resources.length > 0)
      .flatMap(({ doc, stmt }) => {
        const opOnly = unique(stmt.actions.filter((a) => {
          if (a.endsWith(':*')) {
            const svc = SERVICES[a.slice(0, -2).toLowerCase()];
            return svc !== undefined && !svc.resourceLevel;
          }
          const info = actionInfo(a);
          return info !== undefined && info.catalogued && !info.resourceLevel;
        }));
        if (opOnly.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] scopes ${list(opOnly)} to ${list(stmt.resources)}; `
            + 'these actions only match Resource "*", so the grant has no effect',
        }];
      });
  },
};
