/**
 * `iprod jobs list|get`: the built CLI (dist/bin/iprod.js) as a child process reading a ledger that JobLedger wrote
 * into the local Tablestore endpoint, over loopback through the official `tablestore` SDK.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runBuiltCli as run } from '../support/built-cli';
import { JobLedger, type LedgerRow } from '../../lib/runtime/ledger';
import { DEFAULT_OTS_KEY, startLocalOts, type LocalOts } from '../ots-endpoint';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const HOUR = 3_600_000;


describe('iprod jobs (built CLI, local Tablestore endpoint)', () => {
  let ots: LocalOts;
  let env: Record<string, string>;
  const rows: Record<string, LedgerRow> = {};

  beforeAll(async () => {
    ots = await startLocalOts();
    let now = T0;
    const ledger = new JobLedger({
      endpoint: ots.endpoint,
      instanceName: ots.instanceName,
      tableName: 'media_jobs',
      credentials: { accessKeyId: DEFAULT_OTS_KEY.accessKeyId, accessKeySecret: DEFAULT_OTS_KEY.accessKeySecret },
      now: () => now,
    });
    await ledger.ensureTable();
    const add = async (name: string, objectKey: string, preset: string, end: (r: LedgerRow) => Promise<LedgerRow | undefined>) => {
      now += HOUR;
      const { row } = await ledger.record({ bucket: 'media-in', objectKey, version: `etag-${name}`, preset }, { request: { FunctionName: 'Cover' } });
      rows[name] = (await end(row)) ?? row;
    };
    const succeed = async (r: LedgerRow, result: unknown) => {
      const claimed = await ledger.claimSubmit(r);
      const submitted = await ledger.markSubmitted(claimed.row!, `job-${r.objectKey.length}`);
      return (await ledger.complete(submitted.row!, 'Success', { status: 'Success', result: JSON.stringify(result) })).row;
    };
    await add('cover', 'input/talk.mp4', 'cover', (r) => succeed(r, { OutputUrls: ['oss://media-out/cover/talk-1.jpg'] }));
    await add('clip', 'input/talk.mp4', 'clip', async (r) => {
      const claimed = await ledger.claimSubmit(r);
      const submitted = await ledger.markSubmitted(claimed.row!, 'job-clip');
      return (await ledger.complete(submitted.row!, 'Fail', { status: 'Fail', errorCode: 'InvalidInput', reason: 'no video stream' })).row;
    });
    await add('open', 'input/later.mp4', 'cover', async () => undefined);
    await add('other', 'archive/old.mp4', 'cover', async (r) => (await ledger.markDelivered((await succeed(r, { OutputUrls: ['oss://media-out/cover/old-1.jpg'] }))!)).row);
    await add('rejected', 'input/bad.txt', 'cover', async (r) => (await ledger.reject(r, 'not a video', 'UnsupportedInput')).row);
    env = {
      PATH: process.env.PATH ?? '',
      HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-home-')),
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_OTS_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_OTS_KEY.accessKeySecret,
      OTS_ENDPOINT: ots.endpoint,
      OTS_INSTANCE: ots.instanceName,
      OTS_TABLE: 'media_jobs',
    };
  });
  afterAll(async () => {
    await ots.close();
  });

  const ids = (stdout: string) => (JSON.parse(stdout).rows as { id: string }[]).map((r) => r.id);

  it('lists every row oldest first, and filters by status, key prefix and time', async () => {
    const all = await run(['jobs', 'list', '--json'], env);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(ids(all.stdout)).toEqual(['cover', 'clip', 'open', 'other', 'rejected'].map((n) => rows[n].id));

    const done = await run(['jobs', 'list', '--status', 'Success,Fail', '--prefix', 'input/', '--json'], env);
    expect(ids(done.stdout)).toEqual([rows.cover.id, rows.clip.id]);
    const cover = JSON.parse(done.stdout).rows[0];
    expect(cover).toMatchObject({ state: 'Success', objectKey: 'input/talk.mp4', result: { OutputUrls: ['oss://media-out/cover/talk-1.jpg'] }, createdAt: '2026-11-01T01:00:00.000Z' });

    // Rows 3..5 were created at 03:00, 04:00, 05:00.
    const since = await run(['jobs', 'list', '--since', '2026-11-01T03:00:00Z', '--until', '2026-11-01T05:00:00Z', '--json'], env);
    expect(ids(since.stdout)).toEqual([rows.open.id, rows.other.id]);

    const limited = await run(['jobs', 'list', '--limit', '2', '--json'], env);
    expect(JSON.parse(limited.stdout).rows).toHaveLength(2);
    expect(JSON.parse(limited.stdout).more).toBe(true);

    const open = await run(['jobs', 'list', '--open', '--json'], env);
    // Open = not yet terminal and delivered: only the delivered row drops out.
    expect(rows.other.delivered).toBe(true);
    expect(ids(open.stdout)).toEqual(['cover', 'clip', 'open', 'rejected'].map((n) => rows[n].id));
  });

  it('prints a table for people', async () => {
    const text = await run(['jobs', 'list', '--status', 'Rejected'], env);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+JOB\s+CREATED\s+PRESET\s+OBJECT$/);
    expect(lines[1]).toMatch(new RegExp(`^${rows.rejected.id}\\s+Rejected\\s+-\\s+2026-11-01T05:00:00Z\\s+cover\\s+input/bad.txt$`));
    expect(lines[2]).toBe('1 row(s)');
  });

  it('gets a row by id with its typed result, and every row of an object key', async () => {
    const byId = await run(['jobs', 'get', rows.cover.id, '--json'], env);
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({ id: rows.cover.id, state: 'Success', jobId: rows.cover.jobId, result: { OutputUrls: ['oss://media-out/cover/talk-1.jpg'] }, request: { FunctionName: 'Cover' } });

    const byKey = await run(['jobs', 'get', 'input/talk.mp4'], env);
    expect(byKey.code).toBe(0);
    const both = JSON.parse(byKey.stdout) as { preset: string; state: string; errorCode?: string }[];
    expect(both.map((r) => [r.preset, r.state, r.errorCode])).toEqual([['cover', 'Success', undefined], ['clip', 'Fail', 'InvalidInput']]);

    const none = await run(['jobs', 'get', 'input/talk'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no ledger row for object key "input/talk"');
  });

  it('refuses bad options before any call, naming the option and the value', async () => {
    const before = JSON.stringify(ots.stats);
    const status = await run(['jobs', 'list', '--status', 'Done'], env);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status must be states among Received, Submitting, Submitted, Success, Fail, Rejected, Unknown');
    const since = await run(['jobs', 'list', '--since', '2026-11-01'], env);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since must be an ISO 8601 time with a zone');
    const noInstance = { ...env };
    delete noInstance.OTS_INSTANCE;
    const missing = await run(['jobs', 'list'], noInstance);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--instance NAME or env OTS_INSTANCE');
    expect(JSON.stringify(ots.stats)).toEqual(before);
  });
});
