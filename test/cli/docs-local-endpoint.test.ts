import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { startLocalIce, type LocalIce } from '../endpoint';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');

describe('docs/cli.md "Against the local endpoint"', () => {
  let ice: LocalIce;
  beforeAll(async () => {
    ice = await startLocalIce({ timing: { queuingMs: 20, runningMs: 50 } });
  });
  afterAll(async () => {
    await ice.close();
  });

  it('runs as written against the local endpoint (only the port changed; the endpoint is started in-process)', async () => {
    // GIVEN the block's commands after `npm run local-ice` (which this test replaces with an in-process endpoint)
    const section = DOC.slice(DOC.indexOf('## Against the local endpoint'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
    const script = block.split('\n').filter((l) => !l.startsWith('npm run local-ice')).join('\n').replace(/127\.0\.0\.1:8091/g, ice.endpoint);
    expect(script).toContain('node dist/bin/iprod.js submit');
    // WHEN it runs in a shell that stops at the first failing command
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: ROOT, timeout: 60_000 }, (err, out, errOut) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: out, stderr: errOut }));
    });
    // THEN the submit was accepted and waited to Success
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/"Status": "Success"/);
  });
});
