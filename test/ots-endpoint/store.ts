/**
 * The tables of one local instance: schema checks, primary-key order, row conditions and the row operations.
 * Pure (no HTTP, no protobuf); `server.ts` decodes a request, calls here, encodes the answer.
 */
import { AttributeCell, CellValue, KeyColumn, KeyValue, StoredCell, filterProto, decodeColumnValue } from './codec';

/** A service error: the HTTP status and the `Error {code, message}` the SDK receives. */
export class OtsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const otsErrors = {
  // Codes and messages from the Tablestore error-code reference; texts marked GUESS were not found there.
  parameter: (message: string) => new OtsError(400, 'OTSParameterInvalid', message),
  tableMissing: () => new OtsError(404, 'OTSObjectNotExist', 'Requested table does not exist.'),
  tableExists: () => new OtsError(409, 'OTSObjectAlreadyExist', 'Requested table already exists.'),
  conditionFailed: () => new OtsError(403, 'OTSConditionCheckFail', 'Condition check failed.'),
  unavailable: () => new OtsError(503, 'OTSServerUnavailable', 'Server is not available.'),
  internal: (detail: string) => new OtsError(500, 'OTSInternalServerError', `Internal server error. ${detail}`),
  authFailed: (message: string) => new OtsError(403, 'OTSAuthFailed', message),
  methodNotAllowed: () => new OtsError(405, 'OTSMethodNotAllowed', 'OTSMethodNotAllowedOnly POST method for requests is supported.'),
  unsupported: (operation: string) => new OtsError(400, 'OTSParameterInvalid', `Unsupported operation: ${operation}.`),
};

export type PkType = 'integer' | 'string' | 'binary';

export interface TableSchema {
  readonly name: string;
  readonly primaryKey: readonly { readonly name: string; readonly type: PkType }[];
  readonly createdAtMs: number;
  readonly timeToLive: number;
  readonly maxVersions: number;
}

export interface StoredRow {
  readonly primaryKey: readonly KeyColumn[];
  attributes: Map<string, StoredCell>;
}

export class Table {
  /** Rows sorted by primary key. Binary search keeps GetRange and inserts cheap enough for e2e volumes. */
  readonly rows: StoredRow[] = [];

  constructor(readonly schema: TableSchema) {}

  /** Checks a full primary key against the schema (names, order, types); range markers only when allowed. */
  checkKey(key: readonly KeyColumn[], allowMarkers: boolean): void {
    const want = this.schema.primaryKey;
    if (key.length !== want.length) {
      throw otsErrors.parameter(
        `Validate PK size fail. Input: ${key.length}, Meta: ${want.length}.`,
      );
    }
    key.forEach((col, i) => {
      if (col.name !== want[i].name) {
        throw otsErrors.parameter(`Validate PK name fail. Input: ${col.name}, Meta: ${want[i].name}.`);
      }
      const marker = col.value.type === 'inf_min' || col.value.type === 'inf_max';
      if (marker && allowMarkers) {
        return;
      }
      if (col.value.type !== want[i].type) {
        throw otsErrors.parameter(`Validate PK type fail. Input: ${col.value.type}, Meta: ${want[i].type}.`);
      }
    });
  }

  /** Index of the row with this key, or -(insertion point) - 1. */
  find(key: readonly KeyColumn[]): number {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareKeys(this.rows[mid].primaryKey, key);
      if (c === 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -lo - 1;
  }

  get(key: readonly KeyColumn[]): StoredRow | undefined {
    const i = this.find(key);
    return i >= 0 ? this.rows[i] : undefined;
  }

  set(key: readonly KeyColumn[], attributes: Map<string, StoredCell>): StoredRow {
    const i = this.find(key);
    if (i >= 0) {
      this.rows[i].attributes = attributes;
      return this.rows[i];
    }
    const row: StoredRow = { primaryKey: key, attributes };
    this.rows.splice(-i - 1, 0, row);
    return row;
  }

  delete(key: readonly KeyColumn[]): void {
    const i = this.find(key);
    if (i >= 0) {
      this.rows.splice(i, 1);
    }
  }
}

function rank(v: KeyValue): number {
  return v.type === 'inf_min' ? -1 : v.type === 'inf_max' ? 1 : 0;
}

/** Tablestore orders integers numerically, strings and binaries by their bytes. */
export function compareValues(a: KeyValue, b: KeyValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== 0 || rb !== 0) {
    return ra - rb;
  }
  const x = a as CellValue;
  const y = b as CellValue;
  if (x.type !== y.type) {
    return x.type < y.type ? -1 : 1;
  }
  switch (x.type) {
    case 'integer':
      return x.value < (y.value as bigint) ? -1 : x.value > (y.value as bigint) ? 1 : 0;
    case 'string':
      return Buffer.compare(Buffer.from(x.value, 'utf8'), Buffer.from(y.value as string, 'utf8'));
    case 'binary':
      return Buffer.compare(x.value, y.value as Buffer);
    case 'double':
      return x.value < (y.value as number) ? -1 : x.value > (y.value as number) ? 1 : 0;
    case 'boolean':
      return Number(x.value) - Number(y.value as boolean);
  }
}

export function compareKeys(a: readonly KeyColumn[], b: readonly KeyColumn[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i].value, b[i].value);
    if (c !== 0) {
      return c;
    }
  }
  return a.length - b.length;
}

