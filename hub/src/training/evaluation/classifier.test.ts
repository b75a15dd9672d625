import { describe, expect, it } from 'vitest';
import { evaluateClassifier, LOG_LOSS_EPS, logLoss } from './classifier.ts';
import { near, randomClassification } from './test-data.ts';

const CLASSES = ['a', 'b', 'c'];
// true → predicted (argmax):
//  0 a→a  1 a→a  2 a→b  3 b→b  4 b→c  5 c→c  6 c→b (0.4/0.4 tie → lowest index, b)  7 c→c
const LABELS = [0, 0, 0, 1, 1, 2, 2, 2];
const PROBS = [
  [0.7, 0.2, 0.1],
  [0.6, 0.3, 0.1],
  [0.3, 0.5, 0.2],
  [0.1, 0.8, 0.1],
  [0.2, 0.3, 0.5],
  [0.1, 0.1, 0.8],
  [0.2, 0.4, 0.4],
  [0.3, 0.3, 0.4],
];

describe('evaluateClassifier, hand-checked', () => {
  const r = evaluateClassifier({ labels: LABELS, probabilities: PROBS, classes: CLASSES }, { calibrationBins: 2 });

  it('builds the confusion matrix and accuracy', () => {
    // a: 2 right, 1 → b; b: 1 right, 1 → c; c: 2 right, 1 → b (the tie).
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 1, 2],
    ]);
    expect(r.rows).toBe(8);
    expect(r.accuracy).toBe(5 / 8);
  });

  it('computes per-class precision, recall, F1 and support', () => {
    // predicted column sums a 2, b 3, c 3; supports 3, 2, 3.
    // a: P 2/2, R 2/3, F1 2·2/(2·2 + 0 + 1) = 4/5
    // b: P 1/3, R 1/2, F1 2/(2 + 2 + 1) = 2/5
    // c: P 2/3, R 2/3, F1 4/(4 + 1 + 1) = 2/3
    const expected = [
      { class: 'a', precision: 1, recall: 2 / 3, f1: 4 / 5, support: 3 },
      { class: 'b', precision: 1 / 3, recall: 1 / 2, f1: 2 / 5, support: 2 },
      { class: 'c', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    ];
    r.perClass.forEach((m, c) => {
      const e = expected[c]!;
      expect(m.class).toBe(e.class);
      expect(m.support).toBe(e.support);
      for (const k of ['precision', 'recall', 'f1'] as const) expect(near(m[k], e[k])).toBe(true);
    });
  });

  it('averages unweighted and by support', () => {
    // macro: P (1 + 1/3 + 2/3)/3 = 2/3, R (2/3 + 1/2 + 2/3)/3 = 11/18, F1 (4/5 + 2/5 + 2/3)/3 = 28/45
    // weighted: P (3·1 + 2·1/3 + 3·2/3)/8 = 17/24, R = accuracy = 5/8, F1 (3·4/5 + 2·2/5 + 3·2/3)/8 = 13/20
    expect(near(r.macro.precision, 2 / 3)).toBe(true);
    expect(near(r.macro.recall, 11 / 18)).toBe(true);
    expect(near(r.macro.f1, 28 / 45)).toBe(true);
    expect(near(r.weighted.precision, 17 / 24)).toBe(true);
    expect(near(r.weighted.recall, 5 / 8)).toBe(true);
    expect(near(r.weighted.f1, 13 / 20)).toBe(true);
  });

  it('computes one-vs-rest ROC AUC', () => {
    // class a: positives 0.7, 0.6, 0.3; negatives 0.1, 0.2, 0.1, 0.2, 0.3.
    // 0.7 and 0.6 beat all 5; 0.3 beats 4 and ties 1 → (5 + 5 + 4.5) / 15 = 29/30
    expect(near(r.rocAuc.perClass[0]!, 29 / 30)).toBe(true);
    expect(r.rocAuc.perClass.every((a) => a !== null && a >= 0 && a <= 1)).toBe(true);
    expect(near(r.rocAuc.macro!, r.rocAuc.perClass.reduce((s, a) => s! + a!, 0)! / 3)).toBe(true);
  });

  it('computes log loss', () => {
    // p(true class) per row: 0.7 0.6 0.3 0.8 0.3 0.8 0.4 0.4
    const p = [0.7, 0.6, 0.3, 0.8, 0.3, 0.8, 0.4, 0.4];
    expect(near(r.logLoss, -p.reduce((s, x) => s + Math.log(x), 0) / 8)).toBe(true);
    // Two rows: −(ln 0.8 + ln 0.25) / 2 = (0.22314355 + 1.38629436) / 2 ≈ 0.80471896
    expect(logLoss([0, 1], [[0.8, 0.2], [0.75, 0.25]])).toBeCloseTo(0.80471896, 8);
    // A 0 for the true class is clipped to 1e-15, a 1 to 1 − 1e-15.
    expect(logLoss([0], [[0, 1]])).toBe(-Math.log(LOG_LOSS_EPS));
    expect(logLoss([1], [[0, 1]])).toBe(-Math.log(1 - LOG_LOSS_EPS));
  });

  it('bins top-label confidence for three classes', () => {
    // top confidence (correct?): 0.7✓ 0.6✓ 0.5✗ 0.8✓ 0.5✗ 0.8✓ 0.4✗ 0.4✓
    // [0, 0.5): 0.4, 0.4 → conf 0.4, acc 1/2; [0.5, 1]: conf 3.9/6 = 0.65, acc 4/6
    // ECE = 2/8 · 0.1 + 6/8 · |2/3 − 0.65| = 0.025 + 0.0125 = 0.0375
    const cal = r.calibration;
    expect(cal.method).toBe('top-label');
    expect(cal.bins.map((b) => [b.lower, b.upper, b.count])).toEqual([[0, 0.5, 2], [0.5, 1, 6]]);
    expect(near(cal.bins[0]!.meanConfidence!, 0.4)).toBe(true);
    expect(cal.bins[0]!.accuracy).toBe(0.5);
    expect(near(cal.bins[1]!.meanConfidence!, 0.65)).toBe(true);
    expect(near(cal.bins[1]!.accuracy!, 2 / 3)).toBe(true);
    expect(near(cal.ece, 0.0375)).toBe(true);
  });

  it('bins the positive-class probability for two classes', () => {
    // p(class 1) 0.1 0.4 0.4 0.8 0.6 0.6, labels 0 0 1 1 0 1.
    // [0, 0.5): 0.1 0.4 0.4 → conf 0.3, 1/3 positive; [0.5, 1]: 0.8 0.6 0.6 → conf 2/3, 2/3 positive.
    // ECE = 3/6 · |1/3 − 0.3| + 3/6 · 0 = 1/60. ROC AUC of class 1 = 7/9 (see roc-auc.test.ts), class 0 the same.
    const p1 = [0.1, 0.4, 0.4, 0.8, 0.6, 0.6];
    const b = evaluateClassifier({ labels: [0, 0, 1, 1, 0, 1], probabilities: p1.map((p) => [1 - p, p]), classes: ['no', 'yes'] }, { calibrationBins: 2 });
    expect(b.calibration.method).toBe('positive-class');
    expect(b.calibration.bins.map((x) => x.count)).toEqual([3, 3]);
    expect(near(b.calibration.ece, 1 / 60)).toBe(true);
    expect(near(b.rocAuc.perClass[1]!, 7 / 9)).toBe(true);
    expect(near(b.rocAuc.perClass[0]!, 7 / 9)).toBe(true);
    // Default: 10 bins over [0, 1] with edges i/10, empty bins present with nulls.
    const d = evaluateClassifier({ labels: [0, 0, 1, 1, 0, 1], probabilities: p1.map((p) => [1 - p, p]), classes: ['no', 'yes'] });
    expect(d.calibration.bins.map((x) => x.lower)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(d.calibration.bins[9]!.upper).toBe(1);
    expect(d.calibration.bins[0]).toEqual({ lower: 0, upper: 0.1, count: 0, meanConfidence: null, accuracy: null });
  });

  it('runs the JSDoc example', () => {
    const e = evaluateClassifier({ labels: [0, 1, 1], probabilities: [[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]], classes: ['no', 'yes'] });
    expect(e.accuracy).toBe(2 / 3);
    expect(e.confusion).toEqual([[1, 0], [1, 1]]);
    expect(e.rocAuc.perClass).toEqual([1, 1]);
  });

  it('accepts typed-array rows (a tfjs/onnxruntime output)', () => {
    const typed = evaluateClassifier({ labels: LABELS, probabilities: PROBS.map((row) => Float64Array.from(row)), classes: CLASSES }, { calibrationBins: 2 });
    expect(typed).toEqual(r);
    expect(() => evaluateClassifier({ labels: [0], probabilities: [Float32Array.from([0.7, 0.2, 0.1])], classes: CLASSES })).not.toThrow();
  });
});

