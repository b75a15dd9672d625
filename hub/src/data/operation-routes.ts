import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { commitVersion } from './commit.ts';
import { diffDatasets } from './diff/index.ts';
import { inferColumns, type ParsedDataset } from './parse.ts';
import { readVersionRows } from './version-rows.ts';
import { DatasetVersionSchema, describeVersion } from './routes.ts';
import { SplitSpecSchema, splitRows, type SplitPart } from './split/index.ts';
import { applyRecipe, recipeHash, RecipeSchema } from './clean/index.ts';
import { synthesizeRows } from './synthesize/index.ts';
import { profileOfVersion } from './profile.ts';
import { createDatasetStore, type DatasetVersion } from './store.ts';

const DatasetParams = z.object({ project: NameSchema, dataset: NameSchema });
const VersionParams = DatasetParams.extend({ version: z.coerce.number().int().positive() });

const DiffSchema = z
  .object({
    schema: z.object({
      added: z.array(z.object({ name: z.string(), type: z.string() })),
      removed: z.array(z.object({ name: z.string(), type: z.string() })),
      typeChanged: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
    }),
    mode: z.enum(['key', 'row-hash']),
    key: z.string().optional(),
    counts: z.object({ from: z.number(), to: z.number(), added: z.number(), removed: z.number(), changed: z.number(), unchanged: z.number() }),
    samples: z.object({
      added: z.array(z.object({ row: z.number(), values: z.record(z.string(), z.unknown()) })),
      removed: z.array(z.object({ row: z.number(), values: z.record(z.string(), z.unknown()) })),
      changed: z.array(
        z.object({ key: z.string(), fromRow: z.number(), toRow: z.number(), changes: z.array(z.object({ column: z.string(), from: z.unknown(), to: z.unknown() })) }),
      ),
    }),
  })
  .openapi('DatasetDiff');

const SplitRequestSchema = SplitSpecSchema.extend({ message: z.string().max(1000).optional() }).openapi('SplitRequest');

const PART_NAMES: Record<SplitPart, string> = { train: 'train', validation: 'validation', test: 'test' };

