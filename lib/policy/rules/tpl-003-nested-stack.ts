import { RuleFinding } from '../types';
import { PolicyRule } from './rule';

function readable(body: unknown): boolean {
  if (body && typeof body === 'object' && !Array.isArray(body)) return true;
  if (typeof body !== 'string') return false;
  try {
    const v = JSON.parse(body);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

export const TPL_003_NESTED_STACK_UNREVIEWED: PolicyRule = {
  id: 'IPROD-TPL-003',
  severity: 'error',
  title: 'Template content the reviewer cannot read',
  description: 'Part of what the stack deploys is not in the template: an ALIYUN::ROS::Stack whose template is '
    + 'behind a TemplateURL or is not JSON (YAML is not read), or a template Transform (Terraform inside ROS) that '
    + 'generates resources at deploy time. Whatever that part creates (admin roles, public buckets) is invisible, so '
    + 'it is judged at its worst. A nested stack with a TemplateBody object or JSON text is reviewed as the template '
    + 'it contains, with the parameters passed in.',
  fixHint: 'Inline the nested template as TemplateBody (JSON) so it is reviewed, or review it separately and '
    + 'suppress this finding with the reason.',
  check(model) {
    const out: RuleFinding[] = [];
    if (model.template.Transform !== undefined) {
      out.push({ jsonPath: 'Transform', detail: 'Transform',
        message: `the template is transformed (${JSON.stringify(model.template.Transform)}): what the transform deploys is not reviewed` });
    }
    for (const [id, r] of model.resources) {
      if (r.Type !== 'ALIYUN::ROS::Stack') continue;
      const body = r.Properties?.TemplateBody;
      if (readable(body)) continue;
      if (typeof body === 'string') {
        out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties.TemplateBody`, message: `nested stack ${id} has a TemplateBody that is not JSON (YAML is not read): it is not reviewed` });
      } else {
        out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties`, message: `nested stack ${id} takes its template from ${r.Properties?.TemplateURL !== undefined ? 'TemplateURL' : 'nowhere the reviewer can read'}: it is not reviewed` });
      }
    }
    return out;
  },
};
