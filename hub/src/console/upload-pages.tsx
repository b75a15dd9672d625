/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Console page to add a dataset version: upload a file from the browser, or have the hub fetch a
 * URL. Both end where the API's upload and import end (data/upload.ts), the session's actor as author.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OutpostError } from '@outpost/shared';
import type { AdminEnv } from '../auth/middleware.ts';
import { DEFAULT_LIMITS, type HubDeps } from '../deps.ts';
import { statusOf } from '../http/errors.ts';
import { createProjectStore } from '../projects/store.ts';
import { DATA_TYPES, parseTypeOverrides } from '../data/column-types.ts';
import { DATASET_FORMATS, formatFromFileName, type DatasetFormat } from '../data/formats/index.ts';
import { ingestUpload } from '../data/upload.ts';
import { importFromUrl } from '../data/url-import.ts';
import { NameSchema } from '../http/schemas.ts';
import { Field, isInvalid, optional, Problem, problemOf, type FormState, type FormValues } from './forms.tsx';
import { Layout } from './layout.tsx';
import { versionUrl } from './operation-pages.tsx';

const invalid = (path: string, message: string) => new OutpostError('VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });

/** The upload page and its POST, to mount behind the session check. */
export function createUploadPages(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const app = new Hono<AdminEnv>();
  const page = (project: string, form: FormState) => (
    <Layout title={`Add a dataset version · ${project}`}>
      <UploadPage project={project} form={form} maxBytes={limits.maxDatasetBytes} />
    </Layout>
  );

  app.get('/projects/:project/upload', async (c) => {
    const project = c.req.param('project');
    await projects.require(project);
    return c.html(page(project, { values: { dataset: c.req.query('dataset') ?? '' } }));
  });

  app.post(
    '/projects/:project/upload',
    // The file arrives inside a multipart form: the limit is the upload limit plus room for the other fields.
    bodyLimit({
      maxSize: limits.maxDatasetBytes + 64 * 1024,
      onError: (c) => c.html(<Layout title="Too large"><p class="err">Files are limited to {limits.maxDatasetBytes} bytes.</p></Layout>, 413),
    }),
    async (c) => {
      const project = c.req.param('project');
      await projects.require(project);
      const body = await c.req.parseBody();
      const values: FormValues = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
      const file = body.file instanceof File && body.file.size > 0 ? body.file : undefined;
      try {
        const dataset = NameSchema.safeParse(optional(values.dataset) ?? '');
        if (!dataset.success) throw invalid('dataset', 'a name of letters, digits, - and _');
        const url = optional(values.url);
        if (!file === !url) throw invalid(file ? 'url' : 'file', 'choose a file or give a URL, not both');
        const format = optional(values.format) as DatasetFormat | undefined;
        if (format && !DATASET_FORMATS.includes(format)) throw invalid('format', `one of ${DATASET_FORMATS.join(', ')}`);
        const typesText = optional(values.types);
        const types = typesText ? parseTypeOverrides(typesText) : undefined;
        if (types && !types.ok) throw invalid('types', types.message);
        const options = {
          delimiter: optional(values.delimiter),
          skipBadRows: values.skipBadRows === 'on',
          types: types?.ok ? types.types : undefined,
          message: optional(values.message),
        };
        let stored: { blob: { sha256: string; size: number }; format: DatasetFormat; url?: string };
        if (file) {
          const fileFormat = format ?? formatFromFileName(file.name);
          if (!fileFormat) throw invalid('format', `cannot tell the format of ${file.name} from its name; choose one`);
          if (file.size > limits.maxDatasetBytes) throw new OutpostError('PAYLOAD_TOO_LARGE', `files are limited to ${limits.maxDatasetBytes} bytes`);
          stored = { blob: await deps.blobs.putStream(file.stream(), limits.maxDatasetBytes), format: fileFormat };
        } else {
          stored = await importFromUrl(deps.blobs, url!, format, { maxBytes: limits.maxDatasetBytes, allowPrivate: limits.allowPrivateImports });
        }
        const { version } = await ingestUpload(deps, { project, dataset: dataset.data, ...stored, options, author: c.get('actor') });
        return c.redirect(versionUrl(project, version), 303);
      } catch (e) {
        const { problem, error } = problemOf(e);
        return c.html(page(project, { values, problem }), statusOf(error.code));
      }
    },
  );
  return app;
}

function UploadPage(props: { project: string; form: FormState; maxBytes: number }) {
  const { form } = props;
  return (
    <>
      <p><a href="/console">← {props.project}</a></p>
      <h1>Add a dataset version</h1>
      <p class="muted">
        A file from this computer or a URL the hub can reach (at most {props.maxBytes} bytes): CSV, TSV, JSON, NDJSON, Parquet or Arrow. The same bytes as an
        existing version of the dataset give that version back; anything else becomes the next version, profiled and checked against the dataset's suite.
      </p>
      <Problem form={form} />
      <form method="post" class="op" enctype="multipart/form-data" action={`/console/projects/${props.project}/upload`}>
        <Field form={form} name="dataset" label="Dataset" placeholder="penguins" />
        <label class="field">
          File <input type="file" name="file" accept=".csv,.tsv,.json,.ndjson,.jsonl,.parquet,.arrow,.feather" aria-invalid={isInvalid(form, 'file') ? 'true' : undefined} />
        </label>
        <Field form={form} name="url" label="or URL" placeholder="https://…/data.parquet" />
        <label class="field">
          Format <span class="muted">(blank: from the file name or the URL's Content-Type)</span>
          <select name="format" aria-invalid={isInvalid(form, 'format') ? 'true' : undefined}>
            <option value="">from the name</option>
            {DATASET_FORMATS.map((f) => <option value={f} selected={form.values.format === f}>{f}</option>)}
          </select>
        </label>
        <Field form={form} name="delimiter" label="CSV delimiter" hint="(blank: comma)" />
        <label class="field"><input type="checkbox" name="skipBadRows" checked={form.values.skipBadRows === 'on'} /> Skip malformed rows (their count is recorded) instead of refusing the file</label>
        <Field form={form} name="types" label="Column types" hint={`(optional: column:type,… with types ${DATA_TYPES.join(', ')})`} />
        <Field form={form} name="message" label="Message" hint="(optional: why this version exists)" />
        <button type="submit">Add version</button>
      </form>
    </>
  );
}
