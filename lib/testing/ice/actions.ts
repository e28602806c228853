import { ApiName } from './jobs';
import { errors } from './errors';

export const ICE_VERSION = '2020-11-09';
export const MTS_VERSION = '2014-06-18';

export type ActionName =
  | 'SubmitIProductionJob'
  | 'QueryIProductionJob'
  | 'SubmitMediaProducingJob'
  | 'GetMediaProducingJob'
  | 'GetEventCallback'
  | 'SetEventCallback';

/** What each version serves; anything else is InvalidAction.NotFound. */
export const SERVED: Readonly<Record<string, { api: ApiName; actions: readonly ActionName[] }>> = {
  [ICE_VERSION]: {
    api: 'ice',
    actions: ['SubmitIProductionJob', 'QueryIProductionJob', 'SubmitMediaProducingJob', 'GetMediaProducingJob', 'GetEventCallback', 'SetEventCallback'],
  },
  [MTS_VERSION]: { api: 'mts', actions: ['SubmitIProductionJob', 'QueryIProductionJob'] },
};

/** Per-action QPS limits: seed 002 (100) and seed 003 (30); GUESS for the read actions. */
export const DEFAULT_QPS: Readonly<Record<ActionName, number>> = {
  SubmitIProductionJob: 100,
  SubmitMediaProducingJob: 30,
  QueryIProductionJob: 500,
  GetMediaProducingJob: 500,
  // GUESS: no source gives the event callback actions' limits.
  GetEventCallback: 100,
  SetEventCallback: 100,
};

/** Seed 001 (newest ICE SubmitIProductionJob). */
export const ICE_FUNCTION_NAMES: readonly string[] = [
  'Cover',
  'VideoClip',
  'VideoDelogo',
  'VideoDetext',
  'CaptionExtraction',
  'HybridCaptionExtraction',
  'VideoGreenScreenMatting',
  'FaceBeauty',
  'VideoH2V',
  'MusicSegmentDetect',
  'AudioBeatDetection',
  'AudioQualityAssessment',
  'SpeechDenoise',
  'AudioMixing',
  'MusicDemix',
];

/** Seed 002 (MPS SubmitIProductionJob). */
export const MTS_FUNCTION_NAMES: readonly string[] = [
  'VideoH2V',
  'VideoDelogo',
  'Cover',
  'VideoClip',
  'ImageH2V',
  'ImageDelogo',
  'CaptionExtraction',
  'VideoDetext',
  'VideoGreenScreenMatting',
  'MusicSegmentDetect',
  'AudioMixing',
  'AudioBeatDetection',
  'ImageCartoonize',
  'AudioQualityAssessment',
  'FaceBeauty',
  'SpeechDenoise',
];

export type Params = Readonly<Record<string, string>>;

/** The service treats an empty value like an absent one. */
export function requireParam(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw errors.missingParameter(name);
  }
  return value;
}

function optional(params: Params, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}

function parseJsonParam(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw errors.invalidParameter(name, 'must be valid JSON', text);
  }
}

function jsonObjectParam(name: string, text: string): Record<string, unknown> {
  const value = parseJsonParam(name, text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw errors.invalidParameter(name, 'must be a JSON object', text);
  }
  return value as Record<string, unknown>;
}

function maxLength(name: string, value: string | undefined, limit: number): void {
  if (value !== undefined && value.length > limit) {
    throw errors.invalidParameter(name, `must be at most ${limit} characters (${value.length} given)`, value);
  }
}

function mediaObject(name: string, text: string, types: readonly string[]): Record<string, unknown> {
  const obj = jsonObjectParam(name, text);
  if (obj.Type === undefined || obj.Type === '') {
    throw errors.missingParameter(`${name}.Type`);
  }
  if (typeof obj.Type !== 'string' || !types.includes(obj.Type)) {
    throw errors.invalidParameter(`${name}.Type`, `must be one of ${types.join(', ')}`, String(obj.Type));
  }
  // An ICE Output of Type Media may leave Media empty to create a new asset (seed 001).
  const mediaMayBeEmpty = name === 'Output' && obj.Type === 'Media';
  if ((obj.Media === undefined || obj.Media === '') && !mediaMayBeEmpty) {
    throw errors.missingParameter(`${name}.Media`);
  }
  if (obj.Media !== undefined && typeof obj.Media !== 'string') {
    throw errors.invalidParameter(`${name}.Media`, 'must be a string', JSON.stringify(obj.Media));
  }
  return obj;
}