/** Operations that read versions and make reports or new versions: diff and split. */
export function createOperationRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const store = createDatasetStore(deps.db);
  const app = createRouter<AdminEnv>();
  app.use('/projects/:project/datasets/:dataset/versions/:version/split', jsonBodyLimit(deps));
  app.use('/projects/:project/datasets/:dataset/versions/:version/clean', jsonBodyLimit(deps));
  app.use('/projects/:project/datasets/:dataset/versions/:version/synthesize', jsonBodyLimit(deps));

  async function load(project: string, dataset: string, version: number, path: string): Promise<{ v: DatasetVersion; parsed: ParsedDataset }> {
    const v = await store.getVersion(project, dataset, version);
    if (!v) throw new OutpostError('NOT_FOUND', `no dataset ${dataset} version ${version} in project ${project}`, { issues: [{ path, message: 'not found' }] });
    return { v, parsed: { rows: await readVersionRows(deps, v), columns: v.columns } };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets/{dataset}/diff',
      tags: ['datasets'],
      summary: 'Row-level diff between two versions: rows added, removed and changed (by a key column, or by row hash) and schema changes',
      request: {
        params: DatasetParams,
        query: z.object({
          from: z.coerce.number().int().positive(),
          to: z.coerce.number().int().positive(),
          key: z.string().optional().describe('Key column; without it rows are compared whole (a change is a removal plus an addition)'),
        }),
      },
      responses: { 200: { description: 'Diff', content: { 'application/json': { schema: DiffSchema } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { project, dataset } = c.req.valid('param');
      const { from, to, key } = c.req.valid('query');
      await projects.require(project);
      const a = await load(project, dataset, from, 'from');
      const b = await load(project, dataset, to, 'to');
      return c.json(diffDatasets(a.parsed, b.parsed, key ? { key } : {}), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/split',
      tags: ['datasets'],
      summary: 'Split a version into train/validation/test versions (random, stratified, time or group), deterministically',
      description:
        'Writes a new version of `<dataset>-train`, `<dataset>-validation` and `<dataset>-test` (parts with no rows are skipped), each with this version as parent and the split (method, fractions, seed, column, assignment hash) as its operation. The same input and seed give identical splits and hash.',
      request: { params: VersionParams, body: { required: true, content: { 'application/json': { schema: SplitRequestSchema } } } },
      responses: {
        201: {
          description: 'Split',
          content: {
            'application/json': {
              schema: z.object({
                hash: z.string(),
                sizes: z.record(z.string(), z.number()),
                balance: z.object({ column: z.string(), counts: z.record(z.string(), z.record(z.string(), z.number())) }).optional(),
                versions: z.record(z.string(), DatasetVersionSchema),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 404, 413),
      },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const { message, ...spec } = c.req.valid('json');
      await projects.require(project);
      const longest = `${dataset}-validation`;
      if (!NameSchema.safeParse(longest).success) {
        throw new OutpostError('VALIDATION_FAILED', `dataset name ${dataset} is too long to name its parts (${longest})`, { issues: [{ path: 'dataset', message: 'at most 52 characters to split' }] });
      }
      const { v, parsed } = await load(project, dataset, version, 'version');
      const result = await splitRows(parsed.rows, parsed.columns.map((col) => col.name), spec, spec.method === 'stratified' ? {} : {});
      const versions: Record<string, z.infer<typeof DatasetVersionSchema>> = {};
      for (const part of ['train', 'validation', 'test'] as const) {
        const rows = result.parts[part].map((i) => parsed.rows[i]!);
        if (rows.length === 0) continue;
        const bytes = new TextEncoder().encode(JSON.stringify(rows));
        const made = await commitVersion(deps, {
          project,
          dataset: `${dataset}-${PART_NAMES[part]}`,
          bytes,
          format: 'json',
          parsed: { rows, columns: inferColumns(rows) },
          lineage: {
            parents: [v.id],
            operation: { kind: 'split', params: { ...spec, part, hash: result.hash, from: { dataset, version }, sizes: result.sizes, ...(result.balance ? { balance: result.balance } : {}) } },
            message: message ?? null,
            author: c.get('actor'),
          },
        });
        versions[part] = await describeVersion(store, made.version);
      }
      return c.json({ hash: result.hash, sizes: result.sizes, ...(result.balance ? { balance: result.balance } : {}), versions }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/clean',
      tags: ['datasets'],
      summary: 'Apply a cleaning recipe to a version, making a new version whose lineage names the input and the recipe',
      description:
        'Steps: trim, coerce, impute (mean, median, mode, constant; per group), normalize_categories, dedupe, clip (IQR or quantiles), drop_columns, drop_rows (expression). Statistics are fitted on the input version. The recipe is stored; replaying it on a new raw version (post it again) applies the same steps, and the same input always gives the same output.',
      request: {
        params: VersionParams,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                recipe: RecipeSchema.openapi('Recipe').optional().describe('The recipe; or replay one with `replay`'),
                replay: z
                  .object({ dataset: NameSchema, version: z.number().int().positive() })
                  .optional()
                  .describe('Apply the recipe recorded in the lineage of this cleaned version'),
                to: NameSchema.optional().describe('Dataset to write to; default <dataset>-clean'),
                message: z.string().max(1000).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: 'Cleaned version',
          content: {
            'application/json': {
              schema: z.object({
                recipeHash: z.string().describe('SHA-256 of the canonical recipe: the same for a replay'),
                report: z.array(z.object({ index: z.number(), op: z.string(), column: z.string().optional(), affected: z.number(), fitted: z.record(z.string(), z.unknown()).optional() })),
                version: DatasetVersionSchema,
              }),
            },
          },
        },
        ...errorResponses(400, 401, 404, 413),
      },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const body = c.req.valid('json');
      await projects.require(project);
      if ((body.recipe === undefined) === (body.replay === undefined)) {
        throw new OutpostError('VALIDATION_FAILED', 'send either a recipe or replay (a cleaned version whose recipe to apply)', { issues: [{ path: 'recipe', message: 'exactly one of recipe, replay' }] });
      }
      let recipe = body.recipe;
      if (body.replay) {
        const source = await store.getVersion(project, body.replay.dataset, body.replay.version);
        const recorded = source?.operation?.kind === 'clean' ? RecipeSchema.safeParse(source.operation.params.recipe) : undefined;
        if (!recorded?.success) {
          throw new OutpostError('NOT_FOUND', `${body.replay.dataset} version ${body.replay.version} was not made by a cleaning recipe`, { issues: [{ path: 'replay', message: 'not a cleaned version' }] });
        }
        recipe = recorded.data;
      }
      const { to, message } = body;
      const target = to ?? `${dataset}-clean`;
      if (!NameSchema.safeParse(target).success) {
        throw new OutpostError('VALIDATION_FAILED', `${target} is not a valid dataset name`, { issues: [{ path: 'to', message: 'name the target dataset' }] });
      }
      const { v, parsed } = await load(project, dataset, version, 'version');
      const result = applyRecipe(recipe!, parsed.rows, parsed.columns.map((col) => col.name));
      if (result.rows.length === 0) throw new OutpostError('VALIDATION_FAILED', 'the recipe dropped every row; nothing to store', { issues: [{ path: 'recipe', message: 'no rows left' }] });
      const hash = await recipeHash(recipe!);
      const made = await commitVersion(deps, {
        project,
        dataset: target,
        bytes: new TextEncoder().encode(JSON.stringify(result.rows)),
        format: 'json',
        parsed: { rows: result.rows, columns: inferColumns(result.rows) },
        lineage: {
          parents: [v.id],
          // The whole recipe is recorded, so the version says exactly how it was made and can be replayed.
          operation: { kind: 'clean', params: { recipe: recipe!, recipeHash: hash, from: { dataset, version }, report: result.report } },
          message: message ?? null,
          author: c.get('actor'),
        },
      });
      return c.json({ recipeHash: hash, report: result.report, version: await describeVersion(store, made.version) }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/synthesize',
      tags: ['datasets'],
      summary: "Generate N synthetic rows from a version's profile (seeded), as a new version",
      description:
        'Each column is drawn on its own from the profile: missing rate, numeric histogram, category frequencies. Correlations between columns are not reproduced. For tests and load, not for training.',
      request: {
        params: VersionParams,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                rows: z.number().int().min(1).max(1_000_000),
                seed: z.number().int().min(0).default(42),
                to: NameSchema.optional().describe('Dataset to write to; default <dataset>-synthetic'),
                message: z.string().max(1000).optional(),
              }),
            },
          },
        },
      },
      responses: { 201: { description: 'Synthetic version', content: { 'application/json': { schema: DatasetVersionSchema } } }, ...errorResponses(400, 401, 404, 413) },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const { rows: count, seed, to, message } = c.req.valid('json');
      await projects.require(project);
      const v = await store.getVersion(project, dataset, version);
      if (!v) throw new OutpostError('NOT_FOUND', `no dataset ${dataset} version ${version} in project ${project}`, { issues: [{ path: 'version', message: 'not found' }] });
      const rows = synthesizeRows(await profileOfVersion(deps, v), { rows: count, seed });
      const made = await commitVersion(deps, {
        project,
        dataset: to ?? `${dataset}-synthetic`,
        bytes: new TextEncoder().encode(JSON.stringify(rows)),
        format: 'json',
        parsed: { rows, columns: inferColumns(rows) },
        lineage: { parents: [v.id], operation: { kind: 'synthesize', params: { rows: count, seed, from: { dataset, version } } }, message: message ?? null, author: c.get('actor') },
      });
      return c.json(await describeVersion(store, made.version), 201);
    },
  );
  return app;
}
