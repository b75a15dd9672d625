
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// One schema for both drivers (libSQL on Node, D1 on Workers). Only */store.ts files import it.
// Times are epoch milliseconds (integer); JSON columns hold shapes defined in @outpost/shared.

const createdAt = () => integer('created_at').notNull();

/** Admin tokens, hashed (SHA-256; tokens are 256-bit random, so a slow hash adds nothing). */
export const adminTokens = sqliteTable('admin_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
});

/** Console sessions, hashed like tokens. */
export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  /** The name the person gave at login: who labeled what, in the console. */
  name: text('name'),
  expiresAt: integer('expires_at').notNull(),
  createdAt: createdAt(),
});

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  createdAt: createdAt(),
});

/** Keys that apps ship to devices: read manifests and artifacts, upload inference logs. */
export const projectKeys = sqliteTable(
  'project_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull().references(() => projects.id),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('project_keys_project').on(t.projectId)],
);

export const datasets = sqliteTable(
  'datasets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull().references(() => projects.id),
    name: text('name').notNull(),
    /** The expectation suite attached to this dataset (a JSON blob); every new version is validated against it. */
    suiteSha256: text('suite_sha256'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('datasets_project_name').on(t.projectId, t.name)],
);

/** Immutable: rows are only ever inserted. The blob holds the uploaded bytes. */
export const datasetVersions = sqliteTable(
  'dataset_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id),
    version: integer('version').notNull(),
    sha256: text('sha256').notNull(),
    format: text('format', { enum: ['csv', 'tsv', 'json', 'ndjson', 'parquet', 'arrow'] }).notNull(),
    size: integer('size').notNull(),
    rowCount: integer('row_count').notNull(),
    /** JSON: [{ name, type (data/column-types.ts DataType; 'numeric' in versions made before types were refined), missing }] */
    columns: text('columns', { mode: 'json' }).notNull(),
    /** The blob holding this version's profile (JSON, see @outpost/shared DatasetProfile). */
    profileSha256: text('profile_sha256'),
    /** Lineage: the versions (ids) this one was made from, the operation and its parameters, who and why. */
    parents: text('parents', { mode: 'json' }).$type<number[]>().notNull().default([]),
    operation: text('operation', { mode: 'json' }).$type<{ kind: string; params: Record<string, unknown> }>(),
    message: text('message'),
    author: text('author'),
    /** The result of the attached suite when this version was made (a JSON blob), and whether it passed. */
    validationSha256: text('validation_sha256'),
    validationSuccess: integer('validation_success', { mode: 'boolean' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('dataset_versions_number').on(t.datasetId, t.version),
    uniqueIndex('dataset_versions_hash').on(t.datasetId, t.sha256),
  ],
);

export const models = sqliteTable(
  'models',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull().references(() => projects.id),
    name: text('name').notNull(),
    /** The lowest version devices may run (signed into every manifest; raised after a bad release). */
    minVersion: integer('min_version').notNull().default(1),
    /**
     * When what the model's devices should run last changed (epoch ms): every manifest signed
     * until the next change is issued at this instant, so devices can tell a replay (issued before
     * a change they have seen) from a sibling version of the same rollout (issued at the same instant).
     */
    manifestsChangedAt: integer('manifests_changed_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('models_project_name').on(t.projectId, t.name)],
);

/** A training run: queued, then running, then succeeded (with a model version) or failed. */
export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    modelId: integer('model_id').notNull().references(() => models.id),
    datasetVersionId: integer('dataset_version_id').notNull().references(() => datasetVersions.id),
    config: text('config', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    error: text('error', { mode: 'json' }),
    metrics: text('metrics', { mode: 'json' }),
    modelVersion: integer('model_version'),
    createdAt: createdAt(),
    finishedAt: integer('finished_at'),
    /** JSON string[]: labels people put on runs to find and compare them. */
    tags: text('tags', { mode: 'json' }).notNull().default([]),
    notes: text('notes'),
    /** JSON: what the run was made from — dataset version and hash, split hash, feature pipeline hash, code version, seed. */
    lineage: text('lineage', { mode: 'json' }),
    /** JSON: where it ran — runtime, platform, CPUs, tfjs version and backend. */
    system: text('system', { mode: 'json' }),
    /** JSON: evaluation reports on validation, test, the dummy baseline and slices (training/evaluation/). */
    evaluation: text('evaluation', { mode: 'json' }),
    /** JSON: the acceptance gates' verdict, each gate's numbers, and an override's reason (training/gates.ts). */
    acceptance: text('acceptance', { mode: 'json' }),
  },
  (t) => [index('runs_model').on(t.modelId)],
);

/** A hyperparameter search: its spec, and the trials (runs tagged search:<id>) it made, then the best. */
export const searches = sqliteTable(
  'searches',
  {
    id: text('id').primaryKey(),
    modelId: integer('model_id').notNull().references(() => models.id),
    datasetVersionId: integer('dataset_version_id').notNull().references(() => datasetVersions.id),
    /** JSON: the request (space, method, metric, fixed settings). */
    spec: text('spec', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    /** The trial that scored best, and the run that retrained it to register it. */
    bestRunId: text('best_run_id'),
    finalRunId: text('final_run_id'),
    error: text('error', { mode: 'json' }),
    createdAt: createdAt(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('searches_model').on(t.modelId)],
);

/** Per-epoch metrics of a run, written as it trains (live progress, learning curves). */
export const runEpochs = sqliteTable(
  'run_epochs',
  {
    runId: text('run_id').notNull().references(() => runs.id),
    epoch: integer('epoch').notNull(),
    /** JSON: { loss, validationLoss, validationAccuracy, … } */
    metrics: text('metrics', { mode: 'json' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch] })],
);

export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id').notNull().references(() => models.id),
    version: integer('version').notNull(),
    runId: text('run_id').references(() => runs.id),
    datasetVersionId: integer('dataset_version_id').references(() => datasetVersions.id),
    artifactSha256: text('artifact_sha256').notNull(),
    artifactSize: integer('artifact_size').notNull(),
    /** JSON: { input, output, features } as in the manifest. */
    signature: text('signature', { mode: 'json' }).notNull(),
    metrics: text('metrics', { mode: 'json' }),
    /** The blob of its reference profile: the training rows' features and the model's outputs on them (for drift monitoring). */
    referenceSha256: text('reference_sha256'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('model_versions_number').on(t.modelId, t.version)],
);

/** Every publish, newest wins: devices get the latest row's signed manifest. */
export const publications = sqliteTable(
  'publications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id').notNull().references(() => models.id),
    version: integer('version').notNull(),
    /** JSON: the SignedManifest as served. */
    signedManifest: text('signed_manifest', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('publications_model').on(t.modelId)],
);

