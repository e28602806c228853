import { TemplateModel } from '../model';
import { RuleDescriptor, RuleFinding } from '../types';

/**
 * One check over one synthesized template. `check` is pure: same model, same findings, in a stable order.
 * `helpUri` points at the docs section describing the rule.
 */
export interface PolicyRule extends RuleDescriptor {
  check(model: TemplateModel): RuleFinding[];
}

export const DOCS_URI = 'https://github.com/iproduction/ros-cdk-iproduction/blob/main/docs/policy.md';

export function helpUri(ruleId: string): string {
  return `${DOCS_URI}#${ruleId.toLowerCase()}`;
}
