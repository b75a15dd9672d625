/**
 * Compare two versions of a dataset: schema changes plus row changes, by key or by whole row.
 * Pure: takes parsed versions (parse.ts), touches no storage, so a route or a CLI can call it.
 */
import { OutpostError } from '@outpost/shared';
import { sharedColumns } from './canonical.ts';
import { diffByKey } from './key-diff.ts';
import { diffByRowHash } from './row-hash-diff.ts';
import { diffSchema } from './schema.ts';
import { DEFAULT_SAMPLE_LIMIT, type DatasetDiff, type DiffInput, type DiffOptions } from './types.ts';

/**
 * Throws OutpostError('VALIDATION_FAILED') for a key column missing from either version (issue path
 * 'key'), for duplicate or missing key values (issue path 'from'/'to', with row and column), and for
 * a sampleLimit that is not a non-negative integer (path 'sampleLimit').
 * @example
 * const diff = diffDatasets(parseDataset(v1, 'csv'), parseDataset(v2, 'json'), { key: 'id' });
 * diff.counts; // { from: 344, to: 350, added: 6, removed: 0, changed: 2, unchanged: 342 }
 */
export function diffDatasets(from: DiffInput, to: DiffInput, options: DiffOptions = {}): DatasetDiff {
  const sampleLimit = options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT;
  if (!Number.isInteger(sampleLimit) || sampleLimit < 0) {
    const message = `sampleLimit must be a non-negative integer, got ${sampleLimit}`;
    throw new OutpostError('VALIDATION_FAILED', message, { issues: [{ path: 'sampleLimit', message }] });
  }
  const schema = diffSchema(from, to);
  const shared = sharedColumns(from, to);
  if (options.key === undefined) return { schema, mode: 'row-hash', ...diffByRowHash(from, to, shared, sampleLimit) };
  return { schema, mode: 'key', key: options.key, ...diffByKey(from, to, options.key, shared, sampleLimit) };
}
