import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema, OutpostError, type ErrorIssue } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createDatasetStore, type DatasetVersion } from '../data/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { createRunStore, type Run } from './store.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './types.ts';

const TrainRequestSchema = z
  .object({
    dataset: NameSchema.describe('Dataset to train on'),
    datasetVersion: z.number().int().positive().optional().describe('Version number; default: the latest'),
    label: z.string().min(1).describe('Column to predict'),
    features: z
      .array(z.object({ name: z.string().min(1), kind: z.enum(['numeric', 'categorical']).optional() }))
      .min(1)
      .optional()
      .describe('Columns to use (default: all but the label), optionally forcing their kind'),
    hiddenUnits: z.number().int().min(0).max(1024).default(DEFAULT_TRAIN_CONFIG.hiddenUnits).describe('0 trains a softmax regression'),
    epochs: z.number().int().min(1).max(1000).default(DEFAULT_TRAIN_CONFIG.epochs),
    learningRate: z.number().positive().max(1).default(DEFAULT_TRAIN_CONFIG.learningRate),
    batchSize: z.number().int().min(1).max(4096).default(DEFAULT_TRAIN_CONFIG.batchSize),
    seed: z.number().int().min(0).default(DEFAULT_TRAIN_CONFIG.seed),
    validationFraction: z.number().min(0.05).max(0.5).default(DEFAULT_TRAIN_CONFIG.validationFraction),
    allowFailedValidation: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe("A dataset version that failed its dataset's expectation suite is refused (409) unless this says why to train on it anyway; the reason is kept in the run's config"),
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
    createdAt: z.number(),
    finishedAt: z.number().nullable(),
  })
  .openapi('Run');

const toWire = (r: Run) => ({ ...r, config: r.config as unknown as Record<string, unknown>, metrics: r.metrics as Record<string, number> | null });

/** Check a training request against the dataset's columns now, so mistakes are a 400, not a failed run. */
function checkAgainstColumns(config: TrainConfig, dv: DatasetVersion): void {
  const columns = new Map(dv.columns.map((c) => [c.name, c]));
  const known = `columns are: ${[...columns.keys()].join(', ')}`;
  const issues: ErrorIssue[] = [];
  if (!columns.has(config.label)) issues.push({ path: 'label', column: config.label, message: `no column ${config.label}; ${known}` });
  config.features?.forEach((f, i) => {
    const col = columns.get(f.name);
    if (!col) issues.push({ path: `features.${i}.name`, column: f.name, message: `no column ${f.name}; ${known}` });
    else if (f.name === config.label) issues.push({ path: `features.${i}.name`, column: f.name, message: 'the label cannot also be a feature' });
    else if (f.kind === 'numeric' && col.firstNonNumeric) {
      issues.push({
        path: `features.${i}.kind`,
        column: f.name,
        row: col.firstNonNumeric.row,
        message: `${f.name} is not numeric: row ${col.firstNonNumeric.row} has ${JSON.stringify(col.firstNonNumeric.value)}`,
      });
    }
  });
  if (issues.length > 0) throw new OutpostError('VALIDATION_FAILED', issues[0]!.message, { issues });
}

export function createTrainingRoutes(deps: HubDeps) {
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
      const { dataset, datasetVersion, ...body } = c.req.valid('json');
      if (!deps.trainer) throw new OutpostError('NOT_IMPLEMENTED', 'this hub cannot train (Workers): train on a Node hub');
      await projects.require(project);
      const dv = await datasets.getVersion(project, dataset, datasetVersion);
      if (!dv) {
        throw new OutpostError('NOT_FOUND', `no dataset ${dataset}${datasetVersion ? ` version ${datasetVersion}` : ''} in project ${project}`, {
          issues: [{ path: datasetVersion ? 'datasetVersion' : 'dataset', message: 'not found' }],
        });
      }
      const config: TrainConfig = body;
      checkAgainstColumns(config, dv);
      if (dv.validationSuccess === false && !config.allowFailedValidation) {
        const message = `${dataset} version ${dv.version} failed its expectation suite; fix the data, or give the reason to train on it anyway (allowFailedValidation; outpost train --allow-failed-validation REASON)`;
        throw new OutpostError('CONFLICT', message, { issues: [{ path: 'datasetVersion', message: 'failed its suite (GET …/validation for the report)' }] });
      }
      const modelId = await registry.ensureModel(project, model, deps.clock());
      const id = crypto.randomUUID();
      await runs.create({ id, modelId, datasetVersionId: dv.id, config }, deps.clock());
      await deps.queue.enqueue({ kind: 'train', runId: id });
      return c.json(toWire((await runs.get(id))!), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/runs/{run}',
      tags: ['training'],
      summary: 'A training run: status, metrics, error, the model version it registered',
      request: { params: z.object({ project: NameSchema, run: z.string() }) },
      responses: {
        200: { description: 'The run', content: { 'application/json': { schema: RunSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, run } = c.req.valid('param');
      const found = await runs.get(run, project);
      if (!found) throw new OutpostError('NOT_FOUND', `no run ${run} in project ${project}`);
      return c.json(toWire(found), 200);
    },
  );
  return app;
}
