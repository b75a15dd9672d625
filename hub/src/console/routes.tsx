/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import type { HubDeps } from '../deps.ts';
import { createAuthStore } from '../auth/store.ts';
import { SESSION_COOKIE, type AdminEnv } from '../auth/middleware.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { createProjectStore } from '../projects/store.ts';
import { createDatasetStore } from '../data/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { Layout } from './layout.tsx';
import { Overview, type OverviewProject } from './overview.tsx';
import { ApiReference, type OpenApiDoc } from './api-reference.tsx';
import { DatasetVersionPage } from './dataset-version.tsx';
import { DiffPage } from './diff-page.tsx';
import { LabelingPage } from './labeling.tsx';
import { createOperationPages } from './operation-routes.tsx';
import { createUploadPages } from './upload-pages.tsx';
import { createRunPages } from './runs-routes.tsx';
import { createRegistryPages } from './registry-routes.tsx';
import { createRolloutPages } from './rollout-routes.tsx';
import { createMonitoringPages } from './monitoring-routes.tsx';
import { createLabelStore } from '../data/labeling/store.ts';
import type { createLabelingRoutes } from '../data/labeling/routes.ts';

type Labeling = Pick<ReturnType<typeof createLabelingRoutes>, 'view' | 'nextFor' | 'labelRow' | 'requireSet'>;
import { describeVersion } from '../data/routes.ts';
import { diffDatasets, type DatasetDiff } from '../data/diff/index.ts';
import { readVersionRows } from '../data/version-rows.ts';
import { OutpostError } from '@outpost/shared';
import { profileOfVersion } from '../data/profile.ts';
import { getJson } from '../blobs/json-blobs.ts';
import type { ValidationReport } from '../data/validate.ts';
import { headline } from '../training/headline.ts';

const SESSION_MS = 12 * 60 * 60 * 1000;

