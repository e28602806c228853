import { actionInfo, expandAction, SERVICES, splitAction } from '../catalogue';
import { grantingStatements, list, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_005_UNKNOWN_ACTION: PolicyRule = {
  id: 'IPROD-RAM-005',
  severity: 'warning',
  title: 'Unknown action',
  description: 'An action of ice, mts, oss, mns, fc, ram or sts is not in the catalogue: usually a typo '
    + '(`ice:SubmitIproductionJobs`) that makes the grant useless. Wildcard patterns that match no known action '
    + 'are reported too.',
  fixHint: 'Check the spelling against the service\'s RAM action list; if the action is real and new, add it to '
    + 'lib/policy/catalogue.ts.',
  check(model) {
    return grantingStatements(model, ['identity', 'bucket'])
      .flatMap(({ doc, stmt }) => {
        const unknown = unique(stmt.actions.filter((a) => {
          if (a === '*') return false;
          const parts = splitAction(a);
          if (!parts || !SERVICES[parts.service]) return false;
          if (parts.name === '*') return false;
          if (a.includes('*') || a.includes('?')) return expandAction(a).length === 0;
          return !actionInfo(a)!.known;
        }));
        if (unknown.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] names unknown action(s) ${list(unknown)}`,
        }];
      });
  },
};