/** ICE 2020-11-09 SubmitIProductionJob: object parameters arrive as JSON strings (FACTS.md). */
export function checkIceSubmitIProductionJob(params: Params): void {
  const functionName = requireParam(params, 'FunctionName');
  if (!ICE_FUNCTION_NAMES.includes(functionName)) {
    throw errors.invalidParameter('FunctionName', `must be one of ${ICE_FUNCTION_NAMES.join(', ')}`, functionName);
  }
  mediaObject('Input', requireParam(params, 'Input'), ['OSS', 'Media']);
  mediaObject('Output', requireParam(params, 'Output'), ['OSS', 'Media']);
  maxLength('Name', optional(params, 'Name'), 100);
  maxLength('UserData', optional(params, 'UserData'), 256);
  const jobParams = optional(params, 'JobParams');
  if (jobParams !== undefined) {
    jsonObjectParam('JobParams', jobParams);
  }
  const schedule = optional(params, 'ScheduleConfig');
  if (schedule !== undefined) {
    const config = jsonObjectParam('ScheduleConfig', schedule);
    const priority = config.Priority;
    if (priority !== undefined && !(Number.isInteger(Number(priority)) && Number(priority) >= 1 && Number(priority) <= 10)) {
      throw errors.invalidParameter('ScheduleConfig.Priority', 'must be an integer between 1 and 10', String(priority));
    }
  }
}

/** MPS 2014-06-18 SubmitIProductionJob: flat strings, JobParams required (seed 002). */
export function checkMtsSubmitIProductionJob(params: Params): void {
  const functionName = requireParam(params, 'FunctionName');
  if (!MTS_FUNCTION_NAMES.includes(functionName)) {
    throw errors.invalidParameter('FunctionName', `must be one of ${MTS_FUNCTION_NAMES.join(', ')}`, functionName);
  }
  jsonObjectParam('JobParams', requireParam(params, 'JobParams'));
  const schedule = optional(params, 'ScheduleParams');
  if (schedule !== undefined) {
    jsonObjectParam('ScheduleParams', schedule);
  }
  const notifyUrl = optional(params, 'NotifyUrl');
  if (notifyUrl !== undefined && !/^mns:\/\/[^/]+\/queues\/[^/]+$/.test(notifyUrl)) {
    throw errors.invalidParameter('NotifyUrl', 'must be mns://{accountId}.mns.{region}.aliyuncs.com/queues/{queue}', notifyUrl);
  }
}

const CLIENT_TOKEN_MAX = 64;

/** ICE SubmitMediaProducingJob (seed 003). */
export function checkSubmitMediaProducingJob(params: Params): void {
  const sources = ['ProjectId', 'Timeline', 'TemplateId'].filter((name) => optional(params, name) !== undefined);
  if (sources.length === 0) {
    throw errors.missingParameter('ProjectId|Timeline|TemplateId');
  }
  if (sources.length > 1) {
    throw errors.invalidParameter(
      sources.join('/'),
      'exactly one of ProjectId, Timeline, TemplateId may be set',
      sources.join(','),
    );
  }
  const timeline = optional(params, 'Timeline');
  if (timeline !== undefined) {
    jsonObjectParam('Timeline', timeline);
  }
  if (optional(params, 'TemplateId') !== undefined) {
    jsonObjectParam('ClipsParam', requireParam(params, 'ClipsParam'));
  }
  for (const name of ['OutputMediaConfig', 'ProjectMetadata', 'EditingProduceConfig', 'MediaMetadata']) {
    const value = optional(params, name);
    if (value !== undefined) {
      jsonObjectParam(name, value);
    }
  }
  const target = optional(params, 'OutputMediaTarget') ?? 'oss-object';
  const config = optional(params, 'OutputMediaConfig');
  if (target === 'oss-object' && config !== undefined && !jsonObjectParam('OutputMediaConfig', config).MediaURL) {
    throw errors.missingParameter('OutputMediaConfig.MediaURL');
  }
  const userData = optional(params, 'UserData');
  if (userData !== undefined && Buffer.byteLength(userData) > 512) {
    throw errors.invalidParameter('UserData', `must be at most 512 bytes (${Buffer.byteLength(userData)} given)`, userData);
  }
  const token = optional(params, 'ClientToken');
  if (token !== undefined && (token.length > CLIENT_TOKEN_MAX || !/^[\x20-\x7e]+$/.test(token))) {
    throw errors.invalidParameter('ClientToken', `must be at most ${CLIENT_TOKEN_MAX} printable ASCII characters`, token);
  }
}

