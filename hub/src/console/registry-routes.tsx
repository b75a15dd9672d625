/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Console pages of the registry: a model's page (move an alias, remove one, set the minimum
 * version, its audit trail), a project's audit log and the signing keys (create, activate). Each
 * POST parses the form with the API's schemas and calls the same operations as the API
 * (registry/operations.ts), the session's person as actor. Mounted behind the console session
 * (SameSite=Strict cookie: a cross-site form cannot post here).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { OutpostError } from '@outpost/shared';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { statusOf } from '../http/errors.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { auditToWire, createRegistryOperations, HUB_WIDE } from '../registry/operations.ts';
import { createRegistryStore } from '../registry/store.ts';
import { AliasNameSchema, ReasonSchema } from '../registry/wire.ts';
import { headline } from '../training/headline.ts';
import { EMPTY_FORM, formBodyLimit, numeric, optional, parseForm, problemOf, readForm, type FormState, type FormValues } from './forms.tsx';
import { Layout } from './layout.tsx';
import { AuditPage, KeysPage, KEYS_URL, ModelPage, modelUrl, type ModelForms, type ModelPageData } from './registry-pages.tsx';

const AliasForm = z.object({ alias: AliasNameSchema, version: z.number().int().positive(), reason: ReasonSchema });
const MinVersionForm = z.object({ version: z.number().int().positive(), reason: ReasonSchema });
const ReasonForm = z.object({ reason: ReasonSchema });
const NO_FORMS: ModelForms = { alias: EMPTY_FORM, remove: EMPTY_FORM, minVersion: EMPTY_FORM };
const AUDIT_LIMIT = 100;

/** The registry's console pages, to mount behind the session check. */
export function createRegistryPages(deps: HubDeps) {
  const ops = createRegistryOperations(deps);
  const registry = createRegistryStore(deps.db);
  const inferences = createInferenceStore(deps.db);
  const app = new Hono<AdminEnv>();
  const limit = formBodyLimit(deps);

  /** Everything the model page shows, or null when the project or model does not exist. */
  async function loadModel(project: string, name: string): Promise<ModelPageData | null> {
    let modelId: number;
    try {
      modelId = await ops.requireModel(project, name);
    } catch (e) {
      if (e instanceof OutpostError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
    const [versions, published, counts, aliases, minVersion, audit] = await Promise.all([
      registry.listVersions(modelId),
      registry.currentPublication(modelId),
      inferences.countByVersion(project, name),
      registry.listAliases(modelId),
      registry.minVersion(modelId),
      ops.listAudit(project, { model: name, limit: AUDIT_LIMIT }),
    ]);
    return {
      project,
      name,
      published: published?.version ?? null,
      minVersion,
      aliases,
      audit,
      versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt, sha256: v.artifactSha256, score: headline(v.metrics).text, predictions: counts.get(v.version) ?? 0 })),
    };
  }

  const missing = (c: Context, what: string) => c.html(<Layout title="Not found"><p class="err">{what}</p></Layout>, 404);
  const modelPage = (m: ModelPageData, forms: ModelForms) => <Layout title={`${m.name} · model`}><ModelPage model={m} forms={forms} /></Layout>;

  /**
   * A model-page form: run `act`, then back to the page (303). On an OutpostError nothing changed:
   * the page again, the problem above the form that was sent and the input kept, at the error's status.
   */
  function modelForm(path: string, form: keyof ModelForms, act: (c: Context<AdminEnv>, values: FormValues) => Promise<unknown>) {
    app.post(`/projects/:project/models/:model${path}`, limit, async (c) => {
      const { project, model } = c.req.param() as { project: string; model: string };
      if (!(await loadModel(project, model))) return missing(c, `No model ${model} in project ${project}.`);
      const values = await readForm(c);
      try {
        await act(c, values);
        return c.redirect(modelUrl(project, model), 303);
      } catch (e) {
        const { problem, error } = problemOf(e);
        const state: FormState = { values, problem };
        return c.html(modelPage((await loadModel(project, model))!, { ...NO_FORMS, [form]: state }), statusOf(error.code));
      }
    });
  }

  app.get('/projects/:project/models/:model', async (c) => {
    const { project, model } = c.req.param();
    const m = await loadModel(project, model);
    return m ? c.html(modelPage(m, NO_FORMS)) : missing(c, `No model ${model} in project ${project}.`);
  });

  modelForm('/aliases', 'alias', async (c, values) => {
    const { project, model } = c.req.param();
    const input = parseForm(AliasForm, { alias: optional(values.alias) ?? '', version: numeric(values.version), reason: optional(values.reason) });
    await ops.setAlias({ project: project!, model: model!, ...input, actor: c.get('actor') });
  });
  modelForm('/aliases/:alias/remove', 'remove', async (c, values) => {
    const { project, model, alias } = c.req.param();
    const { reason } = parseForm(ReasonForm, { reason: optional(values.reason) });
    await ops.removeAlias({ project: project!, model: model!, alias: alias!, reason, actor: c.get('actor') });
  });
  modelForm('/min-version', 'minVersion', async (c, values) => {
    const { project, model } = c.req.param();
    const input = parseForm(MinVersionForm, { version: numeric(values.version), reason: optional(values.reason) });
    await ops.setMinVersion({ project: project!, model: model!, ...input, actor: c.get('actor') });
  });

  app.get('/projects/:project/audit', async (c) => {
    const { project } = c.req.param();
    try {
      const entries = await ops.listAudit(project, { limit: AUDIT_LIMIT });
      return c.html(<Layout title={`Audit log · ${project}`}><AuditPage project={project} entries={entries} /></Layout>);
    } catch (e) {
      if (e instanceof OutpostError && e.code === 'NOT_FOUND') return missing(c, `No project ${project}.`);
      throw e;
    }
  });

  const keysPage = async (form: FormState) => {
    const audit = (await registry.listAudit(HUB_WIDE, { limit: AUDIT_LIMIT })).map(auditToWire);
    return <Layout title="Signing keys"><KeysPage keys={await deps.keys.list()} form={form} audit={audit} /></Layout>;
  };
  /** A keys-page form: on success back to the page; on an error (501 on Workers) the page with the problem. */
  async function keysForm(c: Context<AdminEnv>, act: (reason: string | undefined) => Promise<unknown>) {
    const values = await readForm(c);
    try {
      const { reason } = parseForm(ReasonForm, { reason: optional(values.reason) });
      await act(reason);
      return c.redirect(KEYS_URL, 303);
    } catch (e) {
      const { problem, error } = problemOf(e);
      return c.html(await keysPage({ values, problem }), statusOf(error.code));
    }
  }

  app.get('/signing-keys', async (c) => c.html(await keysPage(EMPTY_FORM)));
  app.post('/signing-keys', limit, (c) => keysForm(c, (reason) => ops.createKey({ actor: c.get('actor'), reason })));
  app.post('/signing-keys/:keyId/activate', limit, (c) => keysForm(c, (reason) => ops.activateKey({ keyId: c.req.param('keyId'), actor: c.get('actor'), reason })));
  return app;
}
