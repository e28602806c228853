import { type Api, type ApiAction, API_FACTS, endpointOf } from '../service';
import { CATALOGUE, isFunctionName } from './catalogue';
import { isRegionId } from './oss';
import type { IProductionJobRequest, MediaProducingJobRequest, MtsIProductionJobRequest } from './types';

/**
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
export function buildSubmitIProductionJob(req: IProductionJobRequest | MtsIProductionJobRequest, options: ApiOption = {}): WireRequest {
  const api = options.api ?? 'ice';
  const query: Record<string, string> = {};
  const source = req as unknown as Record<string, unknown>;
  for (const key of api === 'mts' ? MTS_SUBMIT_KEYS : ICE_SUBMIT_KEYS) {
    put(query, key, key === 'JobParams' ? wireJobParams(source.FunctionName, source.JobParams) : source[key]);
  }
  return { action: 'SubmitIProductionJob', version: versionOf(api), query };
}

/**
 * JobParams fields the API types as strings (VideoDelogo `Boxes`) travel as JSON text even when given as arrays:
 * the service parses the string, and nothing documents that it takes an array there.
 */
function wireJobParams(fn: unknown, params: unknown): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params) || !isFunctionName(fn)) return params;
  const spec = CATALOGUE[fn].params;
  const out: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    const shape = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key].shape : undefined;
    if (shape?.kind === 'boxes' && shape.jsonString && typeof value !== 'string') out[key] = JSON.stringify(value);
  }
  return out;
}

function jobId(id: unknown): string {
  if (typeof id !== 'string' || id.trim() === '') throw new TypeError(`jobId must be a non-empty string, got ${JSON.stringify(id) ?? String(id)}`);
  return id;
}

export function buildQueryIProductionJob(id: string, options: ApiOption = {}): WireRequest {
  const api = options.api ?? 'ice';
  return { action: 'QueryIProductionJob', version: versionOf(api), query: { JobId: jobId(id) } };
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
