/**
 * The job ledger: one Tablestore row per (bucket, object, version or ETag, preset), written only by conditional
 * operations over the official `tablestore` SDK, so duplicated events and concurrent function instances change
 * nothing twice. Row layout, states and the exactly-once argument: docs/ledger.md.
 */
import { createHash, randomBytes } from 'crypto';
import { backoffDelayMs, resolveRetryOptions, ResolvedRetryOptions, RetryOptions } from './retry';
import { DEFAULT_LEDGER_TABLE_NAME, LEDGER_PRIMARY_KEY_NAME, OSS_LIMITS, OTS_LIMITS } from '../service';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
// The SDK has no type definitions; its own protobuf definitions decode the error bodies it hands back undecoded.
const TableStore: any = require('tablestore');
const otsProto: any = require('tablestore/lib/protocol/tablestore_compiled_proto.js').main.proto;

export type LedgerState = 'Received' | 'Submitting' | 'Submitted' | 'Success' | 'Fail' | 'Rejected' | 'Unknown';

export const LEDGER_STATES: readonly LedgerState[] = ['Received', 'Submitting', 'Submitted', 'Success', 'Fail', 'Rejected', 'Unknown'];
export const TERMINAL_STATES: readonly LedgerState[] = ['Success', 'Fail', 'Rejected', 'Unknown'];

/**
 * Moves a row may make. Submitting may be re-entered (a resubmit, attempt + 1) and may end directly in
 * Success/Fail when a notification carrying the token arrives before the JobId was recorded. Terminal states
 * never move; only their delivery flag changes.
 */
export const LEDGER_TRANSITIONS: Readonly<Record<LedgerState, readonly LedgerState[]>> = {
  Received: ['Submitting', 'Rejected'],
  Submitting: ['Submitting', 'Submitted', 'Success', 'Fail', 'Rejected', 'Unknown'],
  Submitted: ['Success', 'Fail', 'Unknown'],
  Success: [],
  Fail: [],
  Rejected: [],
  Unknown: [],
};

/** The table's one primary-key column (STRING). A deploy creates the table with exactly this key. */
export const LEDGER_PRIMARY_KEY = LEDGER_PRIMARY_KEY_NAME;
export const DEFAULT_LEDGER_TABLE = DEFAULT_LEDGER_TABLE_NAME;
/** errorCode of a Submitting row whose last attempt the service answered without taking the job. */
export const NOT_ACCEPTED_CODE = 'NotAccepted';

/** What makes a job: the object version an event names and the preset that route chose. */
export interface JobIdentity {
  readonly bucket: string;
  readonly objectKey: string;
  /** The object's versionId when the bucket is versioned, else its ETag. */
  readonly version: string;
  readonly preset: string;
}

export interface LedgerRow extends JobIdentity {
  readonly id: string;
  readonly state: LedgerState;
  /** Incremented by every write; each write is conditioned on the value it read. */
  readonly rev: number;
  /** Submit attempts begun (claimSubmit calls that moved the row). */
  readonly attempts: number;
  /** UserData/ClientToken correlation token of the latest attempt: `<id>.<attempt>`. */
  readonly token?: string;
  readonly jobId?: string;
  /** Why the row is Rejected, Fail or Unknown. */
  readonly reason?: string;
  readonly errorCode?: string;
  /** The service's own status word at the last query or notification. */
  readonly status?: string;
  /** The typed result, as JSON text. */
  readonly result?: string;
  /** The filled request, as JSON text (what a resubmit or a sweep needs). */
  readonly request?: string;
  /** Free-form routing facts the caller keeps with the job (kind, api, route), as JSON text. */
  readonly meta?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly submittingSince?: number;
  readonly submittedAt?: number;
  readonly finishedAt?: number;
  /** True until the row is terminal and delivered: what the sweep lists. */
  readonly open: boolean;
  readonly delivered: boolean;
  readonly deliveredAt?: number;
  /** Stable id of the completion message (the app dedupes on it). */
  readonly messageId: string;
  /** Id of the write that produced this version of the row (how a retried write recognises its own landing). */
  readonly writeId: string;
}

