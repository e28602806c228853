/**
 * Environment variables of the deployed function: the construct writes them, the handler reads them. Names only;
 * what each means is documented where it is read (lib/runtime/handler-settings.ts).
 */
export const RUNTIME_ENV = {
  /** The stack's region (fallback after `context.region` and `FC_REGION`). */
  region: 'IPROD_REGION',
  /** `ice` or `mts`: the API intelligent production jobs go to. */
  api: 'IPROD_API',
  /** The MPS pipeline jobs are scheduled on unless a request names one. */
  pipelineId: 'IPROD_PIPELINE_ID',
  /** JSON object of strings merged into each job's UserData. */
  userDataTags: 'IPROD_USER_DATA_TAGS',
  /** host[:port] of an ICE/MTS-compatible endpoint (DESIGN.md public contract). */
  endpoint: 'ICE_ENDPOINT',
  /** `http` or `https` for `endpoint` (DESIGN.md public contract). */
  protocol: 'ICE_PROTOCOL',
} as const;

/** Set by Function Compute itself. */
export const FC_ENV = {
  region: 'FC_REGION',
  accountId: 'FC_ACCOUNT_ID',
} as const;

/** Prefixes of variable names the construct or the platform owns: `environment` may not set them. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ['IPROD_', 'FC_', 'ALIBABA_CLOUD_'];
