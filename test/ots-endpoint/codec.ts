/**
 * The wire formats of Tablestore, read and written with the official SDK's own code: the protobuf messages compiled
 * into `tablestore` (lib/protocol/tablestore_compiled_proto.js) and its PlainBuffer streams, CRC-8 and builder.
 * Nothing here re-implements the format; two small extensions fill what the SDK's reader cannot read, because the
 * SDK only ever reads rows the service sends and the service never sends these:
 * - primary-key cells holding INF_MIN / INF_MAX / AUTO_INCREMENT (GetRange bounds): the SDK's
 *   `readPrimaryKeyValue` throws on them;
 * - attribute cells carrying a cell type (UpdateRow's DELETE / DELETE_ALL / INCREMENT): the SDK's `readColumn`
 *   never reads the type byte (it references an undeclared `cell_type`), so it loses its place.
 * Both extensions subclass the SDK's coded input stream and use its byte stream and CRC-8 for every byte read.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
const TableStore: any = require('tablestore');
const compiled: any = require('tablestore/lib/protocol/tablestore_compiled_proto.js');
const { Int64LE }: { Int64LE: new (buf: Buffer) => { toBuffer(): Buffer } } = require('int64-buffer');

/** The SDK's protobuf namespaces (`main.proto`, `filter.proto`). */
export const proto: any = compiled.main.proto;
export const filterProto: any = compiled.filter.proto;

const C = TableStore.plainBufferConsts;
const crc = TableStore.plainBufferCrc8;

/** A cell value as the endpoint stores it. Integers are kept as bigint so ordering and INCREMENT are exact. */
export type CellValue =
  | { readonly type: 'integer'; readonly value: bigint }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'binary'; readonly value: Buffer }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'double'; readonly value: number };

/** A primary-key bound: a value, or one of the range markers the SDK sends for GetRange. */
export type KeyValue = CellValue | { readonly type: 'inf_min' } | { readonly type: 'inf_max' } | { readonly type: 'auto_increment' };

export interface KeyColumn {
  readonly name: string;
  readonly value: KeyValue;
}

export type CellOp = 'put' | 'delete_one' | 'delete_all' | 'increment';

export interface AttributeCell {
  readonly name: string;
  /** Absent for DELETE / DELETE_ALL. */
  readonly value?: CellValue;
  readonly timestamp?: number;
  readonly op: CellOp;
}

export interface DecodedRow {
  readonly primaryKey: readonly KeyColumn[];
  readonly attributes: readonly AttributeCell[];
  readonly deleteMarker: boolean;
}

/** Thrown for bytes the codec cannot read; the server answers OTSParameterInvalid. */
export class CodecError extends Error {}

function fromSdkValue(value: unknown): CellValue {
  if (value instanceof Int64LE) {
    return { type: 'integer', value: value.toBuffer().readBigInt64LE(0) };
  }
  if (typeof value === 'string') {
    return { type: 'string', value };
  }
  if (Buffer.isBuffer(value)) {
    return { type: 'binary', value: Buffer.from(value) };
  }
  if (typeof value === 'boolean') {
    return { type: 'boolean', value };
  }
  if (typeof value === 'number') {
    return { type: 'double', value };
  }
  throw new CodecError(`unsupported cell value ${String(value)}`);
}

/** The SDK's representation of a value (Int64LE for integers), ready for its PlainBuffer builder. */
export function toSdkValue(value: CellValue): unknown {
  if (value.type === 'integer') {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(value.value);
    return new Int64LE(buf);
  }
  return value.value;
}

const MARKERS: Record<number, KeyValue> = {
  [C.VT_INF_MIN]: { type: 'inf_min' },
  [C.VT_INF_MAX]: { type: 'inf_max' },
  [C.VT_AUTO_INCREMENT]: { type: 'auto_increment' },
};

/** The SDK's coded input stream, taught the two cells only clients send (see the file comment). */
class RequestRowReader extends TableStore.PlainBufferCodedInputStream {
  constructor(input: unknown) {
    super(input);
  }

