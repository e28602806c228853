/**
 * Where the FC handler takes its settings from (context, then environment) and what the deployment adds to each
 * request. Pure: no SDK, so it is tested without an endpoint.
 */
import { JobValidationError, mergeUserData, parseLocationList, type JobLocation, type JobScope } from '../jobs';
import { type Api, APIS, FC_ENV, RUNTIME_ENV } from '../service';
import { isRecord } from '../util/values';
import { describeValue } from './events';
import { errorResponse, type ErrorResponse } from './handler-errors';

export interface FcCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/** The parts of the FC context the handler reads. */
export interface FcContext {
  readonly requestId?: string;
  readonly credentials?: FcCredentials;
  readonly region?: string;
  readonly accountId?: string;
  readonly function?: { readonly name?: string; readonly timeout?: number };
}

export type HandlerEnv = Readonly<Record<string, string | undefined>>;

export interface RuntimeSettings {
  readonly region: string;
  /** `ICE_ENDPOINT`: host[:port] of an ICE/MTS-compatible endpoint, used for both APIs. */
  readonly endpoint?: string;
  readonly protocol?: 'http' | 'https';
  /** The deployment's API (`IPROD_API`, set by the construct): an event's own `api` wins. */
  readonly api: Api;
  readonly credential?: FcCredentials;
  /** `IPROD_PIPELINE_ID`: the MPS pipeline jobs are scheduled on unless the request names one. */
  readonly pipelineId?: string;
  /** `IPROD_USER_DATA_TAGS` (a JSON object of strings): merged into each job's UserData. */
  readonly userDataTags?: Readonly<Record<string, string>>;
  /**
   * What the stack was synthesized for (`IPROD_FUNCTIONS`, `IPROD_INPUT_LOCATIONS`, `IPROD_OUTPUT_LOCATIONS`); a
   * variable that is absent is not enforced (a local run), one that is present is, even when it lists nothing.
   */
  readonly scope?: JobScope;
  /**
   * `IPROD_MAX_INSTANCES`: the cap on instances running at once. Each instance plans its share of the API's QPS limits,
   * so that together they stay within them.
   */
  readonly maxInstances?: number;
}

/** Instances an account can run at once is far below this; a larger figure is a typo. */
export const MAX_INSTANCES_LIMIT = 10_000;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

