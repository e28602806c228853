import { TemplateModel } from '../model';
import { RuleDescriptor, RuleFinding } from '../types';

/** One check over one synthesized template. `check` is pure: same model, same findings, in a stable order. */
export interface PolicyRule extends RuleDescriptor {
  check(model: TemplateModel): RuleFinding[];
}
