/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Console pages for experiment tracking: the runs of a project, one run (live while it trains),
 * runs compared, and the form that edits a run's tags and notes. Mounted behind the console
 * session (SameSite=Strict cookie: a cross-site form cannot post here).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { OutpostError } from '@outpost/shared';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { statusOf } from '../http/errors.ts';
import { createProjectStore } from '../projects/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { createRunStore, type Run } from '../training/store.ts';
import { EMPTY_FORM, formBodyLimit, parseForm, problemOf, readForm, type FormState } from './forms.tsx';
import { Layout } from './layout.tsx';
import { ComparePage, defaultParam, numericParams } from './run-compare.tsx';
import { RunPage, RunsListPage, runUrl, shortId } from './runs-pages.tsx';
import { SearchPage } from './search-page.tsx';
import { describeSearch } from '../training/search-view.ts';
import { NotesSchema, TagsSchema } from '../training/train-request.ts';
import { renderModelCard } from '../registry/model-card.ts';
import { loadModelCard } from '../registry/load-model-card.ts';

const LIST_LIMIT = 200;
const MAX_COMPARED = 20;

// The API's schemas for tags and notes, for the same input typed into a form.
const AnnotationForm = z.object({ tags: TagsSchema, notes: NotesSchema.nullable() });

/** Tags as typed: comma-separated, blanks dropped, duplicates once. */
const splitTags = (s: string | undefined) => [...new Set((s ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''))];

