import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { getJson } from '../blobs/json-blobs.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { attachedSuite, attachSuite, requireVersion, suggestVersionSuite, validateVersion } from './suite-operations.ts';
import type { ValidationReport } from './validate.ts';
import { ExpectationSuiteSchema, type ExpectationSuite } from './validation/index.ts';

const DatasetParams = z.object({ project: NameSchema, dataset: NameSchema });
const VersionParams = DatasetParams.extend({ version: z.coerce.number().int().positive() });
const Suite = ExpectationSuiteSchema.openapi('ExpectationSuite');

const ValidationReportSchema = z
  .object({
    suite: z.string(),
    success: z.boolean(),
    rowCount: z.number().int(),
    expectations: z.array(
      z.object({
        index: z.number().int(),
        type: z.string(),
        column: z.string().optional(),
        description: z.string().optional(),
        success: z.boolean(),
        unexpectedCount: z.number().int(),
        evaluatedCount: z.number().int(),
        observed: z.number().nullable().optional(),
        samples: z.array(z.object({ row: z.number().int(), value: z.unknown().optional(), values: z.record(z.string(), z.unknown()).optional() })),
        unverifiable: z.string().optional(),
      }),
    ),
    error: z.object({ message: z.string(), issues: z.array(z.record(z.string(), z.unknown())).optional() }).optional(),
  })
  .openapi('ValidationReport');

/** Expectation suites: attach one to a dataset, validate versions, suggest one from a profile (the work is in suite-operations.ts). */
export function createValidationRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const app = createRouter();
  app.use('/projects/:project/datasets/:dataset/suite', jsonBodyLimit(deps));
  app.use('/projects/:project/datasets/:dataset/versions/:version/validate', jsonBodyLimit(deps));

  app.openapi(
    createRoute({
      method: 'put',
      path: '/projects/{project}/datasets/{dataset}/suite',
      tags: ['validation'],
      summary: 'Attach an expectation suite to a dataset: every new version is validated against it and flagged when it fails',
      request: { params: DatasetParams, body: { required: true, content: { 'application/json': { schema: Suite } } } },
      responses: {
        200: { description: 'Attached', content: { 'application/json': { schema: z.object({ dataset: z.string(), sha256: z.string(), suite: Suite }) } } },
        ...errorResponses(400, 401, 404, 413),
      },
    }),
    async (c) => {
      const { project, dataset } = c.req.valid('param');
      const suite = c.req.valid('json') as ExpectationSuite;
      // A suite that cannot run on the current data is a mistake to catch now (400 naming the expectation).
      return c.json(await attachSuite(deps, { project, dataset, suite }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets/{dataset}/suite',
      tags: ['validation'],
      summary: 'The expectation suite attached to a dataset',
      request: { params: DatasetParams },
      responses: {
        200: { description: 'Suite', content: { 'application/json': { schema: z.object({ dataset: z.string(), sha256: z.string(), suite: Suite }) } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, dataset } = c.req.valid('param');
      await projects.require(project);
      const attached = await attachedSuite(deps, { project, dataset });
      if (!attached) throw new OutpostError('NOT_FOUND', `dataset ${dataset} has no suite attached; attach one with PUT …/suite`);
      return c.json({ dataset, ...attached }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/validate',
      tags: ['validation'],
      summary: 'Validate a version against a suite (the body) or the attached suite (empty body)',
      description: 'Names each failing expectation with its counts and up to 20 sample failing rows.',
      request: {
        params: VersionParams,
        body: { required: false, content: { 'application/json': { schema: z.object({ suite: Suite.optional() }) } } },
      },
      responses: {
        200: { description: 'Result (success may be false)', content: { 'application/json': { schema: ValidationReportSchema } } },
        ...errorResponses(400, 401, 404, 413),
      },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const body = c.req.header('content-type')?.includes('json') ? (c.req.valid('json') as { suite?: ExpectationSuite }) : {};
      // An explicit suite that does not fit this version is the caller's mistake: 400, not a report.
      return c.json(await validateVersion(deps, { project, dataset, version, suite: body.suite }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/validation',
      tags: ['validation'],
      summary: 'The report of the suite that was attached when this version was made',
      request: { params: VersionParams },
      responses: {
        200: { description: 'Report', content: { 'application/json': { schema: ValidationReportSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const v = await requireVersion(deps, { project, dataset, version });
      const report = v.validationSha256 ? await getJson<ValidationReport>(deps.blobs, v.validationSha256) : null;
      if (!report) throw new OutpostError('NOT_FOUND', `version ${version} of ${dataset} was made with no suite attached`);
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/suggested-suite',
      tags: ['validation'],
      summary: "Suggest a suite from a version's profile, with tolerances (not the exact observed values)",
      request: { params: VersionParams, query: z.object({ tolerance: z.coerce.number().min(0).max(10).default(0.1) }) },
      responses: {
        200: { description: 'Suggested suite', content: { 'application/json': { schema: Suite } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      const { tolerance } = c.req.valid('query');
      return c.json(await suggestVersionSuite(deps, { project, dataset, version, tolerance }), 200);
    },
  );
  return app;
}