/** Columns a transition may set besides state, rev, times and flags. */
export interface TransitionFields {
  readonly jobId?: string;
  readonly reason?: string;
  readonly errorCode?: string;
  readonly status?: string;
  readonly result?: string;
  readonly request?: string;
}

export type LedgerErrorKind = 'invalid' | 'transition' | 'permanent' | 'unavailable';

/** A ledger call that did not happen: bad input, an illegal move, a permanent service error, or retries spent. */
export class LedgerError extends Error {
  constructor(
    readonly kind: LedgerErrorKind,
    message: string,
    /** The service's error code (`OTSParameterInvalid`, `NetworkingError`, ...), when one was received. */
    readonly code?: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

export interface LedgerCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface JobLedgerOptions {
  /** `https://{instance}.{region}.ots.aliyuncs.com`, or a compatible endpoint. */
  readonly endpoint: string;
  readonly instanceName: string;
  readonly credentials: LedgerCredentials;
  /** @default DEFAULT_LEDGER_TABLE */
  readonly tableName?: string;
  /** Resends of a failed call (every write is conditional, so resending is always safe). @default retry.ts defaults */
  readonly retry?: RetryOptions;
  /** Socket timeout of one call. @default 10000 */
  readonly timeoutMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Write ids. @default 8 random bytes, hex */
  readonly newWriteId?: () => string;
}

export interface RecordResult {
  /** False when a row for this identity already existed (a duplicated or retried event). */
  readonly created: boolean;
  readonly row: LedgerRow;
}

export type TransitionResult =
  | { readonly moved: true; readonly row: LedgerRow }
  /** Another writer moved the row first; `row` is what it holds now (undefined if it was deleted). */
  | { readonly moved: false; readonly row: LedgerRow | undefined };

export interface ListOptions {
  /** Only rows in these states. @default - all */
  readonly states?: readonly LedgerState[];
  /** Only open rows (not yet terminal and delivered). @default false */
  readonly openOnly?: boolean;
  /** Only objects whose key starts with this. */
  readonly objectKeyPrefix?: string;
  /** createdAt >= since (epoch ms). */
  readonly since?: number;
  /** createdAt < until (epoch ms). */
  readonly until?: number;
  /** Rows per page. @default 100 */
  readonly limit?: number;
  /** From a previous page's `cursor`. */
  readonly cursor?: string;
}

export interface ListPage {
  readonly rows: LedgerRow[];
  /** Pass back to continue; absent when the scan reached the end of the table. */
  readonly cursor?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OBJECT_KEY_BYTES = OSS_LIMITS.objectKeyMaxBytes;
/** Bucket, version and preset are kept to what a key column could hold, so a row never fails on size. */
const MAX_FIELD_BYTES = OTS_LIMITS.primaryKeyStringMaxBytes;
const DEFAULT_PAGE = 100;
const MAX_PAGE = OTS_LIMITS.getRangeMaxRows;

/** Row id: 32 hex characters of SHA-256 over the identity; hashing spreads rows over partitions and bounds the key size. */
export function ledgerRowId(identity: JobIdentity): string {
  checkIdentity(identity);
  return createHash('sha256')
    .update(JSON.stringify([identity.bucket, identity.objectKey, identity.version, identity.preset]))
    .digest('hex')
    .slice(0, 32);
}

/** `<id>.<attempt>`: ≤ 64 ASCII characters, so it also serves as a ClientToken. */
export function ledgerToken(id: string, attempt: number): string {
  return `${id}.${attempt}`;
}

/** The row id and attempt a token names; undefined for anything that is not a ledger token. */
export function parseLedgerToken(token: unknown): { id: string; attempt: number } | undefined {
  if (typeof token !== 'string') {
    return undefined;
  }
  const m = /^([0-9a-f]{32})\.([1-9][0-9]{0,5})$/.exec(token);
  return m ? { id: m[1], attempt: Number(m[2]) } : undefined;
}

function checkIdentity(identity: JobIdentity): void {
  for (const field of ['bucket', 'objectKey', 'version', 'preset'] as const) {
    const value = (identity as unknown as Record<string, unknown>)?.[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new LedgerError('invalid', `${field} must be a non-empty string, got ${JSON.stringify(value)}`);
    }
    const limit = field === 'objectKey' ? MAX_OBJECT_KEY_BYTES : MAX_FIELD_BYTES;
    if (Buffer.byteLength(value, 'utf8') > limit) {
      throw new LedgerError('invalid', `${field} must be at most ${limit} bytes of UTF-8, got ${Buffer.byteLength(value, 'utf8')}`);
    }
  }
}

/**
 * The service's error code of a failed SDK call. tablestore 5.6.5 hands back `code` = the HTTP status and the raw
 * protobuf `Error` bytes as a UTF-8 string in `message` (followed by " requestId:..."); network failures carry
 * `code` = 'NetworkingError'.
 */
export function otsErrorCode(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') {
    return e.code;
  }
  const text = typeof e?.message === 'string' ? e.message.replace(/ requestId:[^]*$/, '') : '';
  try {
    const decoded = otsProto.Error.decode(Buffer.from(text, 'utf8'));
    if (typeof decoded.code === 'string' && /^OTS[A-Za-z]+$/.test(decoded.code)) {
      return decoded.code;
    }
  } catch {
    // A length byte >= 0x80 does not survive the SDK's UTF-8 round trip; the code itself is ASCII, so find it.
  }
  const found = /OTS[A-Za-z]+/.exec(text);
  return found ? found[0] : typeof e?.code === 'number' ? `HTTP${e.code}` : 'Unknown';
}

const RETRYABLE_CODES = new Set([
  'NetworkingError',
  'OTSServerBusy',
  'OTSNotEnoughCapacityUnit',
  'OTSOperationThrottled',
  'OTSRowOperationConflict',
  'OTSPartitionUnavailable',
  'OTSTableNotReady',
  'OTSTimeout',
  'OTSServerUnavailable',
  'OTSInternalServerError',
  'OTSQuotaExhausted',
  'HTTP500',
  'HTTP502',
  'HTTP503',
  'HTTP504',
]);

/** Whether resending can help. Every ledger write is conditional, so resending never applies a change twice. */
export function isRetryableOtsError(err: unknown): boolean {
  return RETRYABLE_CODES.has(otsErrorCode(err));
}

type Cell = string | number | boolean;

function sdkValue(v: Cell): unknown {
  return typeof v === 'number' ? TableStore.Long.fromNumber(v) : v;
}

function plain(v: unknown): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function'
    ? (v as { toNumber(): number }).toNumber()
    : v;
}

const STRING_COLUMNS = ['bucket', 'objectKey', 'version', 'preset', 'token', 'jobId', 'reason', 'errorCode', 'status', 'result', 'request', 'meta', 'messageId', 'writeId'] as const;
const NUMBER_COLUMNS = ['rev', 'attempts', 'createdAt', 'updatedAt', 'submittingSince', 'submittedAt', 'finishedAt', 'deliveredAt'] as const;

function parseRow(sdkRow: any): LedgerRow | undefined {
  if (!sdkRow || !Array.isArray(sdkRow.primaryKey)) {
    return undefined;
  }
  const cols: Record<string, unknown> = {};
  for (const a of sdkRow.attributes ?? []) {
    cols[a.columnName] = plain(a.columnValue);
  }
  return rowOf(sdkRow.primaryKey[0].value, cols);
}

/** A row as read back: the id and its columns (plain values), '' meaning a cleared column. */
function rowOf(id: unknown, cols: Readonly<Record<string, unknown>>): LedgerRow {
  const row: Record<string, unknown> = { id };
  for (const name of STRING_COLUMNS) {
    // '' is how a write clears a column (a new attempt clears the last one's errorCode and reason).
    if (typeof cols[name] === 'string' && cols[name] !== '') {
      row[name] = cols[name];
    }
  }
  for (const name of NUMBER_COLUMNS) {
    if (typeof cols[name] === 'number') {
      row[name] = cols[name];
    }
  }
  row.state = cols.state;
  row.open = cols.open === true;
  row.delivered = cols.delivered === true;
  return row as unknown as LedgerRow;
}

/** The job ledger over one Tablestore table. Construct one per credentials (FC hands fresh STS keys per invocation). */
export class JobLedger {
  readonly tableName: string;
  private readonly client: any;
  private readonly retry: ResolvedRetryOptions;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly newWriteId: () => string;
  /** SDK calls made (each resend counted): for "ledger writes/queries per job" figures. */
  readonly calls = { writes: 0, reads: 0, conditionFailed: 0, retries: 0 };

