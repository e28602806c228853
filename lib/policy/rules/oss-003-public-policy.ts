import { statementsOf } from '../model';
import { RuleFinding } from '../types';
import { list } from './helpers';
import { openPrincipals } from './ram-014-open-trust';
import { PolicyRule } from './rule';

export const OSS_003_PUBLIC_POLICY: PolicyRule = {
  id: 'IPROD-OSS-003',
  severity: 'error',
  title: 'Bucket policy allows any principal',
  description: 'A bucket policy statement Allows Principal "*" (anyone, including anonymous users): the bucket is '
    + 'public whatever its ACL says. Reported as a warning when a Condition (source VPC, IP range) narrows it.',
  fixHint: 'Name the accounts or RAM users in Principal, or grant through RAM policies on roles instead.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'bucket') continue;
      for (const stmt of statementsOf(doc)) {
        if (stmt.effect !== 'Allow') continue;
        const open = Array.isArray(stmt.principal) && stmt.principal.includes('*') ? ['*'] : openPrincipals(stmt.principal);
        if (open.length === 0) continue;
        // A condition (source VPC, IP range, referer) narrows "anyone" without naming them: still public, less so.
        const conditioned = stmt.condition !== undefined && typeof stmt.condition === 'object' && Object.keys(stmt.condition as object).length > 0;
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          ...(conditioned ? { severity: 'warning' as const } : {}),
          message: `bucket policy of ${doc.logicalId} Statement[${stmt.index}] allows ${list(stmt.actions)} to any principal`
            + (conditioned ? `, limited only by conditions ${JSON.stringify(stmt.condition)}` : '') });
      }
    }
    return out;
  },
};
