import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { main, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from '../../bin/iprod';
import { FUNCTION_NAMES, MTS_FUNCTIONS } from '../../lib/jobs';
import { DEFAULT_ACCESS_KEY, startLocalIce, type LocalIce } from '../endpoint';

/**
 * A virtual clock for the local endpoint, moved by the CLI client's pauses instead of sleeping: jobs progress as
 * fast as the client polls. It starts at the real time because the endpoint checks request timestamps (15 min).
 */
const virtual = (() => {
  const base = Date.now();
  let elapsedMs = 0;
  return { now: () => base + elapsedMs, sleep: async (ms: number) => { elapsedMs += ms; } };
})();

interface Captured extends CliIo {
  out: string;
  err: string;
}

function capture(extra: Partial<CliIo> = {}): Captured {
  const io: Captured = {
    out: '',
    err: '',
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    env: {},
    sleep: virtual.sleep,
    ...extra,
  };
  return io;
}

const COVER = {
  FunctionName: 'Cover',
  Input: { Type: 'OSS', Media: 'oss://media-in/clips/talk.mp4' },
  Output: { Type: 'OSS', Media: 'oss://media-out/cover/{source}-{sequenceId}.jpg' },
  JobParams: { Model: 'gif' },
};

describe('iprod functions', () => {
  it('GIVEN no options THEN it prints a table of every catalogue function', async () => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(['functions'], io);
    // THEN
    expect(code).toBe(EXIT_OK);
    const lines = io.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FUNCTION\s+APIS\s+INPUT\s+OUTPUT\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([...FUNCTION_NAMES]);
    expect(lines).toHaveLength(FUNCTION_NAMES.length + 1); // the header, then one line each
    expect(lines.find((l) => l.startsWith('ImageCartoonize'))).toMatch(/^ImageCartoonize\s+mts\s+image/);
  });

  it.each([
    [['functions', '--json'], FUNCTION_NAMES.length],
    [['functions', '--json', '--api', 'mts'], MTS_FUNCTIONS.length],
  ])('GIVEN %j THEN it prints the catalogue as JSON', async (argv, count) => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(argv, io);
    // THEN
    expect(code).toBe(EXIT_OK);
    const parsed = JSON.parse(io.out);
    expect(parsed).toHaveLength(count);
    expect(parsed[0]).toMatchObject({ name: expect.any(String), apis: expect.any(Array), input: expect.any(Object), output: expect.any(Object) });
  });
});

