import { PolicyRule } from './rule';

export const TPL_003_NESTED_STACK_UNREVIEWED: PolicyRule = {
  id: 'IPROD-TPL-003',
  severity: 'warning',
  title: 'Nested stack not reviewed',
  description: 'An ALIYUN::ROS::Stack whose template is not in the assembly (TemplateURL) or cannot be read as JSON '
    + 'is not reviewed; whatever it creates (roles, policies, buckets) is invisible to this report. A nested stack '
    + 'with a TemplateBody object or JSON text is reviewed as the template it contains, with the parameters passed in.',
  fixHint: 'Inline the nested template as TemplateBody (JSON) so it is reviewed, or review it separately.',
  check(model) {
    return model.resources
      .filter(([, r]) => r.Type === 'ALIYUN::ROS::Stack')
      .flatMap(([id, r]) => {
        const body = r.Properties?.TemplateBody;
        if (body && typeof body === 'object' && !Array.isArray(body)) return [];
        if (typeof body === 'string') {
          try { if (JSON.parse(body) && typeof JSON.parse(body) === 'object') return []; } catch { /* reported below */ }
          return [{ logicalId: id, jsonPath: `Resources.${id}.Properties.TemplateBody`, message: `nested stack ${id} has a TemplateBody that is not JSON (YAML is not read): it is not reviewed` }];
        }
        return [{ logicalId: id, jsonPath: `Resources.${id}.Properties`, message: `nested stack ${id} takes its template from ${r.Properties?.TemplateURL !== undefined ? 'TemplateURL' : 'nowhere the reviewer can read'}: it is not reviewed` }];
      });
  },
};
