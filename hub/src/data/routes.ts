import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { DEFAULT_LIMITS } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { DATA_TYPES, parseTypeOverrides, type DataType } from './column-types.ts';
import { contentTypeOf, DATASET_FORMATS, formatFromContentType, type DatasetFormat } from './formats/index.ts';
import { validationError } from '../http/errors.ts';
import { createDatasetStore, type DatasetStore, type DatasetVersion } from './store.ts';
import { profileOfVersion } from './profile.ts';
import { ingestUpload } from './upload.ts';
import { importFromUrl } from './url-import.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { DatasetProfileSchema } from '@outpost/shared';

const ColumnSchema = z.object({
  name: z.string(),
  type: z.enum(DATA_TYPES as unknown as [DataType, ...DataType[]]),
  missing: z.number().int(),
  firstNonNumeric: z.object({ row: z.number().int(), value: z.string() }).optional(),
});

export const DatasetVersionSchema = z
  .object({
    dataset: z.string(),
    version: z.number().int(),
    sha256: z.string(),
    format: z.enum(DATASET_FORMATS as unknown as [DatasetFormat, ...DatasetFormat[]]),
    size: z.number().int(),
    rowCount: z.number().int(),
    columns: z.array(ColumnSchema),
    profileSha256: z.string().nullable().describe('Blob address of the profile (GET …/profile)'),
    validationSha256: z.string().nullable().describe('Blob address of the report of the suite attached when the version was made'),
    validationSuccess: z.boolean().nullable().describe('null: no suite was attached; false: the version is flagged'),
    parents: z.array(z.object({ dataset: z.string(), version: z.number().int() })).describe('The versions this one was made from'),
    operation: z.object({ kind: z.string(), params: z.record(z.string(), z.unknown()) }).nullable().describe('What made it, with its parameters'),
    message: z.string().nullable(),
    author: z.string().nullable().describe('Who made it: admin-token-<id>'),
    createdAt: z.number().int(),
  })
  .openapi('DatasetVersion');

const ProjectParams = z.object({ project: NameSchema });

/** How to read an upload; what it says is recorded with the version (and used to read it again). */
const UploadQuerySchema = z.object({
  format: z.enum(DATASET_FORMATS as unknown as [DatasetFormat, ...DatasetFormat[]]).optional().describe('Default: from the Content-Type'),
  delimiter: z.string().length(1, 'one character').optional().describe('CSV field delimiter (default ",")'),
  skipBadRows: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Skip malformed rows (their count is recorded) instead of refusing the file'),
  types: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const parsed = parseTypeOverrides(v);
      if (parsed.ok) return parsed.types;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    })
    .describe(`Type overrides: column:type,other:type with types ${DATA_TYPES.join(', ')}`),
  message: z.string().max(1000).optional().describe('Why this version exists'),
});
const DatasetParams = ProjectParams.extend({ dataset: NameSchema });

const FormatSchema = z.enum(DATASET_FORMATS as unknown as [DatasetFormat, ...DatasetFormat[]]);

const ImportRequestSchema = z
  .object({
    url: z.string().max(2048).describe('An http(s) URL the hub can reach'),
    format: FormatSchema.optional().describe("Default: from the response's Content-Type, else the URL's file extension"),
    delimiter: z.string().length(1, 'one character').optional(),
    skipBadRows: z.boolean().optional(),
    types: z
      .record(z.string(), z.enum(['numeric', ...DATA_TYPES] as [string, ...string[]]))
      .optional()
      .transform((t) => (t ? (Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v === 'numeric' ? 'number' : v])) as Record<string, DataType>) : undefined))
      .describe('Column types that replace the inferred ones'),
    message: z.string().max(1000).optional(),
  })
  .strict()
  .openapi('ImportRequest');


/** A version as the API shows it: parents as dataset + version number, internal ids left out. */
export async function describeVersion(store: DatasetStore, { id: _id, parents, ...v }: DatasetVersion) {
  const resolved = await Promise.all(parents.map((p) => store.getVersionById(p)));
  return { ...v, parents: resolved.flatMap((p) => (p ? [{ dataset: p.dataset, version: p.version }] : [])) };
}

