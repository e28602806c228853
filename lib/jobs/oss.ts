/**
 * OSS location rules shared by both validators. The services read OSS only through these forms (seed 001, 002,
 * 003); CDN and other hosts are refused by the service, so they are refused here before a job is wasted.
 */

import { OSS_BUCKET_NAME_CHARS, OSS_LIMITS, REGION_ID_PATTERN } from '../service';
import type { MediaKind } from './catalogue';
import { utf8Bytes } from '../util/values';

export interface OssLocation {
  readonly bucket: string;
  readonly object: string;
  /** The region the URL names (`oss-{region}`), absent for `oss://bucket/object`. */
  readonly region?: string;
}

export type OssForm =
  /** `oss://bucket/object` */
  | 'oss'
  /** `oss://bucket.oss-{region}.aliyuncs.com/object` (MPS, seed 002) */
  | 'oss-host'
  /** `http(s)://bucket.oss-{region}.aliyuncs.com/object` */
  | 'http';

export type OssParse = { ok: true; location: OssLocation } | { ok: false; reason: string };

const HOST = /^([^./]+)\.oss-([a-z0-9-]+)\.aliyuncs\.com$/;

export const FORM_TEXT: Readonly<Record<OssForm, string>> = {
  oss: 'oss://bucket/object',
  'oss-host': 'oss://bucket.oss-{region}.aliyuncs.com/object',
  http: 'http(s)://bucket.oss-{region}.aliyuncs.com/object',
};

export function isRegionId(s: string): boolean {
  return REGION_ID_PATTERN.test(s);
}

/** Why `name` is not a valid OSS bucket name, or undefined when it is. */
export function bucketNameProblem(name: string): string | undefined {
  const { bucketNameMinChars: min, bucketNameMaxChars: max } = OSS_LIMITS;
  if (name.length < min || name.length > max) return `bucket name must be ${min}-${max} characters, got "${name}" (${name.length})`;
  if (!OSS_BUCKET_NAME_CHARS.test(name)) return `bucket name may only hold lowercase letters, digits and hyphens, got "${name}"`;
  if (name.startsWith('-') || name.endsWith('-')) return `bucket name must start and end with a letter or digit, got "${name}"`;
  return undefined;
}

/** The object key an http(s) URL path stands for: percent-escapes decoded (a malformed escape stays as written). */
function decodedKey(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function hostLocation(host: string, object: string): OssParse {
  const m = HOST.exec(host);
  if (!m) return { ok: false, reason: `host "${host}" is not an OSS endpoint bucket.oss-{region}.aliyuncs.com` };
  const [, bucket, region] = m;
  if (region.endsWith('-internal') || !REGION_ID_PATTERN.test(region)) {
    return { ok: false, reason: `"oss-${region}" is not a public OSS region endpoint` };
  }
  return finish(bucket, object, region);
}

function finish(bucket: string, object: string, region?: string): OssParse {
  const bad = bucketNameProblem(bucket);
  if (bad) return { ok: false, reason: bad };
  if (object === '') return { ok: false, reason: 'the object name is empty' };
  if (object.startsWith('/')) return { ok: false, reason: 'the object name must not start with "/"' };
  const bytes = utf8Bytes(object);
  if (bytes > OSS_LIMITS.objectKeyMaxBytes) {
    return { ok: false, reason: `the object key must be 1-${OSS_LIMITS.objectKeyMaxBytes} bytes of UTF-8, got ${bytes} bytes` };
  }
  return { ok: true, location: region === undefined ? { bucket, object } : { bucket, object, region } };
}

/** Parses `url` if it has one of `forms`. */
export function parseOssUrl(url: string, forms: readonly OssForm[]): OssParse {
  const expected = `must be ${forms.map((f) => FORM_TEXT[f]).join(' or ')}`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(?:\/(.*))?$/s.exec(url);
  if (!scheme) return { ok: false, reason: expected };
  const [, proto, host, object = ''] = scheme;
  const p = proto.toLowerCase();
  if (p === 'oss') {
    if (HOST.test(host)) {
      if (!forms.includes('oss-host')) return { ok: false, reason: expected };
      return hostLocation(host, object);
    }
    if (!forms.includes('oss')) return { ok: false, reason: expected };
    return finish(host, object);
  }
  if (p === 'http' || p === 'https') {
    if (!forms.includes('http')) return { ok: false, reason: expected };
    const r = hostLocation(host, decodedKey(object));
    return r.ok ? r : { ok: false, reason: `${expected}: ${r.reason} (CDN and other hosts are not accepted)` };
  }
  return { ok: false, reason: expected };
}

const EXTENSION_KINDS: Readonly<Record<MediaKind, readonly string[]>> = {
  video: ['mp4', 'mov', 'mkv', 'avi', 'flv', 'webm', 'ts', 'm3u8', 'wmv', 'mpg', 'mpeg', '3gp', 'm4v'],
  audio: ['wav', 'mp3', 'aac', 'm4a', 'flac', 'ogg', 'opus', 'amr', 'wma'],
  image: ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'tif', 'tiff', 'heic'],
};

/** The media kind a well-known file extension stands for, or undefined. */
export function kindOfExtension(ext: string): MediaKind | undefined {
  const e = ext.toLowerCase();
  return (Object.keys(EXTENSION_KINDS) as MediaKind[]).find((k) => EXTENSION_KINDS[k].includes(e));
}
