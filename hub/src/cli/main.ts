import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { contentTypeOf, DATASET_FORMATS, formatFromFileName, type DatasetFormat } from '../data/formats/index.ts';
import { parseTypeOverrides } from '../data/column-types.ts';
import { countingStream, createProgress } from './progress.ts';
import { epochLine, formatComparison, formatRun, formatRunList } from './runs.ts';
import { headline } from '../training/headline.ts';
import { parseArgs } from 'node:util';
import { OutpostError, type DatasetProfile } from '@outpost/shared';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createHubClient, type DatasetVersionView, type DiffView, type HubClient, type RunView, type SplitView, type ValidationReportView } from './client.ts';
import { configPath, loadConfig, saveConfig } from './config.ts';
import { ROLLOUT_HELP, rolloutCommand, RolloutUsageError } from './rollout-commands.ts';
import { MONITORING_HELP, monitoringCommand, MonitoringUsageError } from './monitoring-commands.ts';
import { runRegistryCommand } from './registry-commands.ts';

const HELP = `outpost — the Outpost hub from the command line

Usage: outpost <command> [options]

  login <hub-url> --token T [--project P]   save the hub URL, admin token and default project
  projects create <id>                      create a project; prints its project key (once)
  projects list
  projects key <id>                         create another project key
  keys                                      the hub's public signing keys with their status, as JSON (the SDK's
                                            trustedKeys: the active and next ones)
  keys create [--reason R]                  a new signing key in status next: ship it in apps before it signs
  keys activate <keyId> [--reason R]        make it the signing key (the active one retires; manifests re-sign)
  audit [--model M] [--limit N]             who changed what in the registry and rollouts, when and why
  data push <file|url> --dataset NAME [-m MESSAGE] [--delimiter C] [--skip-bad-rows] [--types col:TYPE,…]
        [--format F]                        upload a file (.csv .tsv .json .ndjson .jsonl .parquet .arrow), with
                                            progress on stderr, or have the hub fetch an http(s) URL, as a new
                                            dataset version; TYPE is integer, number, boolean, datetime,
                                            categorical or text; --format for a URL whose type the hub cannot tell
  data log <dataset>                        its versions, newest first, with lineage
  data diff <dataset> <from> <to> [--key COL]
                                            rows added, removed and changed between two versions, and schema changes
  data split <dataset> --method random|stratified|time|group [--column COL]
        [--fractions 0.7,0.15,0.15] [--seed N] [--dataset-version N] [-m MESSAGE]
                                            new versions of <dataset>-train, -validation and -test
  data clean <dataset> (--recipe FILE | --replay DATASET@VERSION) [--to NAME] [--dataset-version N] [-m MESSAGE]
                                            apply a cleaning recipe (.yaml/.json), or replay the one a cleaned
                                            version was made with, into a new version of NAME (default <dataset>-clean)
  data list
  data synthesize <dataset> --rows N [--seed N] [--to NAME] [--dataset-version N]
                                            N rows drawn from the profile (seeded) into NAME (default <dataset>-synthetic)
  data suite set <dataset> <file>          attach an expectation suite (.yaml, .yml or .json)
  data suite show <dataset>
  data suite suggest <dataset> [--dataset-version N] [--tolerance X]
                                            a suite from the profile, with tolerances (default 0.1), as YAML
  data validate <dataset> [--dataset-version N] [--suite FILE]
                                            validate a version (default: latest) against FILE or the attached suite;
                                            exits 3 when it fails
  data profile <dataset> [--dataset-version N]
                                            per-column statistics of a version (default: latest)
  labels create <name> --dataset D --column COL --classes a,b[,c…] [--dataset-version N]
                                            a label set over a version's rows (label by hand in the console)
  labels rule <name> --where EXPR --label L label every row where EXPR holds (labeler "rules")
  labels show <name>                        progress per labeler and agreement (Cohen's kappa)
  labels commit <name> [--to NAME] [-m M]   the labels as a new version of NAME (default <dataset>-labeled)
  train --model M --dataset D --label COL   train a model; waits and prints the new version
        [--task classification|regression]  regression predicts a number (a numeric label)
        [--dataset-version N] [--features a,b:numeric,c:categorical]
        [--hidden N | --layers 32,16] [--activation relu|tanh|sigmoid] [--dropout X] [--l2 X]
        [--early-stopping PATIENCE[:MIN_DELTA]] [--validation-fraction X]
        [--epochs N] [--learning-rate X] [--batch-size N] [--seed N] [--backend wasm|cpu] [--no-wait]
        [--allow-failed-validation REASON]  train on a version that failed its dataset's suite, saying why
        [--tag T]… [--notes TEXT] [--code-version V] [--test-fraction X] [--slice-by COL]
        [--gates gates.yaml] [--allow-failed-gates REASON] [--intended-use TEXT]
                                            shows each epoch (loss, validation loss, accuracy or RMSE) on stderr
  search --model M --dataset D --label COL --space space.yaml --method grid|random|halving
        [--trials N] [--min-epochs N --max-epochs N --eta N] [--metric validationAccuracy|validationLoss|validationRmse]
        [--concurrency N] [--seed N] [--epochs N] … (the train options, as fixed settings)
                                            a hyperparameter search; each trial is a run; the best is retrained,
                                            gated and registered; shows each trial on stderr as it ends;
                                            --concurrency: trials at once (default: the hub's training workers)
  runs list [--model M] [--tag T]           training runs, newest first
  runs show <run>                           one run: metrics, parameters, lineage, system, tags, notes, epochs
  runs compare <run> <run>…                 runs side by side: parameters (differences marked), metrics, best epoch
  runs tag <run> <tag>… [--remove]          add (or remove) tags
  runs note <run> [text]                    set (or clear) a run's notes
  runs override <run> <reason>              register the model of a run that failed its gates, recording why
  models card <model> <version>             the version's model card (Markdown): data, code, test performance, gates
  models list
  models show <model>                       versions, aliases and the minimum version
  models alias set <model> <alias> <version> [--reason R]
                                            point an alias (staging, production, any name) at a version;
                                            moving production is publishing
  models alias rm <model> <alias> [--reason R]
  models min-version <model> <version> [--reason R]
                                            the lowest version devices may run (at most the production one)
  models upload <model.onnx> --model NAME --features SPEC.json [--metrics METRICS.json] [--reference DATASET@VERSION]
                                            register a model trained elsewhere (ONNX) with its feature spec; with
                                            --reference, profile it on that dataset version's rows for monitoring
  publish <model> <version> [--reason R]    sign and serve this version to the project's devices
${ROLLOUT_HELP}
${MONITORING_HELP}

Options for every command:
  --hub URL        hub URL         (default: saved by login, or $OUTPOST_HUB_URL)
  --token T        admin token     (default: saved by login, or $OUTPOST_TOKEN)
  --project P      project         (default: saved by login, or $OUTPOST_PROJECT)
  --json           print JSON instead of text
`;

