import { assumedSuffix, hasFree } from '../intrinsics';
import { RuleFinding } from '../types';
import { PolicyRule } from './rule';

/**
 * FC runtimes that Function Compute has deprecated or whose language version is past its upstream end of life
 * (GUESS for nodejs14/nodejs16, whose upstream support ended in 2023; FC's own retirement dates are not in FACTS.md).
 */
export const DEPRECATED_FC_RUNTIMES: readonly string[] = [
  'nodejs4.4', 'nodejs6', 'nodejs8', 'nodejs10', 'nodejs12', 'nodejs14', 'nodejs16',
  'python2.7', 'python3', 'python3.6', 'php7.2', 'dotnetcore2.1',
];

export const FC_004_DEPRECATED_RUNTIME: PolicyRule = {
  id: 'IPROD-FC-004',
  severity: 'warning',
  title: 'Deprecated function runtime',
  description: `The function (ALIYUN::FC::Function or ALIYUN::FC3::Function) runs on a deprecated runtime `
    + `(${DEPRECATED_FC_RUNTIMES.join(', ')}), which gets no security patches. (Taught by InfraGuard's `
    + 'fc-function-runtime-check.)',
  fixHint: 'Move to a supported runtime (nodejs18 or nodejs20 for this package\'s handler).',
  check(model) {
    const out: RuleFinding[] = [];
    for (const [id, r] of model.resources) {
      if (r.Type !== 'ALIYUN::FC::Function' && r.Type !== 'ALIYUN::FC3::Function') continue;
      if (r.Properties?.Runtime === undefined) continue;
      for (const alt of model.alternatives(r.Properties.Runtime)) {
        const rt = String(alt.value ?? '');
        if (DEPRECATED_FC_RUNTIMES.includes(rt.toLowerCase())) {
          out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties.Runtime`, message: `function ${id} runs on deprecated runtime ${rt}${assumedSuffix(alt.notes)}` });
        } else if (hasFree(rt)) {
          out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties.Runtime`, message: `function ${id} runs on a runtime chosen at deploy time (${rt}), which could be a deprecated one${assumedSuffix(alt.notes)}` });
        }
      }
    }
    return out;
  },
};
