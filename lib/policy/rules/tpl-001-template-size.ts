import { PolicyRule } from './rule';

/** ROS TemplateBody limit (bytes). */
export const ROS_TEMPLATE_MAX_BYTES = 524288;
/** ROS limit of resources per stack. */
export const ROS_MAX_RESOURCES = 300;

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
