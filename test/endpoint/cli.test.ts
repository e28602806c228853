import { spawn } from 'child_process';
import * as path from 'path';
import { bannerLine, parseCliArgs, serverOptions } from './cli';
import { startLocalIce } from './index';

describe('local-ice CLI flags', () => {
  it.each<[string[], object]>([
    [[], { port: 8091 }],
    [['--port', '0'], { port: 0 }],
    [['--port=9000', '--qps-submit', '5', '--job-ms=400', '--exit-after', '2'], { port: 9000, qpsSubmit: 5, jobMs: 400, exitAfterSeconds: 2 }],
  ])('parses %j', (argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expect.objectContaining(expected));
  });

  it.each([
    [['--port', '70000'], /--port must be an integer between 0 and 65535, got "70000"/],
    [['--qps-submit', '0'], /--qps-submit must be a number > 0, got "0"/],
    [['--job-ms', 'soon'], /--job-ms must be a number >= 0, got "soon"/],
    [['--exit-after'], /--exit-after needs a value/],
    [['--verbose'], /unknown flag "--verbose"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('turns --job-ms into a quarter queuing and the rest running, and --qps-submit into the submit limit', () => {
    expect(serverOptions({ port: 0, jobMs: 401, qpsSubmit: 7 })).toEqual({
      port: 0,
      qps: { SubmitIProductionJob: 7 },
      timing: { queuingMs: 100, runningMs: 301 },
    });
  });

  it('prints the endpoint and the credentials to export', async () => {
    const ice = await startLocalIce();
    try {
      expect(bannerLine(ice)).toContain(`ICE_ENDPOINT=${ice.endpoint}`);
      expect(bannerLine(ice)).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIlocaltest ALIBABA_CLOUD_ACCESS_KEY_SECRET=local-secret');
    } finally {
      await ice.close();
    }
  });
});

describe('npm run local-ice', () => {
  it('starts, prints one line, and stops by itself with --exit-after', async () => {
    // GIVEN the CLI as npm runs it (ts-node --transpile-only)
    const root = path.resolve(__dirname, '../..');
    const child = spawn(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'test/endpoint/cli.ts', '--port', '0', '--exit-after', '0.5'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // WHEN it runs out its time
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // THEN it printed the endpoint line and a summary, and exited 0
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^local ICE endpoint http:\/\/127\.0\.0\.1:\d+ .*ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIlocaltest/);
    expect(lines[1]).toMatch(/^local ICE endpoint stopped: 0 requests/);
    expect(code).toBe(0);
  });
});
