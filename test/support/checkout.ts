import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** What a checkout needs to bundle and synthesize the example app (node_modules is linked, never copied). */
const CHECKOUT_PARTS = ['lib', 'bin', 'scripts', 'package.json', 'tsconfig.json'];

/** Copies the sources into `dir` (created), as if cloned there, with this checkout's node_modules linked in. */
export function copyCheckout(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const part of CHECKOUT_PARTS) fs.cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The environment of a child run in one time zone and locale (everything else inherited). */
export function zoneEnv(tz: string, locale: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TZ: tz, LANG: locale, LC_ALL: locale, ...extra };
}

/** Runs `node <args>` in `cwd`; rejects with the child's stderr when it fails. */
export function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`node ${args.join(' ')} in ${cwd} (TZ=${env.TZ}) failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Every file under `dir`, relative path → bytes, in sorted order. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const child = path.join(rel, name);
      if (fs.statSync(path.join(dir, child)).isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return out;
}

/** The files of `b` that are missing from, extra to, or differ in bytes from those of `a` (empty when identical). */
export function treeDifferences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.filter((n) => !a.has(n) || !b.has(n) || !a.get(n)!.equals(b.get(n)!));
}
