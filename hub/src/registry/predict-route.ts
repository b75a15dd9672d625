import { createRoute } from '@hono/zod-openapi';
import {
  encodeRecords,
  OutpostError,
  outputWidth,
  ServerPredictRequestSchema,
  ServerPredictResultSchema,
  type InferenceRecord,
} from '@outpost/shared';
import { z } from '@hono/zod-openapi';
import type { HubDeps } from '../deps.ts';
import type { ProjectEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { deviceBodyLimit } from '../http/limits.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { createRolloutService } from '../rollout/service.ts';

/** The execution provider a server-side prediction is logged with. */
export const SERVER_PROVIDER = 'server';

/**
 * POST /v1/device/models/{model}/predict (project key): the server-side fallback for a device that
 * cannot run the model. The hub runs the very ONNX artifact of the version the device is assigned (its deviceId is its install id; see rollout/) with the injected
 * model runtime (onnxruntime-web on Node; Workers answer 501), on records encoded by the same
 * shared code as the SDK's, and logs every prediction as an inference record (provider `server`),
 * so monitoring counts it like a device's; a record id already logged is not logged twice.
 */
export function createPredictRoutes(deps: HubDeps) {
  const rollouts = createRolloutService(deps);
  const inferences = createInferenceStore(deps.db, deps.sqlMaxParams);
  const app = createRouter<ProjectEnv>();
  app.use('/models/:model/predict', deviceBodyLimit('prediction requests', 'send fewer records'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/models/{model}/predict',
      tags: ['device'],
      summary: "Predict on the hub (for a device that cannot run the model) with the ONNX artifact of the version the device is assigned; each prediction is logged",
      security: [{ projectKey: [] }],
      request: {
        params: z.object({ model: NameSchema }),
        body: { required: true, content: { 'application/json': { schema: ServerPredictRequestSchema } } },
      },
      responses: {
        200: { description: 'One prediction per record, in order', content: { 'application/json': { schema: ServerPredictResultSchema } } },
        ...errorResponses(400, 401, 404, 413, 429, 501),
      },
    }),
    async (c) => {
      const { model } = c.req.valid('param');
      const { deviceId, records } = c.req.valid('json');
      if (!deps.models) throw new OutpostError('NOT_IMPLEMENTED', 'this hub cannot run models (Workers): predict on the device, or on a Node hub');
      // The version this device is assigned (pin, rule by install id, rollout bucket, else production),
      // as its manifest says: a device falling back to the hub runs what it would have run itself.
      const { version } = await rollouts.resolve(c.get('projectId'), model, { installId: deviceId });
      const { features, input, output } = version.signature;
      let x: Float32Array;
      try {
        x = encodeRecords(features, records.map((r) => r.input));
      } catch (e) {
        // encodeRecords names row (1-based) and field: as the request's path, records.<i>.input.<field>.
        if (!(e instanceof OutpostError)) throw e;
        throw new OutpostError(e.code, e.message, { issues: (e.issues ?? []).map((i) => ({ ...i, path: `records.${(i.row ?? 1) - 1}.input.${i.path ?? ''}` })) });
      }
      const bytes = await deps.blobs.get(version.artifactSha256);
      if (!bytes) throw new OutpostError('INTERNAL', `the artifact of ${model} version ${version.version} is missing`);
      const loaded = await deps.models.open(bytes, { input, output });
      let out: Float32Array;
      const started = performance.now();
      try {
        out = await loaded.run(x, records.length);
      } finally {
        await loaded.close();
      }
      const latencyMs = (performance.now() - started) / records.length;
      const width = outputWidth(features.label);
      const label = features.label;
      const predictions = records.map((r, i) => {
        const row = Array.from(out.subarray(i * width, (i + 1) * width));
        if (label.task === 'regression') return { id: r.id, output: { value: row[0]! } };
        const best = row.indexOf(Math.max(...row));
        return { id: r.id, output: { label: label.classes[best] ?? '', probabilities: row } };
      });
      const logged: InferenceRecord[] = records.map((r, i) => ({
        ...r,
        model,
        modelVersion: version.version,
        executionProvider: SERVER_PROVIDER,
        latencyMs,
        output: predictions[i]!.output,
      }));
      await inferences.insert(c.get('projectId'), deviceId, logged, deps.clock());
      return c.json({ model, modelVersion: version.version, predictions }, 200);
    },
  );
  return app;
}
