/**
 * Hyperparameter search plans, pure: which trials to train, from a declared space. Three methods:
 * - `grid`: every combination of the listed values;
 * - `random`: `trials` seeded draws (a list: uniform choice; a range: uniform, or log-uniform with `log`);
 * - `halving` (successive halving, the building block of Hyperband): `trials` random configurations
 *   trained for `minEpochs`, the best 1/eta of them for eta× as many epochs, and so on up to
 *   `maxEpochs` — most of the budget goes to the promising ones, and poor ones stop early.
 * Every trial is a tracked run; trials are scored by a validation metric (never the test rows, which
 * stay for the final model's gates). Same spec and seed, same trials.
 */
import { OutpostError } from '@outpost/shared';
import { z } from 'zod';
import { createRng } from './split.ts';

/** The training settings a search may vary. */
export const SEARCHABLE = ['hiddenUnits', 'epochs', 'learningRate', 'batchSize', 'dropout', 'l2'] as const;
export type Searchable = (typeof SEARCHABLE)[number];

const Range = z.object({ min: z.number(), max: z.number(), log: z.boolean().default(false), integer: z.boolean().default(false) }).strict()
  .refine((r) => r.max >= r.min, { message: 'max must be at least min' })
  .refine((r) => !r.log || r.min > 0, { message: 'a log range needs min > 0' });
const Dimension = z.union([z.array(z.number()).min(1).max(100), Range]);

export const SearchSpaceSchema = z
  .object(Object.fromEntries(SEARCHABLE.map((k) => [k, Dimension.optional()])) as Record<Searchable, z.ZodOptional<typeof Dimension>>)
  .strict()
  .refine((s) => Object.keys(s).length > 0, { message: `name at least one of ${SEARCHABLE.join(', ')}` });

/** Values a setting can take (the trainer refuses others): checked on every listed value and range end before a search is queued. */
const ALLOWED: Partial<Record<Searchable, { ok: (v: number) => boolean; what: string }>> = {
  dropout: { ok: (v) => v >= 0 && v < 0.9, what: 'in [0, 0.9)' },
  l2: { ok: (v) => v >= 0, what: '≥ 0' },
  learningRate: { ok: (v) => v > 0, what: '> 0' },
  hiddenUnits: { ok: (v) => v >= 0, what: '≥ 0' },
  epochs: { ok: (v) => v >= 1, what: '≥ 1' },
  batchSize: { ok: (v) => v >= 1, what: '≥ 1' },
};
export type SearchSpace = z.output<typeof SearchSpaceSchema>;

export const SearchMethodSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('grid') }),
  z.object({ method: z.literal('random'), trials: z.number().int().min(1).max(200) }),
  z.object({
    method: z.literal('halving'),
    trials: z.number().int().min(2).max(200),
    minEpochs: z.number().int().min(1).max(1000),
    maxEpochs: z.number().int().min(1).max(10_000),
    eta: z.number().int().min(2).max(10).default(3),
  }),
]);
export type SearchMethod = z.output<typeof SearchMethodSchema>;

/** Most trials one search may train, counting every rung of halving. */
export const MAX_TRIALS = 200;

export type TrialParams = Partial<Record<Searchable, number>>;

const INTEGER: ReadonlySet<Searchable> = new Set(['hiddenUnits', 'epochs', 'batchSize']);

/**
 * The first set of trials: every grid point, or `trials` seeded draws (halving: its first rung).
 * Throws OutpostError('VALIDATION_FAILED') for an impossible plan (a grid over ranges, more than
 * MAX_TRIALS, halving that varies epochs, a range that leaves nothing valid), naming the field.
 * @example planTrials({ learningRate: [0.01, 0.1], hiddenUnits: [0, 16] }, { method: 'grid' }, 1).length // 4
 */
export function planTrials(space: SearchSpace, method: SearchMethod, seed: number): TrialParams[] {
  const dims = Object.entries(space) as [Searchable, z.output<typeof Dimension>][];
  for (const [name, d] of dims) {
    const allowed = ALLOWED[name];
    const bad = allowed && (Array.isArray(d) ? d : [d.min, d.max]).find((v) => !allowed.ok(v));
    if (allowed && bad !== undefined) throw invalid(`space.${name}`, `${name} must be ${allowed.what}, the space has ${bad}`);
  }
  if (method.method === 'grid') {
    const ranged = dims.find(([, d]) => !Array.isArray(d));
    if (ranged) throw invalid(`space.${ranged[0]}`, 'a grid needs a list of values, not a range; use method random or halving for ranges');
    const count = dims.reduce((n, [, d]) => n * (d as number[]).length, 1);
    if (count > MAX_TRIALS) throw invalid('space', `the grid has ${count} points; at most ${MAX_TRIALS}`);
    return dims.reduce<TrialParams[]>((acc, [name, values]) => acc.flatMap((t) => (values as number[]).map((v) => ({ ...t, [name]: v }))), [{}]);
  }
  if (method.method === 'halving') {
    if (space.epochs !== undefined) throw invalid('space.epochs', 'halving sets the epochs itself (minEpochs … maxEpochs); leave epochs out of the space');
    if (method.maxEpochs < method.minEpochs) throw invalid('maxEpochs', 'must be at least minEpochs');
    const total = halvingRungs(method).reduce((n, r) => n + r.trials, 0);
    if (total > MAX_TRIALS) throw invalid('trials', `halving would train ${total} trials in all; at most ${MAX_TRIALS}`);
  }
  const rng = createRng(seed);
  return Array.from({ length: method.trials }, () => Object.fromEntries(dims.map(([name, d]) => [name, draw(name, d, rng)])) as TrialParams);
}

/**
 * The rungs of successive halving: how many trials each trains and for how many epochs.
 * @example halvingRungs({ method: 'halving', trials: 9, minEpochs: 5, maxEpochs: 45, eta: 3 })
 * // [{ trials: 9, epochs: 5 }, { trials: 3, epochs: 15 }, { trials: 1, epochs: 45 }]
 */
export function halvingRungs(m: Extract<SearchMethod, { method: 'halving' }>): { trials: number; epochs: number }[] {
  const rungs: { trials: number; epochs: number }[] = [];
  let trials = m.trials;
  let epochs = m.minEpochs;
  for (;;) {
    rungs.push({ trials, epochs: Math.min(epochs, m.maxEpochs) });
    if (trials === 1 || epochs >= m.maxEpochs) return rungs;
    trials = Math.max(1, Math.floor(trials / m.eta));
    epochs = epochs * m.eta;
  }
}

/** The best `keep` trials by score (higher is better), ties to the earlier trial. */
export function topTrials<T extends { score: number | null }>(trials: readonly T[], keep: number): T[] {
  return trials
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.score !== null && Number.isFinite(t.score))
    .sort((a, b) => b.t.score! - a.t.score! || a.i - b.i)
    .slice(0, keep)
    .map(({ t }) => t);
}

function draw(name: Searchable, d: z.output<typeof Dimension>, rng: () => number): number {
  if (Array.isArray(d)) return d[Math.floor(rng() * d.length)]!;
  const u = rng();
  const x = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))) : d.min + u * (d.max - d.min);
  if (!d.integer && !INTEGER.has(name)) return x;
  const lo = Math.ceil(d.min);
  const hi = Math.floor(d.max);
  if (hi < lo) throw invalid(`space.${name}`, `no whole number between ${d.min} and ${d.max}`);
  return Math.min(hi, Math.max(lo, Math.round(x)));
}

function invalid(path: string, message: string): OutpostError {
  return new OutpostError('VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });
}
