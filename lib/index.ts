// The package's public contract, by name. Each area's own index (lib/jobs, lib/runtime, ...) holds what the areas
// share with each other; only what an app, platform or security team uses is exported here. Plumbing (id and name
// helpers, L1 property checks, wire constants, retry and limiter internals, CLI commands) stays out: import it
// from its area inside this package, never from the root. Add a public symbol here by name (docs/ARCHITECTURE.md).

// Facts about the cloud services (lib/service).
export { API_FACTS, ACTIONS } from './service';
export type { Api, ApiAction, ApiFacts, ActionFacts } from './service';

// The job model (lib/jobs): the catalogue, request and result types, validation, wire requests.
export {
  CATALOGUE, FUNCTION_NAMES, ICE_FUNCTIONS, MTS_FUNCTIONS, functionsOf, isFunctionName,
  validateIProductionJob, validateMediaProducingJob, assertValidIProductionJob, assertValidMediaProducingJob,
  hasErrors, JobValidationError, WARNINGS,
  parseQueryIProductionJob, parseSubmitIProductionJob, isEmptyResult, parseGetMediaProducingJob, isTerminalIProductionStatus, isTerminalMediaProducingStatus,
  IPRODUCTION_STATUSES, MEDIA_PRODUCING_STATUSES, ResponseShapeError,
  buildSubmitIProductionJob, buildQueryIProductionJob, buildSubmitMediaProducingJob, buildGetMediaProducingJob,
  endpointFor,
} from './jobs';
export type {
  FunctionName, FunctionSpec, FunctionOf, IceFunctionName, MtsFunctionName, MediaKind, OutputKind,
  IProductionJobRequest, MtsIProductionJobRequest, MediaProducingJobRequest, IProductionInput, IProductionOutput,
  JobParamsOf, ModelIdOf, ParamValue, Box, ScheduleConfig, MediaType, Timeline, TimelineClip, OutputMediaConfig,
  OutputMediaTarget,
  ValidationIssue, WarningId, IProductionValidationOptions, MediaProducingValidationOptions,
  IProductionJob, IProductionStatus, IProductionResultOf, KnownFunctionJob, UnknownFunctionJob, MediaProducingJob,
  MediaProducingStatus, CoverResultItem, VideoClipResult, MusicSegment, AudioQualityRecord, ParseOptions,
  WireRequest, EmptyResult, IProductionSubmitResult, SubmitIProductionJobAnswer, BuildQueryIProductionJobOptions,
} from './jobs';

// The runtime (lib/runtime): the client over the official SDKs and the deployed function's handler.
export {
  IProductionClient, LimiterRegistry, DurationHistory,
  AbortError, IceApiError, IceNetworkError, JobFailedError, MissingCredentialsError, RuntimeOptionsError,
  UnknownOutcomeError, WaitTimeoutError,
  handler, createHandler,
} from './runtime';
export type {
  IProductionClientOptions, CredentialProvider, StaticCredentials, SubmitIProductionJobResult, QueryIProductionJobOptions,
  SubmitMediaProducingJobResult, AttemptEvent, ErrorKind, RetryOptions, WaitOptions,
  Handler, HandlerOptions, HandlerResponse, FcContext, FcCredentials, HandlerEnv,
} from './runtime';

// Constructs (lib/constructs): buckets, MNS, the MPS pipeline, grants, the runtime function, the L3 and its stack.
export {
  MediaBucket, MediaBucketBase,
  NotificationQueue, NotificationTopic, RosQueue, RosTopic, RosSubscription,
  MediaPipeline, RosPipeline,
  RolePrincipal, grant, grantSubmitIProductionJob, grantQueryIProductionJob, grantSubmitMediaProducingJob,
  grantGetMediaProducingJob,
  ProductionRuntime,
  IntelligentProduction, IntelligentProductionStack, ProductionLoop,
  suppressPolicyFinding, NameCheck, findNameCollisions, physicalNamesOfApp, physicalNamesInTemplate,
} from './constructs';
export type {
  IMediaBucket, MediaBucketProps, MediaBucketAttributes, MediaBucketEncryption, MediaBucketLifecycleRule,
  MediaBucketAccessLogs,
  INotificationQueue, INotificationTopic, IPipelineNotificationTarget, PipelineNotificationBinding, NotificationQueueProps,
  NotificationTopicProps, SubscriptionOptions,
  NotifyContentFormat, NotifyStrategy, RosQueueProps, RosTopicProps, RosSubscriptionProps,
  IMediaPipeline, IRoleReference, MediaPipelineProps, PipelineSpeed, PipelineState, RosPipelineProps,
  IGrantable, IRolePrincipal, Grant, GrantStatement, PolicyConditions, IProductionGrantOptions, RolePrincipalProps,
  IProductionRuntime, ProductionRuntimeAttributes, ProductionRuntimeProps, ProductionRuntimeNodeVersion,
  ProductionRuntimeTrigger, TimerTrigger, MnsTopicTrigger,
  IntelligentProductionProps, NotificationStyle, ProductionBucketOptions, ProductionPipelineOptions,
  ProductionRuntimeOptions, IntelligentProductionStackProps, ProductionRoute, ProductionLedgerOptions, ProductionLoopProps,
  PolicySuppressionProps, PhysicalName, NameCollision,
} from './constructs';

// Policy review (lib/policy): rules over synthesized templates, suppressions, reports.
export {
  reviewAssembly, reviewTemplate, reviewTemplates, loadAssembly, AssemblyReadError,
  blockingFindings, countFindings, summarizeReview, renderMarkdown, renderJson, renderSarif,
  POLICY_RULES, SUPPRESSION_RULES, SEVERITIES, summarizeSynth, formatSynthSummary,
} from './policy';
export type {
  PolicyReview, Finding, Severity, Suppression, ReviewOptions, RuleDescriptor, PrincipalKind, PermissionRow,
  PrincipalSummary, ServiceRoleUse, TemplateSummary, ReviewCounts, TemplateReviewOptions, AssemblyTemplate, JsonReport, SarifOptions,
  PolicyRule, StackSynthSummary, SummaryName, SummaryPolicy, SummaryPrincipal, SummaryCostDriver,
} from './policy';

// Deploy, diff and destroy over the official ROS SDK (lib/deploy): what the CLI's previews are built from.
export {
  RosApi, readAssemblyStacks, permissionsOf, diffPermissions, renderPermissionChanges, changesBetween,
  changesFromChangeSet, renderResourceChanges,
} from './deploy';
export type {
  RosApiOptions, StackSummary, StackDetails, StackEventRecord, ChangeSetDetails, AssemblyStack, PrincipalPermissions,
  PrincipalChange, ResourceChangeLine, ChangeAction,
} from './deploy';
