import { statementsOf } from '../model';
import { asArray } from '../model';
import { RuleFinding } from '../types';
import { list } from './helpers';
import { PolicyRule } from './rule';

/** Principals that let anyone (any account, any service) assume the role. */
export function openPrincipals(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (!principal || typeof principal !== 'object') return [];
  const out: string[] = [];
  for (const [kind, v] of Object.entries(principal as Record<string, unknown>)) {
    for (const p of asArray(v)) {
      if (typeof p !== 'string') continue;
      // acs:ram::*:root (any account), acs:ram::*:role/x, or a bare "*".
      if (p === '*' || /^acs:ram::\*:/.test(p) || (kind === 'Service' && p.startsWith('*'))) out.push(`${kind}: ${p}`);
    }
  }
  return out;
}

export const RAM_014_OPEN_TRUST: PolicyRule = {
  id: 'IPROD-RAM-014',
  severity: 'error',
  title: 'Role trusts any principal',
  description: 'The role\'s AssumeRolePolicyDocument allows `*`, `RAM: ["*"]` or `acs:ram::*:root` (any account) '
    + 'to assume it: anyone on Alibaba Cloud can obtain its credentials.',
  fixHint: 'Trust exactly the service that runs the workload (`Service: ["fc.aliyuncs.com"]`) or a named account.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'trust') continue;
      for (const stmt of statementsOf(doc)) {
        if (stmt.effect !== 'Allow') continue;
        const open = openPrincipals(stmt.principal);
        if (open.length === 0) continue;
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          message: `role ${doc.logicalId} can be assumed by ${list(open)}` });
      }
    }
    return out;
  },
};
