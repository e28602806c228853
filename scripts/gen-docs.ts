/**
 * Writes the functions table, rendered from the catalogue, between the functions markers of README.md.
 * `--check` writes nothing and exits 1 when README.md is stale (for CI).
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { replaceFunctionsTable } from '../lib/jobs';

const README = join(__dirname, '..', 'README.md');

function main(argv: readonly string[]): number {
  const before = readFileSync(README, 'utf8');
  const after = replaceFunctionsTable(before);
  if (argv.includes('--check')) {
    if (before !== after) {
      process.stderr.write('README.md functions table is stale: run `npx ts-node --transpile-only scripts/gen-docs.ts`\n');
      return 1;
    }
    return 0;
  }
  if (before !== after) writeFileSync(README, after);
  process.stdout.write(`README.md functions table ${before === after ? 'already up to date' : 'written'}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