/** Named pointers to versions: `production`, `staging` or any custom name; moving one is audited. */
export const modelAliases = sqliteTable(
  'model_aliases',
  {
    modelId: integer('model_id').notNull().references(() => models.id),
    alias: text('alias').notNull(),
    version: integer('version').notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] })],
);

/**
 * The signed manifest devices get per model version, reused until it nears expiry. Every change
 * to what devices should run deletes a model's rows, so the next manifest is issued later than any
 * before it (devices refuse older ones as replays).
 */
export const signedManifests = sqliteTable(
  'signed_manifests',
  {
    modelId: integer('model_id').notNull().references(() => models.id),
    version: integer('version').notNull(),
    /** JSON: the SignedManifest as served. */
    signed: text('signed', { mode: 'json' }).notNull(),
    issuedAt: integer('issued_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.version] })],
);

/** One rollout policy per model (weights, stages, rules, pins, guards and where its schedule stands), as JSON owned by hub/src/rollout. */
export const rollouts = sqliteTable('rollouts', {
  modelId: integer('model_id')
    .primaryKey()
    .references(() => models.id),
  /** JSON: the policy, in the shape hub/src/rollout defines. */
  policy: text('policy', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** Every change to the registry and to rollouts: who, what, when and why. Append only. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    /** The model it concerns, when it concerns one. */
    model: text('model'),
    /** `admin-token-3`, a console user's name, or `system` (automatic rollout steps). */
    actor: text('actor').notNull(),
    /** e.g. `alias.set`, `version.publish`, `rollout.advance`, `rollout.rollback`, `key.activate`. */
    action: text('action').notNull(),
    /** JSON: what changed (before and after). */
    detail: text('detail', { mode: 'json' }).notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_project').on(t.projectId, t.createdAt)],
);

/** Inference records synced from devices. The client-made id makes uploads idempotent. */
export const inferences = sqliteTable(
  'inferences',
  {
    projectId: text('project_id').notNull(),
    id: text('id').notNull(),
    deviceId: text('device_id').notNull(),
    seq: integer('seq').notNull(),
    model: text('model').notNull(),
    modelVersion: integer('model_version').notNull(),
    executionProvider: text('execution_provider').notNull(),
    latencyMs: real('latency_ms').notNull(),
    /** Device clock, as the device sent it. */
    createdAt: integer('created_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    /**
     * When the prediction happened on the hub's clock (server-owned): `createdAt` moved by the
     * batch's clock skew (receivedAt − the device's sentAt), never after `receivedAt`. Monitoring
     * windows use it.
     */
    observedAt: integer('observed_at').notNull().default(0),
    /** Server-owned flags, a bitmask: 1 = the device time was over 23 h in the future and was clamped. */
    flags: integer('flags').notNull().default(0),
    input: text('input', { mode: 'json' }).notNull(),
    output: text('output', { mode: 'json' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index('inferences_model_version').on(t.projectId, t.model, t.modelVersion),
    index('inferences_model_observed').on(t.projectId, t.model, t.observedAt),
  ],
);

/**
 * Late labels: the ground truth for a past prediction (by its record id), sent by the app when it
 * learns it. The latest label for a prediction wins. A label may arrive before its prediction syncs.
 */
export const feedback = sqliteTable(
  'feedback',
  {
    projectId: text('project_id').notNull(),
    predictionId: text('prediction_id').notNull(),
    deviceId: text('device_id').notNull(),
    /** A classifier's true class, or null for a regressor. */
    label: text('label'),
    /** A regressor's true value, or null for a classifier. */
    value: real('value'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.predictionId] })],
);

/** What each device last reported of its own health: records its log queue dropped, by reason (cumulative). */
export const deviceHealth = sqliteTable(
  'device_health',
  {
    projectId: text('project_id').notNull(),
    deviceId: text('device_id').notNull(),
    model: text('model').notNull(),
    dropped: text('dropped', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    reportedAt: integer('reported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.deviceId, t.model] })],
);


/** A labeling task over the rows of one dataset version, with the classes labelers choose from. */
export const labelSets = sqliteTable(
  'label_sets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull().references(() => projects.id),
    name: text('name').notNull(),
    datasetVersionId: integer('dataset_version_id').notNull().references(() => datasetVersions.id),
    /** The column the labels go into when the set is committed as a dataset version. */
    labelColumn: text('label_column').notNull(),
    classes: text('classes', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('label_sets_project_name').on(t.projectId, t.name)],
);

/** One labeler's label for one row (1-based) of a label set; labeling a row again replaces it. */
export const labels = sqliteTable(
  'labels',
  {
    labelSetId: integer('label_set_id').notNull().references(() => labelSets.id),
    row: integer('row').notNull(),
    labeler: text('labeler').notNull(),
    label: text('label').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.labelSetId, t.row, t.labeler] })],
);

/**
 * Alert rules on a model's monitoring metrics: fire when `metric` compared with `threshold` holds
 * for `forMs`, judged over the last `windowMs` of records. `notify`: where to send it (signed
 * webhook; the console always shows it); `retrain`: a firing records a retraining trigger;
 * `guardRollout`: a firing rule for the candidate version rolls a staged rollout back.
 */
export const alertRules = sqliteTable(
  'alert_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    model: text('model').notNull(),
    name: text('name').notNull(),
    /** Which metric (e.g. `error_rate`, `latency_p95_ms`, `drift_share`, `accuracy`): the alerts module owns the list. */
    metric: text('metric').notNull(),
    /** Options of the metric (a feature name, a version, an execution provider…), as JSON. */
    params: text('params', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
    comparator: text('comparator').notNull(),
    threshold: real('threshold').notNull(),
    forMs: integer('for_ms').notNull(),
    windowMs: integer('window_ms').notNull(),
    webhookUrl: text('webhook_url'),
    /** The HMAC-SHA256 key webhook bodies are signed with; shown once, at creation. */
    webhookSecret: text('webhook_secret'),
    retrain: integer('retrain', { mode: 'boolean' }).notNull(),
    guardRollout: integer('guard_rollout', { mode: 'boolean' }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** ok | pending (condition holds, not yet for forMs) | firing */
    state: text('state').notNull(),
    /** When the condition started to hold (pending/firing), else null. */
    since: integer('since'),
    lastValue: real('last_value'),
    lastEvaluatedAt: integer('last_evaluated_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('alert_rules_project_model_name').on(t.projectId, t.model, t.name)],
);

/** What alerts did: each firing and resolution, and how its webhook delivery went. */
export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: integer('rule_id').notNull().references(() => alertRules.id),
    projectId: text('project_id').notNull(),
    model: text('model').notNull(),
    /** firing | resolved */
    kind: text('kind').notNull(),
    value: real('value'),
    /** none | pending (being delivered) | sent | failed */
    delivery: text('delivery').notNull(),
    deliveryDetail: text('delivery_detail'),
    /** The webhook's JSON body, as first sent: every redelivery sends it again, byte for byte. */
    payload: text('payload'),
    /** Deliveries made (each one tries twice: alerting/webhook.ts). */
    attempts: integer('attempts').notNull().default(0),
    /** When a failed delivery is made again (alerting/service.ts REDELIVERY_MS); null when none is due. */
    nextAttemptAt: integer('next_attempt_at'),
    createdAt: createdAt(),
  },
  (t) => [index('alert_events_model').on(t.projectId, t.model, t.createdAt), index('alert_events_redelivery').on(t.nextAttemptAt)],
);

/** Retraining asked for by a firing alert; recorded until pipelines exist to run it. */
export const retrainTriggers = sqliteTable(
  'retrain_triggers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    model: text('model').notNull(),
    alertEventId: integer('alert_event_id').references(() => alertEvents.id),
    /** recorded (nothing runs it yet) */
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('retrain_triggers_model').on(t.projectId, t.model, t.createdAt)],
);
