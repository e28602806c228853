import type { Api } from '../service';
import { CATALOGUE, type FunctionName, type ParamShape } from './catalogue';
import { parseOssUrl } from './oss';
import type { Report } from './report';
import { isRecord, own, parseJson, show } from '../util/values';
import { keyField } from './util';

/** Tolerance for sums of normalized coordinates written as decimals (0.7 + 0.3 is 0.9999999999999999 or 1.0000000000000002). */
const EPSILON = 1e-9;

export interface ParamContext {
  readonly fn: FunctionName;
  readonly api: Api;
  readonly modelId: unknown;
  readonly region?: string;
}

/**
 * Reads JobParams (an object or its JSON string) into an object, reporting a malformed value under `JobParams`.
 * Returns undefined when there is nothing further to check.
 */
export function readJobParams(raw: unknown, r: Report): Record<string, unknown> | undefined {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return {};
    const p = parseJson(raw);
    if (!p.ok) {
      r.error('JobParams', `JobParams must be a JSON object or its JSON string, got malformed JSON ${show(raw)} (${p.error})`);
      return undefined;
    }
    value = p.value;
  }
  if (!isRecord(value)) {
    r.error('JobParams', `JobParams must be a JSON object or its JSON string, got ${show(raw)}`);
    return undefined;
  }
  return value;
}

const API_NAME: Readonly<Record<Api, string>> = { ice: 'ICE', mts: 'MPS' };

/**
 * Checks each JobParams key against the catalogue. A key the seeds do not list is an error only where the API's
 * seed lists the function's fields (or says None); where the seeds leave them open it only warns.
 */
export function checkJobParams(params: Record<string, unknown>, ctx: ParamContext, r: Report): void {
  const fnSpec = CATALOGUE[ctx.fn];
  const spec = fnSpec.params;
  const known = Object.keys(spec);
  const listedAt = fnSpec.paramsListed[ctx.api];
  for (const key of Object.keys(params)) {
    // JSON drops undefined values, so the service never sees them: treat them as absent.
    if (params[key] === undefined) continue;
    const field = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key] : undefined;
    if (!field) {
      if (listedAt === undefined) {
        const where = ctx.api === 'mts' ? 'seed 002 line 89 defines MPS JobParams outside the seeds' : `seed 001 gives no field list for ${ctx.fn}`;
        r.warn('jobParamsUnlisted', keyField(key), `${show(key)} is not a JobParams field the seeds list for ${ctx.fn} on ${API_NAME[ctx.api]} (${where})`);
      } else {
        r.error(
          keyField(key),
          known.length === 0
            ? `${ctx.fn} takes no JobParams fields (${listedAt}: None), got ${show(key)}`
            : `${show(key)} is not a JobParams field of ${ctx.fn} (fields: ${known.join(', ')}; ${listedAt}), got ${show(key)}`,
        );
      }
      continue;
    }
    if (field.superseded) r.warn('jobParamsSuperseded', key, `${key} is a JobParams field of ${ctx.fn} only in an older seed (${field.superseded})`);
    checkShape(key, field.shape, own(params, key), ctx, r);
  }
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

