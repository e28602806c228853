/**
 * Runs compiled doc examples one after another in one Node process, each as `node example.js` would run it: in its
 * own working directory and environment, with what it writes to stdout and stderr captured, and finished when
 * nothing it started keeps the event loop alive any more (when `node example.js` would exit). One process instead of
 * one per example: loading the package (ROS CDK, the SDKs) costs most of a second, an example a few milliseconds.
 *
 * This file is compiled with the examples (test/support/doc-app.ts) and run as
 * `node build/doc-runner.js manifest.json results.json`; results are rewritten after every example, so an example
 * that ends the process is found as the first one without a result.
 */
import * as fs from 'fs';
import { inspect } from 'util';

export interface DocRun {
  readonly id: string;
  /** The compiled example (absolute path). */
  readonly file: string;
  readonly cwd: string;
  /** Set for this example only, over the runner's own environment. */
  readonly env: Record<string, string>;
  /** How long the example may keep the event loop alive. */
  readonly timeoutMs: number;
}

export interface DocRunResult {
  readonly id: string;
  stdout: string;
  stderr: string;
  /** Thrown while loading, uncaught exceptions and unhandled rejections: each would end `node example.js` with 1. */
  readonly errors: string[];
  /** `process.exitCode` as the example left it. */
  exitCode?: number;
  /** Resources still keeping the event loop alive at the timeout (empty when the example finished). */
  pending: string[];
  ms: number;
}

function activeCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** What keeps the event loop alive beyond what the runner itself held before the first example. */
function excess(baseline: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [type, n] of activeCounts()) {
    for (let i = baseline.get(type) ?? 0; i < n; i++) out.push(type);
  }
  return out;
}

const describe = (e: unknown): string => (e instanceof Error ? e.stack ?? String(e) : inspect(e));

async function main(): Promise<void> {
  const [manifestPath, resultsPath] = process.argv.slice(2);
  const runs: DocRun[] = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const results: DocRunResult[] = [];
  let current: DocRunResult | undefined;
  process.on('unhandledRejection', (reason) => void current?.errors.push(`unhandled rejection: ${describe(reason)}`));
  process.on('uncaughtException', (err) => void current?.errors.push(`uncaught exception: ${describe(err)}`));

  // Everything written goes to the example being run (console.log writes through process.stdout.write).
  const write = (stream: 'stdout' | 'stderr') => (chunk: unknown, ...rest: unknown[]): boolean => {
    if (current) current[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    if (callback) process.nextTick(callback);
    return true;
  };
  process.stdout.write = write('stdout') as typeof process.stdout.write;
  process.stderr.write = write('stderr') as typeof process.stderr.write;
  let baseline = activeCounts();
  const startEnv = { ...process.env };

  for (const run of runs) {
    const started = Date.now();
    current = { id: run.id, stdout: '', stderr: '', errors: [], pending: [], ms: 0 };
    process.chdir(run.cwd);
    for (const key of Object.keys(process.env)) if (!(key in startEnv)) delete process.env[key];
    Object.assign(process.env, startEnv, run.env);
    process.exitCode = undefined;
    try {
      require(run.file);
    } catch (err) {
      current.errors.push(`thrown: ${describe(err)}`);
    }
    // Poll until the example holds nothing open, as node would before exiting. The poll's own timer has fired by
    // the time each check runs, so it is not counted.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const left = excess(baseline);
      if (left.length === 0) break;
      if (Date.now() - started > run.timeoutMs) {
        current.pending = left;
        // What it left open is not held against the examples after it.
        baseline = activeCounts();
        break;
      }
    }
    current.exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
    process.exitCode = undefined;
    current.ms = Date.now() - started;
    results.push(current);
    current = undefined;
    fs.writeFileSync(resultsPath, JSON.stringify(results));
  }
  fs.writeFileSync(resultsPath, JSON.stringify(results));
}

// Exit even when an example left something open (its result says what).
main().then(
  () => process.exit(0),
  (err) => {
    fs.writeSync(2, `doc runner: ${describe(err)}\n`);
    process.exit(2);
  },
);
