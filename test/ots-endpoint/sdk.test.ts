/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash } from 'crypto';
import * as http from 'http';
import { DEFAULT_OTS_STS_KEY, LocalOts, startLocalOts } from './server';
import { proto } from './codec';

// The official SDK, unchanged, over loopback.
const TableStore: any = require('tablestore');
const Long = TableStore.Long;

let ots: LocalOts;
let client: any;

function sdk(extra: Record<string, unknown> = {}): any {
  return new TableStore.Client({
    accessKeyId: ots.accessKeyId,
    secretAccessKey: ots.accessKeySecret,
    endpoint: ots.endpoint,
    instancename: ots.instanceName,
    maxRetries: 0,
    ...extra,
  });
}

/** The service's error body, decoded with the SDK's own `Error` message (see FACTS.md on err.message). */
function otsCode(err: any): string {
  const text = String(err.message).replace(/ requestId:[^]*$/, '');
  return proto.Error.decode(Buffer.from(text, 'utf8')).code;
}

async function createJobs(name = 'jobs'): Promise<void> {
  await client.createTable({
    tableMeta: { tableName: name, primaryKey: [{ name: 'pk', type: 'STRING' }, { name: 'seq', type: 'INTEGER' }] },
    reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
    tableOptions: { timeToLive: -1, maxVersions: 1 },
  });
}

const pk = (p: string, seq: number) => [{ pk: p }, { seq: Long.fromNumber(seq) }];

beforeEach(async () => {
  ots = await startLocalOts();
  client = sdk();
});

afterEach(async () => {
  await ots.close();
});

