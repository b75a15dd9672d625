import { OutpostError, type RawRecord } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { parseDataset } from './parse.ts';
import type { DatasetVersion } from './store.ts';

/**
 * The rows of a stored version, read from its blob the way it was read when it was made (format,
 * delimiter, bad rows skipped or not: the upload's recorded parameters).
 */
export async function readVersionRows(deps: HubDeps, v: DatasetVersion): Promise<RawRecord[]> {
  const bytes = await deps.blobs.get(v.sha256);
  if (!bytes) throw new OutpostError('NOT_FOUND', `dataset ${v.dataset} version ${v.version} is missing its file`);
  return (await parseDataset(bytes, v.format, readOptionsOf(v))).rows;
}

/** The read options an upload recorded in its operation parameters. */
export function readOptionsOf(v: Pick<DatasetVersion, 'operation'>): { delimiter?: string; skipBadRows?: boolean } {
  const params = v.operation?.kind === 'upload' ? v.operation.params : {};
  return {
    ...(typeof params.delimiter === 'string' ? { delimiter: params.delimiter } : {}),
    ...(params.skipBadRows === true ? { skipBadRows: true } : {}),
  };
}
