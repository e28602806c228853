export * from './server';
export { OtsError, otsErrors, compareKeys, compareValues } from './store';
export { proto as otsProto, decodeRow, encodeRow, encodeRows, encodePrimaryKey, encodeError, CodecError } from './codec';
export type { CellValue, KeyColumn, KeyValue, DecodedRow, AttributeCell, StoredCell } from './codec';
