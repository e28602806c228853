import { asArray, statementsOf } from '../model';
import { hasWildcard, toGlob } from '../../service/ram-patterns';
import { narrowingCondition } from '../patterns';
import { RuleFinding } from '../types';
import { assumed, isAllow, list } from './helpers';
import { PolicyRule } from './rule';

/**
 * Principals that let anyone (any account, any service, anonymous users) in: `*`, `{RAM: "*"}`, an ARN with a
 * wildcard account (`acs:ram::*:root`, `acs:ram:*:*:root`), a wildcard service, or a value the deployer picks.
 */
export function openPrincipals(principal: unknown): string[] {
  const open = (p: string) => hasWildcard(toGlob(p));
  if (typeof principal === 'string' || Array.isArray(principal)) {
    return asArray(principal).filter((p): p is string => typeof p === 'string' && open(p));
  }
  if (!principal || typeof principal !== 'object') return [];
  const out: string[] = [];
  for (const [kind, v] of Object.entries(principal as Record<string, unknown>)) {
    for (const p of asArray(v)) {
      if (typeof p !== 'string') continue;
      if (!open(p)) continue;
      // acs:ram::{account}:role/* names every role of ONE account: that account's concern, not "anyone".
      const m = /^acs:ram:[^:]*:([^:]*):/i.exec(toGlob(p));
      if (m && !hasWildcard(m[1])) continue;
      out.push(`${kind}: ${p}`);
    }
  }
  return out;
}

export const RAM_014_OPEN_TRUST: PolicyRule = {
  id: 'IPROD-RAM-014',
  severity: 'error',
  title: 'Role trusts any principal',
  description: 'The role\'s AssumeRolePolicyDocument allows `*`, `RAM: ["*"]`, `acs:ram::*:root` or '
    + '`acs:ram:*:*:root` (any account), a wildcard service, or a principal the deployer picks, to assume it: anyone '
    + 'on Alibaba Cloud can obtain its credentials. Reported as a warning only when a Condition truly narrows who '
    + '(a private source IP range, a specific VPC or principal); the message names it.',
  fixHint: 'Trust exactly the service that runs the workload (`Service: ["fc.aliyuncs.com"]`) or a named account.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'trust') continue;
      for (const stmt of statementsOf(doc)) {
        if (!isAllow(stmt)) continue;
        const open = openPrincipals(stmt.principal);
        if (open.length === 0) continue;
        const narrowed = narrowingCondition(stmt.condition);
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          ...(narrowed ? { severity: 'warning' as const } : {}),
          message: `role ${doc.logicalId} can be assumed by ${list(open)}`
            + (narrowed ? `, narrowed only by the condition ${narrowed}; a warning, not an error, because that condition limits who can make the request` : '') + assumed(stmt) });
      }
    }
    return out;
  },
};
