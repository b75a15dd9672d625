import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError, type RawRecord } from '@outpost/shared';
import type { HubDeps } from '../../deps.ts';
import type { AdminEnv } from '../../auth/middleware.ts';
import { jsonBodyLimit } from '../../http/limits.ts';
import { createRouter } from '../../http/router.ts';
import { errorResponses, NameSchema } from '../../http/schemas.ts';
import { createProjectStore } from '../../projects/store.ts';
import { commitVersion } from '../commit.ts';
import { inferColumns } from '../parse.ts';
import { readVersionRows } from '../version-rows.ts';
import { DatasetVersionSchema, describeVersion } from '../routes.ts';
import { createDatasetStore } from '../store.ts';
import { compileExpression, truthValue } from '../validation/index.ts';
import { agreement, resolveLabels } from './agreement.ts';
import { createLabelStore, type LabelSet } from './store.ts';

const SetParams = z.object({ project: NameSchema, name: NameSchema });
const LabelSetSchema = z
  .object({
    name: z.string(),
    dataset: z.string(),
    version: z.number().int(),
    labelColumn: z.string(),
    classes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.number(),
    rows: z.number().int(),
    progress: z.object({ labeled: z.number().int().describe('Rows with at least one label'), byLabeler: z.record(z.string(), z.number().int()) }),
    agreement: z.array(
      z.object({ labelers: z.array(z.string()), rows: z.number().int(), observed: z.number(), kappa: z.number().nullable().describe("Cohen's kappa") }),
    ),
  })
  .openapi('LabelSet');
export type LabelSetView = z.infer<typeof LabelSetSchema>;

/**
 * Labeling: a label set over one dataset version; labels by rule (expression) or by hand (a queue
 * per labeler); agreement between labelers; committing the labels as a new dataset version.
 */
