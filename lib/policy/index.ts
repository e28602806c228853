// The policy reviewer: reads synthesized templates, never constructs. Names as the area spells them; the package
// root (lib/index.ts) picks what is public.
export { SEVERITIES, severityRank } from './types';
export type {
  Severity, Finding, Suppression, RuleFinding, RuleDescriptor, ReviewOptions, RosTemplate, RosTemplateResource,
  PrincipalKind, PermissionRow, PrincipalSummary, ServiceRoleUse, TemplateSummary, PolicyReview,
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
export { summarizeSynth, formatSynthSummary, renderTemplateValue } from './synth-summary';
export type { StackSynthSummary, SummaryName, SummaryPolicy, SummaryPrincipal, SummaryCostDriver } from './synth-summary';
export { policyReportCommand, POLICY_REPORT_USAGE } from './cli';
export type { CommandIo } from './cli';
export { SUPPRESSION_RULES, suppressionProblems } from './suppressions';
export { SERVICES, actionInfo, expandAction } from './catalogue';
export type { ServiceSpec, ActionSpec } from './catalogue';
export { POLICY_RULES } from './rules';
export type { PolicyRule } from './rules';
export { TOOL_NAME, TOOL_VERSION } from './tool';
