import * as ros from '@alicloud/ros-cdk-core';
import { expiryInstant, MIN_REASON_LENGTH, SUPPRESSIONS_METADATA_KEY } from '../service';

const FINDING_ID = /^IPROD-(RAM|OSS|FC|TPL)-\d{3}(:.+)?$/;

export interface PolicySuppressionProps {
  /**
   * Rule id (`IPROD-RAM-003`) to suppress every finding of that rule on the resource, or a finding id
   * (`IPROD-RAM-003:PolicyDocument.Statement[0]`, as printed in the report) to suppress exactly one.
   */
  readonly id: string;
  /** Why the finding is acceptable; at least 10 characters. Shown in every report. */
  readonly reason: string;
  /**
   * Last day (UTC, `YYYY-MM-DD`) or instant (ISO 8601 date-time) the suppression holds; afterwards the finding
   * is reported again together with an expired-suppression finding.
   * @default - never expires
   */
  readonly expires?: string;
}

function validate(s: PolicySuppressionProps): void {
  if (typeof s.id !== 'string' || !FINDING_ID.test(s.id)) {
    throw new Error(`id must be a policy rule id such as IPROD-RAM-003 (optionally followed by ':detail'), got ${JSON.stringify(s.id)}`);
  }
  if (typeof s.reason !== 'string' || s.reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`reason must be at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(s.reason)}`);
  }
  if (s.expires !== undefined) {
    if (typeof s.expires !== 'string' || expiryInstant(s.expires) === undefined) {
      throw new Error(`expires must be an ISO 8601 date (YYYY-MM-DD) or date-time, got ${JSON.stringify(s.expires)}`);
    }
  }
}

function targetOf(construct: ros.IConstruct): ros.RosResource | ros.Stack {
  if (ros.RosResource.isRosResource(construct)) return construct;
  if (ros.Stack.isStack(construct)) return construct;
  const child = (construct.node as ros.ConstructNode).defaultChild;
  if (child && ros.RosResource.isRosResource(child)) return child;
  // ROS CDK's own L2s name their L1 after the type (ManagedPolicy → 'Policy'), not 'Resource': accept a lone L1 child.
  const l1s = construct.node.children.filter((c) => ros.RosResource.isRosResource(c)) as ros.RosResource[];
  if (l1s.length === 1) return l1s[0];
  throw new Error(`construct ${construct.node.path} is neither a ROS resource nor a stack and has no single child resource `
    + `(found ${l1s.length}); pass the L1 resource the finding names`);
}

/**
 * Records in the synthesized template that a policy-review finding on this construct's resource is accepted.
 * Writes `Metadata["iprod:suppressions"]` of the L1 resource (the construct itself, or its default child); on a
 * Stack, writes the template's own Metadata (for template-wide findings such as IPROD-TPL-001).
 */
export function suppressPolicyFinding(construct: ros.IConstruct, suppression: PolicySuppressionProps): void {
  validate(suppression);
  const entry = {
    id: suppression.id,
    reason: suppression.reason,
    ...(suppression.expires !== undefined ? { expires: suppression.expires } : {}),
  };
  const target = targetOf(construct);
  if (ros.Stack.isStack(target)) {
    const md = (target.templateOptions.metadata ??= {});
    const list = (md[SUPPRESSIONS_METADATA_KEY] ??= []) as object[];
    list.push(entry);
    return;
  }
  const existing = target.rosOptions.metadata?.[SUPPRESSIONS_METADATA_KEY] as object[] | undefined;
  if (existing) existing.push(entry);
  else target.addMetaData(SUPPRESSIONS_METADATA_KEY, [entry]);
}
