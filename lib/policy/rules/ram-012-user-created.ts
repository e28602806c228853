import { resolveString } from '../intrinsics';
import { PolicyRule } from './rule';

export const RAM_012_USER_CREATED: PolicyRule = {
  id: 'IPROD-RAM-012',
  severity: 'warning',
  title: 'RAM user or console login created',
  description: 'The stack creates a RAM user, or a console login for one (the ALIYUN::RAM::LoginProfile resource or '
    + 'the LoginProfile property of ALIYUN::RAM::User). Workloads should run under roles with temporary STS '
    + 'credentials; users and their passwords belong in the identity provider, not in an application stack.',
  fixHint: 'Remove the user; give the workload a role (FC service role, ECS instance role) instead.',
  check(model) {
    return model.resources.flatMap(([id, r]) => {
      if (r.Type === 'ALIYUN::RAM::LoginProfile') {
        return [{ logicalId: id, jsonPath: `Resources.${id}`, message: `${r.Type} ${id} creates a console login (LoginProfile) for a RAM user` }];
      }
      if (r.Type !== 'ALIYUN::RAM::User') return [];
      const login = r.Properties?.LoginProfile;
      if (login === undefined || login === null) {
        return [{ logicalId: id, jsonPath: `Resources.${id}`, message: `${r.Type} ${id} creates a RAM user` }];
      }
      const mfa = login && typeof login === 'object' ? resolveString((login as Record<string, unknown>).MFABindRequired ?? 'false', model.ctx) : 'false';
      return [{
        logicalId: id,
        jsonPath: `Resources.${id}.Properties.LoginProfile`,
        message: `${r.Type} ${id} creates a RAM user with a console login (LoginProfile property)`
          + (mfa.toLowerCase() === 'true' ? '' : ', without requiring MFA'),
      }];
    });
  },
};