describe('local Tablestore endpoint driven by the tablestore SDK', () => {
  it('creates, lists and describes tables; a second create answers OTSObjectAlreadyExist 409', async () => {
    // GIVEN a table
    await createJobs();
    // WHEN it is listed, described, and created again
    const list = await client.listTable({});
    const described = await client.describeTable({ tableName: 'jobs' });
    const again = await client.createTable({
      tableMeta: { tableName: 'jobs', primaryKey: [{ name: 'pk', type: 'STRING' }] },
      reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
      tableOptions: { timeToLive: -1, maxVersions: 1 },
    }).catch((e: any) => e);
    // THEN
    expect(list.tableNames).toEqual(['jobs']);
    expect(described.tableMeta.primaryKey.map((p: any) => [p.name, p.type])).toEqual([['pk', 2], ['seq', 1]]);
    expect(described.tableStatus).toBe(proto.TableStatus.ACTIVE);
    expect(again.code).toBe(409);
    expect(otsCode(again)).toBe('OTSObjectAlreadyExist');
  });

  it('puts and gets a row with every column type, and gets nothing for a missing row', async () => {
    await createJobs();
    const bin = Buffer.from([0, 1, 2, 255]);
    await client.putRow({
      tableName: 'jobs',
      condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
      primaryKey: pk('a', 1),
      attributeColumns: [{ s: 'héllo' }, { i: Long.fromNumber(-42) }, { d: 1.5 }, { b: true }, { x: bin }],
    });
    const got = await client.getRow({ tableName: 'jobs', primaryKey: pk('a', 1) });
    const missing = await client.getRow({ tableName: 'jobs', primaryKey: pk('zz', 1) });
    const cols = Object.fromEntries(got.row.attributes.map((a: any) => [a.columnName, a.columnValue]));
    expect(got.row.primaryKey[0]).toEqual({ name: 'pk', value: 'a' });
    expect(got.row.primaryKey[1].value.toNumber()).toBe(1);
    expect(cols.s).toBe('héllo');
    expect(cols.i.toNumber()).toBe(-42);
    expect(cols.d).toBe(1.5);
    expect(cols.b).toBe(true);
    expect(Buffer.from(cols.x)).toEqual(bin);
    expect(missing.row).toEqual({});
    expect(ots.rows('jobs')).toHaveLength(1);
  });

  it('answers OTSConditionCheckFail (403) to EXPECT_NOT_EXIST on an existing row and EXPECT_EXIST on a missing one', async () => {
    await createJobs();
    const put = (expect: number, key = pk('a', 1)) =>
      client.putRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(expect, null),
        primaryKey: key,
        attributeColumns: [{ state: 'Received' }],
      });
    await put(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST);
    const dup = await put(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST).catch((e: any) => e);
    const missing = await put(TableStore.RowExistenceExpectation.EXPECT_EXIST, pk('b', 1)).catch((e: any) => e);
    expect(dup.code).toBe(403);
    expect(otsCode(dup)).toBe('OTSConditionCheckFail');
    expect(otsCode(missing)).toBe('OTSConditionCheckFail');
    expect(ots.rows('jobs').map((r) => r.primaryKey.pk)).toEqual(['a']);
    expect(ots.stats.PutRow.conditionFailed).toBe(2);
  });

  it('applies UpdateRow only when its column condition holds (single and composite), with PUT, DELETE_ALL and INCREMENT', async () => {
    await createJobs();
    await client.putRow({
      tableName: 'jobs',
      condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
      primaryKey: pk('a', 1),
      attributeColumns: [{ state: 'Received' }, { lease: 'x' }, { n: Long.fromNumber(1) }],
    });
    const update = (cond: any, state: string) =>
      client.updateRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_EXIST, cond),
        primaryKey: pk('a', 1),
        updateOfAttributeColumns: [{ PUT: [{ state }] }, { DELETE_ALL: ['lease'] }, { INCREMENT: [{ n: Long.fromNumber(2) }] }],
      });
    const wrong = await update(new TableStore.SingleColumnCondition('state', 'Submitting', TableStore.ComparatorType.EQUAL), 'X').catch((e: any) => e);
    const composite = new TableStore.CompositeCondition(TableStore.LogicalOperator.OR);
    composite.addSubCondition(new TableStore.SingleColumnCondition('state', 'Received', TableStore.ComparatorType.EQUAL));
    composite.addSubCondition(new TableStore.SingleColumnCondition('state', 'Unknown', TableStore.ComparatorType.EQUAL));
    await update(composite, 'Submitting');
    expect(otsCode(wrong)).toBe('OTSConditionCheckFail');
    const [row] = ots.rows('jobs');
    expect(row.attributes).toEqual({ state: 'Submitting', n: 3n });
  });

  it('honours passIfMissing on a column condition', async () => {
    await createJobs();
    const put = (passIfMissing: boolean) =>
      client.putRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(
          TableStore.RowExistenceExpectation.IGNORE,
          new TableStore.SingleColumnCondition('owner', 'me', TableStore.ComparatorType.EQUAL, passIfMissing),
        ),
        primaryKey: pk('a', 1),
        attributeColumns: [{ owner: 'me' }],
      });
    const strict = await put(false).catch((e: any) => e);
    await put(true);
    expect(otsCode(strict)).toBe('OTSConditionCheckFail');
    expect(ots.rows('jobs')[0].attributes.owner).toBe('me');
    // the cheap read of a large table: only the named attributes, absent ones left out
    expect(ots.columns('jobs', ['owner', 'missing'])).toEqual([{ owner: 'me' }]);
    expect(ots.columns('nope', ['owner'])).toEqual([]);
  });

  it('deletes rows, conditionally', async () => {
    await createJobs();
    await client.putRow({
      tableName: 'jobs',
      condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
      primaryKey: pk('a', 1),
      attributeColumns: [{ state: 'Success' }],
    });
    const refused = await client
      .deleteRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(
          TableStore.RowExistenceExpectation.EXPECT_EXIST,
          new TableStore.SingleColumnCondition('state', 'Fail', TableStore.ComparatorType.EQUAL),
        ),
        primaryKey: pk('a', 1),
      })
      .catch((e: any) => e);
    expect(otsCode(refused)).toBe('OTSConditionCheckFail');
    await client.deleteRow({
      tableName: 'jobs',
      condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_EXIST, null),
      primaryKey: pk('a', 1),
    });
    expect(ots.rows('jobs')).toEqual([]);
  });

  it('pages GetRange forward and backward with limits and next start keys, in primary-key order', async () => {
    await createJobs();
    const keys = ['b', 'a', 'c'].flatMap((p) => [3, 1, 2].map((s) => [p, s] as const));
    for (const [p, s] of keys) {
      await client.putRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
        primaryKey: pk(p, s),
        attributeColumns: [{ v: `${p}${s}` }],
      });
    }
    const scan = async (direction: string, start: any, end: any, limit: number) => {
      const seen: string[] = [];
      let next = start;
      let pages = 0;
      while (next) {
        const page = await client.getRange({ tableName: 'jobs', direction, inclusiveStartPrimaryKey: next, exclusiveEndPrimaryKey: end, limit });
        pages++;
        seen.push(...page.rows.map((r: any) => r.attributes[0].columnValue));
        next = page.nextStartPrimaryKey && page.nextStartPrimaryKey.map((c: any) => ({ [c.name]: c.value }));
      }
      return { seen, pages };
    };
    const forward = await scan(
      TableStore.Direction.FORWARD,
      [{ pk: TableStore.INF_MIN }, { seq: TableStore.INF_MIN }],
      [{ pk: TableStore.INF_MAX }, { seq: TableStore.INF_MAX }],
      4,
    );
    const backward = await scan(TableStore.Direction.BACKWARD, [{ pk: 'b' }, { seq: TableStore.INF_MAX }], [{ pk: 'a' }, { seq: Long.fromNumber(1) }], 2);
    expect(forward).toEqual({ seen: ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3'], pages: 3 });
    expect(backward).toEqual({ seen: ['b3', 'b2', 'b1', 'a3', 'a2'], pages: 3 });
  });

  it('applies a column filter to GetRange', async () => {
    await createJobs();
    for (const [p, state] of [['a', 'Success'], ['b', 'Submitted'], ['c', 'Received']]) {
      await client.putRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
        primaryKey: pk(p, 1),
        attributeColumns: [{ state }],
      });
    }
    const page = await client.getRange({
      tableName: 'jobs',
      direction: TableStore.Direction.FORWARD,
      inclusiveStartPrimaryKey: [{ pk: TableStore.INF_MIN }, { seq: TableStore.INF_MIN }],
      exclusiveEndPrimaryKey: [{ pk: TableStore.INF_MAX }, { seq: TableStore.INF_MAX }],
      columnFilter: new TableStore.SingleColumnCondition('state', 'Success', TableStore.ComparatorType.NOT_EQUAL),
    });
    expect(page.rows.map((r: any) => r.primaryKey[0].value)).toEqual(['b', 'c']);
  });

  it('writes a BatchWriteRow with per-row outcomes', async () => {
    await createJobs();
    const rows = ['a', 'b', 'a'].map((p) => ({
      type: 'PUT',
      condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST, null),
      primaryKey: pk(p, 1),
      attributeColumns: [{ state: 'Received' }],
      returnContent: { returnType: TableStore.ReturnType.Primarykey },
    }));
    const result = await client.batchWriteRow({ tables: [{ tableName: 'jobs', rows }] });
    expect(result.tables.map((r: any) => [r.isOk, r.errorCode])).toEqual([
      [true, null],
      [true, null],
      [false, 'OTSConditionCheckFail'],
    ]);
    expect(ots.rows('jobs').map((r) => r.primaryKey.pk)).toEqual(['a', 'b']);
  });

  it('answers OTSObjectNotExist 404 for a missing table and OTSParameterInvalid for a key that breaks the schema', async () => {
    await createJobs();
    const noTable = await client.getRow({ tableName: 'nope', primaryKey: pk('a', 1) }).catch((e: any) => e);
    const badKey = await client.getRow({ tableName: 'jobs', primaryKey: [{ pk: 'a' }] }).catch((e: any) => e);
    const badType = await client.getRow({ tableName: 'jobs', primaryKey: [{ pk: 'a' }, { seq: 'one' }] }).catch((e: any) => e);
    expect([noTable.code, otsCode(noTable)]).toEqual([404, 'OTSObjectNotExist']);
    expect([badKey.code, otsCode(badKey)]).toEqual([400, 'OTSParameterInvalid']);
    expect(otsCode(badType)).toBe('OTSParameterInvalid');
  });
});

