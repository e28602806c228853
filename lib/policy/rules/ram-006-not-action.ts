import { grantingStatements, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_006_NOT_ACTION: PolicyRule = {
  id: 'IPROD-RAM-006',
  severity: 'error',
  title: 'Allow with NotAction or NotResource',
  description: 'An Allow with NotAction grants every action except the listed ones (new actions included as the '
    + 'services add them); an Allow with NotResource grants on every resource except the listed ones.',
  fixHint: 'Invert the statement: Allow the listed actions on the listed resources; use Deny with NotAction only '
    + 'to fence off a principal.',
  check(model) {
    return grantingStatements(model, ['identity', 'bucket'])
      .filter(({ stmt }) => stmt.notAction || stmt.notResource)
      .map(({ doc, stmt }) => ({
        logicalId: doc.logicalId,
        jsonPath: stmt.jsonPath,
        detail: stmt.detail,
        message: `${where(doc)} Statement[${stmt.index}] is an Allow with `
          + `${[stmt.notAction ? 'NotAction' : '', stmt.notResource ? 'NotResource' : ''].filter(Boolean).join(' and ')}`,
      }));
  },
};