class UsageError extends Error {}

const OPTIONS = {
  hub: { type: 'string' },
  token: { type: 'string' },
  project: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  dataset: { type: 'string' },
  'dataset-version': { type: 'string' },
  model: { type: 'string' },
  label: { type: 'string' },
  features: { type: 'string' },
  hidden: { type: 'string' },
  task: { type: 'string' },
  backend: { type: 'string' },
  layers: { type: 'string' },
  activation: { type: 'string' },
  dropout: { type: 'string' },
  l2: { type: 'string' },
  'early-stopping': { type: 'string' },
  'validation-fraction': { type: 'string' },
  epochs: { type: 'string' },
  'learning-rate': { type: 'string' },
  'batch-size': { type: 'string' },
  seed: { type: 'string' },
  'no-wait': { type: 'boolean' },
  suite: { type: 'string' },
  tolerance: { type: 'string' },
  message: { type: 'string', short: 'm' },
  key: { type: 'string' },
  method: { type: 'string' },
  column: { type: 'string' },
  fractions: { type: 'string' },
  recipe: { type: 'string' },
  replay: { type: 'string' },
  to: { type: 'string' },
  classes: { type: 'string' },
  rows: { type: 'string' },
  delimiter: { type: 'string' },
  'skip-bad-rows': { type: 'boolean' },
  types: { type: 'string' },
  format: { type: 'string' },
  'allow-failed-validation': { type: 'string' },
  tag: { type: 'string', multiple: true },
  notes: { type: 'string' },
  'code-version': { type: 'string' },
  'test-fraction': { type: 'string' },
  'slice-by': { type: 'string' },
  gates: { type: 'string' },
  'allow-failed-gates': { type: 'string' },
  space: { type: 'string' },
  'intended-use': { type: 'string' },
  trials: { type: 'string' },
  'min-epochs': { type: 'string' },
  'max-epochs': { type: 'string' },
  eta: { type: 'string' },
  concurrency: { type: 'string' },
  metric: { type: 'string' },
  remove: { type: 'boolean' },
  where: { type: 'string' },
  metrics: { type: 'string' },
  reference: { type: 'string' },
  reason: { type: 'string' },
  limit: { type: 'string' },
  stages: { type: 'string' },
  'stage-minutes': { type: 'string' },
  'max-error-rate': { type: 'string' },
  'max-latency-p95': { type: 'string' },
  'min-samples': { type: 'string' },
  name: { type: 'string' },
  version: { type: 'string' },
  platform: { type: 'string' },
  'app-version': { type: 'string' },
  locale: { type: 'string' },
  webgpu: { type: 'string' },
  attr: { type: 'string', multiple: true },
  'install-id': { type: 'string' },
  window: { type: 'string' },
  correction: { type: 'string' },
  when: { type: 'string' },
  for: { type: 'string' },
  webhook: { type: 'string' },
  retrain: { type: 'boolean' },
  'guard-rollout': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function num(values: Values, name: keyof Values): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${String(v)}"`);
  return n;
}

function required(values: Values, name: 'dataset' | 'model' | 'label'): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

function parseFeatures(spec: string) {
  return spec.split(',').map((part) => {
    const [name, kind] = part.split(':').map((s) => s.trim());
    if (!name) throw new UsageError(`--features: empty column name in "${spec}"`);
    if (kind && !['numeric', 'categorical', 'ordinal', 'hashed'].includes(kind)) throw new UsageError(`--features: kind of ${name} must be numeric, categorical, ordinal or hashed, got "${kind}"`);
    return kind ? { name, kind } : { name };
  });
}

