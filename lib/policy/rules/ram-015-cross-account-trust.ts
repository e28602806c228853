import { asArray, statementsOf } from '../model';
import { RuleFinding } from '../types';
import { accountsNamed, isAllow, list } from './helpers';
import { PolicyRule } from './rule';

export const RAM_015_EXTERNAL_TRUST: PolicyRule = {
  id: 'IPROD-RAM-015',
  severity: 'warning',
  title: 'Role trusts another account or an identity provider',
  description: 'The role can be assumed from outside the deploying account: a RAM principal of another account '
    + '(when --account-id is given, any account other than it; otherwise any literal account id), or a SAML/OIDC '
    + 'provider (Federated). External access is sometimes intended; it should never be accidental.',
  fixHint: 'Confirm the account or provider is meant to assume this role and suppress with the reason, or trust a '
    + 'service principal (fc.aliyuncs.com) instead.',
  check(model) {
    const own = model.ctx.accountId;
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind !== 'trust') continue;
      for (const stmt of statementsOf(doc)) {
        if (!isAllow(stmt)) continue;
        const external = accountsNamed(stmt.principal).filter((a) => a !== own).map((a) => `account ${a}`);
        const p = stmt.principal as Record<string, unknown> | undefined;
        const fed = p && typeof p === 'object' && !Array.isArray(p)
          ? Object.entries(p).filter(([k]) => /^federated$/i.test(k)).flatMap(([, v]) => asArray(v)) : [];
        const federated = fed.filter((x): x is string => typeof x === 'string' && x !== '*');
        const who = [...external, ...federated.map((f) => `provider ${f}`)];
        if (who.length === 0) continue;
        out.push({ logicalId: doc.logicalId, jsonPath: stmt.jsonPath, detail: stmt.detail,
          message: `role ${doc.logicalId} can be assumed by ${list(who)}; a warning, not an error: trusting a named account `
            + 'or provider can be intended (confirm it and suppress with the reason)' });
      }
    }
    return out;
  },
};
