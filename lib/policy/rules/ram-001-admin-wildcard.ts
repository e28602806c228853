import { grantingStatements, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_001_ADMIN_WILDCARD: PolicyRule = {
  id: 'IPROD-RAM-001',
  severity: 'error',
  title: 'Allow of every action on every resource',
  description: 'A statement allows Action "*" on Resource "*": the principal can do anything the account can, '
    + 'including granting itself more.',
  fixHint: 'List the exact actions (e.g. `ice:SubmitIProductionJob`) and the resources they need.',
  check(model) {
    return grantingStatements(model)
      .filter(({ stmt }) => !stmt.notAction && !stmt.notResource && stmt.actions.includes('*') && stmt.resources.includes('*'))
      .map(({ doc, stmt }) => ({
        logicalId: doc.logicalId,
        jsonPath: stmt.jsonPath,
        detail: stmt.detail,
        message: `${where(doc)} Statement[${stmt.index}] allows Action "*" on Resource "*"`,
      }));
  },
};
