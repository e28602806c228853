import { reachOf } from '../catalogue';
import { isAllActions, readResource } from '../../service/ram-patterns';
import { RuleFinding } from '../types';
import { assumed, coversAllResources, grantingStatements, list, patternsOf, unique, where } from './helpers';
import { PolicyRule } from './rule';

export const RAM_003_RESOURCE_WILDCARD: PolicyRule = {
  id: 'IPROD-RAM-003',
  severity: 'error',
  title: 'Wildcard resource on actions that support resource-level authorization',
  description: 'OSS, MNS, FC, RAM, STS, KMS, ROS, ECS, Tablestore, SLS and the other services of the catalogue that '
    + 'authorize per resource: a resource pattern that reaches every bucket, queue, function, key or role of the '
    + 'account is an error whatever its spelling (`*`, `acs:oss:*:*:*`, `acs:*:*:*:*`, `acs:mns:*:*:/queues/*`, '
    + '`acs:fc:*:*:functions/*`, built with Fn::Sub or Fn::Join, or from a parameter without a default). A wildcard '
    + 'inside a resource name (`acs:oss:*:*:media-*`) is a warning. A service the catalogue does not know is assumed '
    + 'to authorize per resource. (ice and mts authorize by operation only; "*" is correct for them and is not '
    + 'reported, nor are the Describe/List reads that only accept "*".)',
  fixHint: 'Name the resources: `acs:oss:*:{account}:{bucket}/{prefix}*`, `acs:mns:{region}:{account}:/queues/{name}`, '
    + '`acs:fc:{region}:{account}:functions/{function}`, `acs:ram::{account}:role/{name}`.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const { doc, stmt } of grantingStatements(model)) {
      if (stmt.notAction || stmt.notResource) continue;
      const every: string[] = [];
      const patterned: string[] = [];
      const whys: string[] = [];
      const unknownServices: string[] = [];
      for (const p of patternsOf(stmt)) {
        if (isAllActions(p) && coversAllResources(stmt)) continue; // IPROD-RAM-001
        const reach = reachOf(p);
        const targets = reach.services.filter((s) => s.resourceLevel.length > 0).map((s) => ({ service: s.service, actions: s.resourceLevel }));
        if (reach.uncatalogued && reach.uncatalogued !== '*') {
          targets.push({ service: reach.uncatalogued, actions: [p.raw] });
          unknownServices.push(reach.uncatalogued);
        }
        for (const t of targets) {
          for (const r of stmt.resources) {
            const reading = readResource(r, t.service);
            if (reading.reach === 'every') { every.push(...t.actions); whys.push(reading.why); }
            else if (reading.reach === 'pattern') { patterned.push(...t.actions); whys.push(reading.why); }
          }
        }
      }
      if (every.length === 0 && patterned.length === 0) continue;
      const acts = unique(every.length > 0 ? every : patterned);
      const unknown = unique(unknownServices).filter((s) => acts.some((a) => a.toLowerCase().startsWith(`${s}:`)));
      out.push({
        logicalId: doc.logicalId,
        jsonPath: stmt.jsonPath,
        detail: stmt.detail,
        ...(every.length === 0 ? { severity: 'warning' as const } : {}),
        message: `${where(doc)} Statement[${stmt.index}] allows ${list(acts.slice(0, 8))}${acts.length > 8 ? ` and ${acts.length - 8} more` : ''} `
          + `on ${list(stmt.resources)}: ${unique(whys).join('; ')}; these actions accept specific ARNs`
          + (unknown.length ? ` (service(s) ${unknown.join(', ')} not in the reviewer's catalogue: assumed to authorize per resource)` : '')
          + (every.length === 0 ? '; a warning, not an error: the name keeps a literal part, so it reaches a family of resources, not all of them' : '')
          + assumed(stmt),
      });
    }
    return out;
  },
};
