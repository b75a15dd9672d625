/**
 * Dataset version diff: schema changes and row changes (by key, or by whole-row fingerprint).
 * Pure code: no Hono, no database.
 */
export { diffDatasets } from './diff.ts';
export { canonicalCell, type CanonicalValue } from './canonical.ts';
export {
  DEFAULT_SAMPLE_LIMIT,
  type CellChange,
  type ChangedSample,
  type DatasetDiff,
  type DiffCounts,
  type DiffInput,
  type DiffOptions,
  type RowSample,
  type SchemaDiff,
} from './types.ts';
