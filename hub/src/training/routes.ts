import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema, OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createRunStore, type Run } from './store.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { ClassificationReportSchema, RegressionReportSchema } from './evaluation/index.ts';
import { describeSearch as describeSearchOf } from './search-view.ts';
import { createTrainQueue, NotesSchema, SearchRequestSchema, TagsSchema, TrainRequestSchema } from './train-request.ts';

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

export function createTrainingRoutes(deps: HubDeps) {
  const queue = createTrainQueue(deps);
  const projects = createProjectStore(deps.db);
  const runs = createRunStore(deps.db);
  const app = createRouter();
  app.use('/projects/:project/models/:model/runs', jsonBodyLimit(deps));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/models/{model}/runs',
      tags: ['training'],
      summary: 'Queue a training run; on success it registers a new model version',
      description: 'Trains a classifier or regressor with tfjs, exports ONNX and checks parity between onnxruntime-web and tfjs (≤ 1e-5; relative for a regressor), then its acceptance gates. Poll the run for its outcome.',
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
      const run = await queue.queueRun(project, model, c.req.valid('json'));
      return c.json(toWire(run), 202);
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
      const id = await queue.queueSearch(project, model, c.req.valid('json'));
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
