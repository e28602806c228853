import { classifySystemPolicy } from '../catalogue';
import { assumedSuffix, hasFree } from '../intrinsics';
import { RuleFinding } from '../types';
import { attachmentType } from './ram-010-broad-system-policy';
import { PolicyRule } from './rule';

export const RAM_017_UNREVIEWED_ATTACHMENT: PolicyRule = {
  id: 'IPROD-RAM-017',
  severity: 'warning',
  title: 'Policy attached whose contents the reviewer cannot see',
  description: 'A policy is attached by name but what it grants is not in this template: a custom policy that is '
    + 'not an ALIYUN::RAM::ManagedPolicy of the template, a system policy the catalogue does not know, or a '
    + 'PolicyType other than System or Custom. The reviewer cannot judge it; a human has to. A custom policy name '
    + 'the deployer picks (a parameter without a default) could be any policy of the account and is an error.',
  fixHint: 'Define the policy in the stack (so it is reviewed), or confirm what it grants and suppress with the reason.',
  check(model) {
    const defined = new Set(model.documents.filter((d) => d.policyName !== undefined).map((d) => d.policyName!));
    const out: RuleFinding[] = [];
    for (const a of model.attachments) {
      const type = attachmentType(a);
      const to = `${a.principal.kind} ${a.principal.name}`;
      const note = assumedSuffix(a.notes ?? []);
      const base = { logicalId: a.logicalId, jsonPath: a.jsonPath, detail: a.detail };
      if (type === 'other') {
        out.push({ ...base, message: `policy ${a.policyName} of PolicyType "${a.policyType}" is attached to ${to}; RAM knows System and Custom only${note}` });
      } else if (type === 'custom' && hasFree(a.policyName)) {
        out.push({ ...base, severity: 'error', message: `a custom policy chosen at deploy time (${a.policyName}) is attached to ${to}: it could be any policy of the account${note}` });
      } else if (type === 'custom' && !defined.has(a.policyName)) {
        out.push({ ...base, message: `custom policy ${a.policyName} is attached to ${to} but is not defined in this template, so what it grants is not reviewed${note}` });
      } else if (type === 'system' && !hasFree(a.policyName) && classifySystemPolicy(a.policyName).cls === 'unknown') {
        out.push({ ...base, message: `system policy ${a.policyName} is attached to ${to}: ${classifySystemPolicy(a.policyName).why}${note}` });
      }
    }
    return out;
  },
};
