import { type Api, API_FACTS, MNS_LIMITS, MPS_PIPELINE_ID_PATTERN, MPS_PIPELINE_ID_RULE } from '../service';
import { CATALOGUE, type FunctionName, OUTPUT_PLACEHOLDERS, functionsOf, isFunctionName } from './catalogue';
import { JobValidationError, hasErrors, type ValidationIssue } from './issues';
import { type OssForm, isRegionId, kindOfExtension, parseOssUrl } from './oss';
import { checkJobParams, readJobParams } from './params';
import { Report } from './report';
import type { IProductionJobRequest, MtsIProductionJobRequest } from './types';
import { charLength, isRecord, own, show, toJson, utf8Bytes } from '../util/values';
import { given, keyField } from './util';

export interface IProductionValidationOptions {
  /** Enables same-region checks on OSS URLs that name a region. */
  readonly region?: string;
  /** @default 'ice' */
  readonly api?: Api;
}

/** Seed 001. */
export const ICE_LIMITS = { nameChars: 100, userDataChars: 256, priorityMin: 1, priorityMax: 10 } as const;
/**
 * GUESS: seed 002 gives no UserData limit for MPS; the older ICE doc's 1,024 bytes (seed 000 line 120) stands in,
 * and only warns (`mtsUserDataSize`).
 */
export const MTS_LIMITS = { userDataBytes: 1024 } as const;

const ICE_KEYS = ['Name', 'FunctionName', 'Input', 'Output', 'TemplateId', 'JobParams', 'ScheduleConfig', 'UserData', 'ModelId'];
const MTS_KEYS = ['FunctionName', 'Input', 'Output', 'JobParams', 'ModelId', 'NotifyUrl', 'PipelineId', 'ScheduleParams', 'UserData'];
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const NOTIFY_URL = new RegExp(`^mns://(\\d+)\\.mns\\.([a-z0-9-]+)\\.aliyuncs\\.com/queues/([A-Za-z0-9][A-Za-z0-9-]{0,${MNS_LIMITS.specNameMaxChars - 1}})$`);

/**
 * Checks a SubmitIProductionJob request against every rule of the seeds. Never throws: any input, however
 * malformed, comes back as issues.
 */
export function validateIProductionJob(request: unknown, options: IProductionValidationOptions = {}): ValidationIssue[] {
  const r = new Report();
  try {
    const opts = isRecord(options) ? options : {};
    const api = own(opts, 'api') ?? 'ice';
    const region = own(opts, 'region');
    if (api !== 'ice' && api !== 'mts') {
      r.error('api', `api must be "ice" or "mts", got ${show(api)}`);
      return r.issues;
    }
    if (region !== undefined && (typeof region !== 'string' || !isRegionId(region))) {
      r.error('region', `region must be a region id such as "cn-shanghai", got ${show(region)}`);
      return r.issues;
    }
    const { regions, label } = API_FACTS[api];
    if (region !== undefined && !regions.includes(region)) {
      r.warn('regionUndocumented', 'region', `region ${show(region)} is not in the documented ${label} region list (${regions.join(', ')})`);
    }
    if (!isRecord(request)) {
      r.error('request', `the request must be an object, got ${show(request)}`);
      return r.issues;
    }
    const ctx: Ctx = { api, region, r };
    if (api === 'ice') validateIce(request, ctx);
    else validateMts(request, ctx);
  } catch (e) {
    // A defect of ours must not become a crash of the caller: report it as an issue instead.
    r.error('request', `could not be validated: ${e instanceof Error ? e.message : show(e)}`);
  }
  return r.issues;
}

export function assertValidIProductionJob(request: unknown, options?: IProductionValidationOptions): asserts request is IProductionJobRequest | MtsIProductionJobRequest {
  const issues = validateIProductionJob(request, options);
  if (hasErrors(issues)) throw new JobValidationError(issues, 'SubmitIProductionJob request');
}

interface Ctx {
  readonly api: Api;
  readonly region?: string;
  readonly r: Report;
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string, r: Report): void {
  for (const k of Object.keys(obj)) {
    // An undefined value is never sent (JSON drops it), so only keys with values can be wrong.
    if (obj[k] !== undefined && !allowed.includes(k)) r.error(keyField(k), `${show(k)} is not a parameter of ${where} (parameters: ${allowed.join(', ')})`);
  }
}

function functionName(req: Record<string, unknown>, { api, r }: Ctx): FunctionName | undefined {
  const fn = own(req, 'FunctionName');
  if (fn === undefined) {
    r.error('FunctionName', 'FunctionName is required, got undefined');
    return undefined;
  }
  if (!isFunctionName(fn)) {
    r.error('FunctionName', `FunctionName must be one of ${functionsOf(api).join(', ')}, got ${show(fn)}`);
    return undefined;
  }
  if (!CATALOGUE[fn].apis.includes(api)) {
    r.error('FunctionName', `FunctionName ${fn} is not offered by ${API_FACTS[api].label} (only ${CATALOGUE[fn].apis.map((a) => API_FACTS[a].label).join(', ')}), got ${show(fn)}`);
    return undefined;
  }
  return fn;
}

