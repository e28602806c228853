import { servicesMatching } from '../catalogue';
import { hasWildcard, isAllActions, isServiceWide, spansServices } from '../../service/ram-patterns';
import { RuleFinding } from '../types';
import { assumed, coversAllResources, grantingStatements, list, patternsOf, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_002_SERVICE_WILDCARD: PolicyRule = {
  id: 'IPROD-RAM-002',
  severity: 'error',
  title: 'Wildcard action',
  description: 'A statement allows every action of a service (`oss:*`, `OSS:*`, `ice:*`), actions of every service '
    + '(`*:Get*`, `o*:*`, `*` on specific resources): administration (deleting buckets, changing ACLs and policies) '
    + 'comes with the data access needed. A wildcard inside one service\'s action names (`oss:Get*`) is reported as '
    + 'a warning, with the actions it matches.',
  fixHint: 'Replace the wildcard with the named actions the workload calls (see the action catalogue in docs/policy.md).',
  check(model) {
    const out: RuleFinding[] = [];
    for (const { doc, stmt } of grantingStatements(model, ['identity', 'bucket'])) {
      if (stmt.notAction) continue;
      const all = coversAllResources(stmt);
      const wide: string[] = [];
      const multi: string[] = [];
      const partial: string[] = [];
      for (const p of patternsOf(stmt)) {
        // Every action on every resource is IPROD-RAM-001's finding; do not report it twice.
        if (isAllActions(p) && all) continue;
        if (spansServices(p)) {
          const known = servicesMatching(p).map((s) => s.service);
          multi.push(`${p.raw} (every service matching "${p.service}": ${known.length ? `${known.slice(0, 6).join(', ')}${known.length > 6 ? ', ...' : ''}, ` : ''}and any other)`);
        } else if (isServiceWide(p)) wide.push(p.raw);
        else if (hasWildcard(p.name)) partial.push(p.raw);
      }
      if (wide.length > 0 || multi.length > 0) {
        const what = [...(wide.length ? [`service-wide ${list(wide)}`] : []), ...(multi.length ? [`multi-service ${list(multi)}`] : [])];
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          message: `${where(doc)} Statement[${stmt.index}] allows ${what.join(' and ')} on ${list(stmt.resources)}${assumed(stmt)}` });
      } else if (partial.length > 0) {
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail, severity: 'warning',
          message: `${where(doc)} Statement[${stmt.index}] allows action pattern(s) ${list(partial)}, which match more `
            + `than the operations a workload calls; a warning, not an error: the wildcard stays inside one service's `
            + `operation names${assumed(stmt)}` });
      }
    }
    return out;
  },
};
