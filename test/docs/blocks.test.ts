import * as fs from 'fs';
import * as path from 'path';
import { startLocalIce } from '../endpoint';
import { bannerLine, parseCliArgs, serverOptions } from '../endpoint/cli';
import { parseEndpointsArgs, startEndpoints } from '../local-endpoints/cli';
import { ROOT } from '../support/checkout';
import { docFences, type DocFence } from '../support/doc-examples';

/**
 * The fenced blocks of README.md and docs/*.md that are not TypeScript (test/docs/examples.test.ts runs those):
 * each is run as written by a named test, or is listed here as not run, with why. A new block fails this test
 * until it is one or the other, so what "every example runs" leaves out stays in sight.
 */
type Verdict =
  /** Run as written by this test (which reads the doc). */
  | { readonly runBy: string }
  /** Not run as written, but what it states is checked by this test (which reads the doc): `how` says how far. */
  | { readonly checkedBy: string; readonly how: string }
  | { readonly notRun: string };

const BLOCKS: readonly (Verdict & { readonly doc: string; readonly contains: string })[] = [
  { doc: 'README.md', contains: 'npm ci && npm run synth', notRun: "this repository's own build and test: CI runs npm ci and npm test (.ci/run, checked by test/readme.test.ts), every landing runs npm run synth" },
  { doc: 'README.md', contains: '# terminal 1: a local ICE-compatible endpoint', runBy: 'test/readme.test.ts' },
  { doc: 'README.md', contains: '# terminal 1: a local ROS-compatible endpoint', runBy: 'test/deploy/readme.test.ts' },
  { doc: 'README.md', contains: 'npx iprod policy-report cdk.out --format sarif', notRun: 'each npx start costs about 1.4 s; the same policy-report options run in-process in test/policy/cli.test.ts' },
  { doc: 'docs/ARCHITECTURE.md', contains: 'lib/service/    facts about the cloud', notRun: 'a directory map' },
  { doc: 'docs/bench.md', contains: 'npm run bench', notRun: 'the benchmarks take minutes and are not part of npm test by design' },
  { doc: 'docs/cli.md', contains: 'npm run build                       # tsc + runtime bundle', notRun: 'npm test builds first; test/cli/iprod-built.test.ts runs dist/bin/iprod.js' },
  { doc: 'docs/cli.md', contains: 'export ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...', notRun: "against the cloud, with the reader's keys and job id; test/cli/iprod-built.test.ts runs each command against the local endpoint" },
  { doc: 'docs/cli.md', contains: '$ iprod wait 6d01feac748c7d212391675b3f5d278c\n', notRun: 'a terminal transcript (output), not commands' },
  { doc: 'docs/cli.md', contains: '$ iprod wait 6d01feac748c7d212391675b3f5d278c --kind mediaProducing', notRun: 'a terminal transcript (output), not commands' },
  { doc: 'docs/cli.md', contains: '$ iprod status abc --endpoint 127.0.0.1:9', notRun: 'a terminal transcript (output), not commands' },
  { doc: 'docs/cli.md', contains: 'iprod callbacks show [--json]', notRun: 'a usage synopsis; test/cli/callbacks.test.ts runs the commands against the local endpoint' },
  { doc: 'docs/cli.md', contains: 'export OTS_INSTANCE=acme-media OTS_TABLE=iprod_jobs', notRun: "against the reader's Tablestore instance and rows (3f0c...e1); test/cli/jobs.test.ts runs list and get against the local Tablestore endpoint" },
  { doc: 'docs/cli.md', contains: 'npm run local-ice        # prints', runBy: 'test/cli/docs-local-endpoint.test.ts' },
  { doc: 'docs/constructs-mns-mps-grants.md', contains: '"Action": ["ice:QueryIProductionJob"', checkedBy: 'test/docs/examples.test.ts', how: 'the statements compared with the template the example above synthesizes' },
  { doc: 'docs/ledger.md', contains: 'Received ──► Submitting', notRun: 'a state diagram (test/runtime/ledger.test.ts tests the transitions)' },
  { doc: 'docs/local-endpoint.md', contains: 'npm run local-ice -- --port 8091 --job-ms 2000', checkedBy: 'test/docs/blocks.test.ts', how: "the command's flags through the CLI's parser, and the line it prints; not the npm script (test/endpoint/cli.test.ts starts that)" },
  { doc: 'docs/local-endpoints.md', contains: 'npm run local-endpoints -- --ots-port 8092', checkedBy: 'test/docs/blocks.test.ts', how: "the command's flags through the CLI's parser and setup; not the npm script (test/local-endpoints/cli.test.ts starts that)" },
  { doc: 'docs/policy.md', contains: 'npm run synth                                   # writes cdk.out/', notRun: 'each npx start costs about 1.4 s; the same policy-report options run in-process in test/policy/cli.test.ts' },
  { doc: 'docs/policy.md', contains: '- run: npm run synth', notRun: 'GitHub Actions steps' },
  { doc: 'docs/policy.md', contains: '{ version: 1, tool: {name, version}', notRun: 'a sketch of the JSON report (test/policy/reports.test.ts tests the report)' },
  { doc: 'docs/runtime-handler.md', contains: '{ "action": "submit",', notRun: 'an event as FC delivers it; test/runtime/handler-events.test.ts drives the handler with these shapes' },
  { doc: 'docs/runtime-handler.md', contains: '{ "notification": {', notRun: 'the shape of an answer (with ... for values)' },
  { doc: 'docs/runtime-handler.md', contains: '{"requestId":"c0ffee"', notRun: 'a log line (test/runtime/handler.test.ts checks the log lines)' },
];