export function createDataRoutes(deps: HubDeps) {
  const store = createDatasetStore(deps.db);
  const projects = createProjectStore(deps.db);
  const maxBytes = deps.limits?.maxDatasetBytes ?? DEFAULT_LIMITS.maxDatasetBytes;
  const app = createRouter<AdminEnv>();
  const toWire = (v: DatasetVersion) => describeVersion(store, v);

  // The upload body is read raw (CSV or JSON) and parsed here, so errors name rows and columns;
  // its documentation is registered by hand below.
  const uploadPath = '/projects/{project}/datasets/{dataset}/versions';
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: uploadPath,
    tags: ['datasets'],
    summary: 'Upload a dataset file as a new immutable, content-addressed version',
    description: `CSV (with a header row) or a JSON array of objects, at most ${maxBytes} bytes. Uploading bytes identical to an existing version returns that version (200).`,
    request: {
      params: DatasetParams,
      body: { required: true, content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.array(z.record(z.string(), z.unknown())) } } },
    },
    responses: {
      200: { description: 'These bytes already are a version', content: { 'application/json': { schema: DatasetVersionSchema } } },
      201: { description: 'New version', content: { 'application/json': { schema: DatasetVersionSchema } } },
      ...errorResponses(400, 401, 404, 413),
    },
  });
  app.post(uploadPath.replace(/\{(\w+)\}/g, ':$1'), async (c) => {
    // A declared length over the limit is refused before a byte is read; a chunked body is counted
    // as it streams into the blob store and cut off at the limit.
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > maxBytes) throw new OutpostError('PAYLOAD_TOO_LARGE', `dataset uploads are limited to ${maxBytes} bytes`);
    const params = DatasetParams.safeParse(c.req.param());
    if (!params.success) throw new OutpostError('VALIDATION_FAILED', params.error.issues[0]!.message, { issues: params.error.issues.map((i) => ({ path: String(i.path[0]), message: i.message })) });
    const { project, dataset } = params.data;
    await projects.require(project);
    const options = UploadQuerySchema.safeParse(c.req.query());
    if (!options.success) throw validationError(options.error, 'query');
    const format = options.data.format ?? formatFromContentType(c.req.header('content-type'));
    if (!format) {
      throw new OutpostError('VALIDATION_FAILED', `send the file with a Content-Type the hub reads (${DATASET_FORMATS.map(contentTypeOf).join(', ')}) or ?format=`, {
        issues: [{ path: 'content-type', message: `expected one of ${DATASET_FORMATS.join(', ')}` }],
      });
    }
    const body = c.req.raw.body;
    if (!body) throw new OutpostError('VALIDATION_FAILED', 'send the dataset file as the request body', { issues: [{ path: 'body', message: 'empty' }] });
    const blob = await deps.blobs.putStream(body, maxBytes);
    const { version, created } = await ingestUpload(deps, { project, dataset, blob, format, options: options.data, author: c.get('actor') });
    return c.json(await toWire(version), created ? 201 : 200);
  });

  app.use('/projects/:project/datasets/:dataset/imports', jsonBodyLimit(deps));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/datasets/{dataset}/imports',
      tags: ['datasets'],
      summary: 'Import a dataset file from a URL as a new version',
      description:
        `The hub fetches the URL (following up to 5 redirects), streams the file into its blob store and reads it as an upload, at most ${maxBytes} bytes. ` +
        'Loopback and private-network addresses are refused unless the operator sets OUTPOST_ALLOW_PRIVATE_IMPORTS=1. The URL is recorded in the version\'s operation.',
      request: { params: DatasetParams, body: { required: true, content: { 'application/json': { schema: ImportRequestSchema } } } },
      responses: {
        200: { description: 'These bytes already are a version', content: { 'application/json': { schema: DatasetVersionSchema } } },
        201: { description: 'New version', content: { 'application/json': { schema: DatasetVersionSchema } } },
        ...errorResponses(400, 401, 404, 413),
      },
    }),
    async (c) => {
      const { project, dataset } = c.req.valid('param');
      const body = c.req.valid('json');
      await projects.require(project);
      const limits = { ...DEFAULT_LIMITS, ...deps.limits };
      const fetched = await importFromUrl(deps.blobs, body.url, body.format, { maxBytes: limits.maxDatasetBytes, allowPrivate: limits.allowPrivateImports });
      const { version, created } = await ingestUpload(deps, { project, dataset, blob: fetched.blob, format: fetched.format, options: body, author: c.get('actor'), url: fetched.url });
      return c.json(await toWire(version), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets/{dataset}/versions',
      tags: ['datasets'],
      summary: 'List the versions of a dataset, newest first',
      request: { params: DatasetParams },
      responses: {
        200: { description: 'Versions', content: { 'application/json': { schema: z.object({ versions: z.array(DatasetVersionSchema) }) } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project, dataset } = c.req.valid('param');
      await projects.require(project);
      const versions = await store.listVersions(project, dataset);
      if (versions.length === 0) throw new OutpostError('NOT_FOUND', `no dataset ${dataset} in project ${project}`);
      return c.json({ versions: await Promise.all(versions.map(toWire)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets/{dataset}/versions/{version}/profile',
      tags: ['datasets'],
      summary: 'Profile of a dataset version: per-column statistics, quantiles, histograms, top categories, correlations',
      description: 'Computed in one pass with mergeable sketches; `accuracy` states the error bounds in force (exact below their size limits).',
      request: { params: DatasetParams.extend({ version: z.coerce.number().int().positive() }) },
      responses: {
        200: { description: 'Profile', content: { 'application/json': { schema: DatasetProfileSchema.openapi('DatasetProfile') } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, dataset, version } = c.req.valid('param');
      await projects.require(project);
      const v = await store.getVersion(project, dataset, version);
      if (!v) throw new OutpostError('NOT_FOUND', `no dataset ${dataset} version ${version} in project ${project}`, { issues: [{ path: 'version', message: 'not found' }] });
      return c.json(await profileOfVersion(deps, v), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/datasets',
      tags: ['datasets'],
      summary: 'List datasets with their latest version',
      request: { params: ProjectParams },
      responses: {
        200: {
          description: 'Datasets',
          content: { 'application/json': { schema: z.object({ datasets: z.array(z.object({ name: z.string(), latest: DatasetVersionSchema.nullable() })) }) } },
        },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      await projects.require(project);
      const list = await store.list(project);
      const out = await Promise.all(
        list.map(async (d) => {
          const latest = await store.getVersion(project, d.name);
          return { name: d.name, latest: latest ? await toWire(latest) : null };
        }),
      );
      return c.json({ datasets: out }, 200);
    },
  );
  return app;
}
