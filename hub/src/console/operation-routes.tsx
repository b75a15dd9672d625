/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Console forms for what can be done with a dataset version: split, clean (and replay), synthesize,
 * validate, attach and suggest a suite, and train a model on it. Each POST parses the form with the
 * API's request schema and calls the same function as the API (data/operations.ts,
 * data/suite-operations.ts, training/train-request.ts), the session's actor as author.
 * Mounted behind the console session (SameSite=Strict cookie: a cross-site form cannot post here).
 */
import { Hono, type Context } from 'hono';
import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { statusOf } from '../http/errors.ts';
import { createProjectStore } from '../projects/store.ts';
import { CleanRequestSchema, SplitRequestSchema, SynthesizeRequestSchema } from '../data/operation-routes.ts';
import { cleanVersion, splitVersion, synthesizeVersion, type VersionRef } from '../data/operations.ts';
import { attachedSuite, attachSuite, suggestVersionSuite, validateVersion } from '../data/suite-operations.ts';
import { createDatasetStore, type DatasetVersion } from '../data/store.ts';
import type { ValidationReport } from '../data/validate.ts';
import { ExpectationSuiteSchema } from '../data/validation/index.ts';
import { EMPTY_FORM, formBodyLimit, numeric, optional, parseDocument, parseForm, problemOf, readForm, required, type FormState, type FormValues } from './forms.tsx';
import { Layout } from './layout.tsx';
import { CleanPage, SearchPage, SplitPage, SynthesizePage, TrainPage, versionUrl } from './operation-pages.tsx';
import { runUrl } from './runs-pages.tsx';
import { createTrainQueue, SearchRequestSchema, TrainRequestSchema } from '../training/train-request.ts';
import { NameSchema } from '../http/schemas.ts';
import { SuitePage, suiteUrl, ValidatePage } from './suite-pages.tsx';

const VERSION = '/projects/:project/datasets/:dataset/versions/:version';
const SUITE = '/projects/:project/datasets/:dataset/suite';

// Fields of the pages themselves: issue paths starting with any other name are inside the pasted document.
const CLEAN_FIELDS = ['recipe', 'replay', 'to', 'message', 'version', 'dataset', 'form'];
const SUITE_FIELDS = ['suite', 'tolerance', 'version', 'dataset', 'form'];
const TRAIN_FIELDS = ['model', 'label', 'task', 'layers', 'activation', 'dropout', 'l2', 'epochs', 'learningRate', 'batchSize', 'earlyStopping', 'seed', 'validationFraction', 'testFraction', 'sliceBy', 'gates', 'intendedUse', 'tags', 'notes', 'allowFailedValidation', 'dataset', 'datasetVersion', 'form'];
const SEARCH_FIELDS = ['model', 'label', 'task', 'space', 'search', 'metric', 'concurrency', 'epochs', 'seed', 'testFraction', 'gates', 'tags', 'allowFailedValidation', 'dataset', 'datasetVersion', 'form'];
const ModelForm = z.object({ model: NameSchema });

/** "32, 16" → [32, 16]; blank → [] (no hidden layer); a part that is not a number stays NaN, for the schema to name. */
const layersOf = (text: string | undefined) => (optional(text) === undefined ? [] : text!.split(',').map((w) => Number(w.trim())));

const SuiteForm = z.object({ suite: ExpectationSuiteSchema });
const OptionalSuiteForm = z.object({ suite: ExpectationSuiteSchema.optional() });
const ToleranceForm = z.object({ tolerance: z.number().min(0).max(10).default(0.1) });

type Found = { ref: VersionRef; v: DatasetVersion };
/** A rendered page (hono/jsx elements are strings, or promises of them for async components). */
type Page = string | Promise<string>;

