import type { HubDeps } from '../deps.ts';
import type { DataType } from './column-types.ts';
import type { DatasetFormat } from './formats/index.ts';
import { ingestVersion } from './ingest.ts';
import { createDatasetStore, type DatasetVersion } from './store.ts';

export interface UploadOptions {
  delimiter?: string | undefined;
  skipBadRows?: boolean | undefined;
  types?: Record<string, DataType> | undefined;
  message?: string | undefined;
}

export interface UploadInput {
  project: string;
  dataset: string;
  blob: { sha256: string; size: number };
  format: DatasetFormat;
  options: UploadOptions;
  author: string | null;
  /** Where the file came from when the hub fetched it. */
  url?: string;
}

/**
 * A stored upload (from a request body, a URL or the console) made into the dataset's next
 * version. Its parent is the dataset's latest version; its operation records how it was read
 * (format, delimiter, bad rows skipped and how many, type overrides, source URL), which is also how
 * it is read again later (version-rows.ts).
 */
export async function ingestUpload(deps: HubDeps, input: UploadInput): Promise<{ version: DatasetVersion; created: boolean }> {
  const { delimiter, skipBadRows, types, message } = input.options;
  const previous = await createDatasetStore(deps.db).getVersion(input.project, input.dataset);
  return ingestVersion(deps, {
    project: input.project,
    dataset: input.dataset,
    blob: input.blob,
    format: input.format,
    read: { ...(delimiter ? { delimiter } : {}), ...(skipBadRows ? { skipBadRows } : {}) },
    ...(types ? { types } : {}),
    lineage: (skipped) => ({
      parents: previous ? [previous.id] : [],
      operation: {
        kind: 'upload',
        params: {
          format: input.format,
          ...(input.url ? { url: input.url } : {}),
          ...(delimiter ? { delimiter } : {}),
          ...(skipBadRows ? { skipBadRows, skipped } : {}),
          ...(types ? { types } : {}),
        },
      },
      message: message ?? null,
      author: input.author,
    }),
  });
}
