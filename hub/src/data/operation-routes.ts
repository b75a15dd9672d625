import { createRoute, z } from '@hono/zod-openapi';
import type { HubDeps } from '../deps.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { diffDatasets } from './diff/index.ts';
import { DatasetVersionSchema, describeVersion } from './routes.ts';
import { SplitSpecSchema } from './split/index.ts';
import { RecipeSchema } from './clean/index.ts';
import { cleanVersion, loadVersion, splitVersion, synthesizeVersion } from './operations.ts';
import { createDatasetStore } from './store.ts';

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

// Request bodies, exported so the console parses its forms by the same rules (and names fields alike).
export const SplitRequestSchema = SplitSpecSchema.extend({ message: z.string().max(1000).optional() }).openapi('SplitRequest');

export const CleanRequestSchema = z.object({
  recipe: RecipeSchema.openapi('Recipe').optional().describe('The recipe; or replay one with `replay`'),
  replay: z
    .object({ dataset: NameSchema, version: z.number().int().positive() })
    .optional()
    .describe('Apply the recipe recorded in the lineage of this cleaned version'),
  to: NameSchema.optional().describe('Dataset to write to; default <dataset>-clean'),
  message: z.string().max(1000).optional(),
});

export const SynthesizeRequestSchema = z.object({
  rows: z.number().int().min(1).max(1_000_000),
  seed: z.number().int().min(0).default(42),
  to: NameSchema.optional().describe('Dataset to write to; default <dataset>-synthetic'),
  message: z.string().max(1000).optional(),
});

/** Operations that read versions and make reports or new versions: diff, split, clean, synthesize (the work is in operations.ts). */
export function createOperationRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const store = createDatasetStore(deps.db);
  const app = createRouter<AdminEnv>();
  app.use('/projects/:project/datasets/:dataset/versions/:version/split', jsonBodyLimit(deps));
  app.use('/projects/:project/datasets/:dataset/versions/:version/clean', jsonBodyLimit(deps));
  app.use('/projects/:project/datasets/:dataset/versions/:version/synthesize', jsonBodyLimit(deps));

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
      const a = await loadVersion(deps, { project, dataset, version: from }, 'from');
      const b = await loadVersion(deps, { project, dataset, version: to }, 'to');
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
      const { versions, ...result } = await splitVersion(deps, { project, dataset, version, spec, message, author: c.get('actor') });
      const described: Record<string, z.infer<typeof DatasetVersionSchema>> = {};
      for (const [part, made] of Object.entries(versions)) described[part] = await describeVersion(store, made);
      return c.json({ ...result, versions: described }, 201);
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
              schema: CleanRequestSchema,
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
      const { version: made, ...result } = await cleanVersion(deps, { project, dataset, version, ...body, author: c.get('actor') });
      return c.json({ ...result, version: await describeVersion(store, made) }, 201);
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
              schema: SynthesizeRequestSchema,
            },
          },
        },
      },
      responses: { 201: { description: 'Synthetic version', content: { 'application/json': { schema: DatasetVersionSchema } } }, ...errorResponses(400, 401, 404, 413) },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const { rows, seed, to, message } = c.req.valid('json');
      const made = await synthesizeVersion(deps, { project, dataset, version, rows, seed, to, message, author: c.get('actor') });
      return c.json(await describeVersion(store, made), 201);
    },
  );
  return app;
}
