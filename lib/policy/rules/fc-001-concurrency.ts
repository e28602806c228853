import { ACTIONS } from '../../service';
import { resolveString } from '../intrinsics';
import { referencedLogicalId } from '../model';
import { PolicyRule } from './rule';

export const FC_001_CONCURRENCY: PolicyRule = {
  id: 'IPROD-FC-001',
  severity: 'warning',
  title: 'Function without a concurrency cap',
  description: 'An FC 2.0 function (ALIYUN::FC::Function) sets no InstanceConcurrency, or an FC 3.0 function '
    + '(ALIYUN::FC3::Function) has no ALIYUN::FC3::ConcurrencyConfig with ReservedConcurrency. A burst of events '
    + `then fans out without bound and every invocation submits jobs, hitting the ${ACTIONS.SubmitIProductionJob.qps} QPS SubmitIProductionJob `
    + 'limit and the bill.',
  fixHint: 'Set InstanceConcurrency on the function (ProductionRuntime does), or add an FC3 ConcurrencyConfig.',
  check(model) {
    const fc3Capped = new Set<string>();
    for (const [, r] of model.resources) {
      if (r.Type !== 'ALIYUN::FC3::ConcurrencyConfig' || r.Properties?.ReservedConcurrency === undefined) continue;
      const raw = r.Properties?.FunctionName;
      const ref = referencedLogicalId(raw);
      if (ref) fc3Capped.add(ref);
      fc3Capped.add(resolveString(raw, model.ctx));
    }
    return model.resources.flatMap(([id, r]) => {
      if (r.Type === 'ALIYUN::FC::Function' && r.Properties?.InstanceConcurrency === undefined) {
        return [{ logicalId: id, jsonPath: `Resources.${id}.Properties`, message: `function ${id} sets no InstanceConcurrency` }];
      }
      if (r.Type === 'ALIYUN::FC3::Function') {
        const name = resolveString(r.Properties?.FunctionName ?? '', model.ctx);
        if (!fc3Capped.has(id) && !fc3Capped.has(name)) {
          return [{ logicalId: id, jsonPath: `Resources.${id}.Properties`, message: `FC3 function ${id} has no ConcurrencyConfig with ReservedConcurrency` }];
        }
      }
      return [];
    });
  },
};
