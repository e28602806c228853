import { statementsOf } from '../model';
import { RuleFinding } from '../types';
import { accountsNamed, assumed, isAllow, list } from './helpers';
import { PolicyRule } from './rule';

export const OSS_006_OTHER_ACCOUNT: PolicyRule = {
  id: 'IPROD-OSS-006',
  severity: 'warning',
  title: 'Bucket policy grants another account',
  description: 'A bucket policy statement Allows a principal of another account (a bare account id or an '
    + '`acs:ram::{account}:...` ARN; when --account-id is given, any account other than it, otherwise any literal '
    + 'account id). Sharing media across accounts is sometimes intended; it should never be accidental. (IPROD-RAM-015 '
    + 'is the same concern for role trust.)',
  fixHint: 'Confirm the account is meant to read this bucket and suppress with the reason, or share through a role '
    + 'the other account assumes.',
  check(model) {
    const own = model.ctx.accountId;
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'bucket') continue;
      for (const stmt of statementsOf(doc)) {
        if (!isAllow(stmt)) continue;
        const others = accountsNamed(stmt.principal).filter((a) => a !== own);
        if (others.length === 0) continue;
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          message: `bucket policy of ${doc.logicalId} Statement[${stmt.index}] allows ${list(stmt.actions)} to account(s) ${list(others)}; a warning, not an error: sharing with a named account can be intended (confirm it and suppress with the reason)${assumed(stmt)}` });
      }
    }
    return out;
  },
};
