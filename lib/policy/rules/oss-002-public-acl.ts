import { assumedSuffix, hasFree } from '../intrinsics';
import { RuleFinding } from '../types';
import { PolicyRule } from './rule';

const PUBLIC = new Set(['public-read', 'public-read-write']);

export const OSS_002_PUBLIC_ACL: PolicyRule = {
  id: 'IPROD-OSS-002',
  severity: 'error',
  title: 'Bucket or object ACL is public',
  description: 'AccessControl public-read or public-read-write (any case) lets anyone on the internet read (or write) '
    + 'the media. An ACL chosen through Fn::If, a parameter\'s AllowedValues or a parameter without a default is '
    + 'judged at each value it can take, the worst included.',
  fixHint: 'Use AccessControl "private" with BlockPublicAccess true; hand out signed URLs for the outputs you publish.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const [id, r] of model.resources) {
      const prop = r.Type === 'ALIYUN::OSS::Bucket' ? 'AccessControl' : r.Type === 'ALIYUN::OSS::ObjectAcl' ? 'ObjectAcl' : undefined;
      if (!prop || r.Properties?.[prop] === undefined) continue;
      for (const alt of model.alternatives(r.Properties[prop])) {
        const acl = typeof alt.value === 'string' ? alt.value : JSON.stringify(alt.value);
        if (PUBLIC.has(acl.toLowerCase())) {
          out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties.${prop}`, message: `${r.Type} ${id} sets ${prop} "${acl}"${assumedSuffix(alt.notes)}` });
        } else if (hasFree(acl)) {
          out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties.${prop}`,
            message: `${r.Type} ${id} sets ${prop} to a value chosen at deploy time (${acl}): it could be "public-read-write"${assumedSuffix(alt.notes)}` });
        }
      }
    }
    return out;
  },
};
