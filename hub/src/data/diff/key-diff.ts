/**
 * Key mode: rows match by key; a matched row is changed when any column both versions have holds a
 * different canonical value. Columns in only one version are schema changes (schema.ts), not row
 * changes, or every row would "change" when a column is added.
 */
import type { RawRecord } from '@outpost/shared';
import { canonicalCell, cellOf, sampleValues, type SharedColumn } from './canonical.ts';
import { assertKeyColumn, indexByKey } from './key-index.ts';
import type { CellChange, ChangedSample, DiffInput, RowDiff, RowSample } from './types.ts';

/**
 * Samples come in row order: added and changed in `to`'s order, removed in `from`'s.
 * @example diffByKey(from, to, 'id', sharedColumns(from, to), 20).counts.changed; // 1
 */
export function diffByKey(from: DiffInput, to: DiffInput, key: string, shared: readonly SharedColumn[], sampleLimit: number): RowDiff {
  assertKeyColumn(from, to, key);
  const keyColumn = shared.find((c) => c.name === key)!;
  const index = indexByKey(from, to, key, keyColumn.numeric);
  const compared = shared.filter((c) => c.name !== key);

  const added: RowSample[] = [];
  const changed: ChangedSample[] = [];
  const removed: RowSample[] = [];
  let addedCount = 0;
  let changedCount = 0;
  let removedCount = 0;

  for (const [text, toIndex] of index.to) {
    // Map iteration follows insertion, which was row order.
    const toRow = to.rows[toIndex]!;
    const fromIndex = index.from.get(text);
    if (fromIndex === undefined) {
      addedCount++;
      if (added.length < sampleLimit) added.push({ row: toIndex + 1, values: sampleValues(toRow) });
      continue;
    }
    const changes = cellChanges(from.rows[fromIndex]!, toRow, compared);
    if (changes.length === 0) continue;
    changedCount++;
    if (changed.length < sampleLimit) changed.push({ key: text, fromRow: fromIndex + 1, toRow: toIndex + 1, changes });
  }
  for (const [text, fromIndex] of index.from) {
    if (index.to.has(text)) continue;
    removedCount++;
    if (removed.length < sampleLimit) removed.push({ row: fromIndex + 1, values: sampleValues(from.rows[fromIndex]!) });
  }

  const matched = index.to.size - addedCount;
  return {
    counts: {
      from: from.rows.length,
      to: to.rows.length,
      added: addedCount,
      removed: removedCount,
      changed: changedCount,
      unchanged: matched - changedCount,
    },
    samples: { added, removed, changed },
  };
}

function cellChanges(fromRow: RawRecord, toRow: RawRecord, columns: readonly SharedColumn[]): CellChange[] {
  const changes: CellChange[] = [];
  for (const c of columns) {
    const a = cellOf(fromRow, c.name);
    const b = cellOf(toRow, c.name);
    if (canonicalCell(a, c.numeric) !== canonicalCell(b, c.numeric)) changes.push({ column: c.name, from: a ?? null, to: b ?? null });
  }
  return changes;
}
