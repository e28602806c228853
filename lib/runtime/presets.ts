/**
 * The presets a deployment ships with the function: in `IPROD_PRESETS` (JSON) when they fit the function's
 * environment, otherwise in a file of the code package named by `IPROD_PRESETS_FILE`, whose SHA-256 the construct
 * writes in `IPROD_PRESETS_SHA256` so that a package and an environment from different deploys are never mixed.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { RUNTIME_ENV } from '../service';
import { describeValue } from './events';
import type { HandlerEnv } from './handler-settings';

export type Presets = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export type LoadedPresets = { ok: true; presets?: Presets } | { ok: false; message: string };

const cache = new Map<string, LoadedPresets>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsePresets(text: string, source: string): LoadedPresets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: `${source} must be a JSON object of presets, got ${describeValue(text)}` };
  }
  if (!isRecord(parsed) || Object.values(parsed).some((p) => !isRecord(p))) {
    return { ok: false, message: `${source} must be a JSON object whose values are request objects, got ${describeValue(text)}` };
  }
  return { ok: true, presets: parsed as Presets };
}

/**
 * The deployment's presets, or none when neither variable is set. `codeDir` is where FC unpacked the code package.
 * Read once per process and environment: presets change only with a deploy, which starts new instances.
 */
export function loadPresets(env: HandlerEnv, codeDir: string): LoadedPresets {
  const inline = env[RUNTIME_ENV.presets];
  const file = env[RUNTIME_ENV.presetsFile];
  if (inline === undefined && file === undefined) return { ok: true };
  const key = JSON.stringify([inline, file, env[RUNTIME_ENV.presetsSha256], codeDir]);
  const hit = cache.get(key);
  if (hit) return hit;
  let loaded: LoadedPresets;
  if (inline !== undefined && file !== undefined) {
    loaded = { ok: false, message: `${RUNTIME_ENV.presets} and ${RUNTIME_ENV.presetsFile} must not both be set, got both` };
  } else if (inline !== undefined) {
    loaded = parsePresets(inline, RUNTIME_ENV.presets);
  } else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file!)) {
    loaded = { ok: false, message: `${RUNTIME_ENV.presetsFile} must be a file name in the code package, got ${describeValue(file)}` };
  } else {
    loaded = readPresetsFile(path.join(codeDir, file!), env[RUNTIME_ENV.presetsSha256]);
  }
  cache.set(key, loaded);
  return loaded;
}

function readPresetsFile(file: string, expectedSha256: string | undefined): LoadedPresets {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    return { ok: false, message: `${RUNTIME_ENV.presetsFile} ${path.basename(file)} cannot be read from the code package: ${(err as Error).message}` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
    return { ok: false, message: `${RUNTIME_ENV.presetsSha256} must match the code package's ${path.basename(file)}, got ${describeValue(expectedSha256)} for a file hashing to ${sha256}` };
  }
  return parsePresets(bytes.toString('utf8'), `${RUNTIME_ENV.presetsFile} ${path.basename(file)}`);
}

/** A preset's request for one input (lib/jobs/placeholders.ts): what a submit of a preset and the loop both build. */
export { presetRequest } from '../jobs/placeholders';
