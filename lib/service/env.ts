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
  /** JSON array of the intelligent production functions the function submits; any other is refused. */
  functions: 'IPROD_FUNCTIONS',
  /** JSON array of `"bucket/prefix"` where jobs may read; any other OSS location is refused. */
  inputLocations: 'IPROD_INPUT_LOCATIONS',
  /** JSON array of `"bucket/prefix"` where jobs may write; any other OSS location is refused. */
  outputLocations: 'IPROD_OUTPUT_LOCATIONS',
  /** The cap on instances running at once: each plans this share of the API's QPS limits. */
  maxInstances: 'IPROD_MAX_INSTANCES',
  /** JSON object of the presets deployed with the function (when they fit the environment). */
  presets: 'IPROD_PRESETS',
  /** Name of the presets file in the code package (when they do not). */
  presetsFile: 'IPROD_PRESETS_FILE',
  /** Hex SHA-256 of that file, so a package and an environment of different deploys are never mixed. */
  presetsSha256: 'IPROD_PRESETS_SHA256',
  /** JSON of the production loop: routes, ledger instance and table, results topic, callback queue (lib/runtime/loop.ts). */
  loop: 'IPROD_LOOP',
  /** `http(s)://host:port` of a Tablestore-compatible endpoint (default: the instance's regional endpoint). */
  otsEndpoint: 'OTS_ENDPOINT',
  /** `http(s)://host:port` of an MNS-compatible endpoint (default: the account's regional endpoint). */
  mnsEndpoint: 'MNS_ENDPOINT',
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
