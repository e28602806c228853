import { isAllActions } from '../../service/ram-patterns';
import { assumed, coversAllResources, grantingStatements, list, patternsOf, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_001_ADMIN_WILDCARD: PolicyRule = {
  id: 'IPROD-RAM-001',
  severity: 'error',
  title: 'Allow of every action on every resource',
  description: 'A statement allows every action on every resource, however it is spelled: Action `*`, `*:*` or '
    + 'any pattern that matches every action of every service, on Resource `*`, `acs:*` or `acs:*:*:*:*` (or a '
    + 'parameter that could be any of these): the principal can do anything the account can, including granting '
    + 'itself more.',
  fixHint: 'List the exact actions (e.g. `ice:SubmitIProductionJob`) and the resources they need.',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction && !stmt.notResource && patternsOf(stmt).some(isAllActions) && coversAllResources(stmt))
      .map(({ doc, stmt }) => ({
        logicalId: doc.logicalId,
        jsonPath: stmt.jsonPath,
        detail: stmt.detail,
        message: `${where(doc)} Statement[${stmt.index}] allows every action (${list(patternsOf(stmt).filter(isAllActions).map((p) => p.raw))}) `
          + `on every resource (${list(stmt.resources)})${assumed(stmt)}`,
      }));
  },
};
