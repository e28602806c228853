// What a RAM action or resource pattern *can* match, read by meaning rather than by spelling: how RAM itself matches,
// so both the grants (lib/constructs) and the policy reviewer (lib/policy) read it from here. Imports nothing.
//
// RAM matches actions case-insensitively; `*` stands for any run of characters (`:` and `/` included) and `?` for
// one character, in actions and resources alike. A free placeholder (`${?Param}`: a value the deployer chooses, see
// intrinsics.ts) is read as `*`: the reviewer judges it at its worst.

/** Replaces free placeholders with `*`, so a value the deployer picks counts as a wildcard. */
export function toGlob(s: string): string {
  return s.replace(/\$\{\?[^}]*\}/g, '*');
}

export function hasWildcard(glob: string): boolean {
  return glob.includes('*') || glob.includes('?');
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + body + '$', 'i');
}

/** True when the glob matches every non-empty string (`*`, `**`, `?*`). */
export function matchesEverything(glob: string): boolean {
  if (glob.length === 0 || !glob.includes('*')) return false;
  return /^[*?]+$/.test(glob) && (glob.match(/\?/g) ?? []).length <= 1;
}

/** Literal characters of a glob (what narrows it). */
export function literalChars(glob: string): number {
  return glob.replace(/[*?]/g, '').length;
}

export interface ActionPattern {
  /** As written (resolved). */
  raw: string;
  /** Glob of the service prefix, lowercased (`oss`, `*`, `o*`). */
  service: string;
  /** Glob of the operation name (`GetObject`, `*`, `Get*`). */
  name: string;
}

/**
 * Parses an action into service and name globs. `*` alone (or any all-wildcard string) is every action of every
 * service. A wildcard may also span the `:` (`o*` = every action of every service starting with o). Undefined for
 * strings that are not actions (malformed: no `:` and not a wildcard).
 */
export function parseAction(action: string): ActionPattern | undefined {
  const g = toGlob(action.trim());
  const i = g.indexOf(':');
  if (i < 0) {
    // `*`, `o*`: the wildcard spans the separator.
    if (!hasWildcard(g)) return undefined;
    const star = g.search(/[*?]/);
    return { raw: action, service: g.slice(0, star).toLowerCase() + '*', name: '*' };
  }
  if (g.indexOf(':', i + 1) !== -1 || i === 0 || i === g.length - 1) return undefined;
  return { raw: action, service: g.slice(0, i).toLowerCase(), name: g.slice(i + 1) };
}

/** Every action of every service. */
export function isAllActions(p: ActionPattern): boolean {
  return matchesEverything(p.service) && matchesEverything(p.name);
}

/** The service part is a wildcard: the pattern reaches more than one service, unknown ones included. */
export function spansServices(p: ActionPattern): boolean {
  return hasWildcard(p.service);
}

/** Every action of the service(s) it names. */
export function isServiceWide(p: ActionPattern): boolean {
  return matchesEverything(p.name);
}

export function serviceMatches(p: ActionPattern, service: string): boolean {
  return globToRegExp(p.service).test(service);
}

export function nameMatches(p: ActionPattern, name: string): boolean {
  return globToRegExp(p.name).test(name);
}

/** How much of a service's resources a resource pattern reaches. */
export type ResourceReach =
  /** Every resource of the service (or of one of its resource types): `*`, `acs:oss:*:*:*`, `acs:mns:*:*:/queues/*`. */
  | 'every'
  /** Resources whose name matches a pattern with a wildcard in the name (`acs:oss:*:*:media-*`). */
  | 'pattern'
  /** Named resources (wildcards, if any, only below a named parent: `bucket/in/*`). */
  | 'named'
  /** The pattern cannot match this service's resources. */
  | 'none';

export interface ResourceReading {
  reach: ResourceReach;
  /** Why, in words, for messages. */
  why: string;
}

// Services whose ARN relative part starts with the resource name itself (no type keyword): acs:oss:*:{acct}:{bucket}.
const NAME_FIRST = new Set(['oss']);

/**
 * Reads a resource pattern for the actions of `service`. `*` anywhere a resource is identified (the whole ARN, the
 * service, the part after the account, the name after a type keyword like `/queues/`, `functions/`, `role/`)
 * reaches every resource; a wildcard inside a name with a few literal characters reaches a pattern of names; a
 * wildcard below a named resource (an object key under a bucket) stays named.
 */
export function readResource(resource: string, service: string): ResourceReading {
  // Placeholders for values fixed by the template (`${ALIYUN::AccountId}`, `${Bucket.Arn}`) name one thing; their
  // own ':' must not split the ARN.
  const g = toGlob(resource.trim()).replace(/\$\{[^}]*\}/g, (m) => m.replace(/[:/]/g, '_'));
  if (matchesEverything(g)) return { reach: 'every', why: `"${resource}" matches every resource of every service` };
  if (!/^acs:/i.test(g)) {
    // A placeholder for a resource the template creates (`${Bucket.Arn}`, `${Bucket.Arn}/*`): named. Otherwise
    // malformed (IPROD-RAM-007's concern).
    if (g.startsWith('${')) return { reach: 'named', why: '' };
    return hasWildcard(g) ? { reach: 'every', why: `"${resource}" is not an ARN and holds a wildcard` } : { reach: 'named', why: '' };
  }
  const parts = g.split(':');
  // A wildcard in a segment before the relative part spans the rest of the ARN when no more ':' follow.
  if (parts.length < 5) {
    const last = parts[parts.length - 1];
    if (hasWildcard(last)) {
      const svcGlob = parts[1] ?? '*';
      if (parts.length >= 3 && !hasWildcard(svcGlob) && !globToRegExp(svcGlob).test(service)) return { reach: 'none', why: '' };
      return { reach: 'every', why: `"${resource}" ends in a wildcard before naming any resource` };
    }
    return { reach: 'named', why: '' };
  }
  const [, svc] = parts;
  if (!globToRegExp(svc).test(service)) return { reach: 'none', why: '' };
  const rel = parts.slice(4).join(':');
  const serviceNote = hasWildcard(svc) ? ` (service "${svc}" matches ${service})` : '';
  const segs = rel.split('/').filter((s) => s.length > 0);
  if (segs.length === 0) return { reach: 'named', why: '' };
  const nameIndex = NAME_FIRST.has(service) ? 0 : segs.length === 1 ? 0 : 1;
  // A wildcard in the type keyword (or anywhere before the name) reaches every resource type.
  for (let i = 0; i < nameIndex; i++) {
    if (hasWildcard(segs[i])) return { reach: 'every', why: `"${resource}" has a wildcard where the resource type goes${serviceNote}` };
  }
  const name = segs[nameIndex];
  if (!hasWildcard(name)) return { reach: 'named', why: '' };
  if (matchesEverything(name) || literalChars(name) < 3) {
    return { reach: 'every', why: `"${resource}" names every ${describeType(service, segs, nameIndex)}${serviceNote}` };
  }
  return { reach: 'pattern', why: `"${resource}" names every ${describeType(service, segs, nameIndex)} matching "${name}"${serviceNote}` };
}

function describeType(service: string, segs: string[], nameIndex: number): string {
  if (service === 'oss') return 'bucket';
  if (nameIndex === 0) return `${service} resource`;
  return `${segs[0].replace(/s$/, '')} of ${service}`;
}
