/**
 * Plumbing shared by every area: type guards and the one rendering of a received value for error messages.
 * Every function is total: none throws, for any input.
 * @internal
 */

/** A plain object (not null, not an array, not a Buffer). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** Own property only, so keys like `constructor` or `toString` never reach the prototype. */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

const SHOW_MAX = 80;

/** A short rendering of a received value for messages: `got ${show(v)}`. */
export function show(v: unknown): string {
  let s: string;
  try {
    if (v === undefined) s = 'undefined';
    else if (typeof v === 'bigint') s = `${v.toString()}n`;
    else if (typeof v === 'number' && !Number.isFinite(v)) s = String(v);
    else if (typeof v === 'function' || typeof v === 'symbol') s = typeof v;
    else s = JSON.stringify(v) ?? typeof v;
  } catch {
    s = Array.isArray(v) ? 'an array' : typeof v;
  }
  return s.length > SHOW_MAX ? `${s.slice(0, SHOW_MAX - 3)}...` : s;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : 'malformed JSON' };
  }
}

/** JSON text of a value, or undefined when it cannot be serialized (cycles, BigInt). */
export function toJson(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

export function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Length in characters (code points), as the docs count "characters". */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