const fences = docFences(ROOT).filter((f) => f.lang !== 'ts');
const verdictOf = (f: DocFence) => BLOCKS.filter((b) => b.doc === f.doc && f.code.includes(b.contains));

describe('README and docs blocks that are not TypeScript', () => {
  it.each(fences.map((f) => [f.doc, f.line, f.lang || 'plain', f] as const))('%s line %d (%s) is run by a test or listed as not run', (_doc, _line, _lang, fence) => {
    // THEN exactly one entry says what becomes of it
    expect(verdictOf(fence).map((b) => b.contains)).toHaveLength(1);
    const [verdict] = verdictOf(fence);
    const test = 'runBy' in verdict ? verdict.runBy : 'checkedBy' in verdict ? verdict.checkedBy : undefined;
    // AND a test named reads that doc
    if (test !== undefined) expect(fs.readFileSync(path.join(ROOT, test), 'utf8')).toContain(path.basename(fence.doc));
  });

  it('lists no block that is gone', () => {
    expect(BLOCKS.filter((b) => !fences.some((f) => f.doc === b.doc && f.code.includes(b.contains))).map((b) => `${b.doc}: ${b.contains}`)).toEqual([]);
  });
});

describe('docs/local-endpoint.md "From the command line"', () => {
  it('the command starts an endpoint that prints the line the doc shows (the port aside)', async () => {
    // GIVEN the block's command and the line under it
    const block = fences.find((f) => f.doc === 'docs/local-endpoint.md' && f.code.startsWith('npm run local-ice'))!;
    const [command, printed] = block.code.trim().split('\n');
    const cli = parseCliArgs(command.replace(/^npm run local-ice -- /, '').split(' '));
    // WHEN the CLI's options start it (on a free port: 8091 may be taken on a shared machine)
    const ice = await startLocalIce({ ...serverOptions(cli), port: 0 });
    try {
      // THEN
      expect(cli.port).toBe(8091);
      expect(`# ${bannerLine(ice).split(ice.endpoint).join('127.0.0.1:8091')}`).toBe(printed);
    } finally {
      await ice.close();
    }
  });
});

describe('docs/local-endpoints.md', () => {
  it("the command's flags parse and set up the queues, topics, subscription and ledger table they name", async () => {
    // GIVEN the command as the doc writes it (continuation lines joined)
    const block = fences.find((f) => f.doc === 'docs/local-endpoints.md')!;
    const argv = block.code.replace(/\\\n/g, ' ').trim().replace(/^npm run local-endpoints -- /, '').split(/\s+/);
    // WHEN its flags are parsed and the endpoints started (on free ports)
    const cli = parseEndpointsArgs(argv);
    const running = await startEndpoints({ ...cli, otsPort: 0, mnsPort: 0 });
    try {
      // THEN
      expect(cli).toMatchObject({ otsPort: 8092, mnsPort: 8093, queues: ['ice-callback-jobs', 'app-inbox'], topics: ['results'], ledgerTable: 'iprod_jobs', verbose: true });
      expect(running.ots.tableNames()).toEqual(['iprod_jobs']);
      expect(running.mns.messages('app-inbox')).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
