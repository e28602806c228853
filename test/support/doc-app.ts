import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './checkout';
import type { DocRun, DocRunResult } from './doc-runner';

export type { DocRunResult } from './doc-runner';

/**
 * An app, in a scratch directory, holding doc examples as a user would: each in its own `src/*.ts`, compiled by
 * `tsc` with a strict, ordinary tsconfig, importing `ros-cdk-iproduction` from `node_modules`. There the package
 * is this checkout (a link), so node and tsc read its package.json (`exports`, `types`, `typesVersions`) and get the
 * built `dist/` as from an install; the other packages are this checkout's. Nothing rewrites an import.
 * (test/package/packed-install.test.ts does the same with the packed tarball for the README.)
 */
export interface DocApp {
  readonly dir: string;
  /** `src/<name>.ts` → `build/<name>.js`. */
  readonly names: readonly string[];
}

export interface Compiled {
  /** tsc's diagnostics per example name; anything not about one file under `other`. */
  readonly diagnostics: Map<string, string[]>;
  readonly other: string[];
  readonly ms: number;
}

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const RUNNER = 'doc-runner';

/** The examples' tsconfig: what `tsc --init` users end up with for a Node app, strict. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2020',
    module: 'commonjs',
    moduleResolution: 'node',
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    // Each example is a file of its own, also one without imports.
    moduleDetection: 'force',
    rootDir: 'src',
    outDir: 'build',
  },
  include: ['src'],
};

export function createDocApp(examples: readonly { name: string; code: string }[]): DocApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-docs-'));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '.bin' || entry === '.package-lock.json') continue;
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', entry)), path.join(modules, entry), 'dir');
  }
  fs.symlinkSync(ROOT, path.join(modules, 'ros-cdk-iproduction'), 'dir');
  fs.mkdirSync(path.join(dir, 'src'));
  for (const { name, code } of examples) {
    if (!/^[a-z0-9-]+$/.test(name) || name === RUNNER) throw new Error(`example name must be [a-z0-9-]+ and not ${RUNNER}, got ${name}`);
    fs.writeFileSync(path.join(dir, 'src', `${name}.ts`), code);
  }
  fs.copyFileSync(path.join(__dirname, `${RUNNER}.ts`), path.join(dir, 'src', `${RUNNER}.ts`));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  return { dir, names: examples.map((e) => e.name) };
}

function run(args: string[], cwd: string, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** One `tsc -p` over every example (and the runner); it emits even where an example has errors. */
export async function compileDocApp(app: DocApp): Promise<Compiled> {
  const started = Date.now();
  const result = await run([TSC, '-p', 'tsconfig.json', '--pretty', 'false'], app.dir, 120_000);
  const diagnostics = new Map<string, string[]>(app.names.map((n) => [n, []]));
  const other: string[] = [];
  for (const line of result.stdout.split('\n').filter((l) => l.trim() !== '')) {
    const m = /^src\/([a-z0-9-]+)\.ts\(/.exec(line);
    const list = m ? diagnostics.get(m[1]) : undefined;
    if (list) list.push(line);
    else if (!/^\s/.test(line)) other.push(line);
  }
  if (result.stderr.trim() !== '') other.push(result.stderr.trim());
  return { diagnostics, other, ms: Date.now() - started };
}

export interface DocAppRun {
  readonly name: string;
  /** Working directory (created if missing); default a fresh one per example. */
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/** Runs the compiled examples in order in one Node process (test/support/doc-runner.ts); a result per example. */
export async function runDocApp(app: DocApp, runs: readonly DocAppRun[]): Promise<Map<string, DocRunResult>> {
  const manifest: DocRun[] = runs.map((r) => {
    const cwd = r.cwd ?? path.join(app.dir, 'cwd', r.name);
    fs.mkdirSync(cwd, { recursive: true });
    return { id: r.name, file: path.join(app.dir, 'build', `${r.name}.js`), cwd, env: r.env ?? {}, timeoutMs: r.timeoutMs ?? 30_000 };
  });
  const manifestPath = path.join(app.dir, 'manifest.json');
  const resultsPath = path.join(app.dir, 'results.json');
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const total = manifest.reduce((sum, r) => sum + r.timeoutMs, 0);
  const result = await run([path.join(app.dir, 'build', `${RUNNER}.js`), manifestPath, resultsPath], app.dir, total + 30_000);
  const results: DocRunResult[] = fs.existsSync(resultsPath) ? JSON.parse(fs.readFileSync(resultsPath, 'utf8')) : [];
  const byName = new Map(results.map((r) => [r.id, r]));
  // An example that ended the process (process.exit, a crash) is the first without a result; the rest never ran.
  const missing = manifest.filter((r) => !byName.has(r.id));
  missing.forEach((r, i) => byName.set(r.id, {
    id: r.id, stdout: '', stderr: '', pending: [], ms: 0,
    errors: [i === 0
      ? `the runner ended (exit code ${result.code}) while this example ran: ${result.stderr}`
      : `not run: the runner ended while ${missing[0].id} ran`],
  }));
  return byName;
}

/** Where an example ran (its cwd), to read what it wrote. */
export function docAppCwd(app: DocApp, name: string): string {
  return path.join(app.dir, 'cwd', name);
}
