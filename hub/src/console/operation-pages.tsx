/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { DatasetVersion } from '../data/store.ts';
import { DocumentField, Field, isInvalid, Problem, type FormState } from './forms.tsx';

/** Where a version's console pages live. */
export const versionUrl = (project: string, v: { dataset: string; version: number }) => `/console/projects/${project}/datasets/${v.dataset}/versions/${v.version}`;

/** The version an operation page acts on, with a link back to it. */
function Heading(props: { project: string; version: DatasetVersion; action: string }) {
  const v = props.version;
  return (
    <>
      <p><a href={versionUrl(props.project, v)}>← {v.dataset} v{v.version}</a></p>
      <h1>{props.action} <span class="muted">{v.dataset} version {v.version} · {v.rowCount} rows</span></h1>
    </>
  );
}

/** The version's columns, offered as suggestions (any text can still be typed, and is kept). */
function ColumnList(props: { id: string; version: DatasetVersion }) {
  return <datalist id={props.id}>{props.version.columns.map((c) => <option value={c.name} />)}</datalist>;
}

const METHODS = [
  ['random', 'random: a seeded shuffle'],
  ['stratified', 'stratified: keeps the class balance of a column'],
  ['time', 'time: earliest rows to train, latest to test (seed unused)'],
  ['group', 'group: whole groups of a column per part, no leakage'],
] as const;

/** Split into train/validation/test versions: the fields of POST …/split. */
export function SplitPage(props: { project: string; version: DatasetVersion; form: FormState }) {
  const { form, version: v } = props;
  const method = form.values.method ?? 'random';
  return (
    <>
      <Heading project={props.project} version={v} action="Split" />
      <p class="muted">Makes new versions of {v.dataset}-train, {v.dataset}-validation and {v.dataset}-test. The same rows, method and seed always give the same split.</p>
      <Problem form={form} />
      <form method="post" class="op" action={`${versionUrl(props.project, v)}/split`}>
        <label class="field">
          Method
          <select name="method" aria-invalid={isInvalid(form, 'method') ? 'true' : undefined}>
            {METHODS.map(([value, text]) => <option value={value} selected={value === method}>{text}</option>)}
          </select>
        </label>
        <Field form={form} name="column" label="Column" hint="(stratified: the class; time: the timestamp; group: the group id)" list="split-columns" />
        <ColumnList id="split-columns" version={v} />
        <fieldset>
          <legend>Fractions (sum to 1)</legend>
          <Field form={form} name="fractions.train" label="train" type="number" step="any" value="0.7" />
          <Field form={form} name="fractions.validation" label="validation" type="number" step="any" value="0.15" />
          <Field form={form} name="fractions.test" label="test" type="number" step="any" value="0.15" />
        </fieldset>
        <Field form={form} name="seed" label="Seed" type="number" value="42" />
        <Field form={form} name="message" label="Message" hint="(optional)" />
        <button type="submit">Split</button>
      </form>
    </>
  );
}

const RECIPE_EXAMPLE = `name: tidy
steps:
  - op: trim
  - op: impute
    column: some-column
    strategy: median`;

/**
 * Clean with a recipe (YAML or JSON) or replay the recipe of a cleaned version: the fields of POST
 * …/clean. `active` says which of the two forms the kept input and the problem belong to.
 */
export function CleanPage(props: { project: string; version: DatasetVersion; form: FormState; active: 'recipe' | 'replay'; replay?: { dataset: string; version: number } | undefined }) {
  const { version: v } = props;
  const recipeForm: FormState = props.active === 'recipe' ? props.form : { values: {} };
  const replayForm: FormState = props.active === 'replay' ? props.form : { values: {} };
  const base = versionUrl(props.project, v);
  return (
    <>
      <Heading project={props.project} version={v} action="Clean" />
      <p class="muted">
        Steps: trim, coerce, impute, normalize_categories, dedupe, clip, drop_columns, drop_rows (see the <a href="/console/api">API reference</a>, Recipe).
        The whole recipe is recorded with the new version, so it can be replayed on a later version.
      </p>
      <section>
        <h2>With a recipe</h2>
        <Problem form={recipeForm} />
        <form method="post" class="op" action={`${base}/clean`}>
          <DocumentField form={recipeForm} name="recipe" label="Recipe (YAML or JSON)" placeholder={RECIPE_EXAMPLE} />
          <Field form={recipeForm} name="to" label="Target dataset" placeholder={`${v.dataset}-clean`} hint="(blank: the default shown)" />
          <Field form={recipeForm} name="message" label="Message" hint="(optional)" />
          <button type="submit">Clean</button>
        </form>
      </section>
      <section>
        <h2>Replay the recipe of a cleaned version</h2>
        <Problem form={replayForm} />
        <form method="post" class="op" action={`${base}/replay`}>
          <Field form={replayForm} name="replay.dataset" label="Cleaned dataset" value={props.replay?.dataset} />
          <Field form={replayForm} name="replay.version" label="Its version" type="number" value={props.replay ? String(props.replay.version) : undefined} />
          <Field form={replayForm} name="to" label="Target dataset" placeholder={`${v.dataset}-clean`} hint="(blank: the default shown)" />
          <Field form={replayForm} name="message" label="Message" hint="(optional)" />
          <button type="submit">Replay</button>
        </form>
      </section>
    </>
  );
}