/** The console's operation pages, to mount behind the session check. */
export function createOperationPages(deps: HubDeps) {
  const datasets = createDatasetStore(deps.db);
  const projects = createProjectStore(deps.db);
  const app = new Hono<AdminEnv>();
  const limit = formBodyLimit(deps);

  /** The version a page acts on, or null (the page answers 404). */
  async function versionOf(p: { project: string; dataset: string; version: string }): Promise<Found | null> {
    const version = Number(p.version);
    const v = Number.isInteger(version) ? await datasets.getVersion(p.project, p.dataset, version) : undefined;
    return v ? { ref: { project: p.project, dataset: p.dataset, version }, v } : null;
  }
  const missing = (c: Context, p: { project: string; dataset: string; version: string }) =>
    c.html(<Layout title="Not found"><p>No dataset {p.dataset} version {p.version} in project {p.project}.</p></Layout>, 404);

  /**
   * Run a form's action. On an OutpostError, nothing was stored: show the page again with the
   * problem and the input as given, at the error's status (400 for bad input).
   */
  async function attempt(c: Context, values: FormValues, action: () => Promise<Response>, show: (form: FormState) => Page, document?: { field: string; own: string[] }) {
    try {
      return await action();
    } catch (e) {
      const { problem, error } = problemOf(e, document);
      return c.html(show({ values, problem }), statusOf(error.code));
    }
  }

  /** GET shows a version's form; POST reads it and runs `act` (which redirects or renders). */
  function versionForm(
    path: string,
    show: (found: Found, form: FormState) => Page,
    act: (c: Context<AdminEnv>, found: Found, values: FormValues) => Promise<Response>,
    document?: { field: string; own: string[] },
  ) {
    app.get(`${VERSION}/${path}`, async (c) => {
      const found = await versionOf(c.req.param());
      return found ? c.html(show(found, EMPTY_FORM)) : missing(c, c.req.param());
    });
    app.post(`${VERSION}/${path}`, limit, async (c) => {
      const found = await versionOf(c.req.param());
      if (!found) return missing(c, c.req.param());
      const values = await readForm(c);
      return attempt(c, values, () => act(c, found, values), (form) => show(found, form), document);
    });
  }

  const splitPage = ({ ref, v }: Found, form: FormState) => <Layout title={`Split ${v.dataset} v${v.version}`}><SplitPage project={ref.project} version={v} form={form} /></Layout>;
  versionForm('split', splitPage, async (c, { ref }, values) => {
    const { message, ...spec } = parseForm(SplitRequestSchema, {
      method: values.method,
      column: optional(values.column),
      fractions: { train: numeric(values['fractions.train']), validation: numeric(values['fractions.validation']), test: numeric(values['fractions.test']) },
      seed: numeric(values.seed),
      message: optional(values.message),
    });
    const { versions } = await splitVersion(deps, { ...ref, spec, message, author: c.get('actor') });
    // train always has rows (its fraction is > 0 and every non-zero part gets one); the others link back to it.
    return c.redirect(versionUrl(ref.project, versions.train!), 303);
  });

  const trainQueue = createTrainQueue(deps);
  versionForm(
    'train',
    ({ ref, v }, form) => <Layout title={`Train on ${v.dataset} v${v.version}`}><TrainPage project={ref.project} version={v} form={form} /></Layout>,
    async (c, { ref }, values) => {
      const { model } = parseForm(ModelForm, { model: optional(values.model) });
      const patience = numeric(values['earlyStopping.patience']);
      const request = parseForm(TrainRequestSchema, {
        dataset: ref.dataset,
        datasetVersion: ref.version,
        label: optional(values.label),
        task: optional(values.task),
        layers: layersOf(values.layers),
        activation: optional(values.activation),
        dropout: numeric(values.dropout),
        l2: numeric(values.l2),
        epochs: numeric(values.epochs),
        learningRate: numeric(values.learningRate),
        batchSize: numeric(values.batchSize),
        earlyStopping: patience === undefined ? undefined : { patience },
        seed: numeric(values.seed),
        validationFraction: numeric(values.validationFraction),
        testFraction: numeric(values.testFraction),
        sliceBy: optional(values.sliceBy),
        gates: parseDocument(values.gates, 'gates'),
        intendedUse: optional(values.intendedUse),
        tags: optional(values.tags)?.split(',').map((t) => t.trim()).filter(Boolean),
        notes: optional(values.notes),
        allowFailedValidation: optional(values.allowFailedValidation),
      });
      const run = await trainQueue.queueRun(ref.project, model, request);
      // The run's page follows it live: epochs as they train, then the gates and the evaluation.
      return c.redirect(runUrl(ref.project, run.id), 303);
    },
    { field: 'gates', own: TRAIN_FIELDS },
  );

  versionForm(
    'search',
    ({ ref, v }, form) => <Layout title={`Search on ${v.dataset} v${v.version}`}><SearchPage project={ref.project} version={v} form={form} /></Layout>,
    async (c, { ref }, values) => {
      const { model } = parseForm(ModelForm, { model: optional(values.model) });
      const method = values['search.method'];
      const request = parseForm(SearchRequestSchema, {
        dataset: ref.dataset,
        datasetVersion: ref.version,
        label: optional(values.label),
        task: optional(values.task),
        space: required(parseDocument(values.space, 'space'), 'space', 'name the settings to vary (YAML or JSON)'),
        // Only the fields of the chosen method: the schema refuses the others.
        search: method === 'grid' ? { method } : method === 'random' ? { method, trials: numeric(values['search.trials']) } : {
          method,
          trials: numeric(values['search.trials']),
          minEpochs: numeric(values['search.minEpochs']),
          maxEpochs: numeric(values['search.maxEpochs']),
          eta: numeric(values['search.eta']),
        },
        metric: optional(values.metric),
        concurrency: numeric(values.concurrency),
        epochs: numeric(values.epochs),
        seed: numeric(values.seed),
        testFraction: numeric(values.testFraction),
        gates: parseDocument(values.gates, 'gates'),
        tags: optional(values.tags)?.split(',').map((t) => t.trim()).filter(Boolean),
        allowFailedValidation: optional(values.allowFailedValidation),
      });
      const id = await trainQueue.queueSearch(ref.project, model, request);
      return c.redirect(`/console/projects/${ref.project}/searches/${id}`, 303);
    },
    { field: 'space', own: SEARCH_FIELDS },
  );

  /** The latest cleaned version of `<dataset>-clean`, offered for replay. */
  async function replaySuggestion(ref: VersionRef) {
    const cleaned = await datasets.getVersion(ref.project, `${ref.dataset}-clean`);
    return cleaned?.operation?.kind === 'clean' ? { dataset: cleaned.dataset, version: cleaned.version } : undefined;
  }
  const cleanPage = (active: 'recipe' | 'replay') => async ({ ref, v }: Found, form: FormState) => (
    <Layout title={`Clean ${v.dataset} v${v.version}`}>
      <CleanPage project={ref.project} version={v} form={form} active={active} replay={await replaySuggestion(ref)} />
    </Layout>
  );
  versionForm(
    'clean',
    cleanPage('recipe'),
    async (c, { ref }, values) => {
      const recipe = required(parseDocument(values.recipe, 'recipe'), 'recipe', 'paste a recipe (YAML or JSON)');
      const body = parseForm(CleanRequestSchema, { recipe, to: optional(values.to), message: optional(values.message) });
      const { version } = await cleanVersion(deps, { ...ref, ...body, author: c.get('actor') });
      return c.redirect(versionUrl(ref.project, version), 303);
    },
    { field: 'recipe', own: CLEAN_FIELDS },
  );
  app.post(`${VERSION}/replay`, limit, async (c) => {
    const found = await versionOf(c.req.param());
    if (!found) return missing(c, c.req.param());
    const values = await readForm(c);
    const action = async () => {
      const replay = { dataset: optional(values['replay.dataset']), version: numeric(values['replay.version']) };
      const body = parseForm(CleanRequestSchema, { replay, to: optional(values.to), message: optional(values.message) });
      const { version } = await cleanVersion(deps, { ...found.ref, ...body, author: c.get('actor') });
      return c.redirect(versionUrl(found.ref.project, version), 303);
    };
    return attempt(c, values, action, (form) => cleanPage('replay')(found, form), { field: 'replay', own: CLEAN_FIELDS });
  });

  versionForm(
    'synthesize',
    ({ ref, v }, form) => <Layout title={`Synthesize from ${v.dataset} v${v.version}`}><SynthesizePage project={ref.project} version={v} form={form} /></Layout>,
    async (c, { ref }, values) => {
      const body = parseForm(SynthesizeRequestSchema, { rows: numeric(values.rows), seed: numeric(values.seed), to: optional(values.to), message: optional(values.message) });
      const version = await synthesizeVersion(deps, { ...ref, ...body, author: c.get('actor') });
      return c.redirect(versionUrl(ref.project, version), 303);
    },
  );

  const validatePage = async ({ ref, v }: Found, form: FormState, report: ValidationReport | null = null) => {
    const attached = await attachedSuite(deps, ref);
    return (
      <Layout title={`Validate ${v.dataset} v${v.version}`}>
        <ValidatePage project={ref.project} version={v} form={form} attached={attached ? { name: attached.suite.name, sha256: attached.sha256 } : null} report={report} />
      </Layout>
    );
  };
  versionForm(
    'validate',
    validatePage,
    async (c, found, values) => {
      const { suite } = parseForm(OptionalSuiteForm, { suite: parseDocument(values.suite, 'suite') });
      const report = await validateVersion(deps, { ...found.ref, suite });
      // The report is shown, not stored: validating is a question, not a change.
      return c.html(await validatePage(found, { values }, report));
    },
    { field: 'suite', own: SUITE_FIELDS },
  );

  /** A dataset's suite page; `text` is what the textarea starts with (suggested or attached YAML). */
  async function suitePage(project: string, dataset: string, form: FormState, suggestion?: { text?: string; version: number; tolerance: number }) {
    const [latest, attached] = await Promise.all([datasets.getVersion(project, dataset), attachedSuite(deps, { project, dataset })]);
    return (
      <Layout title={`Suite of ${dataset}`}>
        <SuitePage
          project={project}
          dataset={dataset}
          latest={latest ?? null}
          form={form}
          attached={attached ? { name: attached.suite.name, sha256: attached.sha256 } : null}
          text={suggestion?.text ?? (attached ? stringifyYaml(attached.suite) : '')}
          suggestedFrom={suggestion}
        />
      </Layout>
    );
  }

  app.get(`${VERSION}/suggested-suite`, async (c) => {
    const found = await versionOf(c.req.param());
    if (!found) return missing(c, c.req.param());
    const { project, dataset, version } = found.ref;
    const values: FormValues = c.req.query('tolerance') === undefined ? {} : { tolerance: c.req.query('tolerance')! };
    const action = async () => {
      const { tolerance } = parseForm(ToleranceForm, { tolerance: numeric(values.tolerance) });
      const suite = await suggestVersionSuite(deps, { ...found.ref, tolerance });
      return c.html(await suitePage(project, dataset, { values }, { text: stringifyYaml(suite), version, tolerance }));
    };
    return attempt(c, values, action, (form) => suitePage(project, dataset, form, { version, tolerance: 0.1 }), { field: 'suite', own: SUITE_FIELDS });
  });

  app.get(SUITE, async (c) => {
    const { project, dataset } = c.req.param();
    return attempt(c, {}, async () => {
      await projects.require(project);
      return c.html(await suitePage(project, dataset, EMPTY_FORM));
    }, () => <Layout title="Not found"><p>No project {project}.</p></Layout>);
  });
  app.post(SUITE, limit, async (c) => {
    const { project, dataset } = c.req.param();
    const values = await readForm(c);
    const action = async () => {
      const { suite } = parseForm(SuiteForm, { suite: required(parseDocument(values.suite, 'suite'), 'suite', 'paste a suite (YAML or JSON)') });
      await attachSuite(deps, { project, dataset, suite });
      return c.redirect(suiteUrl(project, dataset), 303);
    };
    return attempt(c, values, action, (form) => suitePage(project, dataset, form), { field: 'suite', own: SUITE_FIELDS });
  });
  return app;
}
