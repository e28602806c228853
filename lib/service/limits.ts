/**
 * Limits and name rules of the cloud services the stack uses, written once. Sources: FACTS.md, the generated
 * validators of ros-cdk-oss/ram/fc/ots, `@alicloud/ros-cdk-spec` for MNS/MPS. GUESS marks figures no source
 * confirmed. Where a construct and the job validator both check a rule, they read it here.
 */

/** ROS (FACTS.md "ROS"). */
export const ROS_LIMITS = {
  /** ROS rejects a TemplateBody above this many bytes. */
  templateMaxBytes: 524_288,
  /** Resources per stack: the limits page says 300 (the CreateStack page says 200). */
  stackMaxResources: 300,
  /** CreateStack / CreateChangeSet `TimeoutInMinutes`: 10-1440, 60 when not given (the CreateStack API page). */
  stackTimeoutMinMinutes: 10,
  stackTimeoutMaxMinutes: 1440,
  stackTimeoutDefaultMinutes: 60,
} as const;

/** ROS's OpenAPI endpoint: one for every region (the ROS SDK's endpoint map). */
export const ROS_ENDPOINT = 'ros.aliyuncs.com';

/** RAM (FACTS.md "RAM"). */
export const RAM_LIMITS = {
  /** `Version` of every policy document. */
  policyVersion: '1',
  /** Documented size limit of one policy document, in characters. */
  policyDocumentMaxChars: 6144,
  /**
   * An older RAM page documents 2,048 characters; which one holds is unconfirmed (FACTS GUESS), so documents above it
   * are worth a warning, not an error.
   */
  policyDocumentLegacyMaxChars: 2048,
  /** Policy names: letters, digits and hyphens, at most this many characters. */
  policyNameMaxChars: 128,
  /** Role names: letters, digits, `.` and `-`, at most this many characters. */
  roleNameMaxChars: 64,
} as const;

/** RAM role names (`roleNameMaxChars` long at most). */
export const RAM_ROLE_NAME_PATTERN = /^[A-Za-z0-9.-]+$/;

/** Resource tags, as OSS, RAM and FC share them. */
export const TAG_LIMITS = {
  keyMaxChars: 128,
  valueMaxChars: 256,
  /** Keys must not start with these (case-insensitive). */
  reservedKeyPrefix: /^(aliyun|acs:)/i,
} as const;

/** OSS (FACTS.md "OSS"; ros-cdk-oss 1.12). */
export const OSS_LIMITS = {
  /** Object keys are 1-1023 bytes of UTF-8. */
  objectKeyMaxBytes: 1023,
  bucketNameMinChars: 3,
  bucketNameMaxChars: 63,
  /** Tags per bucket. */
  bucketTagsMax: 20,
  /** Lifecycle rules per bucket. */
  lifecycleRulesMax: 1000,
  /** Lifecycle rule ids. */
  lifecycleRuleIdMaxChars: 255,
} as const;

/** Characters an OSS bucket name may hold; it also starts and ends with a letter or digit. */
export const OSS_BUCKET_NAME_CHARS = /^[a-z0-9-]+$/;

/** Function Compute (FC 2.0 limits as ros-cdk-fc 1.9 validates them; FC 3.0 where noted). */
export const FC_LIMITS = {
  /**
   * The environment of a function (keys and values), in bytes: "the total size of all environment variables cannot
   * exceed 4 KB" (FC 2.0 and 3.0 "Configure environment variables").
   */
  environmentMaxBytes: 4096,
  timeoutMaxSeconds: 86_400,
  memoryMinMb: 128,
  memoryMaxMb: 32_768,
  memoryStepMb: 64,
  instanceConcurrencyMax: 100,
  /** Tags per FC service. */
  serviceTagsMax: 20,
  /** Timer triggers: `@every Nm`, N in 1-1440. */
  timerIntervalMinMinutes: 1,
  timerIntervalMaxMinutes: 1440,
  /** FC 3.0 AsyncInvokeConfig MaxAsyncRetryAttempts: 0-8 (ros-cdk-fc3 1.11's property docs). */
  asyncRetryAttemptsMax: 8,
  /** FC 3.0 AsyncInvokeConfig MaxAsyncEventAgeInSeconds: 1-604800. */
  asyncEventAgeMaxSeconds: 604_800,
  /** FC 3.0 ConcurrencyConfig ReservedConcurrency per function. GUESS: accounts hold a few hundred in total. */
  reservedConcurrencyMax: 1000,
} as const;

/** FC function and service names: a letter or `_` first, then letters, digits, `_` and `-`, 128 at most. */
export const FC_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** Environment variable names FC accepts. */
export const FC_ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** MNS queue, topic and subscription names (`@alicloud/ros-cdk-spec`, FACTS.md "ROS"). */
export const MNS_LIMITS = {
  /**
   * MNS documents 120 characters for queue and topic names while the ROS spec allows 256; names this package
   * creates or accepts for its constructs hold to the tighter figure.
   */
  nameMaxChars: 120,
  /** The ROS spec's bound (`QueueName` 1-256): the most a name in a request can be. */
  specNameMaxChars: 256,
} as const;

/** MNS names: a letter first, then letters, digits and hyphens. */
export const MNS_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * ICE delivers callbacks only to MNS queues whose name starts with this (FACTS.md; GUESS whether MPS pipelines need
 * it too).
 */
export const ICE_CALLBACK_QUEUE_PREFIX = 'ice-callback';

/** MPS pipelines. */
export const MPS_LIMITS = {
  /** Pipeline names: up to 128 bytes, starting with a letter or digit. */
  pipelineNameMaxBytes: 128,
} as const;

/**
 * MPS pipeline ids. No seed states the rule (they show 32 hex digits); GUESS: 1-64 letters, digits, `_` or `-`, the
 * looser of the two rules the code once held, so no id the service issues is refused.
 */
export const MPS_PIPELINE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The pipeline id rule in words, for messages. */
export const MPS_PIPELINE_ID_RULE = '1-64 letters, digits, _ or -';

/** Tablestore instance names (ros-cdk-ots 1.11 `ALIYUN::OTS::Instance`): 3-16 characters, a letter first, no `-` last. */
export const OTS_INSTANCE_NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]{1,14}[a-zA-Z0-9]$/;