function formatProfile(dataset: string, version: number, profile: DatasetProfile): string {
  const n = (x: number | undefined) => (x === undefined ? '' : Number.isInteger(x) ? String(x) : x.toPrecision(4));
  const table = profile.columns.map((c) => [
    c.name,
    c.type,
    String(c.missing),
    `${c.distinct.exact ? '' : '~'}${c.distinct.value}`,
    n(c.numeric?.mean),
    n(c.numeric?.std),
    n(c.numeric?.min),
    n(c.numeric?.quantiles.p50),
    n(c.numeric?.max),
    c.categorical?.top.slice(0, 3).map((t) => `${t.value} ${t.count}`).join(', ') ?? '',
  ]);
  const header = ['column', 'type', 'missing', 'distinct', 'mean', 'std', 'min', 'median', 'max', 'top'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [`${dataset} version ${version}: ${profile.rowCount} rows`, line(header), ...table.map(line)].join('\n');
}

function formatDiff(dataset: string, from: number, to: number, d: DiffView): string {
  const c = d.counts;
  const lines = [
    `${dataset} v${from} → v${to} (${d.mode === 'key' ? `by key ${d.key}` : 'by row hash'}): ${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged`,
  ];
  for (const col of d.schema.added) lines.push(`  + column ${col.name} (${col.type})`);
  for (const col of d.schema.removed) lines.push(`  - column ${col.name} (${col.type})`);
  for (const col of d.schema.typeChanged) lines.push(`  ~ column ${col.name}: ${col.from} → ${col.to}`);
  for (const r of d.samples.added) lines.push(`  + row ${r.row}: ${JSON.stringify(r.values)}`);
  for (const r of d.samples.removed) lines.push(`  - row ${r.row}: ${JSON.stringify(r.values)}`);
  for (const r of d.samples.changed) {
    lines.push(`  ~ ${d.key} ${r.key}: ${r.changes.map((x) => `${x.column} ${JSON.stringify(x.from)} → ${JSON.stringify(x.to)}`).join(', ')}`);
  }
  return lines.join('\n');
}

function formatSplit(dataset: string, version: number, r: SplitView): string {
  const lines = [`split ${dataset} v${version} (hash ${r.hash}):`];
  for (const [part, v] of Object.entries(r.versions)) {
    const balance = r.balance?.counts[part];
    const classes = balance ? `  ${Object.entries(balance).map(([k, n]) => `${k} ${n}`).join(', ')}` : '';
    lines.push(`  ${part.padEnd(10)} ${v.dataset} v${v.version}: ${v.rowCount} rows${classes}`);
  }
  return lines.join('\n');
}

function formatLogEntry(v: DatasetVersionView): string {
  const flag = v.validationSuccess === false ? '  [validation failed]' : v.validationSuccess ? '  [valid]' : '';
  const from = v.parents.map((p) => `${p.dataset} v${p.version}`).join(', ') || '(none)';
  const params = v.operation ? Object.entries(v.operation.params).map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(' ') : '';
  return [
    `version ${v.version}  sha256 ${v.sha256}${flag}`,
    `  ${new Date(v.createdAt).toISOString()} by ${v.author ?? 'unknown'}: ${v.operation?.kind ?? 'upload'} ${params}`.trimEnd(),
    `  from ${from} · ${v.rowCount} rows, ${v.columns.length} columns`,
    ...(v.message ? [`  ${v.message}`] : []),
  ].join('\n');
}

/** Upload a local file, streamed from disk with a progress display on stderr. */
async function pushFile(hub: HubClient, project: string, dataset: string, file: string, values: Values) {
  const format = formatFromFileName(file);
  if (!format) throw new UsageError(`data push reads ${DATASET_FORMATS.join(', ')} files; cannot tell the format of "${basename(file)}" from its name`);
  const size = await stat(file).then(
    (s) => s.size,
    (e: Error) => {
      throw new UsageError(`cannot read ${file}: ${e.message}`);
    },
  );
  const progress = createProgress(process.stderr, size, `uploading ${basename(file)}`);
  progress.update(0);
  const body = (Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>).pipeThrough(countingStream((sent) => progress.update(sent)));
  const done = () => {
    progress.finish();
    process.stderr.write('the hub is reading, profiling and validating it…\n');
  };
  return hub.pushDataset(project, dataset, body.pipeThrough(new TransformStream({ flush: done })), contentTypeOf(format), {
    message: values.message,
    delimiter: values.delimiter,
    skipBadRows: values['skip-bad-rows'] ? 'true' : undefined,
    types: values.types,
  });
}

/** Have the hub fetch a URL; the format comes from --format, else the hub works it out. */
async function importUrl(hub: HubClient, project: string, dataset: string, url: string, values: Values) {
  let types: Record<string, string> | undefined;
  if (values.types) {
    const parsed = parseTypeOverrides(values.types);
    if (!parsed.ok) throw new UsageError(`--types ${parsed.message}`);
    types = parsed.types;
  }
  if (values.format && !DATASET_FORMATS.includes(values.format as DatasetFormat)) throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}`);
  process.stderr.write(`the hub is fetching ${url}…\n`);
  return hub.importDataset(project, dataset, {
    url,
    ...(values.format ? { format: values.format } : {}),
    ...(values.delimiter ? { delimiter: values.delimiter } : {}),
    ...(values['skip-bad-rows'] ? { skipBadRows: true } : {}),
    ...(types ? { types } : {}),
    ...(values.message ? { message: values.message } : {}),
  });
}

/** The training settings `train` and `search` share (a search's are what every trial has in common). */
async function trainSettings(values: Values): Promise<Record<string, unknown>> {
  return {
    dataset: required(values, 'dataset'),
    label: required(values, 'label'),
    ...(values['dataset-version'] ? { datasetVersion: num(values, 'dataset-version') } : {}),
    ...(values.features ? { features: parseFeatures(values.features) } : {}),
    ...(values.task !== undefined ? { task: oneOf(values, 'task', ['classification', 'regression']) } : {}),
    ...(values.backend !== undefined ? { backend: oneOf(values, 'backend', ['wasm', 'cpu']) } : {}),
    ...(values.hidden !== undefined ? { hiddenUnits: num(values, 'hidden') } : {}),
    ...(values.layers !== undefined ? { layers: parseLayers(values.layers) } : {}),
    ...(values.activation !== undefined ? { activation: oneOf(values, 'activation', ['relu', 'tanh', 'sigmoid']) } : {}),
    ...(values.dropout !== undefined ? { dropout: num(values, 'dropout') } : {}),
    ...(values.l2 !== undefined ? { l2: num(values, 'l2') } : {}),
    ...(values['early-stopping'] !== undefined ? { earlyStopping: parseEarlyStopping(values['early-stopping']) } : {}),
    ...(values['validation-fraction'] !== undefined ? { validationFraction: num(values, 'validation-fraction') } : {}),
    ...(values.epochs !== undefined ? { epochs: num(values, 'epochs') } : {}),
    ...(values['learning-rate'] !== undefined ? { learningRate: num(values, 'learning-rate') } : {}),
    ...(values['batch-size'] !== undefined ? { batchSize: num(values, 'batch-size') } : {}),
    ...(values.seed !== undefined ? { seed: num(values, 'seed') } : {}),
    ...(values['test-fraction'] !== undefined ? { testFraction: num(values, 'test-fraction') } : {}),
    ...(values['allow-failed-validation'] ? { allowFailedValidation: values['allow-failed-validation'] } : {}),
    ...(values.gates ? { gates: await readSpecFile(values.gates) } : {}),
    ...(values['allow-failed-gates'] ? { allowFailedGates: values['allow-failed-gates'] } : {}),
    ...(values.tag ? { tags: values.tag } : {}),
  };
}

const short = (id: string) => id.slice(0, 8);

function oneOf<T extends string>(values: Values, name: keyof Values, allowed: readonly T[]): T {
  const v = String(values[name]);
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** `--layers 32,16` → [32, 16]; `--layers ""` (no hidden layer) → []. */
function parseLayers(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((w) => {
    const n = Number(w.trim());
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--layers takes hidden layer widths separated by commas, like 32,16; "${w}" is not a positive integer`);
    return n;
  });
}