export function resolveSettings(context: FcContext, env: HandlerEnv): RuntimeSettings | ErrorResponse {
  // FC always passes a string; anything else is a caller's mistake worth naming, not a crash.
  const rawRegion = (context as { region?: unknown }).region;
  if (rawRegion !== undefined && rawRegion !== null && typeof rawRegion !== 'string') {
    return errorResponse('InvalidConfiguration', `context.region must be a region id string such as "cn-shanghai", got ${describeValue(rawRegion)}`);
  }
  const region = nonEmpty(rawRegion ?? undefined) ?? nonEmpty(env[FC_ENV.region]) ?? nonEmpty(env[RUNTIME_ENV.region]);
  if (!region) {
    return errorResponse('MissingRegion', `region must come from context.region, env ${FC_ENV.region} or env ${RUNTIME_ENV.region}, got none`);
  }
  const protocol = nonEmpty(env[RUNTIME_ENV.protocol]);
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') {
    return errorResponse('InvalidConfiguration', `${RUNTIME_ENV.protocol} must be http or https, got ${describeValue(protocol)}`);
  }
  const api = nonEmpty(env[RUNTIME_ENV.api]) ?? 'ice';
  if (!(APIS as readonly string[]).includes(api)) {
    return errorResponse('InvalidConfiguration', `${RUNTIME_ENV.api} must be one of ${APIS.join(', ')}, got ${describeValue(api)}`);
  }
  const c = context.credentials;
  let credential: FcCredentials | undefined;
  if (c !== undefined && c !== null) {
    if (typeof c.accessKeyId !== 'string' || c.accessKeyId === '' || typeof c.accessKeySecret !== 'string' || c.accessKeySecret === '') {
      return errorResponse(
        'InvalidCredentials',
        `context.credentials must carry accessKeyId and accessKeySecret, got ${describeValue(c.accessKeyId)} and ${c.accessKeySecret ? 'a secret' : describeValue(c.accessKeySecret)}`,
      );
    }
    credential = {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      ...(c.securityToken ? { securityToken: c.securityToken } : {}),
    };
  }
  const endpoint = nonEmpty(env[RUNTIME_ENV.endpoint]);
  const pipelineId = nonEmpty(env[RUNTIME_ENV.pipelineId]);
  let userDataTags: Record<string, string> | undefined;
  const rawTags = nonEmpty(env[RUNTIME_ENV.userDataTags]);
  if (rawTags !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawTags);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      return errorResponse('InvalidConfiguration', `${RUNTIME_ENV.userDataTags} must be a JSON object of strings, got ${describeValue(rawTags)}`);
    }
    userDataTags = parsed as Record<string, string>;
  }
  const scope: { functions?: string[]; inputs?: JobLocation[]; outputs?: JobLocation[] } = {};
  const rawFunctions = env[RUNTIME_ENV.functions];
  if (rawFunctions !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawFunctions);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.some((f) => typeof f !== 'string')) {
      return errorResponse('InvalidConfiguration', `${RUNTIME_ENV.functions} must be a JSON array of function names, got ${describeValue(rawFunctions)}`);
    }
    scope.functions = parsed as string[];
  }
  for (const [name, key] of [[RUNTIME_ENV.inputLocations, 'inputs'], [RUNTIME_ENV.outputLocations, 'outputs']] as const) {
    const raw = env[name];
    if (raw === undefined) continue;
    const parsed = parseLocationList(raw);
    if (!parsed.ok) return errorResponse('InvalidConfiguration', `${name} ${parsed.reason}`);
    scope[key] = parsed.locations;
  }
  let maxInstances: number | undefined;
  const rawMax = nonEmpty(env[RUNTIME_ENV.maxInstances]);
  if (rawMax !== undefined) {
    maxInstances = Number(rawMax);
    if (!/^\d+$/.test(rawMax) || maxInstances < 1 || maxInstances > MAX_INSTANCES_LIMIT) {
      return errorResponse('InvalidConfiguration', `${RUNTIME_ENV.maxInstances} must be a whole number between 1 and ${MAX_INSTANCES_LIMIT}, got ${describeValue(rawMax)}`);
    }
  }
  return {
    scope,
    ...(maxInstances !== undefined ? { maxInstances } : {}),
    ...(pipelineId ? { pipelineId } : {}),
    ...(userDataTags ? { userDataTags } : {}),
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(protocol ? { protocol } : {}),
    api: api as Api,
    ...(credential ? { credential } : {}),
  };
}

/**
 * Fills in what the deployment decided and the request left open: the pipeline (so that completion messages reach
 * the deployment's topic) and the UserData tags, merged into the request's own UserData (whose keys win). Whatever
 * the request states wins.
 *
 * @throws JobValidationError (field `UserData`) when the tags cannot be merged: a UserData that is not a JSON object,
 *   or a merge over the API's limit. Thrown before any call.
 */
export function applyDeploymentDefaults(
  request: Record<string, unknown>,
  kind: 'iProduction' | 'mediaProducing',
  api: Api,
  settings: Pick<RuntimeSettings, 'pipelineId' | 'userDataTags'>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...request };
  if (kind === 'iProduction' && settings.pipelineId) {
    if (api === 'mts') {
      if (out.PipelineId === undefined) out.PipelineId = settings.pipelineId;
    } else if (out.ScheduleConfig === undefined || isRecord(out.ScheduleConfig)) {
      const schedule = (out.ScheduleConfig ?? {}) as Record<string, unknown>;
      if (schedule.PipelineId === undefined) out.ScheduleConfig = { ...schedule, PipelineId: settings.pipelineId };
    }
  }
  if (settings.userDataTags && Object.keys(settings.userDataTags).length > 0) {
    const merged = mergeUserData(out.UserData, settings.userDataTags, kind === 'mediaProducing' ? 'mediaProducing' : api);
    if (!merged.ok) throw new JobValidationError([{ field: 'UserData', message: merged.reason, severity: 'error' }]);
    out.UserData = merged.value;
  }
  return out;
}
