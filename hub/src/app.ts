import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { OutpostError } from '@outpost/shared';
import type { HubDeps } from './deps.ts';
import { onError } from './http/errors.ts';
import { requireAdmin, requireProjectKey, type AdminEnv, type ProjectEnv } from './auth/middleware.ts';
import { createProjectRoutes } from './projects/routes.ts';
import { createDataRoutes } from './data/routes.ts';
import { createValidationRoutes } from './data/validation-routes.ts';
import { createOperationRoutes } from './data/operation-routes.ts';
import { createLabelingRoutes } from './data/labeling/routes.ts';
import { createTrainingRoutes } from './training/routes.ts';
import { createRegistryRoutes } from './registry/routes.ts';
import { createDeviceRegistryRoutes } from './registry/device-routes.ts';
import { createIngestRoutes } from './monitoring/device-routes.ts';
import { createMonitoringRoutes } from './monitoring/routes.ts';
import { createDriftRoutes } from './monitoring/drift-routes.ts';
import { createAlertRoutes } from './monitoring/alerting/routes.ts';
import { createAccuracyRoutes, createFeedbackRoutes } from './monitoring/labels/routes.ts';
import { createPredictRoutes } from './registry/predict-route.ts';
import { createRolloutRoutes } from './rollout/routes.ts';
import { createConsoleRoutes } from './console/routes.tsx';
import type { OpenApiDoc } from './console/api-reference.tsx';

export type { HubDeps } from './deps.ts';

const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: { title: 'Outpost hub API', version: '0.1.0' },
};

/** The hub: one sub-app per area. Entries (Node, Workers) build the deps and serve this. */
export function createApp(deps: HubDeps) {
  const app = new OpenAPIHono<AdminEnv>();
  app.onError(onError);
  app.notFound((c) => c.json(new OutpostError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`).toBody(), 404));

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/', (c) => c.redirect('/console'));

  // Devices: project key, any origin (the key is a bearer token, never a cookie).
  const device = new OpenAPIHono<ProjectEnv>();
  device.use('*', cors({
      origin: '*',
      allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
      // Without these a cross-origin app never sees the hub's Retry-After or a manifest's ETag.
      exposeHeaders: ['ETag', 'Retry-After'],
      allowMethods: ['GET', 'POST'],
      maxAge: 86400,
    }));
  device.use('*', requireProjectKey(deps));
  device.route('/', createDeviceRegistryRoutes(deps));
  device.route('/', createIngestRoutes(deps));
  device.route('/', createFeedbackRoutes(deps));
  device.route('/', createPredictRoutes(deps));
  app.route('/v1/device', device);

  // Everything else under /v1: the admin token (or a console session, for reads).
  const admin = requireAdmin(deps);
  app.use('/v1/*', (c, next) => (c.req.path.startsWith('/v1/device/') ? next() : admin(c, next)));
  app.route('/v1', createProjectRoutes(deps));
  app.route('/v1', createDataRoutes(deps));
  app.route('/v1', createValidationRoutes(deps));
  app.route('/v1', createOperationRoutes(deps));
  const labeling = createLabelingRoutes(deps);
  app.route('/v1', labeling.app);
  app.route('/v1', createTrainingRoutes(deps));
  app.route('/v1', createRegistryRoutes(deps));
  app.route('/v1', createRolloutRoutes(deps));
  app.route('/v1', createMonitoringRoutes(deps));
  app.route('/v1', createDriftRoutes(deps));
  app.route('/v1', createAlertRoutes(deps));
  app.route('/v1', createAccuracyRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'projectKey', { type: 'http', scheme: 'bearer' });
  const doc = () => app.getOpenAPI31Document({ ...OPENAPI_CONFIG, security: [{ adminToken: [] }] }) as unknown as OpenApiDoc;
  app.get('/v1/openapi.json', (c) => c.json(doc()));
  app.route('/console', createConsoleRoutes(deps, doc, labeling));
  return app;
}
export type HubApp = ReturnType<typeof createApp>;
