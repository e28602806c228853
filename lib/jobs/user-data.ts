/**
 * UserData as a deployment shapes it: the stack's tags merged into each request's own UserData, never over it, within
 * the API's limit. Pure: the constructs check the tags' share at synth, the runtime merges before any call.
 */
import { ICE_LIMITS, MTS_LIMITS } from './validate-iproduction';
import { MEDIA_PRODUCING_LIMITS } from './validate-media-producing';
import { charLength, isRecord, show, utf8Bytes } from '../util/values';

export type UserDataTarget = 'ice' | 'mts' | 'mediaProducing';

/**
 * Room kept free in UserData for what the runtime adds to a request besides the tags (a job token tying the job to
 * its ledger row: `,"iprodToken":"<up to 40 characters>"` is 57). A design figure, not a service limit.
 */
export const RUNTIME_USER_DATA_RESERVE = 64;

/**
 * The API's UserData limit and how it counts (ICE counts characters, MPS and timeline editing UTF-8 bytes).
 * `enforced`: whether a seed states it (ICE 256, timeline editing 512); MPS's 1,024 is an older ICE figure seed 002
 * does not give, so going over it is only a warning, as in the validator.
 */
export function userDataLimit(target: UserDataTarget): { max: number; unit: 'characters' | 'bytes'; measure: (s: string) => number; enforced: boolean } {
  if (target === 'ice') return { max: ICE_LIMITS.userDataChars, unit: 'characters', measure: charLength, enforced: true };
  if (target === 'mts') return { max: MTS_LIMITS.userDataBytes, unit: 'bytes', measure: utf8Bytes, enforced: false };
  return { max: MEDIA_PRODUCING_LIMITS.userDataBytes, unit: 'bytes', measure: utf8Bytes, enforced: true };
}

/** Tags as the runtime writes them: keys sorted, so the same tags always measure and serialize the same. */
export function sortedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) out[key] = tags[key];
  return out;
}

/**
 * Why `tags` leave too little of UserData for requests (and the runtime's own keys), or undefined when they fit:
 * the tags' JSON plus {@link RUNTIME_USER_DATA_RESERVE} must be within the API's limit. For a limit no seed states
 * (`userDataLimit(target).enforced` false) the caller warns rather than fails.
 */
export function userDataTagsProblem(tags: Readonly<Record<string, string>>, target: UserDataTarget): string | undefined {
  if (Object.keys(tags).length === 0) return undefined;
  const { max, unit, measure } = userDataLimit(target);
  const size = measure(JSON.stringify(sortedTags(tags)));
  if (size + RUNTIME_USER_DATA_RESERVE > max) {
    const api = target === 'mediaProducing' ? 'SubmitMediaProducingJob' : `${target === 'ice' ? 'ICE' : 'MPS'} SubmitIProductionJob`;
    return `must serialize to at most ${max - RUNTIME_USER_DATA_RESERVE} ${unit} of UserData (${api} allows ${max}, ${RUNTIME_USER_DATA_RESERVE} are kept for the runtime), got ${size}`;
  }
  return undefined;
}

export type MergedUserData = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Merges `tags` into a request's `userData`: the request's own keys win (its UserData is never overwritten), the
 * tags fill the rest. A JSON-object string stays a string; a string that is not a JSON object cannot take tags and is
 * refused rather than sent without them. The result must fit the API's limit, checked here so that an overflow is an
 * error before any call.
 */
export function mergeUserData(userData: unknown, tags: Readonly<Record<string, string>> | undefined, target: UserDataTarget): MergedUserData {
  if (tags === undefined || Object.keys(tags).length === 0) return { ok: true, value: userData };
  let own: Record<string, unknown> = {};
  let asString = false;
  if (typeof userData === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(userData);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) {
      return { ok: false, reason: `UserData must be a JSON object (or its JSON text) so that the deployment's tags can be merged into it, got ${show(userData)}` };
    }
    own = parsed;
    asString = true;
  } else if (isRecord(userData)) {
    own = userData;
  } else if (userData !== undefined) {
    return { ok: false, reason: `UserData must be a JSON object (or its JSON text), got ${show(userData)}` };
  }
  const merged: Record<string, unknown> = { ...sortedTags(tags), ...own };
  const text = JSON.stringify(merged);
  const { max, unit, measure, enforced } = userDataLimit(target);
  const size = measure(text);
  if (enforced && size > max) {
    const ownSize = userData === undefined ? 0 : measure(typeof userData === 'string' ? userData : JSON.stringify(userData));
    return {
      ok: false,
      reason: `UserData with the deployment's tags must be at most ${max} ${unit}, got ${size} (the request's own UserData is ${ownSize}, the tags ${measure(JSON.stringify(sortedTags(tags)))})`,
    };
  }
  return { ok: true, value: asString ? text : merged };
}