/** proto RowExistenceExpectation: IGNORE 0, EXPECT_EXIST 1, EXPECT_NOT_EXIST 2. */
export interface RowCondition {
  readonly rowExistence: number;
  readonly columnCondition?: Uint8Array;
}

/** Evaluates a condition against the row as it is now; throws OTSConditionCheckFail when it does not hold. */
export function checkCondition(condition: RowCondition | undefined, row: StoredRow | undefined): void {
  const existence = condition?.rowExistence ?? 0;
  if (existence === 1 && !row) {
    throw otsErrors.conditionFailed();
  }
  if (existence === 2 && row) {
    throw otsErrors.conditionFailed();
  }
  const bytes = condition?.columnCondition;
  if (bytes && bytes.length > 0 && !evaluateFilter(bytes, row?.attributes)) {
    throw otsErrors.conditionFailed();
  }
}

/** A serialized `filter.proto.Filter` (single or composite column condition) over a row's columns. */
export function evaluateFilter(bytes: Uint8Array, attributes: ReadonlyMap<string, StoredCell> | undefined): boolean {
  let filter: { type: number; filter: Uint8Array };
  try {
    filter = filterProto.Filter.decode(bytes);
  } catch (err) {
    throw otsErrors.parameter(`Invalid column condition: ${(err as Error).message}`);
  }
  if (filter.type === filterProto.FilterType.FT_SINGLE_COLUMN_VALUE) {
    const single = filterProto.SingleColumnValueFilter.decode(filter.filter);
    const cell = attributes?.get(single.columnName);
    if (!cell) {
      return !single.filterIfMissing;
    }
    const wanted = decodeColumnValue(single.columnValue);
    if (cell.value.type !== wanted.type) {
      // GUESS: a comparison across types is false rather than an error.
      return false;
    }
    const c = compareValues(cell.value, wanted);
    const CT = filterProto.ComparatorType;
    switch (single.comparator) {
      case CT.CT_EQUAL:
        return c === 0;
      case CT.CT_NOT_EQUAL:
        return c !== 0;
      case CT.CT_GREATER_THAN:
        return c > 0;
      case CT.CT_GREATER_EQUAL:
        return c >= 0;
      case CT.CT_LESS_THAN:
        return c < 0;
      case CT.CT_LESS_EQUAL:
        return c <= 0;
      default:
        throw otsErrors.parameter(`Invalid comparator: ${single.comparator}.`);
    }
  }
  if (filter.type === filterProto.FilterType.FT_COMPOSITE_COLUMN_VALUE) {
    const composite = filterProto.CompositeColumnValueFilter.decode(filter.filter);
    const subs: Uint8Array[] = composite.subFilters.map((f: unknown) => filterProto.Filter.encode(f).finish());
    const LO = filterProto.LogicalOperator;
    switch (composite.combinator) {
      case LO.LO_NOT:
        if (subs.length !== 1) {
          throw otsErrors.parameter(`NOT takes exactly one sub-condition, got ${subs.length}.`);
        }
        return !evaluateFilter(subs[0], attributes);
      case LO.LO_AND:
        return subs.every((s) => evaluateFilter(s, attributes));
      case LO.LO_OR:
        return subs.some((s) => evaluateFilter(s, attributes));
      default:
        throw otsErrors.parameter(`Invalid logical operator: ${composite.combinator}.`);
    }
  }
  throw otsErrors.parameter(`Unsupported filter type: ${filter.type}.`);
}

/** Applies UpdateRow cells to a copy of the current columns. */
export function applyUpdate(
  current: ReadonlyMap<string, StoredCell> | undefined,
  cells: readonly AttributeCell[],
  nowMs: number,
): { attributes: Map<string, StoredCell>; modified: Map<string, StoredCell> } {
  const next = new Map(current ?? []);
  const modified = new Map<string, StoredCell>();
  for (const cell of cells) {
    switch (cell.op) {
      case 'put': {
        if (!cell.value) {
          throw otsErrors.parameter(`Column ${cell.name} has no value.`);
        }
        const stored = { value: cell.value, timestamp: cell.timestamp ?? nowMs };
        next.set(cell.name, stored);
        modified.set(cell.name, stored);
        break;
      }
      case 'delete_all':
        next.delete(cell.name);
        break;
      case 'delete_one':
        // Only one version is kept: deleting the version held removes the column (GUESS on other timestamps: no-op).
        if (cell.timestamp === undefined || next.get(cell.name)?.timestamp === cell.timestamp) {
          next.delete(cell.name);
        }
        break;
      case 'increment': {
        if (cell.value?.type !== 'integer') {
          throw otsErrors.parameter(`Increment of column ${cell.name} needs an integer value.`);
        }
        const old = next.get(cell.name);
        if (old && old.value.type !== 'integer') {
          throw otsErrors.parameter(`Column ${cell.name} is not an integer and cannot be incremented.`);
        }
        const base = old ? (old.value.value as bigint) : 0n;
        const stored: StoredCell = { value: { type: 'integer', value: base + cell.value.value }, timestamp: nowMs };
        next.set(cell.name, stored);
        modified.set(cell.name, stored);
        break;
      }
    }
  }
  return { attributes: next, modified };
}