  constructor(options: JobLedgerOptions) {
    for (const field of ['endpoint', 'instanceName'] as const) {
      if (typeof options?.[field] !== 'string' || options[field].length === 0) {
        throw new LedgerError('invalid', `${field} must be a non-empty string, got ${JSON.stringify(options?.[field])}`);
      }
    }
    if (!/^https?:\/\//.test(options.endpoint)) {
      throw new LedgerError('invalid', `endpoint must start with http:// or https://, got ${JSON.stringify(options.endpoint)}`);
    }
    if (!options.credentials?.accessKeyId || !options.credentials?.accessKeySecret) {
      throw new LedgerError('invalid', 'credentials must hold accessKeyId and accessKeySecret');
    }
    this.tableName = options.tableName ?? DEFAULT_LEDGER_TABLE;
    if (!OTS_LIMITS.tableNamePattern.test(this.tableName)) {
      throw new LedgerError('invalid', `tableName must be letters, digits or '_' not starting with a digit (1-255), got ${JSON.stringify(this.tableName)}`);
    }
    this.retry = resolveRetryOptions(options.retry);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      throw new LedgerError('invalid', `timeoutMs must be an integer >= 1, got ${timeoutMs}`);
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.newWriteId = options.newWriteId ?? (() => randomBytes(8).toString('hex'));
    this.client = new TableStore.Client({
      accessKeyId: options.credentials.accessKeyId,
      secretAccessKey: options.credentials.accessKeySecret,
      stsToken: options.credentials.securityToken,
      endpoint: options.endpoint,
      instancename: options.instanceName,
      // The SDK retries reads with real sleeps and never retries writes; the ledger owns every retry instead.
      // Caveat: tablestore 5.6.5 keeps this setting process-wide (DefaultRetryPolicy.maxRetryTimes).
      maxRetries: 0,
      httpOptions: { timeout: timeoutMs },
    });
  }

