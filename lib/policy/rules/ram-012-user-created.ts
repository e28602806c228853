import { PolicyRule } from './rule';

const USER_TYPES = new Set(['ALIYUN::RAM::User', 'ALIYUN::RAM::LoginProfile']);

export const RAM_012_USER_CREATED: PolicyRule = {
  id: 'IPROD-RAM-012',
  severity: 'warning',
  title: 'RAM user created',
  description: 'The stack creates a RAM user (or a console login for one). Workloads should run under roles with '
    + 'temporary STS credentials; users belong in the identity provider, not in an application stack.',
  fixHint: 'Remove the user; give the workload a role (FC service role, ECS instance role) instead.',
  check(model) {
    return model.resources
      .filter(([, r]) => USER_TYPES.has(r.Type))
      .map(([id, r]) => ({
        logicalId: id,
        jsonPath: `Resources.${id}`,
        message: `${r.Type} ${id} creates ${r.Type.endsWith('LoginProfile') ? 'a console login for a RAM user' : 'a RAM user'}`,
      }));
  },
};
