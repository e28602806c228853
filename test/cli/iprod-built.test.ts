/**
 * The built CLI (dist/bin/iprod.js, as `npm install` ships it) run as a person runs it: a child process talking to
 * the local endpoint over loopback, with the environment `npm run local-ice` prints. Pauses are shortened through
 * the CLI's own settings (IPROD_POLL_MS, IPROD_TICK_MS, IPROD_RETRY_BASE_MS), never by sleeping in the test.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_ACCESS_KEY, startLocalIce, type LocalIce } from '../endpoint';

const CLI = path.resolve(__dirname, '../../dist/bin/iprod.js');
const ASSEMBLY = path.resolve(__dirname, '../policy/fixtures/assembly');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no keys or endpoint from the machine running the tests leak in. */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-home-')) };
  return { ...env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...extra };
}

/** Runs the CLI; `whenOut` is called with the stdout so far and the child, e.g. to press Ctrl-C once a line shows. */
function iprod(args: string[], env: Record<string, string>, whenOut?: (out: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} not found: run \`npm run build\` first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Stops by itself whatever happens: a hung CLI fails the test instead of hanging it.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      whenOut?.(stdout, (s) => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const COVER = ['--function', 'Cover', '--input', 'oss://media-in/clips/talk.mp4', '--output', 'oss://media-out/cover/{sequenceId}.jpg'];

describe('the built iprod against the local endpoint', () => {
  let ice: LocalIce;
  let env: Record<string, string>;

  beforeAll(async () => {
    ice = await startLocalIce({
      // "slow" jobs outlive every wait here; the others take 3 s (a child node process takes a while to start).
      timingFor: (job) => (job.params.Name === 'slow' ? { runningMs: 3_600_000 } : { queuingMs: 200, runningMs: 2_800 }),
    });
    env = baseEnv({
      ICE_ENDPOINT: ice.endpoint,
      ICE_PROTOCOL: 'http',
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY.accessKeySecret,
      IPROD_POLL_MS: '50',
      IPROD_TICK_MS: '20',
      IPROD_RETRY_BASE_MS: '1',
    });
  });
  afterAll(async () => {
    await ice.close();
  });

  async function submitted(args: string[]): Promise<string> {
    const run = await iprod(['submit', ...args], env);
    expect(run.stderr).toBe('');
    const m = /^submitted job (\w+)$/m.exec(run.stdout);
    expect(m).not.toBeNull();
    return m![1];
  }

  it('honours ICE_ENDPOINT and ICE_PROTOCOL from the environment, and `iprod wait` follows an intelligent production job to its end', async () => {
    // GIVEN a job submitted with only the environment pointing at the endpoint
    const jobId = await submitted(COVER);
    // WHEN waiting for it
    const run = await iprod(['wait', jobId], env);
    // THEN progress lines, a heartbeat while nothing changes, and the final job
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^job ${jobId}: (Queuing|Analyzing) \\(0s\\)$`));
    expect(run.stdout).toMatch(new RegExp(`job ${jobId}: (Queuing|Analyzing), still waiting \\(0s\\)`));
    expect(run.stdout).toMatch(new RegExp(`job ${jobId}: Success \\(\\d+s\\)`));
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{')))).toMatchObject({ JobId: jobId, Status: 'Success', FunctionName: 'Cover' });
  });

  it('`iprod wait --kind mediaProducing` follows a timeline job', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-built-'));
    const file = path.join(dir, 'timeline.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/clips/a.mp4' }] }] },
        OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/edits/out.mp4' },
      }),
    );
    const jobId = await submitted(['--request', file, '--kind', 'mediaProducing']);
    const run = await iprod(['wait', jobId, '--kind', 'mediaProducing'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{')))).toMatchObject({ JobId: jobId, Status: 'Success' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Ctrl-C during a wait says the job keeps running and how to wait again, and exits 130', async () => {
    // GIVEN a job that runs for an hour
    const jobId = await submitted([...COVER, '--name', 'slow']);
    // WHEN Ctrl-C is pressed once its status shows
    let pressed = false;
    const run = await iprod(['wait', jobId, '--region', 'cn-shanghai'], env, (out, kill) => {
      if (!pressed && out.includes(`job ${jobId}: `)) {
        pressed = true;
        kill('SIGINT');
      }
    });
    // THEN
    expect(run.code).toBe(130);
    expect(run.stderr).toBe(
      `iprod: interrupted: job ${jobId} keeps running on the service (last status: ${/Queuing|Analyzing/.exec(run.stdout)![0]}); to wait for it again: iprod wait ${jobId} --region cn-shanghai\n`,
    );
    expect(ice.jobs.find((j) => j.jobId === jobId)?.status).toMatch(/Queuing|Analyzing/);
  });

  it('flags win over the environment', async () => {
    const jobId = await submitted(COVER);
    const deadPort = await freePort();
    const run = await iprod(['status', jobId, '--endpoint', ice.endpoint], { ...env, ICE_ENDPOINT: `127.0.0.1:${deadPort}` });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ JobId: jobId });
  });

  it('a wrong port shows each retry as it happens, then one line saying what to check', async () => {
    const port = await freePort();
    const run = await iprod(['status', 'abc', '--endpoint', `127.0.0.1:${port}`], { ...env, IPROD_RETRIES: '2' });
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^iprod: QueryIProductionJob attempt 1 failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+ \(POST http:\/\/127\.0\.0\.1:\d+\)\); retrying in \d\.\d s$/),
      expect.stringMatching(/^iprod: QueryIProductionJob attempt 2 failed /),
      `iprod: cannot reach http://127.0.0.1:${port}: connection refused after 3 attempt(s). Check --endpoint/--protocol (or ICE_ENDPOINT/ICE_PROTOCOL) and --region, and that the service is running.`,
    ]);
  });

  it('https against a plain HTTP endpoint is one clear line, not a raw EPROTO', async () => {
    const run = await iprod(['status', 'abc', '--protocol', 'https'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `iprod: https://${ice.endpoint} did not answer in TLS (it looks like plain HTTP): use --protocol http (or ICE_PROTOCOL=http), or point --endpoint at the https port\n`,
    );
  });

  it('missing credentials fail at once with what to set, before anything is sent', async () => {
    const before = ice.stats.totals.received;
    const noKeys = { ...env };
    delete noKeys.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete noKeys.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    const run = await iprod(['status', 'abc'], noKeys);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/^iprod: no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
    expect(run.stderr).not.toMatch(/retrying/);
    expect(ice.stats.totals.received).toBe(before);
  });

  it('policy-report --output under /proc returns with a clear error', async () => {
    const run = await iprod(['policy-report', ASSEMBLY, '--output', '/proc/forbidden/x.md'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^policy-report: cannot write --output \/proc\/forbidden\/x\.md: ENOENT/);
  });
});