  readPrimaryKeyValue(cellCheckSum: number): { pkVal: unknown; cellCheckSum: number } {
    const input = this.inputStream;
    // Layout: TAG_CELL_VALUE (already read), int32 length, type byte, payload.
    const type = input.buffer[input.curPos + 4];
    const marker = MARKERS[type];
    if (marker === undefined) {
      return super.readPrimaryKeyValue(cellCheckSum);
    }
    input.readRawLittleEndian32();
    input.readRawByte();
    const sum = crc.crcInt8(cellCheckSum, type);
    this.readTag();
    return { pkVal: marker, cellCheckSum: sum };
  }

  readColumn(rowCheckSum: number): { columnName: string; columnValue: unknown; timestamp: unknown; op: CellOp; rowCheckSum: number } {
    if (!this.checkLastTagWas(C.TAG_CELL)) {
      throw new CodecError(`expected TAG_CELL, got ${this.getLastTag()}`);
    }
    this.readTag();
    if (!this.checkLastTagWas(C.TAG_CELL_NAME)) {
      throw new CodecError(`expected TAG_CELL_NAME, got ${this.getLastTag()}`);
    }
    const input = this.inputStream;
    const nameSize = input.readRawLittleEndian32();
    const columnName: string = input.readUtfString(nameSize);
    let cellCheckSum = crc.crcString(0, columnName);
    this.readTag();
    let columnValue: unknown;
    if (this.getLastTag() === C.TAG_CELL_VALUE) {
      const read = this.readColumnValue(cellCheckSum);
      columnValue = read.columnVal;
      cellCheckSum = read.cellCheckSum;
    }
    let cellType: number | undefined;
    if (this.getLastTag() === C.TAG_CELL_TYPE) {
      cellType = input.readRawByte();
      this.readTag();
    }
    let timestamp: unknown;
    if (this.getLastTag() === C.TAG_CELL_TIMESTAMP) {
      const int64 = input.readInt64();
      timestamp = int64;
      cellCheckSum = crc.crcInt64Buf(cellCheckSum, int64.toBuffer());
      this.readTag();
    }
    // The writer folds the cell type in last (PlainBufferCodedOutputStream.writeUpdateColumn).
    if (cellType !== undefined) {
      cellCheckSum = crc.crcInt8(cellCheckSum, cellType);
    }
    if (this.getLastTag() !== C.TAG_CELL_CHECKSUM) {
      throw new CodecError(`expected TAG_CELL_CHECKSUM, got ${this.getLastTag()}`);
    }
    const sent = input.readRawByte();
    if (sent !== cellCheckSum) {
      throw new CodecError(`cell checksum mismatch for column ${columnName}`);
    }
    this.readTag();
    const op: CellOp =
      cellType === undefined
        ? 'put'
        : cellType === C.DELETE_ALL_VERSION
          ? 'delete_all'
          : cellType === C.DELETE_ONE_VERSION
            ? 'delete_one'
            : cellType === C.INCREMENT
              ? 'increment'
              : (() => {
                  throw new CodecError(`unknown cell type ${cellType}`);
                })();
    return { columnName, columnValue, timestamp, op, rowCheckSum: crc.crcInt8(rowCheckSum, cellCheckSum) };
  }

  /** As the SDK's readRowWithoutHeader, keeping each cell's operation and the delete marker. */
  readRequestRow(): DecodedRow {
    if (this.readHeader() !== C.HEADER) {
      throw new CodecError('invalid PlainBuffer header');
    }
    this.readTag();
    let rowCheckSum = 0;
    const primaryKey: KeyColumn[] = [];
    const attributes: AttributeCell[] = [];
    if (this.checkLastTagWas(C.TAG_ROW_PK)) {
      this.readTag();
      while (this.checkLastTagWas(C.TAG_CELL)) {
        const pk = this.readPrimaryKeyColumn(rowCheckSum);
        const value = pk.primaryKeyValue;
        primaryKey.push({ name: pk.columnName, value: isMarker(value) ? value : fromSdkValue(value) });
        rowCheckSum = pk.rowCheckSum;
      }
    }
    if (this.checkLastTagWas(C.TAG_ROW_DATA)) {
      this.readTag();
      while (this.checkLastTagWas(C.TAG_CELL)) {
        const cell = this.readColumn(rowCheckSum);
        attributes.push({
          name: cell.columnName,
          value: cell.columnValue === undefined ? undefined : fromSdkValue(cell.columnValue),
          timestamp: cell.timestamp === undefined ? undefined : Number((cell.timestamp as { toBuffer(): Buffer }).toBuffer().readBigInt64LE(0)),
          op: cell.op,
        });
        rowCheckSum = cell.rowCheckSum;
      }
    }
    let deleteMarker = false;
    if (this.checkLastTagWas(C.TAG_DELETE_ROW_MARKER)) {
      deleteMarker = true;
      this.readTag();
      rowCheckSum = crc.crcInt8(rowCheckSum, 1);
    } else {
      rowCheckSum = crc.crcInt8(rowCheckSum, 0);
    }
    if (!this.checkLastTagWas(C.TAG_ROW_CHECKSUM)) {
      throw new CodecError(`expected TAG_ROW_CHECKSUM, got ${this.getLastTag()}`);
    }
    if (this.inputStream.readRawByte() !== rowCheckSum) {
      throw new CodecError('row checksum mismatch');
    }
    return { primaryKey, attributes, deleteMarker };
  }
}