// ---- independent, straightforward implementations ----

const bruteArgmax = (row: readonly number[]) => row.indexOf(Math.max(...row));

function brutePerClass(labels: number[], preds: number[], k: number) {
  return Array.from({ length: k }, (_, c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    labels.forEach((y, i) => {
      if (y === c && preds[i] === c) tp++;
      else if (preds[i] === c) fp++;
      else if (y === c) fn++;
    });
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support: tp + fn };
  });
}

function bruteAuc(labels: number[], probs: number[][], c: number): number | null {
  let pairs = 0;
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== c) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] === c) continue;
      count++;
      const a = probs[i]![c]!;
      const b = probs[j]![c]!;
      pairs += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return count === 0 ? null : pairs / count;
}

function bruteCalibration(labels: number[], probs: number[][], bins: number) {
  const k = probs[0]!.length;
  const conf = probs.map((row) => (k === 2 ? row[1]! : Math.max(...row)));
  const hit = probs.map((row, i) => (k === 2 ? labels[i] === 1 : bruteArgmax(row) === labels[i]));
  let ece = 0;
  const out = [];
  for (let b = 0; b < bins; b++) {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    const members = conf.map((_, i) => i).filter((i) => conf[i]! >= lo && (conf[i]! < hi || b === bins - 1));
    const mc = members.reduce((s, i) => s + conf[i]!, 0) / members.length;
    const acc = members.filter((i) => hit[i]).length / members.length;
    if (members.length > 0) ece += (members.length / labels.length) * Math.abs(acc - mc);
    out.push({ count: members.length, mc, acc });
  }
  return { bins: out, ece };
}

