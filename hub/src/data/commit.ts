import type { RawRecord } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { getJson, putJson } from '../blobs/json-blobs.ts';
import { createProfiler } from '@outpost/shared';
import { profileTypeOf, refineTextColumns, type ColumnInfo } from './column-types.ts';
import type { DatasetFormat, ParsedDataset } from './parse.ts';
import type { RowBatch } from './formats/index.ts';
import { createDatasetStore, type DatasetVersion, type NewVersion, type VersionOperation } from './store.ts';
import { createReportRunner } from './validate.ts';
import type { ExpectationSuite } from './validation/index.ts';

export interface Lineage {
  parents: number[];
  operation: VersionOperation;
  message: string | null;
  author: string | null;
}

export interface CommitInput {
  project: string;
  dataset: string;
  /** The version's file, as stored and content-addressed. */
  bytes: Uint8Array;
  format: DatasetFormat;
  parsed: ParsedDataset;
  lineage: Lineage;
}

/**
 * Make a dataset version from rows in memory: store the bytes, then analyse and record them as
 * `createVersionAnalysis` says. Operations on stored versions (split, clean, label, synthesize)
 * come here; uploads stream through ingest.ts to the same analysis.
 */
export async function commitVersion(deps: HubDeps, input: CommitInput): Promise<{ version: DatasetVersion; created: boolean }> {
  const blob = await deps.blobs.put(input.bytes);
  const analysis = await createVersionAnalysis(deps, input.project, input.dataset, input.parsed.columns);
  input.parsed.rows.forEach((row) => analysis.add(row));
  return createDatasetStore(deps.db).addVersion(input.project, input.dataset, { ...blob, format: input.format, ...(await analysis.finish()), ...input.lineage }, deps.clock());
}

export interface VersionAnalysis {
  add(row: RawRecord): void;
  /** A reader's batch: profiled column by column when it has columns; rows are built only for a suite. */
  addBatch(batch: RowBatch): void;
  /** Stores the profile and the report; the version's columns with missing counts and text columns refined. */
  finish(): Promise<Pick<NewVersion, 'rowCount' | 'columns' | 'profileSha256' | 'validationSha256' | 'validationSuccess'>>;
}

/**
 * Everything a new version's rows are looked at for, in one pass with memory per column: the
 * profile (mergeable sketches), and the dataset's attached suite (flagging, never refusing). Then
 * columns get their missing counts from the profile, and mostly-unique categorical ones become text
 * (column-types.ts) unless `pinned` by the user.
 */
export async function createVersionAnalysis(deps: HubDeps, project: string, dataset: string, columns: readonly ColumnInfo[], pinned: ReadonlySet<string> = new Set()): Promise<VersionAnalysis> {
  const suiteSha256 = await createDatasetStore(deps.db).suiteOf(project, dataset);
  const suite = suiteSha256 ? await getJson<ExpectationSuite>(deps.blobs, suiteSha256) : null;
  const profiler = createProfiler(columns.map((c) => ({ name: c.name, type: profileTypeOf(c.type) })));
  const validator = suite ? createReportRunner(suite, columns.map((c) => c.name)) : null;
  let rowCount = 0;
  const analysis: VersionAnalysis = {
    add(row) {
      rowCount++;
      profiler.add(row);
      validator?.add(row, rowCount);
    },
    addBatch(batch) {
      if (!batch.columns) {
        for (const row of batch.rows()) analysis.add(row);
        return;
      }
      profiler.addColumns(batch.columns, batch.length);
      if (validator) batch.rows().forEach((row, i) => validator.add(row, rowCount + i + 1));
      rowCount += batch.length;
    },
    async finish() {
      const profile = profiler.result();
      const missing = new Map(profile.columns.map((c) => [c.name, c.missing]));
      const report = validator?.result(rowCount) ?? null;
      return {
        rowCount,
        columns: refineTextColumns(columns, profile, pinned).map((c) => ({ ...c, missing: missing.get(c.name) ?? c.missing })),
        profileSha256: await putJson(deps.blobs, profile),
        validationSha256: report ? await putJson(deps.blobs, report) : null,
        validationSuccess: report ? report.success : null,
      };
    },
  };
  return analysis;
}
