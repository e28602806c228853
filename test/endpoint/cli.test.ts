import { spawn } from 'child_process';
import * as path from 'path';
import { bannerLine, parseCliArgs, requestLine, serverOptions } from './cli';
import { LocalIce, startLocalIce } from './index';
import { sdkCall, sdkClient } from './sdk';

describe('local-ice CLI flags', () => {
  it.each<[string[], object]>([
    [[], { port: 8091 }],
    [['--port', '0'], { port: 0 }],
    [['--port=9000', '--qps-submit', '5', '--job-ms=400', '--exit-after', '2'], { port: 9000, qpsSubmit: 5, jobMs: 400, exitAfterSeconds: 2, verbose: false }],
    [['--verbose'], { port: 8091, verbose: true }],
  ])('parses %j', (argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expect.objectContaining(expected));
  });

  it.each([
    [['--port', '70000'], /--port must be an integer between 0 and 65535, got "70000"/],
    [['--qps-submit', '0'], /--qps-submit must be a number > 0, got "0"/],
    [['--job-ms', 'soon'], /--job-ms must be a number >= 0, got "soon"/],
    [['--exit-after'], /--exit-after needs a value/],
    [['--loud'], /unknown flag "--loud"/],
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

  it.each([
    [{ requestId: 'R', action: 'SubmitIProductionJob', api: 'ice' as const, statusCode: 200, jobId: 'j1' }, '200 ice SubmitIProductionJob job=j1'],
    [{ requestId: 'R', action: 'SubmitIProductionJob', api: 'ice' as const, statusCode: 400, code: 'Throttling.User' }, '400 ice SubmitIProductionJob Throttling.User'],
    [{ requestId: 'R', action: 'QueryIProductionJob', api: 'mts' as const, statusCode: 0, fault: 'reset-before' as const }, 'reset mts QueryIProductionJob fault=reset-before'],
    [{ requestId: 'R', statusCode: 400, code: 'MissingParameter' }, '400 - - MissingParameter'],
  ])('--verbose prints %j as %j', (record, line) => {
    expect(requestLine(record)).toBe(line);
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
  it('starts, prints one line, logs requests with --verbose, and stops by itself with --exit-after', async () => {
    // GIVEN the CLI as npm runs it (ts-node --transpile-only)
    const root = path.resolve(__dirname, '../..');
    const child = spawn(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'test/endpoint/cli.ts', '--port', '0', '--exit-after', '2', '--verbose'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let asked = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port && !asked) {
        asked = true;
        // WHEN one signed request arrives (with the printed credentials)
        const client = sdkClient({ endpoint: `127.0.0.1:${port}`, accessKeyId: 'LTAIlocaltest', accessKeySecret: 'local-secret' } as LocalIce);
        void sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: 'nope' } }).catch(() => undefined);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // THEN it printed the endpoint line, the request, a summary, and exited 0
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^local ICE endpoint http:\/\/127\.0\.0\.1:\d+ .*ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIlocaltest/);
    expect(lines[1]).toBe('404 ice QueryIProductionJob InvalidParameter.JobNotFound job=nope');
    expect(lines[2]).toMatch(/^local ICE endpoint stopped: 1 requests, 0 accepted/);
    expect(code).toBe(0);
  });
});