function checkShape(name: string, shape: ParamShape, v: unknown, ctx: ParamContext, r: Report): void {
  switch (shape.kind) {
    case 'string':
      if (typeof v !== 'string') r.error(name, `${name} must be a string, got ${show(v)}`);
      else if (shape.values && !shape.values.includes(v)) r.error(name, `${name} must be one of ${quoted(shape.values)}, got ${show(v)}`);
      return;
    case 'integer':
      if (!Number.isInteger(v) || (v as number) < shape.min || (v as number) > shape.max) {
        r.error(name, `${name} must be an integer between ${shape.min} and ${shape.max}, got ${show(v)}`);
      }
      return;
    case 'csv': {
      const rule = `${name} must be a comma-separated list of ${shape.values.join(', ')}`;
      if (typeof v !== 'string') return r.error(name, `${rule}, got ${show(v)}`);
      const items = v.split(',').map((s) => s.trim());
      if (items.some((s) => !shape.values.includes(s))) r.error(name, `${rule}, got ${show(v)}`);
      return;
    }
    case 'boxes': {
      let list = v;
      if (typeof v === 'string' && shape.jsonString) {
        const p = parseJson(v);
        if (!p.ok) return r.error(name, `${name} must be a list of [xmin, ymin, width, height] boxes or its JSON string, got malformed JSON ${show(v)}`);
        list = p.value;
      }
      if (!Array.isArray(list)) return r.error(name, `${name} must be a list of [xmin, ymin, width, height] boxes, got ${show(v)}`);
      if (shape.maxItems !== undefined && list.length > shape.maxItems) {
        r.error(name, `${name} may hold at most ${shape.maxItems} boxes, got ${list.length}`);
      }
      if (list.length === 0) r.error(name, `${name} must hold at least one box, got []`);
      list.forEach((b, i) => checkBox(name, `${name}[${i}]`, b, r));
      return;
    }
    case 'box':
      checkBox(name, name, v, r);
      return;
    case 'tblr': {
      const rule = `${name} must be [[top, bottom], [left, right]] normalized to [0, 1] with top < bottom and left < right`;
      const ok =
        Array.isArray(v) &&
        v.length === 2 &&
        v.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((x) => num(x) && x >= 0 && x <= 1)) &&
        (v[0] as number[])[0] < (v[0] as number[])[1] &&
        (v[1] as number[])[0] < (v[1] as number[])[1];
      if (!ok) r.error(name, `${rule}, got ${show(v)}`);
      return;
    }
    case 'time-ranges': {
      const isRange = (x: unknown) => Array.isArray(x) && x.length === 2 && num(x[0]) && num(x[1]) && x[0] >= 0 && x[0] < x[1];
      if (Array.isArray(v) && v.length > 0 && v.every((x) => Array.isArray(x))) {
        if (ctx.modelId !== shape.multiModelId) {
          r.error(name, `${name} as a list of ranges needs ModelId "${shape.multiModelId}", got ModelId ${show(ctx.modelId)}`);
        }
        v.forEach((x, i) => {
          if (!isRange(x)) r.error(name, `${name}[${i}] must be [start, end] seconds with 0 <= start < end, got ${show(x)}`);
        });
        return;
      }
      if (!isRange(v)) r.error(name, `${name} must be [start, end] seconds with 0 <= start < end, got ${show(v)}`);
      return;
    }
    case 'http-url':
      if (!isHttpUrl(v)) r.error(name, `${name} must be an http(s) URL, got ${show(v)}`);
      return;
    case 'key-numbers': {
      const rule = `${name} must be key=value pairs with numeric values separated by commas (e.g. "whiten=20,smooth=50")`;
      if (typeof v !== 'string') return r.error(name, `${rule}, got ${show(v)}`);
      const ok = v.split(',').every((pair) => /^\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*-?\d+(?:\.\d+)?\s*$/.test(pair));
      if (!ok) r.error(name, `${rule}, got ${show(v)}`);
      return;
    }
    case 'audio-inputs': {
      // The seed's prose says "a list" but its example is a lone {"file": ...}: both forms are taken, as one item.
      const list = isRecord(v) ? [v] : v;
      if (!Array.isArray(list) || list.length !== shape.count) {
        return r.error(name, `${name} must be a list of exactly ${shape.count} {"file": URL} object(s), got ${show(v)}`);
      }
      list.forEach((item, i) => {
        const where = `${name}[${i}]`;
        if (!isRecord(item)) return r.error(name, `${where} must be an object {"file": URL}, got ${show(item)}`);
        for (const k of Object.keys(item)) {
          if (k !== 'file') r.error(keyField(k), `${where} takes only "file", got ${show(k)}`);
        }
        checkMixFile(own(item, 'file'), `${where}.file`, ctx, r);
      });
      return;
    }
  }
}

function checkMixFile(file: unknown, where: string, ctx: ParamContext, r: Report): void {
  if (typeof file !== 'string' || !(isHttpUrl(file) || file.startsWith('oss://'))) {
    return r.error('file', `${where} must be an http(s) URL or oss:// path, got ${show(file)}`);
  }
  // Only a URL that names an OSS region can be checked against the job's region.
  const p = parseOssUrl(file, ['oss', 'http']);
  if (p.ok && ctx.region && p.location.region && p.location.region !== ctx.region) {
    r.error('file', `${where} must be in region ${ctx.region}, got ${show(file)}`);
  } else if (!p.ok && file.startsWith('oss://')) {
    r.error('file', `${where}: ${p.reason}, got ${show(file)}`);
  }
}

export function isHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string' || !/^https?:\/\/[^\s/?#]+/i.test(v) || /\s/.test(v)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

function checkBox(field: string, where: string, b: unknown, r: Report): void {
  const rule = `${where} must be [xmin, ymin, width, height] normalized to [0, 1], inside the frame (xmin + width <= 1, ymin + height <= 1), with width and height > 0`;
  const ok =
    Array.isArray(b) &&
    b.length === 4 &&
    b.every((x) => num(x) && x >= 0 && x <= 1) &&
    b[2] > 0 &&
    b[3] > 0 &&
    b[0] + b[2] <= 1 + EPSILON &&
    b[1] + b[3] <= 1 + EPSILON;
  if (!ok) r.error(field, `${rule}, got ${show(b)}`);
}
