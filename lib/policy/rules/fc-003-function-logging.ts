import { resolveString } from '../intrinsics';
import { RuleFinding } from '../types';
import { propertyCI } from './fc-002-anonymous-http';
import { PolicyRule } from './rule';

function logs(cfg: unknown, ctx: Parameters<typeof resolveString>[1]): boolean {
  const project = resolveString(propertyCI(cfg, 'Project') ?? '', ctx);
  const logstore = resolveString(propertyCI(cfg, 'Logstore') ?? '', ctx);
  return project.length > 0 && logstore.length > 0;
}

export const FC_003_FUNCTION_LOGGING: PolicyRule = {
  id: 'IPROD-FC-003',
  severity: 'warning',
  title: 'Function without invocation logs',
  description: 'An FC 2.0 service (ALIYUN::FC::Service, whose LogConfig its functions share) or an FC 3.0 function '
    + '(ALIYUN::FC3::Function) sets no LogConfig with a Project and a Logstore: the function that submits billed '
    + 'media jobs leaves no log of who invoked it with what, for audit or incident response. (Taught by '
    + 'InfraGuard\'s fc-service-log-enable.) Opting out is a suppression with a reason.',
  fixHint: 'Set `LogConfig: {Project, Logstore}` to an SLS logstore, or suppress IPROD-FC-003 on the function with '
    + 'the reason there is none.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const [id, r] of model.resources) {
      if (r.Type !== 'ALIYUN::FC::Service' && r.Type !== 'ALIYUN::FC3::Function') continue;
      if (logs(r.Properties?.LogConfig, model.ctx)) continue;
      out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties`,
        message: `${r.Type === 'ALIYUN::FC::Service' ? 'FC service' : 'FC3 function'} ${id} has no LogConfig (Project and Logstore): its invocations are not logged` });
    }
    return out;
  },
};
