import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { OutpostError } from '@outpost/shared';
import type { DataType } from '../column-types.ts';
import { noRows } from './bad-rows.ts';
import { toRawRecord } from './cells.ts';
import type { ByteSource } from '../../blobs/byte-source.ts';
import type { RowReader, SchemaColumn } from './types.ts';

/**
 * A Parquet file read one row group at a time through ranged reads (the footer, then each group's
 * column chunks), so memory holds one row group's rows, not the file. Cells are normalized by
 * `toRawValue`; byte arrays without a STRING/UTF8 annotation are binary (base64), as the schema
 * says. hyparquet decodes SNAPPY itself; hyparquet-compressors adds ZSTD, GZIP, BROTLI and LZ4,
 * which pandas and Spark also write (vega's flights-3m.parquet is ZSTD). Column types come from the
 * schema (see `typeOfParquetColumn`).
 */
export async function openParquet(source: ByteSource): Promise<RowReader> {
  const file: AsyncBuffer = {
    byteLength: source.size,
    // hyparquet reads an ArrayBuffer by offset: hand it exactly the requested bytes.
    slice: async (start, end) => exactArrayBuffer(await source.slice(start, end ?? source.size)),
  };
  const metadata = await unreadable(() => parquetMetadataAsync(file));
  const schema = parquetSchema(metadata).children.map((c): SchemaColumn => ({ name: c.element.name, type: typeOfParquetColumn(c) }));
  return {
    schema,
    async *chunks() {
      if (Number(metadata.num_rows) === 0) throw noRows();
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        if (rowEnd > rowStart) yield await readGroup(file, metadata, rowStart, rowEnd);
        rowStart = rowEnd;
      }
    },
    summary: () => ({ skipped: 0, errors: [] }),
  };
}

async function readGroup(file: AsyncBuffer, metadata: FileMetaData, rowStart: number, rowEnd: number) {
  const objects = await unreadable(() => parquetReadObjects({ file, metadata, rowStart, rowEnd, utf8: false, compressors }));
  return objects.map(toRawRecord);
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
