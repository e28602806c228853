import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalOts, startLocalOts } from '../ots-endpoint';
import { LocalMns, startLocalMns } from '../mns-endpoint';

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

const MNS_SCRIPT = `
const { MnsPublisher, MnsQueueConsumer, decodeEnvelope } = require(process.env.BUNDLE);
(async () => {
  const base = { accountId: process.env.ACCOUNT, endpoint: process.env.MNS_ENDPOINT, credentials: { accessKeyId: process.env.AK, accessKeySecret: process.env.SK } };
  await new MnsPublisher({ ...base, topicName: 'results' }).publish({ dedupeId: 'row-1', payload: { Status: 'Success' } });
  const consumer = new MnsQueueConsumer({ ...base, queueName: 'inbox' });
  const [m] = await consumer.receive({ waitSeconds: 1 });
  const deleted = await consumer.delete(m.receiptHandle);
  process.stdout.write(JSON.stringify({ envelope: decodeEnvelope(m.body), deleted }));
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
`;

function bundle(entry: string, outdir: string): string {
  const build = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/bundle.ts', '--entry', entry, '--outdir', outdir],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(build.stderr).toBe('');
  expect(build.status).toBe(0);
  return path.join(outdir, 'index.js');
}

/** Runs a script in a fresh Node process; async, because the endpoint answers from this process. */
function run(script: string, env: Record<string, string>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe('the ledger and the MNS wrapper bundled as the function bundles its runtime', () => {
  let tmp: string;
  let ots: LocalOts;
  let mns: LocalMns;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-ledger-bundle-'));
    ots = await startLocalOts();
    mns = await startLocalMns({ msPerWaitSecond: 20 });
  });
  afterAll(async () => {
    await ots.close();
    await mns.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('GIVEN scripts/bundle.ts --entry lib/runtime/ledger.ts WHEN loaded in a fresh node process THEN the tablestore SDK works unchanged', async () => {
    // GIVEN
    const file = bundle('lib/runtime/ledger.ts', path.join(tmp, 'ledger'));
    // tablestore assigns to undeclared names: a leading "use strict" would turn them into ReferenceErrors
    expect(fs.readFileSync(file, 'utf8').startsWith('"use strict"')).toBe(false);
    // WHEN
    const out = await run(SCRIPT, {
      BUNDLE: file,
      OTS_ENDPOINT: ots.endpoint,
      OTS_INSTANCE: ots.instanceName,
      AK: ots.accessKeyId,
      SK: ots.accessKeySecret,
    });
    // THEN
    expect(JSON.parse(out)).toEqual({ created: [true, false], state: 'Submitting', open: 1 });
    expect(ots.rows('iprod_jobs')).toHaveLength(1);
  });

  it('GIVEN scripts/bundle.ts --entry lib/runtime/mns.ts WHEN loaded in a fresh node process THEN @alicloud/mns publishes and consumes', async () => {
    // GIVEN
    const file = bundle('lib/runtime/mns.ts', path.join(tmp, 'mns'));
    mns.createTopic('results');
    mns.createQueue('inbox');
    mns.subscribe({ topic: 'results', name: 'app', queue: 'inbox', notifyContentFormat: 'SIMPLIFIED' });
    // WHEN
    const out = await run(MNS_SCRIPT, { BUNDLE: file, ACCOUNT: mns.accountId, MNS_ENDPOINT: mns.endpoint, AK: mns.accessKeyId, SK: mns.accessKeySecret });
    // THEN
    expect(JSON.parse(out)).toEqual({ envelope: { dedupeId: 'row-1', payload: { Status: 'Success' } }, deleted: true });
    expect(mns.messages('inbox')).toEqual([]);
  });
});
