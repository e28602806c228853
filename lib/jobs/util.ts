/** Helpers of the job model's validators and parsers. Total: none throws, for any input. */
import { own } from '../util/values';

/**
 * An optional parameter's value, with `null` and `""` read as absent: the wire builders never send them, and the
 * services treat an empty parameter like a missing one (seed 003 lines 55-69 even ask for unused ones "填写为空").
 */
export function given(obj: Record<string, unknown>, key: string): unknown {
  const v = own(obj, key);
  return v === null || v === '' ? undefined : v;
}

/** An issue's field for an object key: an empty key still needs a visible name. */
export function keyField(key: string): string {
  return key === '' ? '""' : key;
}
