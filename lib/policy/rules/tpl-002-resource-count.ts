import { ROS_LIMITS } from '../../service';
import { PolicyRule } from './rule';

const ROS_MAX_RESOURCES = ROS_LIMITS.stackMaxResources;

export const TPL_002_RESOURCE_COUNT: PolicyRule = {
  id: 'IPROD-TPL-002',
  severity: 'error',
  title: 'Template over the ROS resource limit',
  description: `ROS rejects a stack with more than ${ROS_MAX_RESOURCES} resources.`,
  fixHint: 'Split the stack (e.g. one stack per environment or per pipeline).',
  check(model) {
    const n = model.resources.length;
    if (n <= ROS_MAX_RESOURCES) return [];
    return [{ jsonPath: 'Resources', message: `template ${model.templateFile} has ${n} resources, over the ROS limit of ${ROS_MAX_RESOURCES}` }];
  },
};
