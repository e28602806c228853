import type * as http from 'http';
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { AccessKey } from '../endpoint/auth';
import { FaultKind, FaultRule, LocalEndpoint, LoopbackOptions, header as headerOf, readBody } from '../support/loopback';
import {
  CellValue,
  CodecError,
  DecodedRow,
  KeyColumn,
  StoredCell,
  decodeRow,
  encodeError,
  encodePrimaryKey,
  encodeRow,
  encodeRows,
  proto,
} from './codec';
import {
  OtsError,
  PkType,
  RowCondition,
  StoredRow,
  Table,
  applyUpdate,
  checkCondition,
  compareKeys,
  evaluateFilter,
  otsErrors,
} from './store';

/** An AccessKey the endpoint accepts; with `securityToken`, requests must carry it in `x-ots-ststoken`. */
export type OtsAccessKey = AccessKey;

/** The key `npm run local-ots` prints and tests use by default. */
export const DEFAULT_OTS_KEY: OtsAccessKey = { accessKeyId: 'LTAIlocalots', accessKeySecret: 'local-ots-secret' };
export const DEFAULT_OTS_STS_KEY: OtsAccessKey = {
  accessKeyId: 'STS.localots',
  accessKeySecret: 'local-ots-sts-secret',
  securityToken: 'local-ots-sts-token',
};
export const DEFAULT_INSTANCE = 'iprod-local';

export const OPERATIONS = [
  'CreateTable',
  'DeleteTable',
  'DescribeTable',
  'ListTable',
  'PutRow',
  'UpdateRow',
  'GetRow',
  'DeleteRow',
  'GetRange',
  'BatchWriteRow',
  'BatchGetRow',
] as const;
export type OtsOperation = (typeof OPERATIONS)[number];

export type OtsFaultKind = FaultKind;
/** `reset-after` applies the operation, then drops the connection: the write lands, the answer is lost. */
export type OtsFaultSpec = FaultRule<OtsOperation>;

export interface LocalOtsOptions extends LoopbackOptions<OtsRequestRecord> {
  /** The instance name requests must carry in `x-ots-instancename`. @default DEFAULT_INSTANCE */
  readonly instanceName?: string;
  /** @default [DEFAULT_OTS_KEY, DEFAULT_OTS_STS_KEY] */
  readonly accessKeys?: readonly OtsAccessKey[];
  /** Most rows one GetRange answer holds before it returns a next start key. @default 5000 (the service's cap) */
  readonly rangePageRows?: number;
}

export interface OtsRequestRecord {
  readonly requestId: string;
  readonly operation: string;
  /** 0 when the connection was reset. */
  readonly statusCode: number;
  readonly code?: string;
  readonly fault?: OtsFaultKind;
  readonly table?: string;
}

export interface OtsOperationStats {
  received: number;
  ok: number;
  /** OTSConditionCheckFail answers (BatchWriteRow rows included). */
  conditionFailed: number;
  /** Other error answers. */
  failed: number;
  faulted: number;
}

/** A row as tests read it: integers as bigint, binaries as Buffer. */
export interface PlainRow {
  readonly primaryKey: Record<string, string | bigint | Buffer>;
  readonly attributes: Record<string, string | bigint | Buffer | boolean | number>;
  readonly timestamps: Record<string, number>;
}

