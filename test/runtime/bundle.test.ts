import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { unzipSync } from 'fflate';
import { DEFAULT_STS_KEY, startLocalIce, type LocalIce } from '../endpoint';

const ROOT = path.resolve(__dirname, '..', '..');
/** The goal for the deployed zip: small enough to inline as Code.ZipFile many times over. */
const ZIP_BUDGET_BYTES = 160 * 1024;

const COVER = {
  FunctionName: 'Cover',
  Input: { Type: 'OSS', Media: 'oss://media-in/clips/talk.mp4' },
  Output: { Type: 'OSS', Media: 'oss://media-out/cover/{source}-{sequenceId}.jpg' },
};
const TIMELINE = {
  Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/clips/a.mp4' }] }] },
  OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/edits/out.mp4' },
};

function buildBundle(outdir: string): { zip: Buffer; line: string } {
  const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/bundle.ts', '--outdir', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`bundle failed: ${run.stderr}`);
  return { zip: fs.readFileSync(path.join(outdir, 'runtime.zip')), line: run.stdout.trim() };
}

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

class BundledFunction {
  readonly logs: string[] = [];
  private readonly pending = new Map<number, (answer: Record<string, unknown>) => void>();
  private nextId = 0;
  readonly ready: Promise<{ standalone: boolean; modules: number }>;

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

  invoke(event: unknown, context: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin.write(JSON.stringify({ id, event: typeof event === 'string' ? event : JSON.stringify(event), context }) + '\n');
    });
  }
}

describe('the runtime bundle', () => {
  let tmp: string;
  let built: { zip: Buffer; line: string };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-bundle-'));
    built = buildBundle(path.join(tmp, 'a'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('GIVEN two builds THEN the zips are byte-identical and the size line is printed', () => {
    // WHEN
    const again = buildBundle(path.join(tmp, 'b'));
    // THEN
    expect(again.zip.equals(built.zip)).toBe(true);
    expect(built.line).toMatch(new RegExp(`^runtime bundle: index\\.js \\d+ B, runtime\\.zip ${built.zip.length} B \\(base64 \\d+ B\\), sha256 [0-9a-f]{12}$`));
  });

  it('GIVEN the zip THEN it holds one minified index.js within the size goal', () => {
    // WHEN
    const entries = unzipSync(new Uint8Array(built.zip));
    // THEN
    expect(Object.keys(entries)).toEqual(['index.js']);
    expect(built.zip.length).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
    const js = Buffer.from(entries['index.js']).toString('utf8');
    // minified: few, long lines; and no require of a package that would need node_modules
    expect(js.split('\n').length).toBeLessThan(50);
    expect(js).not.toMatch(/require\("@alicloud\//);
  });

  describe('loaded in a fresh node process against the local endpoint', () => {
    let ice: LocalIce;
    let fn: BundledFunction;
    const context = { requestId: 'fc-req', credentials: { ...DEFAULT_STS_KEY }, region: 'cn-shanghai', function: { timeout: 60 } };

    beforeAll(async () => {
      ice = await startLocalIce();
      // GIVEN the zip unpacked where no node_modules can be found, as FC unpacks it
      const codeDir = path.join(tmp, 'code');
      fs.mkdirSync(codeDir);
      for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(built.zip)))) fs.writeFileSync(path.join(codeDir, name), bytes);
      const child = spawn(process.execPath, ['-e', DRIVER], {
        cwd: codeDir,
        env: { PATH: process.env.PATH, BUNDLE_INDEX: path.join(codeDir, 'index.js'), ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      fn = new BundledFunction(child);
    });
    afterAll(async () => {
      // Closing stdin ends the driver by itself.
      fn.child.stdin.end();
      await new Promise<void>((resolve) => (fn.child.exitCode !== null ? resolve() : fn.child.once('exit', () => resolve())));
      await ice.close();
    });

    it('GIVEN no node_modules reachable THEN the bundle still loads', async () => {
      // WHEN
      const info = await fn.ready;
      // THEN
      expect(info.standalone).toBe(true);
    });

    it.each([
      ['iProduction', {}, COVER],
      ['mediaProducing', { kind: 'mediaProducing' }, TIMELINE],
    ])('GIVEN a %s job THEN submit, query and wait reach Success', async (_kind, extra, request) => {
      // WHEN
      const submitted = await fn.invoke({ action: 'submit', ...extra, request }, context);
      // THEN
      expect(submitted).toMatchObject({ JobId: expect.any(String) });
      const jobId = submitted.JobId as string;
      expect(await fn.invoke({ action: 'query', ...extra, jobId }, context)).toMatchObject({ JobId: jobId, Status: expect.any(String) });
      expect(await fn.invoke({ action: 'wait', ...extra, jobId, timeoutSeconds: 30 }, context)).toMatchObject({ JobId: jobId, Status: 'Success' });
      const lines = fn.logs.map((l) => JSON.parse(l)).filter((l) => l.jobId === jobId);
      expect(lines.map((l) => [l.requestId, l.event, l.action, l.outcome])).toEqual([
        ['fc-req', 'invoke', 'submit', 'ok'],
        ['fc-req', 'invoke', 'query', 'ok'],
        ['fc-req', 'invoke', 'wait', 'ok'],
      ]);
    });

    it('GIVEN an MNS STREAM notification and a timer event THEN each answers the job', async () => {
      // GIVEN a finished job
      const { JobId } = await fn.invoke({ action: 'submit', request: COVER }, context);
      await fn.invoke({ action: 'wait', jobId: JobId }, context);
      // WHEN
      const notified = await fn.invoke({ JobId, RequestId: 'R', Type: 'IProduction', State: 'Success' }, context);
      const swept = await fn.invoke({ triggerTime: 'T', triggerName: 'sweep', payload: JSON.stringify({ jobIds: [JobId] }) }, context);
      // THEN
      expect(notified).toMatchObject({ notification: { jobId: JobId, reportedState: 'Success' }, job: { Status: 'Success' } });
      expect(swept).toMatchObject({ summary: { Success: 1 }, jobs: [{ jobId: JobId, job: { Status: 'Success' } }] });
    });

    it('GIVEN bad events THEN the bundled handler answers errors and keeps serving', async () => {
      // WHEN
      const notJson = await fn.invoke('not json', context);
      const unknown = await fn.invoke({ action: 'cancel', jobId: 'x' }, context);
      const invalid = await fn.invoke({ action: 'submit', request: { ...COVER, FunctionName: 'Nope' } }, context);
      // THEN
      expect(notJson).toEqual({ error: expect.objectContaining({ code: 'InvalidEvent' }) });
      expect(unknown).toEqual({ error: expect.objectContaining({ code: 'UnknownAction' }) });
      expect(invalid).toEqual({ error: expect.objectContaining({ code: 'InvalidRequest', issues: expect.any(Array) }) });
      expect(fn.child.exitCode).toBeNull();
    });
  });
});