/** An optional string parameter: absent, empty, or a string. */
function optionalString(req: Record<string, unknown>, key: string, r: Report): string | undefined {
  const v = given(req, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    r.error(key, `${key} must be a string, got ${show(v)}`);
    return undefined;
  }
  return v;
}

/**
 * ICE: a non-default ModelId only where seed 001 lines 303-308 list one (empty means the default model). MPS: any
 * string (seed 002 lines 82-86: optional, free).
 */
function checkModelId(req: Record<string, unknown>, fn: FunctionName | undefined, { api, r }: Ctx): void {
  const m = optionalString(req, 'ModelId', r);
  if (m === undefined || fn === undefined || api === 'mts') return;
  const allowed = CATALOGUE[fn].modelIds;
  if (allowed.length === 0) r.error('ModelId', `ModelId must be empty for ${fn} on ICE (seed 001 lists non-default models only for VideoDetext), got ${show(m)}`);
  else if (!allowed.includes(m)) r.error('ModelId', `ModelId of ${fn} must be empty or one of ${allowed.join(', ')}, got ${show(m)}`);
}

function checkParams(req: Record<string, unknown>, fn: FunctionName | undefined, ctx: Ctx, required: boolean): void {
  const raw = own(req, 'JobParams');
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (required) ctx.r.error('JobParams', `JobParams is required by ${API_FACTS[ctx.api].label} (seed 002 line 87; use {} when the function has no fields), got ${show(raw)}`);
    return;
  }
  const params = readJobParams(raw, ctx.r);
  if (params && fn) checkJobParams(params, { fn, api: ctx.api, modelId: own(req, 'ModelId'), region: ctx.region }, ctx.r);
}

/** Checks an OSS path and returns its object name (for extension and placeholder checks). */
function checkOss(field: string, where: string, v: string, forms: readonly OssForm[], { region, r }: Ctx): string | undefined {
  const p = parseOssUrl(v, forms);
  if (!p.ok) {
    r.error(field, `${where} ${p.reason}, got ${show(v)}`);
    return undefined;
  }
  if (region && p.location.region && p.location.region !== region) {
    r.error(field, `${where} must be a bucket in region ${region} (the job's region), got ${show(v)} in ${p.location.region}`);
  }
  return p.location.object;
}

function checkPlaceholders(field: string, where: string, path: string, fn: FunctionName | undefined, { api, r }: Ctx): void {
  const found = new Set<string>();
  // Braces are legal in OSS keys and the seeds list what is expanded, not what is forbidden (seed 001 lines
  // 217-225): anything else is kept literally by the service, most likely a typo, so it warns.
  for (const m of path.matchAll(/\{([^{}]*)\}/g)) {
    if ((OUTPUT_PLACEHOLDERS as readonly string[]).includes(m[1])) found.add(m[1]);
    else r.warn('placeholderUnknown', field, `${where} has {${m[1]}}, which is not one of the placeholders the service expands (${OUTPUT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}), in ${show(path)}`);
  }
  if (/[{}]/.test(path.replace(/\{[^{}]*\}/g, ''))) r.warn('braceUnbalanced', field, `${where} has a { or } that opens or closes no placeholder, in ${show(path)}`);
  if (!fn) return;
  const rules = CATALOGUE[fn].output.placeholders[api];
  for (const p of rules.required) {
    if (!found.has(p)) r.error(field, `${where} must contain {${p}} because ${fn} writes several files, got ${show(path)}`);
  }
  for (const p of rules.recommended) {
    if (!found.has(p)) r.warn('placeholderRecommended', field, `${where} should contain {${p}} because ${fn} writes several files that would otherwise overwrite each other, got ${show(path)}`);
  }
}

function checkInputFormat(field: string, where: string, object: string, fn: FunctionName | undefined, { api, r }: Ctx): void {
  if (!fn) return;
  const ext = /\.([A-Za-z0-9]+)$/.exec(object)?.[1]?.toLowerCase();
  const kind = ext === undefined ? undefined : kindOfExtension(ext);
  // Only a well-known extension of the wrong kind is flagged: object names need not have extensions at all.
  if (kind !== undefined && !CATALOGUE[fn].input.kinds.includes(kind)) {
    r.warn('inputKind', field, `${where} of ${fn} should be ${CATALOGUE[fn].input.kinds.join(' or ')}, got ${kind === 'video' ? 'a' : 'an'} ${kind} file ${show(object)}`);
    return;
  }
  for (const q of CATALOGUE[fn].input.requirements ?? []) {
    if (!q.apis.includes(api) || (ext !== undefined && q.formats.includes(ext))) continue;
    r.warn('inputFormat', field, `${where} of ${fn} should be a ${q.formats.map((f) => f.toUpperCase()).join('/')} file (${q.notes}; ${q.source}), got ${show(object)}`);
  }
}