describe('authentication', () => {
  it('rejects a wrong secret with OTSAuthFailed "Signature mismatch."', async () => {
    const bad = sdk({ secretAccessKey: 'wrong' });
    const err = await bad.listTable({}).catch((e: any) => e);
    expect(err.code).toBe(403);
    expect(proto.Error.decode(Buffer.from(String(err.message).replace(/ requestId:[^]*$/, ''), 'utf8'))).toMatchObject({
      code: 'OTSAuthFailed',
      message: 'Signature mismatch.',
    });
  });

  it('rejects an unknown key, a wrong instance, and an STS key without its token; accepts the STS key with it', async () => {
    const unknown = await sdk({ accessKeyId: 'LTAInobody' }).listTable({}).catch((e: any) => e);
    const instance = await sdk({ instancename: 'other-inst' }).listTable({}).catch((e: any) => e);
    const sts = { accessKeyId: DEFAULT_OTS_STS_KEY.accessKeyId, secretAccessKey: DEFAULT_OTS_STS_KEY.accessKeySecret };
    const noToken = await sdk(sts).listTable({}).catch((e: any) => e);
    const ok = await sdk({ ...sts, stsToken: DEFAULT_OTS_STS_KEY.securityToken }).listTable({});
    expect(otsCode(unknown)).toBe('OTSAuthFailed');
    expect(proto.Error.decode(Buffer.from(String(instance.message).replace(/ requestId:[^]*$/, ''), 'utf8')).message).toBe(
      'The instance is not found.',
    );
    expect(otsCode(noToken)).toBe('OTSAuthFailed');
    expect(ok.tableNames).toEqual([]);
  });

  it('rejects a body altered after signing (x-ots-contentmd5 covers it) and a stale x-ots-date', async () => {
    // GIVEN a request the SDK would sign, replayed by hand with a different body
    const captured: { headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        captured.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as any).port;
    await sdk({ endpoint: `http://127.0.0.1:${port}` }).listTable({}).catch(() => undefined);
    await new Promise<void>((r) => proxy.close(() => r()));
    const send = (headers: http.IncomingHttpHeaders, body: Buffer) =>
      new Promise<{ status: number; code: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: ots.port, method: 'POST', path: '/ListTable', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, code: proto.Error.decode(Buffer.concat(chunks)).code }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const { headers } = captured[0];
    // WHEN the body changes but the headers stay, and when the date is an hour old (re-signed is impossible without the key)
    const altered = await send({ ...headers, 'content-length': '3' }, Buffer.from([1, 2, 3]));
    const stale = await send({ ...headers, 'x-ots-date': new Date(Date.now() - 3600_000).toISOString() }, captured[0].body);
    // THEN both are refused; the stale one fails its signature because the date is signed
    expect(altered).toEqual({ status: 403, code: 'OTSAuthFailed' });
    expect(stale).toEqual({ status: 403, code: 'OTSAuthFailed' });
    expect(createHash('md5').update(captured[0].body).digest('base64')).toBe(headers['x-ots-contentmd5']);
  });
});

