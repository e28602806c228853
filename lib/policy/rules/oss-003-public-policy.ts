import { statementsOf } from '../model';
import { narrowingCondition } from '../patterns';
import { RuleFinding } from '../types';
import { assumed, isAllow, list } from './helpers';
import { openPrincipals } from './ram-014-open-trust';
import { PolicyRule } from './rule';

export const OSS_003_PUBLIC_POLICY: PolicyRule = {
  id: 'IPROD-OSS-003',
  severity: 'error',
  title: 'Bucket policy allows any principal',
  description: 'A bucket policy statement Allows Principal "*" (anyone, including anonymous users), `{RAM: "*"}`, '
    + 'an ARN of any account, or a principal the deployer picks: the bucket is public whatever its ACL says. '
    + 'Reported as a warning only when a Condition truly narrows who can make the request (a private or small '
    + 'source IP range, acs:SecureTransport true, a specific source VPC or principal), and the message names it; '
    + '`IpAddress 0.0.0.0/0`, a Referer or a time window restrict nothing.',
  fixHint: 'Name the accounts or RAM users in Principal, or grant through RAM policies on roles instead.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'bucket') continue;
      for (const stmt of statementsOf(doc)) {
        if (!isAllow(stmt)) continue;
        const open = openPrincipals(stmt.principal);
        if (open.length === 0) continue;
        const narrowed = narrowingCondition(stmt.condition);
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          ...(narrowed ? { severity: 'warning' as const } : {}),
          message: `bucket policy of ${doc.logicalId} Statement[${stmt.index}] allows ${list(stmt.actions)} to any principal (${list(open)})`
            + (narrowed ? `, narrowed only by the condition ${narrowed}; a warning, not an error, because that condition limits who can make the request`
              : stmt.condition !== undefined ? `; its Condition ${JSON.stringify(stmt.condition)} does not narrow who` : '')
            + assumed(stmt) });
      }
    }
    return out;
  },
};
