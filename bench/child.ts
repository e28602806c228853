/** Building and running the benchmark's child processes. */
import { spawn } from 'child_process';
import * as path from 'path';
import { buildSync } from 'esbuild';

export const ROOT = path.resolve(__dirname, '..');
/** Scratch space inside the package (git-ignored), so that compiled children resolve node_modules and the bundle. */
export const TMP = path.join(ROOT, 'bench', '.tmp');

/**
 * Compiles a bench TypeScript entry into one plain JS file under bench/.tmp/ (packages stay external), so child
 * processes start with plain `node` and pay no ts-node cost.
 */
export function compileEntry(entry: string): string {
  const outfile = path.join(TMP, path.basename(entry).replace(/\.ts$/, '.js'));
  const result = buildSync({
    entryPoints: [path.join(ROOT, 'bench', entry)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('; '));
  return outfile;
}

export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whole spawn, measured in the parent: from spawn() to the exit event. */
  readonly wallMs: number;
}

/** Runs `node <args>` and collects its output; rejects if it does not exit within `timeoutMs`. */
export function runNode(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ChildResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A clean NODE_OPTIONS: ts-node or a debugger in the parent must not slow the child down.
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      resolve({ code, stdout, stderr, wallMs });
    });
  });
}

/** The last JSON line a child printed (children print one report line; libraries may log before it). */
export function lastJsonLine<T>(result: ChildResult, what: string): T {
  if (result.code !== 0) {
    throw new Error(`${what} exited with code ${result.code}: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  }
  const lines = result.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  if (lines.length === 0) throw new Error(`${what} printed no JSON report; stdout: ${result.stdout.slice(0, 300)}`);
  return JSON.parse(lines[lines.length - 1]) as T;
}