function checkUserData(v: unknown, ctx: Ctx): void {
  if (v === undefined) return;
  const text = typeof v === 'string' ? v : isRecord(v) ? toJson(v) : undefined;
  if (text === undefined) return ctx.r.error('UserData', `UserData must be a string or a JSON object, got ${show(v)}`);
  if (ctx.api === 'ice') {
    const n = charLength(text);
    if (n > ICE_LIMITS.userDataChars) ctx.r.error('UserData', `UserData must be at most ${ICE_LIMITS.userDataChars} characters, got ${n}`);
  } else {
    const n = utf8Bytes(text);
    if (n > MTS_LIMITS.userDataBytes) ctx.r.warn('mtsUserDataSize', 'UserData', `UserData is ${n} bytes, over the ${MTS_LIMITS.userDataBytes} bytes of the older ICE limit (seed 002 states none)`);
  }
}

function validateIce(req: Record<string, unknown>, ctx: Ctx): void {
  const { r } = ctx;
  unknownKeys(req, ICE_KEYS, 'ICE SubmitIProductionJob', r);
  const fn = functionName(req, ctx);

  const name = optionalString(req, 'Name', r);
  if (name !== undefined && charLength(name) > ICE_LIMITS.nameChars) r.error('Name', `Name must be at most ${ICE_LIMITS.nameChars} characters, got ${charLength(name)}`);

  const input = own(req, 'Input');
  if (!isRecord(input)) r.error('Input', `Input must be an object {Type, Media}, got ${show(input)}`);
  else {
    unknownKeys(input, ['Type', 'Media'], 'Input', r);
    const type = mediaType(input, 'Input', r);
    const media = own(input, 'Media');
    if (typeof media !== 'string' || media === '') r.error('Media', `Input.Media must be a non-empty string, got ${show(media)}`);
    else if (type === 'Media' && URL_LIKE.test(media)) r.error('Media', `Input.Media must be a media asset id when Input.Type is Media (use Type OSS for a path), got ${show(media)}`);
    else if (type === 'OSS') {
      const object = checkOss('Media', 'Input.Media', media, ['oss', 'http'], ctx);
      if (object !== undefined) checkInputFormat('Media', 'Input.Media', object, fn, ctx);
    }
  }

  const output = own(req, 'Output');
  if (!isRecord(output)) r.error('Output', `Output must be an object {Type, Media, Biz?, OutputUrl?}, got ${show(output)}`);
  else {
    unknownKeys(output, ['Type', 'Media', 'Biz', 'OutputUrl'], 'Output', r);
    const type = mediaType(output, 'Output', r);
    const media = own(output, 'Media');
    if (type === 'OSS') {
      if (typeof media !== 'string' || media === '') r.error('Media', `Output.Media must be an OSS path when Type is OSS, got ${show(media)}`);
      else if (checkOss('Media', 'Output.Media', media, ['oss', 'http'], ctx) !== undefined) checkPlaceholders('Media', 'Output.Media', media, fn, ctx);
    } else if (type === 'Media' && media !== undefined && media !== null && (typeof media !== 'string' || URL_LIKE.test(media))) {
      // Type Media: an existing asset id, or empty to create a new asset (seed 001); a path belongs in OutputUrl.
      r.error('Media', `Output.Media must be a media asset id or empty when Output.Type is Media (a path goes in OutputUrl or Type OSS), got ${show(media)}`);
    }
    const biz = given(output, 'Biz');
    if (biz !== undefined && biz !== 'IMS' && biz !== 'VOD') r.error('Biz', `Output.Biz must be "IMS" or "VOD", got ${show(biz)}`);
    else if (biz !== undefined && type === 'OSS') r.warn('bizWithOss', 'Biz', `Output.Biz only matters when Output.Type is Media (seed 001 lines 205-213), got Biz ${show(biz)} with Type OSS`);
    const url = given(output, 'OutputUrl');
    if (url !== undefined) {
      if (typeof url !== 'string') r.error('OutputUrl', `Output.OutputUrl must be an OSS URL, got ${show(url)}`);
      else if (checkOss('OutputUrl', 'Output.OutputUrl', url, ['http', 'oss'], ctx) !== undefined) {
        checkPlaceholders('OutputUrl', 'Output.OutputUrl', url, fn, ctx);
        if (type === 'OSS') r.warn('outputUrlWithOss', 'OutputUrl', `Output.OutputUrl is documented for Output.Type Media (seed 001 line 235), got it with Type OSS`);
      }
    }
  }

  optionalString(req, 'TemplateId', r);
  const schedule = given(req, 'ScheduleConfig');
  if (schedule !== undefined) {
    if (!isRecord(schedule)) r.error('ScheduleConfig', `ScheduleConfig must be an object {PipelineId?, Priority?}, got ${show(schedule)}`);
    else {
      unknownKeys(schedule, ['PipelineId', 'Priority'], 'ScheduleConfig', r);
      const pid = given(schedule, 'PipelineId');
      if (pid !== undefined && (typeof pid !== 'string' || !MPS_PIPELINE_ID_PATTERN.test(pid))) r.error('PipelineId', `PipelineId must be a pipeline id (${MPS_PIPELINE_ID_RULE}), got ${show(pid)}`);
      const prio = given(schedule, 'Priority');
      if (prio !== undefined && (!Number.isInteger(prio) || (prio as number) < ICE_LIMITS.priorityMin || (prio as number) > ICE_LIMITS.priorityMax)) {
        r.error('Priority', `Priority must be an integer between ${ICE_LIMITS.priorityMin} and ${ICE_LIMITS.priorityMax}, got ${show(prio)}`);
      }
    }
  }
  checkUserData(given(req, 'UserData'), ctx);
  checkModelId(req, fn, ctx);
  checkParams(req, fn, ctx, false);
}

