import { ROS_LIMITS } from '../../service';
import { PolicyRule } from './rule';

const ROS_TEMPLATE_MAX_BYTES = ROS_LIMITS.templateMaxBytes;

export const TPL_001_TEMPLATE_SIZE: PolicyRule = {
  id: 'IPROD-TPL-001',
  severity: 'error',
  title: 'Template over the ROS size limit',
  description: `ROS rejects a TemplateBody over ${ROS_TEMPLATE_MAX_BYTES} bytes. Measured on the template file as `
    + 'synthesized (the inline function ZipFile is usually most of it).',
  fixHint: 'Move the function code to an OSS object, or split the stack.',
  check(model) {
    if (model.bytes <= ROS_TEMPLATE_MAX_BYTES) return [];
    return [{ jsonPath: '', message: `template ${model.templateFile} is ${model.bytes} bytes, over the ROS limit of ${ROS_TEMPLATE_MAX_BYTES}` }];
  },
};
