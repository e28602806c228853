/**
 * Writes what the docs derive from data: the functions table (from the catalogue) between the functions markers of
 * README.md, and the table of warnings (from WARNINGS) between the warnings markers of docs/jobs.md.
 * `--check` writes nothing and exits 1 when a file is stale (for CI).
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { replaceFunctionsTable, replaceWarningsTable } from '../lib/jobs';

const ROOT = join(__dirname, '..');
const TARGETS: ReadonlyArray<[file: string, render: (text: string) => string]> = [
  ['README.md', replaceFunctionsTable],
  [join('docs', 'jobs.md'), replaceWarningsTable],
];

function main(argv: readonly string[]): number {
  let stale = 0;
  for (const [file, render] of TARGETS) {
    const path = join(ROOT, file);
    const before = readFileSync(path, 'utf8');
    const after = render(before);
    if (argv.includes('--check')) {
      if (before !== after) {
        process.stderr.write(`${file} is stale: run \`npx ts-node --transpile-only scripts/gen-docs.ts\`\n`);
        stale++;
      }
      continue;
    }
    if (before !== after) writeFileSync(path, after);
    process.stdout.write(`${file}: ${before === after ? 'already up to date' : 'written'}\n`);
  }
  return stale === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