/** Draw synthetic rows from the version's profile: the fields of POST …/synthesize. */
export function SynthesizePage(props: { project: string; version: DatasetVersion; form: FormState }) {
  const { form, version: v } = props;
  return (
    <>
      <Heading project={props.project} version={v} action="Synthesize" />
      <p class="muted">Each column is drawn on its own from the profile (missing rate, histogram, category frequencies); correlations are not kept. For tests and load, not for training.</p>
      <Problem form={form} />
      <form method="post" class="op" action={`${versionUrl(props.project, v)}/synthesize`}>
        <Field form={form} name="rows" label="Rows" type="number" value={String(v.rowCount)} hint="(1 to 1 000 000)" />
        <Field form={form} name="seed" label="Seed" type="number" value="42" />
        <Field form={form} name="to" label="Target dataset" placeholder={`${v.dataset}-synthetic`} hint="(blank: the default shown)" />
        <Field form={form} name="message" label="Message" hint="(optional)" />
        <button type="submit">Synthesize</button>
      </form>
    </>
  );
}

const GATES_EXAMPLE = `- kind: threshold
  metric: testAccuracy   # testR2 for a regressor
  min: 0.95
- kind: baseline
- kind: parity`;

/**
 * Train a model on this version: the fields of POST …/models/{model}/runs. The run is queued and
 * its page (live learning curves, then gates and evaluation) opens.
 */
export function TrainPage(props: { project: string; version: DatasetVersion; form: FormState }) {
  const { form, version: v } = props;
  const task = form.values.task ?? 'classification';
  const activation = form.values.activation ?? 'relu';
  return (
    <>
      <Heading project={props.project} version={v} action="Train a model on" />
      <p class="muted">
        The same data, settings and seed give the same model, byte for byte. It is registered as the model's next version if it passes its acceptance gates
        (default: beat the baseline, and ONNX parity).
      </p>
      <Problem form={form} />
      <form method="post" class="op" action={`${versionUrl(props.project, v)}/train`}>
        <Field form={form} name="model" label="Model" hint="(a name; new models are created)" />
        <Field form={form} name="label" label="Label" hint="(the column to predict)" list="train-columns" />
        <ColumnList id="train-columns" version={v} />
        <label class="field">
          Task
          <select name="task" aria-invalid={isInvalid(form, 'task') ? 'true' : undefined}>
            <option value="classification" selected={task === 'classification'}>classification: a class, with probabilities</option>
            <option value="regression" selected={task === 'regression'}>regression: a number</option>
          </select>
        </label>
        <fieldset>
          <legend>Model</legend>
          <Field form={form} name="layers" label="Hidden layers" hint="(widths, e.g. 32,16; blank: none)" value="16" />
          <label class="field">
            Activation
            <select name="activation" aria-invalid={isInvalid(form, 'activation') ? 'true' : undefined}>
              {['relu', 'tanh', 'sigmoid'].map((a) => <option value={a} selected={a === activation}>{a}</option>)}
            </select>
          </label>
          <Field form={form} name="dropout" label="Dropout" type="number" step="any" value="0" />
          <Field form={form} name="l2" label="L2" type="number" step="any" value="0" />
        </fieldset>
        <fieldset>
          <legend>Training</legend>
          <Field form={form} name="epochs" label="Epochs" type="number" value="60" />
          <Field form={form} name="learningRate" label="Learning rate" type="number" step="any" value="0.01" />
          <Field form={form} name="batchSize" label="Batch size" type="number" value="32" />
          <Field form={form} name="earlyStopping.patience" label="Early stopping patience" hint="(epochs; blank: train them all)" type="number" />
          <Field form={form} name="seed" label="Seed" type="number" value="42" />
          <Field form={form} name="validationFraction" label="Validation fraction" type="number" step="any" value="0.2" />
          <Field form={form} name="testFraction" label="Test fraction" hint="(held back for the gates)" type="number" step="any" value="0.15" />
        </fieldset>
        <Field form={form} name="sliceBy" label="Evaluate by slice of" hint="(optional: a categorical column)" list="train-columns" />
        <DocumentField form={form} name="gates" label="Acceptance gates (YAML or JSON; blank: the defaults)" placeholder={GATES_EXAMPLE} rows={6} />
        <Field form={form} name="intendedUse" label="Intended use" hint="(for the model card)" />
        <Field form={form} name="tags" label="Tags" hint="(comma-separated)" />
        <Field form={form} name="notes" label="Notes" />
        {v.validationSuccess === false && <Field form={form} name="allowFailedValidation" label="This version failed its suite: why train on it anyway?" />}
        <button type="submit">Train</button>
      </form>
    </>
  );
}

