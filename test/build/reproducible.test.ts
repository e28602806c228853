import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyCheckout, readTree, ROOT, runNode, treeDifferences, zoneEnv } from '../support/checkout';

const TS_NODE = require.resolve('ts-node/dist/bin');

/**
 * One build-and-synth per row, each in a fresh child process (TZ is read once per process) and its own checkout
 * path. The zones are the ones that broke or changed the zip: west of UTC (the DOS date fell before 1980), a
 * quarter-hour zone at +12:45, and a half-hour zone; the locales change what Intl and case mapping would do.
 */
const RUNS = [
  { tz: 'America/Los_Angeles', locale: 'en_US.UTF-8', dir: 'west/ros-cdk-iproduction' },
  { tz: 'Pacific/Chatham', locale: 'tr_TR.UTF-8', dir: 'chatham/a path with spaces/checkout' },
  { tz: 'Asia/Kolkata', locale: 'de_DE.UTF-8', dir: 'kolkata/x' },
] as const;

describe('bundle and synth in any time zone, locale and checkout path', () => {
  let tmp: string;
  let outputs: { zip: Buffer; assembly: Map<string, Buffer> }[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-reproducible-'));
    // GIVEN three checkouts at three paths, WHEN each bundles and synthesizes in its own zone and locale
    outputs = await Promise.all(RUNS.map(async (run) => {
      const checkout = copyCheckout(path.join(tmp, run.dir));
      const out = path.join(tmp, `${run.dir.replace(/\W+/g, '-')}.out`);
      const env = zoneEnv(run.tz, run.locale, { CDK_OUTDIR: out });
      await runNode([TS_NODE, '--transpile-only', 'scripts/bundle.ts'], checkout, env);
      await runNode([TS_NODE, '--transpile-only', 'bin/app.ts'], checkout, env);
      return { zip: fs.readFileSync(path.join(checkout, 'dist', 'bundle', 'runtime.zip')), assembly: readTree(out) };
    }));
  }, 300_000);

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('THEN the runtime zips are byte-identical to each other and to the one `npm test` built', () => {
    const built = fs.readFileSync(path.join(ROOT, 'dist', 'bundle', 'runtime.zip'));
    expect(outputs.map((o) => o.zip.equals(built))).toEqual(RUNS.map(() => true));
  });

  it('THEN every file of the cloud assembly is byte-identical across the three', () => {
    const [first, ...rest] = outputs.map((o) => o.assembly);
    expect([...first.keys()]).toEqual(expect.arrayContaining(['IProductionExample.template.json', 'manifest.json']));
    expect(rest.map((other) => treeDifferences(first, other))).toEqual(rest.map(() => []));
  });

  it('THEN no checkout path leaks into the assembly', () => {
    const text = [...outputs[0].assembly.values()].map((b) => b.toString('utf8')).join('\n');
    expect(text).not.toContain(tmp);
    expect(text).not.toContain(ROOT);
  });
});