/** `--early-stopping 5` or `5:0.001` → { patience: 5, minDelta: 0.001 }. */
function parseEarlyStopping(text: string): { patience: number; minDelta?: number } {
  const [p, d] = text.split(':');
  const patience = Number(p);
  const minDelta = d === undefined ? undefined : Number(d);
  if (!Number.isInteger(patience) || patience < 1 || (minDelta !== undefined && !(Number.isFinite(minDelta) && minDelta >= 0))) {
    throw new UsageError(`--early-stopping takes PATIENCE[:MIN_DELTA], like 5 or 5:0.001; got "${text}"`);
  }
  return { patience, ...(minDelta !== undefined ? { minDelta } : {}) };
}

/** A run id from its full form or a unique start of it (as `runs list` shows them). */
async function resolveRun(hub: HubClient, project: string, given: string): Promise<string> {
  if (/^[0-9a-f-]{36}$/.test(given)) return given;
  const matches = (await hub.listRuns(project)).runs.filter((r) => r.id.startsWith(given));
  if (matches.length === 1) return matches[0]!.id;
  throw new UsageError(matches.length === 0 ? `no run starts with "${given}"; see outpost runs list` : `"${given}" starts ${matches.length} runs; give more of the id`);
}

async function latestVersion(hub: HubClient, project: string, dataset: string): Promise<number> {
  const version = (await hub.listDatasetVersions(project, dataset)).versions[0]?.version;
  if (version === undefined) throw new UsageError(`dataset ${dataset} has no versions`);
  return version;
}

/** A suite or recipe file: YAML or JSON by extension. */
async function readSpecFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new UsageError(`cannot read ${file}: ${e.message}`);
  });
  const ext = extname(file).toLowerCase();
  try {
    if (ext === '.json') return JSON.parse(text) as unknown;
    if (ext === '.yaml' || ext === '.yml') return parseYaml(text) as unknown;
  } catch (e) {
    throw new UsageError(`${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  throw new UsageError(`a suite or recipe file is .yaml, .yml or .json, not "${ext || file}"`);
}

function formatReport(dataset: string, version: number, r: ValidationReportView): string {
  const lines = [`${dataset} version ${version}: suite ${r.suite} ${r.success ? 'passed' : 'FAILED'} on ${r.rowCount} rows`];
  if (r.error) lines.push(`  cannot run: ${r.error.message}`);
  for (const e of r.expectations) {
    const what = `${e.type}${e.column ? ` ${e.column}` : ''}${e.description ? ` (${e.description})` : ''}`;
    const counts = e.observed !== undefined ? `observed ${e.observed}` : `${e.unexpectedCount} of ${e.evaluatedCount} rows fail`;
    lines.push(`  ${e.success ? 'ok  ' : 'FAIL'} #${e.index} ${what}: ${counts}${e.unverifiable ? ` (${e.unverifiable})` : ''}`);
    for (const sample of e.success ? [] : e.samples.slice(0, 5)) {
      lines.push(`         row ${sample.row}: ${JSON.stringify(sample.value ?? sample.values)}`);
    }
  }
  return lines.join('\n');
}

