import { actionInfo, SERVICES } from '../catalogue';
import { hasWildcard, nameMatches, spansServices } from '../../service/ram-patterns';
import { grantingStatements, list, patternsOf, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_005_UNKNOWN_ACTION: PolicyRule = {
  id: 'IPROD-RAM-005',
  severity: 'warning',
  title: 'Unknown action or service',
  description: 'An action of a service whose action list the catalogue holds in full (ice, mts, oss, mns, fc, ram, '
    + 'sts) is not in it: usually a typo (`ice:SubmitIproductionJobs`) that makes the grant useless; wildcard '
    + 'patterns that match no known action are reported too. An action of a service the catalogue does not know at '
    + 'all is reported as well: the reviewer cannot tell what it reaches (on a wildcard resource IPROD-RAM-003 '
    + 'judges it as if the service authorized per resource).',
  fixHint: 'Check the spelling against the service\'s RAM action list; if the action or service is real and new, add '
    + 'it to lib/service/ram-services.ts.',
  check(model) {
    return grantingStatements(model, ['identity', 'bucket'])
      .flatMap(({ doc, stmt }) => {
        const typos: string[] = [];
        const services: string[] = [];
        for (const p of patternsOf(stmt)) {
          if (spansServices(p)) continue;
          const svc = SERVICES[p.service];
          if (!svc) { services.push(p.raw); continue; }
          if (svc.complete === false || p.name === '*') continue;
          if (hasWildcard(p.name)) {
            if (!Object.keys(svc.actions).some((a) => nameMatches(p, a))) typos.push(p.raw);
          } else if (!actionInfo(`${p.service}:${p.name}`)!.known) typos.push(p.raw);
        }
        const parts = [
          ...(typos.length ? [`names unknown action(s) ${list(unique(typos))}`] : []),
          ...(services.length ? [`names action(s) of service(s) the reviewer's catalogue does not know: ${list(unique(services))}`] : []),
        ];
        if (parts.length === 0) return [];
        return [{
          logicalId: doc.logicalId,
          jsonPath: stmt.jsonPath,
          detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] ${parts.join('; ')}`,
        }];
      });
  },
};
