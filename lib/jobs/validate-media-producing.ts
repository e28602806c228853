import { API_FACTS } from '../service';
import { JobValidationError, hasErrors, type ValidationIssue } from './issues';
import { isRegionId, parseOssUrl } from './oss';
import { Report } from './report';
import type { MediaProducingJobRequest } from './types';
import { isRecord, own, parseJson, show, toJson, utf8Bytes } from '../util/values';
import { given, keyField } from './util';

export interface MediaProducingValidationOptions {
  /** Enables same-region checks on OSS URLs. */
  readonly region?: string;
}

/** Seed 003. */
export const MEDIA_PRODUCING_LIMITS = {
  minSide: 128,
  maxSide: 4096,
  maxShortSide: 2160,
  maxBitrateKbps: 5000,
  maxTracksPerKind: 100,
  userDataBytes: 512,
  clientTokenChars: 64,
} as const;

export const OUTPUT_MEDIA_TARGETS = ['oss-object', 'vod-media', 'S3'] as const;
export const MEDIA_PRODUCING_SOURCES = ['OpenAPI', 'AliyunConsole', 'WebSDK'] as const;

const KEYS = [
  'ProjectId', 'Timeline', 'TemplateId', 'ClipsParam', 'ProjectMetadata', 'OutputMediaTarget', 'OutputMediaConfig',
  'UserData', 'ClientToken', 'Source', 'EditingProduceConfig', 'MediaMetadata',
];
const SOURCES = ['ProjectId', 'Timeline', 'TemplateId'] as const;
/** Track kinds seed 003 limits to 100 tracks each, with the key of their clip list. */
const LIMITED_TRACKS = [
  ['VideoTracks', 'VideoTrackClips'],
  ['ImageTracks', 'ImageTrackClips'],
  ['SubtitleTracks', 'SubtitleTrackClips'],
] as const;
/** Tracks whose clips carry material (subtitle clips carry text). */
const MATERIAL_TRACKS = [
  ['VideoTracks', 'VideoTrackClips'],
  ['ImageTracks', 'ImageTrackClips'],
  ['AudioTracks', 'AudioTrackClips'],
] as const;
const OUTPUT_CONFIG_KEYS = ['MediaURL', 'StorageLocation', 'FileName', 'Width', 'Height', 'Bitrate', 'VodTemplateGroupId'];

/**
 * Checks a SubmitMediaProducingJob request against the rules of seed 003. Never throws.
 */
export function validateMediaProducingJob(request: unknown, options: MediaProducingValidationOptions = {}): ValidationIssue[] {
  const r = new Report();
  try {
    const region = isRecord(options) ? own(options, 'region') : undefined;
    if (region !== undefined && (typeof region !== 'string' || !isRegionId(region))) {
      r.error('region', `region must be a region id such as "cn-shanghai", got ${show(region)}`);
      return r.issues;
    }
    const { regions, label } = API_FACTS.ice;
    if (region !== undefined && !regions.includes(region)) {
      r.warn('regionUndocumented', 'region', `region ${show(region)} is not in the documented ${label} region list (${regions.join(', ')})`);
    }
    if (!isRecord(request)) {
      r.error('request', `the request must be an object, got ${show(request)}`);
      return r.issues;
    }
    validate(request, region, r);
  } catch (e) {
    r.error('request', `could not be validated: ${e instanceof Error ? e.message : show(e)}`);
  }
  return r.issues;
}

export function assertValidMediaProducingJob(request: unknown, options?: MediaProducingValidationOptions): asserts request is MediaProducingJobRequest {
  const issues = validateMediaProducingJob(request, options);
  if (hasErrors(issues)) throw new JobValidationError(issues, 'SubmitMediaProducingJob request');
}

