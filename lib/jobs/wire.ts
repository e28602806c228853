import { type Api, type ApiAction, API_FACTS, endpointOf } from '../service';
import { CATALOGUE, isFunctionName } from './catalogue';
import { isRegionId } from './oss';
import type { IProductionJobRequest, MediaProducingJobRequest, MtsIProductionJobRequest } from './types';

/**
 * @internal
 * How ICE and MTS expose these actions to `@alicloud/openapi-client` `callApi` (its `Params` besides action, version
 * and protocol): RPC style, `POST /`, parameters in the query and a form body, a JSON answer, AccessKey signing.
 */
export const RPC_CALL = {
  pathname: '/',
  method: 'POST',
  authType: 'AK',
  style: 'RPC',
  reqBodyType: 'formData',
  bodyType: 'json',
} as const;

/** One RPC call, ready for the SDK's `callApi`: everything already a string. */
export interface WireRequest {
  readonly action: ApiAction;
  readonly version: string;
  readonly query: Record<string, string>;
  /** Form body, for parameters too large for a query string. */
  readonly body?: Record<string, string>;
}

export interface ApiOption {
  /** @default 'ice' */
  readonly api?: Api;
}

/** Parameters sent as JSON text when given as objects. */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Sets a parameter; an absent, null or empty one is omitted, never sent empty (the service reads "" as absent). */
function put(target: Record<string, string>, key: string, v: unknown): void {
  const s = text(v);
  if (s !== undefined && s !== '') target[key] = s;
}

function versionOf(api: Api): string {
  return API_FACTS[api].version;
}

/** ICE: Input, Output, ScheduleConfig and JobParams go as JSON strings; MTS: everything is already flat. */
const ICE_SUBMIT_KEYS = ['FunctionName', 'Name', 'Input', 'Output', 'TemplateId', 'JobParams', 'ScheduleConfig', 'UserData', 'ModelId'] as const;
const MTS_SUBMIT_KEYS = ['FunctionName', 'Input', 'Output', 'JobParams', 'ModelId', 'NotifyUrl', 'PipelineId', 'ScheduleParams', 'UserData'] as const;

/**
 * SubmitIProductionJob for a request the validator accepted. Absent parameters are omitted, never sent empty.
 */
/** MPS takes flat strings (seed 002): these may be given as objects and go as their JSON text; the rest must be text. */
const MTS_JSON_KEYS: readonly string[] = ['JobParams', 'ScheduleParams', 'UserData'];

/**
 * SubmitIProductionJob for a request the validator accepted. Absent and empty parameters are omitted, never sent
 * empty.
 * @throws TypeError when a parameter has the other API's shape (an ICE `Input {Type, Media}` object with api 'mts'),
 * which would otherwise go out as JSON text the service cannot read as an OSS path
 */
export function buildSubmitIProductionJob(req: IProductionJobRequest | MtsIProductionJobRequest, options: ApiOption = {}): WireRequest {
  const api = options.api ?? 'ice';
  const query: Record<string, string> = {};
  const source = req as unknown as Record<string, unknown>;
  for (const key of api === 'mts' ? MTS_SUBMIT_KEYS : ICE_SUBMIT_KEYS) {
    const value = source[key];
    if (api === 'mts' && !MTS_JSON_KEYS.includes(key) && value !== undefined && value !== null && typeof value !== 'string') {
      throw new TypeError(`${key} must be a string for MPS (api 'mts': flat OSS paths and ids, seed 002), got ${JSON.stringify(value) ?? typeof value}`);
    }
    put(query, key, key === 'JobParams' ? wireJobParams(source.FunctionName, value) : value);
  }
  return { action: 'SubmitIProductionJob', version: versionOf(api), query };
}

/**
 * JobParams fields the API types as strings (VideoDelogo `Boxes`, seed 001 line 378) travel as JSON text even when
 * given as arrays, whether JobParams itself is an object or its JSON text: the service parses the string, and
 * nothing documents that it takes an array there. JobParams text that needs no change is sent exactly as given.
 */
