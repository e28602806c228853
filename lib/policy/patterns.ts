// Conditions: which ones truly narrow who can make a request (the reviewer's judgment; how RAM matches action and
// resource patterns is lib/service/ram-patterns.ts).
import { hasWildcard, toGlob } from '../service/ram-patterns';

const PRIVATE_V4: Array<[number, number]> = [
  [ip4('10.0.0.0'), 8], [ip4('172.16.0.0'), 12], [ip4('192.168.0.0'), 16], [ip4('100.64.0.0'), 10], [ip4('127.0.0.0'), 8],
];

function ip4(s: string): number {
  const p = s.split('.').map(Number);
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

/** A CIDR (or address) that is private, or a public range of at most 256 addresses. */
export function isNarrowCidr(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value.trim());
  if (!m) return false;
  if (m.slice(1, 5).some((x) => Number(x) > 255)) return false;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return false;
  const addr = ip4(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
  const inside = PRIVATE_V4.some(([net, len]) => bits >= len && ((addr >>> (32 - len)) === (net >>> (32 - len))));
  return inside || bits >= 24;
}

function values(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function specific(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && !hasWildcard(toGlob(v));
}

// Positive operators only: a negated operator (NotIpAddress, StringNotEquals) or an ...IfExists variant lets requests
// without the key, or with any other value, through.
const NARROWING_KEYS: Array<{ key: RegExp; ops: RegExp; ok: (v: unknown) => boolean; what: string }> = [
  { key: /^acs:sourceip$/i, ops: /^ipaddress$/i, ok: (v) => typeof v === 'string' && isNarrowCidr(v), what: 'a private or small source IP range' },
  { key: /^acs:securetransport$/i, ops: /^bool$/i, ok: (v) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true'), what: 'TLS only' },
  { key: /^acs:sourcevpc$/i, ops: /^string(equals|like)$/i, ok: specific, what: 'a specific source VPC' },
  { key: /^acs:(sourcevpcid|accessid|principalarn|principalaccount|principalrampolicytype|sourceaccount|principaluserid|principalorgid|principalrdid|principalrdpath)$/i, ops: /^(string(equals|like)|arn(equals|like))$/i, ok: specific, what: 'a specific principal' },
  { key: /^(oss|acs):(sourcevpc|sourceip)$/i, ops: /^string(equals|like)$/i, ok: specific, what: 'a specific network origin' },
];

/**
 * The condition entry that truly narrows who can make the request (`IpAddress acs:SourceIp 10.0.0.0/8`), in words,
 * or undefined when none does (`IpAddress 0.0.0.0/0`, a Referer, a time window, a negated operator).
 */
export function narrowingCondition(condition: unknown): string | undefined {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  for (const [op, body] of Object.entries(condition as Record<string, unknown>)) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
    for (const [key, v] of Object.entries(body as Record<string, unknown>)) {
      const vs = values(v);
      if (vs.length === 0) continue;
      for (const rule of NARROWING_KEYS) {
        if (rule.key.test(key) && rule.ops.test(op) && vs.every(rule.ok)) {
          return `${op} ${key} ${JSON.stringify(v)} (${rule.what})`;
        }
      }
    }
  }
  return undefined;
}
