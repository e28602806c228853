import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { join } from 'path';
import { freePort } from '../support/net';

const ROOT = join(__dirname, '..', '..');
const README = fs.readFileSync(join(ROOT, 'README.md'), 'utf8');
const start = README.indexOf('\n## Deploy\n');
const section = README.slice(start, README.indexOf('\n## ', start + 1));
const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('# terminal 1'))!;

describe('README deploy example', () => {
  let endpoint: ChildProcess | undefined;

  afterAll(() => {
    // The endpoint also stops by itself (--exit-after); this only makes it prompt.
    if (endpoint?.pid && endpoint.exitCode === null) process.kill(-endpoint.pid, 'SIGTERM');
  });

  it('runs as written: synth, diff, deploy, unchanged redeploy, diff --fail, destroy (only the port and the assembly directory changed)', async () => {
    // GIVEN terminal 1 on a free port, told to stop by itself
    const [terminal1, terminal2] = block.split('# terminal 2');
    const port = String(await freePort());
    const start = terminal1.split('\n').find((l) => l.startsWith('npm run local-ros'))!.replace('8092', port);
    endpoint = spawn('bash', ['-c', `${start} --exit-after 120`], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let banner = '';
    await new Promise<void>((resolve, reject) => {
      endpoint!.stdout!.on('data', (d) => { banner += d; if (banner.includes('local ROS endpoint')) resolve(); });
      endpoint!.on('exit', (code) => reject(new Error(`local-ros exited with ${code} before it listened: ${banner}`)));
    });
    // The assembly goes to a directory of its own: other tests read the checkout's cdk.out.
    const work = fs.mkdtempSync(join(os.tmpdir(), 'iprod-readme-deploy-'));
    const app = join(work, 'cdk.out');
    const script = 'set -euo pipefail\n' + terminal2
      .replace(/8092/g, port)
      .replace('npm run synth', `CDK_OUTDIR=${app} npm run --silent synth > /dev/null`)
      .replace(/^npx iprod (\S+)/gm, `npx iprod $1 --app ${app}`)
      .replace('out.json', join(work, 'out.json'));
    // WHEN terminal 2's lines run in a shell that stops at the first failing command
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-c', script], { cwd: ROOT, timeout: 110_000, maxBuffer: 8 << 20 }, (err, out, errOut) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: out, stderr: errOut }));
    });
    // THEN
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('not deployed: everything below would be created');
    expect(stdout).toContain('IProductionExample: CREATE_COMPLETE');
    expect(stdout).toContain('IProductionExample: unchanged (CREATE_COMPLETE)');
    expect(stdout).toContain('no differences');
    expect(stdout).toContain('IProductionExample: destroyed');
    const outputs = JSON.parse(fs.readFileSync(join(work, 'out.json'), 'utf8'));
    expect(outputs.IProductionExample.InputBucketName).toBe('iprod-example-input');
  }, 150_000);
});
