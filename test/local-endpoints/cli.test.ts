import { execFile } from 'child_process';
import * as path from 'path';
import { bannerLines, parseEndpointsArgs, startEndpoints } from './cli';

const ROOT = path.resolve(__dirname, '..', '..');

describe('local-endpoints CLI flags', () => {
  it.each<[string[], object]>([
    [[], { otsPort: 8092, mnsPort: 8093, queues: [], topics: [], verbose: false }],
    [
      ['--ots-port=0', '--mns-port', '0', '--queue', 'ice-callback-jobs', '--topic', 'results', '--subscribe', 'results:inbox:JSON', '--ledger-table', 'iprod_jobs'],
      { otsPort: 0, mnsPort: 0, queues: ['ice-callback-jobs'], topics: ['results'], subscriptions: [{ topic: 'results', queue: 'inbox', format: 'JSON' }], ledgerTable: 'iprod_jobs' },
    ],
    [['--subscribe', 'results:inbox'], { subscriptions: [{ topic: 'results', queue: 'inbox', format: 'SIMPLIFIED' }] }],
  ])('parses %j', (argv, expected) => {
    expect(parseEndpointsArgs(argv)).toEqual(expect.objectContaining(expected));
  });

  it.each([
    [['--ots-port', '70000'], /--ots-port must be an integer between 0 and 65535, got "70000"/],
    [['--queue', '9q'], /--queue must start with a letter/],
    [['--subscribe', 'results'], /--subscribe must be TOPIC:QUEUE or TOPIC:QUEUE:SIMPLIFIED\|XML\|JSON, got "results"/],
    [['--subscribe', 'a:b:YAML'], /got "a:b:YAML"/],
    [['--ledger-table', '1x'], /--ledger-table must be letters/],
    [['--exit-after'], /--exit-after needs a value/],
    [['--loud'], /unknown flag "--loud"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseEndpointsArgs(argv)).toThrow(message);
  });
});

describe('local-endpoints setup', () => {
  it('creates the queues, topics, subscriptions and ledger table asked for', async () => {
    const running = await startEndpoints(
      parseEndpointsArgs(['--ots-port', '0', '--mns-port', '0', '--queue', 'inbox', '--topic', 'results', '--subscribe', 'results:inbox', '--ledger-table', 'jobs']),
    );
    try {
      expect(running.ots.tableNames()).toEqual(['jobs']);
      expect(bannerLines(running.ots, running.mns)[0]).toContain(`local Tablestore endpoint ${running.ots.endpoint} instance iprod-local`);
      expect(bannerLines(running.ots, running.mns)[1]).toContain(`account ${running.mns.accountId}`);
    } finally {
      await running.close();
    }
  });

  it('refuses a subscription to a queue it was not asked to create, and closes what it started', async () => {
    await expect(startEndpoints(parseEndpointsArgs(['--ots-port', '0', '--mns-port', '0', '--topic', 't', '--subscribe', 't:missing']))).rejects.toThrow(
      /queue "missing" does not exist/,
    );
  });

  it('runs from the command line, prints both endpoints and stops by itself', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [require.resolve('ts-node/dist/bin'), '--transpile-only', 'test/local-endpoints/cli.ts', '--ots-port', '0', '--mns-port', '0', '--exit-after', '0.5'],
        { cwd: ROOT },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    expect(out).toMatch(/^local Tablestore endpoint http:\/\/127\.0\.0\.1:\d+ instance iprod-local/m);
    expect(out).toMatch(/^local MNS endpoint http:\/\/127\.0\.0\.1:\d+ account \d+/m);
    expect(out).toMatch(/^local endpoints stopped$/m);
  });
});