function isMarker(value: unknown): value is KeyValue {
  return Object.values(MARKERS).includes(value as KeyValue);
}

/** Decodes one PlainBuffer row as a client encodes it (PutRow, UpdateRow, DeleteRow, a GetRow/GetRange key). */
export function decodeRow(bytes: Uint8Array): DecodedRow {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const input = new TableStore.PlainBufferInputStream({ buffer, offset: 0, limit: buffer.length });
  try {
    return new RequestRowReader(input).readRequestRow();
  } catch (err) {
    throw err instanceof CodecError ? err : new CodecError((err as Error).message);
  }
}

/** A column condition's value, written by the SDK's `serializeColumnValue` (type byte + payload, no tag). */
export function decodeColumnValue(bytes: Uint8Array): CellValue {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const input = new TableStore.PlainBufferInputStream({ buffer, offset: 0, limit: buffer.length });
  if (buffer[0] === C.VT_BLOB) {
    input.readRawByte();
    return { type: 'binary', value: input.readBytes(input.readInt32()) };
  }
  try {
    return fromSdkValue(new TableStore.PlainBufferCodedInputStream(input).readSearchVariant());
  } catch (err) {
    throw new CodecError((err as Error).message);
  }
}

export interface StoredCell {
  readonly value: CellValue;
  readonly timestamp: number;
}

/** A stored row in the SDK builder's own shape; the builder writes it exactly as the service does. */
function builderArgs(primaryKey: readonly KeyColumn[], attributes: ReadonlyMap<string, StoredCell> | undefined): [unknown[], unknown[]] {
  const pk = primaryKey.map((c) => ({ [c.name]: toSdkValue(c.value as CellValue) }));
  const attrs: unknown[] = [];
  for (const [name, cell] of attributes ?? []) {
    // The builder takes the first own key as the column name and `timestamp` as its version.
    attrs.push({ [name]: toSdkValue(cell.value), timestamp: cell.timestamp });
  }
  return [pk, attrs];
}

/** One row in PlainBuffer, header included (GetRow, PutRow/UpdateRow ReturnContent, BatchWriteRow). */
export function encodeRow(primaryKey: readonly KeyColumn[], attributes?: ReadonlyMap<string, StoredCell>): Buffer {
  const [pk, attrs] = builderArgs(primaryKey, attributes);
  return TableStore.PlainBufferBuilder.serializeForPutRow(pk, attrs);
}

/** Several rows under one header, as GetRange answers them (the SDK reads them with `readRows`). */
export function encodeRows(rows: readonly { primaryKey: readonly KeyColumn[]; attributes: ReadonlyMap<string, StoredCell> }[]): Buffer {
  if (rows.length === 0) {
    return Buffer.alloc(0);
  }
  const parts = rows.map((row, i) => {
    const one = encodeRow(row.primaryKey, row.attributes);
    return i === 0 ? one : one.subarray(4);
  });
  return Buffer.concat(parts);
}

/** A primary key alone (GetRange's next start key). */
export function encodePrimaryKey(primaryKey: readonly KeyColumn[]): Buffer {
  return TableStore.PlainBufferBuilder.serializePrimaryKey(primaryKey.map((c) => ({ [c.name]: toSdkValue(c.value as CellValue) })));
}

/** The service's error body: the `Error` message of tablestore.proto. */
export function encodeError(code: string, message: string): Buffer {
  return Buffer.from(proto.Error.encode(proto.Error.create({ code, message })).finish());
}
