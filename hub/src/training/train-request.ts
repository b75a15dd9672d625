/**
 * A training request — the API's TrainRequest, which the console's train form builds too — and how
 * it becomes a queued run: every check a queued run would otherwise fail later (unknown columns, a
 * label or feature of the wrong type, a version that failed its suite) is a 4xx now, naming the field.
 */
import { z } from '@hono/zod-openapi';
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createDatasetStore, type DatasetVersion } from '../data/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { GatesSchema } from './gates.ts';
import { planTrials, SearchMethodSchema, SearchSpaceSchema } from './search.ts';
import { trainerConcurrency } from './search-job.ts';
import { createRunStore, createSearchStore, type Run } from './store.ts';
import { DEFAULT_TRAIN_BACKEND, DEFAULT_TRAIN_CONFIG, HIDDEN_ACTIVATIONS, TRAIN_BACKENDS, type TrainConfig } from './types.ts';

/** A run's tags and notes, as the API and the console's form take them. */
export const TagsSchema = z.array(z.string().trim().min(1).max(64)).max(20);
export const NotesSchema = z.string().max(4000);

export const TrainRequestSchema = z
  .object({
    dataset: NameSchema.describe('Dataset to train on'),
    datasetVersion: z.number().int().positive().optional().describe('Version number; default: the latest'),
    label: z.string().min(1).describe('Column to predict'),
    task: z.enum(['classification', 'regression']).optional().describe("classification (default): a class per row, with probabilities; regression: a number per row (the label must be numeric), trained on the standardized label with mean squared error"),
    features: z
      .array(
        z.object({
          name: z.string().min(1),
          kind: z.enum(['numeric', 'categorical', 'ordinal', 'hashed']).optional(),
          transform: z.enum(['standardize', 'minmax', 'log', 'bucketize']).optional().describe('numeric: standardize (default), minmax, log (log1p then standardize), bucketize (quantile buckets, one-hot)'),
          impute: z.union([z.enum(['mean', 'median']), z.number()]).optional().describe('numeric: what a missing value becomes (default mean)'),
          buckets: z.number().int().min(1).max(1024).optional().describe('bucketize (default 10) or hashed (default 32)'),
          unknown: z.enum(['mode', 'bucket']).optional().describe('categorical: an unseen or missing value as the mode (default) or its own slot'),
          order: z.array(z.string()).min(1).optional().describe('ordinal: the categories in order'),
          tokens: z.enum(['value', 'words']).optional().describe('hashed: hash whole values or whitespace-separated words'),
        }),
      )
      .min(1)
      .optional()
      .describe('Columns to use (default: all but the label), optionally forcing their kind and transform; fitted on the training rows only, shipped in the manifest and applied the same way by the SDK'),
    hiddenUnits: z.number().int().min(0).max(1024).default(DEFAULT_TRAIN_CONFIG.hiddenUnits).describe('Width of the one hidden layer; 0: none (a softmax regression, or a linear model for regression)'),
    layers: z.array(z.number().int().min(1).max(4096)).max(8).optional().describe('Hidden layer widths in order, e.g. [32, 16] (dense + activation each); replaces hiddenUnits; [] has no hidden layer'),
    backend: z.enum(TRAIN_BACKENDS).default(DEFAULT_TRAIN_BACKEND).describe("tfjs backend: wasm (default; faster — see npm run bench -- trainer-backends) or cpu (pure JS, the same bits on any machine). Recorded in the run's config"),
    activation: z.enum(HIDDEN_ACTIVATIONS).optional().describe('Activation of the hidden layers: relu (default), tanh or sigmoid'),
    dropout: z.number().min(0).lt(0.9).optional().describe('Dropout rate after each hidden layer while training (seeded); not part of the exported model. Default 0'),
    l2: z.number().min(0).optional().describe('L2 penalty on the dense kernels; default 0'),
    earlyStopping: z
      .object({
        patience: z.number().int().min(1).describe('Epochs without improvement of the validation loss before stopping'),
        minDelta: z.number().min(0).optional().describe('Smallest decrease of the validation loss that counts as an improvement; default 0'),
      })
      .optional()
      .describe("Stop when validation loss stops improving; the best epoch's weights are exported"),
    epochs: z.number().int().min(1).max(1000).default(DEFAULT_TRAIN_CONFIG.epochs),
    learningRate: z.number().positive().max(1).default(DEFAULT_TRAIN_CONFIG.learningRate),
    batchSize: z.number().int().min(1).max(4096).default(DEFAULT_TRAIN_CONFIG.batchSize),
    seed: z.number().int().min(0).default(DEFAULT_TRAIN_CONFIG.seed),
    validationFraction: z.number().min(0.05).max(0.5).default(DEFAULT_TRAIN_CONFIG.validationFraction),
    testFraction: z.number().min(0).max(0.5).default(DEFAULT_TRAIN_CONFIG.testFraction!).describe('Rows held back (seeded) for the final evaluation and acceptance gates; 0 for none'),
    sliceBy: z.string().min(1).optional().describe('A column whose values each get their own test report'),
    allowFailedValidation: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe("A dataset version that failed its dataset's expectation suite is refused (409) unless this says why to train on it anyway; the reason is kept in the run's config"),
    gates: GatesSchema.optional().describe('Acceptance gates on the test rows: threshold, champion (against the published version), baseline, parity. Default: beat the most-frequent-class baseline, and parity ≤ 1e-5'),
    allowFailedGates: z.string().trim().min(1).max(500).optional().describe('Register the model even if gates fail; the reason is kept with the verdict'),
    intendedUse: z.string().trim().min(1).max(2000).optional().describe('What the model is for, and not for: shown on its model card'),
    tags: TagsSchema.default([]).describe('Labels to find and compare runs by'),
    notes: NotesSchema.optional(),
    codeVersion: z.string().trim().min(1).max(200).optional().describe("The training code's version (a commit, a build number); default: the hub's git commit and dirty flag, where it has one"),
  })
  .openapi('TrainRequest');