/** Sorted-key JSON so that `{"a":1,"b":2}` and `{"b":2,"a":1}` compare equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function normalizedParam(value: string | undefined): string {
  if (value === undefined || value === '') {
    return '';
  }
  try {
    return canonicalJson(JSON.parse(value));
  } catch {
    return value;
  }
}

/** Two submits with the same key are the same job asked for twice. */
export function iproductionIdentity(api: ApiName, params: Params): string {
  const fields = ['FunctionName', 'Input', 'Output', 'JobParams', 'UserData', 'Name'];
  return `${api}|${fields.map((f) => normalizedParam(params[f])).join('|')}`;
}

/** Every parameter but ClientToken: what IdempotentParameterMismatch compares, and what duplicates are counted by. */
export function mediaProducingIdentity(params: Params): string {
  return Object.keys(params)
    .filter((k) => k !== 'ClientToken')
    .sort()
    .map((k) => `${k}=${normalizedParam(params[k])}`)
    .join('&');
}

/** The region's event callback as SetEventCallback stored it (GetEventCallback answers these fields). */
export type StoredEventCallback = Readonly<Record<'CallbackType' | 'EventTypeList', string>> &
  Readonly<Partial<Record<'CallbackQueueName' | 'CallbackURL' | 'AuthSwitch' | 'AuthKey', string>>>;

/**
 * SetEventCallback's parameter rules (API reference, ice 2020-11-09): CallbackType HTTP or MNS; an MNS queue name
 * starts with `ice-callback-`; an HTTP CallbackURL is at most 256 bytes; AuthSwitch on/off; AuthKey at most 32
 * characters with upper case, lower case and digits. GUESS: which are mandatory (CallbackType, and the queue or URL
 * its type needs) and that EventTypeList is mandatory too.
 */
export function checkSetEventCallback(params: Params): StoredEventCallback {
  const type = requireParam(params, 'CallbackType');
  if (type !== 'MNS' && type !== 'HTTP') throw errors.invalidParameter('CallbackType', 'must be HTTP or MNS', type);
  const events = requireParam(params, 'EventTypeList');
  if (events.split(',').some((e) => e.trim() === '')) throw errors.invalidParameter('EventTypeList', 'must be event types separated by commas', events);
  const stored: Record<string, string> = { CallbackType: type, EventTypeList: events };
  if (type === 'MNS') {
    const queue = requireParam(params, 'CallbackQueueName');
    if (!queue.startsWith('ice-callback-')) throw errors.invalidParameter('CallbackQueueName', 'must start with ice-callback-', queue);
    stored.CallbackQueueName = queue;
  } else {
    const url = requireParam(params, 'CallbackURL');
    if (Buffer.byteLength(url) > 256) throw errors.invalidParameter('CallbackURL', 'must be at most 256 bytes', url);
    stored.CallbackURL = url;
    const authSwitch = optional(params, 'AuthSwitch');
    if (authSwitch !== undefined && authSwitch !== 'on' && authSwitch !== 'off') throw errors.invalidParameter('AuthSwitch', 'must be on or off', authSwitch);
    if (authSwitch !== undefined) stored.AuthSwitch = authSwitch;
    const key = optional(params, 'AuthKey');
    if (key !== undefined && (key.length > 32 || !/[a-z]/.test(key) || !/[A-Z]/.test(key) || !/[0-9]/.test(key))) {
      throw errors.invalidParameter('AuthKey', 'must be at most 32 characters with upper case, lower case and digits', '***');
    }
    if (key !== undefined) stored.AuthKey = key;
  }
  return stored as StoredEventCallback;
}
