/**
 * Where the FC handler takes its settings from (context, then environment) and what the deployment adds to each
 * request. Pure: no SDK, so it is tested without an endpoint.
 */
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
}

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
  return {
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
 * the deployment's topic) and the UserData tags. Whatever the request states wins; a UserData given as a string is
 * the caller's exact wire value and is left alone.
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
    if (out.UserData === undefined) out.UserData = { ...settings.userDataTags };
    else if (isRecord(out.UserData)) out.UserData = { ...settings.userDataTags, ...out.UserData };
  }
  return out;
}