/** A JSON-typed parameter given as an object or its JSON string: returns the object, or undefined after reporting. */
function jsonObject(req: Record<string, unknown>, key: string, r: Report): Record<string, unknown> | undefined {
  const v = given(req, key);
  if (v === undefined) return undefined;
  let value: unknown = v;
  if (typeof v === 'string') {
    const p = parseJson(v);
    if (!p.ok) {
      r.error(key, `${key} must be a JSON object or its JSON string, got malformed JSON ${show(v)} (${p.error})`);
      return undefined;
    }
    value = p.value;
  }
  if (!isRecord(value) || toJson(value) === undefined) {
    r.error(key, `${key} must be a JSON object or its JSON string, got ${show(v)}`);
    return undefined;
  }
  return value;
}

function optionalString(req: Record<string, unknown>, key: string, r: Report): void {
  const v = given(req, key);
  if (v !== undefined && typeof v !== 'string') r.error(key, `${key} must be a string, got ${show(v)}`);
}

function validate(req: Record<string, unknown>, region: string | undefined, r: Report): void {
  for (const k of Object.keys(req)) {
    if (req[k] !== undefined && !KEYS.includes(k)) r.error(keyField(k), `${show(k)} is not a parameter of SubmitMediaProducingJob (parameters: ${KEYS.join(', ')})`);
  }
  // Seed 003 lines 55, 62, 69: fill exactly one of the three and leave the other two empty.
  const sources = SOURCES.filter((k) => given(req, k) !== undefined);
  if (sources.length === 0) r.error('Timeline', `exactly one of ProjectId, Timeline, TemplateId is required, got none`);
  else if (sources.length > 1) r.error(sources[1], `exactly one of ProjectId, Timeline, TemplateId may be given (the others left empty), got ${sources.join(' and ')}`);

  optionalString(req, 'ProjectId', r);
  optionalString(req, 'TemplateId', r);
  const clips = jsonObject(req, 'ClipsParam', r);
  const templated = given(req, 'TemplateId') !== undefined;
  if (templated && given(req, 'ClipsParam') === undefined) {
    r.error('ClipsParam', `ClipsParam must not be empty when TemplateId is given (seed 003 lines 69-74), got ${show(own(req, 'ClipsParam'))}`);
  } else if (clips !== undefined && !templated) {
    r.warn('clipsParamUnused', 'ClipsParam', 'ClipsParam is given without a TemplateId (seed 003 lines 69-74 tie it to TemplateId)');
  }
  jsonObject(req, 'ProjectMetadata', r);
  jsonObject(req, 'EditingProduceConfig', r);
  jsonObject(req, 'MediaMetadata', r);

  const timeline = jsonObject(req, 'Timeline', r);
  if (timeline) checkTimeline(timeline, region, r);

  const target = given(req, 'OutputMediaTarget') ?? 'oss-object';
  if (!(OUTPUT_MEDIA_TARGETS as readonly unknown[]).includes(target)) {
    r.error('OutputMediaTarget', `OutputMediaTarget must be one of ${OUTPUT_MEDIA_TARGETS.join(', ')}, got ${show(target)}`);
  }
  const config = jsonObject(req, 'OutputMediaConfig', r);
  if (given(req, 'OutputMediaConfig') === undefined && (target === 'oss-object' || target === 'vod-media')) {
    r.error('OutputMediaConfig', `OutputMediaConfig is required for OutputMediaTarget ${target} (${target === 'oss-object' ? 'MediaURL' : 'StorageLocation and FileName'}), got undefined`);
  }
  if (config) checkOutputConfig(config, target, region, r);

  const userData = given(req, 'UserData');
  if (userData !== undefined) {
    const text = typeof userData === 'string' ? userData : toJson(userData);
    if (jsonObject(req, 'UserData', r) !== undefined && text !== undefined) {
      const n = utf8Bytes(text);
      if (n > MEDIA_PRODUCING_LIMITS.userDataBytes) r.error('UserData', `UserData must be at most ${MEDIA_PRODUCING_LIMITS.userDataBytes} bytes (UTF-8), got ${n}`);
    }
  }

  const token = given(req, 'ClientToken');
  if (token !== undefined) {
    const max = MEDIA_PRODUCING_LIMITS.clientTokenChars;
    if (typeof token !== 'string') r.error('ClientToken', `ClientToken must be a string, got ${show(token)}`);
    else if (!/^[\x20-\x7e]+$/.test(token)) r.error('ClientToken', `ClientToken must hold only printable ASCII characters, got ${show(token)}`);
    else if (token.length > max) r.error('ClientToken', `ClientToken must be at most ${max} ASCII characters, got ${token.length}`);
  }

  const source = given(req, 'Source');
  if (source !== undefined) {
    const canonical = MEDIA_PRODUCING_SOURCES.find((s) => typeof source === 'string' && s.toLowerCase() === source.toLowerCase());
    if (!canonical) r.error('Source', `Source must be one of ${MEDIA_PRODUCING_SOURCES.join(', ')}, got ${show(source)}`);
    // Seed 003's own example writes "OPENAPI": the service takes the value in any case.
    else if (canonical !== source) r.warn('sourceCasing', 'Source', `Source is documented as ${show(canonical)}, got ${show(source)}`);
  }
}