  /** Creates the table when it is missing (local runs and e2e; a deploy creates it through ROS). */
  async ensureTable(): Promise<boolean> {
    try {
      await this.call<any>('reads', () =>
        this.client.createTable({
          tableMeta: { tableName: this.tableName, primaryKey: [{ name: LEDGER_PRIMARY_KEY, type: 'STRING' }] },
          reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
          tableOptions: { timeToLive: -1, maxVersions: 1 },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'OTSObjectAlreadyExist') {
        return false;
      }
      throw err;
    }
  }

  /**
   * Records a job once: PutRow with EXPECT_NOT_EXIST. A duplicate event finds the row and gets `created: false`;
   * a resend after a lost answer recognises its own write by `writeId` and still gets `created: true`.
   */
  async record(identity: JobIdentity, extra: { request?: unknown; meta?: unknown } = {}): Promise<RecordResult> {
    const id = ledgerRowId(identity);
    const now = this.now();
    const writeId = this.newWriteId();
    const columns: Record<string, Cell> = {
      bucket: identity.bucket,
      objectKey: identity.objectKey,
      version: identity.version,
      preset: identity.preset,
      state: 'Received',
      rev: 1,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      open: true,
      delivered: false,
      messageId: id,
      writeId,
    };
    if (extra.request !== undefined) {
      columns.request = typeof extra.request === 'string' ? extra.request : JSON.stringify(extra.request);
    }
    if (extra.meta !== undefined) {
      columns.meta = typeof extra.meta === 'string' ? extra.meta : JSON.stringify(extra.meta);
    }
    const written = await this.conditional(id, writeId, () =>
      this.client.putRow({
        tableName: this.tableName,
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST, null),
        primaryKey: [{ [LEDGER_PRIMARY_KEY]: id }],
        attributeColumns: Object.entries(columns).map(([k, v]) => ({ [k]: sdkValue(v) })),
      }),
    );
    if (written.moved) {
      // The row is what was just written: no read back.
      return { created: true, row: written.row ?? rowOf(id, columns) };
    }
    if (!written.row) {
      throw new LedgerError('permanent', `PutRow of ${id} failed its condition but the row does not exist`);
    }
    return { created: false, row: written.row };
  }

  async get(id: string): Promise<LedgerRow | undefined> {
    const answer = await this.call<any>('reads', () =>
      this.client.getRow({ tableName: this.tableName, primaryKey: [{ [LEDGER_PRIMARY_KEY]: id }], maxVersions: 1 }),
    );
    return parseRow(answer.row);
  }

  /** The row a UserData/ClientToken token names, if any. */
  async findByToken(token: unknown): Promise<LedgerRow | undefined> {
    const parsed = parseLedgerToken(token);
    return parsed ? this.get(parsed.id) : undefined;
  }

  /** Received (or Submitting, for a resubmit) → Submitting: a new attempt and its token, before the submit call. */
  claimSubmit(row: LedgerRow, fields: { request?: string } = {}): Promise<TransitionResult> {
    const attempt = row.attempts + 1;
    return this.transition(row, 'Submitting', {
      ...fields,
      // A new attempt clears what the last one left (a NotAccepted mark must not survive into this attempt).
      extra: { attempts: attempt, token: ledgerToken(row.id, attempt), submittingSince: this.now(), errorCode: '', reason: '' },
    });
  }

  /**
   * Submitting → Submitting, marked {@link NOT_ACCEPTED_CODE}: the service answered this attempt without taking the
   * job (throttled, or failed before processing it), so no job carries its token and a new attempt is safe.
   */
  markNotAccepted(row: LedgerRow, reason: string): Promise<TransitionResult> {
    if (row.state !== 'Submitting') {
      throw new LedgerError('transition', `only a Submitting row can be marked not accepted; row ${row.id} is ${row.state}`);
    }
    return this.transition(row, 'Submitting', { errorCode: NOT_ACCEPTED_CODE, reason });
  }

  /** Submitting → Submitted with the JobId the service answered (or a notification carried). */
  markSubmitted(row: LedgerRow, jobId: string): Promise<TransitionResult> {
    return this.transition(row, 'Submitted', { jobId, extra: { submittedAt: this.now() } });
  }

  /**
   * → Success | Fail, with the typed result (JSON) and the service's status word. `delivered`: the result was
   * already published, so the same write marks it delivered (one write instead of two).
   */
  complete(row: LedgerRow, state: 'Success' | 'Fail', fields: TransitionFields = {}, options: { delivered?: boolean } = {}): Promise<TransitionResult> {
    const now = this.now();
    return this.transition(row, state, { ...fields, extra: { finishedAt: now, ...(options.delivered ? { delivered: true, deliveredAt: now } : {}) } });
  }

  /** → Rejected: bad input or preset, or a submit the service refused for good; the reason is kept. */
  reject(row: LedgerRow, reason: string, errorCode?: string): Promise<TransitionResult> {
    return this.transition(row, 'Rejected', { reason, errorCode, extra: { finishedAt: this.now() } });
  }

  /** → Unknown: the submit's outcome could not be learnt within the reconciliation window. */
  markUnknown(row: LedgerRow, reason: string): Promise<TransitionResult> {
    return this.transition(row, 'Unknown', { reason, extra: { finishedAt: this.now() } });
  }

  /** Terminal → delivered (the row leaves the open set). Delivering twice moves nothing the second time. */
  markDelivered(row: LedgerRow): Promise<TransitionResult> {
    if (!TERMINAL_STATES.includes(row.state)) {
      throw new LedgerError('transition', `only a terminal row can be delivered; row ${row.id} is ${row.state}`);
    }
    if (row.delivered) {
      return Promise.resolve({ moved: false, row });
    }
    return this.write(row, row.state, { delivered: true, deliveredAt: this.now(), open: false });
  }

  /** Moves a row from the state it was read in, conditioned on that state and its rev (compare-and-set). */
  transition(
    row: LedgerRow,
    to: LedgerState,
    fields: TransitionFields & { extra?: Record<string, Cell> } = {},
  ): Promise<TransitionResult> {
    if (!LEDGER_TRANSITIONS[row.state]?.includes(to)) {
      throw new LedgerError('transition', `row ${row.id} cannot move from ${row.state} to ${to}`);
    }
    const { extra, ...named } = fields;
    const columns: Record<string, Cell> = { ...extra };
    for (const [k, v] of Object.entries(named)) {
      if (v !== undefined) {
        columns[k] = v as Cell;
      }
    }
    columns.open = !TERMINAL_STATES.includes(to) || !(row.delivered || columns.delivered === true);
    return this.write(row, to, columns);
  }

  /** One page of rows in id order, filtered on the server. */
  async list(options: ListOptions = {}): Promise<ListPage> {
    const limit = options.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new LedgerError('invalid', `limit must be an integer between 1 and ${MAX_PAGE}, got ${limit}`);
    }
    for (const s of options.states ?? []) {
      if (!LEDGER_STATES.includes(s)) {
        throw new LedgerError('invalid', `states must be among ${LEDGER_STATES.join(', ')}, got ${JSON.stringify(s)}`);
      }
    }
    if (options.cursor !== undefined && !/^[0-9a-f]{32}$/.test(options.cursor)) {
      throw new LedgerError('invalid', `cursor must be a cursor from a previous page, got ${JSON.stringify(options.cursor)}`);
    }
    const answer = await this.call<any>('reads', () =>
      this.client.getRange({
        tableName: this.tableName,
        direction: TableStore.Direction.FORWARD,
        inclusiveStartPrimaryKey: [{ [LEDGER_PRIMARY_KEY]: options.cursor ?? TableStore.INF_MIN }],
        exclusiveEndPrimaryKey: [{ [LEDGER_PRIMARY_KEY]: TableStore.INF_MAX }],
        limit,
        maxVersions: 1,
        columnFilter: listFilter(options),
      }),
    );
    const rows = (answer.rows as unknown[]).map(parseRow).filter((r): r is LedgerRow => r !== undefined);
    const next = answer.nextStartPrimaryKey?.[0]?.value;
    return { rows, cursor: typeof next === 'string' ? next : undefined };
  }

