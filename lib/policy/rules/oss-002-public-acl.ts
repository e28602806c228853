import { resolveString } from '../intrinsics';
import { PolicyRule } from './rule';

const PUBLIC = new Set(['public-read', 'public-read-write']);

export const OSS_002_PUBLIC_ACL: PolicyRule = {
  id: 'IPROD-OSS-002',
  severity: 'error',
  title: 'Bucket or object ACL is public',
  description: 'AccessControl public-read or public-read-write lets anyone on the internet read (or write) the media.',
  fixHint: 'Use AccessControl "private" with BlockPublicAccess true; hand out signed URLs for the outputs you publish.',
  check(model) {
    return model.resources.flatMap(([id, r]) => {
      const prop = r.Type === 'ALIYUN::OSS::Bucket' ? 'AccessControl' : r.Type === 'ALIYUN::OSS::ObjectAcl' ? 'ObjectAcl' : undefined;
      if (!prop || r.Properties?.[prop] === undefined) return [];
      const acl = resolveString(r.Properties[prop], model.ctx);
      if (!PUBLIC.has(acl)) return [];
      return [{ logicalId: id, jsonPath: `Resources.${id}.Properties.${prop}`, message: `${r.Type} ${id} sets ${prop} "${acl}"` }];
    });
  },
};
