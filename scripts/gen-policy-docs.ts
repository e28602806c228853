/**
 * Rewrites the generated sections of docs/policy.md (rule reference, service catalogue) from lib/policy.
 * `--check` writes nothing and exits 1 when the file is stale.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { regeneratePolicyDoc } from '../lib/policy/docs';

const DOC = join(__dirname, '..', 'docs', 'policy.md');
const before = readFileSync(DOC, 'utf8');
const after = regeneratePolicyDoc(before);
if (process.argv.includes('--check')) {
  if (before !== after) process.stderr.write('docs/policy.md is stale: run `npx ts-node --transpile-only scripts/gen-policy-docs.ts`\n');
  process.exitCode = before === after ? 0 : 1;
} else {
  if (before !== after) writeFileSync(DOC, after);
  process.stdout.write(`docs/policy.md ${before === after ? 'already up to date' : 'written'}\n`);
}
