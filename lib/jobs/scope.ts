/**
 * What a deployment was synthesized for (its functions and the OSS locations its jobs may read and write), and the
 * one check of a request against it. Pure and total: the constructs run it on presets at synth, the deployed
 * function runs it on every submit before any call, so what is decided at synth holds at run time.
 */
import { parseOssUrl } from './oss';
import { isRecord, show } from '../util/values';

/** A bucket and a key prefix under it (`''` for the whole bucket). */
export interface JobLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** The decisions a deployment enforces; an absent list is not enforced. */
export interface JobScope {
  /** Intelligent production functions a request may name. */
  readonly functions?: readonly string[];
  /** Where inputs may be read from. */
  readonly inputs?: readonly JobLocation[];
  /** Where outputs may be written to. */
  readonly outputs?: readonly JobLocation[];
}

/** Which decision a refused request breaks (`presets`: a preset the function was not deployed with). */
export type ScopeRule = 'functions' | 'inputs' | 'outputs' | 'presets';

/** Why a request is outside its deployment's scope: the rule, the request field and the value received. */
export interface ScopeRefusal {
  readonly rule: ScopeRule;
  readonly field: string;
  readonly value: string;
  readonly message: string;
}

export type ScopeJobKind = 'iProduction' | 'mediaProducing';

/** An OSS URL found in a request, with the dotted path of the field holding it. */
export interface FoundOssUrl {
  readonly path: string;
  readonly url: string;
  readonly bucket: string;
  readonly object: string;
  readonly region?: string;
}

const URL_START = /^(oss|https?):\/\//i;

/**
 * Every OSS URL in `value`, at any depth. Strings holding JSON objects or arrays (`JobParams`, `Timeline`) are
 * searched too: the service parses them, so a location hidden in one is as real as one in a field.
 */
export function findOssUrls(value: unknown, path = ''): FoundOssUrl[] {
  if (typeof value === 'string') {
    const text = value.trim();
    if (URL_START.test(text)) {
      const parsed = parseOssUrl(text, ['oss', 'oss-host', 'http']);
      if (!parsed.ok) return [];
      const { bucket, object, region } = parsed.location;
      return [{ path, url: text, bucket, object: decodeKey(text, object), ...(region !== undefined ? { region } : {}) }];
    }
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return findOssUrls(JSON.parse(text), path);
      } catch {
        return [];
      }
    }
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findOssUrls(v, `${path}[${i}]`));
  if (isRecord(value)) {
    return Object.keys(value).flatMap((k) => findOssUrls(value[k], path ? `${path}.${k}` : k));
  }
  return [];
}

/** An http(s) URL's path is percent-encoded; OSS keys are compared decoded. */
function decodeKey(url: string, object: string): string {
  if (!/^https?:/i.test(url)) return object;
  try {
    return decodeURIComponent(object);
  } catch {
    return object;
  }
}

/** `oss://bucket/prefix` */
export function formatLocation(location: JobLocation): string {
  return `oss://${location.bucket}/${location.prefix}`;
}

/** Whether `bucket`/`object` lies under `location`. */
export function isUnder(location: JobLocation, bucket: string, object: string): boolean {
  return location.bucket === bucket && object.startsWith(location.prefix);
}

/** Fields holding a job's outputs: everything else that names OSS is an input. */
function isOutputField(kind: ScopeJobKind, path: string): boolean {
  const root = kind === 'mediaProducing' ? 'OutputMediaConfig' : 'Output';
  return path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);
}

function listText(locations: readonly JobLocation[]): string {
  return locations.length === 0 ? 'none' : locations.map(formatLocation).join(', ');
}

/** A refusal for each of `urls` under none of `allowed`. */
function outside(rule: 'inputs' | 'outputs', urls: readonly FoundOssUrl[], allowed: readonly JobLocation[]): ScopeRefusal[] {
  const which = rule === 'inputs' ? 'input' : 'output';
  return urls
    .filter((u) => !allowed.some((l) => isUnder(l, u.bucket, u.object)))
    .map((u) => ({
      rule,
      field: u.path,
      value: u.url,
      message: `${u.path} must lie under one of the stack's ${which} locations (${listText(allowed)}), got ${show(u.url)}`,
    }));
}

/**
 * Checks `request` against `scope` and answers every refusal (empty: the request is in scope). Never throws.
 * - `functions`: an intelligent production request's `FunctionName` must be listed.
 * - `inputs`: every OSS location outside the output fields must lie under an input location, and an intelligent
 *   production input must be an OSS location (a media asset id cannot be checked).
 * - `outputs`: every OSS location in the output fields (`Output`, `OutputMediaConfig`) must lie under an output
 *   location. (Outputs that name no OSS location go to the service's own media library, not to a bucket.)
 */
export function scopeRefusals(request: unknown, kind: ScopeJobKind, scope: JobScope): ScopeRefusal[] {
  const out: ScopeRefusal[] = [];
  if (!isRecord(request)) return out;
  if (kind === 'iProduction' && scope.functions !== undefined) {
    const fn = request.FunctionName;
    if (typeof fn !== 'string' || !scope.functions.includes(fn)) {
      out.push({
        rule: 'functions',
        field: 'FunctionName',
        value: typeof fn === 'string' ? fn : show(fn),
        message: `FunctionName must be one of the functions this stack was synthesized for (${scope.functions.join(', ') || 'none'}), got ${show(fn)}`,
      });
    }
  }
  const urls = findOssUrls(request);
  if (scope.inputs !== undefined) {
    if (kind === 'iProduction' && isRecord(request.Input) && request.Input.Type !== undefined && request.Input.Type !== 'OSS') {
      out.push({
        rule: 'inputs',
        field: 'Input.Type',
        value: String(request.Input.Type),
        message: `Input.Type must be OSS so that the input can be checked against the stack's input locations (${listText(scope.inputs)}), got ${show(request.Input.Type)}`,
      });
    }
    out.push(...outside('inputs', urls.filter((x) => !isOutputField(kind, x.path)), scope.inputs));
  }
  if (scope.outputs !== undefined) out.push(...outside('outputs', urls.filter((x) => isOutputField(kind, x.path)), scope.outputs));
  return out;
}

/**
 * Parses a JSON array of `"bucket/prefix"` strings (the form the constructs write into the function's environment).
 * Answers a reason instead when the text is not one.
 */
export function parseLocationList(text: string): { ok: true; locations: JobLocation[] } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: `must be a JSON array of "bucket/prefix" strings, got ${show(text)}` };
  }
  if (!Array.isArray(parsed)) return { ok: false, reason: `must be a JSON array of "bucket/prefix" strings, got ${show(text)}` };
  const locations: JobLocation[] = [];
  for (const item of parsed) {
    if (typeof item !== 'string' || item === '' || item.startsWith('/')) {
      return { ok: false, reason: `must list "bucket/prefix" strings, got ${show(item)}` };
    }
    const slash = item.indexOf('/');
    locations.push(slash === -1 ? { bucket: item, prefix: '' } : { bucket: item.slice(0, slash), prefix: item.slice(slash + 1) });
  }
  return { ok: true, locations };
}
