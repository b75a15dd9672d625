import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OutpostError } from '@outpost/shared';
import { DEFAULT_LIMITS, type HubDeps } from '../deps.ts';
import { validationError } from '../http/errors.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { createProjectStore } from '../projects/store.ts';
import { putJson } from '../blobs/json-blobs.ts';
import { createRegistryStore } from './store.ts';
import { readModelUpload } from './upload-form.ts';
import { resolveReference, uploadedReference } from './upload-reference.ts';
import { ModelVersionSchema, versionToWire } from './wire.ts';

const ModelParams = z.object({ project: NameSchema, model: NameSchema });

// Room in the body for the feature spec, the metrics and the multipart framing beside the file.
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * POST …/models/{model}/versions: register a model trained elsewhere (PyTorch, scikit-learn, … as
 * ONNX). It is checked (HubDeps.models: model-check.ts on Node) before anything is stored, so a
 * refused upload registers nothing; with a `reference` dataset version it is also run on that
 * version's rows, whose profile is stored as trained versions store theirs. Model files share the dataset upload limit (HubLimits.maxDatasetBytes). The multipart
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
      'optionally `metrics`, a JSON object of numbers kept with the version; optionally `reference`, a dataset version of the project as `dataset@version` (e.g. `penguins@3`): ' +
      'the hub runs the model on every row of it and stores the rows\' feature profile and the model\'s output profile as the version\'s reference for drift monitoring (GET …/versions/{version}/reference), ' +
      'recording the dataset version with the version (`datasetVersionId`, and on its model card). It refuses an unknown dataset or version, a feature of the spec the dataset has no column for, or a row that does not encode, naming the row and column. ' +
      'The model must have one float32 input [batch, width] where width is what the spec encodes, ' +
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
              reference: z.string().optional().describe('A dataset version of this project, dataset@version (e.g. penguins@3), to profile the model on'),
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
    const runtime = deps.models;
    if (!runtime) {
      throw new OutpostError(
        'NOT_IMPLEMENTED',
        'this hub cannot check ONNX models on its platform (Workers can neither decode ONNX nor run onnxruntime-web), so it cannot register uploaded ones; upload models to a hub on Node',
      );
    }
    await projects.require(project);
    const upload = await readModelUpload(c.req.raw, maxBytes);
    // Cheapest first: the reference's dataset and columns, then the model, then its run over the rows.
    const dv = upload.reference ? await resolveReference(deps, project, upload.reference, upload.features) : null;
    const io = await runtime.check(upload.bytes, upload.features);
    let referenceSha256: string | null = null;
    if (dv) {
      const loaded = await runtime.open(upload.bytes, io);
      try {
        referenceSha256 = await putJson(deps.blobs, await uploadedReference(deps, dv, upload.features, loaded, io.output.shape[1]!));
      } finally {
        await loaded.close();
      }
    }

    const artifact = await deps.blobs.put(upload.bytes);
    const now = deps.clock();
    const modelId = await registry.ensureModel(project, model, now);
    const signature = { ...io, features: upload.features };
    const version = await registry.addVersion(
      modelId,
      { runId: null, datasetVersionId: dv?.id ?? null, artifactSha256: artifact.sha256, artifactSize: artifact.size, signature, metrics: upload.metrics, referenceSha256 },
      now,
    );
    const stored = await registry.getVersion(modelId, version);
    if (!stored) throw new OutpostError('INTERNAL', `version ${version} of ${model} vanished after it was registered`);
    const counts = await inferences.countByVersion(project, model);
    return c.json(versionToWire(stored, counts.get(version) ?? 0), 201);
  });
}
