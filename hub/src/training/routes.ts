import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema, OutpostError, type ErrorIssue } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createDatasetStore, type DatasetVersion } from '../data/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { createRunStore, createSearchStore, type Run } from './store.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { DEFAULT_TRAIN_CONFIG, HIDDEN_ACTIVATIONS, type TrainConfig } from './types.ts';
import { ClassificationReportSchema, RegressionReportSchema } from './evaluation/index.ts';
import { GatesSchema } from './gates.ts';
import { planTrials, SearchMethodSchema, SearchSpaceSchema } from './search.ts';
import { describeSearch as describeSearchOf } from './search-view.ts';
import { trainerConcurrency } from './search-job.ts';

/** A run's tags and notes, as the API and the console's form take them. */
export const TagsSchema = z.array(z.string().trim().min(1).max(64)).max(20);
export const NotesSchema = z.string().max(4000);

const LineageSchema = z
  .object({
    dataset: z.string(),
    datasetVersion: z.number().int(),
    datasetSha256: z.string(),
    splitHash: z.string().nullable().describe('SHA-256 of the train/validation row indices (once trained)'),
    featuresHash: z.string().nullable().describe('SHA-256 of the fitted feature pipeline (once trained)'),
    code: z.union([z.object({ commit: z.string(), dirty: z.boolean() }), z.object({ version: z.string() })]).nullable(),
    seed: z.number().int(),
  })
  .openapi('RunLineage');

const TrainRequestSchema = z
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
    hiddenUnits: z.number().int().min(0).max(1024).default(DEFAULT_TRAIN_CONFIG.hiddenUnits).describe('0 trains a softmax regression'),
    layers: z.array(z.number().int().min(1).max(4096)).max(8).optional().describe('Hidden layer widths in order, e.g. [32, 16] (dense + relu each); replaces hiddenUnits, [] trains a softmax regression'),
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

export const RunSchema = z
  .object({
    id: z.string(),
    project: z.string(),
    model: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    config: z.record(z.string(), z.unknown()),
    datasetVersionId: z.number().int(),
    error: ErrorBodySchema.shape.error.nullable(),
    metrics: z.record(z.string(), z.number()).nullable(),
    modelVersion: z.number().int().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    lineage: LineageSchema.nullable(),
    system: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
    createdAt: z.number(),
    finishedAt: z.number().nullable(),
  })
  .openapi('Run');

// The list and the summary leave the full evaluation reports out (GET one run has them).
const toWire = ({ evaluation: _e, acceptance: _a, ...r }: Run) => ({ ...r, config: r.config as unknown as Record<string, unknown>, metrics: r.metrics as Record<string, number> | null });

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