  /** A page of open rows (not yet terminal and delivered): the sweep's work list. */
  listOpen(options: { limit?: number; cursor?: string } = {}): Promise<ListPage> {
    return this.list({ ...options, openOnly: true });
  }

  private async write(row: LedgerRow, to: LedgerState, columns: Record<string, Cell>): Promise<TransitionResult> {
    const writeId = this.newWriteId();
    const all: Record<string, Cell> = { ...columns, state: to, rev: row.rev + 1, updatedAt: this.now(), writeId };
    const condition = new TableStore.CompositeCondition(TableStore.LogicalOperator.AND);
    condition.addSubCondition(new TableStore.SingleColumnCondition('state', row.state, TableStore.ComparatorType.EQUAL, false));
    condition.addSubCondition(
      new TableStore.SingleColumnCondition('rev', TableStore.Long.fromNumber(row.rev), TableStore.ComparatorType.EQUAL, false),
    );
    const result = await this.conditional(row.id, writeId, () =>
      this.client.updateRow({
        tableName: this.tableName,
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_EXIST, condition),
        primaryKey: [{ [LEDGER_PRIMARY_KEY]: row.id }],
        updateOfAttributeColumns: [{ PUT: Object.entries(all).map(([k, v]) => ({ [k]: sdkValue(v) })) }],
      }),
    );
    if (result.moved) {
      const written: Record<string, unknown> = { ...row, ...all };
      for (const k of Object.keys(written)) if (written[k] === '') delete written[k]; // '' clears a column (parseRow)
      return { moved: true, row: result.row ?? (written as unknown as LedgerRow) };
    }
    return result;
  }

