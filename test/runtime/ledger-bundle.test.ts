import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalOts, startLocalOts } from '../ots-endpoint';

const ROOT = path.resolve(__dirname, '..', '..');

/** What a fresh Node process does with the bundled ledger: the same calls the function will make. */
const SCRIPT = `
const { JobLedger } = require(process.env.BUNDLE);
(async () => {
  const ledger = new JobLedger({
    endpoint: process.env.OTS_ENDPOINT,
    instanceName: process.env.OTS_INSTANCE,
    credentials: { accessKeyId: process.env.AK, accessKeySecret: process.env.SK },
  });
  await ledger.ensureTable();
  const id = { bucket: 'media-in', objectKey: 'in/a.mp4', version: 'etag-1', preset: 'p' };
  const first = await ledger.record(id);
  const again = await ledger.record(id);
  const claimed = await ledger.claimSubmit(first.row);
  const page = await ledger.listOpen();
  process.stdout.write(JSON.stringify({ created: [first.created, again.created], state: claimed.row.state, open: page.rows.length }));
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
`;

describe('the ledger bundled as the function bundles its runtime', () => {
  let tmp: string;
  let ots: LocalOts;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-ledger-bundle-'));
    ots = await startLocalOts();
  });
  afterAll(async () => {
    await ots.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('GIVEN scripts/bundle.ts --entry lib/runtime/ledger.ts WHEN loaded in a fresh node process THEN the SDK works unchanged', async () => {
    // GIVEN
    const build = spawnSync(
      process.execPath,
      [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/bundle.ts', '--entry', 'lib/runtime/ledger.ts', '--outdir', tmp],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const js = fs.readFileSync(path.join(tmp, 'index.js'), 'utf8');
    // tablestore assigns to undeclared names: a leading "use strict" would turn them into ReferenceErrors
    expect(js.startsWith('"use strict"')).toBe(false);
    // WHEN (async: the endpoint answers from this process)
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', SCRIPT],
        {
          cwd: tmp,
          env: {
            PATH: process.env.PATH,
            BUNDLE: path.join(tmp, 'index.js'),
            OTS_ENDPOINT: ots.endpoint,
            OTS_INSTANCE: ots.instanceName,
            AK: ots.accessKeyId,
            SK: ots.accessKeySecret,
          },
        },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    // THEN
    expect(JSON.parse(out)).toEqual({ created: [true, false], state: 'Submitting', open: 1 });
    expect(ots.rows('iprod_jobs')).toHaveLength(1);
  });
});
