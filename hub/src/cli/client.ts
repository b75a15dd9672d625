import { ErrorBodySchema, OutpostError, type DatasetProfile, type SignedManifest } from '@outpost/shared';
import type { ValidationReport } from '../data/validate.ts';
import type { DatasetDiff } from '../data/diff/index.ts';
import type { LabelSetView } from '../data/labeling/routes.ts';
import type { ModelVersionView } from '../registry/wire.ts';
import type { Assignment } from '@outpost/shared';
import type { RolloutView } from '../rollout/service.ts';
import type { DriftWindowReport } from '../monitoring/drift-service.ts';
import type { ruleView } from '../monitoring/alerting/service.ts';

type AlertRuleView = ReturnType<typeof ruleView>;
import type { AliasView, AuditEntryView, SigningKeyView } from '../registry/wire.ts';

export interface HubClientOptions {
  hubUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export interface RunView {
  id: string;
  model: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  config: Record<string, unknown>;
  modelVersion: number | null;
  metrics: Record<string, number> | null;
  error: { code: string; message: string; issues?: { path?: string; row?: number; column?: string; message: string }[] } | null;
  tags: string[];
  notes: string | null;
  lineage: { dataset: string; datasetVersion: number; datasetSha256: string; splitHash: string | null; featuresHash: string | null; code: { commit: string; dirty: boolean } | { version: string } | null; seed: number } | null;
  system: Record<string, string | number> | null;
  createdAt: number;
  finishedAt: number | null;
  /** Per-epoch metrics; only on a single run (GET …/runs/{run}). */
  history?: ({ epoch: number } & Record<string, number>)[];
  /** Only on a single run. */
  acceptance?: { passed: boolean; champion: { version: number } | null; override: string | null; gates: { gate: Record<string, unknown>; passed: boolean; detail: string }[] } | null;
  evaluation?:
    | {
        task?: 'classification';
        test: { rows: number; accuracy: number; macro: { f1: number }; rocAuc: { macro: number | null }; logLoss: number; perClass: { class: string }[]; confusion: number[][] } | null;
        baseline: { accuracy: number } | null;
      }
    | { task: 'regression'; test: { rows: number; mae: number; rmse: number; r2: number } | null; baseline: { rmse: number } | null }
    | null;
}

export interface SearchView {
  id: string;
  model: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  spec: { space: Record<string, unknown>; method: { method: string } };
  metric: string;
  planned: number;
  trials: { runId: string; status: string; params: Record<string, number | undefined>; score: number | null }[];
  bestRunId: string | null;
  finalRun: { id: string; status: string; modelVersion: number | null } | null;
  error: { code: string; message: string; issues?: { path?: string; message: string }[] } | null;
}

export interface DatasetVersionView {
  dataset: string;
  version: number;
  sha256: string;
  rowCount: number;
  columns: { name: string; type: string; missing: number }[];
  validationSuccess?: boolean | null;
  parents: { dataset: string; version: number }[];
  operation: { kind: string; params: Record<string, unknown> } | null;
  message: string | null;
  author: string | null;
  createdAt: number;
}

/** Response shapes come from the route modules (type-only imports: the CLI stays an HTTP client). */
export type ValidationReportView = ValidationReport;

export type DiffView = DatasetDiff;

export interface SplitView {
  hash: string;
  sizes: Record<string, number>;
  balance?: { column: string; counts: Record<string, Record<string, number>> };
  versions: Record<string, DatasetVersionView>;
}

export type { LabelSetView };

export interface ModelView {
  name: string;
  published: number | null;
  minVersion: number;
  aliases: AliasView[];
  versions: { version: number; createdAt: number; artifact: { sha256: string; size: number }; metrics: Record<string, number> | null; predictions: number }[];
}

/**
 * The admin API over HTTP, as the CLI (and the demo seeding) use it. Errors come back as
 * OutpostError with the hub's code and issues.
 * @example const hub = createHubClient({ hubUrl: 'http://localhost:8787', token }); await hub.listProjects();
 */
export function createHubClient(options: HubClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.hubUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: { json: unknown } | { raw: Uint8Array | ReadableStream<Uint8Array>; type: string }): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
    let payload: BodyInit | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = body.type;
      payload = body.raw as Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
    }
    let res: Response;
    try {
      // A stream body goes out as it is read (chunked), which fetch only does when told.
      const init = payload instanceof ReadableStream ? { method, headers, body: payload, duplex: 'half' } : { method, headers, body: payload };
      res = await doFetch(`${base}${path}`, init as RequestInit);
    } catch (e) {
      throw new OutpostError('NETWORK', `cannot reach the hub at ${base}: ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const parsed = ErrorBodySchema.safeParse(data);
      if (parsed.success) throw new OutpostError(parsed.data.error.code, parsed.data.error.message, { issues: parsed.data.error.issues });
      throw new OutpostError('INTERNAL', `hub answered ${res.status}: ${text.slice(0, 200)}`);
    }
    return data as T;
  }

  const p = (project: string) => `/v1/projects/${encodeURIComponent(project)}`;
  return {
    createProject: (id: string) => call<{ project: string; projectKey: string }>('POST', '/v1/projects', { json: { id } }),
    listProjects: () => call<{ projects: { id: string; createdAt: number }[] }>('GET', '/v1/projects'),
    createProjectKey: (project: string) => call<{ project: string; projectKey: string }>('POST', `${p(project)}/keys`),
    signingKeys: () => call<{ keys: SigningKeyView[] }>('GET', '/v1/signing-keys'),
    createSigningKey: (reason?: string) => call<SigningKeyView>('POST', '/v1/signing-keys', { json: reason === undefined ? {} : { reason } }),
    activateSigningKey: (keyId: string, reason?: string) =>
      call<{ active: SigningKeyView; retired: SigningKeyView }>('POST', `/v1/signing-keys/${encodeURIComponent(keyId)}/activate`, { json: reason === undefined ? {} : { reason } }),
    setAlias: (project: string, model: string, alias: string, version: number, reason?: string) =>
      call<AliasView>('PUT', `${p(project)}/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}`, { json: { version, ...(reason === undefined ? {} : { reason }) } }),
    removeAlias: (project: string, model: string, alias: string, reason?: string) =>
      call<{ alias: string; version: number }>('DELETE', `${p(project)}/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}`, { json: reason === undefined ? {} : { reason } }),
    setMinVersion: (project: string, model: string, version: number, reason?: string) =>
      call<{ minVersion: number }>('PUT', `${p(project)}/models/${encodeURIComponent(model)}/min-version`, { json: { version, ...(reason === undefined ? {} : { reason }) } }),
    audit: (project: string, filter: { model?: string | undefined; limit?: number | undefined } = {}) => {
      const query = new URLSearchParams(Object.entries(filter).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
      return call<{ entries: AuditEntryView[] }>('GET', `${p(project)}/audit${query ? `?${query}` : ''}`);
    },
    /** Upload a file (bytes, or a stream read as it goes); `options` are the upload's query parameters (delimiter, skipBadRows, types, message, format). */
    pushDataset: (project: string, dataset: string, bytes: Uint8Array | ReadableStream<Uint8Array>, contentType: string, options: Record<string, string | undefined> = {}) => {
      const query = new URLSearchParams(Object.entries(options).filter((e): e is [string, string] => e[1] !== undefined)).toString();
      return call<DatasetVersionView>('POST', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions${query ? `?${query}` : ''}`, { raw: bytes, type: contentType });
    },
    /** Have the hub fetch a dataset file from a URL (POST …/imports). */
    importDataset: (project: string, dataset: string, request: { url: string; format?: string; delimiter?: string; skipBadRows?: boolean; types?: Record<string, string>; message?: string }) =>
      call<DatasetVersionView>('POST', `${p(project)}/datasets/${encodeURIComponent(dataset)}/imports`, { json: request }),
    listDatasetVersions: (project: string, dataset: string) =>
      call<{ versions: DatasetVersionView[] }>('GET', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions`),
    getProfile: (project: string, dataset: string, version: number) =>
      call<DatasetProfile>('GET', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions/${version}/profile`),
    setSuite: (project: string, dataset: string, suite: unknown) =>
      call<{ dataset: string; sha256: string; suite: unknown }>('PUT', `${p(project)}/datasets/${encodeURIComponent(dataset)}/suite`, { json: suite }),
    getSuite: (project: string, dataset: string) =>
      call<{ dataset: string; sha256: string; suite: unknown }>('GET', `${p(project)}/datasets/${encodeURIComponent(dataset)}/suite`),
    suggestSuite: (project: string, dataset: string, version: number, tolerance?: number) =>
      call<unknown>('GET', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions/${version}/suggested-suite${tolerance === undefined ? '' : `?tolerance=${tolerance}`}`),
    validate: (project: string, dataset: string, version: number, suite?: unknown) =>
      call<ValidationReportView>('POST', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions/${version}/validate`, { json: suite === undefined ? {} : { suite } }),
    diff: (project: string, dataset: string, from: number, to: number, key?: string) =>
      call<DiffView>('GET', `${p(project)}/datasets/${encodeURIComponent(dataset)}/diff?from=${from}&to=${to}${key ? `&key=${encodeURIComponent(key)}` : ''}`),
    split: (project: string, dataset: string, version: number, request: Record<string, unknown>) =>
      call<SplitView>('POST', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions/${version}/split`, { json: request }),
    clean: (project: string, dataset: string, version: number, request: Record<string, unknown>) =>
      call<{ recipeHash: string; report: { index: number; op: string; column?: string; affected: number; fitted?: Record<string, unknown> }[]; version: DatasetVersionView }>(
        'POST',
        `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions/${version}/clean`,
        { json: request },
      ),
    createLabelSet: (project: string, body: Record<string, unknown>) => call<LabelSetView>('POST', `${p(project)}/label-sets`, { json: body }),
    getLabelSet: (project: string, name: string) => call<LabelSetView>('GET', `${p(project)}/label-sets/${encodeURIComponent(name)}`),
    labelByRule: (project: string, name: string, where: string, label: string) =>
      call<{ labeled: number }>('POST', `${p(project)}/label-sets/${encodeURIComponent(name)}/rules`, { json: { where, label } }),
    commitLabels: (project: string, name: string, body: Record<string, unknown>) =>
      call<DatasetVersionView>('POST', `${p(project)}/label-sets/${encodeURIComponent(name)}/commit`, { json: body }),
    synthesize: (project: string, dataset: string, version: number, body: Record<string, unknown>) =>
      call<DatasetVersionView>('POST', `${p(project)}/datasets/${encodeURIComponent(dataset)}/versions/${version}/synthesize`, { json: body }),
    listDatasets: (project: string) => call<{ datasets: { name: string; latest: DatasetVersionView | null }[] }>('GET', `${p(project)}/datasets`),
    train: (project: string, model: string, request: Record<string, unknown>) => call<RunView>('POST', `${p(project)}/models/${encodeURIComponent(model)}/runs`, { json: request }),
    getRun: (project: string, runId: string) => call<RunView>('GET', `${p(project)}/runs/${encodeURIComponent(runId)}`),
    search: (project: string, model: string, request: Record<string, unknown>) => call<SearchView>('POST', `${p(project)}/models/${encodeURIComponent(model)}/searches`, { json: request }),
    getSearch: (project: string, id: string) => call<SearchView>('GET', `${p(project)}/searches/${encodeURIComponent(id)}`),
    listRuns: (project: string, filter: { model?: string | undefined; tag?: string | undefined } = {}) => {
      const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined)).toString();
      return call<{ runs: RunView[] }>('GET', `${p(project)}/runs${query ? `?${query}` : ''}`);
    },
    overrideGates: (project: string, runId: string, reason: string) => call<RunView>('POST', `${p(project)}/runs/${encodeURIComponent(runId)}/override`, { json: { reason } }),
    annotateRun: (project: string, runId: string, change: { tags?: string[]; notes?: string | null }) =>
      call<RunView>('PATCH', `${p(project)}/runs/${encodeURIComponent(runId)}`, { json: change }),
    listModels: (project: string) => call<{ models: ModelView[] }>('GET', `${p(project)}/models`),
    modelCard: async (project: string, model: string, version: number): Promise<string> => {
      const res = await doFetch(`${base}${p(project)}/models/${encodeURIComponent(model)}/versions/${version}/card?format=markdown`, { headers: { authorization: `Bearer ${options.token}` } });
      if (!res.ok) {
        const parsed = ErrorBodySchema.safeParse(await res.json().catch(() => null));
        throw parsed.success ? new OutpostError(parsed.data.error.code, parsed.data.error.message, { issues: parsed.data.error.issues }) : new OutpostError('INTERNAL', `hub answered ${res.status}`);
      }
      return res.text();
    },
    getModel: (project: string, model: string) => call<ModelView>('GET', `${p(project)}/models/${encodeURIComponent(model)}`),
    /** Register a model trained elsewhere: the .onnx bytes with their feature spec (and metrics), as one multipart body. */
    async uploadModel(project: string, model: string, upload: { onnx: Uint8Array; features: unknown; metrics?: Record<string, number>; reference?: string }) {
      const form = new FormData();
      form.append('model', new Blob([upload.onnx as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), 'model.onnx');
      form.append('features', JSON.stringify(upload.features));
      if (upload.metrics) form.append('metrics', JSON.stringify(upload.metrics));
      if (upload.reference) form.append('reference', upload.reference);
      // Encoded here (boundary and all) so it goes through `call` like every other body.
      const encoded = new Response(form);
      const raw = new Uint8Array(await encoded.arrayBuffer());
      return call<ModelVersionView>('POST', `${p(project)}/models/${encodeURIComponent(model)}/versions`, { raw, type: encoded.headers.get('content-type')! });
    },
    publish: (project: string, model: string, version: number, reason?: string) =>
      call<{ version: number; manifest: SignedManifest }>('POST', `${p(project)}/models/${encodeURIComponent(model)}/versions/${version}/publish`, reason === undefined ? undefined : { json: { reason } }),

    drift: (project: string, model: string, query: Record<string, string | number>) =>
      call<DriftWindowReport>('GET', `${p(project)}/models/${encodeURIComponent(model)}/monitoring/drift?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`),
    createAlertRule: (project: string, model: string, rule: Record<string, unknown>) =>
      call<{ rule: AlertRuleView; webhookSecret?: string }>('POST', `${p(project)}/models/${encodeURIComponent(model)}/alerts/rules`, { json: rule }),
    alertRules: (project: string, model: string) => call<{ rules: AlertRuleView[] }>('GET', `${p(project)}/models/${encodeURIComponent(model)}/alerts/rules`),
    updateAlertRule: (project: string, model: string, name: string, change: Record<string, unknown>) =>
      call<AlertRuleView>('PATCH', `${p(project)}/models/${encodeURIComponent(model)}/alerts/rules/${encodeURIComponent(name)}`, { json: change }),
    retrainTriggers: (project: string, model: string, limit: number) =>
      call<{ triggers: Array<{ id: number; alertEventId: number | null; status: string; reason: string; createdAt: number }> }>('GET', `${p(project)}/models/${encodeURIComponent(model)}/retrain-triggers?limit=${limit}`),
    deleteAlertRule: (project: string, model: string, name: string) => call<null>('DELETE', `${p(project)}/models/${encodeURIComponent(model)}/alerts/rules/${encodeURIComponent(name)}`),
    evaluateAlerts: (project: string, model: string) =>
      call<{ rules: Array<{ name: string; state: string; value: number | null; event: string | null; error?: string }> }>('POST', `${p(project)}/models/${encodeURIComponent(model)}/alerts/evaluate`),
    alertEvents: (project: string, model: string, limit: number) =>
      call<{ events: Array<{ rule: string; kind: string; value: number | null; delivery: string; deliveryDetail: string | null; attempts: number; nextAttemptAt: number | null; createdAt: number }> }>('GET', `${p(project)}/models/${encodeURIComponent(model)}/alerts/events?limit=${limit}`),
    getRollout: (project: string, model: string) => call<RolloutView>('GET', `${p(project)}/models/${encodeURIComponent(model)}/rollout`),
    putRollout: (project: string, model: string, policy: unknown) => call<RolloutView>('PUT', `${p(project)}/models/${encodeURIComponent(model)}/rollout`, { json: policy }),
    /** POST …/rollout/{start|pause|resume|advance|rollback}. */
    rolloutAction: (project: string, model: string, action: 'start' | 'pause' | 'resume' | 'advance' | 'rollback', body: Record<string, unknown> = {}) =>
      call<RolloutView>('POST', `${p(project)}/models/${encodeURIComponent(model)}/rollout/${action}`, { json: body }),
    evaluateRollout: (project: string, model: string) =>
      call<{ event: { action: string; reason: string } | null; waiting: string | null; rollout: RolloutView }>('POST', `${p(project)}/models/${encodeURIComponent(model)}/rollout/evaluate`),
    pinRollout: (project: string, model: string, installId: string, version: number, reason?: string) =>
      call<RolloutView>('PUT', `${p(project)}/models/${encodeURIComponent(model)}/rollout/pins/${encodeURIComponent(installId)}`, { json: { version, ...(reason ? { reason } : {}) } }),
    unpinRollout: (project: string, model: string, installId: string) => call<RolloutView>('DELETE', `${p(project)}/models/${encodeURIComponent(model)}/rollout/pins/${encodeURIComponent(installId)}`),
    /** What a device with this context (a query as the SDK sends it) would get. */
    previewAssignment: (project: string, model: string, query: string) =>
      call<{ version: number; assignment: Assignment }>('GET', `${p(project)}/models/${encodeURIComponent(model)}/rollout/assignment?${query}`),

    /** Poll a run until it has succeeded or failed. */
    async waitForRun(project: string, runId: string, onProgress?: (run: RunView) => void, intervalMs = 500): Promise<RunView> {
      for (;;) {
        const run = await this.getRun(project, runId);
        onProgress?.(run);
        if (run.status === 'succeeded' || run.status === 'failed') return run;
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
}
export type HubClient = ReturnType<typeof createHubClient>;