/** Server-rendered console behind a login with the admin token (session cookie). */
export function createConsoleRoutes(deps: HubDeps, openApiDoc: () => OpenApiDoc, labeling: Labeling) {
  const auth = createAuthStore(deps.db);
  const projects = createProjectStore(deps.db);
  const datasets = createDatasetStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const inferences = createInferenceStore(deps.db);
  const labelSets = createLabelStore(deps.db);
  const app = new Hono<AdminEnv>();

  app.use('/login', bodyLimit({ maxSize: 4096 }));
  app.get('/login', (c) => c.html(<LoginPage />));
  app.post('/login', async (c) => {
    const ip = c.req.header('x-forwarded-for') ?? c.req.header('cf-connecting-ip') ?? 'local';
    const verdict = deps.rateLimiter.take(`login:${ip}`, deps.clock());
    if (!verdict.ok) return c.html(<LoginPage error={`Too many attempts; wait ${verdict.retryAfterSeconds}s.`} />, 429);
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    if (!token || (await auth.adminTokenId(await hashToken(token))) === null) {
      return c.html(<LoginPage error="That is not an admin token of this hub." />, 401);
    }
    const session = generateToken('ops');
    const now = deps.clock();
    const name = typeof form.name === 'string' ? form.name.trim().slice(0, 64).replace(/[^\p{L}\p{N} ._-]/gu, '') || null : null;
    await auth.addSession(await hashToken(session), now + SESSION_MS, now, name);
    setCookie(c, SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
      path: '/',
      maxAge: SESSION_MS / 1000,
    });
    return c.redirect('/console', 303);
  });
  app.post('/logout', async (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session) await auth.deleteSession(await hashToken(session));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/console/login', 303);
  });

  // Everything below needs a session.
  app.use('*', async (c, next) => {
    const session = getCookie(c, SESSION_COOKIE);
    const actor = session ? await auth.sessionActor(await hashToken(session), deps.clock()) : null;
    if (!actor) return c.redirect('/console/login', 303);
    c.set('actor', actor);
    return next();
  });

  app.get('/', async (c) => {
    const list = await projects.list();
    const overview: OverviewProject[] = await Promise.all(
      list.map(async (p) => ({
        id: p.id,
        labelSets: await labelSets.list(p.id),
        datasets: await Promise.all((await datasets.list(p.id)).map(async (d) => ({ name: d.name, latest: await datasets.getVersion(p.id, d.name) }))),
        models: await Promise.all(
          (await registry.listModels(p.id)).map(async (m) => {
            const [versions, pub, counts] = await Promise.all([
              registry.listVersions(m.id),
              registry.currentPublication(m.id),
              inferences.countByVersion(p.id, m.name),
            ]);
            return {
              name: m.name,
              published: pub?.version ?? null,
              versions: versions.map((v) => ({
                version: v.version,
                createdAt: v.createdAt,
                sha256: v.artifactSha256,
                score: headline(v.metrics).text,
                predictions: counts.get(v.version) ?? 0,
              })),
            };
          }),
        ),
      })),
    );
    return c.html(
      <Layout title="Overview">
        <Overview projects={overview} />
      </Layout>,
    );
  });

  app.get('/projects/:project/datasets/:dataset/versions/:version', async (c) => {
    const { project, dataset, version } = c.req.param();
    const v = await datasets.getVersion(project, dataset, Number(version));
    if (!v || !Number.isInteger(Number(version))) return c.html(<Layout title="Not found"><p>No dataset {dataset} version {version} in project {project}.</p></Layout>, 404);
    return c.html(
      <Layout title={`${dataset} v${v.version}`}>
        <DatasetVersionPage
          project={project}
          version={v}
          parents={(await describeVersion(datasets, v)).parents}
          profile={await profileOfVersion(deps, v)}
          validation={v.validationSha256 ? await getJson<ValidationReport>(deps.blobs, v.validationSha256) : null}
        />
      </Layout>,
    );
  });

  app.get('/projects/:project/datasets/:dataset/diff', async (c) => {
    const { project, dataset } = c.req.param();
    const from = Number(c.req.query('from'));
    const to = Number(c.req.query('to'));
    const key = c.req.query('key')?.trim() || undefined;
    const load = async (version: number) => {
      const v = Number.isInteger(version) ? await datasets.getVersion(project, dataset, version) : undefined;
      if (!v) throw new OutpostError('NOT_FOUND', `no version ${version} of ${dataset}`);
      return { rows: await readVersionRows(deps, v), columns: v.columns };
    };
    let diff: DatasetDiff | null = null;
    let error: string | undefined;
    try {
      diff = diffDatasets(await load(from), await load(to), key ? { key } : {});
    } catch (e) {
      if (!(e instanceof OutpostError)) throw e;
      error = e.message;
    }
    return c.html(
      <Layout title={`${dataset} diff`}>
        <DiffPage project={project} dataset={dataset} from={from} to={to} {...(key ? { keyColumn: key } : {})} diff={diff} {...(error ? { error } : {})} />
      </Layout>,
      error ? 400 : 200,
    );
  });

  app.get('/projects/:project/label-sets/:name', async (c) => {
    const { project, name } = c.req.param();
    const set = await labeling.requireSet(project, name);
    const after = Number(c.req.query('after') ?? 0);
    const next = await labeling.nextFor(set, c.get('actor'), Number.isInteger(after) && after > 0 ? after : 0);
    return c.html(
      <Layout title={`Label ${name}`}>
        <LabelingPage project={project} set={await labeling.view(set)} actor={c.get('actor')} next={next} />
      </Layout>,
    );
  });
  app.post('/projects/:project/label-sets/:name/label', bodyLimit({ maxSize: 4096 }), async (c) => {
    const { project, name } = c.req.param();
    const form = await c.req.parseBody();
    const set = await labeling.requireSet(project, name);
    await labeling.labelRow(set, Number(form.row), String(form.label ?? ''), c.get('actor'));
    return c.redirect(`/console/projects/${project}/label-sets/${name}?after=${Number(form.row)}`, 303);
  });

  // Split, clean, synthesize, validate and suites: forms beside each version (operation-routes.tsx).
  app.route('/', createOperationPages(deps));
  app.route('/', createUploadPages(deps));
  app.route('/', createRunPages(deps));
  // A model's aliases, minimum version and audit trail; the project audit log; signing keys (registry-routes.tsx).
  app.route('/', createRegistryPages(deps));
  // A model's rollout: watch it live and change it (rollout-routes.tsx).
  app.route('/', createRolloutPages(deps));
  // A model's monitoring dashboard: drift, traffic, latency, alerts (monitoring-routes.tsx).
  app.route('/', createMonitoringPages(deps));

  app.get('/api', (c) =>
    c.html(
      <Layout title="API reference">
        <ApiReference doc={openApiDoc()} />
      </Layout>,
    ),
  );
  return app;
}

function LoginPage(props: { error?: string }) {
  return (
    <Layout title="Log in" nav={false}>
      <form class="login" method="post" action="/console/login">
        <h1>Log in</h1>
        <p>Paste the admin token the hub printed on its first start.</p>
        {props.error && <p class="err">{props.error}</p>}
        <input type="password" name="token" autocomplete="current-password" placeholder="opa_…" required />
        <label>Your name <span class="muted">(optional: it records who labeled what)</span>
          <input type="text" name="name" autocomplete="name" maxlength={64} />
        </label>
        <button type="submit">Log in</button>
      </form>
    </Layout>
  );
}