const SPACE_EXAMPLE = `hiddenUnits: [0, 8, 16]
learningRate: { min: 0.001, max: 0.1, log: true }
dropout: { min: 0, max: 0.3 }`;

/**
 * A hyperparameter search on this version: the fields of POST …/models/{model}/searches. Each trial
 * is a tracked run; the best configuration is retrained, gated and registered. The search's page
 * shows the trials as they finish.
 */
export function SearchPage(props: { project: string; version: DatasetVersion; form: FormState }) {
  const { form, version: v } = props;
  const task = form.values.task ?? 'classification';
  const method = form.values['search.method'] ?? 'random';
  const metric = form.values.metric ?? '';
  return (
    <>
      <Heading project={props.project} version={v} action="Search hyperparameters on" />
      <p class="muted">Trials are ranked on the validation rows; the test rows stay for the final model's gates. The same space and seed give the same trials.</p>
      <Problem form={form} />
      <form method="post" class="op" action={`${versionUrl(props.project, v)}/search`}>
        <Field form={form} name="model" label="Model" hint="(the best configuration registers as its next version)" />
        <Field form={form} name="label" label="Label" list="search-columns" />
        <ColumnList id="search-columns" version={v} />
        <label class="field">
          Task
          <select name="task" aria-invalid={isInvalid(form, 'task') ? 'true' : undefined}>
            <option value="classification" selected={task === 'classification'}>classification</option>
            <option value="regression" selected={task === 'regression'}>regression</option>
          </select>
        </label>
        <DocumentField form={form} name="space" label="Space (YAML or JSON): hiddenUnits, epochs, learningRate, batchSize, dropout, l2 — each a list or a range" placeholder={SPACE_EXAMPLE} rows={5} />
        <fieldset>
          <legend>Method</legend>
          <label class="field">
            Method
            <select name="search.method" aria-invalid={isInvalid(form, 'search') ? 'true' : undefined}>
              <option value="grid" selected={method === 'grid'}>grid: every combination of the lists</option>
              <option value="random" selected={method === 'random'}>random: seeded draws</option>
              <option value="halving" selected={method === 'halving'}>successive halving: stop poor trials early</option>
            </select>
          </label>
          <Field form={form} name="search.trials" label="Trials" hint="(random, halving)" type="number" value="8" />
          <Field form={form} name="search.minEpochs" label="Min epochs" hint="(halving)" type="number" />
          <Field form={form} name="search.maxEpochs" label="Max epochs" hint="(halving)" type="number" />
          <Field form={form} name="search.eta" label="Keep 1/eta per rung" hint="(halving)" type="number" value="3" />
          <label class="field">
            Rank by
            <select name="metric" aria-invalid={isInvalid(form, 'metric') ? 'true' : undefined}>
              <option value="" selected={metric === ''}>the task's default (accuracy; loss for regression)</option>
              {['validationAccuracy', 'validationLoss', 'validationRmse'].map((m) => <option value={m} selected={m === metric}>{m}</option>)}
            </select>
          </label>
          <Field form={form} name="concurrency" label="Trials at once" hint="(blank: the hub's training workers)" type="number" />
        </fieldset>
        <fieldset>
          <legend>Settings every trial shares</legend>
          <Field form={form} name="epochs" label="Epochs" hint="(unless the space or halving sets them)" type="number" value="60" />
          <Field form={form} name="seed" label="Seed" type="number" value="42" />
          <Field form={form} name="testFraction" label="Test fraction" type="number" step="any" value="0.15" />
        </fieldset>
        <DocumentField form={form} name="gates" label="Acceptance gates for the final model (blank: the defaults)" placeholder={GATES_EXAMPLE} rows={4} />
        <Field form={form} name="tags" label="Tags" hint="(comma-separated)" />
        {v.validationSuccess === false && <Field form={form} name="allowFailedValidation" label="This version failed its suite: why train on it anyway?" />}
        <button type="submit">Search</button>
      </form>
    </>
  );
}