  /**
   * Runs a conditional write with retries. On OTSConditionCheckFail the row is re-read: if it carries this write's
   * id, an earlier attempt landed (its answer was lost) and the write counts as done.
   */
  private async conditional(id: string, writeId: string, send: () => Promise<unknown>): Promise<TransitionResult | { moved: true; row?: LedgerRow }> {
    try {
      await this.call('writes', send);
      return { moved: true };
    } catch (err) {
      if (!(err instanceof LedgerError) || err.code !== 'OTSConditionCheckFail') {
        throw err;
      }
      this.calls.conditionFailed++;
      const current = await this.get(id);
      if (current && current.writeId === writeId) {
        return { moved: true, row: current };
      }
      return { moved: false, row: current };
    }
  }

  private async call<T>(kind: 'reads' | 'writes', send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.calls[kind]++;
      try {
        return await send();
      } catch (err) {
        const code = otsErrorCode(err);
        if (code === 'OTSConditionCheckFail') {
          throw new LedgerError('permanent', 'Condition check failed.', code, err);
        }
        if (!isRetryableOtsError(err)) {
          throw new LedgerError('permanent', `Tablestore answered ${code}: ${describeError(err)}`, code, err);
        }
        if (attempt >= this.retry.retries) {
          throw new LedgerError('unavailable', `Tablestore still failing with ${code} after ${attempt + 1} attempt(s)`, code, err);
        }
        this.calls.retries++;
        await this.sleep(backoffDelayMs(attempt, this.retry, this.random));
      }
    }
  }
}

