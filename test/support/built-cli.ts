/** Runs the built CLI (dist/bin/iprod.js) as a child process with exactly `env`; never hangs (30 s guard). */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const BUILT_CLI = path.resolve(__dirname, '../../dist/bin/iprod.js');

export function runBuiltCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!fs.existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} not found: run \`npm run build\` first`);
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