export function createTrainingRoutes(deps: HubDeps) {
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

  const projects = createProjectStore(deps.db);
  const datasets = createDatasetStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const runs = createRunStore(deps.db);
  const app = createRouter();
  app.use('/projects/:project/models/:model/runs', jsonBodyLimit(deps));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/models/{model}/runs',
      tags: ['training'],
      summary: 'Queue a training run; on success it registers a new model version',
      description: 'Trains a classifier with tfjs, exports ONNX and checks parity (onnxruntime-web vs tfjs ≤ 1e-5). Poll the run for its outcome.',
      request: {
        params: z.object({ project: NameSchema, model: NameSchema }),
        body: { required: true, content: { 'application/json': { schema: TrainRequestSchema } } },
      },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: RunSchema } } },
        ...errorResponses(400, 401, 404, 409, 501),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      const { dataset, datasetVersion, tags, notes, codeVersion, ...body } = c.req.valid('json');
      const config: TrainConfig = body;
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
      return c.json(toWire((await runs.get(id))!), 202);
    },
  );

  const RunParams = z.object({ project: NameSchema, run: z.string().max(100) });
  const evaluationOf = <R extends z.ZodType>(report: R, baseline: string) =>
    z.object({
      validation: report,
      test: report.nullable(),
      baseline: report.nullable().describe(`${baseline}, on the test rows`),
      slices: z.object({ column: z.string(), slices: z.array(z.object({ slice: z.string(), rows: z.number().int(), report })) }).nullable(),
    });
  const EvaluationSchema = z
    .union([
      evaluationOf(RegressionReportSchema, 'Always predicting the training mean').extend({ task: z.literal('regression') }),
      evaluationOf(ClassificationReportSchema, 'Always predicting the most frequent training class').extend({ task: z.literal('classification').optional().describe('Absent in runs from before regression') }),
    ])
    .openapi('RunEvaluation');
  const GateResultSchema = z.object({ gate: z.record(z.string(), z.unknown()), passed: z.boolean(), observed: z.number().nullable(), against: z.number().nullable(), detail: z.string() });
  const AcceptanceSchema = z
    .object({ passed: z.boolean(), gates: z.array(GateResultSchema), champion: z.object({ version: z.number().int() }).nullable(), override: z.string().nullable() })
    .openapi('AcceptanceVerdict');
  const RunDetailSchema = RunSchema.extend({
    acceptance: AcceptanceSchema.nullable().describe('The acceptance gates: verdict, each gate with its numbers, the production version compared against, an override reason'),
    evaluation: EvaluationSchema.nullable().describe('Reports on validation, test, the dummy baseline and slices (once trained)'),
    history: z.array(z.record(z.string(), z.number())).describe('Per-epoch metrics, written as the run trains: epoch, loss, validationLoss, and validationAccuracy (classification) or validationRmse (regression)'),
  }).openapi('RunDetail');
  const requireRun = async (project: string, run: string) => {
    await projects.require(project);
    const found = await runs.get(run, project);
    if (!found) throw new OutpostError('NOT_FOUND', `no run ${run} in project ${project}`, { issues: [{ path: 'run', message: 'not found' }] });
    return found;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/runs',
      tags: ['training'],
      summary: 'Training runs of a project, newest first, optionally of one model or with one tag',
      request: {
        params: z.object({ project: NameSchema }),
        query: z.object({
          model: NameSchema.optional(),
          tag: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: { description: 'Runs', content: { 'application/json': { schema: z.object({ runs: z.array(RunSchema) }) } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const { model, tag, limit } = c.req.valid('query');
      await projects.require(project);
      return c.json({ runs: (await runs.list(project, { model, tag, limit })).map(toWire) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/runs/{run}',
      tags: ['training'],
      summary: 'A training run: status, parameters, per-epoch metrics, lineage, system, tags and notes, the model version it registered',
      request: { params: RunParams },
      responses: {
        200: { description: 'The run', content: { 'application/json': { schema: RunDetailSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, run } = c.req.valid('param');
      const found = await requireRun(project, run);
      return c.json({ ...toWire(found), evaluation: found.evaluation, acceptance: found.acceptance, history: await runs.epochs(found.id) }, 200);
    },
  );

  app.use('/projects/:project/runs/:run/override', jsonBodyLimit(deps));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/runs/{run}/override',
      tags: ['training'],
      summary: 'Register the model of a run that failed its acceptance gates, with a recorded reason',
      description:
        'Queues a new run with the same data and settings plus `allowFailedGates: reason`. Training is deterministic, so it makes the same model, which is then registered; both runs keep the verdict, and the new one the reason.',
      request: {
        params: RunParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ reason: z.string().trim().min(1).max(500) }).strict().openapi('GateOverride') } } },
      },
      responses: {
        202: { description: 'The new run, queued', content: { 'application/json': { schema: RunSchema } } },
        ...errorResponses(400, 401, 404, 409, 501),
      },
    }),
    async (c) => {
      const { project, run } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const found = await requireRun(project, run);
      if (found.error?.code !== 'GATES_FAILED') {
        throw new OutpostError('CONFLICT', `run ${run} did not fail its acceptance gates (it is ${found.status}); only such a run can be overridden`, { issues: [{ path: 'run', message: 'not a gate-failed run' }] });
      }
      if (!deps.trainer) throw new OutpostError('NOT_IMPLEMENTED', 'this hub cannot train (Workers): train on a Node hub');
      const id = crypto.randomUUID();
      const modelId = (await runs.modelIdOf(project, found.model))!;
      await runs.create(
        { id, modelId, datasetVersionId: found.datasetVersionId, config: { ...found.config, allowFailedGates: reason }, tags: [...found.tags, `override-of:${found.id}`], notes: found.notes, lineage: found.lineage },
        deps.clock(),
      );
      await deps.queue.enqueue({ kind: 'train', runId: id });
      return c.json(toWire((await runs.get(id))!), 202);
    },
  );

  app.use('/projects/:project/runs/:run', jsonBodyLimit(deps));
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/projects/{project}/runs/{run}',
      tags: ['training'],
      summary: "Change a run's tags or notes (nothing else about a run changes)",
      request: {
        params: RunParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ tags: TagsSchema.optional(), notes: NotesSchema.nullable().optional() }).strict().openapi('RunAnnotation') } } },
      },
      responses: {
        200: { description: 'The run', content: { 'application/json': { schema: RunSchema } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, run } = c.req.valid('param');
      const { tags, notes } = c.req.valid('json');
      const found = await requireRun(project, run);
      await runs.annotate(found.id, { tags: tags ? [...new Set(tags)] : undefined, notes });
      return c.json(toWire((await runs.get(found.id))!), 200);
    },
  );
  const SearchRequestSchema = TrainRequestSchema.omit({ notes: true, gates: true, allowFailedGates: true })
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
  const TrialSchema = z.object({ runId: z.string(), status: z.string(), params: z.record(z.string(), z.unknown()), score: z.number().nullable() });
  const SearchSchema = z
    .object({
      id: z.string(),
      model: z.string(),
      status: z.enum(['queued', 'running', 'succeeded', 'failed']),
      spec: z.record(z.string(), z.unknown()),
      metric: z.string(),
      planned: z.number().int().describe('Trials the plan trains in all (every rung of halving)'),
      trials: z.array(TrialSchema).describe('Trials so far, in the order they started (the plan order)'),
      bestRunId: z.string().nullable(),
      finalRun: z.object({ id: z.string(), status: z.string(), modelVersion: z.number().int().nullable() }).nullable().describe("The best configuration retrained, gated and registered"),
      error: ErrorBodySchema.shape.error.nullable(),
      createdAt: z.number(),
      finishedAt: z.number().nullable(),
    })
    .openapi('Search');

  const describeSearch = (project: string, id: string) => describeSearchOf(deps, project, id);

  app.use('/projects/:project/models/:model/searches', jsonBodyLimit(deps));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/models/{model}/searches',
      tags: ['training'],
      summary: 'Queue a hyperparameter search: grid, random or successive halving; each trial is a tracked run, and the best is retrained, gated and registered',
      request: {
        params: z.object({ project: NameSchema, model: NameSchema }),
        body: { required: true, content: { 'application/json': { schema: SearchRequestSchema } } },
      },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: SearchSchema } } },
        ...errorResponses(400, 401, 404, 409, 501),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      const { dataset, datasetVersion, tags, codeVersion, space, search, metric, concurrency, ...base } = c.req.valid('json');
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
      return c.json(await describeSearch(project, id), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/searches/{search}',
      tags: ['training'],
      summary: 'A search: its plan, the trials so far with their scores, the best, and the registered result',
      request: { params: z.object({ project: NameSchema, search: z.string().max(100) }) },
      responses: {
        200: { description: 'The search', content: { 'application/json': { schema: SearchSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, search } = c.req.valid('param');
      await projects.require(project);
      return c.json(await describeSearch(project, search), 200);
    },
  );
  return app;
}
