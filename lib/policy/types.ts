// Shared shapes of the policy reviewer. Everything here describes synthesized templates (JSON), never constructs.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Rank used for thresholds and sorting: error > warning > info. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

/** A ROS template as parsed JSON. */
export interface RosTemplate {
  ROSTemplateFormatVersion?: string;
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, { Default?: unknown; Type?: string }>;
  Resources?: Record<string, RosTemplateResource>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface RosTemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What a rule reports before suppressions are applied. */
export interface RuleFinding {
  /** Logical id of the resource the finding is about; omitted for template-wide findings. */
  logicalId?: string;
  /**
   * JSON path inside the template (`Resources.Role.Properties.PolicyDocument.Statement[0]`), the most precise
   * place that shows the problem.
   */
  jsonPath: string;
  /** Sub-location appended to the rule id to form the finer finding id (`IPROD-RAM-003:PolicyDocument.Statement[0]`). */
  detail?: string;
  message: string;
  /** Overrides the rule's default severity for this finding (e.g. the size rule's 2,048-character warning). */
  severity?: Severity;
}

export interface Suppression {
  id: string;
  reason: string;
  expires?: string;
}

export interface Finding {
  ruleId: string;
  /** `ruleId` or `ruleId:detail`; suppressions name either. */
  findingId: string;
  severity: Severity;
  title: string;
  message: string;
  fixHint: string;
  stackName: string;
  /** Template file relative to the assembly directory. */
  templateFile: string;
  logicalId?: string;
  resourceType?: string;
  jsonPath: string;
  constructPath?: string;
  /** 1-based line of `jsonPath` in the template file, when the file text is known. */
  line?: number;
  suppression?: Suppression;
}

export type PrincipalKind = 'role' | 'user' | 'group';

export interface PermissionRow {
  effect: string;
  actions: string[];
  /** `true` when the statement uses NotAction (the actions listed are excluded, not granted). */
  notAction?: boolean;
  resources: string[];
  notResource?: boolean;
  conditions?: unknown;
  /** Where the statement lives: `Resources.Policy.Properties.PolicyDocument.Statement[0]`, or a system policy. */
  source: string;
}

export interface PrincipalSummary {
  kind: PrincipalKind;
  /** Resolved name (`iprod-example-runtime`) or a placeholder (`${Role.RoleName}`) when it cannot be resolved. */
  name: string;
  /** Logical id when the principal is created by the same template. */
  logicalId?: string;
  stackName: string;
  /** What the principal can be assumed by (roles only): trusted principals from AssumeRolePolicyDocument. */
  trustedBy?: string[];
  /** Resources that run as this role (FC services and functions, MPS pipelines): `ALIYUN::FC::Service Runtime`. */
  usedBy?: string[];
  systemPolicies: string[];
  permissions: PermissionRow[];
}

/** A service role (not in the template) that reads and writes OSS for jobs a runtime function submits. */
export interface ServiceRoleUse {
  stackName: string;
  /** `AliyunICEDefaultRole`, or the MPS pipeline's role. */
  role: string;
  api: 'ice' | 'mts';
  /** The function whose jobs it runs: `ALIYUN::FC3::Function ProductionRuntime`. */
  via: string;
  /** OSS locations the function lets jobs read (`oss://bucket/prefix*`). */
  reads: string[];
  /** OSS locations the function lets jobs write. */
  writes: string[];
}

export interface TemplateSummary {
  stackName: string;
  templateFile: string;
  resourceCount: number;
  bytes: number;
}

export interface RuleDescriptor {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  fixHint: string;
}

export interface PolicyReview {
  /** Schema version of the JSON report; bumped on incompatible change. */
  version: 1;
  templates: TemplateSummary[];
  principals: PrincipalSummary[];
  /** Service roles that touch OSS for the stack's runtime functions; present only when there are some. */
  serviceRoles?: ServiceRoleUse[];
  /** Every finding, suppressed ones included (with `suppression`), sorted deterministically. */
  findings: Finding[];
  /** Every rule that ran, sorted by id. */
  rules: RuleDescriptor[];
}

export interface ReviewOptions {
  /** Value substituted for `ALIYUN::Region` when the template does not say. @default '${ALIYUN::Region}' kept */
  region?: string;
  /** Value substituted for `ALIYUN::AccountId`. @default '${ALIYUN::AccountId}' kept */
  accountId?: string;
  /** Clock for suppression expiry. @default () => new Date() */
  now?: () => Date;
}
