import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { codecs as compressors } from './parquet-codecs.ts';
import { OutpostError } from '@outpost/shared';
import type { RawRecord, RawValue } from '@outpost/shared';
import type { DataType } from '../column-types.ts';
import { noRows } from './bad-rows.ts';
import { toRawValue } from './cells.ts';
import type { ByteSource } from '../../blobs/byte-source.ts';
import type { RowBatch, RowReader, SchemaColumn } from './types.ts';

/**
 * A Parquet file read one row group at a time through ranged reads (the footer, then each group's
 * column chunks), column by column, so memory holds one row group, not the file, and no row
 * objects unless someone asks for rows. Cells are normalized by `toRawValue`; byte arrays without
 * a STRING/UTF8 annotation are binary (base64), as the schema says. hyparquet decodes SNAPPY
 * itself; hyparquet-compressors adds ZSTD, GZIP, BROTLI and LZ4, which pandas and Spark also write
 * (vega's flights-3m.parquet is ZSTD). Column types come from the schema (see `typeOfParquetColumn`).
 */
export async function openParquet(source: ByteSource): Promise<RowReader> {
  const file: AsyncBuffer = {
    byteLength: source.size,
    // hyparquet reads an ArrayBuffer by offset: hand it exactly the requested bytes.
    slice: async (start, end) => exactArrayBuffer(await source.slice(start, end ?? source.size)),
  };
  const metadata = await unreadable(() => parquetMetadataAsync(file));
  const schema = parquetSchema(metadata).children.map((c): SchemaColumn => ({ name: c.element.name, type: typeOfParquetColumn(c) }));
  async function* batches(): AsyncGenerator<RowBatch, void, undefined> {
    if (Number(metadata.num_rows) === 0) throw noRows();
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      if (rowEnd > rowStart) yield await readGroup(file, metadata, schema, rowStart, rowEnd);
      rowStart = rowEnd;
    }
  }
  return {
    schema,
    batches,
    async *chunks() {
      for await (const batch of batches()) yield batch.rows();
    },
    summary: () => ({ skipped: 0, errors: [] }),
  };
}

async function readGroup(file: AsyncBuffer, metadata: FileMetaData, schema: readonly SchemaColumn[], rowStart: number, rowEnd: number): Promise<RowBatch> {
  const pieces = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
  await unreadable(() =>
    parquetRead({
      file,
      metadata,
      rowStart,
      rowEnd,
      utf8: false,
      compressors,
      onChunk: ({ columnName, columnData, rowStart: at }) => {
        let list = pieces.get(columnName);
        if (!list) pieces.set(columnName, (list = []));
        list.push({ rowStart: at, data: columnData });
      },
    }),
  );
  const length = rowEnd - rowStart;
  const columns = new Map<string, ArrayLike<RawValue>>();
  for (const { name, type } of schema) columns.set(name, normalize(assemble(pieces.get(name) ?? [], rowStart, length), type));
  let rows: RawRecord[] | undefined;
  return {
    length,
    columns,
    rows: () => (rows ??= toRows(columns, schema, length)),
  };
}

/** One column's values for rows [rowStart, rowStart + length), from the pieces hyparquet handed over (which may reach outside it). */
function assemble(pieces: { rowStart: number; data: ArrayLike<unknown> }[], rowStart: number, length: number): ArrayLike<unknown> {
  const only = pieces.length === 1 ? pieces[0]! : undefined;
  if (only && only.rowStart === rowStart && only.data.length === length) return only.data;
  const out = new Array<unknown>(length).fill(null);
  for (const p of pieces) {
    for (let i = 0; i < p.data.length; i++) {
      const at = p.rowStart + i - rowStart;
      if (at >= 0 && at < length) out[at] = p.data[i];
    }
  }
  return out;
}

/**
 * Cells as the profiler takes them: numbers for integers (bigint too), epoch ms for datetimes. A
 * column whose values already are plain cells is used as hyparquet made it, without a copy.
 */
function normalize(values: ArrayLike<unknown>, type: DataType): ArrayLike<RawValue> {
  const n = values.length;
  if (type === 'datetime') {
    const out = new Array<RawValue>(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const t = v instanceof Date ? v.getTime() : NaN;
      out[i] = t === t ? t : v instanceof Date || v === null || v === undefined ? null : toRawValue(v);
    }
    return out;
  }
  if (type === 'text') return Array.from(values, toRawValue);
  let plain = true;
  for (let i = 0; i < n && plain; i++) {
    const v = values[i];
    plain = v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
  }
  if (plain && Array.isArray(values)) return values as RawValue[];
  const out = new Array<RawValue>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = typeof v === 'bigint' ? (v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v.toString()) : typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : toRawValue(v);
  }
  return out;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Row objects from the columns; datetimes back to the ISO 8601 strings `toRawValue` makes of a Date. */
function toRows(columns: ReadonlyMap<string, ArrayLike<RawValue>>, schema: readonly SchemaColumn[], length: number): RawRecord[] {
  const rows: Record<string, RawValue>[] = Array.from({ length }, () => ({}));
  for (const { name, type } of schema) {
    const values = columns.get(name)!;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      // defineProperty, not assignment: a column named __proto__ stays data.
      Object.defineProperty(rows[i]!, name, { value: type === 'datetime' && typeof v === 'number' ? new Date(v).toISOString() : v, enumerable: true, writable: true, configurable: true });
    }
  }
  return rows;
}

/**
 * A top-level Parquet column's type: BOOLEAN → boolean; timestamps, dates and INT96 → datetime;
 * other integers → integer; floats and decimals → number; strings and enums → categorical; JSON,
 * BSON, UUID, binary and nested columns (read as JSON strings) → text.
 */
export function typeOfParquetColumn(column: SchemaTree): DataType {
  if (column.children.length > 0) return 'text';
  const { type, converted_type: converted, logical_type: logical } = column.element;
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'INT96' || logical?.type === 'TIMESTAMP' || logical?.type === 'DATE' || converted === 'DATE' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'datetime';
  if (logical?.type === 'DECIMAL' || converted === 'DECIMAL' || logical?.type === 'FLOAT16' || type === 'FLOAT' || type === 'DOUBLE') return 'number';
  if (type === 'INT32' || type === 'INT64') return 'integer';
  if (logical?.type === 'STRING' || logical?.type === 'ENUM' || converted === 'UTF8' || converted === 'ENUM') return 'categorical';
  return 'text';
}

async function unreadable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new OutpostError('INVALID_DATASET', `unreadable Parquet file: ${message}`, { issues: [{ message }], cause: e });
  }
}

function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
