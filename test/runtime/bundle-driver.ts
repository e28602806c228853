import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { unzipSync } from 'fflate';

/**
 * Loads the unzipped bundle in a fresh node process, as FC does, and relays invocations over stdin/stdout: one JSON
 * request per line in, one `@@answer` line out. The handler's own log lines pass through as plain lines.
 */
const DRIVER = `
const readline = require('readline');
let standalone = true;
try { require.resolve('@alicloud/openapi-client', { paths: [process.cwd()] }); standalone = false; } catch {}
const { handler } = require(process.env.BUNDLE_INDEX);
process.stdout.write('@@ready ' + JSON.stringify({ standalone, modules: Object.keys(require.cache).length }) + '\\n');
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, event, context } = JSON.parse(line);
  const answer = await handler(Buffer.from(event, 'utf8'), context);
  process.stdout.write('@@answer ' + JSON.stringify({ id, answer }) + '\\n');
});
`;

export class BundledFunction {
  readonly logs: string[] = [];
  private readonly pending = new Map<number, (answer: Record<string, unknown>) => void>();
  private nextId = 0;
  readonly ready: Promise<{ standalone: boolean; modules: number }>;

  /** Unzips `zip` into `codeDir` (which must not exist) and starts the driver there with exactly `env` (plus PATH). */
  static start(zip: Uint8Array, codeDir: string, env: Record<string, string>): BundledFunction {
    fs.mkdirSync(codeDir);
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(zip)))) fs.writeFileSync(path.join(codeDir, name), bytes);
    const child = spawn(process.execPath, ['-e', DRIVER], {
      cwd: codeDir,
      env: { PATH: process.env.PATH, BUNDLE_INDEX: path.join(codeDir, 'index.js'), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new BundledFunction(child);
  }

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    let onReady: (info: { standalone: boolean; modules: number }) => void = () => undefined;
    this.ready = new Promise((resolve) => (onReady = resolve));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('@@ready ')) onReady(JSON.parse(line.slice(8)));
      else if (line.startsWith('@@answer ')) {
        const { id, answer } = JSON.parse(line.slice(9));
        this.pending.get(id)?.(answer);
        this.pending.delete(id);
      } else this.logs.push(line);
    });
  }

  /** Closing stdin ends the driver by itself. */
  async stop(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
  }

  invoke(event: unknown, context: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin.write(JSON.stringify({ id, event: typeof event === 'string' ? event : JSON.stringify(event), context }) + '\n');
    });
  }
}