export interface LocalOts {
  /** `http://127.0.0.1:PORT`, the SDK's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly instanceName: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Per operation; a fresh snapshot on every read. */
  readonly stats: Readonly<Record<OtsOperation, OtsOperationStats>>;
  /** Every row of a table in primary-key order (empty when the table does not exist). */
  rows(table: string): PlainRow[];
  /** Only the named attributes of every row (absent ones left out): a cheap read of a large table. */
  columns(table: string, names: readonly string[]): Array<Record<string, unknown>>;
  tableNames(): string[];
  setFault(fault: OtsFaultSpec): () => void;
  clearFaults(): void;
  /** Drops tables, stats and faults. */
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const BATCH_WRITE_MAX_ROWS = 200;
const BATCH_GET_MAX_ROWS = 100;
const API_VERSION = '2015-12-31';

function checkOptions(options: LocalOtsOptions): void {
  if (options.rangePageRows !== undefined && !(Number.isInteger(options.rangePageRows) && options.rangePageRows > 0)) {
    throw new Error(`rangePageRows must be an integer > 0, got ${options.rangePageRows}`);
  }
  if (options.accessKeys !== undefined && options.accessKeys.length === 0) {
    throw new Error('accessKeys must hold at least one key, got []');
  }
  if (options.instanceName !== undefined && !/^[a-zA-Z][a-zA-Z0-9-]{2,15}$/.test(options.instanceName)) {
    throw new Error(`instanceName must be 3-16 letters, digits or '-' starting with a letter, got ${JSON.stringify(options.instanceName)}`);
  }
}

/** Starts a Tablestore-compatible endpoint on 127.0.0.1 that the official `tablestore` SDK talks to unchanged. */
export async function startLocalOts(options: LocalOtsOptions = {}): Promise<LocalOts> {
  checkOptions(options);
  const server = new LocalOtsServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

function freshStats(): Record<OtsOperation, OtsOperationStats> {
  const out = {} as Record<OtsOperation, OtsOperationStats>;
  for (const op of OPERATIONS) {
    out[op] = { received: 0, ok: 0, conditionFailed: 0, failed: 0, faulted: 0 };
  }
  return out;
}

const PK_TYPES: Record<number, PkType> = { 1: 'integer', 2: 'string', 3: 'binary' };
const PK_TYPE_NUMBERS: Record<PkType, number> = { integer: 1, string: 2, binary: 3 };

class LocalOtsServer extends LocalEndpoint<OtsOperation, OtsRequestRecord> implements LocalOts {
  readonly instanceName: string;
  private tables = new Map<string, Table>();
  private statsByOp = freshStats();

  constructor(protected readonly options: LocalOtsOptions) {
    super(options, [DEFAULT_OTS_KEY, DEFAULT_OTS_STS_KEY], OPERATIONS);
    this.instanceName = options.instanceName ?? DEFAULT_INSTANCE;
  }

  get stats(): Readonly<Record<OtsOperation, OtsOperationStats>> {
    const copy = freshStats();
    for (const op of OPERATIONS) {
      copy[op] = { ...this.statsByOp[op] };
    }
    return copy;
  }

  rows(table: string): PlainRow[] {
    return (this.tables.get(table)?.rows ?? []).map(plainRow);
  }

  columns(table: string, names: readonly string[]): Array<Record<string, unknown>> {
    return (this.tables.get(table)?.rows ?? []).map((row) => {
      const out: Record<string, unknown> = {};
      for (const name of names) {
        const cell = row.attributes.get(name);
        if (cell) out[name] = plainValue(cell.value);
      }
      return out;
    });
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  reset(): void {
    this.tables = new Map();
    this.statsByOp = freshStats();
    this.resetBase();
  }

  private requestId(): string {
    const hex = (n: number) =>
      Array.from({ length: n }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      req.socket.destroy();
      return;
    }
    const requestId = this.requestId();
    const operation = (req.url ?? '/').split('?')[0].replace(/^\//, '');
    const stats = (OPERATIONS as readonly string[]).includes(operation) ? this.statsByOp[operation as OtsOperation] : undefined;
    let fault: OtsFaultSpec | undefined;
    let table: string | undefined;
    const report = (statusCode: number, code?: string) =>
      this.options.onRequest?.({ requestId, operation, statusCode, code, fault: fault?.kind, table });
    try {
      if (stats) {
        stats.received++;
      }
      if (req.method !== 'POST') {
        throw otsErrors.methodNotAllowed();
      }
      this.authenticate(req, operation, body);
      if (!stats) {
        throw otsErrors.unsupported(operation);
      }
      fault = this.faults.pick(operation as OtsOperation);
      if (fault) {
        stats.faulted++;
      }
      if (fault?.kind === 'reset-before') {
        req.socket.destroy();
        report(0);
        return;
      }
      if (fault?.kind === 'status-500') {
        throw otsErrors.internal('(injected fault)');
      }
      if (fault?.kind === 'status-503') {
        throw otsErrors.unavailable();
      }
      const { answer, tableName } = this.dispatch(operation as OtsOperation, body);
      table = tableName;
      stats.ok++;
      if (fault?.kind === 'reset-after') {
        req.socket.destroy();
        report(0);
        return;
      }
      await this.holdIfLatency(fault);
      this.send(res, 200, requestId, answer);
      report(200);
    } catch (err) {
      const error =
        err instanceof OtsError
          ? err
          : err instanceof CodecError
            ? otsErrors.parameter(`Invalid PlainBuffer: ${err.message}`)
            : otsErrors.internal(err instanceof Error ? err.message : String(err));
      if (stats && error.code === 'OTSConditionCheckFail') {
        stats.conditionFailed++;
      } else if (stats && !fault) {
        stats.failed++;
      }
      if (fault?.kind === 'reset-after') {
        req.socket.destroy();
        report(0, error.code);
        return;
      }
      await this.holdIfLatency(fault);
      this.send(res, error.status, requestId, encodeError(error.code, error.message));
      report(error.status, error.code);
    }
  }

  /**
   * The SDK's signature (lib/signer.js): base64 HMAC-SHA1 over
   * `/<Operation>\nPOST\n\n` + every `x-ots-*` header but the signature, lowercased and sorted, `name:value` joined
   * by '\n', + '\n'. The body's MD5 travels in the signed `x-ots-contentmd5`.
   */
  private authenticate(req: http.IncomingMessage, operation: string, body: Buffer): void {
    const header = (name: string) => headerOf(req, name);
    for (const name of ['x-ots-date', 'x-ots-apiversion', 'x-ots-accesskeyid', 'x-ots-instancename', 'x-ots-contentmd5', 'x-ots-signature']) {
      if (header(name) === undefined) {
        throw otsErrors.parameter(`Missing header: ${name}.`);
      }
    }
    if (header('x-ots-apiversion') !== API_VERSION) {
      throw otsErrors.parameter(`Unsupported API version: ${header('x-ots-apiversion')}.`);
    }
    const key = this.keys.find((k) => k.accessKeyId === header('x-ots-accesskeyid'));
    if (!key) {
      throw otsErrors.authFailed('The AccessKeyID does not exist.');
    }
    if ((key.securityToken ?? '') !== (header('x-ots-ststoken') ?? '')) {
      // GUESS: the service's text for a missing or wrong STS token.
      throw otsErrors.authFailed('The security token is invalid.');
    }
    const names = Object.keys(req.headers)
      .filter((n) => n.startsWith('x-ots-') && n !== 'x-ots-signature')
      .sort();
    const canonical = names.map((n) => `${n}:${header(n)}`).join('\n');
    const stringToSign = `${req.url?.split('?')[0] ?? '/'}\nPOST\n\n${canonical}\n`;
    const expected = Buffer.from(createHmac('sha1', key.accessKeySecret).update(stringToSign).digest('base64'));
    const sent = Buffer.from(header('x-ots-signature') ?? '');
    if (expected.length !== sent.length || !timingSafeEqual(expected, sent)) {
      throw otsErrors.authFailed('Signature mismatch.');
    }
    if (createHash('md5').update(body).digest('base64') !== header('x-ots-contentmd5')) {
      throw otsErrors.authFailed('Mismatch between MD5 value of request body and x-ots-contentmd5 in header.');
    }
    const date = header('x-ots-date') ?? '';
    const at = Date.parse(date);
    if (Number.isNaN(at)) {
      throw otsErrors.parameter(`Invalid date format: ${date}.`);
    }
    if (Math.abs(this.now() - at) > (this.options.clockSkewMs ?? 15 * 60 * 1000)) {
      throw otsErrors.authFailed(`Mismatch between system time and x-ots-date: ${date}.`);
    }
    if (header('x-ots-instancename') !== this.instanceName) {
      throw otsErrors.authFailed('The instance is not found.');
    }
    void operation;
  }

  private send(res: http.ServerResponse, status: number, requestId: string, body: Uint8Array): void {
    if (res.destroyed || res.writableEnded) {
      return;
    }
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    res.writeHead(status, {
      'content-type': 'application/x.pb2',
      'content-length': bytes.length,
      'x-ots-requestid': requestId,
      'x-ots-contenttype': 'protocol buffer',
      'x-ots-contentmd5': createHash('md5').update(bytes).digest('base64'),
      'x-ots-date': new Date(this.now()).toISOString(),
    });
    res.end(bytes);
  }

  private table(name: string): Table {
    const table = this.tables.get(name);
    if (!table) {
      throw otsErrors.tableMissing();
    }
    return table;
  }

  private decode(operation: OtsOperation, body: Buffer): any {
    try {
      return proto[`${operation}Request`].decode(body);
    } catch (err) {
      throw otsErrors.parameter(`Invalid ${operation}Request: ${(err as Error).message}`);
    }
  }

  private dispatch(operation: OtsOperation, body: Buffer): { answer: Uint8Array; tableName?: string } {
    const request = this.decode(operation, body);
    const answer = (message: Record<string, unknown>) => proto[`${operation}Response`].encode(proto[`${operation}Response`].create(message)).finish();
    const consumed = (read: number, write: number) => ({ capacityUnit: { read, write } });
    switch (operation) {
      case 'CreateTable':
        this.createTable(request);
        return { answer: answer({}), tableName: request.tableMeta.tableName };
      case 'DeleteTable':
        this.table(request.tableName);
        this.tables.delete(request.tableName);
        return { answer: answer({}), tableName: request.tableName };
      case 'ListTable':
        return { answer: answer({ tableNames: this.tableNames() }) };
      case 'DescribeTable': {
        const { schema } = this.table(request.tableName);
        return {
          answer: answer({
            tableMeta: {
              tableName: schema.name,
              primaryKey: schema.primaryKey.map((pk) => ({ name: pk.name, type: PK_TYPE_NUMBERS[pk.type] })),
            },
            reservedThroughputDetails: { capacityUnit: { read: 0, write: 0 }, lastIncreaseTime: Math.floor(schema.createdAtMs / 1000) },
            tableOptions: { timeToLive: schema.timeToLive, maxVersions: schema.maxVersions, deviationCellVersionInSec: 86400 },
            tableStatus: proto.TableStatus.ACTIVE,
          }),
          tableName: schema.name,
        };
      }
      case 'PutRow': {
        const row = this.putRow(this.table(request.tableName), decodeRow(request.row), request.condition, request.returnContent);
        return { answer: answer({ consumed: consumed(0, 1), row }), tableName: request.tableName };
      }
      case 'UpdateRow': {
        const row = this.updateRow(this.table(request.tableName), decodeRow(request.rowChange), request.condition, request.returnContent);
        return { answer: answer({ consumed: consumed(0, 1), row }), tableName: request.tableName };
      }
      case 'DeleteRow': {
        const row = this.deleteRow(this.table(request.tableName), decodeRow(request.primaryKey), request.condition, request.returnContent);
        return { answer: answer({ consumed: consumed(0, 1), row }), tableName: request.tableName };
      }
      case 'GetRow': {
        const table = this.table(request.tableName);
        const key = decodeRow(request.primaryKey).primaryKey;
        table.checkKey(key, false);
        const row = table.get(key);
        const bytes = row && this.visible(row, request) ? encodeRow(row.primaryKey, projection(row, request.columnsToGet)) : Buffer.alloc(0);
        return { answer: answer({ consumed: consumed(1, 0), row: bytes }), tableName: request.tableName };
      }
      case 'GetRange':
        return { answer: answer(this.getRange(request)), tableName: request.tableName };
      case 'BatchWriteRow':
        return { answer: answer(this.batchWrite(request)) };
      case 'BatchGetRow':
        return { answer: answer(this.batchGet(request)) };
    }
  }

  private createTable(request: any): void {
    const meta = request.tableMeta;
    const name: string = meta.tableName;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,254}$/.test(name)) {
      throw otsErrors.parameter(`Invalid table name: '${name}'.`);
    }
    if (this.tables.has(name)) {
      throw otsErrors.tableExists();
    }
    const pks = meta.primaryKey as { name: string; type: number; option?: number }[];
    if (pks.length < 1 || pks.length > 4) {
      throw otsErrors.parameter(`The number of primary key columns must be in range: [1, 4], got ${pks.length}.`);
    }
    // proto2 defaults an absent enum to its first value (AUTO_INCREMENT), so ask whether the field was sent.
    if (pks.some((pk) => Object.prototype.hasOwnProperty.call(pk, 'option'))) {
      // Not served here: the ledger does not use it, and a silent plain column would mislead a caller.
      throw otsErrors.parameter('AUTO_INCREMENT primary keys are not supported by the local endpoint.');
    }
    this.tables.set(
      name,
      new Table({
        name,
        primaryKey: pks.map((pk) => {
          const type = PK_TYPES[pk.type];
          if (!type) {
            throw otsErrors.parameter(`Invalid primary key type of ${pk.name}: ${pk.type}.`);
          }
          return { name: pk.name, type };
        }),
        createdAtMs: this.now(),
        timeToLive: request.tableOptions?.timeToLive ?? -1,
        maxVersions: request.tableOptions?.maxVersions ?? 1,
      }),
    );
  }

  private putRow(table: Table, row: DecodedRow, condition: RowCondition, returnContent: any): Uint8Array | undefined {
    table.checkKey(row.primaryKey, false);
    checkCondition(condition, table.get(row.primaryKey));
    const now = this.now();
    const attributes = new Map<string, StoredCell>();
    for (const cell of row.attributes) {
      if (cell.op !== 'put' || !cell.value) {
        throw otsErrors.parameter(`PutRow column ${cell.name} must carry a value.`);
      }
      attributes.set(cell.name, { value: cell.value, timestamp: cell.timestamp ?? now });
    }
    const stored = table.set(row.primaryKey, attributes);
    return returned(stored, returnContent, attributes);
  }

  private updateRow(table: Table, row: DecodedRow, condition: RowCondition, returnContent: any): Uint8Array | undefined {
    table.checkKey(row.primaryKey, false);
    const current = table.get(row.primaryKey);
    checkCondition(condition, current);
    const { attributes, modified } = applyUpdate(current?.attributes, row.attributes, this.now());
    const stored = table.set(row.primaryKey, attributes);
    return returned(stored, returnContent, modified);
  }

  private deleteRow(table: Table, row: DecodedRow, condition: RowCondition, returnContent: any): Uint8Array | undefined {
    table.checkKey(row.primaryKey, false);
    const current = table.get(row.primaryKey);
    checkCondition(condition, current);
    table.delete(row.primaryKey);
    return current ? returned(current, returnContent, new Map()) : undefined;
  }

  private visible(row: StoredRow, request: { filter?: Uint8Array }): boolean {
    return !request.filter || request.filter.length === 0 || evaluateFilter(request.filter, row.attributes);
  }

  private getRange(request: any): Record<string, unknown> {
    const table = this.table(request.tableName);
    const start = decodeRow(request.inclusiveStartPrimaryKey).primaryKey;
    const end = decodeRow(request.exclusiveEndPrimaryKey).primaryKey;
    table.checkKey(start, true);
    table.checkKey(end, true);
    const backward = request.direction === proto.Direction.BACKWARD;
    if (backward ? compareKeys(start, end) < 0 : compareKeys(start, end) > 0) {
      throw otsErrors.parameter(
        backward
          ? 'The start primary key should be greater than or equal to the end primary key for a BACKWARD range.'
          : 'The start primary key should be less than or equal to the end primary key for a FORWARD range.',
      );
    }
    const limit = Math.min(request.limit > 0 ? request.limit : Infinity, this.options.rangePageRows ?? 5000);
    const rows = table.rows;
    const out: StoredRow[] = [];
    let next: readonly KeyColumn[] | undefined;
    if (!backward) {
      let i = table.find(start);
      i = i >= 0 ? i : -i - 1;
      for (; i < rows.length && compareKeys(rows[i].primaryKey, end) < 0; i++) {
        if (out.length >= limit) {
          next = rows[i].primaryKey;
          break;
        }
        if (this.visible(rows[i], request)) {
          out.push(rows[i]);
        }
      }
    } else {
      let i = table.find(start);
      i = i >= 0 ? i : -i - 2;
      for (; i >= 0 && compareKeys(rows[i].primaryKey, end) > 0; i--) {
        if (out.length >= limit) {
          next = rows[i].primaryKey;
          break;
        }
        if (this.visible(rows[i], request)) {
          out.push(rows[i]);
        }
      }
    }
    return {
      consumed: { capacityUnit: { read: Math.max(1, out.length), write: 0 } },
      rows: encodeRows(out.map((r) => ({ primaryKey: r.primaryKey, attributes: projection(r, request.columnsToGet) }))),
      nextStartPrimaryKey: next ? encodePrimaryKey(next) : undefined,
    };
  }

  private batchWrite(request: any): Record<string, unknown> {
    const tables = request.tables as { tableName: string; rows: { type: number; rowChange: Uint8Array; condition: RowCondition; returnContent?: any }[] }[];
    const total = tables.reduce((n, t) => n + t.rows.length, 0);
    if (total > BATCH_WRITE_MAX_ROWS) {
      throw otsErrors.parameter(`Rows count exceeds the upper limit: ${BATCH_WRITE_MAX_ROWS}.`);
    }
    const names = new Set<string>();
    for (const t of tables) {
      if (names.has(t.tableName)) {
        throw otsErrors.parameter(`Duplicated table name: ${t.tableName}.`);
      }
      names.add(t.tableName);
    }
    const stats = this.statsByOp.BatchWriteRow;
    return {
      tables: tables.map((t) => ({
        tableName: t.tableName,
        rows: t.rows.map((r) => {
          try {
            const table = this.table(t.tableName);
            const decoded = decodeRow(r.rowChange);
            const row =
              r.type === proto.OperationType.PUT
                ? this.putRow(table, decoded, r.condition, r.returnContent)
                : r.type === proto.OperationType.UPDATE
                  ? this.updateRow(table, decoded, r.condition, r.returnContent)
                  : this.deleteRow(table, decoded, r.condition, r.returnContent);
            return { isOk: true, consumed: { capacityUnit: { read: 0, write: 1 } }, row };
          } catch (err) {
            const error = err instanceof OtsError ? err : otsErrors.parameter((err as Error).message);
            if (error.code === 'OTSConditionCheckFail') {
              stats.conditionFailed++;
            }
            return { isOk: false, error: { code: error.code, message: error.message } };
          }
        }),
      })),
    };
  }

  private batchGet(request: any): Record<string, unknown> {
    const tables = request.tables as { tableName: string; primaryKey: Uint8Array[]; columnsToGet?: string[]; filter?: Uint8Array }[];
    const total = tables.reduce((n, t) => n + t.primaryKey.length, 0);
    if (total > BATCH_GET_MAX_ROWS) {
      throw otsErrors.parameter(`Rows count exceeds the upper limit: ${BATCH_GET_MAX_ROWS}.`);
    }
    return {
      tables: tables.map((t) => ({
        tableName: t.tableName,
        rows: t.primaryKey.map((bytes) => {
          try {
            const table = this.table(t.tableName);
            const key = decodeRow(bytes).primaryKey;
            table.checkKey(key, false);
            const row = table.get(key);
            const visible = row && this.visible(row, t);
            return {
              isOk: true,
              consumed: { capacityUnit: { read: 1, write: 0 } },
              row: visible ? encodeRow(row.primaryKey, projection(row, t.columnsToGet)) : Buffer.alloc(0),
            };
          } catch (err) {
            const error = err instanceof OtsError ? err : otsErrors.parameter((err as Error).message);
            return { isOk: false, error: { code: error.code, message: error.message } };
          }
        }),
      })),
    };
  }
}

/** proto ReturnType: RT_NONE 0, RT_PK 1, RT_AFTER_MODIFY 2. */
function returned(row: StoredRow, returnContent: any, modified: ReadonlyMap<string, StoredCell>): Uint8Array | undefined {
  const type = returnContent?.returnType ?? 0;
  if (type === 1) {
    return encodeRow(row.primaryKey);
  }
  if (type === 2) {
    const names: string[] = returnContent.returnColumnNames ?? [];
    const cells = new Map([...modified].filter(([name]) => names.length === 0 || names.includes(name)));
    return encodeRow(row.primaryKey, cells);
  }
  return undefined;
}

function projection(row: StoredRow, columns: string[] | undefined): Map<string, StoredCell> {
  if (!columns || columns.length === 0) {
    return row.attributes;
  }
  return new Map([...row.attributes].filter(([name]) => columns.includes(name)));
}

function plainValue(value: CellValue): string | bigint | Buffer | boolean | number {
  return value.value;
}

function plainRow(row: StoredRow): PlainRow {
  const primaryKey: Record<string, string | bigint | Buffer> = {};
  for (const c of row.primaryKey) {
    primaryKey[c.name] = plainValue(c.value as CellValue) as string | bigint | Buffer;
  }
  const attributes: PlainRow['attributes'] = {};
  const timestamps: Record<string, number> = {};
  for (const [name, cell] of row.attributes) {
    attributes[name] = plainValue(cell.value);
    timestamps[name] = cell.timestamp;
  }
  return { primaryKey, attributes, timestamps };
}

