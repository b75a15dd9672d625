/**
 * Row-hash mode (no key): each version is a multiset of row fingerprints over the columns both
 * versions have, sorted by name so column order does not matter. A row present twice in `to` and
 * once in `from` is one addition. Without a key nothing says which old row a new row replaced, so
 * an edited row is one removal plus one addition and `changed` is always 0.
 *
 * The fingerprint is the canonical row text itself, not a hash of it: a 32-bit hash (murmur3)
 * would collide around 2^16 rows and silently call two different rows equal. Memory grows with the
 * data, but both parsed versions are in memory already.
 */
import type { RawRecord } from '@outpost/shared';
import { canonicalCell, cellOf, sampleValues, type SharedColumn } from './canonical.ts';
import type { DiffInput, RowDiff, RowSample } from './types.ts';

/**
 * JSON of the canonical values: unambiguous (strings are quoted and escaped, so no separator can be
 * forged), and number 1 never meets string '1' in one column (canonical.ts gives a column one form).
 * @example rowFingerprint({ b: '2', a: ' x ' }, [{ name: 'a', numeric: false }, { name: 'b', numeric: true }]); // '["x",2]'
 */
export function rowFingerprint(row: RawRecord, columns: readonly SharedColumn[]): string {
  return JSON.stringify(columns.map((c) => canonicalCell(cellOf(row, c.name), c.numeric)));
}

/**
 * Matching pairs the earliest unmatched `from` row with each `to` row in turn, so the samples are
 * the same on every run. Samples are in row order: added in `to`'s, removed in `from`'s.
 * @example diffByRowHash(from, to, sharedColumns(from, to), 20).counts; // { …, added: 1, removed: 0, changed: 0 }
 */
export function diffByRowHash(from: DiffInput, to: DiffInput, shared: readonly SharedColumn[], sampleLimit: number): RowDiff {
  const columns = [...shared].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Fingerprint → the `from` rows (0-based, ascending) holding it, and how many are matched so far.
  const pending = new Map<string, { rows: number[]; next: number }>();
  from.rows.forEach((row, i) => {
    const fp = rowFingerprint(row, columns);
    const entry = pending.get(fp);
    if (entry) entry.rows.push(i);
    else pending.set(fp, { rows: [i], next: 0 });
  });

  const matchedFrom = new Uint8Array(from.rows.length);
  const added: RowSample[] = [];
  let addedCount = 0;
  to.rows.forEach((row, i) => {
    const entry = pending.get(rowFingerprint(row, columns));
    if (entry && entry.next < entry.rows.length) {
      matchedFrom[entry.rows[entry.next++]!] = 1;
      return;
    }
    addedCount++;
    if (added.length < sampleLimit) added.push({ row: i + 1, values: sampleValues(row) });
  });

  const removed: RowSample[] = [];
  let removedCount = 0;
  from.rows.forEach((row, i) => {
    if (matchedFrom[i]) return;
    removedCount++;
    if (removed.length < sampleLimit) removed.push({ row: i + 1, values: sampleValues(row) });
  });

  return {
    counts: {
      from: from.rows.length,
      to: to.rows.length,
      added: addedCount,
      removed: removedCount,
      changed: 0,
      unchanged: to.rows.length - addedCount,
    },
    samples: { added, removed, changed: [] },
  };
}
