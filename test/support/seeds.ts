import { existsSync } from 'fs';
import { join, resolve } from 'path';

/**
 * The seed API documents live in the steering repo's shared/reference/seeds, checked out beside this repository
 * (CI clones main with shared/ beside it). IPROD_SEEDS_DIR overrides for other layouts.
 */
export function seedsDir(): string {
  const candidates = [
    process.env.IPROD_SEEDS_DIR,
    resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'seeds'),
    '/work/shared/reference/seeds',
  ].filter((d): d is string => !!d);
  const found = candidates.find((d) => existsSync(d));
  if (!found) {
    throw new Error(`seed documents not found; looked in ${candidates.join(', ')} (set IPROD_SEEDS_DIR)`);
  }
  return found;
}
