/** @internal Plumbing of the constructs: shared inside lib/, not exported from the package root (lib/index.ts). */
import { createHash } from 'crypto';

const HASH_CHARS = 8;

/**
 * `${prefix}-${readable path}-${hash}` within `maxChars`: readable for operators, and the hash of the full construct
 * path keeps two names apart when sanitizing or truncating made their readable parts equal. Only letters, digits and
 * hyphens, so the result suits MNS, MPS and RAM names alike.
 */
export function physicalNameFor(prefix: string, constructPath: string, maxChars: number): string {
  const hash = createHash('sha256').update(constructPath).digest('hex').slice(0, HASH_CHARS);
  const readable = constructPath
    .split('/')
    .map((part) => part.replace(/[^A-Za-z0-9]/g, ''))
    .filter((part) => part.length > 0)
    .join('-');
  const room = maxChars - prefix.length - HASH_CHARS - 2;
  const middle = room > 0 ? readable.slice(0, room).replace(/-+$/, '') : '';
  return middle.length > 0 ? `${prefix}-${middle}-${hash}` : `${prefix}-${hash}`;
}