function describeError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'number') {
    try {
      return String(otsProto.Error.decode(Buffer.from(String(e.message).replace(/ requestId:[^]*$/, ''), 'utf8')).message);
    } catch {
      return `HTTP ${e.code}`;
    }
  }
  return String(e?.message ?? err);
}

function listFilter(options: ListOptions): unknown {
  const parts: unknown[] = [];
  const eq = (name: string, value: unknown) => new TableStore.SingleColumnCondition(name, value, TableStore.ComparatorType.EQUAL, false);
  if (options.openOnly) {
    parts.push(eq('open', true));
  }
  if (options.states && options.states.length > 0) {
    if (options.states.length === 1) {
      parts.push(eq('state', options.states[0]));
    } else {
      const any = new TableStore.CompositeCondition(TableStore.LogicalOperator.OR);
      for (const s of options.states) {
        any.addSubCondition(eq('state', s));
      }
      parts.push(any);
    }
  }
  if (options.objectKeyPrefix) {
    // Keys sharing a prefix form one contiguous UTF-8 byte range: [prefix, prefix + U+10FFFF (F4 8F BF BF)].
    parts.push(new TableStore.SingleColumnCondition('objectKey', options.objectKeyPrefix, TableStore.ComparatorType.GREATER_EQUAL, false));
    parts.push(new TableStore.SingleColumnCondition('objectKey', `${options.objectKeyPrefix}\u{10ffff}`, TableStore.ComparatorType.LESS_EQUAL, false));
  }
  if (options.since !== undefined) {
    parts.push(new TableStore.SingleColumnCondition('createdAt', TableStore.Long.fromNumber(options.since), TableStore.ComparatorType.GREATER_EQUAL, false));
  }
  if (options.until !== undefined) {
    parts.push(new TableStore.SingleColumnCondition('createdAt', TableStore.Long.fromNumber(options.until), TableStore.ComparatorType.LESS_THAN, false));
  }
  if (parts.length === 0) {
    return undefined;
  }
  if (parts.length === 1) {
    return parts[0];
  }
  const all = new TableStore.CompositeCondition(TableStore.LogicalOperator.AND);
  for (const p of parts) {
    all.addSubCondition(p);
  }
  return all;
}