export type TrainRequest = z.output<typeof TrainRequestSchema>;

export const SearchRequestSchema = TrainRequestSchema.omit({ notes: true, gates: true, allowFailedGates: true })
    .extend({
      space: SearchSpaceSchema.describe('Settings to vary: a list of values, or a range { min, max, log?, integer? } (ranges for random and halving)'),
      search: SearchMethodSchema.describe('grid; random with trials; halving with trials, minEpochs, maxEpochs, eta (default 3)'),
      metric: z
        .enum(['validationAccuracy', 'validationLoss', 'validationRmse'])
        .optional()
        .describe('What ranks the trials, on validation rows (test rows stay for the gates); loss and RMSE rank lower first. Default: validationAccuracy for classification, validationLoss for regression'),
      gates: GatesSchema.optional().describe("The best configuration's final run must pass these to be registered (default: baseline and parity)"),
      allowFailedGates: z.string().trim().min(1).max(500).optional(),
      concurrency: z.number().int().min(1).max(16).optional().describe("Trials trained at once, at most the hub's training workers (OUTPOST_TRAIN_WORKERS); default: that many. The best trial and the final model do not depend on it"),
    })
    .openapi('SearchRequest');
export type SearchRequest = z.output<typeof SearchRequestSchema>;

/** Check a training request against the dataset's columns now, so mistakes are a 400, not a failed run. */
function checkAgainstColumns(config: TrainConfig, dv: DatasetVersion): void {
  const columns = new Map(dv.columns.map((c) => [c.name, c]));
  const known = `columns are: ${[...columns.keys()].join(', ')}`;
  const issues: ErrorIssue[] = [];
  const label = columns.get(config.label);
  if (!label) issues.push({ path: 'label', column: config.label, message: `no column ${config.label}; ${known}` });
  else if (config.task === 'regression' && label.firstNonNumeric) {
    const bad = label.firstNonNumeric;
    issues.push({ path: 'label', column: config.label, row: bad.row, message: `a regression label must be numeric: ${config.label} has ${JSON.stringify(bad.value)} in row ${bad.row}` });
  }
  config.features?.forEach((f, i) => {
    const col = columns.get(f.name);
    if (!col) issues.push({ path: `features.${i}.name`, column: f.name, message: `no column ${f.name}; ${known}` });
    else if (f.name === config.label) issues.push({ path: `features.${i}.name`, column: f.name, message: 'the label cannot also be a feature' });
    else if ((f.kind === 'numeric' || f.transform !== undefined || f.impute !== undefined) && col.firstNonNumeric) {
      issues.push({
        path: `features.${i}.kind`,
        column: f.name,
        row: col.firstNonNumeric.row,
        message: `${f.name} is not numeric: row ${col.firstNonNumeric.row} has ${JSON.stringify(col.firstNonNumeric.value)}`,
      });
    }
  });
  if (config.sliceBy !== undefined && !columns.has(config.sliceBy)) issues.push({ path: 'sliceBy', column: config.sliceBy, message: `no column ${config.sliceBy}; ${known}` });
  if (issues.length > 0) throw new OutpostError('VALIDATION_FAILED', issues[0]!.message, { issues });
}