export function createLabelingRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const datasets = createDatasetStore(deps.db);
  const store = createLabelStore(deps.db, deps.sqlMaxParams);
  const app = createRouter<AdminEnv>();
  app.use('/projects/:project/label-sets/*', jsonBodyLimit(deps));
  app.use('/projects/:project/label-sets', jsonBodyLimit(deps));

  async function requireSet(project: string, name: string): Promise<LabelSet> {
    await projects.require(project);
    const set = await store.get(project, name);
    if (!set) throw new OutpostError('NOT_FOUND', `no label set ${name} in project ${project}`, { issues: [{ path: 'name', message: 'not found' }] });
    return set;
  }
  async function rowsOf(set: LabelSet): Promise<RawRecord[]> {
    const v = await datasets.getVersionById(set.datasetVersionId);
    if (!v) throw new OutpostError('NOT_FOUND', `dataset ${set.dataset} version ${set.version} is missing`);
    return readVersionRows(deps, v);
  }
  async function view(set: LabelSet) {
    const [rows, all] = await Promise.all([rowsOf(set), store.labels(set.id)]);
    const byLabeler: Record<string, number> = {};
    for (const l of all) byLabeler[l.labeler] = (byLabeler[l.labeler] ?? 0) + 1;
    const { id: _id, datasetVersionId: _dv, ...wire } = set;
    return { ...wire, rows: rows.length, progress: { labeled: new Set(all.map((l) => l.row)).size, byLabeler }, agreement: agreement(all) };
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/label-sets',
      tags: ['labeling'],
      summary: 'Create a label set over the rows of a dataset version',
      request: {
        params: z.object({ project: NameSchema }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                name: NameSchema,
                dataset: NameSchema,
                version: z.number().int().positive().optional().describe('Default: the latest'),
                labelColumn: z.string().min(1).max(128).describe('Column the labels go into on commit'),
                classes: z.array(z.string().min(1).max(128)).min(2).max(50).refine((c) => new Set(c).size === c.length, 'classes must be distinct'),
              }),
            },
          },
        },
      },
      responses: { 201: { description: 'Created', content: { 'application/json': { schema: LabelSetSchema } } }, ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const body = c.req.valid('json');
      await projects.require(project);
      const v = await datasets.getVersion(project, body.dataset, body.version);
      if (!v) throw new OutpostError('NOT_FOUND', `no dataset ${body.dataset}${body.version ? ` version ${body.version}` : ''}`, { issues: [{ path: 'dataset', message: 'not found' }] });
      await store.create({ projectId: project, name: body.name, datasetVersionId: v.id, labelColumn: body.labelColumn, classes: body.classes, createdBy: c.get('actor') }, deps.clock());
      return c.json(await view((await store.get(project, body.name))!), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/label-sets/{name}',
      tags: ['labeling'],
      summary: "A label set: progress per labeler and agreement between labelers (Cohen's kappa)",
      request: { params: SetParams },
      responses: { 200: { description: 'Label set', content: { 'application/json': { schema: LabelSetSchema } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { project, name } = c.req.valid('param');
      return c.json(await view(await requireSet(project, name)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/label-sets/{name}/next',
      tags: ['labeling'],
      summary: 'The label queue: the next row the caller has not labeled (row null when done)',
      request: { params: SetParams },
      responses: {
        200: {
          description: 'Next row',
          content: { 'application/json': { schema: z.object({ row: z.number().int().nullable(), values: z.record(z.string(), z.unknown()).nullable(), remaining: z.number().int() }) } },
        },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, name } = c.req.valid('param');
      return c.json(await nextFor(await requireSet(project, name), c.get('actor')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/projects/{project}/label-sets/{name}/labels/{row}',
      tags: ['labeling'],
      summary: "Label one row (1-based) as the caller; labeling it again replaces the caller's label",
      request: {
        params: SetParams.extend({ row: z.coerce.number().int().positive() }),
        body: { required: true, content: { 'application/json': { schema: z.object({ label: z.string() }) } } },
      },
      responses: { 200: { description: 'Labeled', content: { 'application/json': { schema: z.object({ row: z.number(), label: z.string(), labeler: z.string() }) } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { project, name, row } = c.req.valid('param');
      const { label } = c.req.valid('json');
      const set = await requireSet(project, name);
      await labelRow(set, row, label, c.get('actor'));
      return c.json({ row, label, labeler: c.get('actor') }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/label-sets/{name}/rules',
      tags: ['labeling'],
      summary: "Label every row where an expression holds (labeler 'rules')",
      description: 'The expression language of expectation suites; a row is labeled when it evaluates to true.',
      request: { params: SetParams, body: { required: true, content: { 'application/json': { schema: z.object({ where: z.string().min(1), label: z.string() }) } } } },
      responses: { 200: { description: 'Labeled', content: { 'application/json': { schema: z.object({ labeled: z.number().int() }) } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { project, name } = c.req.valid('param');
      const { where, label } = c.req.valid('json');
      const set = await requireSet(project, name);
      requireClass(set, label);
      const rows = await rowsOf(set);
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      let expression;
      try {
        expression = compileExpression(where, columns);
      } catch (e) {
        if (e instanceof OutpostError) throw new OutpostError(e.code, e.message, { issues: [{ path: 'where', message: e.message }] });
        throw e;
      }
      const matching = rows.flatMap((r, i) => (truthValue(expression.evaluate(r)) === true ? [i + 1] : []));
      await store.setLabels(set.id, matching, 'rules', label, deps.clock());
      return c.json({ labeled: matching.length }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/label-sets/{name}/commit',
      tags: ['labeling'],
      summary: 'Write the labels into a new dataset version (default <dataset>-labeled), one label per row by majority',
      description: 'Rows with labels from several labelers get the most frequent label (a tie goes to the label given first); unlabeled rows get null.',
      request: { params: SetParams, body: { required: false, content: { 'application/json': { schema: z.object({ to: NameSchema.optional(), message: z.string().max(1000).optional() }) } } } },
      responses: { 201: { description: 'Committed', content: { 'application/json': { schema: DatasetVersionSchema } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { project, name } = c.req.valid('param');
      const body = c.req.header('content-type')?.includes('json') ? (c.req.valid('json') as { to?: string; message?: string }) : {};
      const set = await requireSet(project, name);
      const [rows, all] = await Promise.all([rowsOf(set), store.labels(set.id)]);
      const resolved = resolveLabels(all);
      const labeled = rows.map((r, i) => ({ ...r, [set.labelColumn]: resolved.get(i + 1) ?? null }));
      const made = await commitVersion(deps, {
        project,
        dataset: body.to ?? `${set.dataset}-labeled`,
        bytes: new TextEncoder().encode(JSON.stringify(labeled)),
        format: 'json',
        parsed: { rows: labeled, columns: inferColumns(labeled) },
        lineage: {
          parents: [set.datasetVersionId],
          operation: {
            kind: 'label',
            params: { labelSet: set.name, labelColumn: set.labelColumn, labeled: resolved.size, labelers: [...new Set(all.map((l) => l.labeler))].sort(), agreement: agreement(all) },
          },
          message: body.message ?? null,
          author: c.get('actor'),
        },
      });
      return c.json(await describeVersion(datasets, made.version), 201);
    },
  );

  function requireClass(set: LabelSet, label: string): void {
    if (!set.classes.includes(label)) {
      throw new OutpostError('VALIDATION_FAILED', `label must be one of ${set.classes.join(', ')}, not ${JSON.stringify(label)}`, { issues: [{ path: 'label', message: 'not a class of this label set' }] });
    }
  }
  async function labelRow(set: LabelSet, row: number, label: string, labeler: string): Promise<void> {
    requireClass(set, label);
    const count = (await rowsOf(set)).length;
    if (row > count) throw new OutpostError('VALIDATION_FAILED', `row ${row} is past the last row (${count})`, { issues: [{ path: 'row', row, message: 'no such row' }] });
    await store.setLabels(set.id, [row], labeler, label, deps.clock());
  }
  /** The first row after `after` (wrapping around) that `labeler` has not labeled. */
  async function nextFor(set: LabelSet, labeler: string, after = 0) {
    const [rows, all] = await Promise.all([rowsOf(set), store.labels(set.id)]);
    const done = new Set(all.filter((l) => l.labeler === labeler).map((l) => l.row));
    const open = (i: number) => !done.has(i + 1);
    const later = rows.findIndex((_, i) => i >= after && open(i));
    const index = later >= 0 ? later : rows.findIndex((_, i) => open(i));
    return { row: index < 0 ? null : index + 1, values: index < 0 ? null : (rows[index] as Record<string, unknown>), remaining: rows.length - done.size };
  }

  return { app, view, nextFor, labelRow, requireSet };
}
