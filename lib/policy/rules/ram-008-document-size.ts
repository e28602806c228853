import { RAM_LIMITS } from '../../service';
import { RuleFinding } from '../types';
import { where } from './helpers';
import { PolicyRule } from './rule';

const { policyDocumentMaxChars: RAM_POLICY_MAX_CHARS, policyDocumentLegacyMaxChars: RAM_POLICY_OLD_MAX_CHARS } = RAM_LIMITS;

/** Characters of a document as RAM receives it: compact JSON, intrinsics resolved. */
export function policyDocumentChars(resolved: unknown): number {
  return JSON.stringify(resolved)?.length ?? 0;
}

export const RAM_008_DOCUMENT_SIZE: PolicyRule = {
  id: 'IPROD-RAM-008',
  severity: 'error',
  title: 'Policy document over the RAM size limit',
  description: `RAM rejects policy documents over ${RAM_POLICY_MAX_CHARS} characters; an older page documents `
    + `${RAM_POLICY_OLD_MAX_CHARS}, so documents over that are reported as warnings. Length is measured on compact `
    + 'JSON with intrinsics resolved (placeholders count as their text).',
  fixHint: 'Merge statements with the same resources, drop redundant actions, or split the grants into two policies.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      if (doc.kind === 'bucket') continue;
      const n = policyDocumentChars(doc.resolved);
      if (n > RAM_POLICY_MAX_CHARS) {
        out.push({ logicalId: doc.logicalId, jsonPath: doc.jsonPath, detail: doc.propertyPath,
          message: `${where(doc)} is ${n} characters, over the RAM limit of ${RAM_POLICY_MAX_CHARS}` });
      } else if (n > RAM_POLICY_OLD_MAX_CHARS) {
        out.push({ logicalId: doc.logicalId, jsonPath: doc.jsonPath, detail: doc.propertyPath, severity: 'warning',
          message: `${where(doc)} is ${n} characters, over the ${RAM_POLICY_OLD_MAX_CHARS} limit of older RAM documentation `
            + `(current limit ${RAM_POLICY_MAX_CHARS})` });
      }
    }
    return out;
  },
};