/** Queue training runs and searches: `trainable` checks a request against its dataset version; `queueRun` and `queueSearch` record one and queue it. */
export function createTrainQueue(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const datasets = createDatasetStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const runs = createRunStore(deps.db);
  const searchStore = createSearchStore(deps.db);

  /** The dataset version a training request names, once every check a queued run would fail later has passed. */
  async function trainable(project: string, dataset: string, datasetVersion: number | undefined, config: TrainConfig): Promise<DatasetVersion> {
    if (!deps.trainer) throw new OutpostError('NOT_IMPLEMENTED', 'this hub cannot train (Workers): train on a Node hub');
    await projects.require(project);
    const dv = await datasets.getVersion(project, dataset, datasetVersion);
    if (!dv) {
      throw new OutpostError('NOT_FOUND', `no dataset ${dataset}${datasetVersion ? ` version ${datasetVersion}` : ''} in project ${project}`, {
        issues: [{ path: datasetVersion ? 'datasetVersion' : 'dataset', message: 'not found' }],
      });
    }
    checkAgainstColumns(config, dv);
    if (dv.validationSuccess === false && !config.allowFailedValidation) {
      const message = `${dataset} version ${dv.version} failed its expectation suite; fix the data, or give the reason to train on it anyway (allowFailedValidation; outpost train --allow-failed-validation REASON)`;
      throw new OutpostError('CONFLICT', message, { issues: [{ path: 'datasetVersion', message: 'failed its suite (GET …/validation for the report)' }] });
    }
    return dv;
  }

  /**
   * Check the request, record the run (its config, tags, notes and lineage so far) and queue it.
   * @example const run = await queue.queueRun('demo', 'penguins', TrainRequestSchema.parse({ dataset: 'penguins', label: 'Species' }));
   */
  async function queueRun(project: string, model: string, request: TrainRequest): Promise<Run> {
    const { dataset, datasetVersion, tags, notes, codeVersion, ...config } = request;
    const dv = await trainable(project, dataset, datasetVersion, config);
    const modelId = await registry.ensureModel(project, model, deps.clock());
    const id = crypto.randomUUID();
    const lineage = {
      dataset,
      datasetVersion: dv.version,
      datasetSha256: dv.sha256,
      splitHash: null,
      featuresHash: null,
      code: codeVersion ? { version: codeVersion } : (deps.codeVersion ?? null),
      seed: config.seed,
    };
    await runs.create({ id, modelId, datasetVersionId: dv.id, config, tags: [...new Set(tags)], notes: notes ?? null, lineage }, deps.clock());
    await deps.queue.enqueue({ kind: 'train', runId: id });
    return (await runs.get(id))!;
  }

  /**
   * Check a search request (its training settings as a run's, its plan, its metric against the task),
   * record the search and queue it; returns its id.
   */
  async function queueSearch(project: string, model: string, request: SearchRequest): Promise<string> {
    const { dataset, datasetVersion, tags, codeVersion, space, search, metric, concurrency, ...base } = request;
    const config: TrainConfig = base;
    const dv = await trainable(project, dataset, datasetVersion, config);
    planTrials(space, search, config.seed); // an impossible plan is a 400 now, not a failed search later
    const regression = config.task === 'regression';
    if ((metric === 'validationAccuracy' && regression) || (metric === 'validationRmse' && !regression)) {
      const message = `${metric} is not measured for ${regression ? 'regression' : 'classification'}: use ${regression ? 'validationLoss or validationRmse' : 'validationAccuracy or validationLoss'}`;
      throw new OutpostError('VALIDATION_FAILED', message, { issues: [{ path: 'metric', message }] });
    }
    const modelId = await registry.ensureModel(project, model, deps.clock());
    const id = crypto.randomUUID();
    const spec = { space, method: search, metric: metric ?? (regression ? 'validationLoss' : 'validationAccuracy'), seed: config.seed, base: config, codeVersion: codeVersion ? { version: codeVersion } : (deps.codeVersion ?? null), tags: [...new Set(tags)], concurrency: Math.min(concurrency ?? Infinity, trainerConcurrency(deps.trainer)) };
    await searchStore.create({ id, modelId, datasetVersionId: dv.id, spec: spec as unknown as Record<string, unknown> }, deps.clock());
    await deps.queue.enqueue({ kind: 'search', searchId: id });
    return id;
  }

  return { trainable, queueRun, queueSearch };
}
