/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The console's monitoring dashboard of a model (monitoring-page.tsx), from the same services as
 * the API: the drift report, operational metrics, alert rules and their history.
 */
import { Hono } from 'hono';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { createAlertService } from '../monitoring/alerting/service.ts';
import { createDriftService } from '../monitoring/drift-service.ts';
import { operations } from '../monitoring/operations.ts';
import { createRegistryStore } from '../registry/store.ts';
import { Layout } from './layout.tsx';
import { MonitoringPage, WINDOWS, type MonitoringView, type WindowName } from './monitoring-page.tsx';

export function createMonitoringPages(deps: HubDeps) {
  const registry = createRegistryStore(deps.db);
  const drift = createDriftService(deps);
  const alerts = createAlertService(deps);
  const app = new Hono<AdminEnv>();

  app.get('/projects/:project/models/:model/monitoring', async (c) => {
    const { project, model } = c.req.param();
    const modelId = await registry.modelId(project, model);
    if (modelId === undefined) return c.html(<Layout title="Not found"><p class="err">No model {model} in project {project}.</p></Layout>, 404);
    const window = (c.req.query('window') ?? '24h') as WindowName;
    if (!(window in WINDOWS)) return c.html(<Layout title="Bad window"><p class="err">window: use {Object.keys(WINDOWS).join(', ')}.</p></Layout>, 400);
    const version = c.req.query('version') === undefined ? undefined : Number(c.req.query('version'));
    const to = deps.clock();
    const from = to - WINDOWS[window];
    // Hourly buckets, or 5-minute ones for the last hour.
    const bucketMs = window === '1h' ? 300_000 : window === '24h' ? 3_600_000 : 6 * 3_600_000;
    const [versions, report, ops, rules, events] = await Promise.all([
      registry.listVersions(modelId),
      drift.report({ project, model, version, from, to }).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
      operations(deps, project, model, { from, to, bucketMs }),
      alerts.list(project, model),
      alerts.events(project, model, { limit: 50 }),
    ]);
    const view: MonitoringView = { project, model, window, versions: versions.map((v) => v.version), drift: report, ops, rules, events };
    return c.html(
      <Layout title={`${model}: monitoring`}>
        <MonitoringPage v={view} />
      </Layout>,
    );
  });
  return app;
}
