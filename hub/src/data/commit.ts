import type { HubDeps } from '../deps.ts';
import { getJson, putJson } from '../blobs/json-blobs.ts';
import type { DatasetFormat, ParsedDataset } from './parse.ts';
import { profileRows } from './profile.ts';
import { createDatasetStore, type DatasetVersion, type VersionOperation } from './store.ts';
import { validateRows } from './validate.ts';
import type { ExpectationSuite } from './validation/index.ts';

export interface CommitInput {
  project: string;
  dataset: string;
  /** The version's file, as stored and content-addressed. */
  bytes: Uint8Array;
  format: DatasetFormat;
  parsed: ParsedDataset;
  lineage: { parents: number[]; operation: VersionOperation; message: string | null; author: string | null };
}

/**
 * Make a dataset version from its bytes: store them, profile them, validate them against the
 * dataset's attached suite (flagging, never refusing), and record the version with its lineage.
 * Every way of making a version (upload, split, …) goes through here.
 */
export async function commitVersion(deps: HubDeps, input: CommitInput): Promise<{ version: DatasetVersion; created: boolean }> {
  const store = createDatasetStore(deps.db);
  const { parsed } = input;
  const blob = await deps.blobs.put(input.bytes);
  const profileSha256 = await putJson(deps.blobs, profileRows(parsed.rows, parsed.columns));
  const suiteSha256 = await store.suiteOf(input.project, input.dataset);
  const suite = suiteSha256 ? await getJson<ExpectationSuite>(deps.blobs, suiteSha256) : null;
  const report = suite ? validateRows(suite, parsed.rows, parsed.columns.map((c) => c.name)) : null;
  return store.addVersion(
    input.project,
    input.dataset,
    {
      sha256: blob.sha256,
      size: blob.size,
      format: input.format,
      rowCount: parsed.rows.length,
      columns: parsed.columns,
      profileSha256,
      validationSha256: report ? await putJson(deps.blobs, report) : null,
      validationSuccess: report ? report.success : null,
      ...input.lineage,
    },
    deps.clock(),
  );
}
