import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import { DEFAULT_STS_KEY, startLocalIce, type LocalIce } from '../endpoint';
import { BundledFunction } from './bundle-driver';

const ROOT = path.resolve(__dirname, '..', '..');
/**
 * The goal for the deployed zip: small enough to inline as Code.ZipFile many times over. The production loop brings
 * the tablestore SDK with its protobuf definitions (about 107 KB zipped, docs/ledger.md) and @alicloud/mns; measured
 * with them: 207 KB (base64 277 KB, within the template limits the synth checks).
 */
const ZIP_BUDGET_BYTES = 240 * 1024;

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
    // minified: few, long lines; and every require left is a Node built-in (nothing needs node_modules)
    // (the tablestore SDK's generated protobuf code keeps a few dozen line breaks of its own)
    expect(js.split('\n').length).toBeLessThan(100);
    expect(js.length / js.split('\n').length).toBeGreaterThan(5000);
    const required = [...new Set([...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((m) => !builtinModules.includes(m.replace(/^node:/, '')))).toEqual([]);
  });

  describe('loaded in a fresh node process against the local endpoint', () => {
    let ice: LocalIce;
    let fn: BundledFunction;
    const context = { requestId: 'fc-req', credentials: { ...DEFAULT_STS_KEY }, region: 'cn-shanghai', function: { timeout: 60 } };

    beforeAll(async () => {
      ice = await startLocalIce();
      // GIVEN the zip unpacked where no node_modules can be found, as FC unpacks it
      fn = BundledFunction.start(built.zip, path.join(tmp, 'code'), { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http' });
    });
    afterAll(async () => {
      await fn.stop();
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
