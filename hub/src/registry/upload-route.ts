import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OutpostError } from '@outpost/shared';
import { DEFAULT_LIMITS, type HubDeps } from '../deps.ts';
import { validationError } from '../http/errors.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { createProjectStore } from '../projects/store.ts';
import { checkUploadedModel } from './model-check.ts';
import { createRegistryStore } from './store.ts';
import { readModelUpload } from './upload-form.ts';
import { ModelVersionSchema, versionToWire } from './wire.ts';

const ModelParams = z.object({ project: NameSchema, model: NameSchema });

// Room in the body for the feature spec, the metrics and the multipart framing beside the file.
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * POST …/models/{model}/versions: register a model trained elsewhere (PyTorch, scikit-learn, … as
 * ONNX). It is checked (model-check.ts) before anything is stored, so a refused upload registers
 * nothing. Model files share the dataset upload limit (HubLimits.maxDatasetBytes). The multipart
 * body is read by hand; its documentation is registered by hand below.
 */
export function addModelUploadRoute<E extends Env>(app: OpenAPIHono<E>, deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const inferences = createInferenceStore(deps.db);
  const maxBytes = deps.limits?.maxDatasetBytes ?? DEFAULT_LIMITS.maxDatasetBytes;
  const path = '/projects/{project}/models/{model}/versions';

  app.openAPIRegistry.registerPath({
    method: 'post',
    path,
    tags: ['registry'],
    summary: 'Register a model trained elsewhere: an ONNX file with its feature spec',
    description:
      `Multipart form: \`model\`, the .onnx file (at most ${maxBytes} bytes); \`features\`, the FeatureSpec (JSON) that encodes a record into the model's input; ` +
      'optionally `metrics`, a JSON object of numbers kept with the version. The model must have one float32 input [batch, width] where width is what the spec encodes, ' +
      'tensor outputs only, and a float32 output [batch, classes] of probabilities in the order of `features.label.classes`. ' +
      'The hub refuses, registering nothing, a file that is not ONNX, an interface that does not fit the spec, an operator onnxruntime-web lacks, ' +
      'or a model that fails one run on an all-zero record, or whose output on it is not probabilities. Where the hub can neither decode nor run ONNX (Workers) it answers 501.',
    request: {
      params: ModelParams,
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({
              model: z.string().openapi({ format: 'binary' }).describe('The .onnx file'),
              features: z.string().describe('FeatureSpec as JSON'),
              metrics: z.string().optional().describe('JSON object of numbers, e.g. {"validationAccuracy":0.97}'),
            }),
          },
        },
      },
    },
    responses: {
      201: { description: 'Registered as the next version', content: { 'application/json': { schema: ModelVersionSchema } } },
      ...errorResponses(400, 401, 404, 413, 501),
    },
  });

  const route = path.replace(/\{(\w+)\}/g, ':$1');
  app.use(
    route,
    bodyLimit({
      maxSize: maxBytes + FORM_OVERHEAD_BYTES,
      onError: () => {
        throw new OutpostError('PAYLOAD_TOO_LARGE', `model uploads are limited to ${maxBytes} bytes`);
      },
    }),
  );
  app.post(route, async (c) => {
    const params = ModelParams.safeParse(c.req.param());
    if (!params.success) throw validationError(params.error, 'path');
    const { project, model } = params.data;
    await projects.require(project);
    const upload = await readModelUpload(c.req.raw, maxBytes);
    const { input, output } = await checkUploadedModel(upload.bytes, upload.features);

    const artifact = await deps.blobs.put(upload.bytes);
    const now = deps.clock();
    const modelId = await registry.ensureModel(project, model, now);
    const signature = { input, output, features: upload.features };
    const version = await registry.addVersion(
      modelId,
      { runId: null, datasetVersionId: null, artifactSha256: artifact.sha256, artifactSize: artifact.size, signature, metrics: upload.metrics },
      now,
    );
    const stored = await registry.getVersion(modelId, version);
    if (!stored) throw new OutpostError('INTERNAL', `version ${version} of ${model} vanished after it was registered`);
    const counts = await inferences.countByVersion(project, model);
    return c.json(versionToWire(stored, counts.get(version) ?? 0), 201);
  });
}
