import {
  JobIdentity,
  JobLedger,
  JobLedgerOptions,
  LedgerError,
  ledgerRowId,
  ledgerToken,
  otsErrorCode,
  parseLedgerToken,
} from '../../lib/runtime/ledger';
import { LocalOts, encodeError, startLocalOts } from '../ots-endpoint';

let ots: LocalOts;
let slept: number[];

function ledger(extra: Partial<JobLedgerOptions> = {}): JobLedger {
  let n = 0;
  const name = extra.tableName ?? 'iprod_jobs';
  return new JobLedger({
    endpoint: ots.endpoint,
    instanceName: ots.instanceName,
    credentials: { accessKeyId: ots.accessKeyId, accessKeySecret: ots.accessKeySecret },
    tableName: name,
    now: () => 1_700_000_000_000 + n,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    newWriteId: (() => {
      const tag = Math.random().toString(16).slice(2, 8);
      return () => `${tag}-${++n}`;
    })(),
    ...extra,
  });
}

const identity = (key = 'in/a.mp4', preset = 'highlights'): JobIdentity => ({
  bucket: 'media-in',
  objectKey: key,
  version: '"9b2cf535f27731c974343645a3985328"',
  preset,
});

beforeEach(async () => {
  ots = await startLocalOts();
  slept = [];
  await ledger().ensureTable();
});

afterEach(async () => {
  await ots.close();
});

describe('JobLedger.record: one row per (bucket, object, version, preset)', () => {
  it('creates the row once; the same event again finds it and creates nothing', async () => {
    // GIVEN a ledger
    const l = ledger();
    // WHEN the same upload event is recorded twice, and once more under another preset
    const first = await l.record(identity(), { request: { FunctionName: 'VideoHighlights' } });
    const second = await l.record(identity());
    const other = await l.record(identity('in/a.mp4', 'thumbnails'));
    // THEN
    expect(first.created).toBe(true);
    expect(first.row).toMatchObject({ state: 'Received', rev: 1, attempts: 0, open: true, delivered: false, objectKey: 'in/a.mp4' });
    expect(JSON.parse(first.row.request ?? '')).toEqual({ FunctionName: 'VideoHighlights' });
    expect(second).toEqual({ created: false, row: first.row });
    expect(other.created).toBe(true);
    expect(ots.rows('iprod_jobs')).toHaveLength(2);
  });

  it('lets exactly one of many concurrent duplicates (two instances) create the row', async () => {
    const a = ledger();
    const b = ledger();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).record(identity())));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.row.writeId)).size).toBe(1);
    expect(ots.rows('iprod_jobs')).toHaveLength(1);
  });

  it('recognises its own write when the answer was lost after the row landed (reset after write)', async () => {
    // GIVEN the first PutRow lands but its connection is reset
    ots.setFault({ kind: 'reset-after', operation: 'PutRow', count: 1 });
    const l = ledger();
    // WHEN recorded
    const result = await l.record(identity());
    // THEN the resend meets OTSConditionCheckFail, re-reads, finds its own write id: created, once
    expect(result.created).toBe(true);
    expect(ots.stats.PutRow).toMatchObject({ received: 2, ok: 1, conditionFailed: 1 });
    expect(l.calls).toMatchObject({ writes: 2, conditionFailed: 1, retries: 1 });
    expect(slept).toEqual([50]);
  });

  it('resends through 503s and resets before the write, with backoff from the injected sleep', async () => {
    ots.setFault({ kind: 'status-503', operation: 'PutRow', count: 2 });
    ots.setFault({ kind: 'reset-before', operation: 'PutRow', count: 1 });
    const result = await ledger().record(identity());
    expect(result.created).toBe(true);
    expect(slept).toEqual([50, 100, 200]);
    expect(ots.rows('iprod_jobs')).toHaveLength(1);
  });

  it('gives up with LedgerError(unavailable) once retries are spent, naming the code', async () => {
    ots.setFault({ kind: 'status-503', operation: 'PutRow' });
    const err = await ledger({ retry: { retries: 2 } }).record(identity()).catch((e) => e);
    expect(err).toBeInstanceOf(LedgerError);
    expect(err).toMatchObject({ kind: 'unavailable', code: 'OTSServerUnavailable' });
    expect(err.message).toMatch(/after 3 attempt\(s\)/);
  });

  it('fails permanently, without resending, when the table does not exist', async () => {
    const err = await ledger({ tableName: 'missing' }).record(identity()).catch((e) => e);
    expect(err).toMatchObject({ kind: 'permanent', code: 'OTSObjectNotExist' });
    expect(slept).toEqual([]);
  });

  it.each([
    [{ ...identity(), bucket: '' }, /bucket must be a non-empty string, got ""/],
    [{ ...identity(), version: undefined }, /version must be a non-empty string, got undefined/],
    [{ ...identity(), objectKey: 'k'.repeat(1024) }, /objectKey must be at most 1023 bytes of UTF-8, got 1024/],
  ])('refuses a bad identity %#, naming the field', async (bad, message) => {
    await expect(ledger().record(bad as JobIdentity)).rejects.toThrow(message);
    expect(ots.rows('iprod_jobs')).toEqual([]);
  });
});

