// The read-only baseline for dataset.ts, run as its own process so that its peak RSS is its own:
// `node --import tsx test/bench/parquet-read.ts <file.parquet>` reads the file the way the hub does
// (hub/src/data/formats/parquet.ts): positioned reads of a file handle behind an AsyncBuffer, the
// footer, then one row group at a time with parquetRead, column chunks handed over by onChunk
// (utf8: false, hyparquet-compressors): the same calls the hub makes. Values are counted and dropped. Prints one JSON line: rows, milliseconds, RSS before, peak RSS.
import { open } from 'node:fs/promises';
import { parquetMetadataAsync, parquetRead, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { procStatusKiB } from './proc-status.ts';

export interface ReadResult {
  rows: number;
  ms: number;
  rssBeforeKiB: number;
  peakRssKiB: number;
}

const path = process.argv[2];
if (!path) throw new Error('usage: parquet-read.ts <file.parquet>');

const rssBeforeKiB = (await procStatusKiB(process.pid)).VmRSS;
const t0 = performance.now();
const handle = await open(path, 'r');
let rows = 0;
try {
  const size = (await handle.stat()).size;
  const file: AsyncBuffer = {
    byteLength: size,
    async slice(start, end = size) {
      const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      for (let read = 0; read < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, read, bytes.length - read, start + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return bytes.buffer;
    },
  };
  const metadata = await parquetMetadataAsync(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let values = 0;
    if (rowEnd > rowStart) await parquetRead({ file, metadata, rowStart, rowEnd, utf8: false, compressors, onChunk: ({ columnData }) => void (values += columnData.length) });
    rows += values / metadata.schema[0]!.num_children!;
    rowStart = rowEnd;
  }
} finally {
  await handle.close();
}
const ms = performance.now() - t0;
const result: ReadResult = { rows, ms, rssBeforeKiB, peakRssKiB: (await procStatusKiB(process.pid)).VmHWM };
console.log(JSON.stringify(result));
