import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { OutpostError } from '@outpost/shared';
import type { RawRecord } from '@outpost/shared';
import { toRawRecord } from './cells.ts';

/**
 * All rows of a Parquet file, cells normalized by `toRawValue`. Byte arrays without a STRING/UTF8
 * annotation are binary (base64), as the schema says. hyparquet decodes SNAPPY itself;
 * hyparquet-compressors adds ZSTD, GZIP, BROTLI and LZ4, which pandas and Spark also write
 * (vega's flights-3m.parquet is ZSTD).
 */
export async function readParquet(bytes: Uint8Array): Promise<RawRecord[]> {
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: exactArrayBuffer(bytes), utf8: false, compressors });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new OutpostError('INVALID_DATASET', `unreadable Parquet file: ${message}`, { issues: [{ message }], cause: e });
  }
  return objects.map(toRawRecord);
}

/** hyparquet reads an ArrayBuffer by offset: hand it exactly the file's bytes. */
function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