function mediaType(obj: Record<string, unknown>, where: string, r: Report): 'OSS' | 'Media' | undefined {
  const t = own(obj, 'Type');
  if (t === 'OSS' || t === 'Media') return t;
  r.error('Type', `${where}.Type must be "OSS" or "Media", got ${show(t)}`);
  return undefined;
}

function validateMts(req: Record<string, unknown>, ctx: Ctx): void {
  const { r } = ctx;
  unknownKeys(req, MTS_KEYS, 'MPS SubmitIProductionJob', r);
  const fn = functionName(req, ctx);
  const forms: OssForm[] = ['oss', 'oss-host', 'http'];

  // Input and Output are "Required: No" (seed 002 lines 112-122): absent only warns.
  const input = given(req, 'Input');
  if (input === undefined) r.warn('mtsInputAbsent', 'Input', `Input is absent (seed 002 lines 112-116: required "in some scenarios", none named)`);
  else if (typeof input !== 'string') r.error('Input', `Input must be an OSS path string, got ${show(input)}`);
  else {
    const object = checkOss('Input', 'Input', input, forms, ctx);
    if (object !== undefined) checkInputFormat('Input', 'Input', object, fn, ctx);
  }

  const output = given(req, 'Output');
  const writesFiles = fn === undefined || CATALOGUE[fn].output.kind !== 'none';
  if (output === undefined) {
    // AudioQualityAssessment answers in the job result (seed 001 line 354): no output path is needed.
    if (writesFiles) r.warn('mtsOutputAbsent', 'Output', `Output is absent (seed 002 lines 118-122: "Required: No")`);
  } else if (typeof output !== 'string') r.error('Output', `Output must be an OSS path string, got ${show(output)}`);
  else if (checkOss('Output', 'Output', output, forms, ctx) !== undefined) checkPlaceholders('Output', 'Output', output, fn, ctx);

  const notify = optionalString(req, 'NotifyUrl', r);
  if (notify !== undefined) {
    const m = NOTIFY_URL.exec(notify);
    if (!m) r.error('NotifyUrl', `NotifyUrl must be an MNS queue mns://{accountId}.mns.{region}.aliyuncs.com/queues/{queue} (seed 002 line 99), got ${show(notify)}`);
    else if (ctx.region && m[2] !== ctx.region) r.warn('notifyUrlRegion', 'NotifyUrl', `NotifyUrl names a queue in ${m[2]}, not the job's region ${ctx.region}, got ${show(notify)}`);
  }
  const pid = given(req, 'PipelineId');
  if (pid !== undefined && (typeof pid !== 'string' || !MPS_PIPELINE_ID_PATTERN.test(pid))) r.error('PipelineId', `PipelineId must be a pipeline id (${MPS_PIPELINE_ID_RULE}), got ${show(pid)}`);
  const sp = given(req, 'ScheduleParams');
  if (sp !== undefined && typeof sp !== 'string' && !(isRecord(sp) && toJson(sp) !== undefined)) {
    r.error('ScheduleParams', `ScheduleParams must be a string or a JSON object, got ${show(sp)}`);
  }
  checkUserData(given(req, 'UserData'), ctx);
  checkModelId(req, fn, ctx);
  checkParams(req, fn, ctx, true);
}