describe('JobLedger transitions: compare-and-set on (state, rev)', () => {
  it('walks Received → Submitting → Submitted → Success, then delivers once', async () => {
    const l = ledger();
    const { row } = await l.record(identity());
    const claimed = await l.claimSubmit(row);
    expect(claimed.moved).toBe(true);
    const submitting = claimed.row!;
    expect(submitting).toMatchObject({ state: 'Submitting', rev: 2, attempts: 1, token: ledgerToken(row.id, 1) });
    const submitted = (await l.markSubmitted(submitting, 'job-1')).row!;
    const done = await l.complete(submitted, 'Success', { status: 'Success', result: '{"Status":"Success"}' });
    expect(done.row).toMatchObject({ state: 'Success', jobId: 'job-1', rev: 4, open: true, delivered: false });
    const open = await l.listOpen();
    expect(open.rows.map((r) => r.id)).toEqual([row.id]);
    const delivered = await l.markDelivered(done.row!);
    const again = await l.markDelivered(delivered.row!);
    expect(delivered.row).toMatchObject({ delivered: true, open: false, state: 'Success' });
    expect(again.moved).toBe(false);
    expect((await l.listOpen()).rows).toEqual([]);
    expect(await l.get(row.id)).toEqual(delivered.row);
  });

  it('lets only one of two instances holding the same read move the row', async () => {
    const a = ledger();
    const b = ledger();
    const { row } = await a.record(identity());
    const [ra, rb] = await Promise.all([a.claimSubmit(row), b.claimSubmit(row)]);
    expect([ra.moved, rb.moved].sort()).toEqual([false, true]);
    const loser = ra.moved ? rb : ra;
    expect(loser.row).toMatchObject({ state: 'Submitting', attempts: 1 });
    expect(ots.rows('iprod_jobs')[0].attributes).toMatchObject({ state: 'Submitting', rev: 2n, attempts: 1n });
  });

  it('refuses a stale read: a row moved since it was read does not move again', async () => {
    const l = ledger();
    const { row } = await l.record(identity());
    const claimed = (await l.claimSubmit(row)).row!;
    await l.markSubmitted(claimed, 'job-1');
    const stale = await l.markSubmitted(claimed, 'job-2');
    expect(stale).toMatchObject({ moved: false, row: { state: 'Submitted', jobId: 'job-1' } });
  });

  it('recognises its own transition when the answer was lost (reset after the update landed)', async () => {
    const l = ledger();
    const { row } = await l.record(identity());
    ots.setFault({ kind: 'reset-after', operation: 'UpdateRow', count: 1 });
    const claimed = await l.claimSubmit(row);
    expect(claimed).toMatchObject({ moved: true, row: { state: 'Submitting', rev: 2, attempts: 1 } });
    expect(ots.stats.UpdateRow).toMatchObject({ received: 2, ok: 1, conditionFailed: 1 });
  });

  it('records Rejected with its reason and Unknown with its reason', async () => {
    const l = ledger();
    const a = (await l.record(identity('in/a.mp4'))).row;
    const b = (await l.record(identity('in/b.mp4'))).row;
    const rejected = await l.reject(a, 'Output.Media: the bucket is not in the stack', 'InvalidParameter');
    const unknown = await l.markUnknown((await l.claimSubmit(b)).row!, 'no answer and no notification within 600 s');
    expect(rejected.row).toMatchObject({ state: 'Rejected', reason: 'Output.Media: the bucket is not in the stack', errorCode: 'InvalidParameter' });
    expect(unknown.row).toMatchObject({ state: 'Unknown', reason: 'no answer and no notification within 600 s' });
  });

  it.each([
    ['Received', 'Submitted'],
    ['Received', 'Success'],
  ] as const)('refuses the illegal move %s → %s', async (_from, to) => {
    const l = ledger();
    const { row } = await l.record(identity());
    expect(() => l.transition(row, to)).toThrow(new LedgerError('transition', `row ${row.id} cannot move from Received to ${to}`));
  });

  it('finds a row by the token a notification carries back', async () => {
    const l = ledger();
    const claimed = (await l.claimSubmit((await l.record(identity())).row)).row!;
    expect(await l.findByToken(claimed.token)).toEqual(claimed);
    expect(await l.findByToken('not-a-token')).toBeUndefined();
    expect(parseLedgerToken(claimed.token)).toEqual({ id: claimed.id, attempt: 1 });
  });
});