function wireJobParams(fn: unknown, params: unknown): unknown {
  if (!isFunctionName(fn)) return params;
  let object: unknown = params;
  if (typeof params === 'string') {
    try {
      object = JSON.parse(params);
    } catch {
      return params;
    }
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return params;
  const spec = CATALOGUE[fn].params;
  const out: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  let changed = false;
  for (const [key, value] of Object.entries(out)) {
    const shape = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key].shape : undefined;
    if (shape?.kind === 'boxes' && shape.jsonString && value !== undefined && typeof value !== 'string') {
      out[key] = JSON.stringify(value);
      changed = true;
    }
  }
  return typeof params === 'string' && !changed ? params : out;
}

function jobId(id: unknown): string {
  if (typeof id !== 'string' || id.trim() === '') throw new TypeError(`jobId must be a non-empty string, got ${JSON.stringify(id) ?? String(id)}`);
  return id;
}

export interface BuildQueryIProductionJobOptions extends ApiOption {
  /**
   * ICE's idempotency token for the query (seed 004 line 22). MPS's QueryIProductionJob takes none (its SDK request
   * has JobId only), so it is refused with api 'mts'.
   * @default - none sent
   */
  readonly clientToken?: string;
}

export function buildQueryIProductionJob(id: string, options: BuildQueryIProductionJobOptions = {}): WireRequest {
  const api = options.api ?? 'ice';
  const query: Record<string, string> = { JobId: jobId(id) };
  const token = options.clientToken;
  if (token !== undefined && token !== '') {
    if (typeof token !== 'string') throw new TypeError(`clientToken must be a string, got ${JSON.stringify(token) ?? typeof token}`);
    if (api === 'mts') throw new TypeError(`clientToken is a parameter of ICE QueryIProductionJob only (seed 004 line 22); MPS takes none, got ${JSON.stringify(token)}`);
    query.ClientToken = token;
  }
  return { action: 'QueryIProductionJob', version: versionOf(api), query };
}

/** Large JSON parameters travel in the form body: a Timeline easily exceeds what a query string may carry. */
export const MEDIA_PRODUCING_BODY_KEYS = [
  'Timeline', 'ClipsParam', 'OutputMediaConfig', 'EditingProduceConfig', 'ProjectMetadata', 'MediaMetadata', 'UserData',
] as const;
export const MEDIA_PRODUCING_QUERY_KEYS = ['ProjectId', 'TemplateId', 'OutputMediaTarget', 'Source', 'ClientToken'] as const;

export interface SubmitMediaProducingOptions {
  /** Idempotency token; overrides the request's ClientToken. @default - the request's ClientToken, if any */
  readonly clientToken?: string;
}

export function buildSubmitMediaProducingJob(req: MediaProducingJobRequest, options: SubmitMediaProducingOptions = {}): WireRequest {
  const source = req as unknown as Record<string, unknown>;
  const query: Record<string, string> = {};
  const body: Record<string, string> = {};
  for (const key of MEDIA_PRODUCING_QUERY_KEYS) put(query, key, source[key]);
  if (options.clientToken !== undefined && options.clientToken !== '') query.ClientToken = options.clientToken;
  for (const key of MEDIA_PRODUCING_BODY_KEYS) put(body, key, source[key]);
  return { action: 'SubmitMediaProducingJob', version: versionOf('ice'), query, body };
}

export function buildGetMediaProducingJob(id: string): WireRequest {
  return { action: 'GetMediaProducingJob', version: versionOf('ice'), query: { JobId: jobId(id) } };
}

function checkedRegion(region: string): string {
  if (typeof region !== 'string' || !isRegionId(region)) {
    throw new TypeError(`region must be a region id such as "cn-shanghai", got ${JSON.stringify(region) ?? String(region)}`);
  }
  return region;
}

/** Always explicit: the SDK's built-in map sends most regions to a central endpoint (FACTS.md). */
export function endpointFor(api: Api, region: string): string {
  return endpointOf(api, checkedRegion(region));
}
