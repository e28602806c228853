// The policy reviewer: reads synthesized templates, never constructs.
// Generic names (Severity, Finding, ...) get a Policy prefix at the package root so they cannot collide with the
// other areas' exports through lib/index.ts.
export { SEVERITIES as POLICY_SEVERITIES, severityRank as policySeverityRank } from './types';
export type {
  Severity as PolicySeverity, Finding as PolicyFinding, Suppression as PolicySuppression,
  RuleFinding as PolicyRuleFinding, RuleDescriptor as PolicyRuleDescriptor, ReviewOptions as PolicyReviewOptions,
  RosTemplate as PolicyTemplate, RosTemplateResource as PolicyTemplateResource,
  PrincipalKind, PermissionRow, PrincipalSummary, TemplateSummary, PolicyReview,
} from './types';
export { loadAssembly, reviewAssembly, AssemblyReadError } from './assembly';
export type { AssemblyTemplate } from './assembly';
export { reviewTemplate, reviewTemplates, blockingFindings, countFindings, compareFindings } from './review';
export type { ReviewCounts, TemplateReviewOptions } from './review';
export { renderMarkdown } from './report-markdown';
export { renderJson, toJsonReport } from './report-json';
export type { JsonReport } from './report-json';
export { renderSarif, toSarif, SARIF_SCHEMA } from './report-sarif';
export type { SarifOptions } from './report-sarif';
export { summarizeReview } from './summary';
export { policyReportCommand, POLICY_REPORT_USAGE } from './cli';
export type { CommandIo } from './cli';
export { SUPPRESSION_RULES, suppressionProblems } from './suppressions';
export { SERVICES as POLICY_ACTION_CATALOGUE, actionInfo, expandAction } from './catalogue';
export type { ServiceSpec, ActionSpec } from './catalogue';
export { ALL_RULES as POLICY_RULES } from './rules';
export type { PolicyRule } from './rules';
export { TOOL_NAME, TOOL_VERSION } from './tool';
