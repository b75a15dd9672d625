import { describe, expect, it } from 'vitest';
import { DEFAULT_GATES, evaluateGates, GatesSchema } from './gates.ts';

const metrics = { testAccuracy: 0.96, testLogLoss: 0.12, baselineAccuracy: 0.44, parityMaxAbsDiff: 2e-7 };

describe('evaluateGates', () => {
  it('passes thresholds within bounds and fails outside, keeping each number', () => {
    const v = evaluateGates(GatesSchema.parse([
      { kind: 'threshold', metric: 'testAccuracy', min: 0.95 },
      { kind: 'threshold', metric: 'testLogLoss', max: 0.1 },
      { kind: 'threshold', metric: 'testMacroF1', min: 0.9 },
    ]), { metrics, champion: null });
    expect(v.passed).toBe(false);
    expect(v.gates.map((g) => [g.passed, g.observed, g.against])).toEqual([[true, 0.96, 0.95], [false, 0.12, 0.1], [false, null, 0.9]]);
    expect(v.gates[1]!.detail).toBe('testLogLoss 0.1200 must be ≤ 0.1000');
    expect(v.gates[2]!.detail).toBe('testMacroF1 was not measured in this run');
  });

  it('compares with the production model: absolute and relative change, either direction of better', () => {
    const champion = { version: 3, metrics: { testAccuracy: 0.94, testLogLoss: 0.15 } };
    const gates = GatesSchema.parse([
      { kind: 'champion', metric: 'testAccuracy', minAbsoluteChange: 0.01 },
      { kind: 'champion', metric: 'testAccuracy', minRelativeChange: 0.05 },
      { kind: 'champion', metric: 'testLogLoss', lowerIsBetter: true },
    ]);
    const v = evaluateGates(gates, { metrics, champion });
    expect(v.gates.map((g) => g.passed)).toEqual([true, false, true]);
    expect(v.gates[0]).toMatchObject({ observed: 0.96, against: 0.94 });
    expect(v.champion).toEqual({ version: 3 });
    expect(v.gates[1]!.detail).toMatch(/change \+0\.0200 \(2\.13 %\), needs ≥ 0 and ≥ 5\.00 %/);
    const first = evaluateGates(gates, { metrics, champion: null });
    expect(first.passed).toBe(true);
    expect(first.gates[0]!.detail).toBe('no production model yet: nothing to beat');
    expect(evaluateGates(gates.slice(0, 1), { metrics: { ...metrics, testAccuracy: 0.94 }, champion }).passed).toBe(false);
  });

  it('beats the dummy baseline (by a margin) and checks parity by default', () => {
    expect(evaluateGates(DEFAULT_GATES, { metrics, champion: null }).passed).toBe(true);
    expect(evaluateGates(GatesSchema.parse([{ kind: 'baseline', margin: 0.6 }]), { metrics, champion: null }).passed).toBe(false);
    const noTest = evaluateGates(DEFAULT_GATES, { metrics: { parityMaxAbsDiff: 0 }, champion: null });
    expect(noTest.gates[0]).toMatchObject({ passed: false, detail: 'needs held-back test rows (testFraction > 0) to compare with the baseline' });
    expect(evaluateGates(DEFAULT_GATES, { metrics: { ...metrics, parityMaxAbsDiff: 3e-5 }, champion: null }).gates[1]!.passed).toBe(false);
  });

  it('holds a regressor to the training-mean baseline by RMSE, and to relative parity', () => {
    const regression = { testRmse: 300, testR2: 0.86, baselineRmse: 800, parityMaxAbsDiff: 2e-4, parityMaxRelDiff: 5e-8 };
    const v = evaluateGates(DEFAULT_GATES, { metrics: regression, champion: null });
    expect(v.passed).toBe(true);
    expect(v.gates.map((g) => [g.observed, g.against])).toEqual([[300, 800], [5e-8, 1e-5]]);
    expect(v.gates[0]!.detail).toBe("test RMSE 300 must be below the training-mean baseline's 800");
    expect(v.gates[1]!.detail).toMatch(/\(relative\)/);
    expect(evaluateGates(GatesSchema.parse([{ kind: 'baseline', margin: 600 }]), { metrics: regression, champion: null }).passed).toBe(false);
    expect(evaluateGates(DEFAULT_GATES, { metrics: { ...regression, testRmse: 800 }, champion: null }).gates[0]!.passed).toBe(false);
    expect(evaluateGates(DEFAULT_GATES, { metrics: { ...regression, parityMaxRelDiff: 2e-5 }, champion: null }).gates[1]!.passed).toBe(false);
    const lower = evaluateGates(GatesSchema.parse([{ kind: 'champion', metric: 'testRmse', lowerIsBetter: true, minRelativeChange: 0.05 }]), { metrics: regression, champion: { version: 1, metrics: { testRmse: 330 } } });
    expect(lower.gates[0]).toMatchObject({ passed: true, observed: 300, against: 330 });
  });

  it('refuses malformed gates naming the field', () => {
    const r = GatesSchema.safeParse([{ kind: 'threshold', metric: 'testAccuracy' }, { kind: 'nope' }, { kind: 'baseline', margin: -1 }]);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['0', '1.kind', '2.margin']);
  });
});
