import { OutpostError, type RawRecord } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { applyTypeOverrides, createTypeInference, type ColumnInfo, type DataType } from './column-types.ts';
import { createVersionAnalysis, type Lineage } from './commit.ts';
import { batchesOf, openRows, type DatasetFormat, type ReadOptions, type RowReader } from './formats/index.ts';
import { createDatasetStore, type DatasetVersion } from './store.ts';

export interface IngestInput {
  project: string;
  dataset: string;
  /** The file, already stored (BlobStore.putStream). */
  blob: { sha256: string; size: number };
  format: DatasetFormat;
  read: ReadOptions;
  /** The user's column types, replacing what the values or the schema say. */
  types?: Record<string, DataType>;
  /** The version's lineage, given how many malformed rows were skipped. */
  lineage: (skipped: number) => Lineage;
  /** Called after each chunk of rows with the rows read so far and which pass (1 of 2 for text formats). */
  onProgress?: (p: { rows: number; pass: 'types' | 'profile' }) => void;
}

/**
 * Make a dataset version from a stored file, reading it a chunk at a time so that memory holds one
 * chunk and the sketches, never the file. Text formats are read twice: once to infer column types
 * (a column is numeric only if every value is), once to profile and validate. Parquet and Arrow
 * take their types from the schema and are read once (twice only to check a type override against
 * the values). Bytes already a version of this dataset return that version unread.
 */
export async function ingestVersion(deps: HubDeps, input: IngestInput): Promise<{ version: DatasetVersion; created: boolean }> {
  const store = createDatasetStore(deps.db);
  const existing = await store.versionWithHash(input.project, input.dataset, input.blob.sha256);
  if (existing) return { version: existing, created: false };
  const source = await deps.blobs.open(input.blob.sha256);
  if (!source) throw new OutpostError('NOT_FOUND', `the uploaded file ${input.blob.sha256} is not in the blob store`);
  const open = () => openRows(source, input.format, input.read);
  const overrides = input.types ?? {};

  let reader = await open();
  let columns: ColumnInfo[];
  if (reader.schema && Object.keys(overrides).length === 0) {
    columns = reader.schema.map((c) => ({ name: c.name, type: c.type, missing: 0 }));
  } else {
    const inference = createTypeInference();
    await eachRow(reader, (row, n) => inference.add(row, n), (rows) => input.onProgress?.({ rows, pass: 'types' }));
    columns = applyTypeOverrides(inference.columns(), overrides);
    reader = await open();
  }

  const analysis = await createVersionAnalysis(deps, input.project, input.dataset, columns, new Set(Object.keys(overrides)));
  let rows = 0;
  for await (const batch of batchesOf(reader)) {
    analysis.addBatch(batch);
    input.onProgress?.({ rows: (rows += batch.length), pass: 'profile' });
  }
  const lineage = input.lineage(reader.summary().skipped);
  return store.addVersion(input.project, input.dataset, { ...input.blob, format: input.format, ...(await analysis.finish()), ...lineage }, deps.clock());
}

async function eachRow(reader: RowReader, visit: (row: RawRecord, rowNumber: number) => void, progress: (rows: number) => void): Promise<void> {
  let n = 0;
  for await (const chunk of reader.chunks()) {
    for (const row of chunk) visit(row, ++n);
    progress(n);
  }
}