function ossHttpUrl(field: string, where: string, v: unknown, region: string | undefined, r: Report): void {
  if (typeof v !== 'string' || v === '') return r.error(field, `${where} must be an OSS URL https://bucket.oss-{region}.aliyuncs.com/object, got ${show(v)}`);
  const p = parseOssUrl(v, ['http']);
  if (!p.ok) return r.error(field, `${where} ${p.reason}, got ${show(v)}`);
  if (region && p.location.region !== region) r.error(field, `${where} must be a bucket in region ${region} (the job's region), got ${show(v)}`);
}

function checkOutputConfig(c: Record<string, unknown>, target: unknown, region: string | undefined, r: Report): void {
  for (const k of Object.keys(c)) {
    // The seed lists only some fields of OutputMediaConfig; others exist in the full reference, so only warn.
    if (!OUTPUT_CONFIG_KEYS.includes(k)) r.warn('outputConfigUnknownField', keyField(k), `${show(k)} is not an OutputMediaConfig field seed 003 lists (${OUTPUT_CONFIG_KEYS.join(', ')})`);
  }
  const L = MEDIA_PRODUCING_LIMITS;
  if (target === 'oss-object') {
    if (own(c, 'MediaURL') === undefined) r.error('MediaURL', 'OutputMediaConfig.MediaURL is required when OutputMediaTarget is oss-object, got undefined');
    else ossHttpUrl('MediaURL', 'OutputMediaConfig.MediaURL', own(c, 'MediaURL'), region, r);
  } else if (target === 'vod-media') {
    const loc = own(c, 'StorageLocation');
    const m = typeof loc === 'string' ? /^([a-z0-9*-]+)\.oss-([a-z0-9-]+)\.aliyuncs\.com$/.exec(loc) : null;
    if (!m) r.error('StorageLocation', `OutputMediaConfig.StorageLocation must be a VOD storage location bucket.oss-{region}.aliyuncs.com (no scheme), got ${show(loc)}`);
    else if (region && m[2] !== region) r.error('StorageLocation', `OutputMediaConfig.StorageLocation must be in region ${region}, got ${show(loc)}`);
    const file = own(c, 'FileName');
    if (typeof file !== 'string' || !/^[^/\\]+\.[A-Za-z0-9]+$/.test(file)) {
      r.error('FileName', `OutputMediaConfig.FileName must be a file name with an extension and no path, got ${show(file)}`);
    }
  }
  const side = (k: 'Width' | 'Height'): number | undefined => {
    const v = own(c, k);
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < L.minSide || (v as number) > L.maxSide) {
      r.error(k, `${k} must be an integer between ${L.minSide} and ${L.maxSide} px, got ${show(v)}`);
      return undefined;
    }
    return v as number;
  };
  const w = side('Width');
  const h = side('Height');
  if (w !== undefined && h !== undefined && Math.min(w, h) > L.maxShortSide) {
    const field = h <= w ? 'Height' : 'Width';
    r.error(field, `the short side (${field}) must be at most ${L.maxShortSide} px, got ${Math.min(w, h)} (${w}x${h})`);
  }
  const b = own(c, 'Bitrate');
  if (b !== undefined && (!Number.isInteger(b) || (b as number) > L.maxBitrateKbps)) {
    r.error('Bitrate', `Bitrate must be an integer of at most ${L.maxBitrateKbps} Kbps, got ${show(b)}`);
  } else if (b !== undefined && (b as number) < 1) {
    r.warn('bitrateBelowOne', 'Bitrate', `Bitrate is ${show(b)} Kbps (seed 003 gives no minimum)`);
  }
}