function describeRun(run: RunView): string {
  const m = run.metrics;
  if (run.status === 'succeeded' && m) {
    const h = headline(m);
    const parity = m.parityMaxRelDiff !== undefined ? `max relative |Δ| ${m.parityMaxRelDiff.toExponential(1)}` : `max |Δ| ${m.parityMaxAbsDiff!.toExponential(1)}`;
    return `run ${run.id} succeeded: version ${run.modelVersion}, ${h.label} ${h.key === 'validationRmse' ? h.text.slice('RMSE '.length) : h.text}, ONNX parity ${parity}`;
  }
  return `run ${run.id} ${run.status}`;
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, sub, ...rest] = positionals;
  if (!command || values.help) {
    out(HELP);
    return command ? 0 : 2;
  }
  const config = await loadConfig();
  const hubUrl = values.hub ?? process.env.OUTPOST_HUB_URL ?? config.hubUrl;
  const token = values.token ?? process.env.OUTPOST_TOKEN ?? config.token;
  const project = values.project ?? process.env.OUTPOST_PROJECT ?? config.project;
  const print = (data: unknown, text: string) => out(values.json ? JSON.stringify(data, null, 2) : text);

  if (command === 'login') {
    if (!sub) throw new UsageError('login needs the hub URL: outpost login http://localhost:8787 --token opa_…');
    if (!values.token) throw new UsageError('login needs --token (the admin token the hub printed on its first start)');
    const client = createHubClient({ hubUrl: sub, token: values.token });
    await client.listProjects(); // proves URL and token before saving them
    await saveConfig({ hubUrl: sub, token: values.token, ...(values.project ? { project: values.project } : {}) });
    print({ hubUrl: sub }, `logged in to ${sub}; saved to ${configPath()}`);
    return 0;
  }

  if (!hubUrl || !token) throw new UsageError('no hub: run `outpost login <hub-url> --token <admin token>` or pass --hub and --token');
  const hub: HubClient = createHubClient({ hubUrl, token });
  const needProject = () => {
    if (!project) throw new UsageError('no project: pass --project NAME (or save one with `outpost login … --project NAME`)');
    return project;
  };

  if (command === 'rollout') {
    try {
      const r = await rolloutCommand(hub, needProject(), { positionals: positionals.slice(1), values });
      print(r.data, r.text);
    } catch (e) {
      throw e instanceof RolloutUsageError ? new UsageError(e.message) : e;
    }
    return 0;
  }

  if (command === 'drift' || command === 'alert') {
    try {
      const r = await monitoringCommand(hub, needProject(), command, { positionals: positionals.slice(1), values });
      print(r.data, r.text);
    } catch (e) {
      throw e instanceof MonitoringUsageError ? new UsageError(e.message) : e;
    }
    return 0;
  }

  if (command === 'publish') {
    const version = Number(rest[0]);
    if (!sub || !Number.isInteger(version)) throw new UsageError('publish needs a model and a version: outpost publish penguins 1');
    const r = await hub.publish(needProject(), sub, version, values.reason);
    print(r, `published ${sub} version ${r.version} (manifest signed with key ${r.manifest.keyId})`);
    return 0;
  }

  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'projects create': {
      if (!rest[0]) throw new UsageError('projects create needs an id');
      const r = await hub.createProject(rest[0]);
      print(r, `project ${r.project} created.\nproject key (shown once; ship it in your app): ${r.projectKey}`);
      return 0;
    }
    case 'projects list': {
      const r = await hub.listProjects();
      print(r, r.projects.map((p) => p.id).join('\n') || 'no projects');
      return 0;
    }
    case 'projects key': {
      if (!rest[0]) throw new UsageError('projects key needs a project id');
      const r = await hub.createProjectKey(rest[0]);
      print(r, `project key for ${r.project} (shown once): ${r.projectKey}`);
      return 0;
    }
    case 'keys':
    case 'keys create':
    case 'keys activate':
    case 'audit':
    case 'models show':
    case 'models alias':
    case 'models min-version':
      return runRegistryCommand(`${command}${sub ? ` ${sub}` : ''}`, rest, { hub, values, print, needProject, usage: (m) => new UsageError(m) });
    case 'data push': {
      const file = rest[0];
      if (!file) throw new UsageError('data push needs a file or URL: outpost data push penguins.csv --dataset penguins');
      const dataset = required(values, 'dataset');
      const v = /^https?:\/\//i.test(file) ? await importUrl(hub, needProject(), dataset, file, values) : await pushFile(hub, needProject(), dataset, file, values);
      const skipped = typeof v.operation?.params.skipped === 'number' && v.operation.params.skipped > 0 ? ` (${v.operation.params.skipped} bad rows skipped)` : '';
      print(v, `${v.dataset} version ${v.version}: ${v.rowCount} rows${skipped}, ${v.columns.length} columns (${v.columns.map((c) => `${c.name}:${c.type}`).join(', ')}), sha256 ${v.sha256}`);
      return 0;
    }
    case 'data profile': {
      const dataset = rest[0];
      if (!dataset) throw new UsageError('data profile needs a dataset: outpost data profile penguins');
      const proj = needProject();
      const version = num(values, 'dataset-version') ?? (await latestVersion(hub, proj, dataset));
      const profile = await hub.getProfile(proj, dataset, version);
      print(profile, formatProfile(dataset, version, profile));
      return 0;
    }
    case 'data suite': {
      const [action, dataset, file] = rest;
      if (!dataset || !['set', 'show', 'suggest'].includes(action ?? '')) throw new UsageError('usage: outpost data suite set|show|suggest <dataset> [file]');
      const proj = needProject();
      if (action === 'set') {
        if (!file) throw new UsageError('data suite set needs a file: outpost data suite set penguins suite.yaml');
        const r = await hub.setSuite(proj, dataset, await readSpecFile(file));
        print(r, `suite attached to ${dataset} (sha256 ${r.sha256}); new versions are validated against it`);
      } else if (action === 'show') {
        const r = await hub.getSuite(proj, dataset);
        print(r, stringifyYaml(r.suite));
      } else {
        const version = num(values, 'dataset-version') ?? (await latestVersion(hub, proj, dataset));
        const suite = await hub.suggestSuite(proj, dataset, version, num(values, 'tolerance'));
        print(suite, stringifyYaml(suite));
      }
      return 0;
    }
    case 'data validate': {
      const dataset = rest[0];
      if (!dataset) throw new UsageError('data validate needs a dataset: outpost data validate penguins');
      const proj = needProject();
      const version = num(values, 'dataset-version') ?? (await latestVersion(hub, proj, dataset));
      const report = await hub.validate(proj, dataset, version, values.suite ? await readSpecFile(values.suite) : undefined);
      print(report, formatReport(dataset, version, report));
      return report.success ? 0 : 3;
    }
    case 'data log': {
      const dataset = rest[0];
      if (!dataset) throw new UsageError('data log needs a dataset: outpost data log penguins');
      const { versions } = await hub.listDatasetVersions(needProject(), dataset);
      print({ versions }, versions.map(formatLogEntry).join('\n\n'));
      return 0;
    }
    case 'data diff': {
      const [dataset, from, to] = rest;
      if (!dataset || !from || !to || !Number.isInteger(Number(from)) || !Number.isInteger(Number(to))) {
        throw new UsageError('usage: outpost data diff <dataset> <from-version> <to-version> [--key COLUMN]');
      }
      const diff = await hub.diff(needProject(), dataset, Number(from), Number(to), values.key);
      print(diff, formatDiff(dataset, Number(from), Number(to), diff));
      return 0;
    }
    case 'data split': {
      const dataset = rest[0];
      if (!dataset) throw new UsageError('data split needs a dataset: outpost data split penguins --method stratified --column Species');
      if (!values.method) throw new UsageError('--method is required: random, stratified, time or group');
      const proj = needProject();
      const version = num(values, 'dataset-version') ?? (await latestVersion(hub, proj, dataset));
      const fractions = values.fractions?.split(',').map(Number);
      if (fractions && (fractions.length !== 3 || fractions.some((f) => !Number.isFinite(f)))) {
        throw new UsageError(`--fractions takes three numbers train,validation,test (e.g. 0.7,0.15,0.15), not "${values.fractions}"`);
      }
      const r = await hub.split(proj, dataset, version, {
        method: values.method,
        ...(values.column ? { column: values.column } : {}),
        ...(fractions ? { fractions: { train: fractions[0], validation: fractions[1], test: fractions[2] } } : {}),
        ...(values.seed !== undefined ? { seed: num(values, 'seed') } : {}),
        ...(values.message ? { message: values.message } : {}),
      });
      print(r, formatSplit(dataset, version, r));
      return 0;
    }
    case 'data clean': {
      const dataset = rest[0];
      if (!dataset) throw new UsageError('data clean needs a dataset: outpost data clean penguins --recipe recipe.yaml');
      if (!values.recipe === !values.replay) throw new UsageError('pass either --recipe FILE or --replay DATASET@VERSION');
      let replay: { dataset: string; version: number } | undefined;
      if (values.replay) {
        const m = values.replay.match(/^([a-z0-9][a-z0-9_-]*)@(\d+)$/);
        if (!m) throw new UsageError(`--replay takes DATASET@VERSION (e.g. penguins-clean@1), not "${values.replay}"`);
        replay = { dataset: m[1]!, version: Number(m[2]) };
      }
      const proj = needProject();
      const version = num(values, 'dataset-version') ?? (await latestVersion(hub, proj, dataset));
      const r = await hub.clean(proj, dataset, version, {
        ...(values.recipe ? { recipe: await readSpecFile(values.recipe) } : { replay }),
        ...(values.to ? { to: values.to } : {}),
        ...(values.message ? { message: values.message } : {}),
      });
      const steps = r.report.map((s) => `  #${s.index} ${s.op}${s.column ? ` ${s.column}` : ''}: ${s.affected} affected${s.fitted ? ` ${JSON.stringify(s.fitted)}` : ''}`);
      print(r, [`${r.version.dataset} version ${r.version.version}: ${r.version.rowCount} rows from ${dataset} v${version} (recipe ${r.recipeHash.slice(0, 12)})`, ...steps].join('\n'));
      return 0;
    }
    case 'labels create':
    case 'labels rule':
    case 'labels show':
    case 'labels commit': {
      const name = rest[0];
      if (!name) throw new UsageError(`labels ${sub} needs a label set name`);
      const proj = needProject();
      if (sub === 'create') {
        if (!values.column) throw new UsageError('--column is required: the column the labels go into');
        if (!values.classes) throw new UsageError('--classes is required, e.g. --classes yes,no');
        const r = await hub.createLabelSet(proj, {
          name,
          dataset: required(values, 'dataset'),
          labelColumn: values.column,
          classes: values.classes.split(',').map((c) => c.trim()),
          ...(values['dataset-version'] ? { version: num(values, 'dataset-version') } : {}),
        });
        print(r, `label set ${r.name} on ${r.dataset} v${r.version}: ${r.rows} rows, classes ${r.classes.join(', ')}`);
      } else if (sub === 'rule') {
        if (!values.where || !values.label) throw new UsageError('labels rule needs --where EXPR and --label L');
        const r = await hub.labelByRule(proj, name, values.where, values.label);
        print(r, `labeled ${r.labeled} rows ${values.label}`);
      } else if (sub === 'show') {
        const r = await hub.getLabelSet(proj, name);
        const lines = [
          `label set ${r.name} on ${r.dataset} v${r.version}: ${r.progress.labeled} of ${r.rows} rows labeled`,
          ...Object.entries(r.progress.byLabeler).map(([who, n]) => `  ${who}: ${n} rows`),
          ...r.agreement.map((a) => `  agreement ${a.labelers.join(' · ')}: ${a.rows} shared rows, ${(a.observed * 100).toFixed(1)} % agree, kappa ${a.kappa === null ? '–' : a.kappa.toFixed(3)}`),
        ];
        print(r, lines.join('\n'));
      } else {
        const v = await hub.commitLabels(proj, name, { ...(values.to ? { to: values.to } : {}), ...(values.message ? { message: values.message } : {}) });
        print(v, `${v.dataset} version ${v.version}: ${v.rowCount} rows with labels from ${name}`);
      }
      return 0;
    }
    case 'data synthesize': {
      const dataset = rest[0];
      if (!dataset) throw new UsageError('data synthesize needs a dataset: outpost data synthesize penguins --rows 10000');
      const count = num(values, 'rows');
      if (count === undefined) throw new UsageError('--rows is required');
      const proj = needProject();
      const version = num(values, 'dataset-version') ?? (await latestVersion(hub, proj, dataset));
      const v = await hub.synthesize(proj, dataset, version, {
        rows: count,
        ...(values.seed !== undefined ? { seed: num(values, 'seed') } : {}),
        ...(values.to ? { to: values.to } : {}),
        ...(values.message ? { message: values.message } : {}),
      });
      print(v, `${v.dataset} version ${v.version}: ${v.rowCount} synthetic rows from ${dataset} v${version}`);
      return 0;
    }
    case 'data list': {
      const r = await hub.listDatasets(needProject());
      print(r, r.datasets.map((d) => `${d.name}\tv${d.latest?.version ?? '-'}\t${d.latest?.rowCount ?? 0} rows\t${d.latest?.sha256.slice(0, 12) ?? ''}`).join('\n') || 'no datasets');
      return 0;
    }
    case 'train': {
      const request = {
        ...(await trainSettings(values)),
        ...(values.notes ? { notes: values.notes } : {}),
        ...(values['code-version'] ? { codeVersion: values['code-version'] } : {}),
        ...(values['slice-by'] ? { sliceBy: values['slice-by'] } : {}),
        ...(values['intended-use'] ? { intendedUse: values['intended-use'] } : {}),
      };
      const proj = needProject();
      let run = await hub.train(proj, required(values, 'model'), request);
      if (values['no-wait']) {
        print(run, `run ${run.id} queued; its model version appears in \`outpost models show\` when it succeeds`);
        return 0;
      }
      if (!values.json) out(`run ${run.id} queued; training…`);
      // Live progress on stderr: a line redrawn on a terminal, a line per tenth of the epochs elsewhere.
      let shownTenth = -1;
      run = await hub.waitForRun(proj, run.id, (r) => {
        const line = epochLine(r);
        const epochs = typeof r.config.epochs === 'number' ? r.config.epochs : 0;
        const last = r.history?.at(-1)?.epoch ?? 0;
        if (!line || values.json) return;
        if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
        else if (epochs > 0 && Math.floor((10 * last) / epochs) > shownTenth) {
          shownTenth = Math.floor((10 * last) / epochs);
          process.stderr.write(`${line}\n`);
        }
      });
      if (process.stderr.isTTY && !values.json) process.stderr.write('\n');
      if (run.status === 'failed' && run.error) throw new OutpostError(run.error.code as never, `training failed: ${run.error.message}`, { issues: run.error.issues });
      print(run, describeRun(run));
      return 0;
    }
    case 'search': {
      const space = values.space ? await readSpecFile(values.space) : undefined;
      if (!space) throw new UsageError('search needs --space FILE (.yaml or .json): the settings to vary');
      const method = values.method;
      if (method !== 'grid' && method !== 'random' && method !== 'halving') throw new UsageError('--method must be grid, random or halving');
      const search = {
        method,
        ...(values.trials !== undefined ? { trials: num(values, 'trials') } : {}),
        ...(values['min-epochs'] !== undefined ? { minEpochs: num(values, 'min-epochs') } : {}),
        ...(values['max-epochs'] !== undefined ? { maxEpochs: num(values, 'max-epochs') } : {}),
        ...(values.eta !== undefined ? { eta: num(values, 'eta') } : {}),
      };
      const request = { ...(await trainSettings(values)), space, search, ...(values.metric ? { metric: values.metric } : {}), ...(values.concurrency !== undefined ? { concurrency: num(values, 'concurrency') } : {}) };
      const proj = needProject();
      let sv = await hub.search(proj, required(values, 'model'), request);
      if (!values.json) out(`search ${sv.id} queued: ${sv.planned} trials`);
      // The settings the search varies (halving also varies the epochs), to 4 significant digits.
      const varied = (params: Record<string, number | undefined>) =>
        Object.entries(params)
          .filter(([k, v]) => v !== undefined && (k in sv.spec.space || (k === 'epochs' && sv.spec.method.method === 'halving')))
          .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : Number(v!.toPrecision(4))}`)
          .join(' ');
      let shown = 0;
      for (;;) {
        for (const t of sv.trials.slice(shown)) {
          if (t.status === 'queued' || t.status === 'running') break;
          if (!values.json) process.stderr.write(`trial ${++shown}/${sv.planned} ${short(t.runId)} ${varied(t.params)}: ${sv.metric} ${t.score === null ? '-' : t.score.toFixed(4)}\n`);
          else shown++;
        }
        if (sv.status === 'succeeded' || sv.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 500));
        sv = await hub.getSearch(proj, sv.id);
      }
      if (sv.status === 'failed' && sv.error) throw new OutpostError(sv.error.code as never, `search failed: ${sv.error.message}`, { issues: sv.error.issues });
      const best = sv.trials.find((t) => t.runId === sv.bestRunId);
      print(sv, `search ${short(sv.id)} succeeded: best ${best ? varied(best.params) : '-'} (${sv.metric} ${best?.score?.toFixed(4) ?? '-'}); retrained as run ${short(sv.finalRun!.id)}: version ${sv.finalRun!.modelVersion}`);
      return 0;
    }
    case 'runs list': {
      const r = await hub.listRuns(needProject(), { model: values.model, tag: values.tag?.[0] });
      print(r, formatRunList(r.runs));
      return 0;
    }
    case 'runs show': {
      if (!rest[0]) throw new UsageError('runs show needs a run id (or the start of one): outpost runs show 3f2a');
      const r = await hub.getRun(needProject(), await resolveRun(hub, needProject(), rest[0]));
      print(r, formatRun(r));
      return 0;
    }
    case 'runs compare': {
      if (rest.length < 2) throw new UsageError('runs compare needs two or more run ids: outpost runs compare 3f2a 9bc1');
      const proj = needProject();
      const runs = await Promise.all(rest.map(async (id) => hub.getRun(proj, await resolveRun(hub, proj, id))));
      print({ runs }, formatComparison(runs));
      return 0;
    }
    case 'runs tag': {
      const [id, ...tags] = rest;
      if (!id || tags.length === 0) throw new UsageError('usage: outpost runs tag <run> <tag>… [--remove]');
      const proj = needProject();
      const runId = await resolveRun(hub, proj, id);
      const current = (await hub.getRun(proj, runId)).tags;
      const next = values.remove ? current.filter((t) => !tags.includes(t)) : [...current, ...tags];
      const r = await hub.annotateRun(proj, runId, { tags: next });
      print(r, `run ${short(r.id)} tags: ${r.tags.join(', ') || '(none)'}`);
      return 0;
    }
    case 'runs override': {
      const [id, ...words] = rest;
      if (!id || words.length === 0) throw new UsageError('usage: outpost runs override <run> <reason>: register a gate-failed run\'s model anyway, saying why');
      const proj = needProject();
      let run = await hub.overrideGates(proj, await resolveRun(hub, proj, id), words.join(' '));
      if (!values.json) out(`run ${run.id} queued: the same training, registered with the reason`);
      run = await hub.waitForRun(proj, run.id);
      if (run.status === 'failed' && run.error) throw new OutpostError(run.error.code as never, `training failed: ${run.error.message}`, { issues: run.error.issues });
      print(run, describeRun(run));
      return 0;
    }
    case 'runs note': {
      const [id, ...words] = rest;
      if (!id) throw new UsageError('usage: outpost runs note <run> <text> (no text clears the note)');
      const proj = needProject();
      const r = await hub.annotateRun(proj, await resolveRun(hub, proj, id), { notes: words.length > 0 ? words.join(' ') : null });
      print(r, `run ${short(r.id)} notes: ${r.notes ?? '(none)'}`);
      return 0;
    }
    case 'models list': {
      const r = await hub.listModels(needProject());
      print(r, r.models.map((m) => `${m.name}\t${m.versions.length} versions\tpublished: ${m.published ?? '-'}`).join('\n') || 'no models');
      return 0;
    }
    case 'models card': {
      const [model, version] = rest;
      if (!model || !version || !/^\d+$/.test(version)) throw new UsageError('usage: outpost models card <model> <version>');
      out((await hub.modelCard(needProject(), model, Number(version))).trimEnd());
      return 0;
    }
    case 'models upload': {
      const file = rest[0];
      if (!file) throw new UsageError('models upload needs an .onnx file: outpost models upload model.onnx --model iris --features features.json');
      if (!values.features) throw new UsageError('--features is required: the feature spec (JSON) that encodes a record into the model input');
      if (values.message) throw new UsageError('models upload takes no -m: a model version keeps no message');
      const read = (path: string) =>
        readFile(path).catch((e: Error) => {
          throw new UsageError(`cannot read ${path}: ${e.message}`);
        });
      const json = async (path: string): Promise<unknown> => {
        try {
          return JSON.parse((await read(path)).toString('utf8')) as unknown;
        } catch (e) {
          throw e instanceof UsageError ? e : new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
        }
      };
      const name = required(values, 'model');
      const v = await hub.uploadModel(needProject(), name, {
        onnx: await read(file),
        features: await json(values.features),
        ...(values.metrics ? { metrics: (await json(values.metrics)) as Record<string, number> } : {}),
        ...(values.reference ? { reference: values.reference } : {}),
      });
      const shape = (s: number[]) => `[${s.join(', ')}]`;
      const profiled = values.reference ? `, reference profile from ${values.reference}` : '';
      print(v, `${name} version ${v.version}: input ${v.input.name} ${shape(v.input.shape)} → output ${v.output.name} ${shape(v.output.shape)}, sha256 ${v.artifact.sha256}${profiled}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"; run outpost --help`);
  }
}

/** Run as a program: errors become a message saying what to fix, and an exit code. */
export async function run(argv = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 2;
    } else if (e instanceof OutpostError) {
      console.error(`error: ${e.message}`);
      for (const i of e.issues ?? []) {
        const where = [i.path && `field ${i.path}`, i.row !== undefined && `row ${i.row}`, i.column && `column ${i.column}`].filter(Boolean).join(', ');
        console.error(`  - ${where ? `${where}: ` : ''}${i.message}`);
      }
      process.exitCode = 1;
    } else {
      throw e;
    }
  }
}