describe('iprod validate', () => {
  let dir: string;
  const file = (name: string, content: unknown) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a valid ICE request', 'ok.json', COVER, [], EXIT_OK, /ok\.json: valid/, undefined],
    ['a bad priority', 'prio.json', { ...COVER, ScheduleConfig: { Priority: 0 } }, [], EXIT_FAILED, /1 error\(s\)/, /error\s+Priority: .*got 0/],
    ['an ICE-only function on MPS', 'mts.json', { FunctionName: 'MusicDemix', Input: 'oss://media-in.oss-cn-shanghai.aliyuncs.com/a.wav', Output: 'oss://media-out.oss-cn-shanghai.aliyuncs.com/{source}-{resultType}.wav', JobParams: '{}' }, ['--api', 'mts'], EXIT_FAILED, /error\(s\)/, /error\s+FunctionName: .*MPS/],
    ['a media producing request', 'mp.json', { TemplateId: 't1', ClipsParam: { a: 1 }, OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/o.mp4' } }, ['--kind', 'mediaProducing'], EXIT_OK, /valid/, undefined],
    ['a media producing request in another region', 'mp2.json', { TemplateId: 't1', ClipsParam: { a: 1 }, OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-beijing.aliyuncs.com/o.mp4' } }, ['--kind', 'mediaProducing', '--region', 'cn-shanghai'], EXIT_FAILED, /error/, /error\s+MediaURL: .*cn-shanghai/],
  ])('GIVEN %s THEN it reports issues and the exit code says whether it is valid', async (_name, fileName, content, flags, exit, out, err) => {
    // GIVEN
    const p = file(fileName, content);
    const io = capture();
    // WHEN
    const code = await main(['validate', p, ...flags], io);
    // THEN
    expect(code).toBe(exit);
    expect(io.out + io.err).toMatch(out);
    if (err) expect(io.err).toMatch(err);
  });

  it.each([
    ['env ALIBABA_CLOUD_REGION_ID', { ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }, [], EXIT_FAILED],
    ['--region over the env', { ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }, ['--region', 'cn-shanghai'], EXIT_OK],
    ['the cn-shanghai default', {}, [], EXIT_OK],
  ])('GIVEN a Shanghai bucket URL and %s THEN the same-region check uses that region', async (_name, env, flags, exit) => {
    // GIVEN
    const p = file('region.json', { ...COVER, Output: { Type: 'OSS', Media: 'https://media-out.oss-cn-shanghai.aliyuncs.com/cover/{sequenceId}.jpg' } });
    const io = capture({ env });
    // WHEN
    const code = await main(['validate', p, ...flags], io);
    // THEN
    expect(code).toBe(exit);
    if (exit === EXIT_FAILED) expect(io.err).toMatch(/cn-beijing/);
  });

  it.each([
    ['a missing file', () => ['validate', path.join(dir, 'nope.json')], /cannot read .*nope\.json/],
    ['a file that is not JSON', () => ['validate', file('bad.json', '{oops')], /bad\.json is not JSON/],
    ['no file', () => ['validate'], /validate needs exactly one request file/],
    ['an unknown flag', () => ['validate', 'x.json', '--fast'], /unknown option --fast/],
    ['a bad --api', () => ['validate', 'x.json', '--api', 'vod'], /--api must be ice or mts, got "vod"/],
    ['a bad --kind', () => ['validate', file('k.json', COVER), '--kind', 'edit'], /--kind must be iProduction or mediaProducing, got "edit"/],
    ['an unknown command', () => ['frobnicate'], /unknown command "frobnicate"/],
    ['a flag without its value', () => ['status', '--region'], /option --region needs a value/],
  ])('GIVEN %s THEN it exits 2 with the problem and the usage', async (_name, argv, message) => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(argv(), io);
    // THEN
    expect(code).toBe(EXIT_USAGE);
    expect(io.err).toMatch(message);
    expect(io.err).toMatch(/usage: iprod <command>/);
  });
});

describe('iprod against the local endpoint', () => {
  let ice: LocalIce;
  const saved: Record<string, string | undefined> = {};
  const CRED_ENV = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'];
  const target = () => ['--endpoint', ice.endpoint, '--protocol', 'http'];

  beforeAll(async () => {
    ice = await startLocalIce({
      now: virtual.now,
      failWhen: (job) => (job.params.Name === 'doomed' ? { Code: 'InvalidInput', Message: 'no video stream' } : undefined),
    });
    // The CLI takes credentials from the official default chain; its first link is the environment.
    for (const k of CRED_ENV) saved[k] = process.env[k];
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = DEFAULT_ACCESS_KEY.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = DEFAULT_ACCESS_KEY.accessKeySecret;
    delete process.env.ALIBABA_CLOUD_SECURITY_TOKEN;
  });
  afterAll(async () => {
    for (const k of CRED_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await ice.close();
  });

  const submitArgs = (...more: string[]) => [
    'submit', ...target(),
    '--function', 'Cover', '--input', 'oss://media-in/clips/talk.mp4', '--output', 'oss://media-out/cover/{source}-{sequenceId}.jpg',
    '--params', '{"Model":"gif"}', ...more,
  ];

  it('GIVEN a wait in a terminal THEN the elapsed time ticks every second between queries, and Ctrl-C stops the wait, not the job', async () => {
    // GIVEN a job that runs for an hour, a clock and a ticker the test drives, and a Ctrl-C it can press
    const slow = await startLocalIce({ timing: { runningMs: 3_600_000 } });
    try {
      const submit = capture();
      expect(await main(['submit', '--endpoint', slow.endpoint, '--protocol', 'http', '--function', 'Cover', '--input', 'oss://media-in/a.mp4', '--output', 'oss://media-out/c-{sequenceId}.jpg'], submit)).toBe(EXIT_OK);
      const jobId = /submitted job (\w+)/.exec(submit.out)![1];
      const clock = { ms: 0 };
      let tick: () => void = () => undefined;
      let press: () => void = () => undefined;
      let firstDraw: () => void = () => undefined;
      const drawn = new Promise<void>((resolve) => (firstDraw = resolve));
      const io = capture({
        // The client pauses for real here: Ctrl-C, not the hour-long job, must end this wait.
        sleep: undefined,
        isTTY: true,
        clockMs: () => clock.ms,
        ticker: (fn, ms) => {
          expect(ms).toBe(1000);
          tick = fn;
          return () => (tick = () => undefined);
        },
        onInterrupt: (fn) => {
          press = fn;
          return () => (press = () => undefined);
        },
      });
      const originalStdout = io.stdout;
      (io as { stdout: (t: string) => void }).stdout = (t: string) => {
        originalStdout(t);
        if (t.includes(`job ${jobId}:`)) firstDraw();
      };
      // WHEN the wait starts, three seconds pass with no query, and Ctrl-C is pressed
      const exit = main(['wait', jobId, '--endpoint', slow.endpoint, '--protocol', 'http'], io);
      await drawn;
      for (let s = 1; s <= 3; s++) {
        clock.ms = s * 1000;
        tick();
      }
      press();
      // THEN the line was redrawn with 1s, 2s, 3s, and the wait ends with 130 and how to resume
      expect(await exit).toBe(130);
      const draws = io.out.split('\r\x1b[K').filter(Boolean);
      expect(draws.slice(0, 4).map((d) => / \((\d+)s\)/.exec(d)?.[1])).toEqual(['0', '1', '2', '3']);
      const last = /: (Queuing|Analyzing) \(0s\)/.exec(draws[0])![1];
      expect(io.err).toBe(
        `iprod: interrupted: job ${jobId} keeps running on the service (last status: ${last}); to wait for it again: iprod wait ${jobId} --endpoint ${slow.endpoint} --protocol http\n`,
      );
      expect(slow.jobs[0].status).toMatch(/Queuing|Analyzing/);
    } finally {
      await slow.close();
    }
  });

  it('GIVEN submit --wait with stdout not a terminal THEN it prints plain progress lines and the final job', async () => {
    // GIVEN
    const io = capture({ isTTY: false });
    // WHEN
    const code = await main(submitArgs('--name', 'cli-cover', '--wait', '--timeout', '30'), io);
    // THEN
    expect(code).toBe(EXIT_OK);
    const [first, ...rest] = io.out.split('\n');
    const jobId = /^submitted job (\w+)$/.exec(first)![1];
    expect(io.out).not.toContain('\r');
    const progress = rest.filter((l) => l.startsWith('job '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[progress.length - 1]).toMatch(new RegExp(`^job ${jobId}: Success \\(\\d+s\\)$`));
    const json = io.out.slice(io.out.indexOf('{'));
    expect(JSON.parse(json)).toMatchObject({ JobId: jobId, Status: 'Success', Result: expect.any(Array) });
    expect(ice.jobs.find((j) => j.jobId === jobId)?.params.Name).toBe('cli-cover');
  });

  it('GIVEN submit --wait on a terminal THEN one progress line is rewritten in place', async () => {
    // GIVEN
    const io = capture({ isTTY: true });
    // WHEN
    const code = await main(submitArgs('--wait'), io);
    // THEN
    expect(code).toBe(EXIT_OK);
    expect(io.out).toMatch(/\r\x1b\[Kjob \w+: (Queuing|Analyzing)/);
    expect(io.out).toMatch(/\r\x1b\[Kjob \w+: Success \(\d+s\)\n\{/);
  });

  it('GIVEN an injected clock THEN the progress line shows its elapsed seconds', async () => {
    // GIVEN a clock that moves 5 s per reading
    let t = 0;
    const io = capture({ isTTY: false, clockMs: () => (t += 5000) - 5000 });
    // WHEN
    const code = await main(submitArgs('--wait'), io);
    // THEN the first poll is read 5 s after the start, each later one 5 s more
    expect(code).toBe(EXIT_OK);
    const seconds = io.out.split('\n').filter((l) => l.startsWith('job ')).map((l) => Number(/\((\d+)s\)$/.exec(l)![1]));
    expect(seconds[0]).toBe(5);
    expect(seconds.every((s, i) => i === 0 || s > seconds[i - 1])).toBe(true);
    expect(seconds.every((s) => s % 5 === 0)).toBe(true);
  });

  it('GIVEN a job that fails THEN submit --wait prints it and exits 1', async () => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(submitArgs('--name', 'doomed', '--wait'), io);
    // THEN
    expect(code).toBe(EXIT_FAILED);
    expect(io.out).toMatch(/"Status": "Fail"/);
    expect(io.err).toMatch(/ended with status Fail \(InvalidInput\)/);
  });

  it('GIVEN an invalid request THEN submit lists the issues, exits 1 and sends nothing', async () => {
    // GIVEN
    const io = capture();
    const before = ice.stats.totals.received;
    // WHEN
    const code = await main(['submit', ...target(), '--function', 'Cover', '--input', 'oss://media-in/a.mp4', '--output', 'oss://media-out/a.jpg', '--params', '{"Model":"png"}'], io);
    // THEN
    expect(code).toBe(EXIT_FAILED);
    expect(io.err).toMatch(/error\s+Model: .*"png"/);
    expect(io.err).toMatch(/not submitted/);
    expect(ice.stats.totals.received).toBe(before);
  });

  it('GIVEN a submitted job THEN status prints it', async () => {
    // GIVEN
    const submitted = capture();
    await main(submitArgs(), submitted);
    const jobId = /submitted job (\w+)/.exec(submitted.out)![1];
    const io = capture();
    // WHEN
    const code = await main(['status', jobId, ...target()], io);
    // THEN
    expect(code).toBe(EXIT_OK);
    expect(JSON.parse(io.out)).toMatchObject({ JobId: jobId, FunctionName: 'Cover', Status: expect.any(String) });
  });

  it('GIVEN a media producing request file THEN submit --request --kind mediaProducing --wait follows it to Success', async () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-cli-'));
    const p = path.join(dir, 'timeline.json');
    fs.writeFileSync(p, JSON.stringify({
      Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/a.mp4' }] }] },
      OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/out.mp4' },
    }));
    const io = capture();
    try {
      // WHEN
      const code = await main(['submit', ...target(), '--request', p, '--kind', 'mediaProducing', '--wait'], io);
      // THEN
      expect(code).toBe(EXIT_OK);
      expect(io.out).toMatch(/job \w+: Success/);
      expect(JSON.parse(io.out.slice(io.out.indexOf('{')))).toMatchObject({ Status: 'Success', MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/out.mp4' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN an unknown job THEN status exits 1 with the service error', async () => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(['status', 'ffffffffffffffffffffffffffffffff', ...target()], io);
    // THEN
    expect(code).toBe(EXIT_FAILED);
    expect(io.err).toMatch(/InvalidParameter\.JobNotFound/);
  });

  it('GIVEN an endpoint nobody listens on THEN the error names the endpoint', async () => {
    // GIVEN a port that was free a moment ago
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    // (retries without real pauses: the pause length is a setting, the behaviour is not)
    const io = capture({ env: { IPROD_RETRIES: '2', IPROD_RETRY_BASE_MS: '1' } });
    // WHEN
    const code = await main(['status', 'abc', '--endpoint', `127.0.0.1:${port}`, '--protocol', 'http'], io);
    // THEN each retry is shown as it happens, then one line names the endpoint and what to check
    expect(code).toBe(EXIT_FAILED);
    const lines = io.err.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^iprod: QueryIProductionJob attempt 1 failed \((Error: )?connect ECONNREFUSED 127\.0\.0\.1:\d+ \(POST http:\/\/127\.0\.0\.1:\d+\)\); retrying in 0\.0 s$/);
    expect(lines[2]).toBe(
      `iprod: cannot reach http://127.0.0.1:${port}: connection refused after 3 attempt(s). Check --endpoint/--protocol (or ICE_ENDPOINT/ICE_PROTOCOL) and --region, and that the service is running.`,
    );
  });
});

describe('iprod usage', () => {
  it.each([
    [['submit', '--function', 'Cover'], /submit needs --input, --output/],
    [['submit', '--function', 'Blur', '--input', 'a', '--output', 'b'], /--function must be one of Cover, .*got "Blur"/],
    [['submit', '--function', 'Cover', '--input', 'a', '--output', 'b', '--timeout', '5'], /--timeout only applies with --wait/],
    [['submit', '--function', 'Cover', '--input', 'a', '--output', 'b', '--wait', '--timeout', '-1'], /--timeout must be a number of seconds greater than 0, got "-1"|option --timeout needs a value|unknown option -1/],
    [['submit', '--function', 'Cover', '--input', 'a', '--output', 'b', '--params', '{x'], /--params must be JSON, got "\{x"/],
    [['submit', '--api', 'mts', '--function', 'Cover', '--input', 'a', '--output', 'b', '--name', 'n'], /--name is not supported with --api mts/],
    [['status', 'abc', '--protocol', 'ftp'], /--protocol must be http or https, got "ftp"/],
    [['status', 'abc', '--endpoint', 'https://x'], /--endpoint must be host\[:port\] without scheme, got "https:\/\/x"/],
    [['status', 'abc', '--region', 'Shanghai'], /--region must look like cn-shanghai, got "Shanghai"/],
    [['status', 'abc', '--kind', 'mediaProducing', '--api', 'mts'], /--kind mediaProducing needs --api ice/],
  ])('GIVEN %j THEN it exits 2 naming the problem', async (argv, message) => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(argv, io);
    // THEN
    expect(code).toBe(EXIT_USAGE);
    expect(io.err).toMatch(message);
  });

  it('GIVEN --help THEN it prints the usage and exits 0', async () => {
    // GIVEN
    const io = capture();
    // WHEN / THEN
    expect(await main(['submit', '--help'], io)).toBe(EXIT_OK);
    expect(io.out).toMatch(/submit --function F --input URL --output URL/);
  });

  it('GIVEN no command THEN it prints the usage on stderr and exits 2', async () => {
    // GIVEN
    const io = capture();
    // WHEN / THEN
    expect(await main([], io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(/usage: iprod/);
  });

  it('GIVEN policy-report THEN it is handed to the policy command', async () => {
    // GIVEN
    const io = capture();
    // WHEN
    const code = await main(['policy-report', '--help'], io);
    // THEN the policy command answered, not the dispatcher
    expect(typeof code).toBe('number');
    expect(io.err).not.toMatch(/unknown command/);
    expect(io.out + io.err).toMatch(/policy/i);
  });
});