describe('fault injection', () => {
  it('a reset after the write landed leaves the row written while the SDK sees a network error', async () => {
    await createJobs();
    ots.setFault({ kind: 'reset-after', operation: 'PutRow', count: 1 });
    const err = await client
      .putRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST, null),
        primaryKey: pk('a', 1),
        attributeColumns: [{ state: 'Received' }],
      })
      .catch((e: any) => e);
    expect(err.code).toBe('NetworkingError');
    expect(ots.rows('jobs')).toHaveLength(1);
  });

  it('a 503 answers before anything is written; a 500 likewise; latency delays but answers', async () => {
    await createJobs();
    ots.setFault({ kind: 'status-503', operation: 'PutRow', count: 1 });
    ots.setFault({ kind: 'status-500', operation: 'UpdateRow', count: 1 });
    ots.setFault({ kind: 'latency', operation: 'GetRow', count: 1, latencyMs: 5 });
    const put = () =>
      client.putRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
        primaryKey: pk('a', 1),
        attributeColumns: [{ state: 'Received' }],
      });
    const e503 = await put().catch((e: any) => e);
    const rowsAfter503 = ots.rows('jobs').length;
    await put();
    const e500 = await client
      .updateRow({
        tableName: 'jobs',
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
        primaryKey: pk('a', 1),
        updateOfAttributeColumns: [{ PUT: [{ state: 'X' }] }],
      })
      .catch((e: any) => e);
    const slow = await client.getRow({ tableName: 'jobs', primaryKey: pk('a', 1) });
    expect([e503.code, otsCode(e503)]).toEqual([503, 'OTSServerUnavailable']);
    expect(rowsAfter503).toBe(0);
    expect([e500.code, otsCode(e500)]).toEqual([500, 'OTSInternalServerError']);
    expect(slow.row.attributes[0].columnValue).toBe('Received');
    expect(ots.stats.PutRow).toMatchObject({ received: 2, ok: 1, faulted: 1 });
  });

  it('refuses a malformed fault', () => {
    expect(() => ots.setFault({ kind: 'latency' })).toThrow(/latencyMs must be a finite number >= 0/);
    expect(() => ots.setFault({ kind: 'boom' as any })).toThrow(/fault kind must be one of/);
  });
});