describe('JobLedger.list', () => {
  it('filters by state, object key prefix and creation time on the server, and pages with a cursor', async () => {
    let now = 1000;
    const l = ledger({ now: () => now });
    const keys = ['in/a/1.mp4', 'in/a/2.mp4', 'in/b/1.mp4', 'in/a/3.mp4', 'other/x.mp4'];
    const rows = [];
    for (const key of keys) {
      now += 10;
      rows.push((await l.record(identity(key))).row);
    }
    await l.reject(rows[1], 'bad');
    const collect = async (opts: Parameters<JobLedger['list']>[0]) => {
      const out: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await l.list({ ...opts, cursor, limit: 2 });
        out.push(...page.rows.map((r) => r.objectKey));
        cursor = page.cursor;
        pages++;
      } while (cursor);
      return { keys: out.sort(), pages };
    };
    expect((await collect({ objectKeyPrefix: 'in/a/' })).keys).toEqual(['in/a/1.mp4', 'in/a/2.mp4', 'in/a/3.mp4']);
    expect((await collect({ states: ['Rejected'] })).keys).toEqual(['in/a/2.mp4']);
    expect((await collect({ states: ['Received'], since: 1020, until: 1041 })).keys).toEqual(['in/a/3.mp4', 'in/b/1.mp4']); // 1020 is Rejected; 1050 is past until
    const all = await collect({});
    expect(all).toEqual({ keys: [...keys].sort(), pages: 3 });
  });

  it('refuses bad list options, naming them', async () => {
    await expect(ledger().list({ limit: 0 })).rejects.toThrow(/limit must be an integer between 1 and 5000, got 0/);
    await expect(ledger().list({ states: ['Done' as never] })).rejects.toThrow(/states must be among .*got "Done"/);
    await expect(ledger().list({ cursor: 'zz' })).rejects.toThrow(/cursor must be a cursor from a previous page, got "zz"/);
  });
});

describe('helpers', () => {
  it('derives a stable 32-hex row id that differs per preset and version', () => {
    const id = ledgerRowId(identity());
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(ledgerRowId(identity())).toBe(id);
    expect(ledgerRowId(identity('in/a.mp4', 'other'))).not.toBe(id);
    expect(ledgerRowId({ ...identity(), version: 'v2' })).not.toBe(id);
  });

  it('reads the service code from the SDK error, even when a long message broke the UTF-8 round trip', () => {
    const long = 'x'.repeat(200);
    const asSdk = (code: string, message: string) => ({ code: 400, message: `${encodeError(code, message).toString('utf8')} requestId:abc` });
    expect(otsErrorCode(asSdk('OTSConditionCheckFail', 'Condition check failed.'))).toBe('OTSConditionCheckFail');
    expect(otsErrorCode(asSdk('OTSParameterInvalid', long))).toBe('OTSParameterInvalid');
    expect(otsErrorCode({ code: 'NetworkingError', message: 'socket hang up' })).toBe('NetworkingError');
    expect(otsErrorCode({ code: 502, message: '<html>bad gateway</html> requestId:' })).toBe('HTTP502');
  });

  it('refuses bad construction options, naming them', () => {
    expect(() => ledger({ endpoint: 'ots.local' })).toThrow(/endpoint must start with http:\/\/ or https:\/\/, got "ots.local"/);
    expect(() => ledger({ tableName: '9jobs' })).toThrow(/tableName must be .* got "9jobs"/);
    expect(() => ledger({ retry: { retries: -1 } })).toThrow(/retries must be an integer between 0 and 20, got -1/);
  });
});