/** The runs pages, to mount behind the session check. */
export function createRunPages(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const runs = createRunStore(deps.db);
  const app = new Hono<AdminEnv>();

  const notFound = (c: Context, title: string, message: string) => c.html(<Layout title={title}><p class="err">{message}</p></Layout>, 404);
  /** Whether the project exists (its pages answer 404 when not). */
  const hasProject = async (project: string) => {
    try {
      await projects.require(project);
      return true;
    } catch (e) {
      if (e instanceof OutpostError && e.code === 'NOT_FOUND') return false;
      throw e;
    }
  };

  app.get('/projects/:project/models/:model/versions/:version/card', async (c) => {
    const { project, model, version } = c.req.param();
    const modelId = (await hasProject(project)) ? await registry.modelId(project, model) : undefined;
    const v = modelId !== undefined && /^\d+$/.test(version) ? await registry.getVersion(modelId, Number(version)) : undefined;
    if (!v) return notFound(c, 'Not found', `No version ${version} of model ${model} in project ${project}.`);
    const card = await loadModelCard(deps.db, model, v);
    const ref = card.reference;
    return c.html(
      <Layout title={`Model card · ${model} v${version}`}>
        <p><a href={`/console/projects/${project}/runs`}>← Runs of {project}</a></p>
        {ref ? <p data-reference>Reference data: <a href={`/console/projects/${project}/datasets/${ref.dataset}/versions/${ref.datasetVersion}`}>{ref.dataset} v{ref.datasetVersion}</a> ({ref.rows} rows)</p> : null}
        <pre class="card">{renderModelCard(card)}</pre>
      </Layout>,
    );
  });

  app.get('/projects/:project/searches/:search', async (c) => {
    const { project, search } = c.req.param();
    try {
      const view = await describeSearch(deps, project, search);
      return c.html(<Layout title={`Search ${shortId(view.id)} · ${project}`}><SearchPage project={project} search={view} /></Layout>);
    } catch (e) {
      if (e instanceof OutpostError && e.code === 'NOT_FOUND') return notFound(c, 'Not found', e.message);
      throw e;
    }
  });

  app.get('/projects/:project/runs', async (c) => {
    const project = c.req.param('project');
    if (!(await hasProject(project))) return notFound(c, 'Not found', `No project ${project}.`);
    const filter = { model: c.req.query('model')?.trim() || undefined, tag: c.req.query('tag')?.trim() || undefined };
    const [list, models] = await Promise.all([runs.list(project, { ...filter, limit: LIST_LIMIT }), registry.listModels(project)]);
    return c.html(
      <Layout title={`Runs · ${project}`}>
        <RunsListPage project={project} runs={list} models={models.map((m) => m.name)} filter={filter} limit={LIST_LIMIT} />
      </Layout>,
    );
  });

  // Before /runs/:run, which would otherwise take "compare" for a run id.
  app.get('/projects/:project/runs/compare', async (c) => {
    const project = c.req.param('project');
    if (!(await hasProject(project))) return notFound(c, 'Not found', `No project ${project}.`);
    // ?ids=a,b,c by hand, or ?ids=a&ids=b from the list's checkboxes.
    const ids = [...new Set((c.req.queries('ids') ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))];
    if (ids.length < 2 || ids.length > MAX_COMPARED) {
      const message = ids.length < 2 ? 'Tick two or more runs to compare.' : `Compare at most ${MAX_COMPARED} runs at a time.`;
      return c.html(<Layout title="Compare runs"><p class="err">{message}</p><p><a href={`/console/projects/${project}/runs`}>Back to the runs</a></p></Layout>, 400);
    }
    const resolved = await resolveRuns(project, ids);
    const unknown = ids.filter((_, i) => !resolved[i]);
    if (unknown.length > 0) return notFound(c, 'Runs not found', `No run ${unknown.join(', ')} in project ${project}.`);
    const found = resolved as Run[];
    const compared = await Promise.all(found.map(async (run) => ({ run, epochs: await runs.epochs(run.id) })));
    const asked = c.req.query('param');
    const usable = asked !== undefined && numericParams(found).includes(asked);
    return c.html(
      <Layout title={`Compare runs · ${project}`}>
        <ComparePage
          project={project}
          compared={compared}
          param={usable ? asked : defaultParam(found)}
          paramProblem={asked !== undefined && !usable ? `${asked} is not a numeric parameter of every run; showing the default.` : undefined}
        />
      </Layout>,
    );
  });

  /** Each id's run: the exact id, else the one run whose id starts with it (ids as the list shows them); undefined when none or several. */
  async function resolveRuns(project: string, ids: readonly string[]): Promise<Array<Run | undefined>> {
    let all: Run[] | undefined;
    return Promise.all(
      ids.map(async (id) => {
        const exact = await runs.get(id, project);
        if (exact) return exact;
        all ??= await runs.list(project, { limit: Number.MAX_SAFE_INTEGER });
        const matches = all.filter((r) => r.id.startsWith(id));
        return matches.length === 1 ? matches[0] : undefined;
      }),
    );
  }

  const runPage = async (c: Context, project: string, run: Run, form: FormState, status: 200 | 400 | 404 | 422 = 200) =>
    c.html(
      <Layout title={`Run ${shortId(run.id)} · ${project}`}>
        <RunPage project={project} run={run} epochs={await runs.epochs(run.id)} form={form} />
      </Layout>,
      status,
    );

  app.get('/projects/:project/runs/:run', async (c) => {
    const { project, run: id } = c.req.param();
    const run = await runs.get(id, project);
    if (!run) return notFound(c, 'Run not found', `No run ${id} in project ${project}.`);
    return runPage(c, project, run, EMPTY_FORM);
  });

  app.post('/projects/:project/runs/:run/annotate', formBodyLimit(deps), async (c) => {
    const { project, run: id } = c.req.param();
    const run = await runs.get(id, project);
    if (!run) return notFound(c, 'Run not found', `No run ${id} in project ${project}.`);
    const values = await readForm(c);
    try {
      const change = parseForm(AnnotationForm, { tags: splitTags(values.tags), notes: values.notes?.trim() ? values.notes : null });
      await runs.annotate(run.id, change);
      return c.redirect(runUrl(project, run.id), 303);
    } catch (e) {
      const { problem, error } = problemOf(e);
      return runPage(c, project, run, { values, problem }, statusOf(error.code) as 400);
    }
  });

  return app;
}
