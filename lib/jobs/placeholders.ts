/**
 * Placeholders of ours in a preset's output path, filled from the input's object key by the runtime (a submit of a
 * preset, and the production loop) before validation: `{objectDir}` (the key's folder, with a trailing '/' unless
 * empty), `{objectName}` (the file name without its extension) and `{objectKey}`. The service's own placeholders
 * (`{source}`, `{timestamp}`, `{sequenceId}`, `{resultType}`) are left for it to expand per job.
 */
import { isRecord } from '../util/values';

export const OBJECT_PLACEHOLDERS: readonly string[] = ['{objectDir}', '{objectName}', '{objectKey}'];

/** Fills `{objectDir}`, `{objectName}` and `{objectKey}` with the parts of an object key. */
export function objectPlaceholders(key: string): (text: string) => string {
  const slash = key.lastIndexOf('/');
  const dir = slash >= 0 ? key.slice(0, slash + 1) : '';
  const file = key.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const name = dot > 0 ? file.slice(0, dot) : file;
  return (text) => text.split('{objectDir}').join(dir).split('{objectName}').join(name).split('{objectKey}').join(key);
}

/**
 * A preset's request for one input: a deep copy with its input set to `input` (`Input {Type: OSS, Media}` on ICE,
 * the `Input` path on MPS) and our placeholders in its output (`Output.Media` on ICE, `Output` on MPS) filled from
 * the input's object key.
 */
export function presetRequest(preset: Readonly<Record<string, unknown>>, input: string, api: 'ice' | 'mts'): Record<string, unknown> {
  const request = JSON.parse(JSON.stringify(preset)) as Record<string, unknown>;
  request.Input = api === 'mts' ? input : { Type: 'OSS', Media: input };
  const key = /^oss:\/\/[^/]+\/(.+)$/.exec(input)?.[1];
  if (key !== undefined) {
    const fill = objectPlaceholders(key);
    if (typeof request.Output === 'string') request.Output = fill(request.Output);
    else if (isRecord(request.Output) && typeof request.Output.Media === 'string') request.Output = { ...request.Output, Media: fill(request.Output.Media) };
  }
  return request;
}
