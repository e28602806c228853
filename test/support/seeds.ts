import { existsSync, readdirSync, readFileSync } from 'fs';
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

/** The whole text of seed `n` (`'000'` ... `'004'`). */
export function seedText(n: string): string {
  const dir = seedsDir();
  const file = readdirSync(dir).find((f) => f.startsWith(`${n}_`));
  if (!file) throw new Error(`seed ${n} not found in ${dir}`);
  return readFileSync(join(dir, file), 'utf8');
}

/** Line `line` (1-based, as `cat -n` numbers it) of seed `n`, trimmed; throws on a blank line, so a citation cannot point at nothing. */
export function seedLine(n: string, line: number): string {
  const text = seedText(n).split('\n')[line - 1]?.trim();
  if (!text) throw new Error(`seed ${n} line ${line} is blank or missing`);
  return text;
}

/** Request-parameter names of a seed, read from its parameter table (between its two headings). */
export function seedParams(n: string, from: string, to: string): Set<string> {
  const text = seedText(n);
  const section = text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
  const lines = section.split('\n').map((l) => l.trim());
  const names = new Set<string>();
  lines.forEach((line, i) => {
    // Seed 001 writes the name alone, its type on the next non-empty line; 000/002/003 glue them ("FunctionNamestringYes").
    const glued = /^([A-Z][A-Za-z]+)(string|object|integer)(Yes|No)?$/.exec(line);
    if (glued) names.add(glued[1]);
    // Seed 004 writes table rows: "JobId | string | Yes | ...".
    const row = /^([A-Z][A-Za-z]+) \| (string|object|integer) \|/.exec(line);
    if (row) names.add(row[1]);
    const next = lines.slice(i + 1).find((l) => l !== '');
    if (/^[A-Z][A-Za-z]+$/.test(line) && next !== undefined && /^(string|object|integer)$/.test(next)) names.add(line);
  });
  return names;
}
