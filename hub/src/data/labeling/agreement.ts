/** One labeler's label for one row. */
export interface RowLabel {
  row: number;
  labeler: string;
  label: string;
}

export interface PairAgreement {
  labelers: [string, string];
  /** Rows both labeled. */
  rows: number;
  /** Share of those rows with the same label. */
  observed: number;
  /**
   * Cohen's kappa: (pₒ − pₑ) / (1 − pₑ), pₑ from each labeler's own label frequencies on the shared
   * rows (Cohen 1960). null when there are no shared rows, or both always used one and the same label (pₑ = 1).
   */
  kappa: number | null;
}

/**
 * Agreement between every pair of labelers on the rows they both labeled.
 * @example agreement([{ row: 1, labeler: 'ana', label: 'a' }, { row: 1, labeler: 'bo', label: 'a' }])
 */
export function agreement(labels: readonly RowLabel[]): PairAgreement[] {
  const byLabeler = new Map<string, Map<number, string>>();
  for (const l of labels) {
    const rows = byLabeler.get(l.labeler) ?? new Map<number, string>();
    rows.set(l.row, l.label);
    byLabeler.set(l.labeler, rows);
  }
  const names = [...byLabeler.keys()].sort();
  const out: PairAgreement[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = byLabeler.get(names[i]!)!;
      const b = byLabeler.get(names[j]!)!;
      let rows = 0;
      let same = 0;
      const countA = new Map<string, number>();
      const countB = new Map<string, number>();
      for (const [row, la] of a) {
        const lb = b.get(row);
        if (lb === undefined) continue;
        rows++;
        if (la === lb) same++;
        countA.set(la, (countA.get(la) ?? 0) + 1);
        countB.set(lb, (countB.get(lb) ?? 0) + 1);
      }
      let expected = 0;
      for (const [label, n] of countA) expected += (n / rows) * ((countB.get(label) ?? 0) / rows);
      const observed = rows === 0 ? 0 : same / rows;
      const kappa = rows === 0 || expected === 1 ? null : (observed - expected) / (1 - expected);
      out.push({ labelers: [names[i]!, names[j]!], rows, observed, kappa });
    }
  }
  return out;
}

/**
 * The label a row gets when a set is committed: the most frequent among its labelers; a tie goes to
 * the label given first. Rules count as one labeler, so a person who disagrees with a rule ties it
 * and the earlier label stands.
 */
export function resolveLabels(labels: readonly (RowLabel & { createdAt: number })[]): Map<number, string> {
  const byRow = new Map<number, (RowLabel & { createdAt: number })[]>();
  for (const l of labels) byRow.set(l.row, [...(byRow.get(l.row) ?? []), l]);
  const out = new Map<number, string>();
  for (const [row, ls] of byRow) {
    const votes = new Map<string, { n: number; first: number }>();
    for (const l of ls) {
      const v = votes.get(l.label) ?? { n: 0, first: l.createdAt };
      votes.set(l.label, { n: v.n + 1, first: Math.min(v.first, l.createdAt) });
    }
    const [best] = [...votes.entries()].sort((x, y) => y[1].n - x[1].n || x[1].first - y[1].first || (x[0] < y[0] ? -1 : 1));
    out.set(row, best![0]);
  }
  return out;
}