function checkTimeline(t: Record<string, unknown>, region: string | undefined, r: Report): void {
  for (const [tracksKey] of LIMITED_TRACKS) {
    const tracks = own(t, tracksKey);
    if (tracks === undefined) continue;
    if (!Array.isArray(tracks)) {
      r.error(tracksKey, `Timeline.${tracksKey} must be a list of tracks, got ${show(tracks)}`);
      continue;
    }
    if (tracks.length > MEDIA_PRODUCING_LIMITS.maxTracksPerKind) {
      r.error(tracksKey, `Timeline.${tracksKey} may hold at most ${MEDIA_PRODUCING_LIMITS.maxTracksPerKind} tracks, got ${tracks.length}`);
    }
  }
  const audio = own(t, 'AudioTracks');
  if (audio !== undefined && !Array.isArray(audio)) r.error('AudioTracks', `Timeline.AudioTracks must be a list of tracks, got ${show(audio)}`);

  for (const [tracksKey, clipsKey] of MATERIAL_TRACKS) {
    const tracks = own(t, tracksKey);
    if (!Array.isArray(tracks)) continue;
    tracks.forEach((track, i) => {
      const where = `Timeline.${tracksKey}[${i}]`;
      if (!isRecord(track)) return r.error(tracksKey, `${where} must be an object, got ${show(track)}`);
      const clips = own(track, clipsKey);
      if (clips === undefined) return;
      if (!Array.isArray(clips)) return r.error(clipsKey, `${where}.${clipsKey} must be a list of clips, got ${show(clips)}`);
      clips.forEach((clip, j) => checkClip(clip, `${where}.${clipsKey}[${j}]`, clipsKey, region, r));
    });
  }
}

function checkClip(clip: unknown, where: string, clipsKey: string, region: string | undefined, r: Report): void {
  if (!isRecord(clip)) return r.error(clipsKey, `${where} must be an object, got ${show(clip)}`);
  const id = own(clip, 'MediaId');
  // Seed 003's prose writes MediaUrl; the Timeline reference writes MediaURL: both are read.
  const urlKey = own(clip, 'MediaURL') !== undefined ? 'MediaURL' : 'MediaUrl';
  const url = own(clip, urlKey);
  if (id === undefined && url === undefined) {
    // Text clips (AI_TTS, subtitles) carry no material: only a clip that says nothing of what it is warns.
    if (own(clip, 'Type') === undefined) r.warn('clipWithoutMaterial', 'MediaId', `${where} has none of MediaId, MediaURL, Type`);
    return;
  }
  if (id !== undefined && url !== undefined) r.warn('clipWithBoth', urlKey, `${where} gives both MediaId and ${urlKey}`);
  if (id !== undefined && (typeof id !== 'string' || id === '')) r.error('MediaId', `${where}.MediaId must be a non-empty string, got ${show(id)}`);
  if (url !== undefined) ossHttpUrl(urlKey, `${where}.${urlKey}`, url, region, r);
}
