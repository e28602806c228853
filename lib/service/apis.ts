/**
 * Facts about the two OpenAPIs that run intelligent production and timeline editing jobs: versions, endpoints,
 * regions, and per action its QPS limit, idempotency and RAM authorization. Data only; everything else reads it.
 *
 * Sources: FACTS.md (APIs, RAM), seed 002 (SubmitIProductionJob 100 QPS), seed 003 (SubmitMediaProducingJob 30 QPS),
 * seed 004 (ice:QueryIProductionJob is "All Resources").
 */

/** Which OpenAPI: ICE (Intelligent Media Services 2020-11-09, `ice`) or MPS (2014-06-18, `mts`). */
export type Api = 'ice' | 'mts';

/** Every API, in documentation order. */
export const APIS: readonly Api[] = ['ice', 'mts'];

/** The operations this package calls. */
export type ApiAction =
  | 'SubmitIProductionJob'
  | 'QueryIProductionJob'
  | 'SubmitMediaProducingJob'
  | 'GetMediaProducingJob'
  | 'GetEventCallback'
  | 'SetEventCallback';

/**
 * How a repeated call behaves: `read` has no effect, `put` sets the same value again (repeating it is harmless),
 * `client-token` dedupes on a token, `none` runs twice.
 */
export type Idempotency = 'read' | 'put' | 'client-token' | 'none';

/** What RAM lets a policy name in `Resource` for an action: `operation` means only `"*"` works. */
export type RamScope = 'operation' | 'resource';

/** Facts about one operation, the same on every API that offers it. */
export interface ActionFacts {
  /** Per-user QPS limit the service enforces (throttling beyond it). */
  readonly qps: number;
  /** Where the QPS figure comes from (`GUESS` when no source gives it). */
  readonly qpsSource: string;
  readonly idempotency: Idempotency;
  /** Submits create work: a submit whose answer is lost has an unknown outcome. */
  readonly submit: boolean;
}

/**
 * Per-action facts. No source gives the query limits: 50 is a GUESS kept low on purpose, since waiting clients poll
 * them and a throttled poll only delays a wait.
 */
export const ACTIONS: Readonly<Record<ApiAction, ActionFacts>> = {
  SubmitIProductionJob: { qps: 100, qpsSource: 'seed 002', idempotency: 'none', submit: true },
  QueryIProductionJob: { qps: 50, qpsSource: 'GUESS', idempotency: 'read', submit: false },
  SubmitMediaProducingJob: { qps: 30, qpsSource: 'seed 003', idempotency: 'client-token', submit: true },
  GetMediaProducingJob: { qps: 50, qpsSource: 'GUESS', idempotency: 'read', submit: false },
  // FACTS.md "ICE event callbacks": one account-wide setting per region, read and replaced whole. No source gives
  // their QPS: 10 is a GUESS (a person or a deploy calls them, rarely).
  GetEventCallback: { qps: 10, qpsSource: 'GUESS', idempotency: 'read', submit: false },
  SetEventCallback: { qps: 10, qpsSource: 'GUESS', idempotency: 'put', submit: false },
};

/** Every action this package calls, in the order above. */
export const API_ACTIONS: readonly ApiAction[] = Object.keys(ACTIONS) as ApiAction[];

/** Facts about one API. */
export interface ApiFacts {
  /** Name people use for it in messages (`ICE`, `MPS`). */
  readonly label: string;
  /** Product code: the RAM action prefix (`ice:`) and the endpoint's first label. */
  readonly product: string;
  /** OpenAPI version sent with every call. */
  readonly version: string;
  /**
   * Public endpoint host; `{region}` is replaced by the region id. Always explicit: the SDK's built-in map sends
   * most regions to a central host (FACTS.md).
   */
  readonly endpoint: string;
  /** Regions where the API is documented. */
  readonly regions: readonly string[];
  /**
   * Whether `regions` is the whole list. When it is not, a region outside it is worth a warning, never an error
   * (the seeds give no region list).
   */
  readonly regionsExhaustive: boolean;
  /** How RAM authorizes this API's actions (FACTS.md: every ice and mts action is "All Resources"). */
  readonly ramScope: RamScope;
  /** The operations of this API that this package calls. */
  readonly actions: readonly ApiAction[];
}

/** FACTS.md "documented regions include": not exhaustive. */
const ICE_DOCUMENTED_REGIONS = ['cn-shanghai', 'cn-hangzhou', 'cn-beijing', 'cn-shenzhen', 'ap-southeast-1', 'us-west-1'] as const;

export const API_FACTS: Readonly<Record<Api, ApiFacts>> = {
  ice: {
    label: 'ICE',
    product: 'ice',
    version: '2020-11-09',
    endpoint: 'ice.{region}.aliyuncs.com',
    regions: ICE_DOCUMENTED_REGIONS,
    regionsExhaustive: false,
    ramScope: 'operation',
    actions: ['SubmitIProductionJob', 'QueryIProductionJob', 'SubmitMediaProducingJob', 'GetMediaProducingJob', 'GetEventCallback', 'SetEventCallback'],
  },
  mts: {
    label: 'MPS',
    product: 'mts',
    version: '2014-06-18',
    endpoint: 'mts.{region}.aliyuncs.com',
    // GUESS: no source gave MPS's intelligent-production regions; the ICE list stands in until one does.
    regions: ICE_DOCUMENTED_REGIONS,
    regionsExhaustive: false,
    ramScope: 'operation',
    actions: ['SubmitIProductionJob', 'QueryIProductionJob'],
  },
};

/** The RAM action name of an operation on an API: `ice:SubmitIProductionJob`. */
export function ramActionOf(api: Api, action: ApiAction): string {
  return `${API_FACTS[api].product}:${action}`;
}

/** The public endpoint host of an API in a region (the region is not checked here). */
export function endpointOf(api: Api, region: string): string {
  return API_FACTS[api].endpoint.replace('{region}', region);
}

/** Whether `value` names an API. */
export function isApi(value: unknown): value is Api {
  return typeof value === 'string' && (APIS as readonly string[]).includes(value);
}

/** RAM service prefixes whose actions are authorized by operation only: `"*"` is the only Resource that works. */
export const OPERATION_SCOPED_SERVICES: readonly string[] = APIS.filter((a) => API_FACTS[a].ramScope === 'operation')
  .map((a) => API_FACTS[a].product);

/** Region ids: `cn-shanghai`, `ap-southeast-1`, `cn-hangzhou-finance`. */
export const REGION_ID_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

/**
 * The RAM role each service reads and writes the account's OSS through when it runs a job: not in any template, so
 * the policy report names it beside what the stack grants (FACTS.md, RAM). An MPS pipeline may name its own `Role`.
 */
export const SERVICE_ROLES: Readonly<Record<Api, string>> = { ice: 'AliyunICEDefaultRole', mts: 'AliyunMTSDefaultRole' };
