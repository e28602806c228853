import { actionInfo, SERVICES } from '../catalogue';
import { hasWildcard, matchesEverything, spansServices, toGlob } from '../../service/ram-patterns';
import { grantingStatements, list, patternsOf, unique, where } from './helpers';
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
        const opOnly = unique(patternsOf(stmt).filter((p) => {
          if (spansServices(p)) return false;
          // A resource pattern that matches every string (a free parameter) is as good as "*".
          if (stmt.resources.some((r) => matchesEverything(toGlob(r)))) return false;
          if (hasWildcard(p.name)) {
            const svc = SERVICES[p.service];
            return svc !== undefined && !svc.resourceLevel;
          }
          const info = actionInfo(`${p.service}:${p.name}`);
          return info !== undefined && info.catalogued && !info.resourceLevel;
        }).map((p) => p.raw));
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