describe('evaluateClassifier against brute force', () => {
  it.each([2, 3, 5])('agrees on random data with ties and zeros (%i classes)', (k) => {
    for (let seed = 1; seed <= 12; seed++) {
      const { labels, probabilities } = randomClassification(seed * 31 + k, 40 + seed * 13, k);
      const classes = Array.from({ length: k }, (_, c) => `c${c}`);
      const bins = 1 + (seed % 12);
      const r = evaluateClassifier({ labels, probabilities, classes }, { calibrationBins: bins });
      const n = labels.length;
      const preds = probabilities.map(bruteArgmax);

      expect(r.rows).toBe(n);
      expect(r.accuracy).toBe(preds.filter((p, i) => p === labels[i]).length / n);
      r.confusion.forEach((row, t) => row.forEach((x, p) => expect(x).toBe(labels.filter((y, i) => y === t && preds[i] === p).length)));

      const brute = brutePerClass(labels, preds, k);
      brute.forEach((b, c) => {
        const m = r.perClass[c]!;
        expect(m.support).toBe(b.support);
        expect(near(m.precision, b.precision) && near(m.recall, b.recall) && near(m.f1, b.f1)).toBe(true);
      });
      const present = brute.filter((_, c) => labels.includes(c) || preds.includes(c));
      for (const key of ['precision', 'recall', 'f1'] as const) {
        expect(near(r.macro[key], present.reduce((s, b) => s + b[key], 0) / present.length)).toBe(true);
        expect(near(r.weighted[key], brute.reduce((s, b) => s + b[key] * b.support, 0) / n)).toBe(true);
      }
      expect(near(r.weighted.recall, r.accuracy)).toBe(true);

      const aucs = classes.map((_, c) => bruteAuc(labels, probabilities, c));
      aucs.forEach((a, c) => (a === null ? expect(r.rocAuc.perClass[c]).toBeNull() : expect(near(r.rocAuc.perClass[c]!, a)).toBe(true)));
      const defined = aucs.filter((a): a is number => a !== null);
      expect(near(r.rocAuc.macro!, defined.reduce((s, a) => s + a, 0) / defined.length)).toBe(true);

      let ll = 0;
      labels.forEach((y, i) => (ll += -Math.log(Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]![y]!)))));
      expect(near(r.logLoss, ll / n)).toBe(true);

      const cal = bruteCalibration(labels, probabilities, bins);
      expect(near(r.calibration.ece, cal.ece)).toBe(true);
      r.calibration.bins.forEach((b, i) => {
        const e = cal.bins[i]!;
        expect(b.count).toBe(e.count);
        expect(near(b.lower, i / bins) && near(b.upper, (i + 1) / bins)).toBe(true);
        if (e.count === 0) expect([b.meanConfidence, b.accuracy]).toEqual([null, null]);
        else expect(near(b.meanConfidence!, e.mc) && near(b.accuracy!, e.acc)).toBe(true);
      });
    }
  });
});
